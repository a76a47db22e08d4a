-- 预警: every filtered region × indicator row at the month end with its year-end forecast from
-- v_forecast (data contract §4), and the figures a clerk checks it with: 年度目标, 累计完成, the
-- 完成率 at base_month (completion_rate − pace × (month − base_month); 0 when base_month is 0).
WITH final AS (
    SELECT
        f.region, f.project_code, f.project_name, f.indicator, f.department, f.category, f.unit,
        p.target, p.actual, f.completion_rate, f.planned_rate, p.is_lagging,
        -- percentage points behind 序时进度, positive when lagging (as region_items.sql)
        ROUND((f.planned_rate - f.completion_rate) * 100, 9) AS gap_points,
        f.base_month,
        ROUND(f.completion_rate - f.pace * (f.month - f.base_month), 12) AS base_rate,
        f.pace, f.projected_rate, f.will_miss
    FROM v_forecast AS f
    JOIN v_progress AS p USING (year, month, region, project_code, indicator)
    WHERE f.year = $year
        AND f.month = $month
        AND ($region IS NULL OR f.region = $region)
        AND ($department IS NULL OR f.department = $department)
        AND ($category IS NULL OR f.category = $category)
)
SELECT * FROM final
ORDER BY
    TRY_CAST(split_part(project_code, '-', 1) AS INTEGER) NULLS LAST,
    TRY_CAST(NULLIF(split_part(project_code, '-', 2), '') AS INTEGER) NULLS FIRST,
    project_code, indicator, region;
