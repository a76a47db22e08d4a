"""The pages on an office laptop (1366×768, sidebar open), on the demo data: every KPI tile shows
its figure, label and change whole. Streamlit cuts a text that does not fit with "…", and
44.02亿元 shown as "44.02…" is a figure a leader cannot read."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import open_page, save_screenshot

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
# Texts in a KPI tile whose content is wider than the box showing it (so cut with "…").
CUT_TILE_TEXTS = """() => {
  const parts = ["stMetricValue", "stMetricLabel", "stMetricDelta"]
    .map((id) => `[data-testid="${id}"], [data-testid="${id}"] *`).join(", ");
  return [...document.querySelectorAll(parts)]
    .filter((e) => e.scrollWidth > e.clientWidth + 1)
    .map((e) => e.innerText.trim());
}"""


# 总览: two rows of figures and the 同比 row (demo: 2026 against 2025)
@pytest.mark.parametrize(("path", "tiles"), [("", 15), ("lagging", 5)])
def test_kpi_tiles_are_shown_whole_on_a_laptop(page: Page, streamlit_server, path, tiles):
    page.set_viewport_size(LAPTOP)
    open_page(page, f"{streamlit_server.url}/{path}")
    expect(page.locator('[data-testid="stMetric"]')).to_have_count(tiles)
    assert page.evaluate(CUT_TILE_TEXTS) == []
    save_screenshot(page, f"laptop-{path or 'overview'}")
