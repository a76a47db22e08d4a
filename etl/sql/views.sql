-- The public views of data contract §3. Column names and order are a fixed interface:
-- add columns at the end only. Rates are fractions; money is 万元.

-- v_progress: one row per year, month, region, project, indicator.
CREATE OR REPLACE VIEW v_progress AS
WITH current_rows AS (
    SELECT * FROM progress_report WHERE superseded_by IS NULL
),
project_plan AS (
    SELECT year, project_code, month, planned_rate
    FROM schedule_plan
    WHERE superseded_by IS NULL AND project_code IS NOT NULL
),
category_plan AS (
    SELECT year, category, month, planned_rate
    FROM schedule_plan
    WHERE superseded_by IS NULL AND project_code IS NULL AND category IS NOT NULL
),
with_plan AS (
    -- 序时进度: the project's plan, else its 类别's plan, else month / 12.
    SELECT
        r.*,
        r.actual / r.target AS completion_rate,
        COALESCE(pp.planned_rate, cp.planned_rate, r.month / 12.0) AS planned_rate
    FROM current_rows AS r
    LEFT JOIN project_plan AS pp
        ON pp.year = r.year AND pp.project_code = r.project_code AND pp.month = r.month
    LEFT JOIN category_plan AS cp
        ON cp.year = r.year AND cp.category = r.category AND cp.month = r.month
),
final AS (
    SELECT
        CAST(year AS INTEGER) AS year,
        CAST(month AS INTEGER) AS month,
        region, project_code, project_name, department, category, indicator, unit,
        target, actual, completion_rate, planned_rate,
        completion_rate - planned_rate AS gap,
        -- compared at 1e-9 so that 6/12 and a published 50% are the same schedule
        ROUND(completion_rate, 9) < ROUND(planned_rate, 9) AS is_lagging
    FROM with_plan
)
SELECT * FROM final;

-- v_funding: one row per year, month, region, project. A rate over 0 or NULL is NULL.
CREATE OR REPLACE VIEW v_funding AS
WITH current_rows AS (
    SELECT * FROM funding_report WHERE superseded_by IS NULL
),
final AS (
    SELECT
        CAST(year AS INTEGER) AS year,
        CAST(month AS INTEGER) AS month,
        region, project_code, project_name,
        budget, arrived, disbursed,
        arrived / NULLIF(budget, 0) AS arrived_rate,             -- 到位率 = 到位 ÷ 计划
        disbursed / NULLIF(arrived, 0) AS disbursed_rate,        -- 拨付率 = 拨付 ÷ 到位
        disbursed / NULLIF(budget, 0) AS disbursed_budget_rate   -- 拨付 ÷ 计划
    FROM current_rows
)
SELECT * FROM final;

-- v_scores: one row per year, month, unit_type, unit. Ranks compare scores rounded to 3
-- decimals (the 考评 sheets' precision), so 1.35 + 0.05 ties 1.4; ties share 1, 1, 3.
CREATE OR REPLACE VIEW v_scores AS
WITH current_rows AS (
    SELECT year, month, unit_type, unit, base_score + COALESCE(adjustment, 0) AS score
    FROM score_report
    WHERE superseded_by IS NULL
),
with_cumulative AS (
    SELECT
        *,
        SUM(score) OVER (
            PARTITION BY year, unit_type, unit ORDER BY month
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS cumulative_score
    FROM current_rows
),
final AS (
    SELECT
        CAST(year AS INTEGER) AS year,
        CAST(month AS INTEGER) AS month,
        unit_type, unit, score, cumulative_score,
        CAST(RANK() OVER (
            PARTITION BY year, month, unit_type ORDER BY ROUND(score, 3) DESC
        ) AS INTEGER) AS rank,
        CAST(RANK() OVER (
            PARTITION BY year, month, unit_type ORDER BY ROUND(cumulative_score, 3) DESC
        ) AS INTEGER) AS cumulative_rank
    FROM with_cumulative
)
SELECT * FROM final;
