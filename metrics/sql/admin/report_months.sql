-- Months that hold current progress or funding rows, newest first (the 报送情况 month choice).
WITH current_months AS (
    SELECT year, month FROM progress_report WHERE superseded_by IS NULL
    UNION
    SELECT year, month FROM funding_report WHERE superseded_by IS NULL
),

final AS (
    SELECT DISTINCT year, month FROM current_months
)

SELECT * FROM final
ORDER BY year DESC, month DESC
