-- comment: Year over year in one row per jurisdiction and pair of years: tasks continued (unchanged, reworded), new, dropped, targets moved, leaders who appear or leave / 逐年概览：延续（未改、改写）、新增、取消的任务数，目标变化数，新增与离开的牵头领导
-- column jurisdiction: Jurisdiction / 地区
-- column year_from: Earlier year / 前一年
-- column year_to: Later year / 后一年
-- column continued: Tasks continued / 延续任务数
-- column unchanged: Continued tasks with unchanged wording / 未改动任务数
-- column reworded: Continued tasks reworded / 改写任务数
-- column new: Tasks new in the later year / 新增任务数
-- column dropped: Tasks dropped after the earlier year / 取消任务数
-- column target_changes: Target changes in continued tasks / 目标变化数
-- column leaders_appearing: Leaders who lead tasks in the later year but not the earlier / 新出现的牵头领导
-- column leaders_leaving: Leaders who led tasks in the earlier year but not the later / 离开的牵头领导
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
    coalesce((SELECT list(p.leader ORDER BY p.leader) FROM leader_portfolios p
              WHERE p.jurisdiction = k.jurisdiction AND p.year = k.year_to AND p.status = 'appears'),
             []::VARCHAR[]) AS leaders_appearing,
    coalesce((SELECT list(p.leader ORDER BY p.leader) FROM leader_portfolios p
              WHERE p.jurisdiction = k.jurisdiction AND p.year = k.year_to AND p.status = 'leaves'),
             []::VARCHAR[]) AS leaders_leaving
FROM yoy_task_links k
GROUP BY k.jurisdiction, k.year_from, k.year_to
ORDER BY k.jurisdiction, k.year_from
