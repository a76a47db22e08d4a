-- What loading a file would replace (etl/writing/replacement_plan.py), read before its rows are written.
-- The parsed file's rows are registered as incoming_progress, incoming_funding, incoming_scores
-- and incoming_schedules (as in load.sql); nothing here writes.

-- name: replaced_keys
-- Per key the file is the authority for (data contract §2) and that has current rows: how many
-- rows are there now, how many the file brings, and how many current rows have no row of the
-- same key in the file (they would no longer show). A file's keys are unique (duplicates are
-- refused), so the left joins do not multiply rows.
WITH
-- 进度 is keyed by region, project and indicator, 资金 by region and project: 资金 rows carry
-- no indicator, so one comparison serves both (indicator is NOT NULL in progress_report)
incoming AS (
    SELECT '进度' AS kind, year, month, region, project_code, indicator FROM incoming_progress
    UNION ALL
    SELECT '资金' AS kind, year, month, region, project_code, NULL FROM incoming_funding
),
current_rows AS (
    SELECT '进度' AS kind, year, month, region, project_code, indicator
    FROM progress_report WHERE superseded_by IS NULL
    UNION ALL
    SELECT '资金' AS kind, year, month, region, project_code, NULL
    FROM funding_report WHERE superseded_by IS NULL
),
new_rows AS (
    SELECT kind, year, month, region, count(*) AS new_rows FROM incoming GROUP BY ALL
),
old_rows AS (
    SELECT
        r.kind, r.year, r.month, r.region AS place,
        count(*) AS old_rows, any_value(k.new_rows) AS new_rows,
        count(*) FILTER (WHERE i.year IS NULL) AS vanished
    FROM current_rows AS r
    JOIN new_rows AS k
        ON r.kind = k.kind AND r.year = k.year AND r.month = k.month AND r.region = k.region
    LEFT JOIN incoming AS i
        ON i.kind = r.kind AND i.year = r.year AND i.month = r.month AND i.region = r.region
        AND i.project_code = r.project_code AND i.indicator IS NOT DISTINCT FROM r.indicator
    GROUP BY ALL
),
-- a score's key is its whole row key: one row before, one after
old_scores AS (
    SELECT
        '考评' AS kind, r.year, r.month, r.unit_type || ' ' || r.unit AS place,
        count(*) AS old_rows, 1 AS new_rows, 0 AS vanished
    FROM score_report AS r
    JOIN (SELECT DISTINCT year, month, unit_type, unit FROM incoming_scores) AS k
        ON r.year = k.year AND r.month = k.month AND r.unit_type = k.unit_type AND r.unit = k.unit
    WHERE r.superseded_by IS NULL
    GROUP BY ALL
),
-- a plan (one per project, or per 类别 without a project) is stored as twelve monthly rows
new_plans AS (
    SELECT DISTINCT
        year, project_code, CASE WHEN project_code IS NULL THEN category END AS category
    FROM incoming_schedules
),
old_schedules AS (
    SELECT
        '序时计划' AS kind, r.year, CAST(NULL AS INTEGER) AS month,
        COALESCE('项目' || r.project_code, r.category) AS place,
        1 AS old_rows, 1 AS new_rows, 0 AS vanished
    FROM schedule_plan AS r
    JOIN new_plans AS k
        ON r.year = k.year
        AND r.project_code IS NOT DISTINCT FROM k.project_code
        AND (k.project_code IS NOT NULL OR r.category = k.category)
    WHERE r.superseded_by IS NULL
    GROUP BY ALL
),
final AS (
    SELECT * FROM old_rows
    UNION ALL SELECT * FROM old_scores
    UNION ALL SELECT * FROM old_schedules
)
SELECT kind, year, month, place, old_rows, new_rows, vanished
FROM final
ORDER BY
    CASE kind WHEN '进度' THEN 1 WHEN '资金' THEN 2 WHEN '考评' THEN 3 ELSE 4 END,
    year, month, place;

-- name: fresh_regions
-- Regions of the file that no row (current or replaced) of the same year holds. An anti join
-- against the two tables: the usual file's regions are all known, and this is all it costs.
WITH incoming AS (
    SELECT DISTINCT year, region FROM incoming_progress
    UNION
    SELECT DISTINCT year, region FROM incoming_funding
),
seen AS (
    SELECT year, region FROM progress_report
    UNION ALL
    SELECT year, region FROM funding_report
),
final AS (
    SELECT i.year, i.region FROM incoming AS i
    ANTI JOIN seen AS s ON s.year = i.year AND s.region = i.region
)
SELECT * FROM final ORDER BY year, region;

-- name: region_history
-- For regions fresh_regions found ($years, $regions, side by side): whether their year holds any
-- region yet, whether the region was seen in another year, and whether the warehouse holds any.
WITH fresh AS (
    SELECT unnest(CAST($years AS INTEGER[])) AS year, unnest(CAST($regions AS VARCHAR[])) AS region
),
seen AS (
    SELECT year, region FROM progress_report
    UNION ALL
    SELECT year, region FROM funding_report
),
final AS (
    SELECT
        f.year, f.region,
        f.year IN (SELECT year FROM seen) AS year_has_regions,
        f.region IN (SELECT region FROM seen) AS seen_in_other_year,
        (SELECT count(*) > 0 FROM seen) AS has_any_region
    FROM fresh AS f
)
SELECT * FROM final ORDER BY year, region;
