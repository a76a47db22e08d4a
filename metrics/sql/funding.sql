-- 资金: funding at the month end summed at every level in one pass — region × project,
-- project (all regions), region (all projects) and the total — with the three rates.
-- Money is 万元. A rate whose denominator is 0 or missing is NULL, as in v_funding.
-- Funding rows carry no 责任单位/类别: a project passes the department or category filter when
-- its progress rows of the year carry that department or category (funding_passes_filters).
-- 序时进度: per project by the rule of views.sql (planned_rate_of, through v_project_plan); a
-- group of rows (a project over counties, a county over projects, 全市) weights it by 计划投入,
-- as views.sql documents; tests/metrics/test_metrics_funding.py pins both.
WITH year_progress AS MATERIALIZED (
    SELECT project_code, department, category
    FROM v_progress
    WHERE year = $year
),
category_counts AS (
    SELECT project_code, category, count(*) AS n
    FROM year_progress
    GROUP BY ALL
),
project_category AS (
    -- the 类别 most of the project's rows carry (a project may mix 工程类 and 培训类 rows)
    SELECT project_code, first(category ORDER BY n DESC, category) AS category
    FROM category_counts
    GROUP BY project_code
),
project_attrs AS (
    SELECT
        y.project_code,
        string_agg(DISTINCT y.department, '、' ORDER BY y.department) AS department,
        any_value(c.category) AS category
    FROM year_progress AS y
    JOIN project_category AS c USING (project_code)
    GROUP BY y.project_code
),
project_plan AS (
    -- 序时进度 by the contract's rule (v_project_plan): the project's plan, else its 类别's,
    -- else month / 12; a project whose rows carry several 类别 averages their plans
    SELECT project_code, AVG(planned_rate) AS planned_rate
    FROM v_project_plan
    WHERE year = $year AND month = $month
    GROUP BY project_code
),
funding_rows AS (
    SELECT
        f.region, f.project_code, f.project_name, f.budget, f.arrived, f.disbursed,
        -- a project on no progress row nor plan of the year: the rule's last step, month / 12
        planned_rate_of(pl.planned_rate, NULL, $month) AS planned_rate
    FROM v_funding AS f
    LEFT JOIN project_plan AS pl ON pl.project_code = f.project_code
    LEFT JOIN project_filter_flags($year, $department, $category) AS ff
        ON ff.project_code = f.project_code
    WHERE f.year = $year
        AND f.month = $month
        AND funding_passes_filters(
            f.region, ff.has_department, ff.has_category, $region, $department, $category
        )
),
grouped AS (
    SELECT
        CAST(GROUPING(region) AS BOOLEAN) AS all_regions,
        CAST(GROUPING(project_code) AS BOOLEAN) AS all_projects,
        region,
        project_code,
        MIN(project_name) AS project_name,
        SUM(budget) AS budget,          -- 计划投入, 万元
        SUM(arrived) AS arrived,        -- 到位资金, 万元
        SUM(disbursed) AS disbursed,    -- 拨付资金, 万元
        -- 序时进度 of a group, weighted by budget: the share of its planned funds due by now
        COALESCE(rate_of(SUM(budget * planned_rate), SUM(budget)), AVG(planned_rate))
            AS planned_rate,
        -- one funding row per region × project, so a count of rows counts regions (per
        -- project) or projects (per region); COUNT(DISTINCT) would multiply the grouping work
        CAST(COUNT(*) AS INTEGER) AS n_rows
    FROM funding_rows
    GROUP BY GROUPING SETS ((region, project_code), (project_code), (region), ())
),
final AS (
    SELECT
        g.all_regions, g.all_projects, g.region, g.project_code, g.project_name,
        a.department, a.category,
        g.budget, g.arrived, g.disbursed,
        rate_of(g.arrived, g.budget) AS arrived_rate,             -- 到位率 = 到位 ÷ 计划
        rate_of(g.disbursed, g.arrived) AS disbursed_rate,        -- 拨付率 = 拨付 ÷ 到位
        rate_of(g.disbursed, g.budget) AS disbursed_budget_rate,  -- 拨付 ÷ 计划
        g.planned_rate,
        CAST(CASE WHEN g.all_projects THEN NULL ELSE g.n_rows END AS INTEGER) AS n_regions,
        CAST(CASE WHEN g.all_regions THEN NULL ELSE g.n_rows END AS INTEGER) AS n_projects,
        g.n_rows
    FROM grouped AS g
    LEFT JOIN project_attrs AS a ON a.project_code = g.project_code
)
SELECT * FROM final
ORDER BY
    all_regions, all_projects, region,
    project_order(project_code), project_code;
