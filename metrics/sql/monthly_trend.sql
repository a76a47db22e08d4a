-- 月度走势: for months 1…$month of $year, the filtered view's headline figures month by month,
-- computed exactly as for a single month: 完成率 is the mean over indicators of Σactual ÷ Σtarget
-- capped at $completion_cap; funding rates are Σ ÷ Σ; n_lagging counts region × indicator items.
-- A month without reports has NULL figures.
WITH months AS (
    SELECT CAST(range AS INTEGER) AS month FROM range(1, $month + 1)
),
progress_rows AS (
    SELECT *
    FROM v_progress
    WHERE year = $year
        AND month <= $month
        AND ($region IS NULL OR region = $region)
        AND ($department IS NULL OR department = $department)
        AND ($category IS NULL OR category = $category)
),
per_indicator AS (
    SELECT
        month,
        SUM(actual) / NULLIF(SUM(target), 0) AS completion_rate,
        AVG(planned_rate) AS planned_rate
    FROM progress_rows
    GROUP BY month, project_code, indicator, unit
),
progress_month AS (
    SELECT
        month,
        AVG(LEAST(completion_rate, $completion_cap)) AS completion_rate,
        AVG(planned_rate) AS planned_rate
    FROM per_indicator
    GROUP BY month
),
lagging_month AS (
    SELECT month, CAST(COUNT(*) FILTER (WHERE is_lagging) AS INTEGER) AS n_lagging
    FROM progress_rows
    GROUP BY month
),
funding_month AS (
    SELECT month, SUM(budget) AS budget, SUM(arrived) AS arrived, SUM(disbursed) AS disbursed
    FROM v_funding
    WHERE year = $year
        AND month <= $month
        AND ($region IS NULL OR region = $region)
        AND ($department IS NULL OR project_code IN (
            SELECT project_code FROM v_progress WHERE year = $year AND department = $department
        ))
        AND ($category IS NULL OR project_code IN (
            SELECT project_code FROM v_progress WHERE year = $year AND category = $category
        ))
    GROUP BY month
),
final AS (
    SELECT
        m.month,
        p.completion_rate,
        p.planned_rate,
        fm.arrived / NULLIF(fm.budget, 0) AS arrived_rate,             -- 到位 ÷ 计划
        fm.disbursed / NULLIF(fm.arrived, 0) AS disbursed_rate,        -- 拨付 ÷ 到位
        fm.disbursed / NULLIF(fm.budget, 0) AS disbursed_budget_rate,  -- 拨付 ÷ 计划
        l.n_lagging
    FROM months AS m
    LEFT JOIN progress_month AS p ON p.month = m.month
    LEFT JOIN lagging_month AS l ON l.month = m.month
    LEFT JOIN funding_month AS fm ON fm.month = m.month
)
SELECT * FROM final
ORDER BY month;
