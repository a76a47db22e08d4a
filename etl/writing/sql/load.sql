-- Statements of the write path (etl/writing/warehouse.py, etl/writing/load_log.py), one per `-- name:` block.
-- The parsed file's frames are registered as incoming_progress, incoming_funding,
-- incoming_scores and incoming_schedules; values reach SQL as $parameters only.

-- name: file_keys
-- The keys a file is the authority for (data contract §2), for the supersede statements.
CREATE OR REPLACE TEMP TABLE progress_keys AS
SELECT DISTINCT CAST(year AS INTEGER) AS year, CAST(month AS INTEGER) AS month, region
FROM incoming_progress;
CREATE OR REPLACE TEMP TABLE funding_keys AS
SELECT DISTINCT CAST(year AS INTEGER) AS year, CAST(month AS INTEGER) AS month, region
FROM incoming_funding;
CREATE OR REPLACE TEMP TABLE score_keys AS
SELECT DISTINCT CAST(year AS INTEGER) AS year, CAST(month AS INTEGER) AS month, unit_type, unit
FROM incoming_scores;
-- a plan is keyed by its project, or by its 类别 where it has no project
CREATE OR REPLACE TEMP TABLE schedule_keys AS
SELECT DISTINCT
    CAST(year AS INTEGER) AS year,
    project_code,
    CASE WHEN project_code IS NULL THEN category END AS category
FROM incoming_schedules;

-- name: current_owners
-- Loads that own current rows of the file's keys, with their content hash. The keys are worked
-- out inline (same definitions as file_keys): the usual new month owns nothing, and then the
-- key tables, the supersede statements and replaced_groups are not needed at all.
WITH progress_keys AS (
    SELECT DISTINCT CAST(year AS INTEGER) AS year, CAST(month AS INTEGER) AS month, region
    FROM incoming_progress
),
funding_keys AS (
    SELECT DISTINCT CAST(year AS INTEGER) AS year, CAST(month AS INTEGER) AS month, region
    FROM incoming_funding
),
score_keys AS (
    SELECT DISTINCT
        CAST(year AS INTEGER) AS year, CAST(month AS INTEGER) AS month, unit_type, unit
    FROM incoming_scores
),
schedule_keys AS (
    SELECT DISTINCT
        CAST(year AS INTEGER) AS year,
        project_code,
        CASE WHEN project_code IS NULL THEN category END AS category
    FROM incoming_schedules
),
owners AS (
    SELECT r.load_id FROM progress_report AS r
    JOIN progress_keys AS k ON r.year = k.year AND r.month = k.month AND r.region = k.region
    WHERE r.superseded_by IS NULL
    UNION
    SELECT r.load_id FROM funding_report AS r
    JOIN funding_keys AS k ON r.year = k.year AND r.month = k.month AND r.region = k.region
    WHERE r.superseded_by IS NULL
    UNION
    SELECT r.load_id FROM score_report AS r
    JOIN score_keys AS k
        ON r.year = k.year AND r.month = k.month AND r.unit_type = k.unit_type AND r.unit = k.unit
    WHERE r.superseded_by IS NULL
    UNION
    SELECT r.load_id FROM schedule_plan AS r
    JOIN schedule_keys AS k
        ON r.year = k.year
        AND r.project_code IS NOT DISTINCT FROM k.project_code
        AND (k.project_code IS NOT NULL OR r.category = k.category)
    WHERE r.superseded_by IS NULL
),
final AS (
    SELECT o.load_id, l.sha256 FROM owners AS o JOIN load_log AS l USING (load_id)
)
SELECT * FROM final ORDER BY load_id;

-- name: next_load_id
SELECT nextval('load_id_seq');

-- name: supersede_progress
-- The file's own rows are inserted already (same transaction): r.load_id <> $load_id spares them.
UPDATE progress_report AS r SET superseded_by = $load_id
FROM progress_keys AS k
WHERE r.superseded_by IS NULL AND r.load_id <> $load_id
    AND r.year = k.year AND r.month = k.month AND r.region = k.region;

-- name: supersede_funding
UPDATE funding_report AS r SET superseded_by = $load_id
FROM funding_keys AS k
WHERE r.superseded_by IS NULL AND r.load_id <> $load_id
    AND r.year = k.year AND r.month = k.month AND r.region = k.region;

-- name: supersede_scores
UPDATE score_report AS r SET superseded_by = $load_id
FROM score_keys AS k
WHERE r.superseded_by IS NULL AND r.load_id <> $load_id
    AND r.year = k.year AND r.month = k.month
    AND r.unit_type = k.unit_type AND r.unit = k.unit;

-- name: supersede_schedules
UPDATE schedule_plan AS r SET superseded_by = $load_id
FROM schedule_keys AS k
WHERE r.superseded_by IS NULL AND r.load_id <> $load_id AND r.year = k.year
    AND r.project_code IS NOT DISTINCT FROM k.project_code
    AND (k.project_code IS NOT NULL OR r.category = k.category);

-- name: replaced_groups
-- What a load took over from earlier loads, one row per earlier file, kind and month.
WITH replaced AS (
    SELECT '进度' AS kind, load_id, year, month, region AS place
    FROM progress_report WHERE superseded_by = $load_id
    UNION ALL
    SELECT '资金', load_id, year, month, region
    FROM funding_report WHERE superseded_by = $load_id
    UNION ALL
    SELECT '考评', load_id, year, month, unit
    FROM score_report WHERE superseded_by = $load_id
    UNION ALL
    SELECT '序时计划', load_id, year, NULL, COALESCE('项目' || project_code, category)
    FROM schedule_plan WHERE superseded_by = $load_id
),
final AS (
    SELECT r.load_id, l.file_name, r.kind, r.year, r.month, list(DISTINCT r.place) AS places
    FROM replaced AS r JOIN load_log AS l USING (load_id)
    GROUP BY ALL
)
SELECT * FROM final ORDER BY load_id, year, month, kind;

-- name: insert_progress
INSERT INTO progress_report (
    year, month, region, project_code, project_name, indicator, target, actual,
    unit, department, category, load_id, source_sheet, source_row
)
SELECT
    year, month, region, project_code, project_name, indicator, target, actual,
    unit, department, COALESCE(category, '其他'), $load_id, source_sheet, source_row
FROM incoming_progress;

-- name: insert_funding
INSERT INTO funding_report (
    year, month, region, project_code, project_name, budget, arrived, disbursed,
    load_id, source_sheet, source_row
)
SELECT
    year, month, region, project_code, project_name, budget, arrived, disbursed,
    $load_id, source_sheet, source_row
FROM incoming_funding;

-- name: insert_scores
INSERT INTO score_report (
    year, month, unit_type, unit, base_score, adjustment, note, load_id, source_sheet, source_row
)
SELECT
    year, month, unit_type, unit, base_score, COALESCE(adjustment, 0), note,
    $load_id, source_sheet, source_row
FROM incoming_scores;

-- name: insert_schedules
INSERT INTO schedule_plan (
    year, project_code, category, month, planned_rate, load_id, source_sheet, source_row
)
SELECT year, project_code, category, month, planned_rate, $load_id, source_sheet, source_row
FROM incoming_schedules;

-- name: insert_log
INSERT INTO load_log (
    load_id, file_name, sha256, loaded_at, loaded_by, refused,
    rows_progress, rows_funding, rows_scores, rows_schedule,
    n_warnings, warnings, errors, replaced, undo_of, unchanged_of
)
VALUES (
    $load_id, $file_name, $sha256, $loaded_at, $loaded_by, $refused,
    $rows_progress, $rows_funding, $rows_scores, $rows_schedule,
    $n_warnings, CAST($warnings AS VARCHAR[]), CAST($errors AS VARCHAR[]),
    CAST($replaced AS VARCHAR[]), $undo_of, $unchanged_of
);

-- name: insert_findings
-- The load's findings, passed as parallel lists (one statement, however many findings).
INSERT INTO load_finding (load_id, seq, is_warning, file, sheet, row, col, message)
SELECT
    $load_id,
    unnest(range(1, len(CAST($messages AS VARCHAR[])) + 1)),
    unnest(CAST($is_warning AS BOOLEAN[])),
    unnest(CAST($files AS VARCHAR[])),
    unnest(CAST($sheets AS VARCHAR[])),
    unnest(CAST($rows AS INTEGER[])),
    unnest(CAST($cols AS VARCHAR[])),
    unnest(CAST($messages AS VARCHAR[]));
