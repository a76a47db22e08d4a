"""操作记录 (issue 19): the audit trail in the SQLite file beside the warehouse."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
import threading
import time
from pathlib import Path

import pytest

from etl.writing import activity, activity_store

AT = dt.datetime(2025, 3, 2, 10, 0, 0)


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "data" / "minsheng.duckdb"  # no warehouse needed for the audit trail


def test_the_store_sits_beside_the_warehouse():
    store = activity.activity_path(Path("data/minsheng.duckdb"))
    assert store == Path("data/minsheng.activity.sqlite")


def test_an_event_round_trip_newest_first(db):
    activity.record(db, user="张三", role="民生办", action="登录", at=AT)
    activity.record(
        db, user="李四", role="县区", action="下载", detail="《滞后项目.xlsx》", unit="北岭县",
        at=AT + dt.timedelta(minutes=5),
    )  # fmt: skip
    events = activity.audit_events(db)
    assert list(events.columns) == ["at", "user", "role", "unit", "action", "detail"]
    assert events.to_dict("records") == [
        {"at": AT + dt.timedelta(minutes=5), "user": "李四", "role": "县区", "unit": "北岭县",
         "action": "下载", "detail": "《滞后项目.xlsx》"},
        {"at": AT, "user": "张三", "role": "民生办", "unit": None, "action": "登录", "detail": ""},
    ]  # fmt: skip
    assert activity.audit_events(db, user="张三")["action"].tolist() == ["登录"]
    assert activity.audit_events(db, action="下载")["user"].tolist() == ["李四"]
    assert len(activity.audit_events(db, limit=1)) == 1


def test_reading_before_anything_was_recorded_creates_nothing(db):
    events = activity.audit_events(db)
    assert events.empty and list(events.columns)[0] == "at"
    assert not activity.activity_path(db).exists()


def test_blank_user_or_action_is_a_programming_error(db):
    with pytest.raises(ValueError):
        activity.record(db, user=" ", role="民生办", action="下载")
    with pytest.raises(ValueError):
        activity.record(db, user="张三", role="民生办", action="")


def test_long_detail_is_cut(db):
    activity.record(db, user="张三", role="民生办", action="下载", detail="表" * 5000)
    [detail] = activity.audit_events(db)["detail"].tolist()
    assert len(detail) == activity.MAX_DETAIL and detail.endswith("…")


def test_writers_on_several_threads_at_once_lose_nothing(db):
    activity.record(db, user="张三", role="民生办", action="登录")  # the file, made once
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def writer(name: str) -> None:
        try:
            start.wait()
            for i in range(25):
                activity.record(db, user=name, role="县区", action="下载", detail=str(i))
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(f"用户{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    events = activity.audit_events(db, limit=1000, action="下载")
    assert len(events) == 100 and events.groupby("user").size().tolist() == [25] * 4


def test_a_reader_is_not_blocked_by_a_writer(db):
    activity.record(db, user="张三", role="民生办", action="登录")
    with activity_store.connect(db, write=True) as con:  # a writer holds its transaction
        activity_store.write_event(con, at=None, user="李四", role="县区", action="下载")
        assert activity.audit_events(db)["user"].tolist() == ["张三"]  # WAL: readers go on
    assert len(activity.audit_events(db)) == 2


def test_a_store_locked_too_long_says_so_in_chinese(db, monkeypatch):
    activity.record(db, user="张三", role="民生办", action="登录")
    monkeypatch.setattr(activity_store, "BUSY_TIMEOUT_S", 0.2)
    holder = sqlite3.connect(activity.activity_path(db), isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        with pytest.raises(activity.StoreBusy) as busy:
            activity.record(db, user="李四", role="县区", action="下载")
        assert time.monotonic() - started < 5
        assert "请稍后再试" in busy.value.message
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert activity.audit_events(db)["user"].tolist() == ["张三"]


def test_a_new_store_gets_the_warehouses_permissions(db):
    db.parent.mkdir(parents=True)
    db.write_bytes(b"")
    os.chmod(db, 0o600)
    activity.record(db, user="张三", role="民生办", action="登录")
    assert stat.S_IMODE(os.stat(activity.activity_path(db)).st_mode) == 0o600


def test_times_are_stored_to_the_second_as_local_iso_text():
    assert activity_store.stamp(dt.datetime(2025, 3, 2, 10, 0, 5, 999)) == "2025-03-02T10:00:05"
    aware = dt.datetime(2025, 3, 2, 2, 0, tzinfo=dt.UTC)
    assert activity_store.stamp(aware) == aware.astimezone().replace(tzinfo=None).isoformat()
