"""月度通报 page: the chosen month's 通报 downloads as .docx and .md, with a preview."""

from __future__ import annotations

import io

import pytest
from docx import Document
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from tests.app.conftest import open_app, texts

PAGE = "bulletin"


@pytest.fixture
def downloads(monkeypatch) -> dict[str, bytes]:
    """file name → bytes of every file the page handed to a download button."""
    files: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def keep(self, path_or_data, mimetype, kind, filename=None):
        if filename:
            files[filename] = path_or_data if isinstance(path_or_data, bytes) else b""
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    return files


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.parametrize(
    ("month", "title", "county_first"),
    [
        ("6", "6月份民生工程月度考评情况通报", "铜官区"),
        ("5", "5月份民生工程月度考评情况通报", "枞阳县"),
    ],
)
def test_downloads_are_the_months_bulletin(test_db, downloads, month, title, county_first):
    at = open_app(PAGE, {"month": month})
    assert not at.exception
    assert at.title[0].value == "月度通报"
    stem = f"2025年{title}"
    assert {b.label for b in at.get("download_button")} == {
        "下载 Word（.docx）",
        "下载 Markdown（.md）",
    }
    text = docx_text(downloads[f"{stem}.docx"])
    assert title in text
    assert county_first in text
    markdown = downloads[f"{stem}.md"].decode("utf-8")
    assert markdown.startswith(f"# {title}")
    assert f"# {title}" in texts(at)  # the preview shows the same document
    number = f"民生办〔2025〕{month}号"  # the 文号 under the title, in the file and the preview
    assert f"# {title}\n\n{number}\n" in markdown
    assert number in texts(at)


def test_issue_date_is_written_in_chinese_form(test_db, downloads):
    import datetime as dt

    at = open_app(PAGE)
    at.date_input(key="bulletin_date_2025_6").set_value(dt.date(2025, 7, 8)).run()
    assert not at.exception
    assert "2025年7月8日" in docx_text(downloads["2025年6月份民生工程月度考评情况通报.docx"])


def test_default_date_and_number_are_the_bulletins_usual_ones(test_db, downloads, monkeypatch):
    """落款 the 10th of the month after, not today; 文号 number = the month, prefix from config."""
    monkeypatch.setenv("MINSHENG_BULLETIN_DOC_PREFIX", "测民生办")
    at = open_app(PAGE)
    assert not at.exception
    text = docx_text(downloads["2025年6月份民生工程月度考评情况通报.docx"])
    assert "2025年7月10日" in text and "测民生办〔2025〕6号" in text
    at.number_input(key="bulletin_no_2025_6").set_value(7).run()
    assert "测民生办〔2025〕7号" in docx_text(downloads["2025年6月份民生工程月度考评情况通报.docx"])


def test_month_without_scores_ranks_by_progress_index(test_db, downloads):
    at = open_app(PAGE, {"month": "4"})
    assert not at.exception
    text = docx_text(downloads["2025年4月份民生工程月度考评情况通报.docx"])
    assert "按进度指数排名" in text
    assert "4月进度指数" in text


def test_chart_toggle_embeds_the_county_chart(test_db, downloads):
    from charts.png import browser_available, png_dimensions

    if not browser_available():
        pytest.skip("没有 Chromium，无法生成插图")
    at = open_app(PAGE)
    at.toggle(key="bulletin_chart").set_value(True).run()
    assert not at.exception
    stem = "2025年6月份民生工程月度考评情况通报"
    document = Document(io.BytesIO(downloads[f"{stem}.docx"]))
    assert len(document.inline_shapes) == 1
    png = downloads["2025年6月_各县区完成率与序时进度.png"]
    assert png_dimensions(png) == (1800, 1000)  # the bulletin preset: 900×500 at scale 2
    assert "2025年6月_各县区完成率与序时进度.png" in downloads[f"{stem}.md"].decode("utf-8")
