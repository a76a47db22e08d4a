"""数据溯源 in a real browser (issue 20's "done when"): from the 滞后 page's first item to its file,
sheet and row. A clerk ticks the 滞后清单's first row: the box under the table names the file, sheet and
spreadsheet row the warehouse recorded for it, and its link opens the item's history on 数据溯源.
Screenshot: test-artifacts/lineage_1366x768.png (a laptop screen)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Page, expect

from metrics.db import Warehouse
from metrics.periods import latest_period
from tests.browser.harness import PAGE_RUN_TIMEOUT_MS, open_page, save_screenshot
from tests.browser.test_pages import wait_for_run

pytestmark = pytest.mark.browser


def download_csv(page: Page, key: str) -> list[dict[str, str]]:
    button = page.locator(f".st-key-table_{key}").get_by_role("button", name="下载 CSV")
    with page.expect_download(timeout=PAGE_RUN_TIMEOUT_MS) as info:
        button.click()
    text = Path(info.value.path()).read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def recorded_source(db: Path, year: int, month: int, region: str, code: str, indicator: str):
    """What the warehouse itself recorded for the row (not through the page's metrics code)."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT l.file_name, r.source_sheet, r.source_row FROM progress_report AS r "
            "JOIN load_log AS l USING (load_id) WHERE r.superseded_by IS NULL AND r.year = ? "
            "AND r.month = ? AND r.region = ? AND r.project_code = ? AND r.indicator = ?",
            [year, month, region, code, indicator],
        ).fetchone()


def test_a_lagging_item_leads_to_its_file_sheet_and_row(page: Page, streamlit_server, browser_db):
    year, month = latest_period(Warehouse(browser_db))
    page.set_viewport_size({"width": 1366, "height": 768})
    open_page(page, f"{streamlit_server.url}/lagging?year={year}&month={month}")
    expect(page.get_by_role("heading", name="滞后", exact=True, level=1)).to_be_visible()
    first = download_csv(page, "lagging_items")[0]
    # a code like 18-3 starts with a tab in the CSV, so Excel keeps it as text (metrics.export)
    region, code, indicator = first["地区"], first["项目编号"].lstrip("\t"), first["指标名称"]
    file_name, sheet, row = recorded_source(browser_db, year, month, region, code, indicator)

    # Tick the first row (the check box at the start of the row): its source shows under the table.
    grid = page.locator(".st-key-table_lagging_items [data-testid='stDataFrameResizable']")
    # The whole grid in the middle of the window (it is shorter than the window), clear of
    # Streamlit's top bar: its header row and first row are where the box says.
    grid.evaluate("e => e.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(500)
    box = grid.bounding_box()
    assert box["y"] > 60, box
    page.mouse.click(box["x"] + 16, box["y"] + 36 + 18)  # header row ~36 px, then the first row
    panel = page.locator(".st-key-picked_source")
    expect(panel).to_contain_text(f"来源：《{file_name}》 · 工作表“{sheet}” · 第 {row} 行",
                                  timeout=PAGE_RUN_TIMEOUT_MS)  # fmt: skip
    expect(panel).to_contain_text(region)
    save_screenshot(page, "lineage_picked_1366x768")
    panel.get_by_role("link", name="查看逐月来源与替换记录（数据溯源）").click()
    wait_for_run(page)

    expect(page.get_by_role("heading", name="数据溯源", exact=True, level=1)).to_be_visible(
        timeout=PAGE_RUN_TIMEOUT_MS
    )
    source = page.locator(".st-key-lineage_source")
    expect(source).to_contain_text(f"来源：《{file_name}》 · 工作表“{sheet}” · 第 {row} 行")
    expect(source).to_contain_text(f"{region} · {code} ")
    expect(source).to_contain_text(indicator)
    expect(page.locator(".st-key-table_lineage_history")).to_be_visible()
    save_screenshot(page, "lineage_1366x768")
