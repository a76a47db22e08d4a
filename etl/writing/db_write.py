"""The loader's side of the warehouse: its own SQL (etl/writing/sql), the parsed file's rows as SQL
tables, and the single-writer copy with the schema (tables and the metrics-owned views) applied.
The copy, lock and swap themselves are warehouse.writer's."""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl.model import KIND_COLUMNS, ParsedFile
from etl.reading.incoming import parsed_table
from metrics.schema import SCHEMA_FILES
from warehouse import sql, writer

SQL_DIR = Path(__file__).resolve().parent / "sql"


def named_queries(file_name: str) -> dict[str, str]:
    """The statements of etl/writing/sql/<file_name>, each after its `-- name: x` line."""
    return sql.named_queries(SQL_DIR, file_name)


def incoming_tables(parsed: ParsedFile) -> dict[str, object]:
    """A parsed file's rows as Arrow tables by kind: the reader's own, or made from frames set
    by hand. Several statements (on two connections) read them."""
    return {kind: parsed_table(parsed, kind) for kind in KIND_COLUMNS}


def register_incoming(con: duckdb.DuckDBPyConnection, tables: dict[str, object]) -> None:
    """Expose a parsed file's incoming_tables to SQL as incoming_<kind>."""
    for kind, table in tables.items():
        con.register(f"incoming_{kind}", table)


class WritableCopy(writer.WritableCopy):
    """warehouse.writer.WritableCopy with this version's schema applied to the copy."""

    def __init__(self, db_path: Path, *, one_commit: bool = False):
        super().__init__(db_path, SCHEMA_FILES, one_commit=one_commit)
