"""metrics.supervision: the 督办 page's ledger, counts, per-unit summary and an item's history,
on a ledger made by etl.writing.supervision over files loaded by the real loader."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from etl.writing import supervision as sv
from metrics import supervision as ms
from metrics.db import Warehouse
from metrics.filters import Filters
from tests.app.testdata import build_test_database
from tests.etl.test_supervision import APRIL, MAY, load, month_file, open_april_items

TODAY = dt.date.today()


@pytest.fixture
def db(tmp_path) -> Path:
    db = tmp_path / "minsheng.duckdb"
    load(db, month_file(tmp_path, 4, APRIL))
    # 1 乙县 岗位 (红 severity) overdue; 2 甲区 岗位 due in 3 days; 3 甲区 见习 due in a month
    open_april_items(db, TODAY)
    sv.add_note(db, 1, "已约谈乙县", by="李四")
    load(db, month_file(tmp_path, 5, MAY))  # 甲区 岗位 catches up: 可销号
    sv.close_item(db, 3, "经复核销号", by="王五")
    return db


def test_ledger_rows_and_what_they_say(db):
    items = ms.supervision_ledger(Warehouse(db), Filters(2025, 5))
    assert list(items["item_id"]) == [1, 2, 3, 4]
    assert list(items["status"]) == ["整改中", "可销号", "已销号", "待整改"]
    assert list(items["colour"].fillna("")) == ["红", "蓝", "", "黄"]
    assert items.loc[1, "status_note"] == "已赶上序时进度，待复核"
    assert items.loc[0, "item_label"] == "就业创业（公益性岗位开发）"
    assert items.loc[3, "item_label"] == "督查发现"
    assert items.loc[0, "gap_opened_points"] == pytest.approx(100 / 3)
    assert items.loc[0, "gap_latest_points"] == pytest.approx(100 * (5 / 12 - 0.1))
    assert items.loc[0, "gap_change_points"] < 0  # closing in
    assert list(items["days_left"][:2]) == [-1, 3] and items["days_left"].isna()[2]


def test_filters_narrow_the_ledger(db):
    wh = Warehouse(db)
    assert list(ms.supervision_ledger(wh, Filters(2025, 5, region="乙县"))["item_id"]) == [1]
    assert len(ms.supervision_ledger(wh, Filters(2025, 5, department="市人社局"))) == 4
    assert ms.supervision_ledger(wh, Filters(2024, 5)).empty


def test_counts_and_units(db):
    items = ms.supervision_ledger(Warehouse(db), Filters(2025, 5))
    counts = ms.ledger_counts(items)
    assert counts.by_status == {"待整改": 1, "整改中": 1, "可销号": 1, "已销号": 1}
    assert counts.n_open == 3
    by_region = ms.ledger_by_unit(items, "region")
    # most red first, then most open, then by name
    assert list(by_region["region"]) == ["乙县", "未填地区", "甲区"]
    assert list(by_region["n_red"]) == [1, 0, 0]
    assert list(by_region["n_open"]) == [1, 1, 1]
    assert list(by_region["n_closed"]) == [0, 0, 1]
    assert list(by_region["n_closable"]) == [0, 0, 1]


def test_history_and_gaps(db):
    wh = Warehouse(db)
    history = ms.item_history(wh, 2)
    assert list(history["event"]) == ["下发督办", "导入后复核"]
    assert list(history["status"]) == ["待整改", "可销号"]
    assert list(history["month"]) == [4, 5]
    assert history.loc[1, "gap_points"] == pytest.approx(-100 * (0.5 - 5 / 12))
    assert list(ms.item_history(wh, 1)["note"].fillna("")) == ["", "已约谈乙县"]
    gaps = ms.item_gaps(wh, 2)
    assert list(gaps["month"]) == [4, 5] and list(gaps["is_lagging"]) == [True, False]
    assert ms.item_gaps(wh, 4).empty


def test_a_database_without_the_ledger_has_no_items(tmp_path):
    wh = Warehouse(build_test_database(tmp_path / "old.duckdb"))
    assert not ms.has_ledger(wh)
    assert ms.supervision_ledger(wh, Filters(2025, 6)).empty
    assert ms.ledger_counts(ms.supervision_ledger(wh, Filters(2025, 6))).n_items == 0


def test_supervisable_lagging_leaves_out_items_with_an_open_督办():
    import pandas as pd

    from metrics.supervision import supervisable_lagging

    lagging = pd.DataFrame(
        {
            "region": ["甲区", "乙县", "丙县"],
            "project_code": ["1", "1", "2"],
            "indicator": ["岗位", "岗位", "改厕"],
            "severity": ["红", "黄", "橙"],
        }
    )
    ledger = pd.DataFrame(
        {
            "item_id": [7, 8],
            "region": ["甲区", "丙县"],
            "project_code": ["1", "2"],
            "indicator": ["岗位", "改厕"],
            "status": ["整改中", "已销号"],  # a closed item no longer covers its indicator
        }
    )
    free = supervisable_lagging(lagging, ledger)
    assert list(free.items["region"]) == ["乙县", "丙县"]
    assert (free.n_lagging, free.n_taken) == (3, 1)
    assert free.severe_keys == [("丙县", "2", "改厕")]
