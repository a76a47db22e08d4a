"""The demo's 通报 rendered to PDF by LibreOffice: page count, 附件 on their own pages, and no
table row broken across two pages. Skipped where LibreOffice or poppler is not installed
(scripts/setup.sh dev system installs them)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest

from bulletin.docx_form import setup_page, setup_styles
from bulletin.docx_tables import (
    ADJUSTMENT_WIDTHS,
    LAGGING_WIDTHS,
    RANKING_WIDTHS,
    SUPERVISION_WIDTHS,
    add_table,
)
from bulletin.form import DocumentForm
from bulletin.render import render_bulletin
from metrics.db import Warehouse
from tests.bulletin.pdf_pages import (
    MM,
    page_texts,
    page_words,
    split_rows,
    to_pdf,
    tools_missing,
)

pytestmark = pytest.mark.skipif(tools_missing() is not None, reason=tools_missing() or "")

WIDTHS = {5: RANKING_WIDTHS, 7: LAGGING_WIDTHS, 4: ADJUSTMENT_WIDTHS, 6: SUPERVISION_WIDTHS}
FORM = DocumentForm(
    doc_prefix="示民生办",
    red_header="示例市民生工程工作领导小组办公室文件",
    cc=("市委办公室", "市人大常委会办公室", "市政府办公室", "市政协办公室"),
    issuer="示例市民生工程工作领导小组办公室",
)
# Pages of the demo's 通报 with the 红头 and 版记 above (the last is the 版记页), as LibreOffice
# lays them out with the fonts it finds (one page either way for another 仿宋 metric).
EXPECTED_PAGES = {6: 16, 12: 12}
PAGE_HEIGHT_PT, BOTTOM_MARGIN_MM = 297 * MM, 35


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    from etl.demo import build_demo_database

    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo_database(db)
    return db


@pytest.fixture(scope="module", params=[6, 12], ids=["6月", "12月"])
def rendered(request, demo_db, tmp_path_factory):
    """(document, words of each PDF page) of the month's 通报."""
    month = request.param
    doc = render_bulletin(Warehouse(demo_db), 2025, month, form=FORM)
    path = tmp_path_factory.mktemp(f"pdf{month}") / f"2025-{month:02d}.docx"
    path.write_bytes(doc.docx)
    return month, docx.Document(io.BytesIO(doc.docx)), page_words(to_pdf(path))


def test_no_table_row_is_split_across_pages(rendered):
    _, document, pages = rendered
    checked = 0
    for table in document.tables:  # the 版记 is in the last page's footer
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        assert split_rows(pages, rows, WIDTHS[len(rows[0])]) == []
        checked += len(rows)
    assert checked > 40


def test_page_count_and_each_attachment_starts_a_page(rendered):
    month, _, pages = rendered
    texts = page_texts(pages)
    assert abs(len(pages) - EXPECTED_PAGES[month]) <= 1, len(pages)
    starts = [i for i, text in enumerate(texts) if re.match(r"附件\d", text)]
    assert [texts[i][:3] for i in starts] == ["附件1", "附件2", "附件3", "附件4"][: len(starts)]
    assert len(starts) >= 3
    assert starts[1] - starts[0] <= 2  # 附件1: the two rankings on at most two pages
    assert texts[0].startswith("示例市民生工程工作领导小组办公室文件示民生办〔2025〕")
    assert f"示民生办〔2025〕{month}号" in texts[0]
    assert texts[-1].startswith("抄送：") and texts[-1].endswith("印发")  # the 版记页, no number


def test_record_sits_on_the_last_line_of_the_text_block(rendered):
    """GB/T 9704: the 版记's last element on the 版心's last line, at the foot of the page."""
    _, _, pages = rendered
    issued = [w for w in pages[-1] if w.text.endswith("印发")]
    assert len(issued) == 1
    text_bottom = PAGE_HEIGHT_PT - BOTTOM_MARGIN_MM * MM
    assert text_bottom - 2 * 14 < issued[0].y < text_bottom  # its line's top, 四号 = 14 pt
    assert all(w.y > PAGE_HEIGHT_PT / 2 for w in pages[-1])  # nothing else up the page


def test_the_check_finds_a_row_broken_over_two_pages(tmp_path):
    """Without w:cantSplit LibreOffice breaks tall rows: split_rows must see it."""
    document = docx.Document()
    setup_styles(document)
    setup_page(document)
    rows = [(f"第{i}行" + "很长的项目名称" * (25 if i % 3 == 0 else 1), str(i)) for i in range(40)]
    table = add_table(document, ("名称", "数"), rows, (120, 36))
    for row in table.rows:
        for flag in row._tr.trPr.findall(docx.oxml.ns.qn("w:cantSplit")):
            row._tr.trPr.remove(flag)
    path = tmp_path / "split.docx"
    document.save(str(path))
    assert split_rows(page_words(to_pdf(path)), [list(r) for r in rows], (120, 36))
