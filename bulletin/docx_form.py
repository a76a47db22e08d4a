"""The GB/T 9704-2012 form of the .docx: page, fonts, 版头 (红头, 文号), 落款, 版记, page numbers.

Fonts are named as on a Chinese office PC (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312, 黑体, 宋体);
the font table lists a fallback for each (w:altName), and every style sets the East Asian and
the Latin fonts alike, so digits and Latin letters come out in the same typeface, 半角.
"""

from __future__ import annotations

from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from bulletin.form import DocumentForm

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"  # 一级标题 (一、)
KAI_FONT = "楷体_GB2312"  # 二级标题 (（一）)
TABLE_FONT = "宋体"
PAGE_NUMBER_FONT = "宋体"
FALLBACKS = {TITLE_FONT: "华文中宋", BODY_FONT: "仿宋", KAI_FONT: "楷体", HEADING_FONT: "SimHei",
             TABLE_FONT: "SimSun"}  # fmt: skip

# 字号 in points: 二号 22, 三号 16, 四号 14, 小四 12.
TITLE_SIZE, BODY_SIZE, RECORD_SIZE, TABLE_SIZE = 22, 16, 14, 12
LINE_PITCH = Pt(28.9)  # 22 lines in the 225 mm 版心 (GB/T 9704: 每页22行)
TITLE_PITCH = Pt(36)
CHAR = Pt(BODY_SIZE)  # one character of 三号, for indents
TEXT_WIDTH = Mm(210 - 28 - 26)
RED = RGBColor(0xE6, 0x00, 0x12)
RED_HEX = "E60012"

CELL_STYLE = "Table Text"  # paragraph style of table cells: Normal's 三号仿宋 would win otherwise
TABLE_STYLE = "Table Grid"
# 标题 (the 通报's and each 附件's), 一级标题 (一、), 二级标题 (（一）).
TITLE_STYLE, FIRST_STYLE, SECOND_STYLE = "Heading 1", "Heading 2", "Heading 3"


def set_run_fonts(element, font: str) -> None:
    """East Asian and Latin font of a style or run rPr, dropping theme fonts that override them."""
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), font)


def _style(style, font: str, size: float, *, bold: bool = False) -> None:
    style.font.size = Pt(size)
    style.font.bold = bold
    set_run_fonts(style.element, font)


def _set_east_asian_language(style) -> None:
    """zh-CN as the East Asian language: Word then sets “”、： in the Chinese font too."""
    rpr = style.element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _add_font_fallbacks(document) -> None:
    """Font table entries with w:altName, the font Word takes when the first is not installed."""
    part = next(p for p in document.part.package.iter_parts()
                if str(p.partname) == "/word/fontTable.xml")  # fmt: skip
    fonts = parse_xml(part.blob)
    for name, alt in FALLBACKS.items():
        entry = OxmlElement("w:font")
        entry.set(qn("w:name"), name)
        for tag, value in (("w:altName", alt), ("w:charset", "86"), ("w:family", "roman"),
                           ("w:pitch", "variable")):  # fmt: skip
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            entry.append(child)
        fonts.append(entry)
    from lxml import etree

    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)


def setup_styles(document) -> None:
    styles = document.styles
    normal = styles["Normal"]
    _style(normal, BODY_FONT, BODY_SIZE)
    _set_east_asian_language(normal)
    normal.paragraph_format.line_spacing = LINE_PITCH
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.widow_control = False  # a line of 正文 may stand alone (fixed grid)
    _style(styles[TABLE_STYLE], TABLE_FONT, TABLE_SIZE)
    cell_style = styles.add_style(CELL_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    cell_style.base_style = normal
    _style(cell_style, TABLE_FONT, TABLE_SIZE)
    cell_style.paragraph_format.line_spacing = Pt(16)
    cell_style.paragraph_format.space_before = cell_style.paragraph_format.space_after = Pt(2)
    heads = ((TITLE_STYLE, TITLE_FONT, TITLE_SIZE), (FIRST_STYLE, HEADING_FONT, BODY_SIZE),
             (SECOND_STYLE, KAI_FONT, BODY_SIZE))  # fmt: skip
    for name, font, size in heads:
        style = styles[name]
        _style(style, font, size)
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        fmt = style.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing = TITLE_PITCH if size == TITLE_SIZE else LINE_PITCH
        fmt.keep_with_next = True
    styles[TITLE_STYLE].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styles[FIRST_STYLE].paragraph_format.space_before = Pt(6)
    _add_font_fallbacks(document)


def setup_page(document) -> None:
    """A4, 版心 156 × 225 mm (天头 37 mm, 订口 28 mm), page numbers 单页居右、双页居左."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(22)  # the number's line sits about 7 mm below the 版心
    document.settings.odd_and_even_pages_header_footer = True
    add_page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    add_page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _add_field(paragraph, instruction: str):
    """A complex field (begin / instrText / separate / result / end), which Word updates on open."""
    runs = [paragraph.add_run() for _ in range(4)]
    begin, instr, separate, end = (OxmlElement(t) for t in
                                   ("w:fldChar", "w:instrText", "w:fldChar", "w:fldChar"))  # fmt: skip
    begin.set(qn("w:fldCharType"), "begin")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    separate.set(qn("w:fldCharType"), "separate")
    end.set(qn("w:fldCharType"), "end")
    runs[0]._r.append(begin)
    runs[1]._r.append(instr)
    runs[2]._r.append(separate)
    result = paragraph.add_run("1")  # shown until the field is updated
    paragraph._p.append(runs[3]._r)  # end after the result
    runs[3]._r.append(end)
    return [*runs, result]


def add_page_number(paragraph, alignment) -> None:
    """ "— 1 —" in 四号半角宋体, one character in from the outer edge."""
    paragraph.alignment = alignment
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Pt(RECORD_SIZE)
    fmt.line_spacing = Pt(RECORD_SIZE)
    runs = [paragraph.add_run("— "), *_add_field(paragraph, "PAGE"), paragraph.add_run(" —")]
    for run in runs:
        run.font.size = Pt(RECORD_SIZE)
        set_run_fonts(run._r, PAGE_NUMBER_FONT)


_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
               "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
               "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
               "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
               "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
               "w:rPr", "w:sectPr", "w:pPrChange")  # fmt: skip


def _border(paragraph, side: str, size_eighths: int, color: str, space: int = 1) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.insert_element_before(borders, *_AFTER_PBDR)
    line = OxmlElement(f"w:{side}")
    for attr, value in (("val", "single"), ("sz", str(size_eighths)), ("space", str(space)),
                        ("color", color)):  # fmt: skip
        line.set(qn(f"w:{attr}"), value)
    borders.append(line)


def text_width_pt(text: str, size: float) -> float:
    """Printed width: full-width characters one em, digits and Latin letters half an em."""
    return sum(size if ord(ch) > 0x2000 else size / 2 for ch in text)


def add_masthead(document, form: DocumentForm, doc_number: str) -> None:
    """版头: 发文机关标志 in red 小标宋 and the red line under the 文号 when `form.red_header`
    is set; otherwise the 文号 alone, 右空一字, on the first line."""
    if not form.red_header:
        paragraph = document.add_paragraph(doc_number)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.right_indent = CHAR
        document.add_paragraph()
        return
    # As large as fits the 版心 on one line, at most 小初 … 初号-ish 42 pt.
    size = min(42.0, TEXT_WIDTH.pt / max(1, len(form.red_header)) - 0.5)
    header = document.add_paragraph()
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = header.paragraph_format
    fmt.space_before = Mm(35) - LINE_PITCH  # 上边缘至版心上边缘 35 mm (下行文)
    fmt.line_spacing = Pt(size * 1.25)
    run = header.add_run(form.red_header)
    run.font.size = Pt(size)
    run.font.color.rgb = RED
    set_run_fonts(run._r, TITLE_FONT)
    document.add_paragraph()  # 发文机关标志下空二行
    document.add_paragraph()
    number = document.add_paragraph(doc_number)
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _border(number, "bottom", 12, RED_HEX, space=11)  # 文号下 4 mm 红色分隔线, 版心宽
    document.add_paragraph()  # 分隔线下空二行 (the border's space takes part of the first)


def add_signature(document, issuer: str, date_text: str) -> None:
    """落款: 成文日期 右空四字, the 发文机关署名 centred over the date."""
    date_width = text_width_pt(date_text, BODY_SIZE)
    signer_width = text_width_pt(issuer, BODY_SIZE)
    signer_indent = 4 * BODY_SIZE + max(0.0, (date_width - signer_width) / 2)
    for text, indent in ((issuer, signer_indent), (date_text, 4 * BODY_SIZE)):
        paragraph = document.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.right_indent = Pt(indent)
        paragraph.paragraph_format.keep_with_next = text == issuer


def _cell_border(cell, side: str, size_eighths: int) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    borders = tcpr.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        tcpr.append(borders)
    line = OxmlElement(f"w:{side}")
    for attr, value in (("val", "single"), ("sz", str(size_eighths)), ("space", "0"),
                        ("color", "000000")):  # fmt: skip
        line.set(qn(f"w:{attr}"), value)
    borders.append(line)


def add_record(document, form: DocumentForm, default_issuer: str, date_text: str) -> None:
    """版记: 抄送 and 印发机关 / 印发日期 in 四号仿宋 between 分隔线 (粗—细—粗) as wide as the
    版心; text 左右各空一字, a wrapped 抄送 line aligned after the colon.

    GB/T 9704 puts the 版记 at the foot of the last page, its last line on the 版心's last line.
    Where the text ends is known only once a word processor lays it out, and LibreOffice ignores
    a table or frame anchored to the page bottom, so the 版记 has a page of its own (版记页,
    which the standard numbers not): the footer of a last section, which Word and LibreOffice
    both set at the page's foot."""
    if not form.has_record:
        return
    lines = form.record_lines(default_issuer, date_text, "\t")
    section = document.add_section()  # a new page
    section.footer_distance = section.bottom_margin  # the footer ends on the 版心's last line
    for footer in (section.footer, section.even_page_footer):
        footer.is_linked_to_previous = False  # no page number: the 版记页 is not numbered
        _record_table(footer, lines)


def _record_table(footer, lines: list[str]) -> None:
    table = footer.add_table(rows=len(lines), cols=1, width=TEXT_WIDTH)
    table.autofit = False
    # The footer's own empty paragraph goes after the table (a story ends with a paragraph),
    # one point high, so the table's last line is the 版心's last line.
    end = footer.paragraphs[0]
    footer._element.append(end._p)
    end.paragraph_format.line_spacing = Pt(1)
    end.paragraph_format.space_before = end.paragraph_format.space_after = Pt(0)
    end.add_run().font.size = Pt(1)
    for index, (row, text) in enumerate(zip(table.rows, lines, strict=True)):
        cant_split(row)
        cell = row.cells[0]
        cell.width = TEXT_WIDTH
        paragraph = cell.paragraphs[0]
        paragraph.add_run(text).font.size = Pt(RECORD_SIZE)
        fmt = paragraph.paragraph_format
        fmt.line_spacing = Pt(RECORD_SIZE * 1.6)
        fmt.left_indent = fmt.right_indent = Pt(RECORD_SIZE)
        if text.startswith("抄送："):
            fmt.left_indent = Pt(RECORD_SIZE * 4)
            fmt.first_line_indent = Pt(-RECORD_SIZE * 3)
        fmt.tab_stops.add_tab_stop(TEXT_WIDTH - Pt(RECORD_SIZE), WD_TAB_ALIGNMENT.RIGHT)
        _cell_border(cell, "top", 8 if index == 0 else 4)  # 首条 0.35 mm, 中间 0.25 mm
        if index == len(lines) - 1:
            _cell_border(cell, "bottom", 8)  # 末条 0.35 mm


def cant_split(row) -> None:
    """A table row is never broken across two pages."""
    flag = OxmlElement("w:cantSplit")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)
