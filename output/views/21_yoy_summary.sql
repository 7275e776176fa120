-- comment: Year over year in one row per jurisdiction and pair of years: tasks continued (unchanged, reworded), new, dropped, targets moved, leaders who appear or leave / 逐年概览：延续（未改、改写）、新增、取消的任务数，目标变化数，新增与离开的牵头领导
SELECT
    k.jurisdiction,
    k.year_from,
    k.year_to,
    count(*) FILTER (WHERE k.status = 'continued') AS continued,
    count(*) FILTER (WHERE k.status = 'continued' AND NOT k.text_changed) AS unchanged,
    count(*) FILTER (WHERE k.status = 'continued' AND k.text_changed) AS reworded,
    count(*) FILTER (WHERE k.status = 'new') AS new,
    count(*) FILTER (WHERE k.status = 'dropped') AS dropped,
    (SELECT count(*) FROM yoy_target_changes c
     WHERE c.jurisdiction = k.jurisdiction AND c.year_from = k.year_from AND c.year_to = k.year_to) AS target_changes,
    (SELECT list(p.leader ORDER BY p.leader) FROM leader_portfolios p
     WHERE p.jurisdiction = k.jurisdiction AND p.year = k.year_to AND p.status = 'appears') AS leaders_appearing,
    (SELECT list(p.leader ORDER BY p.leader) FROM leader_portfolios p
     WHERE p.jurisdiction = k.jurisdiction AND p.year = k.year_to AND p.status = 'leaves') AS leaders_leaving
FROM yoy_task_links k
GROUP BY k.jurisdiction, k.year_from, k.year_to
ORDER BY k.jurisdiction, k.year_from
