-- comment: Continued tasks whose lead leaders changed: who led them the year before and who leads them now / 牵头领导变动的延续任务：前一年与后一年的牵头领导
-- column jurisdiction: Jurisdiction / 地区
-- column year_from: Earlier year / 前一年
-- column task_no_from: Task number in the earlier year / 前一年任务序号
-- column year_to: Later year / 后一年
-- column task_no_to: Task number in the later year / 后一年任务序号
-- column leaders_from: Lead leaders in the earlier year / 前一年牵头领导
-- column leaders_to: Lead leaders in the later year / 后一年牵头领导
-- column task_text: Task text in the later year / 后一年任务内容
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
