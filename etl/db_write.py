"""The warehouse file's single-writer path and its read-only opening.

DuckDB allows one read-write process or many read-only ones, so a writer never opens the real
file: it takes an exclusive lock on `<db>.lock`, works on a copy `<db>.tmp-<pid>` and swaps the
copy in with `os.replace` (atomic). Readers attach the file READ_ONLY in a fresh in-memory
instance and so see either the old file or the new one, never a half-written one.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

SQL_DIR = Path(__file__).resolve().parent / "sql"
TMP_MARK = ".tmp-"
_NAME_LINE = re.compile(r"^-- name: (\w+)\s*$", re.MULTILINE)


def sql_text(file_name: str) -> str:
    return (SQL_DIR / file_name).read_text(encoding="utf-8")


@functools.cache
def named_queries(file_name: str) -> dict[str, str]:
    """The statements of a .sql file, each after its `-- name: x` line."""
    parts = _NAME_LINE.split(sql_text(file_name))
    return {name: body.strip() for name, body in zip(parts[1::2], parts[2::2], strict=True)}


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create missing tables and (re)create the views; safe to run on every open.

    Skipped when the file already has this version of schema.sql + views.sql (recorded in
    warehouse_meta): re-creating the views costs more than a small load itself.
    """
    wanted = _schema_version()
    try:
        row = con.execute("SELECT value FROM warehouse_meta WHERE key = 'schema_sha256'").fetchone()
    except duckdb.CatalogException:
        row = None
    if row is not None and row[0] == wanted:
        return
    con.execute("BEGIN TRANSACTION")  # one commit, not one per statement
    con.execute(sql_text("schema.sql"))
    con.execute(sql_text("views.sql"))
    con.execute("INSERT OR REPLACE INTO warehouse_meta VALUES ('schema_sha256', ?)", [wanted])
    con.execute("COMMIT")


@functools.cache
def _schema_version() -> str:
    return hashlib.sha256((sql_text("schema.sql") + sql_text("views.sql")).encode()).hexdigest()


def read_only_connection(db_path: Path) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory instance with the warehouse attached READ_ONLY (the reader way)."""
    con = duckdb.connect(":memory:")
    try:
        con.execute("ATTACH ? AS wh (READ_ONLY)", [str(db_path)])
        con.execute("USE wh")
    except BaseException:
        con.close()
        raise
    return con


def has_warehouse_tables(con: duckdb.DuckDBPyConnection) -> bool:
    names = {row[0] for row in con.execute("SHOW TABLES").fetchall()}
    return {"load_log", "progress_report", "funding_report"} <= names


def register_frames(con: duckdb.DuckDBPyConnection, frames: dict[str, pd.DataFrame]) -> None:
    """Expose a parsed file's frames to SQL as incoming_<kind> (no row-by-row inserts)."""
    for kind, frame in frames.items():
        con.register(f"incoming_{kind}", frame)


@contextmanager
def writable_copy(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a read-write connection to a copy of the warehouse; swap it in when the block ends.

    If the block raises, or the process dies, the copy is dropped and the real file is untouched.
    """
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive_lock(db_path):
        _remove_stale_copies(db_path)
        tmp = db_path.with_name(f"{db_path.name}{TMP_MARK}{os.getpid()}")
        wal = _wal(db_path)
        try:
            if db_path.exists():
                shutil.copyfile(db_path, tmp)
                if wal.exists():  # a writer outside this path crashed: keep its changes
                    shutil.copyfile(wal, _wal(tmp))
            con = duckdb.connect(str(tmp))
            try:
                apply_schema(con)
                yield con
                con.execute("CHECKPOINT")
            finally:
                con.close()
            _fsync(tmp)
            wal.unlink(missing_ok=True)  # a stale WAL would be replayed onto the new file
            os.replace(tmp, db_path)
        except BaseException:
            _discard(tmp)
            raise


@contextmanager
def _exclusive_lock(db_path: Path) -> Iterator[None]:
    # The lock file stays: removing it would let two writers lock different inodes.
    lock_path = db_path.with_name(db_path.name + ".lock")
    with open(lock_path, "a+b") as lock_file:
        fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)


def _remove_stale_copies(db_path: Path) -> None:
    # Under the lock no other writer is working, so every copy left is from a dead process.
    for stale in db_path.parent.glob(f"{glob_escape(db_path.name)}{TMP_MARK}*"):
        stale.unlink(missing_ok=True)


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _discard(tmp: Path) -> None:
    tmp.unlink(missing_ok=True)
    _wal(tmp).unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())
