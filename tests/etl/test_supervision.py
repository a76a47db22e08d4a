"""督办台账 (data contract §5) on files made here and loaded by the real loader: opening items,
status across loads and undo, 整改 notes, 销号, colours from current_date, refusals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from etl.writing import supervision as sv
from etl.writing.warehouse import load_paths, undo_load
from tests.app.testdata import build_test_database
from tests.etl.fixtures import progress_row, progress_workbook

# (region, project_code, project_name, indicator); every target 100, so actual = percent
KEYS = [
    ("甲区", "1", "就业创业", "公益性岗位开发"),
    ("甲区", "2", "就业见习", "就业见习"),
    ("乙县", "1", "就业创业", "公益性岗位开发"),
    ("乙县", "2", "就业见习", "就业见习"),
]
# April's 序时进度 is 4/12 = 33.3%: 甲区 岗位 10% (23.3 behind: 橙), 甲区 见习 30% (3.3: 黄),
# 乙县 岗位 0% (33.3: 红), 乙县 见习 50% (ahead). May (41.7%): 甲区 岗位 50% has caught up.
APRIL = [10, 30, 0, 50]
MAY = [50, 35, 10, 60]
CONTRACT_COLUMNS = [
    "item_id", "year", "month", "region", "department", "project_code", "indicator", "reason",
    "gap_opened", "gap_latest", "latest_month", "deadline", "status", "colour", "opened_at",
    "closed_at",
]  # fmt: skip


def month_file(folder: Path, month: int, actuals: list[float]) -> Path:
    rows = [
        progress_row(code, indicator, 100, actual, year=2025, month=month, region=region,
                     name=name)
        for (region, code, name, indicator), actual in zip(KEYS, actuals, strict=True)
    ]  # fmt: skip
    return progress_workbook(folder / f"2025年{month}月.xlsx", rows)


def load(db: Path, path: Path):
    [result] = load_paths([path], db, loaded_by="张三")
    assert not result.refused, result.lines()
    return result


def open_april_items(db: Path, today: dt.date) -> None:
    """Four items on April: three lagging ones (红 overdue; due in 3 days; 黄 due in a month)
    and a manual finding of 市人社局, due in a month."""
    sv.open_lagging(db, 2025, 4, min_severity="红", deadline=today - dt.timedelta(days=1))
    sv.open_lagging(db, 2025, 4, deadline=today + dt.timedelta(days=3))
    sv.open_lagging(db, 2025, 4, min_severity="黄", deadline=today + dt.timedelta(days=30))
    sv.open_manual(db, 2025, 4, reason="未按时报送信息", department="市人社局", by="张三",
                   deadline=today + dt.timedelta(days=30))  # fmt: skip


@pytest.fixture
def db(tmp_path) -> Path:
    db = tmp_path / "minsheng.duckdb"
    load(db, month_file(tmp_path, 4, APRIL))
    return db


def ledger_rows(db: Path) -> list[dict]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        cursor = con.execute("SELECT * FROM v_supervision ORDER BY item_id")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


def ledger(db: Path) -> dict[tuple[str, str], dict]:
    """v_supervision by (region, indicator) of the lagging items, (department, reason) else."""
    rows = ledger_rows(db)
    return {(r["region"] or r["department"], r["indicator"] or r["reason"]): r for r in rows}


def events(db: Path, item_id: int) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT kind, status, actor, note FROM supervision_event WHERE item_id = ? "
            "ORDER BY event_id",
            [item_id],
        ).fetchall()


def test_view_has_the_contract_columns_in_order(db):
    sv.open_lagging(db, 2025, 4)
    with duckdb.connect(str(db), read_only=True) as con:
        columns = [row[0] for row in con.execute("DESCRIBE v_supervision").fetchall()]
    assert columns[: len(CONTRACT_COLUMNS)] == CONTRACT_COLUMNS


def test_open_takes_orange_and_red_items_once(db):
    opened = sv.open_lagging(db, 2025, 4, by="张三")
    assert opened.ok and len(opened.item_ids) == 2
    assert opened.message == "2025年4月橙及以上的滞后项：新下发督办 2 项（编号 1、2）"
    items = ledger(db)
    assert set(items) == {("乙县", "公益性岗位开发"), ("甲区", "公益性岗位开发")}
    red = items[("乙县", "公益性岗位开发")]
    assert red["item_id"] == 1  # worst first
    assert red["status"] == "待整改"
    assert red["gap_opened"] == pytest.approx(-1 / 3)
    assert (red["gap_latest"], red["latest_month"]) == (pytest.approx(-1 / 3), 4)
    assert red["deadline"] == dt.date(2025, 5, 31)
    assert red["department"] == "市人社局" and red["project_code"] == "1"
    assert "低于序时进度33.3个百分点（红）" in red["reason"]
    assert red["closed_at"] is None and red["opened_at"] is not None

    again = sv.open_lagging(db, 2025, 4)
    assert again.ok and again.item_ids == [] and again.already == [1, 2]
    assert "没有新下发督办" in again.message and "未重复下发" in again.message
    assert len(ledger(db)) == 2

    yellow = sv.open_lagging(db, 2025, 4, min_severity="黄")
    assert yellow.item_ids == [3] and yellow.already == [1, 2]
    assert ("甲区", "就业见习") in ledger(db)


def test_status_follows_loads_and_undo(db, tmp_path):
    sv.open_lagging(db, 2025, 4)
    items = ledger(db)
    jia, yi = items[("甲区", "公益性岗位开发")], items[("乙县", "公益性岗位开发")]
    assert sv.add_note(db, yi["item_id"], "已约谈乙县人社局", by="李四").ok
    assert ledger(db)[("乙县", "公益性岗位开发")]["status"] == "整改中"

    may = load(db, month_file(tmp_path, 5, MAY))
    assert f"督办：1 项已赶上序时进度，待复核销号（编号 {jia['item_id']}）" in may.notices
    items = ledger(db)
    assert items[("甲区", "公益性岗位开发")]["status"] == "可销号"
    assert items[("甲区", "公益性岗位开发")]["latest_month"] == 5
    assert items[("甲区", "公益性岗位开发")]["gap_latest"] == pytest.approx(0.5 - 5 / 12)
    # still behind: keeps its status, shows the new gap
    assert items[("乙县", "公益性岗位开发")]["status"] == "整改中"
    assert items[("乙县", "公益性岗位开发")]["gap_latest"] == pytest.approx(0.1 - 5 / 12)

    undone = undo_load(db, may.load_id, by="王五")
    assert not undone.refused
    assert f"督办：1 项又低于序时进度，恢复督办（编号 {jia['item_id']}）" in undone.notices
    items = ledger(db)
    assert items[("甲区", "公益性岗位开发")]["status"] == "待整改"
    assert items[("甲区", "公益性岗位开发")]["latest_month"] == 4
    assert items[("乙县", "公益性岗位开发")]["status"] == "整改中"
    assert [e[:3] for e in events(db, jia["item_id"])] == [
        ("opened", "待整改", "cli"),
        ("recheck", "可销号", "张三"),
        ("recheck", "待整改", "王五"),
    ]


def test_item_opened_for_an_old_month_that_caught_up_starts_closable(db, tmp_path):
    load(db, month_file(tmp_path, 5, MAY))
    sv.open_lagging(db, 2025, 4)
    items = ledger(db)
    assert items[("甲区", "公益性岗位开发")]["status"] == "可销号"
    assert items[("乙县", "公益性岗位开发")]["status"] == "待整改"


def test_close_in_any_open_status_and_only_a_person_closes(db, tmp_path):
    sv.open_lagging(db, 2025, 4)
    load(db, month_file(tmp_path, 5, MAY))
    items = ledger(db)
    for key in items:
        done = sv.close_item(db, items[key]["item_id"], "经复核，同意销号", by="王五")
        assert done.ok, done.message
    closed = ledger(db)
    assert {r["status"] for r in closed.values()} == {"已销号"}
    assert {r["colour"] for r in closed.values()} == {None}
    assert all(r["closed_at"] is not None and r["closed_by"] == "王五" for r in closed.values())
    # a later load never re-opens or changes a closed item
    load(db, month_file(tmp_path, 6, [0, 0, 0, 0]))
    assert {r["status"] for r in ledger(db).values()} == {"已销号"}
    # once closed, the same indicator may get a new item
    assert sv.open_lagging(db, 2025, 6).item_ids == [3, 4, 5, 6]  # all four 50 points behind


def test_reopen_is_a_person_and_refused_beside_an_open_twin(db):
    sv.open_lagging(db, 2025, 4)
    sv.close_item(db, 1, "销号", by="王五")
    sv.open_lagging(db, 2025, 4)  # a new item 3 for the same indicator
    refused = sv.reopen_item(db, 1, "复查发现仍滞后", by="王五")
    assert not refused.ok and "已有未销号的督办事项 3" in refused.message
    sv.close_item(db, 3, "销号", by="王五")
    reopened = sv.reopen_item(db, 1, "复查发现仍滞后", by="王五")
    assert reopened.ok and reopened.message == "督办事项 1 已重新打开，状态：待整改"
    statuses = {r["item_id"]: r["status"] for r in ledger_rows(db)}
    assert statuses == {1: "待整改", 2: "待整改", 3: "已销号"}
    assert [e[0] for e in events(db, 1)] == ["opened", "closed", "reopened"]


def test_manual_finding(db):
    made = sv.open_manual(db, 2025, 4, reason="未按时报送信息", department="市人社局", by="张三")
    assert made.ok
    item = ledger(db)[("市人社局", "未按时报送信息")]
    assert (item["region"], item["project_code"], item["indicator"]) == (None, None, None)
    assert (item["gap_opened"], item["gap_latest"], item["latest_month"]) == (None, None, None)
    assert item["status"] == "待整改" and item["opened_by"] == "张三"
    assert sv.add_note(db, item["item_id"], "已补报", by="市人社局").ok
    assert ledger(db)[("市人社局", "未按时报送信息")]["status"] == "整改中"
    nobody = sv.open_manual(db, 2025, 4, reason="x", region=" ", department=None)
    assert not nobody.ok and nobody.message == "请填写地区或责任单位（至少一项）"
    assert not sv.open_manual(db, 2025, 4, reason=" ", region="甲区").ok


@pytest.mark.parametrize(
    ("days", "colour"), [(-1, "红"), (0, "蓝"), (7, "蓝"), (8, "黄"), (30, "黄")]
)
def test_colour_from_current_date(db, days, colour):
    # the view computes the colour for today (current_date): deadlines set relative to it
    deadline = dt.date.today() + dt.timedelta(days=days)
    sv.open_lagging(db, 2025, 4, deadline=deadline)
    assert {r["colour"] for r in ledger(db).values()} == {colour}


def test_refused_operations_leave_the_file_as_it_was(db):
    sv.open_lagging(db, 2025, 4)
    before = (db.read_bytes(), db.stat().st_mtime_ns)
    assert sv.add_note(db, 99, "x").message == "没有编号为 99 的督办事项"
    assert not sv.add_note(db, 1, "   ").ok
    assert not sv.open_lagging(db, 2025, 7).ok  # no figures for July
    assert sv.open_lagging(db, 2025, 4).item_ids == []  # nothing new: not rewritten either
    sv_closed = sv.close_item(db, 1, "销号", by="王五")
    assert sv_closed.ok
    before = (db.read_bytes(), db.stat().st_mtime_ns)
    again = sv.close_item(db, 1, "再销号", by="王五")
    assert not again.ok and again.message == "督办事项 1 已经销号"
    assert not sv.add_note(db, 1, "x", by="王五").ok
    assert (db.read_bytes(), db.stat().st_mtime_ns) == before


def test_an_existing_database_gains_the_ledger_on_its_next_write(tmp_path):
    db = build_test_database(tmp_path / "old.duckdb")  # schema.sql + views.sql only
    opened = sv.open_lagging(db, 2025, 6, min_severity="黄")
    assert opened.ok and len(opened.item_ids) == 3
    assert ("铜官区", "公益性岗位开发") in ledger(db)
