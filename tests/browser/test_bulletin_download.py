"""Files a user takes away, downloaded in a real browser from the demo data: the month's 通报
(.docx opened back with python-docx, .md) and a chart as PNG at projector and print size."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from PIL import Image, ImageStat
from playwright.sync_api import Page, expect

from charts.png import png_dimensions
from etl.writing import activity
from metrics.db import Warehouse
from metrics.periods import latest_period
from tests.browser.harness import open_page, open_popover

pytestmark = pytest.mark.browser


def download(page: Page, button) -> tuple[str, bytes]:
    with page.expect_download(timeout=60_000) as info:
        button.click()
    return info.value.suggested_filename, Path(info.value.path()).read_bytes()


def test_bulletin_downloads_as_word_and_markdown(page: Page, streamlit_server, browser_db):
    year, month = latest_period(Warehouse(browser_db))
    title = f"{month}月份民生工程月度考评情况通报"
    open_page(page, f"{streamlit_server.url}/bulletin")
    expect(page.get_by_role("heading", name="月度通报", exact=True, level=1)).to_be_visible()

    name, data = download(page, page.get_by_role("button", name="下载 Word（.docx）"))
    assert name == f"{year}年{title}.docx"
    document = Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    assert title in paragraphs
    assert len(document.tables) >= 3  # 县区排名, 市直单位排名, 滞后项目 (and 加扣分)

    name, data = download(page, page.get_by_role("button", name="下载 Markdown（.md）"))
    assert name == f"{year}年{title}.md"
    assert data.decode("utf-8").startswith(f"# {title}")


@pytest.mark.parametrize(
    ("label", "pixels", "suffix"),
    [
        ("投影用 PNG（1920×1080）", (1920, 1080), "投影"),
        ("打印用 PNG（2400×1350）", (2400, 1350), "打印"),
    ],
)
def test_chart_downloads_as_png(page: Page, streamlit_server, browser_db, label, pixels, suffix):
    open_page(page, streamlit_server.url)
    panel = open_popover(page, "下载图片")
    name, data = download(page, panel.get_by_role("button", name=label))
    assert name == f"图表_trend_{suffix}.png"
    # the picture is a download like any other: in the audit trail (审计记录)
    assert name in activity.audit_events(browser_db, action="下载")["detail"].tolist()
    assert png_dimensions(data) == pixels
    picture = Image.open(io.BytesIO(data)).convert("L")
    assert picture.size == pixels
    # Not blank: dark lines and text on the white ground, and a real spread of shades.
    darkest, lightest = picture.getextrema()
    assert darkest < 80 and lightest > 240
    assert ImageStat.Stat(picture).stddev[0] > 5
