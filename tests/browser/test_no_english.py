"""No English on screen: every page and tab, the 汇报模式 screens, a chart's toolbar, a table's
toolbar and the file uploader speak Chinese; and a downloaded CSV keeps codes like 12-1 as text.

What counts as shown (documented here because Streamlit keeps English in places nobody sees):
- the text of visible elements: laid out (a box of non-zero size) and not hidden by CSS
  (display, visibility, opacity). Off-screen helpers such as "Skip to main content" and the
  0×0 file input are not shown; the text of Material icons (`upload`, `download`) is not
  either, as the browser draws it as a pictogram;
- the tooltips, spoken names and placeholders of visible elements: their title, aria-label,
  data-title (plotly draws its toolbar tooltip from it) and placeholder (when the box is
  empty: the sidebar's filters keep Streamlit's "Choose an option" under their value).
A chart's toolbar and a table's toolbar appear only on hover, so the test hovers over them.
"""

from __future__ import annotations

import csv
import io
import re
import shutil

import pytest
from playwright.sync_api import Page, expect

from dashboard.auth import hash_password
from dashboard.present_screens import SCREENS
from dashboard.router import PAGES
from tests.browser.harness import FINISHED_RUN, PAGE_RUN_TIMEOUT_MS, open_page, save_screenshot

pytestmark = pytest.mark.browser

# Streamlit's and plotly's English UI words; matched as whole words, case as written (a
# lower-case `download` is a Material icon's name, not shown as a word).
ENGLISH_UI = (
    "Upload", "Download", "Zoom", "Pan", "Autoscale", "Reset", "Search", "Fullscreen",
    "Page not found", "Choose", "per file", "Show/hide", "Download as CSV", "Add files",
    "Drag and drop", "No results",
)  # fmt: skip
# Spoken names (aria-label) Streamlit gives its widgets that show nowhere on screen and that
# neither a parameter nor CSS can change: the uploader's 选择文件 button after a file is chosen,
# and a date box (its calendar's words are Chinese in a zh-CN browser).
UNSEEN_SPOKEN_NAMES = {"aria-label=Add files", "aria-label=Choose date"}
ENGLISH_PATTERN = re.compile("|".join(rf"\b{re.escape(word)}\b" for word in ENGLISH_UI))

# Visible text and tooltips of the page, as described in the module's docstring.
SHOWN_TEXT = """() => {
  const shown = (el) => {
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    const text = node.textContent.trim();
    if (!text || !el || el.closest("script, style, [data-testid='stIconMaterial']")) continue;
    if (shown(el)) out.push(text);
  }
  const named = "[title], [aria-label], [data-title], [placeholder]";
  for (const el of document.querySelectorAll(named)) {
    if (!shown(el)) continue;
    for (const name of ["title", "aria-label", "data-title", "placeholder"]) {
      const value = el.getAttribute(name);
      // a placeholder shows only in an empty box
      if (value && !(name === "placeholder" && el.value)) out.push(`${name}=${value}`);
    }
  }
  return out;
}"""


def english_shown(page: Page) -> list[str]:
    texts = set(page.evaluate(SHOWN_TEXT)) - UNSEEN_SPOKEN_NAMES
    return sorted(text for text in texts if ENGLISH_PATTERN.search(text))


def wait_for_run(page: Page) -> None:
    page.wait_for_timeout(300)  # let the rerun start before waiting for it to finish
    page.wait_for_selector(FINISHED_RUN, state="attached", timeout=PAGE_RUN_TIMEOUT_MS)


def hover_toolbars(page: Page) -> None:
    """Bring up the first chart's toolbar with a button's tooltip, then a table's toolbar."""
    chart = page.locator("[data-testid='stMain'] .js-plotly-plot >> visible=true").first
    if chart.count():
        chart.hover()
        button = chart.locator(".modebar-btn").first
        expect(button).to_be_visible()
        button.hover()
        page.wait_for_timeout(300)
        assert english_shown(page) == [], "图表工具栏"
    table = page.locator("[data-testid='stMain'] [data-testid='stDataFrame'] >> visible=true").first
    if table.count():
        table.hover()
        page.wait_for_timeout(500)  # the grid's toolbar fades in


def assert_chinese(page: Page, where: str) -> None:
    hover_toolbars(page)
    assert english_shown(page) == [], where


@pytest.mark.parametrize(("stem", "title"), [(stem, title) for stem, title, _ in PAGES])
def test_every_page_and_tab_is_chinese(page: Page, streamlit_server, stem, title):
    open_page(page, f"{streamlit_server.url}/{stem}")
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    assert_chinese(page, title)
    tabs = page.locator("[data-testid='stMain'] [role='tab']")
    for i in range(tabs.count()):
        tab = tabs.nth(i)
        name = tab.inner_text()
        if tab.get_attribute("aria-selected") != "true":
            tab.click()
            wait_for_run(page)
        assert_chinese(page, f"{title} · {name}")


def test_chart_toolbar_tooltips_are_chinese(page: Page, streamlit_server):
    page.set_viewport_size({"width": 1366, "height": 768})  # an office laptop
    open_page(page, f"{streamlit_server.url}/progress")
    chart = page.locator("[data-testid='stMain'] .js-plotly-plot >> visible=true").first
    chart.hover()
    titles = chart.locator(".modebar-btn").evaluate_all(
        "bs => bs.filter(b => b.checkVisibility()).map(b => b.getAttribute('data-title'))"
    )
    assert {"缩放", "平移", "自动缩放", "下载为 PNG 图片"} <= set(titles), titles
    chart.locator(".modebar-btn[data-title='缩放']").hover()
    save_screenshot(page, "no-english-chart-toolbar-1366")
    assert english_shown(page) == []


def test_table_has_only_our_downloads(page: Page, streamlit_server):
    """The grid's own toolbar (its CSV skipped the escaping) stays hidden on hover."""
    open_page(page, f"{streamlit_server.url}/lagging")
    table = page.locator(".st-key-table_lagging_items [data-testid='stDataFrame']")
    table.hover()
    page.wait_for_timeout(500)
    expect(table.locator("[data-testid='stElementToolbar']")).to_be_hidden()
    expect(page.get_by_role("button", name="Download as CSV")).to_have_count(0)
    expect(page.locator(".st-key-table_lagging_items").get_by_text("下载 CSV")).to_be_visible()


def test_grid_column_menu_shows_nothing(page: Page, streamlit_server):
    """The grid's column menu (Sort ascending, Pin column …) is English-only and stays hidden;
    a long table has its own 排序 menu."""
    open_page(page, f"{streamlit_server.url}/lagging")
    table = page.locator(".st-key-table_lagging_items [data-testid='stDataFrame']")
    table.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    box = table.bounding_box()
    menu = page.locator('[data-testid="stDataFrameColumnMenu"]')
    # The first column's menu button (⋮) is drawn on hover at the right end of its header,
    # after the tick column; its width follows the names, so try along the header.
    y = box["y"] + 18
    for x in range(int(box["x"] + 150), int(box["x"] + 60), -4):
        page.mouse.move(x, y)
        page.mouse.click(x, y)
        if menu.count():
            break
    expect(menu).to_have_count(1)  # the menu was opened …
    expect(menu).to_be_hidden()  # … and shows nothing
    assert english_shown(page) == []


@pytest.mark.parametrize("number", range(1, len(SCREENS) + 1))
def test_present_screens_are_chinese(page: Page, streamlit_server, number):
    open_page(page, f"{streamlit_server.url}/?mode=present&screen={number}")
    expect(page.locator(".present-counter")).to_have_text(f"{number} / {len(SCREENS)}")
    assert english_shown(page) == []


def test_default_page_opened_by_its_own_path(page: Page, streamlit_server):
    """/overview (a bookmark, a link in a chat) opens 总览, not "Page not found"."""
    for _ in range(2):  # the server's first visit by a link, then a later one
        open_page(page, f"{streamlit_server.url}/overview?month=2")  # fails on the dialog
        expect(page.get_by_role("heading", name="总览", level=1)).to_be_visible()
        expect(page.get_by_text("截至2026年2月底累计").first).to_be_visible()
        assert english_shown(page) == []


def test_supervision_status_filter_placeholder(page: Page, streamlit_server):
    open_page(page, f"{streamlit_server.url}/supervision")
    status = page.locator("[data-testid='stMultiSelect']").filter(has_text="状态").first
    # With every status taken out, the box shows its placeholder: Streamlit's is "Choose options".
    box = status.locator("input")
    for _ in range(8):  # more than the statuses
        if box.get_attribute("placeholder"):
            break
        box.click()
        box.press("Backspace")
        wait_for_run(page)
    page.keyboard.press("Escape")
    expect(box).to_have_attribute("placeholder", "请选择状态")
    assert english_shown(page) == []


# ------------------------------------------------------------------ the uploader

PASSWORD = "民生办口令-2026"


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory, streamlit_launcher, browser_db):
    """The demo data with a 民生办 password: the uploader is shown to a signed-in 民生办."""
    db = tmp_path_factory.mktemp("no-english") / "minsheng.duckdb"
    shutil.copyfile(browser_db, db)
    return streamlit_launcher(
        db, MINSHENG_ADMIN_PASSWORD_HASH=hash_password(PASSWORD, iterations=100_000)
    )


def test_uploader_is_chinese_and_still_takes_files(page: Page, admin_server):
    open_page(page, f"{admin_server.url}/data_admin")
    page.get_by_label("姓名（记入导入记录）").fill("张三")
    page.locator("input[type='password']").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("已登录：张三（民生办）")).to_be_visible(timeout=PAGE_RUN_TIMEOUT_MS)
    zone = page.locator("[data-testid='stFileUploaderDropzone']")
    button = zone.locator("button")
    expect(button).to_be_visible()
    label = button.evaluate(
        "b => getComputedStyle(b.querySelector('[data-has-shortcut]'), '::after').content"
    )
    assert label == '"选择文件"'
    assert english_shown(page) == []
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        [{"name": "月报.csv", "mimeType": "text/csv", "buffer": "地区,项目\n".encode()}]
    )
    expect(zone.get_by_text("月报.csv")).to_be_visible()
    save_screenshot(page, "no-english-uploader")
    assert english_shown(page) == []


# ------------------------------------------------------------------ CSV codes

# Excel's CSV import types a field by how it starts: a field that starts with a digit, a sign,
# a point or a space may become a number or a date (12-1 → 1 December); a field that starts
# with any other character (a tab, a letter, a Chinese character, ') is kept as text.
NUMERIC_OR_DATE_START = set("0123456789+-. ")
DATE_LIKE = re.compile(r"\d+[-/]\d+")
# A plain whole number such as 33 is left bare: Excel's number 33 shows the same.
SAME_AS_NUMBER = re.compile(r"0|[1-9]\d{0,14}")


def excel_reads_as_text(field: str) -> bool:
    return field == "" or field[0] not in NUMERIC_OR_DATE_START


def test_lagging_csv_keeps_codes_as_text(page: Page, streamlit_server):
    open_page(page, f"{streamlit_server.url}/lagging")
    table = page.locator(".st-key-table_lagging_items")
    with page.expect_download() as info:
        table.get_by_role("button", name="下载 CSV").click()
    download = info.value
    assert download.suggested_filename.startswith("滞后清单")
    text = (download.path()).read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    codes = [row["项目编号"] for row in rows]
    date_like = [c for c in codes if DATE_LIKE.fullmatch(c.strip())]
    assert date_like, "示例数据应含 12-1 这样的项目编号"
    assert all(excel_reads_as_text(c) or SAME_AS_NUMBER.fullmatch(c) for c in codes), codes
    # The guard is one invisible tab: the code itself is unchanged after it.
    assert all(code == "\t" + code.strip() for code in date_like)
