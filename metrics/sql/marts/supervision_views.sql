-- 督办台账 views (data contract §5), applied after views.sql (they read v_progress).

-- v_supervision_state (the project's own, free to change): each item's current status — the
-- status after its latest event —, when that status was set, whether a 整改 note was ever
-- recorded, and who closed it.
CREATE OR REPLACE VIEW v_supervision_state AS
WITH final AS (
    SELECT
        item_id,
        arg_max(status, event_id) AS status,
        arg_max(happened_at, event_id) AS status_at,
        arg_max(actor, event_id) AS status_by,
        CAST(count(*) FILTER (WHERE kind = 'note') AS INTEGER) AS n_notes
    FROM supervision_event
    GROUP BY item_id
)
SELECT * FROM final;

-- v_supervision_latest (the project's own): for each lagging item (one with an indicator), its
-- indicator in the latest month of the item's year loaded for its region: that month, the gap
-- there and whether it is lagging there. Opening an item and every re-check after a load or an
-- undo judge the item by this row; v_supervision shows it.
CREATE OR REPLACE VIEW v_supervision_latest AS
WITH final AS (
    SELECT
        i.item_id,
        CAST(max(p.month) AS INTEGER) AS latest_month,
        arg_max(p.gap, p.month) AS gap_latest,
        arg_max(p.is_lagging, p.month) AS lagging_latest
    FROM supervision_item AS i
    JOIN v_progress AS p
        ON p.year = i.year AND p.region = i.region
        AND p.project_code = i.project_code AND p.indicator = i.indicator
    WHERE i.indicator IS NOT NULL
    GROUP BY i.item_id
)
SELECT * FROM final;

-- v_supervision (contract §5): one row per item, its current state. gap_latest / latest_month:
-- the item's indicator in the latest month of its year loaded for its region (NULL for a manual
-- finding). colour, for items not 已销号: 红 past the deadline, else 蓝 when the deadline is at
-- most 7 days away, else 黄; computed for today (current_date). A session may set the variable
-- supervision_as_of (a DATE) to see the colours of another day: `python -m etl supervise list
-- --as-of` does. Columns after closed_at are not part of the contract.
CREATE OR REPLACE VIEW v_supervision AS
WITH as_of AS (
    SELECT COALESCE(CAST(getvariable('supervision_as_of') AS DATE), current_date) AS day
),
final AS (
    SELECT
        i.item_id,
        i.year,
        i.month,
        i.region,
        i.department,
        i.project_code,
        i.indicator,
        i.reason,
        i.gap_opened,
        l.gap_latest,
        l.latest_month,
        i.deadline,
        s.status,
        CASE
            WHEN s.status = '已销号' THEN NULL
            WHEN a.day > i.deadline THEN '红'
            WHEN i.deadline - a.day <= 7 THEN '蓝'
            ELSE '黄'
        END AS colour,
        i.opened_at,
        CASE WHEN s.status = '已销号' THEN s.status_at END AS closed_at,
        -- the project's own columns
        i.project_name,
        i.opened_by,
        CASE WHEN s.status = '已销号' THEN s.status_by END AS closed_by,
        s.status_at,
        s.n_notes
    FROM supervision_item AS i
    JOIN v_supervision_state AS s USING (item_id)
    LEFT JOIN v_supervision_latest AS l USING (item_id)
    CROSS JOIN as_of AS a
)
SELECT * FROM final;
