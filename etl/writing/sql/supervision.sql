-- 督办台账 operations (etl/writing/supervision.py). Items and events are only ever inserted.

-- name: month_rows
-- How many progress rows the month has (opening for a month with no figures is refused).
SELECT count(*) FROM v_progress WHERE year = $year AND month = $month;

-- name: lagging_rows
-- The month's lagging (region, project, indicator), worst first; gap_points as the 滞后 page
-- reads them (metrics/sql/region_items.sql), so severity agrees with that page.
SELECT
    region, project_code, project_name, indicator, department, gap,
    ROUND((planned_rate - completion_rate) * 100, 9) AS gap_points
FROM v_progress
WHERE year = $year AND month = $month AND is_lagging
ORDER BY gap_points DESC, region, project_code, indicator;

-- name: open_keys
-- The (region, project_code, indicator) of every lagging item not 已销号, with its item_id.
SELECT i.region, i.project_code, i.indicator, i.item_id
FROM supervision_item AS i
JOIN v_supervision_state AS s USING (item_id)
WHERE s.status <> '已销号' AND i.indicator IS NOT NULL;

-- name: insert_lagging_items
-- New lagging items of one month, passed as parallel lists; returns their ids.
INSERT INTO supervision_item (
    item_id, year, month, region, department, project_code, project_name, indicator, reason,
    gap_opened, deadline, opened_at, opened_by
)
SELECT
    nextval('supervision_item_seq'), $year, $month, region, department, project_code,
    project_name, indicator, reason, gap, $deadline, $at, $by
FROM (
    SELECT
        unnest(CAST($regions AS VARCHAR[])) AS region,
        unnest(CAST($departments AS VARCHAR[])) AS department,
        unnest(CAST($codes AS VARCHAR[])) AS project_code,
        unnest(CAST($names AS VARCHAR[])) AS project_name,
        unnest(CAST($indicators AS VARCHAR[])) AS indicator,
        unnest(CAST($reasons AS VARCHAR[])) AS reason,
        unnest(CAST($gaps AS DOUBLE[])) AS gap,
        unnest(range(len(CAST($regions AS VARCHAR[])))) AS position
)
ORDER BY position
RETURNING item_id;

-- name: insert_manual_item
INSERT INTO supervision_item (
    item_id, year, month, region, department, project_code, project_name, indicator, reason,
    gap_opened, deadline, opened_at, opened_by
)
VALUES (
    nextval('supervision_item_seq'), $year, $month, $region, $department, NULL, NULL, NULL,
    $reason, NULL, $deadline, $at, $by
)
RETURNING item_id;

-- name: insert_opened_events
-- The 'opened' event of new items: a lagging item is judged against the latest loaded month of
-- its year at once (caught up since: 可销号); a manual finding starts 待整改.
INSERT INTO supervision_event (
    event_id, item_id, happened_at, actor, kind, status, note, month, gap, load_id
)
SELECT
    nextval('supervision_event_seq'), i.item_id, $at, $by, 'opened',
    CASE WHEN l.latest_month IS NOT NULL AND NOT l.lagging_latest THEN '可销号' ELSE '待整改' END,
    NULL, l.latest_month, l.gap_latest, NULL
FROM supervision_item AS i
LEFT JOIN v_supervision_latest AS l USING (item_id)
WHERE list_contains(CAST($item_ids AS BIGINT[]), i.item_id)
ORDER BY i.item_id
RETURNING item_id, status;

-- name: item_state
SELECT i.item_id, i.year, i.month, i.region, i.department, i.project_code, i.indicator,
    s.status, s.n_notes
FROM supervision_item AS i
JOIN v_supervision_state AS s USING (item_id)
WHERE i.item_id = $item_id;

-- name: insert_event
INSERT INTO supervision_event (
    event_id, item_id, happened_at, actor, kind, status, note, month, gap, load_id
)
VALUES (
    nextval('supervision_event_seq'), $item_id, $at, $by, $kind, $status, $note, NULL, NULL,
    NULL
);

-- name: reopened_status
-- The status an item re-opened by a person takes: judged like a re-check (可销号 when its
-- indicator is not lagging in the latest loaded month), else 整改中 with notes, else 待整改.
SELECT
    CASE
        WHEN l.latest_month IS NOT NULL AND NOT l.lagging_latest THEN '可销号'
        WHEN s.n_notes > 0 THEN '整改中'
        ELSE '待整改'
    END
FROM v_supervision_state AS s
LEFT JOIN v_supervision_latest AS l USING (item_id)
WHERE s.item_id = $item_id;

-- name: has_open_lagging_items
SELECT count(*) > 0
FROM v_supervision_state AS s
JOIN supervision_item AS i USING (item_id)
WHERE s.status <> '已销号' AND i.indicator IS NOT NULL;

-- name: recheck
-- After a load or an undo: every lagging item not 已销号 judged against the latest loaded month
-- of its year. Not lagging there → 可销号; lagging (or no figures left) → 整改中 when a 整改 note
-- was recorded, else 待整改. Only a change of status is recorded (one event per item moved).
INSERT INTO supervision_event (
    event_id, item_id, happened_at, actor, kind, status, note, month, gap, load_id
)
SELECT
    nextval('supervision_event_seq'), item_id, $at, $by, 'recheck', new_status, NULL,
    latest_month, gap_latest, $load_id
FROM (
    SELECT
        s.item_id, s.status, l.latest_month, l.gap_latest,
        CASE
            WHEN l.latest_month IS NOT NULL AND NOT l.lagging_latest THEN '可销号'
            WHEN s.n_notes > 0 THEN '整改中'
            ELSE '待整改'
        END AS new_status
    FROM v_supervision_state AS s
    JOIN supervision_item AS i USING (item_id)
    LEFT JOIN v_supervision_latest AS l USING (item_id)
    WHERE s.status <> '已销号' AND i.indicator IS NOT NULL
)
WHERE new_status <> status
ORDER BY item_id
RETURNING item_id, status;

-- name: has_ledger
SELECT count(*) > 0 FROM duckdb_views()
WHERE database_name = current_database() AND view_name = 'v_supervision';

-- name: list_items
-- The ledger for the command line; colours for the session's supervision_as_of.
SELECT * FROM v_supervision
WHERE ($year IS NULL OR year = $year) AND ($status IS NULL OR status = $status)
ORDER BY item_id;
