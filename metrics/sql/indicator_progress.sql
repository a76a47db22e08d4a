-- 指标进度: one row per indicator (project, indicator, unit) at the month end, summed over the
-- filtered regions. Totals are Σ累计完成 ÷ Σ年度目标, never a mean of rates; an indicator reported
-- in different units keeps one row per unit, so figures in different units are never added.
WITH filtered AS (
    SELECT *
    FROM v_progress
    WHERE year = $year
        AND month = $month
        AND ($region IS NULL OR region = $region)
        AND ($department IS NULL OR department = $department)
        AND ($category IS NULL OR category = $category)
),
per_indicator AS (
    SELECT
        project_code,
        MIN(project_name) AS project_name,
        indicator,
        unit,
        MIN(category) AS category,
        MIN(department) AS department,
        SUM(target) AS target,              -- in unit
        SUM(actual) AS actual,              -- in unit
        AVG(planned_rate) AS planned_rate,  -- fraction; one plan per project, so equal across regions
        COUNT(DISTINCT region) AS n_regions
    FROM filtered
    GROUP BY project_code, indicator, unit
),
with_rates AS (
    SELECT *, actual / NULLIF(target, 0) AS completion_rate
    FROM per_indicator
),
final AS (
    SELECT
        project_code, project_name, indicator, unit, category, department,
        target, actual, completion_rate, planned_rate,
        completion_rate - planned_rate AS gap,
        -- compared at 1e-9 like v_progress, so 6/12 and a published 50% are the same schedule
        ROUND(completion_rate, 9) < ROUND(planned_rate, 9) AS is_lagging,
        CAST(n_regions AS INTEGER) AS n_regions
    FROM with_rates
)
SELECT * FROM final
ORDER BY
    TRY_CAST(split_part(project_code, '-', 1) AS INTEGER) NULLS LAST,
    TRY_CAST(NULLIF(split_part(project_code, '-', 2), '') AS INTEGER) NULLS FIRST,
    project_code, indicator, unit;
