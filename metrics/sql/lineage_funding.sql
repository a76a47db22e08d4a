-- 数据溯源 of one 资金 row (year, region, project_code): every row ever loaded for it, current
-- and replaced, with its file and the load that replaced it (as lineage_progress.sql).
-- department: the project's 责任单位 on its progress rows of the year, when there is one only,
-- so a 市直单位 account's reach (metrics.reach) can keep its own projects' funding rows.
WITH project_department AS (
    SELECT CASE WHEN COUNT(DISTINCT department) = 1 THEN MIN(department) END AS department
    FROM progress_report
    WHERE year = $year AND project_code = $project_code AND superseded_by IS NULL
)
SELECT
    CAST(r.year AS INTEGER) AS year,
    CAST(r.month AS INTEGER) AS month,
    r.region, r.project_code, r.project_name,
    (SELECT department FROM project_department) AS department,
    r.budget, r.arrived, r.disbursed,
    r.arrived / NULLIF(r.budget, 0) AS arrived_rate,
    r.disbursed / NULLIF(r.arrived, 0) AS disbursed_rate,
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
FROM funding_report AS r
LEFT JOIN load_log AS l ON l.load_id = r.load_id
LEFT JOIN load_log AS n ON n.load_id = r.superseded_by
WHERE r.year = $year
    AND r.region = $region
    AND r.project_code = $project_code
ORDER BY r.month, r.load_id;
