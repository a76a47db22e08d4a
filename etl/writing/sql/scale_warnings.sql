-- Figures far above what the warehouse holds (etl.reading.magnitude): the registered incoming tables
-- against every loaded row of the same indicator (年度目标) or project (计划投入). Parameters:
-- the factor, and the absolute bound above which the parse-time warning has spoken already.
-- The maximum is taken only over the incoming file's indicators (projects): the semi join keeps
-- a province-sized table from being grouped whole on every load.

-- name: huge_targets
WITH seen AS (
    SELECT p.indicator, max(p.target) AS largest
    FROM progress_report AS p
    SEMI JOIN incoming_progress AS i ON i.indicator = p.indicator
    GROUP BY p.indicator
)
SELECT i.source_sheet, i.source_row, i.target, s.largest
FROM incoming_progress AS i
JOIN seen AS s ON s.indicator = i.indicator
WHERE s.largest > 0 AND i.target > s.largest * $1 AND i.target <= $2
ORDER BY i.source_sheet, i.source_row;

-- name: huge_budgets
WITH seen AS (
    SELECT f.project_code, max(f.budget) AS largest
    FROM funding_report AS f
    SEMI JOIN incoming_funding AS i ON i.project_code = f.project_code
    GROUP BY f.project_code
)
SELECT i.source_sheet, i.source_row, i.budget, s.largest
FROM incoming_funding AS i
JOIN seen AS s ON s.project_code = i.project_code
WHERE s.largest > 0 AND i.budget > s.largest * $1 AND i.budget <= $2
ORDER BY i.source_sheet, i.source_row;
