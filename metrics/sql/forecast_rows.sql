-- 预警: every filtered region × indicator row at the month end with its year-end forecast from
-- v_forecast (data contract §4), and the figures a clerk checks it with: 年度目标, 累计完成, the
-- 完成率 at base_month (completion_rate − pace × (month − base_month); 0 when base_month is 0).
WITH final AS (
    SELECT
        f.region, f.project_code, f.project_name, f.indicator, f.department, f.category, f.unit,
        p.target, p.actual, f.completion_rate, f.planned_rate, p.is_lagging,
        -- percentage points behind 序时进度, positive when lagging (as region_items.sql)
        gap_points(f.completion_rate, f.planned_rate) AS gap_points,
        f.base_month,
        ROUND(f.completion_rate - f.pace * (f.month - f.base_month), 12) AS base_rate,
        f.pace, f.projected_rate, f.will_miss
    FROM v_forecast AS f
    JOIN v_progress AS p USING (year, month, region, project_code, indicator)
    WHERE f.year = $year
        AND f.month = $month
        AND passes_filters(f.region, f.department, f.category, $region, $department, $category)
)
SELECT * FROM final
ORDER BY
    project_order(project_code), project_code, indicator, region;
