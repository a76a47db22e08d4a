-- 地区×指标: every filtered region's indicator rows at the month end, with the city average of
-- the same indicator and how many months in a row the item has been lagging.
-- $project_code (NULL = all) narrows to one project; $only_lagging keeps the lagging rows only.
WITH month_rows AS (
    SELECT * FROM v_progress WHERE year = $year AND month = $month
),
city AS (
    -- 全市平均进度 of an indicator: Σ over all regions (whatever the region filter), same unit only
    SELECT
        project_code, indicator, unit,
        rate_of(SUM(actual), SUM(target)) AS city_average_rate,  -- fraction
        CAST(COUNT(*) AS INTEGER) AS n_regions_reporting
    FROM month_rows
    GROUP BY project_code, indicator, unit
),
filtered AS (
    SELECT *
    FROM month_rows
    WHERE passes_filters(region, department, category, $region, $department, $category)
        AND ($project_code IS NULL OR project_code = $project_code)
        AND (NOT $only_lagging OR is_lagging)
),
history AS (
    SELECT
        region, project_code, indicator, month, is_lagging,
        ROW_NUMBER() OVER (
            PARTITION BY region, project_code, indicator ORDER BY month DESC
        ) AS rn
    FROM v_progress
    WHERE year = $year
        AND month <= $month
        AND ($region IS NULL OR region = $region)
        AND ($project_code IS NULL OR project_code = $project_code)
),
streak AS (
    -- 连续滞后月数: months counted back from $month while the item was reported and lagging;
    -- a month without a report, or on schedule, ends the count (the rn-th latest row must be
    -- month $month - rn + 1).
    SELECT
        region, project_code, indicator,
        COALESCE(
            MIN(rn) FILTER (WHERE NOT is_lagging OR month <> $month - rn + 1) - 1,
            COUNT(*)
        ) AS months_behind
    FROM history
    GROUP BY region, project_code, indicator
),
final AS (
    SELECT
        f.region, f.project_code, f.project_name, f.indicator, f.unit, f.category, f.department,
        f.target, f.actual, f.completion_rate, f.planned_rate, f.gap, f.is_lagging,
        -- percentage points behind 序时进度, positive when lagging
        gap_points(f.completion_rate, f.planned_rate) AS gap_points,
        CAST(COALESCE(s.months_behind, 0) AS INTEGER) AS months_behind,
        c.city_average_rate,
        is_behind(f.completion_rate, c.city_average_rate) AS below_city_average,
        c.n_regions_reporting
    FROM filtered AS f
    JOIN city AS c
        ON c.project_code = f.project_code
        AND c.indicator = f.indicator
        AND c.unit IS NOT DISTINCT FROM f.unit
    LEFT JOIN streak AS s
        ON s.region = f.region AND s.project_code = f.project_code AND s.indicator = f.indicator
)
SELECT * FROM final
ORDER BY
    project_order(project_code), project_code, indicator, region;
