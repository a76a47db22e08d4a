"""汇报模式 in a real browser at the projector's 1920×1080, on the demo data: every screen in
meeting order by the 下一页 button and by the → key, nothing scrolls, nothing errors, type is
large, no Streamlit chrome. A screenshot of every screen stays in test-artifacts/ to look at."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from dashboard.present_screens import SCREENS
from tests.browser.harness import (
    FINISHED_RUN,
    assert_no_streamlit_exception,
    open_page,
    save_screenshot,
)

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1920, "height": 1080}
# How far each scrolling box overflows (px): the page itself and Streamlit's main area, which is
# the element that scrolls in Streamlit 1.67 (<main data-testid="stMain">), and across.
OVERFLOW_JS = """() => {
  const page = document.scrollingElement;
  const main = document.querySelector('[data-testid="stMain"]');
  return {
    page: page.scrollHeight - window.innerHeight,
    main: main.scrollHeight - main.clientHeight,
    across: page.scrollWidth - window.innerWidth,
  };
}"""
FONT_PX_JS = "e => parseFloat(getComputedStyle(e).fontSize)"


def wait_for_screen(page: Page, number: int) -> None:
    """The run has finished, the screen's title is up and its chart (if any) is drawn."""
    screen = SCREENS[number - 1]
    # while the run that opens the screen is under way, the page it leaves may still show its
    # own title beside it: wait for this title, then for it to be the only one
    titles = page.get_by_role("heading", level=1)
    expect(titles.filter(has_text=screen.title)).to_be_visible(timeout=30_000)
    expect(titles).to_have_count(1, timeout=30_000)
    expect(titles).to_have_text(screen.title)
    page.wait_for_selector(FINISHED_RUN, state="attached", timeout=60_000)
    expect(page).to_have_url(re.compile(rf"screen={number}(&|$)"))
    charts = page.locator(".st-key-present_screen [data-testid='stPlotlyChart']")
    if charts.count():
        expect(charts.first.locator(".main-svg").first).to_be_visible(timeout=30_000)
    tables = page.locator(".st-key-present_screen [data-testid='stTable']")
    if tables.count():  # a table's rows are drawn, not just its frame
        expect(tables.first.locator("td").first).to_be_visible(timeout=30_000)
    expect(page.locator(".present-counter")).to_have_text(f"{number} / {len(SCREENS)}")
    assert_no_streamlit_exception(page)


def assert_fits_the_screen(page: Page, what: str) -> None:
    overflow = page.evaluate(OVERFLOW_JS)
    assert overflow["page"] <= 1, f"{what}: 页面可纵向滚动 {overflow}"
    assert overflow["main"] <= 1, f"{what}: 主区域可纵向滚动 {overflow}"
    assert overflow["across"] <= 1, f"{what}: 页面可横向滚动 {overflow}"


def open_meeting(page: Page, url: str) -> None:
    page.set_viewport_size(PROJECTOR)
    open_page(page, f"{url}/?mode=present")
    wait_for_screen(page, 1)


def test_next_button_pages_through_every_screen_without_scrolling(page: Page, streamlit_server):
    open_meeting(page, streamlit_server.url)
    # no sidebar, header or toolbar in meeting mode
    for testid in ("stSidebar", "stHeader", "stToolbar", "stExpandSidebarButton"):
        found = page.locator(f"[data-testid='{testid}']")
        assert not any(found.nth(i).is_visible() for i in range(found.count())), testid
    for number, screen in enumerate(SCREENS, start=1):
        if number > 1:
            page.locator(".st-key-present_next button").click()
            wait_for_screen(page, number)
        assert_fits_the_screen(page, screen.title)
        save_screenshot(page, f"present-{number}-{screen.key}")
    expect(page.locator(".st-key-present_next button")).to_be_disabled()


def test_arrow_and_page_keys_turn_the_screens(page: Page, streamlit_server):
    open_meeting(page, streamlit_server.url)
    for number in range(2, len(SCREENS) + 1):
        page.keyboard.press("ArrowRight")
        wait_for_screen(page, number)
        assert_fits_the_screen(page, SCREENS[number - 1].title)
    page.keyboard.press("ArrowLeft")
    wait_for_screen(page, len(SCREENS) - 1)
    # a presenter's remote clicker sends PageUp/PageDown
    page.keyboard.press("PageUp")
    wait_for_screen(page, len(SCREENS) - 2)
    page.keyboard.press("PageDown")
    wait_for_screen(page, len(SCREENS) - 1)


def test_type_is_large_enough_for_the_back_of_the_room(page: Page, streamlit_server):
    open_meeting(page, streamlit_server.url)
    assert page.locator("h1").first.evaluate(FONT_PX_JS) >= 56
    value = page.locator("[data-testid='stMetricValue'] p").first
    assert value.evaluate(FONT_PX_JS) >= 60
    page.goto(f"{streamlit_server.url}/?mode=present&screen=5")
    wait_for_screen(page, 5)
    cell = page.locator(".st-key-present_screen [data-testid='stTable'] td").first
    assert cell.evaluate(FONT_PX_JS) >= 28


def test_link_opens_its_screen_and_exit_keeps_the_filters(page: Page, streamlit_server):
    page.set_viewport_size(PROJECTOR)
    open_page(page, f"{streamlit_server.url}/ranking?mode=present&screen=3&month=2")
    wait_for_screen(page, 3)
    expect(page.get_by_text("截至2026年2月底累计").first).to_be_visible()
    assert_fits_the_screen(page, "滞后项目（2月）")
    page.locator(".st-key-present_exit button").click()
    expect(page.get_by_role("heading", name="排名", exact=True, level=1)).to_be_visible()
    page.wait_for_selector(FINISHED_RUN, state="attached", timeout=60_000)
    expect(page).not_to_have_url(re.compile("mode=present"))
    expect(page.get_by_role("combobox", name="月份")).to_have_value("2月")
    expect(page.locator("[data-testid='stSidebar']")).to_be_visible()


def test_sidebar_button_opens_meeting_mode(page: Page, streamlit_server):
    page.set_viewport_size(PROJECTOR)
    open_page(page, f"{streamlit_server.url}/funding?month=2")
    page.locator("[data-testid='stSidebar']").get_by_role("button", name="汇报模式").click()
    wait_for_screen(page, 1)
    expect(page).to_have_url(re.compile("month=2.*mode=present"))


def test_auto_advance_turns_to_the_next_screen(page: Page, streamlit_server):
    open_meeting(page, streamlit_server.url)
    page.locator(".st-key-present_auto").get_by_text("自动翻页").click()
    page.locator(".st-key-present_seconds [data-testid='stSelectbox']").click()
    page.get_by_role("option", name="每页10秒").click()
    wait_for_screen(page, 1)
    wait_for_screen(page, 2)  # after 10 s, within the 30 s the title check waits


def test_overdue_screen_lists_the_demo_ledgers_red_items(page: Page, streamlit_server):
    """督办逾期 (the 6th screen): the demo's open 督办 items past their deadlines, large type."""
    page.set_viewport_size(PROJECTOR)
    open_page(page, f"{streamlit_server.url}/?mode=present&screen=6&year=2025&month=12")
    wait_for_screen(page, 6)
    expect(page.get_by_text(re.compile(r"共 \d+ 项已过整改期限仍未销号"))).to_be_visible()
    table = page.locator(".st-key-present_overdue [data-testid='stTable']").first
    expect(table.locator("td").first).to_be_visible()  # drawn after the run ends: wait for it
    header = table.locator("th").all_inner_texts()
    assert [h.strip() for h in header[:5]] == ["编号", "单位", "督办事项", "整改期限", "逾期"]
    expect(table).to_contain_text("困难职工子女助学")  # the demo's chronic item (市总工会)
    assert table.locator("td").first.evaluate(FONT_PX_JS) >= 28
    assert_fits_the_screen(page, "督办逾期")
    save_screenshot(page, "present_6_overdue")
