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
        AND passes_filters(region, department, category, $region, $department, $category)
),
per_indicator AS (
    SELECT
        month,
        rate_of(SUM(actual), SUM(target)) AS completion_rate,  -- 完成率, fraction
        AVG(planned_rate) AS planned_rate  -- 序时进度: one plan per project, equal across regions
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
project_flags AS (
    -- funding rows carry no 责任单位/类别: their project's progress rows of the year do
    SELECT * FROM project_filter_flags($year, $department, $category)
),
funding_month AS (
    SELECT
        f.month,
        SUM(f.budget) AS budget,        -- 计划投入, 万元
        SUM(f.arrived) AS arrived,      -- 到位资金, 万元
        SUM(f.disbursed) AS disbursed   -- 拨付资金, 万元
    FROM v_funding AS f
    LEFT JOIN project_flags AS y USING (project_code)
    WHERE f.year = $year
        AND f.month <= $month
        AND funding_passes_filters(
            f.region, y.has_department, y.has_category, $region, $department, $category
        )
    GROUP BY f.month
),
final AS (
    SELECT
        m.month,
        p.completion_rate,
        p.planned_rate,
        rate_of(fm.arrived, fm.budget) AS arrived_rate,             -- 到位率 = 到位 ÷ 计划
        rate_of(fm.disbursed, fm.arrived) AS disbursed_rate,        -- 拨付率 = 拨付 ÷ 到位
        rate_of(fm.disbursed, fm.budget) AS disbursed_budget_rate,  -- 拨付 ÷ 计划
        l.n_lagging
    FROM months AS m
    LEFT JOIN progress_month AS p ON p.month = m.month
    LEFT JOIN lagging_month AS l ON l.month = m.month
    LEFT JOIN funding_month AS fm ON fm.month = m.month
)
SELECT * FROM final
ORDER BY month;
