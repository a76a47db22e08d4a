-- 数据质量 for one month: the warnings of the loads whose rows are current data of that month,
-- in load order and in the order the loader found them. A file may hold several months: a
-- warning located on a data row of another month is left out; one that names no data row (no
-- row, a sheet without months) stays.
-- The warnings come from load_finding (`stored`), or, in a database written before that table
-- existed (read-only readers of an old file), from load_log's printed lines (`printed`), their
-- place split back by pattern. metrics.admin.month_findings puts one query together as
--   WITH month_rows, <stored | printed>, concerns <stored_select | printed_select>.

-- name: month_rows
current_rows AS (
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
)

-- name: stored
-- in the order the loader found them (load_finding.seq)
warnings AS (
    SELECT f.load_id, f.seq, f.file, f.sheet, f.row, f.col, f.message
    FROM load_finding AS f
    JOIN month_loads AS m ON m.load_id = f.load_id
    JOIN load_log AS l ON l.load_id = f.load_id
    WHERE f.is_warning AND NOT l.refused AND l.undone_by IS NULL
)

-- name: printed
-- in the order the loader wrote them; no row is row '-'
warnings AS (
    SELECT
        l.load_id,
        w.position AS seq,
        w.warning,
        -- the place, as Finding prints it: '警告 file:sheet:row:column: message'
        -- (a sheet name never holds ':'; the message follows the first ': ' after the row)
        regexp_extract(w.warning, '^(?:警告 )?.*:([^:]*):([0-9]+|-):.*?: ', 1, 's') AS sheet,
        TRY_CAST(regexp_extract(w.warning, '^(?:警告 )?.*:([^:]*):([0-9]+|-):.*?: ', 2, 's')
            AS INTEGER) AS row
    FROM load_log AS l
    JOIN month_loads AS m ON m.load_id = l.load_id,
        unnest(l.warnings) WITH ORDINALITY AS w(warning, position)
    WHERE NOT l.refused AND l.undone_by IS NULL
)

-- name: concerns
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

-- name: stored_select
-- '' for a place that does not apply (as the loader's Finding has it)
SELECT
    load_id, file, coalesce(sheet, '') AS sheet, row, coalesce(col, '') AS col, message,
    kind, region, project_code, indicator
FROM final
ORDER BY load_id, seq

-- name: printed_select
SELECT load_id, warning, kind, region, project_code, indicator FROM final
ORDER BY load_id, seq
