-- 导入记录: every load attempt, newest first, with its state for the 撤销 control.
WITH log AS (
    SELECT *
    FROM load_log
),

final AS (
    SELECT
        load_id,
        file_name,
        left(sha256, 12) AS sha256_short,
        loaded_by,
        loaded_at,
        refused,
        rows_progress,
        rows_funding,
        rows_scores,
        rows_schedule,
        n_warnings,
        undo_of,
        undone_by,
        unchanged_of,
        -- only a load that changed data and is still in force can be undone
        (
            NOT refused AND undo_of IS NULL AND undone_by IS NULL AND unchanged_of IS NULL
        ) AS can_undo
    FROM log
)

SELECT * FROM final
ORDER BY load_id DESC
