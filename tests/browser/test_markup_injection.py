"""Text from files and from links shows as typed, never as a link, an image, a heading or bold.

The warehouse holds Markdown and HTML payloads in every text column of every sheet kind (see
tests/markup_payloads.py); every page, every tab, every meeting screen and the 通报 preview is
opened in a real browser, all-city and filtered to payload regions and departments (so captions,
notices and headings carry them), and each URL parameter is tried with each payload. On every
screen no `<a>`, `<img>` (HTML or SVG) may point at the payloads' host or at `javascript:`, and no
heading or bold text may be made from a payload.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page

from dashboard.present_screens import SCREENS
from metrics.plain_text import WORD_JOINER
from tests.browser.harness import FINISHED_RUN, open_page, save_screenshot
from tests.markup_payloads import (
    BOLD,
    DEPARTMENTS,
    EVIL_HOST,
    HEADINGS,
    REGIONS,
    TEMPLATES,
    build_payload_database,
)

pytestmark = pytest.mark.browser

PAGES = (
    "",  # 总览 is the default page, at /
    "funding",
    "progress",
    "lagging",
    "supervision",
    "forecast",
    "ranking",
    "bulletin",
    "lineage",
    "annual",
    "data_admin",
)
# (region, department) pairs that have rows together: region r, project (and department) p.
VIEWS = ({}, {"region": REGIONS[0], "dept": DEPARTMENTS[1]},
         {"region": REGIONS[3], "dept": DEPARTMENTS[4]},
         {"region": REGIONS[7], "dept": DEPARTMENTS[9]})  # fmt: skip
URL_KEYS = ("year", "month", "region", "dept", "cat", "mode", "screen")

# Every element the page shows that a payload could have made.
FOREIGN_MARKUP_JS = """([host, headings, bold]) => {
  const bad = [];
  const evil = (v) => v && (v.includes(host) || /^\\s*javascript:/i.test(v));
  const links = 'a, img, image, iframe, object, embed, source, video, audio, script, link, use';
  for (const el of document.querySelectorAll(links)) {
    for (const attr of ['href', 'src', 'xlink:href', 'data', 'srcset', 'action']) {
      if (evil(el.getAttribute(attr))) bad.push(el.outerHTML.slice(0, 160));
    }
  }
  const starts = (el, words) => words.some((w) => el.textContent.trim().startsWith(w));
  for (const el of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    if (starts(el, headings)) bad.push(el.outerHTML.slice(0, 160));
  }
  for (const el of document.querySelectorAll('strong, b, em, i')) {
    if (starts(el, bold)) bad.push(el.outerHTML.slice(0, 160));
  }
  return bad;
}"""


@pytest.fixture(scope="module")
def payload_server(streamlit_launcher, tmp_path_factory):
    db = build_payload_database(tmp_path_factory.mktemp("payload") / "minsheng.duckdb")
    return streamlit_launcher(db)


def foreign_markup(page: Page) -> list[str]:
    return page.evaluate(FOREIGN_MARKUP_JS, [EVIL_HOST, list(HEADINGS), list(BOLD)])


def wait_for_run(page: Page) -> None:
    page.wait_for_timeout(300)  # let the rerun start before waiting for it to finish
    page.wait_for_selector(FINISHED_RUN, state="attached", timeout=60_000)


def check_every_tab(page: Page, where: str) -> list[str]:
    """The markup payloads made on this page, in each of its tabs (each tab runs on its own)."""
    found = [f"{where}: {html}" for html in foreign_markup(page)]
    tabs = page.locator("[data-testid='stMain'] [role='tab']")
    for i in range(1, tabs.count()):
        label = tabs.nth(i).inner_text()
        tabs.nth(i).click()
        wait_for_run(page)
        found += [f"{where} · {label}: {html}" for html in foreign_markup(page)]
    return found


def test_payloads_show_as_plain_text_on_every_page_and_tab(page: Page, payload_server):
    found: list[str] = []
    n_tabs = 0
    for view in VIEWS:
        for path in PAGES:
            url = f"{payload_server.url}/{path}?{urlencode({'year': 2025, 'month': 6, **view})}"
            open_page(page, url)
            n_tabs += page.locator("[data-testid='stMain'] [role='tab']").count()
            found += check_every_tab(page, f"{path} {view}")
    assert n_tabs >= 20 * len(VIEWS), "找不到标签页：检查的选择器已失效"
    assert not found, "页面把文件中的文字当作 Markdown/HTML 显示:\n" + "\n".join(found)


def test_payloads_show_as_plain_text_in_the_sidebar_and_its_lists(page: Page, payload_server):
    view = {"year": 2025, "month": 6, "region": REGIONS[0], "dept": DEPARTMENTS[1]}
    open_page(page, f"{payload_server.url}/?{urlencode(view)}")
    # The caption names the chosen region and department exactly as the file wrote them.
    caption = page.locator("[data-testid='stMain'] [data-testid='stCaptionContainer']").first
    shown = caption.inner_text().replace(WORD_JOINER, "")  # invisible; it stops autolinks
    assert REGIONS[0] in shown
    assert DEPARTMENTS[1] in shown
    save_screenshot(page, "markup_payloads_overview")
    for label in ("地区", "责任单位"):
        page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(
            has_text=label
        ).click()
        page.wait_for_timeout(300)
        assert not foreign_markup(page), f"{label} 下拉列表"
        page.keyboard.press("Escape")


def test_payloads_show_as_plain_text_on_every_meeting_screen(page: Page, payload_server):
    found: list[str] = []
    for view in VIEWS[:2]:
        for screen in range(1, len(SCREENS) + 1):
            query = {"mode": "present", "screen": screen, "year": 2025, "month": 6, **view}
            open_page(page, f"{payload_server.url}/?{urlencode(query)}")
            found += [f"第{screen}屏 {view}: {html}" for html in foreign_markup(page)]
            if screen == 4 and not view:
                page.wait_for_timeout(1000)  # st.table paints after the run ends
                save_screenshot(page, "markup_payloads_present_4")
    assert not found, "汇报模式把文件中的文字当作 Markdown/HTML 显示:\n" + "\n".join(found)


@pytest.mark.parametrize("key", URL_KEYS)
def test_each_url_parameter_is_named_as_plain_text(page: Page, payload_server, key):
    found: list[str] = []
    for template in TEMPLATES:
        value = template.format(tag="q")
        for base in ({}, {"mode": "present"}):
            if key == "mode" and base:
                continue
            open_page(page, f"{payload_server.url}/?{urlencode({**base, key: value})}")
            page.wait_for_timeout(200)  # toasts appear just after the run
            found += [f"{key}={value} {base}: {html}" for html in foreign_markup(page)]
    assert not found, "链接参数被当作 Markdown/HTML 显示:\n" + "\n".join(found)
