"""ETL: monthly 民生工程 report files (月报) → checked rows → the DuckDB warehouse."""
