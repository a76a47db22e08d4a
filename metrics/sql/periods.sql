-- Months present in the warehouse, with what each holds. Several sources so that a month with
-- only funding or only 考评 still shows in the month picker.
WITH months AS (
    SELECT year, month, 'progress' AS source FROM v_progress
    UNION ALL
    SELECT year, month, 'funding' AS source FROM v_funding
    UNION ALL
    SELECT year, month, 'scores' AS source FROM v_scores
),
final AS (
    SELECT
        CAST(year AS INTEGER) AS year,
        CAST(month AS INTEGER) AS month,
        bool_or(source = 'progress') AS has_progress,
        bool_or(source = 'funding') AS has_funding,
        bool_or(source = 'scores') AS has_scores
    FROM months
    GROUP BY year, month
)
SELECT * FROM final
ORDER BY year, month;
