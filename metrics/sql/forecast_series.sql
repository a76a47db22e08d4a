-- 预警 chart: one indicator (project, indicator, unit) over months 1–12 of the year, summed over
-- the filtered regions ($region: one county on drill-down): 完成率 = Σ累计完成 ÷ Σ年度目标 for
-- months 1…$month that have reports (NULL otherwise), and the 序时进度 of every month by the
-- contract's rule (v_project_plan: the project's plan, else its 类别's, else month / 12).
WITH rows AS (
    SELECT month, region, category, target, actual
    FROM v_progress
    WHERE year = $year
        AND month <= $month
        AND project_code = $project_code
        AND indicator = $indicator
        AND unit IS NOT DISTINCT FROM $unit
        AND passes_filters(region, department, category, $region, $department, $category)
),
actuals AS (
    SELECT
        month,
        rate_of(SUM(actual), SUM(target)) AS completion_rate,  -- 完成率, fraction
        SUM(target) AS target,
        SUM(actual) AS actual,
        CAST(COUNT(DISTINCT region) AS INTEGER) AS n_regions
    FROM rows
    GROUP BY month
),
categories AS (
    SELECT DISTINCT category FROM rows
),
plan AS (
    SELECT p.month, AVG(p.planned_rate) AS planned_rate
    FROM v_project_plan AS p
    JOIN categories AS c ON c.category IS NOT DISTINCT FROM p.category
    WHERE p.year = $year AND p.project_code = $project_code
    GROUP BY p.month
),
months AS (
    SELECT CAST(range AS INTEGER) AS month FROM range(1, 13)
),
final AS (
    SELECT
        m.month,
        a.completion_rate,
        planned_rate_of(p.planned_rate, NULL, m.month) AS planned_rate,
        a.target,
        a.actual,
        COALESCE(a.n_regions, 0) AS n_regions
    FROM months AS m
    LEFT JOIN actuals AS a USING (month)
    LEFT JOIN plan AS p USING (month)
)
SELECT * FROM final ORDER BY month;
