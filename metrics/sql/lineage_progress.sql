-- 数据溯源 of one 进度 item (year, region, project_code, indicator): every row ever loaded for it,
-- current and replaced, with the file it came from and, for a replaced row, the load that
-- replaced it (with_lineage, views.sql). 完成率 is a fraction.
WITH item_rows AS (
    SELECT *
    FROM with_lineage('progress_report', $year, $region, $project_code)
    WHERE indicator = $indicator
),
final AS (
    SELECT
        CAST(year AS INTEGER) AS year,
        CAST(month AS INTEGER) AS month,
        region, project_code, project_name, indicator, unit, department,
        target, actual,
        rate_of(actual, target) AS completion_rate,
        load_id, source_file, source_sheet, source_row, loaded_at, loaded_by,
        is_current, superseded_by, replaced_by_file, replaced_at, replaced_by_user
    FROM item_rows
)
SELECT * FROM final
ORDER BY month, load_id;
