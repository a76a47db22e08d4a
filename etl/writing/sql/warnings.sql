-- Warnings that need what is already loaded (data contract §2). They read the registered
-- incoming_progress table (typed Arrow: no casts needed) and the current rows; nothing here
-- writes.

-- name: cumulative_drops
-- 累计完成 below the latest earlier month of the same year, region, project and indicator,
-- among the current rows the file leaves in place and the file's own rows. A join to the
-- earlier months and arg_max, not a window over all rows: only months before the file's last
-- month of each region can come before one of its rows.
WITH regions AS (
    SELECT year, region, max(month) AS last_month FROM incoming_progress GROUP BY year, region
),
kept AS (
    SELECT r.year, r.month, r.region, r.project_code, r.indicator, r.actual
    FROM progress_report AS r
    JOIN regions AS g ON r.year = g.year AND r.region = g.region AND r.month < g.last_month
    WHERE r.superseded_by IS NULL
        AND NOT EXISTS (
            SELECT 1 FROM incoming_progress AS i
            WHERE i.year = r.year AND i.month = r.month AND i.region = r.region
        )
),
earlier AS (
    SELECT year, month, region, project_code, indicator, actual FROM incoming_progress
    UNION ALL
    SELECT * FROM kept
),
latest AS (
    SELECT
        i.source_sheet, i.source_row, i.month, i.actual,
        max(e.month) AS previous_month, arg_max(e.actual, e.month) AS previous_actual
    FROM incoming_progress AS i
    JOIN earlier AS e
        ON e.year = i.year AND e.region = i.region AND e.project_code = i.project_code
        AND e.indicator = i.indicator AND e.month < i.month
    GROUP BY i.source_sheet, i.source_row, i.month, i.actual
),
final AS (
    SELECT source_sheet, source_row, month, actual, previous_month, previous_actual
    FROM latest
    WHERE actual < previous_actual
)
SELECT * FROM final ORDER BY source_sheet, source_row;

-- name: cumulative_drops_one_month
-- cumulative_drops for a file of one month (the usual report): every earlier row is a current
-- row of the warehouse, so the latest of each key is found first (one row per key) and then
-- joined to the file's rows, instead of joining every earlier month to them. Same result.
WITH regions AS (
    SELECT DISTINCT year, month, region FROM incoming_progress
),
latest AS (
    SELECT
        r.year, r.region, r.project_code, r.indicator,
        max(r.month) AS previous_month, arg_max(r.actual, r.month) AS previous_actual
    FROM progress_report AS r
    JOIN regions AS g ON r.year = g.year AND r.region = g.region AND r.month < g.month
    WHERE r.superseded_by IS NULL
    GROUP BY r.year, r.region, r.project_code, r.indicator
),
final AS (
    SELECT i.source_sheet, i.source_row, i.month, i.actual, l.previous_month, l.previous_actual
    FROM incoming_progress AS i
    JOIN latest AS l
        ON l.year = i.year AND l.region = i.region AND l.project_code = i.project_code
        AND l.indicator = i.indicator
    WHERE i.actual < l.previous_actual
)
SELECT * FROM final ORDER BY source_sheet, source_row;

-- name: city_and_county_rows
-- A month holding a city-wide row (region ending in 市, or 全市) and county rows for the same
-- indicator: adding them up would count the city twice. One warning per indicator and month,
-- placed at the file's first row of it.
WITH incoming AS (
    SELECT
        CAST(year AS INTEGER) AS year, CAST(month AS INTEGER) AS month, region,
        project_code, indicator, source_sheet, CAST(source_row AS INTEGER) AS source_row,
        TRUE AS is_incoming
    FROM incoming_progress
),
kept AS (
    SELECT r.year, r.month, r.region, r.project_code, r.indicator, NULL, NULL, FALSE
    FROM progress_report AS r
    WHERE r.superseded_by IS NULL
        AND (r.year, r.month) IN (SELECT (year, month) FROM incoming)
        AND NOT EXISTS (
            SELECT 1 FROM incoming AS i
            WHERE i.year = r.year AND i.month = r.month AND i.region = r.region
        )
),
combined AS (
    SELECT *, region LIKE '%市' OR region = '全市' AS is_city_wide
    FROM (SELECT * FROM incoming UNION ALL SELECT * FROM kept)
),
mixed AS (
    SELECT
        year, month, project_code, indicator,
        list(DISTINCT region) FILTER (WHERE is_city_wide) AS city_regions,
        min(source_row) FILTER (WHERE is_incoming) AS first_row
    FROM combined
    GROUP BY year, month, project_code, indicator
    HAVING bool_or(is_city_wide) AND bool_or(NOT is_city_wide) AND bool_or(is_incoming)
),
final AS (
    SELECT m.year, m.month, m.indicator, m.city_regions, i.source_sheet, m.first_row
    FROM mixed AS m
    JOIN incoming AS i
        ON i.year = m.year AND i.month = m.month AND i.project_code = m.project_code
        AND i.indicator = m.indicator AND i.source_row = m.first_row
)
SELECT * FROM final ORDER BY source_sheet, first_row;

-- name: known_names
-- The current names of each kind (region, project, unit, department), in one statement.
SELECT 'region' AS kind, region AS name FROM progress_report WHERE superseded_by IS NULL
UNION
SELECT 'region', region FROM funding_report WHERE superseded_by IS NULL
UNION
SELECT 'project', project_name FROM progress_report WHERE superseded_by IS NULL
UNION
SELECT 'project', project_name FROM funding_report WHERE superseded_by IS NULL
UNION
SELECT 'unit', unit FROM score_report WHERE superseded_by IS NULL
UNION
SELECT 'department', department FROM progress_report WHERE superseded_by IS NULL;
