-- comment: Across levels, one row per year, metric and chain (province → prefecture → county): the targets side by side (5.5%左右 → 6%左右 → 6.5%以上), the comparator change written out and the differences / 跨层级目标传导：每年、每个指标、每条层级链（省→市→县）一行，各级目标并列、比较方式变化及差值
-- column year: Year / 年份
-- column metric_id: Metric id (transform/registry/metrics.yaml) / 指标标识
-- column metric_name: Official name of the metric / 指标名称
-- column chain: The jurisdictions, top down (辽宁省 → 鞍山市 → 海城市) / 层级链
-- column targets: The targets written out, top down (5.5%左右 → 6%左右 → 6.5%以上) / 各级目标
-- column comparators: How the comparator changes, top down (左右 → 左右 → 以上; exact for a number without one) / 比较方式变化
-- column province: Province / 省级地区
-- column province_target: The province's target written out / 省级目标
-- column province_task_no: The province's task number / 省级任务序号
-- column prefecture: Prefecture-level jurisdiction (city) / 地级地区
-- column prefecture_target: The prefecture's target written out / 地级目标
-- column prefecture_task_no: The prefecture's task number / 地级任务序号
-- column county: County-level jurisdiction / 县级地区
-- column county_target: The county's target written out / 县级目标
-- column county_task_no: The county's task number / 县级任务序号
-- column prefecture_minus_province: Prefecture value minus province value, in unit / 地级减省级
-- column county_minus_prefecture: County value minus prefecture value, in unit / 县级减地级
-- column county_minus_province: County value minus province value, in unit / 县级减省级
-- column province_value: The province's value, in unit / 省级数值
-- column prefecture_value: The prefecture's value, in unit / 地级数值
-- column county_value: The county's value, in unit / 县级数值
-- column unit: Unit of the values and differences: the printed unit when every level prints the same one, else the base unit (values scaled: 45万人 is 450000人) / 单位
WITH leaf AS (
    -- the lowest targets: no target of a lower level is passed down from them
    SELECT DISTINCT c.year, c.metric_id, c.metric_name, c.lower_jurisdiction, c.lower_level, c.lower_task_id,
           c.lower_task_no, c.lower_target_position
    FROM target_cascade c
    WHERE c.lower_level IN ('prefecture', 'county')
      AND NOT EXISTS (SELECT 1 FROM target_cascade d
                      WHERE d.upper_task_id = c.lower_task_id
                        AND d.upper_target_position = c.lower_target_position)
),
chain AS (
    -- the leaf and the targets above it: the province's, and the prefecture's (the leaf itself when it is one)
    SELECT l.year, l.metric_id, l.metric_name, l.lower_task_id, l.lower_target_position,
           pv.upper_jurisdiction AS province, pv.upper_task_id AS province_task_id,
           pv.upper_target_position AS province_position, pv.upper_task_no AS province_task_no,
           CASE WHEN l.lower_level = 'prefecture' THEN l.lower_jurisdiction ELSE pf.upper_jurisdiction END AS prefecture,
           CASE WHEN l.lower_level = 'prefecture' THEN l.lower_task_id ELSE pf.upper_task_id END AS prefecture_task_id,
           CASE WHEN l.lower_level = 'prefecture' THEN l.lower_target_position ELSE pf.upper_target_position END
               AS prefecture_position,
           CASE WHEN l.lower_level = 'prefecture' THEN l.lower_task_no ELSE pf.upper_task_no END AS prefecture_task_no,
           CASE WHEN l.lower_level = 'county' THEN l.lower_jurisdiction END AS county,
           CASE WHEN l.lower_level = 'county' THEN l.lower_task_id END AS county_task_id,
           CASE WHEN l.lower_level = 'county' THEN l.lower_target_position END AS county_position,
           CASE WHEN l.lower_level = 'county' THEN l.lower_task_no END AS county_task_no
    FROM leaf l
    LEFT JOIN target_cascade pv
           ON pv.lower_task_id = l.lower_task_id AND pv.lower_target_position = l.lower_target_position
          AND pv.upper_level = 'province'
    LEFT JOIN target_cascade pf
           ON pf.lower_task_id = l.lower_task_id AND pf.lower_target_position = l.lower_target_position
          AND pf.upper_level = 'prefecture' AND l.lower_level = 'county'
    WHERE pv.upper_task_id IS NOT NULL OR pf.upper_task_id IS NOT NULL
),
valued AS (
    SELECT c.*,
           tp.value AS pv_value, tp.unit AS pv_unit, tp.comparator AS pv_cmp, tp.base_value AS pv_base,
           tf.value AS pf_value, tf.unit AS pf_unit, tf.comparator AS pf_cmp, tf.base_value AS pf_base,
           tc.value AS cv_value, tc.unit AS cv_unit, tc.comparator AS cv_cmp, tc.base_value AS cv_base,
           coalesce(tc.base_unit, tf.base_unit, tp.base_unit) AS base_unit,
           len(list_distinct([tp.unit, tf.unit, tc.unit])) = 1 AS same_unit  -- list_distinct drops nulls
    FROM chain c
    LEFT JOIN targets tp ON tp.task_id = c.province_task_id AND tp.position = c.province_position
    LEFT JOIN targets tf ON tf.task_id = c.prefecture_task_id AND tf.position = c.prefecture_position
    LEFT JOIN targets tc ON tc.task_id = c.county_task_id AND tc.position = c.county_position
),
written AS (
    SELECT *,
           regexp_replace(printf('%.4f', pv_value), '\.?0+$', '') || pv_unit || coalesce(pv_cmp, '') AS province_target,
           regexp_replace(printf('%.4f', pf_value), '\.?0+$', '') || pf_unit || coalesce(pf_cmp, '') AS prefecture_target,
           regexp_replace(printf('%.4f', cv_value), '\.?0+$', '') || cv_unit || coalesce(cv_cmp, '') AS county_target
    FROM valued
)
SELECT
    year,
    metric_id,
    metric_name,
    concat_ws(' → ', province, prefecture, county) AS chain,
    concat_ws(' → ', province_target, prefecture_target, county_target) AS targets,
    concat_ws(' → ',
              CASE WHEN province IS NOT NULL THEN coalesce(pv_cmp, 'exact') END,
              CASE WHEN prefecture IS NOT NULL THEN coalesce(pf_cmp, 'exact') END,
              CASE WHEN county IS NOT NULL THEN coalesce(cv_cmp, 'exact') END) AS comparators,
    province,
    province_target,
    province_task_no,
    prefecture,
    prefecture_target,
    prefecture_task_no,
    county,
    county_target,
    county_task_no,
    round(CASE WHEN same_unit THEN pf_value - pv_value ELSE pf_base - pv_base END, 6) AS prefecture_minus_province,
    round(CASE WHEN same_unit THEN cv_value - pf_value ELSE cv_base - pf_base END, 6) AS county_minus_prefecture,
    round(CASE WHEN same_unit THEN cv_value - pv_value ELSE cv_base - pv_base END, 6) AS county_minus_province,
    CASE WHEN same_unit THEN pv_value ELSE pv_base END AS province_value,
    CASE WHEN same_unit THEN pf_value ELSE pf_base END AS prefecture_value,
    CASE WHEN same_unit THEN cv_value ELSE cv_base END AS county_value,
    CASE WHEN same_unit THEN coalesce(cv_unit, pf_unit, pv_unit) ELSE base_unit END AS unit
FROM written
ORDER BY year, province NULLS FIRST, prefecture NULLS FIRST, county NULLS FIRST, metric_id, lower_task_id,
         lower_target_position
