-- 数据溯源 of one 进度 item (year, region, project_code, indicator): every row ever loaded for it,
-- current and replaced, with the file it came from and, for a replaced row, the load that
-- replaced it. Reads the tables, not v_progress, so a file written before v_progress carried its
-- lineage columns is traced the same way, and replaced rows (which no view shows) are included.
SELECT
    CAST(r.year AS INTEGER) AS year,
    CAST(r.month AS INTEGER) AS month,
    r.region, r.project_code, r.project_name, r.indicator, r.unit, r.department,
    r.target, r.actual,
    r.actual / NULLIF(r.target, 0) AS completion_rate,
    r.load_id,
    l.file_name AS source_file,
    r.source_sheet,
    r.source_row,
    l.loaded_at,
    l.loaded_by,
    r.superseded_by IS NULL AS is_current,
    r.superseded_by,
    n.file_name AS replaced_by_file,
    n.loaded_at AS replaced_at,
    n.loaded_by AS replaced_by_user
FROM progress_report AS r
LEFT JOIN load_log AS l ON l.load_id = r.load_id
LEFT JOIN load_log AS n ON n.load_id = r.superseded_by
WHERE r.year = $year
    AND r.region = $region
    AND r.project_code = $project_code
    AND r.indicator = $indicator
ORDER BY r.month, r.load_id;
