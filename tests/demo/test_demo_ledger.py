"""The demo's 督办台账 (etl.demo.ledger): items opened after the 通报 months for 红 items, notes,
销号, one 可销号 left for 复核, chronic items still open past their deadlines — at fixed times,
so two builds give the same ledger."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.demo import build_demo_database, is_demo_database, story
from tests.demo.test_demo_database import query

LEDGER = (
    "SELECT item_id, year, month, region, department, project_code, indicator, status, "
    "deadline, opened_at, closed_at, n_notes FROM v_supervision ORDER BY item_id"
)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("demo_ledger") / "demo.duckdb"
    build_demo_database(db)
    return db


def test_ledger_tells_the_story(db):
    items = query(db, LEDGER)
    assert is_demo_database(db)  # the ledger does not make the demo look like real data
    by_month = {}
    for item in items:
        by_month.setdefault((item[1], item[2]), []).append(item)
    assert sorted(by_month) == [(2025, 4), (2025, 6), (2025, 8), (2026, 2)]
    (finding,) = by_month[(2025, 4)]
    assert finding[3] == "北岭县" and finding[6] is None and finding[7] == "已销号"
    statuses = {i[7] for i in items}
    assert statuses == {"待整改", "整改中", "可销号", "已销号"}
    # opened after the 通报 of the month, for 红 items (over 30 points behind) in 2025
    assert {str(i[9]) for i in by_month[(2025, 6)]} == {"2025-07-11 09:30:00"}
    gaps = query(db, "SELECT min(-gap_opened) FROM v_supervision WHERE year = 2025 AND month > 4")
    assert gaps[0][0] * 100 > 30
    # 青阳县's 8月 typo: caught up once corrected, left 可销号 for the office's 复核
    typo = story.TYPO
    closable = [i for i in items if i[7] == "可销号"]
    assert [(i[3], i[5], i[6]) for i in closable] == [
        (typo["region"], typo["project_code"], typo["indicator"])
    ]
    # chronic items stay open and are 红 on any day after their deadline
    overdue = query(db, "SET VARIABLE supervision_as_of = DATE '2026-06-01'; "
                        "SELECT count(*) FROM v_supervision WHERE colour = '红'")  # fmt: skip
    assert overdue[0][0] >= 10
    notes = query(db, "SELECT DISTINCT actor FROM supervision_event WHERE kind = 'note'")
    assert {"市交通局", "市农业农村局", "市水利局", "西山区民生办", "市民政局"} <= {
        a for (a,) in notes
    }


def test_events_follow_each_other_in_time(db):
    order = query(
        db, "SELECT item_id, happened_at FROM supervision_event ORDER BY item_id, event_id"
    )
    last: dict[int, object] = {}
    for item_id, at in order:
        assert item_id not in last or last[item_id] <= at
        last[item_id] = at


def test_the_ledger_is_the_same_on_every_build(db, tmp_path):
    again = tmp_path / "again.duckdb"
    build_demo_database(again)
    events = "SELECT * FROM supervision_event ORDER BY event_id"
    assert query(again, LEDGER) == query(db, LEDGER)
    assert query(again, events) == query(db, events)
