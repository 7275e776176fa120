-- comment: Year over year, one row per task link: both years' task numbers, texts, chapters, lead leaders and lead units side by side / 逐年任务对照：两年的任务序号、内容、章节、牵头领导与牵头单位
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
