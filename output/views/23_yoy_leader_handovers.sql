-- comment: Continued tasks whose lead leaders changed: who led them the year before and who leads them now / 牵头领导变动的延续任务：前一年与后一年的牵头领导
SELECT
    k.jurisdiction,
    k.year_from,
    k.task_no_from,
    k.year_to,
    k.task_no_to,
    lf.leaders AS leaders_from,
    lt.leaders AS leaders_to,
    t.text AS task_text
FROM yoy_task_links k
JOIN tasks t ON t.task_id = k.task_id_to
LEFT JOIN (SELECT task_id, list(leader ORDER BY position) AS leaders FROM task_leaders GROUP BY task_id) lf
    ON lf.task_id = k.task_id_from
LEFT JOIN (SELECT task_id, list(leader ORDER BY position) AS leaders FROM task_leaders GROUP BY task_id) lt
    ON lt.task_id = k.task_id_to
WHERE k.status = 'continued'
  AND coalesce(lf.leaders, []::VARCHAR[]) <> coalesce(lt.leaders, []::VARCHAR[])
ORDER BY k.jurisdiction, k.year_from, k.task_no_to
