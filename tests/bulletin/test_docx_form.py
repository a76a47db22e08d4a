"""The 通报's GB/T 9704 form: config, 文号, 红头, 版记, 落款 date, fonts, table properties."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from docx.oxml.ns import qn

from bulletin.content import build_content
from bulletin.docx_writer import write_docx
from bulletin.form import DocumentForm, read_form, secrets_file_section, usual_issue_date
from bulletin.markdown_writer import write_markdown
from metrics.db import Warehouse
from tests.bulletin.bulletin_db import MONTH, YEAR

FORM = DocumentForm(doc_prefix="示民生办", red_header="示例市民生工程工作领导小组办公室文件",
                    cc=("市委办公室", "市政府办公室"), issuer="示例市民生工程工作领导小组办公室")  # fmt: skip


@pytest.fixture(scope="module")
def content(warehouse_path):
    return build_content(Warehouse(warehouse_path), YEAR, MONTH, dt.date(2020, 10, 16))


@pytest.fixture(scope="module")
def document(content):
    return docx.Document(io.BytesIO(write_docx(content, form=FORM)))


def test_usual_date_is_the_tenth_of_the_month_after():
    assert usual_issue_date(2025, 6) == dt.date(2025, 7, 10)
    assert usual_issue_date(2025, 12) == dt.date(2026, 1, 10)
    assert usual_issue_date(2025, 1, 31) == dt.date(2025, 2, 28)


def test_default_issue_date_is_not_today(warehouse_path):
    assert build_content(Warehouse(warehouse_path), 2020, 9).issued_on == dt.date(2020, 10, 10)


def test_default_issue_date_is_the_offices_usual_day(warehouse_path):
    content = build_content(Warehouse(warehouse_path), 2020, 9, form=DocumentForm(issue_day=15))
    assert (content.issued_on, content.date_text) == (dt.date(2020, 10, 15), "2020年10月15日")


def test_read_form_from_section_then_environment():
    env = {"MINSHENG_BULLETIN_DOC_PREFIX": "环民生办", "MINSHENG_BULLETIN_CC": "市委办、市政府办",
           "MINSHENG_BULLETIN_ISSUE_DATE": "15"}  # fmt: skip
    form = read_form({"doc_prefix": "秘民生办", "issuer": "某办"}, env)
    assert (form.doc_prefix, form.issuer, form.cc, form.issue_day) == (
        "秘民生办", "某办", ("市委办", "市政府办"), 15
    )  # fmt: skip
    assert read_form(None, {}) == DocumentForm()
    assert read_form({"issue_date": "x", "cc": ["甲", ""]}, {}).cc == ("甲",)


def test_secrets_file_section(tmp_path):
    path = tmp_path / "secrets.toml"
    path.write_text('[minsheng.bulletin]\ndoc_prefix = "示民生办"\n', encoding="utf-8")
    assert secrets_file_section(path) == {"doc_prefix": "示民生办"}
    assert secrets_file_section(tmp_path / "none.toml") == {}


def test_doc_number_defaults_to_the_month():
    assert DocumentForm().doc_number(2025, 6) == "民生办〔2025〕6号"
    assert DocumentForm(doc_prefix="X民生办", number=9).doc_number(2025, 6) == "X民生办〔2025〕9号"


def test_red_header_number_and_line(document):
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[:3] == ["示例市民生工程工作领导小组办公室文件", "示民生办〔2020〕9号",
                         "9月份民生工程月度考评情况通报"]  # fmt: skip
    header = next(p for p in document.paragraphs if p.text == texts[0])
    assert str(header.runs[0].font.color.rgb) == "E60012"
    assert header.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    number = next(p for p in document.paragraphs if p.text == texts[1])
    line = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert line.get(qn("w:color")) == "E60012"


def test_signature_is_the_issuer_and_date(document):
    texts = [p.text for p in document.paragraphs if p.text]
    i = texts.index("2020年10月16日")
    assert texts[i - 1] == "示例市民生工程工作领导小组办公室"


def test_record_block_at_the_end(document):
    """The 版记 is the foot of a last page of its own (the footer of a last section), with no
    page number; the pages before keep theirs."""
    last = document.sections[-1]
    for footer in (last.footer, last.even_page_footer):
        assert not footer.is_linked_to_previous
        (record,) = footer.tables
        assert [row.cells[0].text for row in record.rows] == [
            "抄送：市委办公室，市政府办公室。",
            "示例市民生工程工作领导小组办公室\t2020年10月16日印发",
        ]
        assert "PAGE" not in footer._element.xml
    assert "PAGE" in document.sections[0].footer._element.xml
    assert last.footer_distance == last.bottom_margin


def test_no_record_without_cc_or_issuer(content):
    plain = docx.Document(io.BytesIO(write_docx(content)))
    assert not any("印发" in t.rows[-1].cells[0].text for t in plain.tables)
    assert len(plain.sections) == 1  # no 版记页
    assert plain.paragraphs[0].text == "民生办〔2020〕9号"


def test_table_rows_never_split_and_header_repeats(document):
    for table in document.tables[:-1]:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        for row in table.rows:
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


def test_ranking_widths_and_figures_right_aligned(document):
    table = document.tables[0]
    widths = [round(cell.width.mm) for cell in table.rows[1].cells]
    assert widths == [56, 25, 25, 25, 25] and sum(widths) == 156
    aligns = [cell.paragraphs[0].alignment for cell in table.rows[1].cells]
    assert str(aligns[0]) != str(aligns[1]) and "RIGHT" in str(aligns[1])


def test_page_margins_and_odd_even_page_numbers(document):
    section = document.sections[0]
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    assert "PAGE" in section.even_page_footer.paragraphs[0]._p.xml
    assert section.footer.paragraphs[0].text.startswith("— ")


def test_fitted_widths_keep_figures_whole_and_names_readable():
    from bulletin.docx_tables import TEXT_WIDTH_MM, fitted_widths

    header = ("项目", "指标", "责任单位", "年度目标", "累计完成", "完成率", "序时进度")
    rows = [("29 水利薄弱环节治理", "中小河流治理投资完成", "市水利局", "8,600万元",
             "7,371.65万元", "85.7%", "100.0%")]  # fmt: skip
    widths = fitted_widths(header, rows)
    assert sum(widths) == pytest.approx(TEXT_WIDTH_MM)
    # "100.0%" at 小四: 5 digits and a % (two) = 7 half-width characters of 2.3 mm, plus margins
    assert widths[6] >= 7 * 2.3 + 4.0
    # 市水利局 on one line: four characters at 12 pt (4.23 mm) and the cell's margins (2 × 1.9 mm)
    assert widths[2] >= 4 * 4.23 + 2 * 1.9


def test_markdown_shows_the_number_under_the_title_and_ends_with_the_record(content):
    text = write_markdown(content, form=FORM)
    lines = [line.rstrip() for line in text.splitlines() if line]  # without Markdown line breaks
    assert lines[:3] == [
        "**示例市民生工程工作领导小组办公室文件**",
        "# 9月份民生工程月度考评情况通报",
        "示民生办〔2020〕9号",
    ]
    assert lines[-3:] == [
        "---",
        "抄送：市委办公室，市政府办公室。",
        "示例市民生工程工作领导小组办公室　　2020年10月16日印发",
    ]
    # The 落款 is the configured issuer, as in the .docx.
    assert "示例市民生工程工作领导小组办公室  \n2020年10月16日" in text


def test_markdown_without_a_record_has_the_number_but_no_rule(content):
    text = write_markdown(content, form=DocumentForm())
    assert "\n\n民生办〔2020〕9号\n\n" in text
    assert "\n---\n" not in text and "印发" not in text


def test_record_with_only_cc_is_issued_by_the_signer(content):
    """抄送 without a configured 印发机关: the 版记 names who signs (the 通报's own office), in
    the Word file and the Markdown alike, never a blank before the date."""
    form = DocumentForm(cc=("市委办公室",))
    issued = f"{content.issuer}　　{content.date_text}印发"
    assert write_markdown(content, form=form).rstrip().endswith(issued)
    document = docx.Document(io.BytesIO(write_docx(content, form=form)))
    (record,) = document.sections[-1].footer.tables
    assert record.rows[-1].cells[0].text == f"{content.issuer}\t{content.date_text}印发"
