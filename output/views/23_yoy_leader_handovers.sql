-- comment: Continued tasks whose lead leaders changed: who led them the year before and who leads them now / 牵头领导变动的延续任务：前一年与后一年的牵头领导
-- yoy_tasks has both years' lead leaders; tasks gives the later task's line, for notice order
SELECT
    y.jurisdiction,
    y.year_from,
    y.task_no_from,
    y.year_to,
    y.task_no_to,
    y.lead_leaders_from AS leaders_from,
    y.lead_leaders_to AS leaders_to,
    y.text_to AS task_text
FROM yoy_tasks y
JOIN yoy_task_links k USING (link_id)
JOIN tasks t ON t.task_id = k.task_id_to
WHERE y.status = 'continued'
  AND coalesce(y.lead_leaders_from, []::VARCHAR[]) <> coalesce(y.lead_leaders_to, []::VARCHAR[])
ORDER BY y.jurisdiction, y.year_from, t.line, y.link_id
