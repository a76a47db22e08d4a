"""The reader: a swapped file is seen, bad files give a Chinese message, results are cached."""

import os
import threading

import duckdb
import pytest

from metrics.db import Warehouse, WarehouseUnavailable, resolve_db_path
from metrics.filters import Filters
from metrics.lagging import lagging_items
from metrics.overview import overview
from metrics.progress import indicator_progress

JUNE = Filters(2020, 6)


def test_sees_a_file_replaced_by_the_loader(tmp_path, db_builder):
    path = db_builder(tmp_path / "minsheng.duckdb", progress=[{"actual": 10}])
    wh = Warehouse(path)
    assert indicator_progress(wh, JUNE)["actual"].tolist() == [10]
    old_version = wh.version()
    # the writer's way: build a copy beside it, then os.replace
    db_builder(tmp_path / "minsheng.duckdb.tmp-1", progress=[{"actual": 70}])
    os.replace(tmp_path / "minsheng.duckdb.tmp-1", path)
    assert wh.version() != old_version
    assert indicator_progress(wh, JUNE)["actual"].tolist() == [70]
    assert wh.stats["connections"] == 2


def _replace(tmp_path, db_builder, path, actual):
    db_builder(tmp_path / "minsheng.duckdb.tmp-1", progress=[{"actual": actual}])
    os.replace(tmp_path / "minsheng.duckdb.tmp-1", path)


def _is_closed(con) -> bool:
    try:
        con.execute("SELECT 1")
    except duckdb.ConnectionException:
        return True
    return False


def test_idle_old_connection_is_closed_on_a_new_version(tmp_path, db_builder):
    path = db_builder(tmp_path / "minsheng.duckdb", progress=[{"actual": 10}])
    wh = Warehouse(path)
    indicator_progress(wh, JUNE)
    old = wh._con
    _replace(tmp_path, db_builder, path, 70)

    assert indicator_progress(wh, JUNE)["actual"].tolist() == [70]
    assert _is_closed(old)
    assert not _is_closed(wh._con)


def test_old_connection_stays_open_until_its_running_query_ends(tmp_path, db_builder):
    path = db_builder(tmp_path / "minsheng.duckdb", progress=[{"actual": 10}])
    wh = Warehouse(path)
    # a query in flight on the first version: its cursor is open
    old, cursor, _ = wh._cursor(wh.version())
    _replace(tmp_path, db_builder, path, 70)
    assert indicator_progress(wh, JUNE)["actual"].tolist() == [70]

    assert not _is_closed(old)
    assert cursor.execute("SELECT count(*) FROM progress_report").fetchone() == (1,)
    cursor.close()
    wh._release(old)
    assert _is_closed(old)
    assert indicator_progress(wh, JUNE)["actual"].tolist() == [70]  # the new one still serves


def test_missing_file(tmp_path):
    wh = Warehouse(tmp_path / "none.duckdb")
    assert not wh.exists() and wh.version() is None
    with pytest.raises(WarehouseUnavailable, match="未找到数据库文件"):
        wh.query("periods")


@pytest.mark.parametrize(
    "content",
    [b"", b"not a database at all\n" * 100, bytes(range(256)) * 64],
    ids=["empty", "text", "binary"],
)
def test_garbage_file(tmp_path, content):
    path = tmp_path / "minsheng.duckdb"
    path.write_bytes(content)
    with pytest.raises(WarehouseUnavailable, match="数据库文件无法读取"):
        Warehouse(path).query("periods")


def test_database_without_views(tmp_path):
    path = tmp_path / "minsheng.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE progress_report (year INTEGER)")
    con.close()
    with pytest.raises(WarehouseUnavailable, match="数据库缺少视图.*v_progress"):
        Warehouse(path).query("periods")


def test_empty_database_reads_as_empty(tmp_path, db_builder):
    wh = Warehouse(db_builder(tmp_path / "empty.duckdb"))
    assert wh.query("periods").empty
    assert indicator_progress(wh, JUNE).empty


def test_results_are_cached_per_version(tmp_path, db_builder):
    wh = Warehouse(db_builder(tmp_path / "a.duckdb", progress=[{"actual": 10}]))
    first = indicator_progress(wh, JUNE)
    first.loc[0, "actual"] = -1  # a caller's edit must not leak into the cache
    assert indicator_progress(wh, JUNE)["actual"].tolist() == [10]
    assert (wh.stats["executed"], wh.stats["cache_hits"]) == (1, 1)


def test_each_call_runs_a_fixed_number_of_statements(warehouse_factory):
    # 6 regions × 40 indicators × 6 months: set-based SQL, no statement per row or month
    rows = [
        {"region": f"区{r}", "indicator": f"指标{i}", "month": m, "actual": (r * i * m) % 97}
        for r in range(6)
        for i in range(40)
        for m in range(1, 7)
    ]
    wh = warehouse_factory(progress=rows)
    assert len(lagging_items(wh, JUNE)) > 0
    assert wh.stats["executed"] == 1
    overview(wh, JUNE)  # this month and last: progress, funding, lagging → 5 new statements
    assert wh.stats["executed"] == 6
    overview(wh, JUNE)
    assert wh.stats["executed"] == 6


def test_threads_share_one_warehouse(tmp_path, db_builder):
    wh = Warehouse(db_builder(tmp_path / "a.duckdb", progress=[{"actual": 10}]))
    results, errors = [], []

    def read(month):
        try:
            results.append(len(wh.query("indicator_progress", Filters(2020, month).params())))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=read, args=(m,)) for m in [6, 5, 6, 4, 6, 3, 6, 2]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(results) == [0, 0, 0, 0, 1, 1, 1, 1]


@pytest.mark.parametrize("name", ["../etl/sql/views", "periods.sql", "Periods", "no_such_query"])
def test_query_names_are_plain_files_of_metrics_sql(tmp_path, db_builder, name):
    with pytest.raises(ValueError):
        Warehouse(db_builder(tmp_path / "a.duckdb")).query(name)


def test_resolve_db_path(monkeypatch, repo_root):
    monkeypatch.delenv("MINSHENG_DB", raising=False)
    assert resolve_db_path() == repo_root / "data" / "minsheng.duckdb"
    monkeypatch.setenv("MINSHENG_DB", "other/place.duckdb")
    assert str(resolve_db_path()) == "other/place.duckdb"


def test_missing_parameter_is_named(tmp_path, db_builder):
    wh = Warehouse(db_builder(tmp_path / "a.duckdb"))
    with pytest.raises(KeyError, match="month"):
        wh.query("indicator_progress", {"year": 2020})


def test_file_removed_after_reading(tmp_path, db_builder):
    wh = Warehouse(db_builder(tmp_path / "a.duckdb", progress=[{"actual": 10}]))
    assert len(indicator_progress(wh, JUNE)) == 1
    (tmp_path / "a.duckdb").unlink()
    with pytest.raises(WarehouseUnavailable, match="未找到数据库文件"):
        indicator_progress(wh, JUNE)


TRANSIENT = duckdb.IOException('IO Error: Could not read enough bytes from file "wh.duckdb"')


def _failing(real, failures: list[Exception]):
    """`real`, raising the given exceptions on its first calls."""

    def call(*args, **kwargs):
        if failures:
            raise failures.pop(0)
        return real(*args, **kwargs)

    return call


@pytest.mark.parametrize("where", ["attach", "query"])
def test_a_transient_read_error_is_retried_on_a_fresh_connection(
    tmp_path, db_builder, monkeypatch, where
):
    import metrics.db

    wh = Warehouse(db_builder(tmp_path / "minsheng.duckdb", progress=[{"actual": 10}]))
    if where == "attach":
        real = metrics.db.read_only_connection
        monkeypatch.setattr(metrics.db, "read_only_connection", _failing(real, [TRANSIENT]))
    else:
        monkeypatch.setattr(wh, "_run", _failing(wh._run, [TRANSIENT]))
    assert indicator_progress(wh, JUNE)["actual"].tolist() == [10]
    assert wh.stats["retries"] == 1


@pytest.mark.parametrize("where", ["attach", "query"])
def test_a_read_error_that_stays_is_one_chinese_sentence(tmp_path, db_builder, monkeypatch, where):
    import metrics.db

    wh = Warehouse(db_builder(tmp_path / "minsheng.duckdb", progress=[{"actual": 10}]))
    if where == "attach":
        real = metrics.db.read_only_connection
        failing = _failing(real, [TRANSIENT, TRANSIENT])
        monkeypatch.setattr(metrics.db, "read_only_connection", failing)
    else:
        monkeypatch.setattr(wh, "_run", _failing(wh._run, [TRANSIENT, TRANSIENT]))
    with pytest.raises(WarehouseUnavailable) as raised:
        indicator_progress(wh, JUNE)
    assert str(raised.value) == (
        f"数据库文件无法读取（文件损坏、不是 DuckDB 数据库或无读取权限）：{wh.path}"
    )
    monkeypatch.undo()  # the file itself is fine: the next page run reads it
    assert indicator_progress(wh, JUNE)["actual"].tolist() == [10]
