-- 预警 on a database built before v_forecast existed: forecast_rows.sql's rows, with the
-- forecast computed here by v_forecast's own rule (etl/sql/views.sql; tests check that both
-- agree). base_month: the earliest month m' loaded for the same region, project and indicator
-- with month − 3 ≤ m' < month, else 0 with rate 0; pace = (完成率 − rate at base_month) ÷
-- (month − base_month); projected_rate = 完成率 + pace × (12 − month); will_miss: projected < 1
-- at 1e-9.
WITH recent AS (
    -- only months $month − 3 … $month are needed, so the window reads a third of the year;
    -- 责任单位 and 类别 narrow the month's rows only, as they narrow v_forecast's
    SELECT *
    FROM v_progress
    WHERE year = $year
        AND month BETWEEN $month - 3 AND $month
        AND ($region IS NULL OR region = $region)
),
based AS (
    SELECT
        *,
        MIN(month) OVER earlier AS first_month,
        FIRST_VALUE(completion_rate) OVER earlier AS first_rate
    FROM recent
    WINDOW earlier AS (
        PARTITION BY region, project_code, indicator
        ORDER BY month
        RANGE BETWEEN 3 PRECEDING AND 1 PRECEDING
    )
),
paced AS (
    SELECT
        *,
        CAST(COALESCE(first_month, 0) AS INTEGER) AS base_month,
        (completion_rate - COALESCE(first_rate, 0.0)) / (month - COALESCE(first_month, 0)) AS pace
    FROM based
    WHERE month = $month
        AND ($department IS NULL OR department = $department)
        AND ($category IS NULL OR category = $category)
),
final AS (
    SELECT
        region, project_code, project_name, indicator, department, category, unit,
        target, actual, completion_rate, planned_rate, is_lagging,
        ROUND((planned_rate - completion_rate) * 100, 9) AS gap_points,
        base_month,
        ROUND(completion_rate - pace * (month - base_month), 12) AS base_rate,
        pace,
        completion_rate + pace * (12 - month) AS projected_rate,
        ROUND(completion_rate + pace * (12 - month), 9) < 1 AS will_miss
    FROM paced
)
SELECT * FROM final
ORDER BY
    TRY_CAST(split_part(project_code, '-', 1) AS INTEGER) NULLS LAST,
    TRY_CAST(NULLIF(split_part(project_code, '-', 2), '') AS INTEGER) NULLS FIRST,
    project_code, indicator, region;
