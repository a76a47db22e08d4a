"""数据溯源 in a real browser (issue 20's "done when"): from the 滞后 page's first item to its file,
sheet and row. The 滞后清单 gives the item (its CSV download, or its 溯源 link once the table has
one); the 数据溯源 page must name the file, sheet and spreadsheet row the warehouse recorded for it.
Screenshot: test-artifacts/lineage_1366x768.png (a laptop screen)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Page, expect

from dashboard.lineage_links import lineage_link
from metrics.db import Warehouse
from metrics.filters import Filters
from metrics.periods import latest_period
from tests.browser.harness import PAGE_RUN_TIMEOUT_MS, open_page, save_screenshot
from tests.browser.test_pages import wait_for_run

pytestmark = pytest.mark.browser

LINK_TEXT = "溯源"  # the link column's display text, once the 滞后清单 has one


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
    region, code, indicator = first["地区"], first["项目编号"], first["指标名称"]
    file_name, sheet, row = recorded_source(browser_db, year, month, region, code, indicator)

    links = page.locator(".st-key-table_lagging_items a", has_text=LINK_TEXT)
    if links.count():  # the table's own 溯源 link (a new tab, as a LinkColumn opens it)
        with page.context.expect_page() as opened:
            links.first.click()
        page = opened.value
        page.set_viewport_size({"width": 1366, "height": 768})
        page.wait_for_load_state()
        wait_for_run(page)
    else:  # the link the 滞后清单 will carry: built by the same helper from the same row
        link = lineage_link(Filters(year, month), region, code, indicator)
        open_page(page, f"{streamlit_server.url}/{link}")

    expect(page.get_by_role("heading", name="数据溯源", exact=True, level=1)).to_be_visible(
        timeout=PAGE_RUN_TIMEOUT_MS
    )
    source = page.locator(".st-key-lineage_source")
    expect(source).to_contain_text(f"来源：《{file_name}》 · 工作表“{sheet}” · 第 {row} 行")
    expect(source).to_contain_text(f"{region} · {code} ")
    expect(source).to_contain_text(indicator)
    expect(page.locator(".st-key-table_lineage_history")).to_be_visible()
    save_screenshot(page, "lineage_1366x768")
