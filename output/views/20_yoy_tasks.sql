-- comment: Year over year, one row per task link: both years' task numbers, texts, chapters, lead leaders and lead units side by side / 逐年任务对照：两年的任务序号、内容、章节、牵头领导与牵头单位
-- column jurisdiction: Jurisdiction / 地区
-- column year_from: Earlier year (null for a new task) / 前一年
-- column task_no_from: Task number in the earlier year / 前一年任务序号
-- column year_to: Later year (null for a dropped task) / 后一年
-- column task_no_to: Task number in the later year / 后一年任务序号
-- column status: continued, new or dropped / 状态
-- column similarity: Similarity of the linked tasks (0–1) / 相似度
-- column text_changed: Whether the wording changed (punctuation form ignored) / 内容是否改动
-- column chapter_from: Chapter title in the earlier year / 前一年章标题
-- column chapter_to: Chapter title in the later year / 后一年章标题
-- column text_from: Task text in the earlier year / 前一年任务内容
-- column text_to: Task text in the later year / 后一年任务内容
-- column lead_leaders_from: Lead leaders in the earlier year / 前一年牵头领导
-- column lead_leaders_to: Lead leaders in the later year / 后一年牵头领导
-- column lead_units_from: Lead units in the earlier year / 前一年牵头单位
-- column lead_units_to: Lead units in the later year / 后一年牵头单位
-- column link_id: The yoy_task_links row / 对照标识
WITH leaders AS (
    SELECT task_id, list(leader ORDER BY position) AS names FROM task_leaders GROUP BY task_id
), lead_units AS (
    SELECT task_id, list(unit ORDER BY position) AS names FROM task_units WHERE role = 'lead' GROUP BY task_id
)
SELECT
    k.jurisdiction,
    k.year_from,
    k.task_no_from,
    k.year_to,
    k.task_no_to,
    k.status,
    k.similarity,
    k.text_changed,
    cf.title AS chapter_from,
    ct.title AS chapter_to,
    tf.text AS text_from,
    tt.text AS text_to,
    lf.names AS lead_leaders_from,
    lt.names AS lead_leaders_to,
    uf.names AS lead_units_from,
    ut.names AS lead_units_to,
    k.link_id
FROM yoy_task_links k
LEFT JOIN tasks tf ON tf.task_id = k.task_id_from
LEFT JOIN tasks tt ON tt.task_id = k.task_id_to
LEFT JOIN chapters cf ON cf.notice_id = tf.notice_id AND cf.chapter_no = tf.chapter_no AND cf.level = 'chapter'
LEFT JOIN chapters ct ON ct.notice_id = tt.notice_id AND ct.chapter_no = tt.chapter_no AND ct.level = 'chapter'
LEFT JOIN leaders lf ON lf.task_id = k.task_id_from
LEFT JOIN leaders lt ON lt.task_id = k.task_id_to
LEFT JOIN lead_units uf ON uf.task_id = k.task_id_from
LEFT JOIN lead_units ut ON ut.task_id = k.task_id_to
-- notice order (by line: task numbers repeat when each chapter numbers from 1); dropped tasks last
ORDER BY k.jurisdiction, k.year_from, tt.line NULLS LAST, tf.line, k.link_id
