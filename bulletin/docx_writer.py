"""The 通报 as a Word document (python-docx), laid out like seed 004.

Body in 仿宋, tables in 宋体, headings in 黑体 — set as w:eastAsia fonts on the styles, since
Word otherwise falls back to a Latin theme font for Chinese text. A4 with the margins of
official documents (GB/T 9704), page numbers as a PAGE field in the footer.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from bulletin.model import (
    ADJUSTMENT_HEADER,
    INDEX_NOTE,
    LAGGING_HEADER,
    BulletinContent,
    ranking_cells,
)
from bulletin.tables import LAGGING_NOTE, adjustment_cells, lagging_cells

BODY_FONT = "仿宋"
TABLE_FONT = "宋体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
TABLE_STYLE = "Table Grid"
CELL_STYLE = "Table Text"  # paragraph style of table cells: Normal's 三号仿宋 would win otherwise


def _set_fonts(style, east_asia: str, size: float, *, bold: bool | None = None) -> None:
    """Set Latin and East Asian fonts on a style, dropping theme fonts that would override them."""
    style.font.name = LATIN_FONT
    style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:eastAsia"), east_asia)


def _set_east_asian_language(style) -> None:
    """zh-CN as the East Asian language: Word then sets “”、： in the Chinese font too."""
    rpr = style.element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _setup_styles(document) -> None:
    styles = document.styles
    _set_fonts(styles["Normal"], BODY_FONT, 16)  # 三号仿宋, the size of official documents
    _set_east_asian_language(styles["Normal"])
    styles["Normal"].paragraph_format.line_spacing = Pt(28)
    _set_fonts(styles[TABLE_STYLE], TABLE_FONT, 10.5)
    cell_style = styles.add_style(CELL_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    cell_style.base_style = styles["Normal"]
    _set_fonts(cell_style, TABLE_FONT, 10.5)
    cell_style.paragraph_format.line_spacing = 1.0
    cell_style.paragraph_format.space_before = cell_style.paragraph_format.space_after = Pt(2)
    for name, size in (("Heading 1", 22), ("Heading 2", 16), ("Heading 3", 14)):
        _set_fonts(styles[name], HEADING_FONT, size, bold=False)
        styles[name].font.color.rgb = RGBColor(0, 0, 0)
        styles[name].paragraph_format.space_before = Pt(12)
        styles[name].paragraph_format.space_after = Pt(6)
    styles["Heading 1"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _setup_page(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)  # A4
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _add_page_number(section.footer.paragraphs[0])


def _add_field(paragraph, instruction: str) -> None:
    """A complex field (begin / instrText / separate / result / end), which Word updates on open."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None)):
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            run._r.append(instr)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
    paragraph.add_run("1")  # shown until the field is updated
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def _add_page_number(paragraph) -> None:
    """ "— 1 —", centred, as page numbers of official documents are printed."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    _add_field(paragraph, "PAGE")
    paragraph.add_run(" —")


def _repeat_header_row(row) -> None:
    """The header row repeats on every page a long table spans."""
    trpr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    trpr.append(flag)


def _fill_cell(cell, text: str, *, header: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.style = CELL_STYLE
    run = paragraph.add_run(text)
    if header:
        run.bold = True
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _add_table(document, header: tuple[str, ...], rows: list[tuple[str, ...]]):
    table = document.add_table(rows=1, cols=len(header), style=TABLE_STYLE)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _fill_cell(cell, text, header=True)
    _repeat_header_row(table.rows[0])
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            _fill_cell(cell, text)
    return table


def _body(document, text: str, *, indent: bool = True, align=None):
    paragraph = document.add_paragraph(text)
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(32)  # two characters of 三号
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _page_break(document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _add_cover_letter(document, content: BulletinContent) -> None:
    document.add_heading(content.title, level=1)
    _body(document, content.salutation, indent=False)
    for paragraph in content.summary:
        _body(document, paragraph)
    _body(document, "附件：")
    for number, title in enumerate(content.attachment_titles, start=1):
        _body(document, f"{number}、{title}")
    document.add_paragraph()
    _body(document, content.issuer, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _body(document, content.date_text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)


def _add_attachment_heading(document, number: int, title: str) -> None:
    _page_break(document)
    _body(document, f"附件{number}", indent=False)
    document.add_heading(title, level=2).alignment = WD_ALIGN_PARAGRAPH.CENTER


def _add_rankings(document, content: BulletinContent) -> None:
    _add_attachment_heading(document, 1, content.attachment_titles[0])
    for caption, rows, by_scores in content.ranking_sections():
        document.add_heading(caption, level=3)
        if not rows:
            _body(document, f"{content.month}月份无{caption[:-2]}考评数据。")
            continue
        header = content.ranking_header(by_scores)
        _add_table(document, header, [ranking_cells(r) for r in rows])
        if not by_scores:
            _body(document, INDEX_NOTE, indent=False)


def _add_lagging(document, content: BulletinContent) -> None:
    _add_attachment_heading(document, 2, content.attachment_titles[1])
    if content.headline is None:
        _body(document, f"{content.month}月份无进度数据。")
    elif not content.lagging:
        _body(document, f"{content.month}月份各项目指标均达到序时进度。")
    else:
        _add_table(document, LAGGING_HEADER, lagging_cells(content.lagging))
        _body(document, LAGGING_NOTE, indent=False)


def _add_adjustments(document, content: BulletinContent) -> None:
    _add_attachment_heading(document, 3, content.attachment_titles[2])
    if not content.adjustments:
        _body(document, f"{content.month}月份无加（扣）分。")
        return
    _add_table(document, ADJUSTMENT_HEADER, adjustment_cells(content.adjustments))
    _body(document, "注：加（扣）分已计入当月得分及排名。", indent=False)


def _add_supervision(document, content: BulletinContent) -> None:
    """附件4: the 督办台账 of the month (only when the content has it)."""
    if content.supervision is None:
        return
    _add_attachment_heading(document, 4, content.attachment_titles[3])
    for caption, header, rows, empty in content.supervision_sections():
        document.add_heading(caption, level=3)
        if rows:
            _add_table(document, header, rows)
        else:
            _body(document, empty)


def _add_chart(document, png: bytes, caption: str) -> None:
    document.add_picture(io.BytesIO(png), width=Mm(150))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _body(document, caption, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)


def write_docx(
    content: BulletinContent, *, chart_png: bytes | None = None, chart_caption: str = ""
) -> bytes:
    """The whole 通报 as .docx bytes; `chart_png` (optional) is placed after 附件2's table."""
    document = Document()
    _setup_styles(document)
    _setup_page(document)
    document.core_properties.title = content.title
    document.core_properties.author = content.issuer
    _add_cover_letter(document, content)
    _add_rankings(document, content)
    _add_lagging(document, content)
    if chart_png:
        _add_chart(document, chart_png, chart_caption)
    _add_adjustments(document, content)
    _add_supervision(document, content)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
