"""督办 page in a real browser: a database with a ledger shows a named item with its colour chip
(Chinese rendered; screenshot in test-artifacts/supervision.png)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from etl.writing import supervision as sv
from tests.app.testdata import build_test_database
from tests.browser.harness import open_page, save_screenshot
from tests.browser.test_pages import grid_rows

pytestmark = pytest.mark.browser
TODAY = dt.date.today()


@pytest.fixture(scope="module")
def ledger_city(streamlit_launcher, tmp_path_factory):
    db: Path = build_test_database(tmp_path_factory.mktemp("ledger") / "minsheng.duckdb")
    # 1 铜官区 岗位: overdue (红); 2 铜官区 完工: due in 3 days (蓝); 3 枞阳县: due in a month (黄)
    sv.open_lagging(db, 2025, 6, min_severity="红", deadline=TODAY - dt.timedelta(days=2))
    sv.open_lagging(db, 2025, 6, deadline=TODAY + dt.timedelta(days=3))
    sv.open_lagging(db, 2025, 6, min_severity="黄", deadline=TODAY + dt.timedelta(days=30))
    sv.add_note(db, 2, "已约谈市交通局", by="李四")
    return streamlit_launcher(db)


def test_ledger_names_the_item_and_its_colour(page: Page, ledger_city):
    open_page(page, f"{ledger_city.url}/supervision")
    expect(page.get_by_role("heading", name="督办", exact=True, level=1)).to_be_visible()
    expect(page.get_by_text("红（已逾期）")).to_be_visible()
    rows = grid_rows(page, "supervision_items")
    header = rows[0]
    by_id = {row[header.index("编号")]: row for row in rows[1:]}
    first = by_id["1"]
    assert first[header.index("地区")] == "铜官区"
    assert first[header.index("督办事项")] == "公益性岗位开发（公益性岗位开发）"
    assert first[header.index("三色")] == "红"
    assert first[header.index("状态")] == "待整改"
    assert by_id["2"][header.index("三色")] == "蓝"
    assert by_id["2"][header.index("状态")] == "整改中"
    assert by_id["3"][header.index("三色")] == "黄"
    save_screenshot(page, "supervision")
