-- 指标进度: one row per indicator (project, indicator, unit) at the month end, summed over the
-- filtered regions. Totals are Σ累计完成 ÷ Σ年度目标, never a mean of rates; an indicator reported
-- in different units keeps one row per unit, so figures in different units are never added.
WITH filtered AS (
    SELECT *
    FROM v_progress
    WHERE year = $year
        AND month = $month
        AND passes_filters(region, department, category, $region, $department, $category)
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
    SELECT *, rate_of(actual, target) AS completion_rate  -- 完成率, fraction
    FROM per_indicator
),
final AS (
    SELECT
        project_code, project_name, indicator, unit, category, department,
        target, actual, completion_rate, planned_rate,
        completion_rate - planned_rate AS gap,
        is_behind(completion_rate, planned_rate) AS is_lagging,  -- 滞后, as v_progress
        CAST(n_regions AS INTEGER) AS n_regions
    FROM with_rates
)
SELECT * FROM final
ORDER BY
    project_order(project_code), project_code, indicator, unit;
