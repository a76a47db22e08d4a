"""Writing: checked rows → the DuckDB warehouse, and the loads, 督办 and 报送 records around it."""
