"""Opening the warehouse file the readers' way.

DuckDB allows one read-write process or many read-only ones, so a reader attaches the file
READ_ONLY in a fresh in-memory instance and sees either the old file or the one the writer swapped
in (warehouse.writer), never a half-written one.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path

import duckdb

from warehouse.schema import SQL_DIR, recorded_schema_version
from warehouse.sql import named_queries

_ATTACH_ATTEMPTS = 3  # a load takes far longer than an attach: a third swap in a row is unheard of


def read_only_connection(
    db_path: Path,
    definitions: Iterable[tuple[str, str, str]] = (),
    schema_version: str | None = None,
) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory instance with the warehouse attached READ_ONLY (the reader way);
    `definitions` ((kind, name, body) of views and macros, warehouse.sql.definitions) the file
    lacks are added in memory — unless the file records `schema_version` (written with this
    version's schema: it lacks nothing, and listing its macros costs more than the attach).

    DuckDB opens the file twice while attaching (once for its headers, then again for its
    blocks), so a loader's os.replace between the two would pair the old file's headers with
    the new file's blocks ("Could not read enough bytes", or worse). The file's identity is
    compared before and after: when it changed, the attachment (or its error) is dropped and
    made again."""
    definitions = tuple(definitions)
    for attempt in range(1, _ATTACH_ATTEMPTS + 1):
        before = identity(db_path)
        con = duckdb.connect(":memory:")
        try:
            con.execute("ATTACH ? AS wh (READ_ONLY)", [str(db_path)])
            use_warehouse(con)
            if not _is_current(con, schema_version):
                _add_missing(con, definitions)
        except duckdb.Error:
            con.close()
            if before is None or identity(db_path) == before or attempt == _ATTACH_ATTEMPTS:
                raise  # the file did not change: the error is the file's own
            continue
        except BaseException:
            con.close()
            raise
        if identity(db_path) == before:
            return con
        con.close()
    raise duckdb.IOException(f"the file kept changing while being attached: {db_path}")


def use_warehouse(con: duckdb.DuckDBPyConnection) -> None:
    """Read the attached file by plain names (a cursor starts in the in-memory catalog); names
    the file lacks are then looked up among the views and macros `_add_missing` put in memory."""
    con.execute("USE wh")
    con.execute("SET search_path = 'wh.main,memory.main'")


def _is_current(con: duckdb.DuckDBPyConnection, schema_version: str | None) -> bool:
    return schema_version is not None and recorded_schema_version(con) == schema_version


def _add_missing(con: duckdb.DuckDBPyConnection, definitions: tuple[tuple[str, str, str], ...]):
    """A file written before a view or a figure's rule (macro) existed (v_forecast, contract §4)
    gains it with its next write; until then its reader sees the same definition in the
    in-memory catalog, so every reader has this version's views and rules and no query keeps a
    copy of one. In file order: a view calls the macros above it, a table macro reads a view."""
    if not definitions:
        return
    queries = named_queries(SQL_DIR, "meta.sql")
    have = {
        "view": {row[0] for row in con.execute(queries["view_names"]).fetchall()},
        "macro": {row[0] for row in con.execute(queries["macro_names"]).fetchall()},
    }
    for kind, name, body in definitions:
        if name in have[kind]:
            continue
        statement = (
            f"CREATE VIEW memory.main.{name} AS {body}"
            if kind == "view"
            else f"CREATE MACRO memory.main.{name}{body}"
        )
        with contextlib.suppress(duckdb.Error):  # one over tables the file lacks
            con.execute(statement)  # from the views file


def identity(path: Path) -> tuple[int, int, int] | None:
    """(st_ino, st_mtime_ns, st_size): a swapped-in file differs in it (metrics.db's version)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def has_warehouse_tables(con: duckdb.DuckDBPyConnection) -> bool:
    names = {row[0] for row in con.execute("SHOW TABLES").fetchall()}
    return {"load_log", "progress_report", "funding_report"} <= names
