"""The warehouse file's single-writer path.

DuckDB allows one read-write process or many read-only ones, so a writer never opens the real
file: it takes an exclusive lock on `<db>.lock`, works on a copy `<db>.tmp-<pid>-<n>` and swaps the
copy in with `os.replace` (atomic). Readers (warehouse.connection) attach the file READ_ONLY in a
fresh in-memory instance and so see either the old file or the new one, never a half-written one.
"""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import os
import re
import shutil
import stat
import threading
from collections.abc import Sequence
from pathlib import Path

import duckdb

from warehouse.schema import apply_schema

TMP_MARK = ".tmp-"
_COPY_NUMBERS = itertools.count(1)
WRITER_ALIAS = "wh"
ROW_GROUP_ROWS = 8_192  # rows per row group the writer appends (a multiple of 2,048)


class WritableCopy:
    """A read-write copy of the warehouse, swapped in when the block ends; its preparation
    (lock, copy, open, schema) runs in a background thread.

        with WritableCopy(db, schema_files) as copy:
            parsed = parse_file(path)      # meanwhile the copy is made and opened
            con = copy.connection()        # waits for it

    DuckDB and file copies release the GIL, so on a load of one file the fixed cost of opening
    the warehouse (30–60 ms here) hides behind parsing. Leaving the block swaps the copy in
    (CHECKPOINT, close, fsync, os.replace); leaving it by an exception discards the copy.
    """

    def __init__(self, db_path: Path, schema_files: Sequence[Path], *, one_commit: bool = False):
        self.db_path = Path(db_path)
        self.schema_files = tuple(schema_files)  # applied to the copy (warehouse.schema)
        # one data transaction (a single file): its COMMIT writes the rows straight into the
        # file instead of into the WAL and again at CHECKPOINT. Not for batches: a checkpoint
        # per file costs more than the WAL (the demo's 106 files).
        self.one_commit = one_commit
        # unique per copy: DuckDB caches open instances by path within a process
        copy_id = f"{os.getpid()}-{next(_COPY_NUMBERS)}"
        self.tmp = self.db_path.with_name(f"{self.db_path.name}{TMP_MARK}{copy_id}")
        self._con: duckdb.DuckDBPyConnection | None = None
        self._keep = True  # discard(): leave the real file as it is
        self._lock_file = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._prepare, name="warehouse-copy", daemon=True)

    def __enter__(self) -> WritableCopy:
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self._thread.start()
        return self

    def connection(self) -> duckdb.DuckDBPyConnection:
        """The read-write connection to the copy, once it is ready (re-raises its failure)."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._con is not None
        return self._con

    def discard(self) -> None:
        """Drop the copy when the block ends instead of swapping it in (nothing was written)."""
        self._keep = False

    def _prepare(self) -> None:
        try:
            self._lock_file = _lock(self.db_path)
            _remove_stale_copies(self.db_path)
            if self.db_path.exists():
                # private until the swap gives it the warehouse's own mode (keep_file_mode)
                os.close(os.open(self.tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
                shutil.copyfile(self.db_path, self.tmp)
                wal = _wal(self.db_path)
                if wal.exists():  # a writer outside this path crashed: keep its changes
                    shutil.copyfile(wal, _wal(self.tmp))
            self._con = _open_writable(self.tmp)
            apply_schema(self._con, self.schema_files)
            if self.one_commit:
                self._con.execute("SET checkpoint_threshold = '0b'")
        except BaseException as exc:  # noqa: BLE001 - handed to the thread that waits for it
            self._error = exc

    def __exit__(self, exc_type, exc, traceback) -> None:
        self._thread.join()
        try:
            if exc_type is None and self._error is None and self._keep:
                self._swap()
            else:
                self._abandon()
        finally:
            _unlock(self._lock_file)
        if exc_type is None and self._error is not None:
            raise self._error  # the block never asked for the connection

    def _swap(self) -> None:
        con = self._con
        try:
            con.execute(f"CHECKPOINT {WRITER_ALIAS}")
            # DETACH closes the copy's file and lock; the in-memory instance around it holds
            # nothing of the file and is closed after the swap (that takes a few ms)
            con.execute("USE memory")
            con.execute(f"DETACH {WRITER_ALIAS}")
            _fsync(self.tmp)
            keep_file_mode(self.db_path, self.tmp)
            _wal(self.db_path).unlink(missing_ok=True)  # a stale WAL would replay onto the new file
            os.replace(self.tmp, self.db_path)
        except BaseException:
            self._abandon()
            raise
        # the rename itself survives a power cut only once the folder is on disk
        _fsync_dir(self.db_path.parent)
        threading.Thread(target=con.close, name="warehouse-release").start()

    def _abandon(self) -> None:
        if self._con is not None:
            self._con.close()
        _discard(self.tmp)


def keep_file_mode(original: Path, replacement: Path) -> None:
    """Give the file about to replace `original` its permission bits (a 0600 warehouse stays
    0600) and, where allowed, its owner: a copy is made with the process's umask."""
    try:
        st = os.stat(original)
    except FileNotFoundError:
        return  # a new warehouse: the umask decides, as for any new file
    os.chmod(replacement, stat.S_IMODE(st.st_mode))
    mine = os.stat(replacement)
    if (mine.st_uid, mine.st_gid) != (st.st_uid, st.st_gid):
        # only root may give a file away; the mode is kept all the same
        with contextlib.suppress(PermissionError):
            os.chown(replacement, st.st_uid, st.st_gid)


def _open_writable(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection to the copy, attached with small row groups.

    DuckDB appends a load's rows to the table's last row group and a checkpoint rewrites that
    whole group: with the default 122,880 rows a province's monthly 8,000 rows made every load
    of a year rewrite up to seven earlier months (60 ms for the July load). With 8,192-row
    groups a load rewrites at most one small partial group."""
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH ? AS {WRITER_ALIAS} (ROW_GROUP_SIZE {ROW_GROUP_ROWS})", [str(path)])
        con.execute(f"USE {WRITER_ALIAS}")
    except BaseException:
        con.close()
        raise
    return con


def use_writer_database(cursor: duckdb.DuckDBPyConnection) -> None:
    """Point a cursor of the writer's connection at the copy (a cursor does not inherit USE)."""
    cursor.execute(f"USE {WRITER_ALIAS}")


def _lock(db_path: Path):
    # The lock file stays: removing it would let two writers lock different inodes.
    lock_file = open(db_path.with_name(db_path.name + ".lock"), "a+b")  # noqa: SIM115
    try:
        fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX)
    except BaseException:
        lock_file.close()
        raise
    return lock_file


def _unlock(lock_file) -> None:
    if lock_file is None:
        return
    try:
        fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)
    finally:
        lock_file.close()


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


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:  # a folder that cannot be opened (odd filesystems): the swap is still done
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
