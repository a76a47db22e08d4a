-- What the warehouse holds of one month: every region known in that year (current progress or
-- funding rows in any month of it), whether it has progress and funding rows for $month, and when
-- the loads that hold those rows were made. Regions missing either sheet come first. Whether a
-- region reported on time is not judged here (etl.writing.submission_status knows the due day).
WITH current_rows AS (
    SELECT 'progress' AS kind, year, month, region, load_id
    FROM progress_report WHERE superseded_by IS NULL
    UNION ALL
    SELECT 'funding' AS kind, year, month, region, load_id
    FROM funding_report WHERE superseded_by IS NULL
),

known_regions AS (
    SELECT DISTINCT region FROM current_rows WHERE year = $year
),

month_loads AS (
    -- per region and sheet kind: whether the month has rows, and the latest load holding them
    SELECT
        r.region,
        bool_or(r.kind = 'progress') AS has_progress,
        bool_or(r.kind = 'funding') AS has_funding,
        max(l.loaded_at) FILTER (WHERE r.kind = 'progress') AS progress_loaded_at,
        max(l.loaded_at) FILTER (WHERE r.kind = 'funding') AS funding_loaded_at
    FROM current_rows AS r
    JOIN load_log AS l ON l.load_id = r.load_id
    WHERE r.year = $year AND r.month = $month
    GROUP BY r.region
),

final AS (
    SELECT
        k.region,
        coalesce(m.has_progress, false) AS has_progress,
        coalesce(m.has_funding, false) AS has_funding,
        m.progress_loaded_at,
        m.funding_loaded_at
    FROM known_regions AS k
    LEFT JOIN month_loads AS m ON m.region = k.region
)

SELECT * FROM final
ORDER BY (has_progress AND has_funding), region
