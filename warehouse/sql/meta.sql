-- Statements of the warehouse's own bookkeeping (warehouse/schema.py, warehouse/connection.py),
-- one per `-- name:` block.

-- name: has_load_log
-- Whether the file was a warehouse before this schema was applied.
SELECT count(*) > 0 FROM duckdb_tables()
WHERE database_name = current_database() AND table_name = 'load_log';

-- name: backfill_findings
-- Loads logged before load_finding existed: their printed findings split back into places, as
-- well as that form allows (a ':' inside a file or header name was ambiguous there).
INSERT INTO load_finding (load_id, seq, is_warning, file, sheet, row, col, message)
WITH printed AS (
    SELECT l.load_id, e.text, e.position AS seq, false AS is_warning
    FROM load_log AS l, unnest(l.errors) WITH ORDINALITY AS e(text, position)
    UNION ALL
    SELECT l.load_id, w.text, len(coalesce(l.errors, [])) + w.position, true
    FROM load_log AS l, unnest(l.warnings) WITH ORDINALITY AS w(text, position)
),
parts AS (
    SELECT
        *,
        -- a sheet name never holds ':' (Excel forbids it) and a row is digits or '-'; the
        -- message follows the first ': ' after them
        regexp_matches(text, '^(?:警告 )?(.*):([^:]*):([0-9]+|-):(.*?): (.*)$', 's') AS placed,
        regexp_extract(
            text, '^(?:警告 )?(.*):([^:]*):([0-9]+|-):(.*?): (.*)$',
            ['file', 'sheet', 'row', 'col', 'message'], 's'
        ) AS p
    FROM printed
    WHERE load_id NOT IN (SELECT load_id FROM load_finding)
),
final AS (
    SELECT
        load_id, CAST(seq AS INTEGER) AS seq, is_warning,
        CASE WHEN placed THEN p.file END AS file,
        CASE WHEN placed THEN nullif(p.sheet, '-') END AS sheet,
        CASE WHEN placed THEN TRY_CAST(p.row AS INTEGER) END AS row,
        CASE WHEN placed THEN nullif(p.col, '-') END AS col,
        CASE WHEN placed THEN p.message ELSE regexp_replace(text, '^警告 ', '') END AS message
    FROM parts
)
SELECT * FROM final;

-- name: view_names
-- The views the attached warehouse file itself holds (a reader adds the missing ones in memory).
SELECT view_name FROM duckdb_views() WHERE database_name = current_database();

-- name: macro_names
-- The macros (the figures' rules in views.sql) the attached file itself holds; a reader adds
-- the missing ones in memory, as it does views.
SELECT DISTINCT function_name
FROM duckdb_functions()
WHERE database_name = current_database() AND function_type IN ('macro', 'table_macro');

-- name: schema_version
-- The schema the attached file was last written with (warehouse.schema.apply_schema).
SELECT value FROM warehouse_meta WHERE key = 'schema_sha256';

-- name: record_schema_version
-- The mark apply_schema leaves: the sha256 of the schema files the file was written with.
INSERT OR REPLACE INTO warehouse_meta VALUES ('schema_sha256', ?);
