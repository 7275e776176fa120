-- Example queries on a govtasks release: open the database read-only and run them as they are
--   duckdb -readonly govtasks.duckdb < queries.sql      (or one at a time)
-- 示例查询：以只读方式打开 govtasks.duckdb 后运行。Each query is run by the tests on a two-year release.
-- This file is the one home of these queries: the README's "Year over year" block is generated from it
-- (python -m output.docs).

-- which release this is: version, what it was compared with, the notices and their sha256
SELECT version, previous_version, change, notice_id, sha256 FROM release_info ORDER BY notice_id;

-- tasks per chapter, per notice
SELECT n.jurisdiction, n.year, c.chapter_no, c.title, count(t.task_id) AS tasks
FROM chapters c JOIN notices n USING (notice_id)
LEFT JOIN tasks t ON t.notice_id = c.notice_id AND t.chapter_no = c.chapter_no
WHERE c.level = 'chapter'
GROUP BY ALL ORDER BY n.jurisdiction, n.year, c.chapter_no;

-- the units that lead the most tasks, per jurisdiction and year
SELECT jurisdiction, year, unit, lead_tasks, other_tasks
FROM unit_workload WHERE lead_tasks > 0
ORDER BY jurisdiction, year, lead_tasks DESC, unit;

-- what changed, in one row per jurisdiction and pair of years
SELECT * FROM yoy_summary;

-- dropped and new tasks
SELECT year_from, task_no_from, text_from FROM yoy_tasks WHERE status = 'dropped';
SELECT year_to, task_no_to, text_to FROM yoy_tasks WHERE status = 'new';

-- reworded tasks, least similar first (check these by eye)
SELECT task_no_from, task_no_to, similarity, text_from, text_to
FROM yoy_tasks WHERE status = 'continued' AND text_changed ORDER BY similarity;

-- how targets moved: 地区生产总值 6.5%以上 → 6%
SELECT jurisdiction, year_from, year_to, metric, target_from, target_to
FROM yoy_target_moves ORDER BY jurisdiction, year_to, task_no_to;

-- units that carry more or less
SELECT year, unit, lead_tasks, lead_change, other_tasks, other_change
FROM unit_workload
WHERE previous_year IS NOT NULL AND (lead_change <> 0 OR other_change <> 0)
ORDER BY lead_change DESC, unit;

-- leaders who appear, leave or take over another's tasks
SELECT year, leader, status, tasks_led, tasks_led_before, taken_over_from, handed_over_to
FROM leader_portfolios WHERE status <> 'first_year' ORDER BY year, leader;
SELECT * FROM yoy_leader_handovers;

-- follow one task across years
SELECT k.year_from, k.task_no_from, k.year_to, k.task_no_to, k.status
FROM yoy_task_links k WHERE k.jurisdiction = '清河县' AND k.task_no_from = 5;
