-- Warnings that need what is already loaded (data contract §2). They read the registered
-- incoming_progress frame and the current rows; nothing here writes.

-- name: earlier_months
-- Whether any month could come before one of the file's: else there is no drop to look for.
WITH incoming AS (
    SELECT CAST(year AS INTEGER) AS year, CAST(month AS INTEGER) AS month FROM incoming_progress
)
SELECT
    (SELECT count(DISTINCT (year, month)) FROM incoming) > 1
    OR EXISTS (
        SELECT 1 FROM progress_report AS r
        WHERE r.superseded_by IS NULL
            AND r.month < (SELECT max(i.month) FROM incoming AS i WHERE i.year = r.year)
    );

-- name: cumulative_drops
-- 累计完成 below the latest earlier month of the same year, region, project and indicator,
-- among the current rows the file leaves in place and the file's own rows.
WITH incoming AS (
    SELECT
        CAST(year AS INTEGER) AS year, CAST(month AS INTEGER) AS month, region,
        project_code, indicator, CAST(actual AS DOUBLE) AS actual,
        source_sheet, CAST(source_row AS INTEGER) AS source_row, TRUE AS is_incoming
    FROM incoming_progress
),
kept AS (
    SELECT
        r.year, r.month, r.region, r.project_code, r.indicator, r.actual,
        NULL, NULL, FALSE
    FROM progress_report AS r
    WHERE r.superseded_by IS NULL
        AND r.year IN (SELECT year FROM incoming)
        AND NOT EXISTS (
            SELECT 1 FROM incoming AS i
            WHERE i.year = r.year AND i.month = r.month AND i.region = r.region
        )
),
combined AS (
    SELECT * FROM incoming UNION ALL SELECT * FROM kept
),
ordered AS (
    SELECT
        *,
        LAG(actual) OVER w AS previous_actual,
        LAG(month) OVER w AS previous_month
    FROM combined
    WINDOW w AS (PARTITION BY year, region, project_code, indicator ORDER BY month)
),
final AS (
    SELECT source_sheet, source_row, month, actual, previous_month, previous_actual
    FROM ordered
    WHERE is_incoming AND actual < previous_actual
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

-- name: known_regions
SELECT region AS name FROM progress_report WHERE superseded_by IS NULL
UNION
SELECT region FROM funding_report WHERE superseded_by IS NULL;

-- name: known_projects
SELECT project_name AS name FROM progress_report WHERE superseded_by IS NULL
UNION
SELECT project_name FROM funding_report WHERE superseded_by IS NULL;

-- name: known_units
SELECT unit AS name FROM score_report WHERE superseded_by IS NULL;
