"""预警 page in a real browser on the 测试市 data plus one item that is on schedule today but will
miss the year (义安区 农村危房改造竣工: 54% in June, 3% a month → 72%; see
tests/app/test_forecast_page.py): the will-miss table names it with its figures, the chart draws
the dashed projection, and the page's screenshot is kept in test-artifacts/ to look at."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import duckdb
import pytest
from playwright.sync_api import Page, expect

from tests.app.testdata import build_test_database
from tests.browser.harness import open_page, save_screenshot
from tests.browser.test_markup_injection import VIEWS, check_every_tab, foreign_markup
from tests.markup_payloads import build_payload_database

pytestmark = pytest.mark.browser

HOUSING_ROWS = [(3, 45), (4, 48), (5, 50), (6, 54)]


def build_forecast_database(db: Path) -> Path:
    build_test_database(db)
    con = duckdb.connect(str(db))
    con.executemany(
        "INSERT INTO progress_report (year, month, region, project_code, project_name, indicator,"
        " unit, department, category, target, actual, load_id) VALUES (2025, ?, '义安区', '9',"
        " '农村危房改造', '农村危房改造竣工', '户', '市住建局', '其他', 100, ?, 1)",
        HOUSING_ROWS,
    )
    con.execute("CHECKPOINT")
    con.close()
    return db


@pytest.fixture(scope="module")
def forecast_city(streamlit_launcher, tmp_path_factory):
    db = build_forecast_database(tmp_path_factory.mktemp("forecast") / "minsheng.duckdb")
    return streamlit_launcher(db)


def grid_rows(page: Page, table_key: str) -> list[list[str]]:
    grid = page.locator(f".st-key-table_{table_key} [data-testid='stDataFrame'] table")
    expect(grid).to_be_attached()
    rows = grid.locator("tr")
    return [
        [cell.strip() for cell in rows.nth(i).locator("th, td").all_inner_texts()]
        for i in range(rows.count())
    ]


def test_forecast_page_shows_the_table_and_the_chart(page: Page, forecast_city):
    open_page(page, f"{forecast_city.url}/forecast")
    expect(page.get_by_role("heading", name="预警", exact=True, level=1)).to_be_visible()
    expect(page.get_by_text("截至2025年6月底累计").first).to_be_visible()
    expect(page.get_by_text("全市5个指标中3个（60.0%）年底能完成目标").first).to_be_visible()

    rows = grid_rows(page, "will_miss")
    header = rows[0]
    body = [dict(zip(header, row, strict=False)) for row in rows[1:]]
    assert [(r["地区"], r["指标名称"], r["预计年底完成率（%）"]) for r in body] == [
        ("铜官区", "公益性岗位开发", "45"),
        ("义安区", "农村危房改造竣工", "72"),
        ("枞阳县", "公益性岗位开发", "86"),
    ]  # the grid's accessible cells hold the numbers (the screen shows 45.0%); columns further
    # right are drawn only when scrolled to
    assert (body[1]["完成率（%）"], body[1]["目前已滞后"], body[1]["近期每月进度（%）"]) == (
        "54",
        "",
        "3",
    )

    charts = page.locator("[data-testid='stPlotlyChart']")
    expect(charts).to_have_count(2)
    first = charts.first
    first.scroll_into_view_if_needed()
    # plotly has drawn it: the dashed projection and its end label are in the SVG
    expect(first.locator("path.js-line[style*='stroke-dasharray']").first).to_be_attached()
    expect(first.locator(".annotation-text").filter(has_text="72.0%")).to_be_visible()
    expect(first.get_by_text("按近期进度预计")).to_be_visible()
    page.set_viewport_size({"width": 1600, "height": 1900})
    page.wait_for_timeout(800)  # let plotly redraw at the new width
    save_screenshot(page, "forecast-page")


@pytest.fixture(scope="module")
def payload_server(streamlit_launcher, tmp_path_factory):
    db = build_payload_database(tmp_path_factory.mktemp("forecast-payload") / "minsheng.duckdb")
    return streamlit_launcher(db)


def test_payloads_show_as_plain_text_on_the_forecast_page(page: Page, payload_server):
    """The 预警 page in every tab, all-city and filtered, on the markup-payload warehouse
    (tests/markup_payloads.py): no link, image, heading or bold text made from a file's text,
    also in the charts' titles and the indicator and county menus."""
    found: list[str] = []
    for view in VIEWS:
        url = f"{payload_server.url}/forecast?{urlencode({'year': 2025, 'month': 6, **view})}"
        open_page(page, url)
        found += check_every_tab(page, f"forecast {view}")
    open_page(page, f"{payload_server.url}/forecast?year=2025&month=6")
    for label in ("选择指标（最多6个）", "县区"):
        page.locator("[data-testid='stMain'] [data-testid='stWidgetLabel']").filter(
            has_text=label
        ).first.locator("xpath=..").click()
        page.wait_for_timeout(300)
        found += [f"{label} 下拉列表: {html}" for html in foreign_markup(page)]
        page.keyboard.press("Escape")
    assert not found, "预警页把文件中的文字当作 Markdown/HTML 显示:\n" + "\n".join(found)
