"""The activity store (操作记录与报送库): a SQLite file beside the DuckDB warehouse.

Why a second file: the warehouse has one writer at a time, and every write copies the whole
DuckDB file and swaps it in (etl.writing.db_write). An audit event is written on every export click, from
several Streamlit processes at once; a file copy per click would be slow and would queue behind
loads. A unit's 报送 waiting for review is not warehouse data until the 民生办 accepts it. So both
live in `<warehouse stem>.activity.sqlite` in the warehouse's folder (data/minsheng.duckdb →
data/minsheng.activity.sqlite): SQLite in WAL mode lets readers read while one writer appends,
and its busy timeout makes a writer wait for another instead of failing at once.

Times are naive local datetimes to the second, stored as ISO text (see `stamp`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

from etl.writing.db_write import named_queries

SQL_FILE = "activity.sql"
SUFFIX = ".activity.sqlite"
# A writer waits this long for another before giving up (sqlite3's `timeout`, SQLite's
# busy_timeout). An append takes milliseconds; storing a 20 MB report file well under a second.
BUSY_TIMEOUT_S = 10.0
BUSY_MESSAGE = "操作记录库正忙，暂时无法写入，请稍后再试"

_prepared: set[tuple[str, int]] = set()  # (path, inode) whose schema this process has applied
_prepare_lock = threading.Lock()


class StoreBusy(Exception):
    """The store stayed locked longer than BUSY_TIMEOUT_S (or could not be opened)."""

    def __init__(self, message: str = BUSY_MESSAGE):
        super().__init__(message)
        self.message = message


def queries() -> dict[str, str]:
    return named_queries(SQL_FILE)


def activity_path(db_path: Path) -> Path:
    """`data/minsheng.duckdb` → `data/minsheng.activity.sqlite` (same folder, same stem)."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.stem + SUFFIX)


def stamp(at: dt.datetime | None = None) -> str:
    """A time as stored: naive local, to the second, ISO (`2025-02-03T09:15:00`)."""
    at = at or dt.datetime.now()
    if at.tzinfo is not None:
        at = at.astimezone().replace(tzinfo=None)
    return at.replace(microsecond=0).isoformat(timespec="seconds")


def parse_stamp(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text)


def exists(db_path: Path) -> bool:
    return activity_path(db_path).exists()


@contextlib.contextmanager
def connect(db_path: Path, *, write: bool = False) -> Iterator[sqlite3.Connection]:
    """A connection to the store; with `write` the block is one transaction, taken up front
    (BEGIN IMMEDIATE: a reader never has to upgrade to a writer, which SQLite refuses without
    waiting), committed when the block ends and rolled back when it raises."""
    path = activity_path(db_path)
    try:
        con = _open(path, Path(db_path))
    except sqlite3.OperationalError as exc:
        raise StoreBusy() from exc
    try:
        if write:
            _execute(con, "BEGIN IMMEDIATE")
        yield con
        if write:
            _execute(con, "COMMIT")
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise
    finally:
        con.close()


def write_event(
    con: sqlite3.Connection,
    *,
    at: dt.datetime | None,
    user: str,
    role: str,
    action: str,
    detail: str = "",
    unit: str | None = None,
) -> None:
    """Append one audit event in the connection's open transaction."""
    params = {
        "at": stamp(at), "user": user, "role": role, "unit": unit, "action": action,
        "detail": detail,
    }  # fmt: skip
    _execute(con, queries()["insert_event"], params)


def _execute(con: sqlite3.Connection, sql: str, params=()) -> sqlite3.Cursor:
    try:
        return con.execute(sql, params)
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise StoreBusy() from exc
        raise


def _open(path: Path, db_path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        _create_like(path, db_path)
    # isolation_level None: transactions are the ones written here, not sqlite3's implicit ones
    con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        _prepare(con, path)
    except BaseException:
        con.close()
        raise
    return con


def _prepare(con: sqlite3.Connection, path: Path) -> None:
    """WAL mode and the tables, once per file per process (both persist in the file)."""
    key = (str(path), os.stat(path).st_ino)
    if key in _prepared:
        return
    with _prepare_lock:
        if key in _prepared:
            return
        con.execute("PRAGMA journal_mode = WAL")
        con.executescript(queries()["schema"])
        _prepared.add(key)


def _create_like(path: Path, db_path: Path) -> None:
    """A new store gets the warehouse's permission bits: it holds the same people's data (names,
    units' report files), so a 0600 warehouse gets a 0600 store."""
    try:
        mode = stat.S_IMODE(os.stat(db_path).st_mode)
    except FileNotFoundError:
        return  # no warehouse yet: SQLite creates the file with the umask, as any new file
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode))
    except FileExistsError:
        return  # another process made it first
    os.chmod(path, mode)  # os.open's mode went through the umask
