-- 数据溯源 of one 资金 row (year, region, project_code): every row ever loaded for it, current
-- and replaced, with its file and the load that replaced it (with_lineage, views.sql).
-- department: the project's 责任单位 on its progress rows of the year, when there is one only,
-- so a 市直单位 account's reach (metrics.reach) can keep its own projects' funding rows.
-- Money is 万元; rates are fractions.
WITH project_department AS (
    SELECT CASE WHEN COUNT(DISTINCT department) = 1 THEN MIN(department) END AS department
    FROM progress_report
    WHERE year = $year AND project_code = $project_code AND superseded_by IS NULL
),
item_rows AS (
    SELECT * FROM with_lineage('funding_report', $year, $region, $project_code)
),
final AS (
    SELECT
        CAST(year AS INTEGER) AS year,
        CAST(month AS INTEGER) AS month,
        region, project_code, project_name,
        (SELECT department FROM project_department) AS department,
        budget, arrived, disbursed,
        rate_of(arrived, budget) AS arrived_rate,       -- 到位率 = 到位 ÷ 计划
        rate_of(disbursed, arrived) AS disbursed_rate,  -- 拨付率 = 拨付 ÷ 到位
        load_id, source_file, source_sheet, source_row, loaded_at, loaded_by,
        is_current, superseded_by, replaced_by_file, replaced_at, replaced_by_user
    FROM item_rows
)
SELECT * FROM final
ORDER BY month, load_id;
