"""The warehouse's views as the metrics layer owns them (metrics/sql/marts), and the schema files
in the order they are applied: the tables (warehouse/sql), then the views that read them. The
loader applies them on every write (etl.writing.db_write); a reader adds the views a file lacks."""

from __future__ import annotations

import functools
from pathlib import Path

import duckdb

from warehouse import connection
from warehouse.schema import TABLE_FILES, schema_version
from warehouse.sql import definitions, sql_text

MARTS_DIR = Path(__file__).resolve().parent / "sql" / "marts"
VIEW_FILES = (MARTS_DIR / "views.sql", MARTS_DIR / "supervision_views.sql")
# Applied in this order (tables, then the views that read them); the 督办台账's own files
# (issue 13) after the contract views they read.
SCHEMA_FILES = (TABLE_FILES[0], VIEW_FILES[0], TABLE_FILES[1], VIEW_FILES[1])


@functools.cache
def contract_definitions() -> tuple[tuple[str, str, str], ...]:
    """(kind, name, body) of every view and figure rule (macro) in views.sql, in file order."""
    return definitions(sql_text(MARTS_DIR, "views.sql"))


def contract_macros() -> tuple[tuple[str, str], ...]:
    """(name, definition) of every figure rule (macro) in views.sql, in file order."""
    return tuple((name, body) for kind, name, body in contract_definitions() if kind == "macro")


def read_only_connection(db_path: Path) -> duckdb.DuckDBPyConnection:
    """The warehouse attached READ_ONLY, with this version's contract views and figure rules
    where the file lacks them (warehouse.connection.read_only_connection)."""
    return connection.read_only_connection(
        db_path, contract_definitions(), schema_version(SCHEMA_FILES)
    )
