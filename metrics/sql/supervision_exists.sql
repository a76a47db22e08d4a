-- Whether the warehouse has the 督办台账 (a database last written before issue 13 has not).
SELECT count(*) > 0 AS has_ledger FROM duckdb_views()
WHERE database_name = current_database() AND view_name = 'v_supervision';
