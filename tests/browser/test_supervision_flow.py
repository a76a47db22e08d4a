"""The clerk's month on the 督办 page in a real browser (issue 13's "done when"):

sign in as 民生办 → open items for April's 橙/红 items → record a unit's 整改 note → May's file is
loaded (the command line, between two page visits, as a scripted monthly routine would) → see
which item caught up (可销号，已赶上序时进度，待复核) → 销号 it → download a county's 督办通知单.
Screenshots: test-artifacts/supervision_flow_{1_opened,2_note,3_caught_up,4_closed,5_notice}.png.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from bulletin.notice import ASK
from dashboard.auth import MIN_ITERATIONS, hash_password
from tests.browser.harness import (
    PAGE_RUN_TIMEOUT_MS,
    StreamlitServer,
    assert_no_streamlit_exception,
    open_page,
    save_screenshot,
)
from tests.browser.test_pages import grid_rows, wait_for_run
from tests.etl.test_supervision import APRIL, MAY, load, month_file

pytestmark = pytest.mark.browser

PASSWORD = "民生办口令-2026"
CLERK = "王敏"


@pytest.fixture
def clerk_city(tmp_path, streamlit_launcher) -> tuple[StreamlitServer, Path]:
    """April loaded: 乙县 岗位 0% (红), 甲区 岗位 10% (橙), 甲区 见习 30% (黄) behind 33.3%."""
    db = tmp_path / "minsheng.duckdb"
    load(db, month_file(tmp_path, 4, APRIL))
    hashed = hash_password(PASSWORD, iterations=MIN_ITERATIONS)
    return streamlit_launcher(db, MINSHENG_ADMIN_PASSWORD_HASH=hashed), db


def sign_in(page: Page, server: StreamlitServer) -> None:
    open_page(page, server.url + "/data_admin")
    page.get_by_label("姓名（记入导入记录）").fill(CLERK)
    page.get_by_label("民生办口令").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text(f"已登录：{CLERK}（民生办）")).to_be_visible(
        timeout=PAGE_RUN_TIMEOUT_MS
    )


def go_to_supervision(page: Page) -> None:
    """The sidebar's link: the same browser session, so the clerk stays signed in."""
    page.locator("[data-testid='stSidebarNav'] a", has_text="督办").click()
    expect(page.get_by_role("heading", name="督办", exact=True, level=1)).to_be_visible(
        timeout=PAGE_RUN_TIMEOUT_MS
    )
    wait_for_run(page)


def open_tab(page: Page, label: str) -> None:
    page.locator("[data-testid='stMain'] [role='tab']", has_text=label).click()
    wait_for_run(page)


def pick_item(page: Page, item_id: int) -> None:
    page.locator("[data-testid='stMain'] [data-testid='stSelectbox']").filter(
        has_text="督办事项"
    ).click()
    page.get_by_role("option", name=f"编号 {item_id}｜").click()
    wait_for_run(page)


def rows_of(page: Page, key: str, n: int) -> list[list[str]]:
    """A table's rows (header first) once its grid shows n data rows."""
    grid = page.locator(f".st-key-table_{key} [data-testid='stDataFrame'] table tr")
    expect(grid).to_have_count(n + 1, timeout=PAGE_RUN_TIMEOUT_MS)
    return grid_rows(page, key)


def ledger(page: Page, n: int) -> dict[str, dict[str, str]]:
    """The 督办台账 grid as people read it: 编号 → {header: cell}."""
    rows = rows_of(page, "supervision_items", n)
    header = rows[0]
    return {row[header.index("编号")]: dict(zip(header, row, strict=True)) for row in rows[1:]}


def success(page: Page, text: str) -> None:
    expect(page.locator("[data-testid='stAlertContentSuccess']", has_text=text)).to_be_visible(
        timeout=PAGE_RUN_TIMEOUT_MS
    )


def test_clerk_month_from_opening_to_notice(page: Page, clerk_city, tmp_path):
    server, db = clerk_city
    page.set_viewport_size({"width": 1600, "height": 1000})
    sign_in(page, server)
    go_to_supervision(page)

    # 下发督办 for April's 橙 and 红 items
    open_tab(page, "下发督办")
    expect(page.get_by_text("本月滞后 3 项，其中 0 项已有未销号的督办。")).to_be_visible()
    page.get_by_role("button", name="下发全部橙、红项（2 项）").click()
    success(page, "2025年4月橙及以上的滞后项：新下发督办 2 项（编号 1、2）")
    expect(page.get_by_text("本月滞后 3 项，其中 2 项已有未销号的督办。")).to_be_visible()
    wait_for_run(page)
    save_screenshot(page, "supervision_flow_1_opened")

    # 乙县 reports its 整改
    open_tab(page, "事项详情")
    pick_item(page, 1)
    page.get_by_label("整改情况（单位报来的措施、进展）").fill(
        "乙县已召开推进会，新增公益性岗位30个"
    )
    page.get_by_role("button", name="记录整改情况").click()
    success(page, "已记录督办事项 1 的整改情况，状态：整改中")
    history = rows_of(page, "supervision_history", 2)
    assert [row[history[0].index("操作人")] for row in history[1:]] == [CLERK, CLERK]
    assert history[2][history[0].index("内容")] == "乙县已召开推进会，新增公益性岗位30个"
    save_screenshot(page, "supervision_flow_2_note")

    # May's file arrives and is loaded between two page visits; the load re-checks the ledger
    result = load(db, month_file(tmp_path, 5, MAY))
    assert "督办：1 项已赶上序时进度，待复核销号（编号 2）" in result.notices
    open_tab(page, "督办台账")
    items = ledger(page, 2)
    assert (items["1"]["地区"], items["1"]["状态"], items["1"]["说明"]) == (
        "乙县", "整改中", "已报整改情况",
    )  # fmt: skip
    assert (items["2"]["地区"], items["2"]["状态"], items["2"]["说明"]) == (
        "甲区", "可销号", "已赶上序时进度，待复核",
    )  # fmt: skip
    assert items["2"]["最新月份"] == "5"
    expect(page.locator("[data-testid='stMetric']", has_text="可销号（待复核）")).to_contain_text(
        "1"
    )
    save_screenshot(page, "supervision_flow_3_caught_up")

    # 复核 and 销号 甲区's item
    open_tab(page, "事项详情")
    pick_item(page, 2)
    expect(page.get_by_text("整改期限：2025-05-31")).to_be_visible()
    page.get_by_label("销号说明（复核结论）").fill("5月已达序时进度，经复核同意销号")
    page.get_by_role("button", name="销号", exact=True).click()
    success(page, "督办事项 2 已销号")
    history = rows_of(page, "supervision_history", 3)
    events = [row[history[0].index("事项")] for row in history[1:]]
    assert events == ["下发督办", "导入后复核", "销号"]
    save_screenshot(page, "supervision_flow_4_closed")
    open_tab(page, "督办台账")
    assert set(ledger(page, 1)) == {"1"}  # the list shows open items by default

    # 督办通知单 of 乙县: its open item, deadline and what is asked
    open_tab(page, "按县区")
    button = page.get_by_role("button", name="乙县通知单")
    expect(button).to_be_visible()
    expect(page.get_by_role("button", name="甲区通知单")).to_have_count(0)  # nothing open
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "督办通知单_乙县.docx"
    document = Document(io.BytesIO(Path(download.path()).read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert "乙县：" in text and ASK in text
    assert rows[1][1:3] == ["1", "就业创业（公益性岗位开发）"]
    assert rows[1][7] == "2025年5月31日"  # default deadline: the end of the month after April
    assert_no_streamlit_exception(page)
    save_screenshot(page, "supervision_flow_5_notice")
