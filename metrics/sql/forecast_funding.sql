-- 预警 · 资金: every filtered region × project at the month end with its 拨付占计划 (拨付 ÷ 计划,
-- v_funding.disbursed_budget_rate) projected to year end by v_forecast's rule: base_month is the
-- earliest month m' loaded for the same region and project with month − 3 ≤ m' < month, else 0
-- with rate 0; pace = (rate − rate at base_month) ÷ (month − base_month); projected_rate =
-- rate + pace × (12 − month). Rows whose 计划投入 is 0 have no rate and no forecast (NULL).
-- Funding rows carry no 责任单位/类别: a project passes those filters when its progress rows of
-- the year carry them (as funding.sql).
WITH year_progress AS (
    SELECT * FROM project_filter_flags($year, $department, $category)
),
recent AS (
    SELECT region, project_code, project_name, month, budget, disbursed,
        disbursed_budget_rate
    FROM v_funding
    WHERE year = $year
        AND month BETWEEN $month - 3 AND $month
),
based AS (
    SELECT
        *,
        MIN(month) OVER earlier AS first_month,
        FIRST_VALUE(disbursed_budget_rate) OVER earlier AS first_rate
    FROM recent
    WINDOW earlier AS (
        PARTITION BY region, project_code
        ORDER BY month
        RANGE BETWEEN 3 PRECEDING AND 1 PRECEDING
    )
),
paced AS (
    SELECT
        b.*,
        CAST(COALESCE(b.first_month, 0) AS INTEGER) AS base_month,
        (b.disbursed_budget_rate - COALESCE(b.first_rate, 0.0))
            / (b.month - COALESCE(b.first_month, 0)) AS pace
    FROM based AS b
    LEFT JOIN year_progress AS y USING (project_code)
    WHERE b.month = $month
        AND funding_passes_filters(
            b.region, y.has_department, y.has_category, $region, $department, $category
        )
),
final AS (
    SELECT
        region, project_code, project_name, budget, disbursed,
        disbursed_budget_rate, base_month,
        ROUND(disbursed_budget_rate - pace * (month - base_month), 12) AS base_rate,
        pace,
        disbursed_budget_rate + pace * (12 - month) AS projected_rate
    FROM paced
)
SELECT * FROM final
ORDER BY
    project_order(project_code), project_code, region;
