-- Filter choices for one year: regions (from progress and funding), departments, categories.
WITH regions AS (
    SELECT DISTINCT region AS value FROM v_progress WHERE year = $year
    UNION
    SELECT DISTINCT region AS value FROM v_funding WHERE year = $year
),
departments AS (
    SELECT DISTINCT department AS value
    FROM v_progress
    WHERE year = $year AND department IS NOT NULL AND department <> ''
),
categories AS (
    SELECT DISTINCT category AS value FROM v_progress WHERE year = $year
),
final AS (
    SELECT 'region' AS kind, value FROM regions
    UNION ALL
    SELECT 'department' AS kind, value FROM departments
    UNION ALL
    SELECT 'category' AS kind, value FROM categories
)
SELECT * FROM final
ORDER BY kind, value;
