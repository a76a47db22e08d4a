-- 预警: whether the warehouse file itself has v_forecast (data contract §4). A file built before
-- the view existed gets it with its next load; until then its reader adds it in memory
-- (metrics.schema.read_only_connection), which this does not count.
SELECT CAST(COUNT(*) AS INTEGER) AS n
FROM duckdb_views()
WHERE database_name = current_database() AND view_name = 'v_forecast';
