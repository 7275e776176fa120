-- comment: How the targets of continued tasks moved, written out (6.5%以上 → 6%), with the later task's text / 延续任务的目标变化（如 6.5%以上 → 6%）及后一年任务内容
-- column jurisdiction: Jurisdiction / 地区
-- column year_from: Earlier year / 前一年
-- column task_no_from: Task number in the earlier year / 前一年任务序号
-- column year_to: Later year / 后一年
-- column task_no_to: Task number in the later year / 后一年任务序号
-- column metric: What is measured / 指标
-- column change: changed, added or removed / 变化类型
-- column target_from: The earlier target written out (6.5%以上) / 前一年目标
-- column target_to: The later target written out (6%) / 后一年目标
-- column difference: Later value minus earlier value, in base units, where both exist / 差值
-- column task_text: Task text in the later year / 后一年任务内容
SELECT
    c.jurisdiction,
    c.year_from,
    c.task_no_from,
    c.year_to,
    c.task_no_to,
    c.metric,
    c.change,
    CASE WHEN c.value_from IS NULL THEN NULL
         ELSE regexp_replace(printf('%.4f', c.value_from), '\.?0+$', '') || c.unit || coalesce(c.comparator_from, '')
    END AS target_from,
    CASE WHEN c.value_to IS NULL THEN NULL
         ELSE regexp_replace(printf('%.4f', c.value_to), '\.?0+$', '') || c.unit || coalesce(c.comparator_to, '')
    END AS target_to,
    c.value_to - c.value_from AS difference,
    t.text AS task_text
FROM yoy_target_changes c
JOIN tasks t ON t.task_id = c.task_id_to
-- the later notice's order (by line: task numbers repeat when each chapter numbers from 1)
ORDER BY c.jurisdiction, c.year_from, t.line, c.link_id, c.change_no
