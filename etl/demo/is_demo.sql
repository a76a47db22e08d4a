-- Is this warehouse the demo? Counts the loads that changed data (not refused) and those of
-- them that came from elsewhere ($1 = the demo's loaded_by). Demo = some loads, none foreign.
SELECT
    count(*) FILTER (WHERE NOT refused) AS loaded,
    count(*) FILTER (WHERE NOT refused AND coalesce(loaded_by, '') <> $1) AS foreign_loads
FROM load_log;
