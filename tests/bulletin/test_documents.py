"""The .docx opened back with python-docx, and the Markdown: same tables as v_scores, seed 004's shape."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re

import docx
import pytest
from docx.oxml.ns import qn

from bulletin.content import build_content
from bulletin.docx_writer import write_docx
from bulletin.markdown_writer import write_markdown
from bulletin.render import render_bulletin
from metrics.db import Warehouse
from metrics.format import fmt_score
from tests.bulletin.bulletin_db import MONTH, YEAR, view_rows
from tests.shown import shown

RANKING_HEADER = ["单位", "9月得分", "9月排名", "1-9月得分", "1-9月排名"]


@pytest.fixture(scope="module")
def content(warehouse_path):
    return build_content(Warehouse(warehouse_path), YEAR, MONTH, dt.date(2020, 10, 16))


@pytest.fixture(scope="module")
def document(content):
    return docx.Document(io.BytesIO(write_docx(content)))


@pytest.fixture(scope="module")
def markdown(content):
    return write_markdown(content)


def _view_cells(path, unit_type):
    return [
        [unit, fmt_score(score), str(rank), fmt_score(cumulative), str(cumulative_rank)]
        for unit, score, rank, cumulative, cumulative_rank in view_rows(path, unit_type)
    ]


def _table_text(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


def _markdown_tables(text):
    """Pipe tables of a Markdown text as lists of cell lists (header first, rule row dropped),
    as a reader sees them."""
    tables, current = [], []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            cells = [shown(c.strip()) for c in line.strip("|").split(" | ")]
            if not set(line) <= set("|:-"):
                current.append(cells)
        elif current:
            tables.append(current)
            current = []
    return tables


def test_title_salutation_and_signature(document):
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[0] == "民生办〔2020〕9号"  # 文号 on the first line (no 红头 configured)
    title = next(p for p in document.paragraphs if p.style.name == "Heading 1")
    assert title.text == texts[1] == "9月份民生工程月度考评情况通报"
    assert texts[2] == "市民生工作领导小组有关成员单位："
    signature = texts.index("市民生办")
    assert texts[signature + 1] == "2020年10月16日"


def test_attachments_listed_and_headed(document):
    texts = [p.text for p in document.paragraphs]
    # 标题 style: the 通报's title, then each 附件's title (GB/T 9704: 小标宋)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"][1:]
    assert headings == [
        "9月份民生工程排名情况汇总表",
        "9月份民生工程进展滞后项目表",
        "9月份民生工程加（扣）分情况表",
    ]
    assert "附件：1．9月份民生工程排名情况汇总表" in texts  # 附件说明 as GB/T 9704 writes it
    assert "2．9月份民生工程进展滞后项目表" in texts
    assert [t for t in texts if t.startswith("附件") and t[-1].isdigit()] == [
        "附件1",
        "附件2",
        "附件3",
    ]


def test_four_tables_with_their_header_cells(document):
    assert [_table_text(t)[0] for t in document.tables] == [
        RANKING_HEADER,
        RANKING_HEADER,
        ["项目", "责任单位", "地区", "指标", "完成率", "序时进度", "落后（百分点）"],
        ["类型", "单位", "加（扣）分", "原因"],
    ]


@pytest.mark.parametrize(("table_index", "unit_type"), [(0, "县区"), (1, "市直单位")])
def test_docx_ranking_tables_equal_v_scores(document, warehouse_path, table_index, unit_type):
    assert _table_text(document.tables[table_index])[1:] == _view_cells(warehouse_path, unit_type)


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("铜官区", ["铜官区", "1.498", "1", "13.441", "4"]),
        ("枞阳县", ["枞阳县", "1.495", "3", "13.611", "2"]),
        ("经开区", ["经开区", "1.485", "5", "13.405", "5"]),
    ],
)
def test_known_county_rank_in_docx(document, unit, expected):
    rows = {row[0]: row for row in _table_text(document.tables[0])}
    assert rows[unit] == expected


def test_lagging_table_names_counties_and_lead_department(document):
    rows = _table_text(document.tables[2])[1:]
    assert rows[0] == [
        "4、“四好农村路”建设", "市交通局", "枞阳县", "农村公路扩面延伸工程完工*",
        "40.0%", "75.0%", "35.0",
    ]  # fmt: skip
    assert [(r[0], r[2]) for r in rows] == [
        ("4、“四好农村路”建设", "枞阳县"),
        ("4、“四好农村路”建设", "郊区"),
        ("11、农村改厕及资源化利用", "枞阳县"),
        ("12-1、美丽乡村建设", "枞阳县"),
        ("13、就业创业促进工程", "铜官区"),
    ]


def test_adjustment_reasons_table(document):
    rows = {row[1]: row for row in _table_text(document.tables[3])[1:]}
    assert rows["经开区"] == ["县区", "经开区", "-0.05", "未按时报送资金报表扣0.05分"]
    assert rows["枞阳县"][2:] == ["+0.05", "省民生网站刊登信息加0.05分"]
    assert rows["市交通局"][2] == "-0.1"


@pytest.mark.parametrize(
    ("style", "east_asia"),
    [("Normal", "仿宋_GB2312"), ("Table Grid", "宋体"), ("Table Text", "宋体"),
     ("Heading 1", "方正小标宋简体"), ("Heading 2", "黑体"), ("Heading 3", "楷体_GB2312")],
)  # fmt: skip
def test_chinese_fonts_set_on_styles(document, style, east_asia):
    rfonts = document.styles[style].element.rPr.find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsia")) == east_asia
    assert rfonts.get(qn("w:ascii")) == east_asia  # digits and Latin letters in the same face
    assert rfonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would override it


def test_table_cells_use_the_table_text_style(document):
    cell = document.tables[0].rows[1].cells[0]
    assert cell.paragraphs[0].style.name == "Table Text"


def test_footer_has_page_number_field(document):
    footer = document.sections[0].footer.paragraphs[0]
    instructions = [e.text.strip() for e in footer._p.iter(qn("w:instrText"))]
    kinds = [e.get(qn("w:fldCharType")) for e in footer._p.iter(qn("w:fldChar"))]
    assert instructions == ["PAGE"]
    assert kinds == ["begin", "separate", "end"]


def test_a4_page(document):
    section = document.sections[0]
    # Word stores twips, so millimetres come back within a fraction of a millimetre.
    assert section.page_width.mm == pytest.approx(210, abs=0.1)
    assert section.page_height.mm == pytest.approx(297, abs=0.1)
    assert section.left_margin.mm == pytest.approx(28, abs=0.1)


def test_markdown_has_the_same_tables_as_the_docx(document, markdown):
    assert _markdown_tables(markdown) == [_table_text(t) for t in document.tables]


def test_markdown_ranking_rows_and_letter(markdown, warehouse_path):
    for row in _view_cells(warehouse_path, "县区") + _view_cells(warehouse_path, "市直单位"):
        assert "| " + " | ".join(row) + " |" in markdown
    assert markdown.startswith(
        "# 9月份民生工程月度考评情况通报\n\n市民生工作领导小组有关成员单位："
    )
    assert "市民生办  \n2020年10月16日" in markdown


def test_ranking_by_progress_index_is_labelled(content):
    by_index = dataclasses.replace(content, county_ranking_by_scores=False)
    document = docx.Document(io.BytesIO(write_docx(by_index)))
    assert _table_text(document.tables[0])[0] == [
        "单位",
        "9月进度指数",
        "9月排名",
        "1-9月累计指数",
        "1-9月排名",
    ]
    assert _table_text(document.tables[1])[0] == RANKING_HEADER
    assert "按进度指数排名" in write_markdown(by_index)


def test_month_without_progress_says_so(warehouse_path):
    august = build_content(Warehouse(warehouse_path), YEAR, 8, dt.date(2020, 9, 15))
    document = docx.Document(io.BytesIO(write_docx(august)))
    texts = [p.text for p in document.paragraphs]
    assert "8月份无进度数据。" in texts and "8月份无加（扣）分。" in texts
    assert len(document.tables) == 2  # the two rankings only


def test_chart_embedded_as_picture(content):
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
        b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
        b"\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    document = docx.Document(
        io.BytesIO(write_docx(content, chart_png=png, chart_caption="图：县区"))
    )
    assert len(document.inline_shapes) == 1
    assert "图：县区" in [p.text for p in document.paragraphs]


def test_render_bulletin_gives_both_documents_and_a_download_name(warehouse_path):
    rendered = render_bulletin(
        Warehouse(warehouse_path), YEAR, 8, dt.date(2020, 9, 15), with_chart=True
    )
    assert rendered.file_stem == "2020年8月份民生工程月度考评情况通报"
    assert rendered.docx[:2] == b"PK" and rendered.markdown.startswith("# 8月份")
    # August has 考评 rows only: no county figures to chart, and the user is told why.
    assert rendered.chart_png is None
    assert rendered.notes == ("该月没有分县区的进度数据，通报中不插图。",)


def test_markdown_shows_file_text_as_typed(tmp_path):
    """Names and 加扣分 reasons holding Markdown stay text: no link, image or heading syntax
    survives in the .md, and the .docx keeps them exactly as the file wrote them."""
    from metrics.plain_text import escape_markdown
    from tests.markup_payloads import NOTES, REGIONS, build_payload_database

    db = build_payload_database(tmp_path / "minsheng.duckdb")
    rendered = render_bulletin(Warehouse(db), 2025, 6, dt.date(2025, 7, 10))
    for raw in (*REGIONS, *NOTES):
        assert escape_markdown(raw) in rendered.markdown
    # No "[" or "<" that Markdown would read as a link, an image or HTML: each is escaped.
    assert re.search(r"(?<!\\)[\[<]", rendered.markdown) is None
    assert r"\[点此核对r0\](https\:" in rendered.markdown
    assert re.search(r"^# 标题|^\*\*粗体", rendered.markdown, re.MULTILINE) is None
    docx_text = "\n".join(
        cell.text
        for table in docx.Document(io.BytesIO(rendered.docx)).tables
        for row in table.rows
        for cell in row.cells
    )
    assert REGIONS[0] in docx_text and NOTES[1] in docx_text
