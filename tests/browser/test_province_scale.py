"""The 滞后 page on a province-sized month (104 counties × 80 indicators, loaded through the real
loader), on an office laptop: thousands of lagging items open as pages of a searchable, sortable
list, worst first, never as an error, and the download holds every item in the chosen order."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from bench.make_warehouse import write_month
from etl.writing.warehouse import load_paths
from metrics.db import Warehouse
from metrics.filters import Filters
from metrics.lagging import lagging_items
from tests.browser.harness import open_page, save_screenshot
from tests.browser.test_pages import grid_rows, wait_for_run

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
GRID = ".st-key-table_lagging_items [data-testid='stDataFrame'] table"
FIRST_ROW = """([grid, cells]) => {
  const row = document.querySelectorAll(`${grid} tr`)[1];
  const texts = row ? [...row.querySelectorAll("th, td")].map((c) => c.innerText.trim()) : [];
  return cells.every((cell, i) => texts[i] === cell);
}"""
ONLY_COUNTY = """([grid, county]) => {
  const rows = [...document.querySelectorAll(`${grid} tr`)].slice(1);
  return rows.length > 0 && rows.every((r) => r.querySelector("th, td")?.innerText.trim() === county);
}"""


@pytest.fixture(scope="module")
def province_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("province")
    books = []
    for month in (5, 6):
        books.append(folder / f"2025-{month:02d}.xlsx")
        write_month(books[-1], 2025, month, regions=104, indicators=80)
    db = folder / "minsheng.duckdb"
    assert not any(result.refused for result in load_paths(books, db))
    return db


@pytest.fixture(scope="module")
def province(streamlit_launcher, province_db):
    return streamlit_launcher(province_db)


def test_lagging_page_pages_a_province_list(page: Page, province, province_db):
    expected = lagging_items(Warehouse(province_db), Filters(2025, 6))
    assert len(expected) > 2000  # a province's month: thousands of items behind
    page.set_viewport_size(LAPTOP)
    open_page(page, f"{province.url}/lagging")
    table = page.locator(".st-key-table_lagging_items")
    expect(
        table.get_by_text(f"共 {len(expected):,} 行；本页显示第 1–100 行（落后最多的在前）")
    ).to_be_visible()
    rows = grid_rows(page, "lagging_items")
    worst = expected.iloc[0]
    assert rows[1][:3] == [worst.region, worst.indicator, worst.severity]  # the clerk's columns
    save_screenshot(page, "province-lagging")

    table.get_by_label("页码（共").fill("2")
    table.get_by_label("页码（共").press("Enter")
    wait_for_run(page)
    expect(table.get_by_text("本页显示第 101–200 行")).to_be_visible()

    county = next(r for r in reversed(expected["region"]) if r != worst.region)
    table.get_by_label("搜索").fill(county)
    table.get_by_label("搜索").press("Enter")
    wait_for_run(page)
    n_county = int((expected["region"] == county).sum())
    expect(table.get_by_text(f"含“{county}”的 {n_county:,} 行")).to_be_visible()
    expect(table.get_by_text("本页显示第 1–")).to_be_visible()  # back to the first page
    # The grid redraws a moment after the run: wait until it shows the county's rows only.
    page.wait_for_function(ONLY_COUNTY, arg=[GRID, county], timeout=30_000)
    assert {row[0] for row in grid_rows(page, "lagging_items")[1:]} == {county}

    # The link keeps the search: opened again (a colleague's browser), it shows the same rows.
    link = page.url
    assert "search_lagging_items=" in link and "year=2025" in link
    open_page(page, link)
    expect(table.get_by_text(f"含“{county}”的 {n_county:,} 行")).to_be_visible()
    expect(table.get_by_label("搜索")).to_have_value(county)  # the box fills in after the run
    page.wait_for_function(ONLY_COUNTY, arg=[GRID, county], timeout=30_000)

    # The 排序 menu orders every item (not the page on screen), the link keeps it, and the
    # download follows it.
    table.locator("[data-testid='stSelectbox']").filter(has_text="排序").click()
    page.get_by_role("option", name="完成率 从低到高", exact=True).click()
    wait_for_run(page)
    lowest = expected.sort_values("completion_rate", kind="stable", na_position="last")
    own = lowest[lowest["region"] == county].iloc[0]
    expect(table.get_by_text("本页显示第 1–")).to_contain_text("（按完成率从低到高）")
    expect(page).to_have_url(re.compile(r"[?&]sort_lagging_items="))
    open_page(page, page.url)
    expect(table.get_by_role("combobox", name="排序")).to_have_value("完成率 从低到高")
    page.wait_for_function(FIRST_ROW, arg=[GRID, [county, own.indicator]], timeout=30_000)

    with page.expect_download() as download_info:
        table.get_by_role("button", name="下载 CSV").click()
    text = Path(download_info.value.path()).read_text("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(expected)  # every item, not the page or the search
    first = lowest.iloc[0]
    assert (rows[0]["地区"], rows[0]["指标名称"]) == (first.region, first.indicator)
