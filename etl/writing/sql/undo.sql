-- Undo of one load (issue 7): its rows go, the rows it superseded come back exactly.

-- name: load_entry
SELECT load_id, file_name, sha256, refused, undo_of, undone_by, unchanged_of
FROM load_log WHERE load_id = $load_id;

-- name: later_loads
-- Loads that superseded rows of this one: undoing it first would lose their history.
WITH later AS (
    SELECT DISTINCT superseded_by AS load_id FROM progress_report
    WHERE load_id = $load_id AND superseded_by IS NOT NULL
    UNION SELECT superseded_by FROM funding_report
    WHERE load_id = $load_id AND superseded_by IS NOT NULL
    UNION SELECT superseded_by FROM score_report
    WHERE load_id = $load_id AND superseded_by IS NOT NULL
    UNION SELECT superseded_by FROM schedule_plan
    WHERE load_id = $load_id AND superseded_by IS NOT NULL
),
final AS (
    SELECT l.load_id, l.file_name FROM later JOIN load_log AS l USING (load_id)
)
SELECT * FROM final ORDER BY load_id;

-- name: delete_progress
DELETE FROM progress_report WHERE load_id = $load_id;
-- name: delete_funding
DELETE FROM funding_report WHERE load_id = $load_id;
-- name: delete_scores
DELETE FROM score_report WHERE load_id = $load_id;
-- name: delete_schedules
DELETE FROM schedule_plan WHERE load_id = $load_id;

-- name: restore_progress
UPDATE progress_report SET superseded_by = NULL WHERE superseded_by = $load_id;
-- name: restore_funding
UPDATE funding_report SET superseded_by = NULL WHERE superseded_by = $load_id;
-- name: restore_scores
UPDATE score_report SET superseded_by = NULL WHERE superseded_by = $load_id;
-- name: restore_schedules
UPDATE schedule_plan SET superseded_by = NULL WHERE superseded_by = $load_id;

-- name: mark_undone
UPDATE load_log SET undone_by = $undo_id WHERE load_id = $load_id;
