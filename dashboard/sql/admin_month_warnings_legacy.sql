-- 数据质量 from a database written before the table load_finding existed (read-only readers
-- of an old file): the printed warnings of load_log, their place split back by pattern.
-- Otherwise the same as admin_month_warnings.sql.
-- 数据质量 for one month: the warnings of the loads whose rows are current data of that month,
-- in load order and in the order the loader wrote them. A file may hold several months: a
-- warning located on a data row of another month is left out; one that names no data row
-- (row '-', a sheet without months) stays.
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
    SELECT
        l.load_id,
        w.warning,
        w.position,
        -- the place, as Finding prints it: '警告 file:sheet:row:column: message'
        -- (a sheet name never holds ':'; the message follows the first ': ' after the row)
        regexp_extract(w.warning, '^(?:警告 )?.*:([^:]*):([0-9]+|-):.*?: ', 1, 's') AS sheet,
        TRY_CAST(regexp_extract(w.warning, '^(?:警告 )?.*:([^:]*):([0-9]+|-):.*?: ', 2, 's')
            AS INTEGER) AS row_number
    FROM load_log AS l
    JOIN month_loads AS m ON m.load_id = l.load_id,
        unnest(l.warnings) WITH ORDINALITY AS w(warning, position)
    WHERE NOT l.refused AND l.undone_by IS NULL
),

final AS (
    -- the figure a warning concerns: the kind and region of its row in this month, if any
    SELECT
        w.load_id, w.warning, w.position, here.kind, here.region, here.project_code,
        here.indicator
    FROM warnings AS w
    LEFT JOIN current_rows AS here
        ON here.load_id = w.load_id AND here.source_sheet = w.sheet
        AND here.source_row = w.row_number AND here.year = $year AND here.month = $month
    WHERE w.row_number IS NULL
        OR NOT EXISTS (
            SELECT 1 FROM current_rows AS r
            WHERE r.load_id = w.load_id AND r.source_sheet = w.sheet
                AND r.source_row = w.row_number
                AND (r.year <> $year OR r.month <> $month)
        )
)

SELECT load_id, warning, kind, region, project_code, indicator FROM final
ORDER BY load_id, position
