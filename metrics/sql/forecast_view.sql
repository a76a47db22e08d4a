-- 预警: whether the database has v_forecast (data contract §4). A database built before the view
-- existed gets it with its next load; until then the metrics layer computes the same rows itself
-- (forecast_rows_computed.sql).
SELECT CAST(COUNT(*) AS INTEGER) AS n
FROM duckdb_views()
WHERE database_name = current_database() AND view_name = 'v_forecast';
