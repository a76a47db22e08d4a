-- The public views of data contract §3. Column names and order are a fixed interface:
-- add columns at the end only. Rates are fractions (0–1); money is 万元.

-- The figures' rules, each written once here and used by these views and by the metrics
-- queries (metrics/sql/). Macros come first: the views below call them.

-- 序时进度 (fraction 0–1): the project's plan, else its 类别's plan, else month / 12.
-- Over several rows it is aggregated one way per kind of figure:
--   progress (指标/项目进度, 总览, 月度走势, 预警): the plain mean of the rows' 序时进度 — every
--     region's row of an indicator carries its project's one plan, so the mean is that plan;
--     a project's rows of several 类别 (v_project_plan) average those 类别 plans;
--   money (资金, metrics/sql/funding.sql): the mean weighted by 计划投入, i.e. the share of
--     the group's planned funds due by the month end (the plain mean when no budget). So
--     资金 · 按县区 gives each county the 序时进度 of its own mix of projects.
CREATE OR REPLACE MACRO planned_rate_of(project_plan, category_plan, month) AS
    COALESCE(project_plan, category_plan, month / 12.0);

-- 滞后: rate < planned, compared at 1e-9 so that 6/12 and a published 50% are the same schedule
-- (also 未完成 at year end: is_behind(projected_rate, 1)).
CREATE OR REPLACE MACRO is_behind(rate, planned) AS
    ROUND(rate, 9) < ROUND(planned, 9);

-- A rate as a fraction: part ÷ whole, NULL when whole is 0 or missing. 到位率 = 到位 ÷ 计划,
-- 拨付率 = 拨付 ÷ 到位, 拨付占计划 = 拨付 ÷ 计划, 完成率 = 累计完成 ÷ 年度目标 (over sums too).
CREATE OR REPLACE MACRO rate_of(part, whole) AS
    part / NULLIF(whole, 0);

-- 得分 and 进度指数 are ranked on this key, DESC NULLS LAST: the 考评 sheets' precision (3 decimals,
-- half away from zero), so 1.35 + 0.05 ties 1.4; a score that is not a number ranks last.
CREATE OR REPLACE MACRO score_key(score) AS
    ROUND(NULLIF(score, CAST('NaN' AS DOUBLE)), 3);

-- 项目编号 in natural order: "2" < "2-1" < "10", parts split at - － or . ("12.1" is 12-1), a part
-- that is not a number after those that are, a code that is not a number last.
-- ORDER BY project_order(project_code), project_code. Its in-memory twin, for frames already
-- fetched: metrics.format.project_sort_key (a test compares the two).
CREATE OR REPLACE MACRO project_order(code) AS {
    'major': COALESCE(TRY_CAST(regexp_split_to_array(code, '[-－.]')[1] AS INTEGER),
                      CAST(2147483648 AS BIGINT)),
    'minor': CASE WHEN COALESCE(regexp_split_to_array(code, '[-－.]')[2], '') = '' THEN -1
                  ELSE COALESCE(TRY_CAST(regexp_split_to_array(code, '[-－.]')[2] AS INTEGER),
                                CAST(2147483648 AS BIGINT)) END
};

-- The pages' filters: a row passes when each of 地区/责任单位/类别 is not chosen (NULL) or equal.
-- Called as passes_filters(region, department, category, $region, $department, $category).
CREATE OR REPLACE MACRO passes_filters(
    region, department, category, chosen_region, chosen_department, chosen_category
) AS
    (chosen_region IS NULL OR region = chosen_region)
    AND (chosen_department IS NULL OR department = chosen_department)
    AND (chosen_category IS NULL OR category = chosen_category);

-- The same filters on a funding row, which carries no 责任单位/类别: its project passes those
-- when the project's progress rows of the year carry them (has_department, has_category: NULL
-- when the project has no progress rows that year).
CREATE OR REPLACE MACRO funding_passes_filters(
    region, has_department, has_category, chosen_region, chosen_department, chosen_category
) AS
    (chosen_region IS NULL OR region = chosen_region)
    AND (chosen_department IS NULL OR COALESCE(has_department, FALSE))
    AND (chosen_category IS NULL OR COALESCE(has_category, FALSE));

-- 差距 in percentage points behind 序时进度, positive when lagging (程度 is judged on it).
CREATE OR REPLACE MACRO gap_points(rate, planned) AS
    ROUND((planned - rate) * 100, 9);

-- 数据溯源: every row ever loaded into a report table ('progress_report', 'funding_report') for
-- one year, region and project, current and replaced, with the file it came from and, for a
-- replaced row, the load that replaced it. Reads the tables, not the views, so replaced rows
-- (which no view shows) and a file written before the views carried lineage columns are
-- traced the same way.
CREATE OR REPLACE MACRO with_lineage(report_table, for_year, for_region, for_project) AS TABLE
    SELECT
        r.*,
        l.file_name AS source_file,
        l.loaded_at,
        l.loaded_by,
        r.superseded_by IS NULL AS is_current,
        n.file_name AS replaced_by_file,
        n.loaded_at AS replaced_at,
        n.loaded_by AS replaced_by_user
    FROM query_table(report_table) AS r
    LEFT JOIN load_log AS l ON l.load_id = r.load_id
    LEFT JOIN load_log AS n ON n.load_id = r.superseded_by
    WHERE r.year = for_year AND r.region = for_region AND r.project_code = for_project;

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
    SELECT
        r.*,
        r.actual / r.target AS completion_rate,  -- 完成率; the loader refuses a target of 0
        planned_rate_of(pp.planned_rate, cp.planned_rate, r.month) AS planned_rate
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
        is_behind(completion_rate, planned_rate) AS is_lagging,
        -- lineage (added at the end): the file, sheet and row this figure was loaded from
        w.load_id, l.file_name AS source_file, w.source_sheet, w.source_row,
        l.loaded_at, l.loaded_by
    FROM with_plan AS w
    LEFT JOIN load_log AS l ON l.load_id = w.load_id
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
        rate_of(arrived, budget) AS arrived_rate,             -- 到位率 = 到位 ÷ 计划
        rate_of(disbursed, arrived) AS disbursed_rate,        -- 拨付率 = 拨付 ÷ 到位
        rate_of(disbursed, budget) AS disbursed_budget_rate,  -- 拨付 ÷ 计划
        -- lineage (added at the end): the file, sheet and row this figure was loaded from
        r.load_id, l.file_name AS source_file, r.source_sheet, r.source_row,
        l.loaded_at, l.loaded_by
    FROM current_rows AS r
    LEFT JOIN load_log AS l ON l.load_id = r.load_id
)
SELECT * FROM final;

-- v_scores: one row per year, month, unit_type, unit. Ranks compare scores rounded to 3
-- decimals (the 考评 sheets' precision), so 1.35 + 0.05 ties 1.4; ties share 1, 1, 3.
CREATE OR REPLACE VIEW v_scores AS
WITH current_rows AS (
    SELECT
        year, month, unit_type, unit, base_score + COALESCE(adjustment, 0) AS score,
        load_id, source_sheet, source_row
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
            PARTITION BY year, month, unit_type ORDER BY score_key(score) DESC NULLS LAST
        ) AS INTEGER) AS rank,
        CAST(RANK() OVER (
            PARTITION BY year, month, unit_type ORDER BY score_key(cumulative_score) DESC NULLS LAST
        ) AS INTEGER) AS cumulative_rank,
        -- lineage (added at the end): the file, sheet and row this score was loaded from
        c.load_id, l.file_name AS source_file, c.source_sheet, c.source_row,
        l.loaded_at, l.loaded_by
    FROM with_cumulative AS c
    LEFT JOIN load_log AS l ON l.load_id = c.load_id
)
SELECT * FROM final;

-- Views after this line are not part of the contract: the project's own, free to change.

-- has_department / has_category of funding_passes_filters (top of this file): per project of a year, whether any
-- of its progress rows carries the chosen 责任单位 / 类别. After v_progress,
-- which it reads.
CREATE OR REPLACE MACRO project_filter_flags(for_year, chosen_department, chosen_category)
AS TABLE
    SELECT
        project_code,
        bool_or(department = chosen_department) AS has_department,
        bool_or(category = chosen_category) AS has_category
    FROM v_progress
    WHERE year = for_year
    GROUP BY project_code;

-- v_project_plan: the 序时进度 of a project in each month of a year, by the contract's rule
-- (the project's plan, else the plan of its 类别, else month / 12), so readers that work per
-- project (资金) apply the same rule as v_progress does per indicator row. One row per year,
-- month (1–12), project_code and category for every project and 类别 on the year's current
-- progress rows, in every month; a project with a plan of its own but no progress rows that year
-- has category NULL. v_progress.planned_rate equals planned_rate here on (year, month,
-- project_code, category) (tests/metrics/test_metrics_funding.py checks it).
CREATE OR REPLACE VIEW v_project_plan AS
WITH current_plans AS (
    SELECT year, project_code, category, month, planned_rate
    FROM schedule_plan
    WHERE superseded_by IS NULL
),
project_categories AS (
    SELECT DISTINCT year, project_code, category
    FROM progress_report
    WHERE superseded_by IS NULL
),
planned_only AS (
    SELECT DISTINCT p.year, p.project_code, CAST(NULL AS VARCHAR) AS category
    FROM current_plans AS p
    WHERE p.project_code IS NOT NULL
        AND NOT EXISTS (
            SELECT 1 FROM project_categories AS c
            WHERE c.year = p.year AND c.project_code = p.project_code
        )
),
projects AS (
    SELECT * FROM project_categories
    UNION ALL
    SELECT * FROM planned_only
),
months AS (
    SELECT CAST(range AS INTEGER) AS month FROM range(1, 13)
),
final AS (
    SELECT
        CAST(p.year AS INTEGER) AS year,
        m.month,
        p.project_code,
        p.category,
        planned_rate_of(pp.planned_rate, cp.planned_rate, m.month) AS planned_rate
    FROM projects AS p
    CROSS JOIN months AS m
    LEFT JOIN current_plans AS pp
        ON pp.project_code IS NOT NULL AND pp.year = p.year
        AND pp.project_code = p.project_code AND pp.month = m.month
    LEFT JOIN current_plans AS cp
        ON cp.project_code IS NULL AND cp.year = p.year
        AND cp.category = p.category AND cp.month = m.month
)
SELECT * FROM final;

-- v_forecast (data contract §4, part of the contract although it comes after the line above:
-- views are appended): one row per v_progress row, the year-end forecast at the recent pace.
-- base_month is the earliest month m' loaded for the same year, region, project_code and
-- indicator with month - 3 <= m' < month (a RANGE frame over the loaded months, so a gap in the
-- months is skipped, not filled), else 0 with rate 0 (the start of the year).
-- pace = (completion_rate - rate at base_month) / (month - base_month), a fraction per month;
-- projected_rate = completion_rate + pace * (12 - month), so completion_rate itself in month 12.
-- will_miss compares projected_rate < 1 at 1e-9, as v_progress compares is_lagging, so that a
-- projection of exactly 100% computed as 0.9999999999999999 (0.6 of 3 in April after 0 in
-- February: 20% + 10% × 8) is not a miss.
CREATE OR REPLACE VIEW v_forecast AS
WITH based AS (
    SELECT
        year, month, region, project_code, project_name, department, category, indicator, unit,
        completion_rate, planned_rate,
        MIN(month) OVER earlier AS base_month,
        FIRST_VALUE(completion_rate) OVER earlier AS base_rate
    FROM v_progress
    WINDOW earlier AS (
        PARTITION BY year, region, project_code, indicator
        ORDER BY month
        RANGE BETWEEN 3 PRECEDING AND 1 PRECEDING
    )
),
paced AS (
    SELECT
        * EXCLUDE (base_month, base_rate),
        CAST(COALESCE(base_month, 0) AS INTEGER) AS base_month,
        (completion_rate - COALESCE(base_rate, 0.0)) / (month - COALESCE(base_month, 0)) AS pace
    FROM based
),
final AS (
    SELECT
        year, month, region, project_code, project_name, department, category, indicator, unit,
        completion_rate, planned_rate, base_month, pace,
        completion_rate + pace * (12 - month) AS projected_rate,
        is_behind(completion_rate + pace * (12 - month), 1) AS will_miss
    FROM paced
)
SELECT * FROM final;
