-- One item's history: every event, oldest first.
SELECT event_id, happened_at, actor, kind, status, note, month, gap, load_id
FROM supervision_event
WHERE item_id = $item_id
ORDER BY event_id;
