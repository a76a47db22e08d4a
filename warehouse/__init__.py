"""The warehouse file itself (数据仓库): where it is, the one SQL loader, read-only connections,
the single-writer swap and the table schema. Every other package (etl, metrics, the dashboard, the
bulletin) opens the file through here; this package imports none of them."""
