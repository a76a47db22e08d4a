"""Read access to the warehouse file, following the project's single-writer design.

Readers never open the database path read-write and never `duckdb.connect(path)` it: each data
version gets a fresh in-memory DuckDB instance that ATTACHes the file READ_ONLY, so a file swapped
in by the loader (`os.replace`) is seen at the next query, even while an older connection is open.
The data version is (st_ino, st_mtime_ns, st_size) of the file. Results are cached per
(version, query, params), so a warm page run costs one `os.stat`. A replaced connection is
closed as soon as no query runs on it any more (each open cursor is counted).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path

import duckdb
import pandas as pd

from metrics.schema import read_only_connection
from warehouse.connection import identity, use_warehouse
from warehouse.paths import resolve_db_path as resolve_path
from warehouse.sql import sql_text

SQL_DIR = Path(__file__).resolve().parent / "sql"

# The public views this layer reads, with the columns it relies on (data contract §3).
REQUIRED_VIEWS: dict[str, tuple[str, ...]] = {
    "v_progress": (
        "year", "month", "region", "project_code", "project_name", "department", "category",
        "indicator", "unit", "target", "actual", "completion_rate", "planned_rate", "gap",
        "is_lagging",
    ),
    "v_funding": (
        "year", "month", "region", "project_code", "project_name", "budget", "arrived",
        "disbursed", "arrived_rate", "disbursed_rate", "disbursed_budget_rate",
    ),
    "v_scores": (
        "year", "month", "unit_type", "unit", "score", "cumulative_score", "rank",
        "cumulative_rank",
    ),
}  # fmt: skip

READ_ATTEMPTS = 2  # a failed attach or query is tried once more on a fresh connection
_QUERY_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")

Version = tuple[int, int, int]


# Errors no fresh connection can mend: a wrong statement, or tables the file does not have.
_SETTLED_ERRORS = (duckdb.ParserException, duckdb.BinderException, duckdb.CatalogException)


class WarehouseUnavailable(RuntimeError):
    """The database cannot be read; the message is Chinese and meant for the user."""


class _AttachFailed(WarehouseUnavailable):
    """ATTACH failed: perhaps a transient, so query() tries once more before showing it."""


def resolve_db_path() -> Path:
    """The dashboard's database: env MINSHENG_DB, else <repo>/data/minsheng.duckdb
    (the one rule of warehouse.paths, shared with the loader and the bulletin)."""
    return resolve_path()


def load_sql(name: str) -> str:
    """The text of metrics/sql/<name>.sql (names are plain identifiers, never paths)."""
    if not _QUERY_NAME.match(name):
        raise ValueError(f"invalid query name: {name!r}")
    return sql_text(SQL_DIR, f"{name}.sql")


def _used_params(sql: str, params: Mapping[str, object] | None) -> dict[str, object]:
    """Only the parameters the statement names: DuckDB refuses excess named parameters."""
    params = params or {}
    names = set(_PARAM.findall(sql))
    missing = names - set(params)
    if missing:
        raise KeyError(f"query parameters missing: {sorted(missing)}")
    return {k: v for k, v in params.items() if k in names}


def _cache_key(params: Mapping[str, object]) -> tuple[tuple[str, object], ...]:
    return tuple(sorted(params.items()))


class Warehouse:
    """The warehouse file, read through the contract views. Safe to share between threads."""

    def __init__(self, path: Path | str, *, cache_size: int = 256) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._con_version: Version | None = None
        # Open cursors per connection (by id): an old version's connection is closed when its
        # last cursor is, never under a running query.
        self._cursors: dict[int, int] = {}
        self._cache: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
        self._cache_size = cache_size
        # Counters for performance checks: statements run, cache hits, connections opened.
        self.stats = {"executed": 0, "cache_hits": 0, "connections": 0, "retries": 0}

    def __repr__(self) -> str:
        return f"Warehouse({str(self.path)!r})"

    def exists(self) -> bool:
        return self.path.is_file()

    def version(self) -> Version | None:
        """(st_ino, st_mtime_ns, st_size) of the file, None when it is missing."""
        return identity(self.path)

    def query(self, name: str, params: Mapping[str, object] | None = None) -> pd.DataFrame:
        """Run metrics/sql/<name>.sql with named `$param` parameters; a copy of the result.

        A DuckDB error while attaching or querying is tried once more on a fresh connection to
        the file as it is then (re-stat): a reader never shows an error for a transient, such as
        a file swapped in mid-read. The same failure twice is the user's, as a Chinese sentence.
        """
        sql = load_sql(name)
        used = _used_params(sql, params)
        params_key = _cache_key(used)
        for attempt in range(1, READ_ATTEMPTS + 1):
            version = self._require_version()
            with self._lock:
                cached = self._cache.get((version, name, params_key))
                if cached is not None:
                    self._cache.move_to_end((version, name, params_key))
                    self.stats["cache_hits"] += 1
                    return cached.copy()
            try:
                frame, version = self._run(sql, used, version)
                break
            except (duckdb.Error, _AttachFailed) as exc:
                # the statement or the file's schema is wrong: the same on any connection
                settled = isinstance(exc, _SETTLED_ERRORS)
                if not settled:
                    self._forget_connection()
                if attempt < READ_ATTEMPTS and not settled:
                    with self._lock:
                        self.stats["retries"] += 1
                    continue
                if isinstance(exc, _AttachFailed):
                    raise exc
                if isinstance(exc, duckdb.CatalogException):
                    raise WarehouseUnavailable(
                        f"数据库缺少需要的表或视图（可能由旧版本的导入程序生成）：{self.path}。"
                        "请用 python -m etl load 重新导入一次月报以更新数据库。"
                    ) from exc
                if isinstance(exc, duckdb.IOException | duckdb.SerializationException):
                    raise WarehouseUnavailable(self._unreadable()) from exc
                raise
        with self._lock:
            self.stats["executed"] += 1
            self._cache[(version, name, params_key)] = frame
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return frame.copy()

    def _run(
        self, sql: str, used: dict[str, object], version: Version
    ) -> tuple[pd.DataFrame, Version]:
        con, cursor, version = self._cursor(version)
        try:
            return cursor.execute(sql, used).df(), version
        finally:
            cursor.close()
            self._release(con)

    def _forget_connection(self) -> None:
        """Drop the current connection after a failure: the next try attaches afresh."""
        with self._lock:
            con, self._con, self._con_version = self._con, None, None
            if con is not None and not self._cursors.get(id(con)):
                con.close()  # else the last running query's _release closes it

    def _unreadable(self) -> str:
        return f"数据库文件无法读取（文件损坏、不是 DuckDB 数据库或无读取权限）：{self.path}"

    def _require_version(self) -> Version:
        version = self.version()
        if version is None:
            raise WarehouseUnavailable(
                f"未找到数据库文件：{self.path}。请先导入月报（python -m etl load 文件…）"
                "或生成示例数据（python -m etl demo）。"
            )
        return version

    def _cursor(
        self, version: Version
    ) -> tuple[duckdb.DuckDBPyConnection, duckdb.DuckDBPyConnection, Version]:
        """(connection, a cursor on it, its version) for the current file, reconnecting when
        the file changed. The caller closes the cursor, then calls `_release(connection)`."""
        with self._lock:
            if self._con is None or self._con_version != version:
                old = self._con
                self._con, self._con_version = self._connect()
                self.stats["connections"] += 1
                if old is not None and not self._cursors.get(id(old)):
                    old.close()  # idle: close now; else its last query's _release closes it
                # Results of older versions can never be asked for again.
                for key in [k for k in self._cache if k[0] != self._con_version]:
                    del self._cache[key]
            con, version = self._con, self._con_version
            cursor = con.cursor()
            self._cursors[id(con)] = self._cursors.get(id(con), 0) + 1
        try:
            # A cursor is a new connection on the same instance: it starts in the default catalog.
            use_warehouse(cursor)
        except BaseException:
            cursor.close()
            self._release(con)
            raise
        return con, cursor, version

    def _release(self, con: duckdb.DuckDBPyConnection) -> None:
        """One query on `con` is done; close `con` if it was replaced and this was its last."""
        with self._lock:
            left = self._cursors.get(id(con), 1) - 1
            if left > 0:
                self._cursors[id(con)] = left
                return
            self._cursors.pop(id(con), None)
            if con is not self._con:
                con.close()

    def _connect(self) -> tuple[duckdb.DuckDBPyConnection, Version]:
        # Stat before and after ATTACH: if the loader swapped the file in between, try again so
        # the version we label results with is the file we actually attached.
        for _ in range(3):
            before = self._require_version()
            con = self._attach()
            if self.version() == before:
                self._check_views(con)
                return con, before
            con.close()
        raise WarehouseUnavailable(f"数据库文件正在频繁更新，请稍后刷新：{self.path}")

    def _attach(self) -> duckdb.DuckDBPyConnection:
        try:
            return read_only_connection(self.path)
        except duckdb.Error as exc:  # query() tries once more, then shows this sentence
            raise _AttachFailed(self._unreadable()) from exc

    def _check_views(self, con: duckdb.DuckDBPyConnection) -> None:
        # duckdb_columns() lists view columns too and is far cheaper than information_schema
        found = con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() "
            "WHERE database_name = 'wh' AND table_name IN ('v_progress', 'v_funding', 'v_scores')"
        ).fetchall()
        columns: dict[str, set[str]] = {}
        for table, column in found:
            columns.setdefault(table, set()).add(column)
        problems = [
            view
            for view, needed in REQUIRED_VIEWS.items()
            if not set(needed) <= columns.get(view, set())
        ]
        if problems:
            con.close()
            raise WarehouseUnavailable(
                f"数据库缺少视图或视图列不全：{'、'.join(problems)}（{self.path}）。"
                "请用 python -m etl load 重新导入一次以建立视图。"
            )
