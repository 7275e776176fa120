-- comment: One row per task with its lead leaders, lead units and other units (normalized names, in notice order) / 每项任务一行：牵头领导、牵头单位、责任单位
-- column notice_id: Notice / 通知标识
-- column jurisdiction: Jurisdiction / 地区
-- column year: Year / 年份
-- column task_no: Task number as printed / 任务序号
-- column task_text: Task text as printed / 任务内容
-- column lead_leaders: Lead leaders, normalized, in notice order / 牵头领导
-- column lead_units: Lead units, canonical names, in notice order / 牵头单位
-- column other_units: Other responsible units, canonical names, in notice order / 责任单位
SELECT
    t.notice_id,
    n.jurisdiction,
    n.year,
    t.task_no,
    t.text AS task_text,
    coalesce((SELECT list(l.leader ORDER BY l.position) FROM task_leaders l WHERE l.task_id = t.task_id),
             []::VARCHAR[]) AS lead_leaders,
    coalesce((SELECT list(u.unit ORDER BY u.position) FROM task_units u
              WHERE u.task_id = t.task_id AND u.role = 'lead'), []::VARCHAR[]) AS lead_units,
    coalesce((SELECT list(u.unit ORDER BY u.position) FROM task_units u
              WHERE u.task_id = t.task_id AND u.role = 'other'), []::VARCHAR[]) AS other_units
FROM tasks t
JOIN notices n USING (notice_id)
ORDER BY t.notice_id, t.line, t.task_id
