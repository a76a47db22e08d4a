-- 数据质量 for one month: the warnings of the loads whose rows are current data of that month,
-- in load order and in the order the loader found them (load_finding.seq). A file may hold
-- several months: a warning located on a data row of another month is left out; one that
-- names no data row (no row, a sheet without months) stays.
WITH current_rows AS (
    SELECT
        'progress' AS kind, load_id, year, month, region, source_sheet, source_row,
        project_code, indicator
    FROM progress_report WHERE superseded_by IS NULL
    UNION ALL
    SELECT
        'funding' AS kind, load_id, year, month, region, source_sheet, source_row,
        project_code, CAST(NULL AS VARCHAR) AS indicator
    FROM funding_report WHERE superseded_by IS NULL
),

month_loads AS (
    SELECT DISTINCT load_id FROM current_rows WHERE year = $year AND month = $month
),

warnings AS (
    SELECT f.load_id, f.seq, f.file, f.sheet, f.row, f.col, f.message
    FROM load_finding AS f
    JOIN month_loads AS m ON m.load_id = f.load_id
    JOIN load_log AS l ON l.load_id = f.load_id
    WHERE f.is_warning AND NOT l.refused AND l.undone_by IS NULL
),

final AS (
    -- the figure a warning concerns: the kind and region of its row in this month, if any
    SELECT w.*, here.kind, here.region, here.project_code, here.indicator
    FROM warnings AS w
    LEFT JOIN current_rows AS here
        ON here.load_id = w.load_id AND here.source_sheet = w.sheet
        AND here.source_row = w.row AND here.year = $year AND here.month = $month
    WHERE w.row IS NULL
        OR NOT EXISTS (
            SELECT 1 FROM current_rows AS r
            WHERE r.load_id = w.load_id AND r.source_sheet = w.sheet
                AND r.source_row = w.row
                AND (r.year <> $year OR r.month <> $month)
        )
)

-- '' for a place that does not apply (as the loader's Finding has it)
SELECT
    load_id, file, coalesce(sheet, '') AS sheet, row, coalesce(col, '') AS col, message,
    kind, region, project_code, indicator
FROM final
ORDER BY load_id, seq
