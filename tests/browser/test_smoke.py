"""Smoke tests in a real browser, on the demo data: every page in the menu opens, shows its title
and the month it reports, without an error. Screenshots stay in test-artifacts/ to look at (the
Chinese must show as glyphs, not empty boxes)."""

import re

import pytest
from playwright.sync_api import Page, expect

from dashboard.router import PAGES
from tests.browser.harness import open_page, save_screenshot

pytestmark = pytest.mark.browser

# (URL path, the page's title as the user sees it); the default page lives at "/" only.
PAGE_TITLES = [
    ("", "总览"),
    ("funding", "资金"),
    ("progress", "进度"),
    ("lagging", "滞后"),
    ("supervision", "督办"),
    ("forecast", "预警"),
    ("ranking", "排名"),
    ("bulletin", "月度通报"),
    ("lineage", "数据溯源"),
    ("annual", "年度总结"),
    ("data_admin", "数据管理"),
]
PERIOD_CAPTION = re.compile(r"截至\d{4}年\d{1,2}月底累计")


def test_every_menu_page_has_a_smoke_test():
    assert sorted(title for _stem, title, _icon in PAGES) == sorted(t for _, t in PAGE_TITLES)


def test_home_page_opens_the_overview_on_demo_data(page: Page, streamlit_server):
    open_page(page, streamlit_server.url)

    expect(page).to_have_title("民生工程进度看板")
    expect(page.get_by_role("heading", name="总览", exact=True, level=1)).to_be_visible()
    expect(page.get_by_text("示例数据").first).to_be_visible()
    save_screenshot(page, "home")


@pytest.mark.parametrize(("url_path", "title"), PAGE_TITLES)
def test_page_shows_its_title_and_period(page: Page, streamlit_server, url_path, title):
    open_page(page, f"{streamlit_server.url}/{url_path}")

    expect(page.get_by_role("heading", name=title, exact=True, level=1)).to_be_visible()
    expect(page.get_by_text(PERIOD_CAPTION).first).to_be_visible()
    save_screenshot(page, f"page-{url_path or 'home'}")
