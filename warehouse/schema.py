"""Applying the warehouse's schema: the tables (warehouse/sql) and the views over them, which the
metrics layer owns and hands in as files (metrics.schema.SCHEMA_FILES)."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from pathlib import Path

import duckdb

from warehouse.sql import named_queries, sql_text

SQL_DIR = Path(__file__).resolve().parent / "sql"
TABLE_FILES = (SQL_DIR / "schema.sql", SQL_DIR / "supervision_schema.sql")


def apply_schema(con: duckdb.DuckDBPyConnection, files: Sequence[Path]) -> None:
    """Create missing tables and (re)create the views, running `files` in order; safe to run on
    every open.

    Skipped when the file already has this version of the files (recorded in warehouse_meta):
    re-creating the views costs more than a small load itself.
    """
    wanted = schema_version(tuple(files))
    if recorded_schema_version(con) == wanted:
        return
    meta = named_queries(SQL_DIR, "meta.sql")
    had_log = con.execute(meta["has_load_log"]).fetchone()[0]
    con.execute("BEGIN TRANSACTION")  # one commit, not one per statement
    for path in files:
        con.execute(_file_text(path))
    if had_log:  # loads logged before load_finding existed (a new file has none)
        con.execute(meta["backfill_findings"])
    con.execute(meta["record_schema_version"], [wanted])
    con.execute("COMMIT")


def recorded_schema_version(con: duckdb.DuckDBPyConnection) -> str | None:
    """The schema the attached file was last written with; None for a file without the mark."""
    try:
        # fetchall, not fetchone: DuckDB refuses the next statement while a result is unfinished
        rows = con.execute(named_queries(SQL_DIR, "meta.sql")["schema_version"]).fetchall()
    except duckdb.CatalogException:  # a file without warehouse_meta
        return None
    return rows[0][0] if rows else None


@functools.cache
def schema_version(files: tuple[Path, ...]) -> str:
    """sha256 of the files' texts in order: the mark apply_schema leaves in warehouse_meta."""
    return hashlib.sha256("".join(map(_file_text, files)).encode()).hexdigest()


def _file_text(path: Path) -> str:
    return sql_text(path.parent, path.name)
