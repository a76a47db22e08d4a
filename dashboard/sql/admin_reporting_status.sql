-- 报送情况 for one month: every region known in that year (current progress or funding rows in
-- any month of it), whether it has reported progress and funding for $month, and when the loads
-- that hold those rows were made. Regions missing either sheet come first (未按时报送).
WITH current_progress AS (
    SELECT year, month, region, load_id FROM progress_report WHERE superseded_by IS NULL
),

current_funding AS (
    SELECT year, month, region, load_id FROM funding_report WHERE superseded_by IS NULL
),

known_regions AS (
    SELECT region FROM current_progress WHERE year = $year
    UNION
    SELECT region FROM current_funding WHERE year = $year
),

progress_month AS (
    SELECT p.region, max(l.loaded_at) AS progress_loaded_at
    FROM current_progress AS p
    JOIN load_log AS l ON l.load_id = p.load_id
    WHERE p.year = $year AND p.month = $month
    GROUP BY p.region
),

funding_month AS (
    SELECT f.region, max(l.loaded_at) AS funding_loaded_at
    FROM current_funding AS f
    JOIN load_log AS l ON l.load_id = f.load_id
    WHERE f.year = $year AND f.month = $month
    GROUP BY f.region
),

final AS (
    SELECT
        k.region,
        p.region IS NOT NULL AS has_progress,
        f.region IS NOT NULL AS has_funding,
        p.progress_loaded_at,
        f.funding_loaded_at
    FROM known_regions AS k
    LEFT JOIN progress_month AS p ON p.region = k.region
    LEFT JOIN funding_month AS f ON f.region = k.region
)

SELECT * FROM final
ORDER BY (has_progress AND has_funding), region
