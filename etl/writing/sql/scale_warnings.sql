-- Figures far above what the warehouse holds (etl.reading.magnitude): the registered incoming tables
-- against every loaded row of the same indicator (年度目标) or project (计划投入). Parameters:
-- the factor, and the absolute bound above which the parse-time warning has spoken already.

-- name: huge_targets
WITH seen AS (
    SELECT indicator, max(target) AS largest FROM progress_report GROUP BY indicator
)
SELECT i.source_sheet, i.source_row, i.target, s.largest
FROM incoming_progress AS i
JOIN seen AS s ON s.indicator = i.indicator
WHERE s.largest > 0 AND i.target > s.largest * $1 AND i.target <= $2
ORDER BY i.source_sheet, i.source_row;

-- name: huge_budgets
WITH seen AS (
    SELECT project_code, max(budget) AS largest FROM funding_report GROUP BY project_code
)
SELECT i.source_sheet, i.source_row, i.budget, s.largest
FROM incoming_funding AS i
JOIN seen AS s ON s.project_code = i.project_code
WHERE s.largest > 0 AND i.budget > s.largest * $1 AND i.budget <= $2
ORDER BY i.source_sheet, i.source_row;
