"""The 通报 as a Word document (python-docx) in the form of GB/T 9704-2012 (党政机关公文格式).

版头 (optional 红头, 文号), title in 二号小标宋, 主送机关, 正文 in 三号仿宋 at a fixed 28.9 pt
line pitch, 附件说明, 落款, then the 附件 tables and the 版记 (抄送 / 印发) when configured.
The form itself — page, fonts, 版头, 落款, 版记 — is in `bulletin.docx_form`, the tables in
`bulletin.docx_tables`.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from bulletin.docx_form import (
    CHAR,
    FIRST_STYLE,
    TITLE_STYLE,
    add_masthead,
    add_record,
    add_signature,
    setup_page,
    setup_styles,
    text_width_pt,
)
from bulletin.docx_tables import (
    ADJUSTMENT_WIDTHS,
    LAGGING_WIDTHS,
    RANKING_WIDTHS,
    SUPERVISION_WIDTHS,
    add_table,
    keep_rows_together,
)
from bulletin.form import DocumentForm, signer
from bulletin.model import (
    ADJUSTMENT_HEADER,
    INDEX_NOTE,
    LAGGING_HEADER,
    BulletinContent,
    ranking_cells,
)
from bulletin.tables import LAGGING_NOTE, adjustment_cells, lagging_cells

ATTACHMENT_LABEL = "附件："


def _body(document, text: str, *, indent: bool = True, align=None, keep: bool = False):
    paragraph = document.add_paragraph(text)
    if indent:
        paragraph.paragraph_format.first_line_indent = 2 * CHAR  # 首行缩进二字
    if align is not None:
        paragraph.alignment = align
    if keep:
        paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _attachment_list(document, titles: tuple[str, ...]) -> None:
    """附件说明: 正文下空一行、左空二字 “附件：1．…”, later numbers under the first, a wrapped
    title under its first character."""
    document.add_paragraph()
    label = text_width_pt(ATTACHMENT_LABEL, CHAR.pt)
    for number, title in enumerate(titles, start=1):
        prefix = ATTACHMENT_LABEL if number == 1 else ""
        paragraph = document.add_paragraph(f"{prefix}{number}．{title}")
        numbering = text_width_pt(f"{number}．", CHAR.pt)
        fmt = paragraph.paragraph_format
        fmt.left_indent = Pt(2 * CHAR.pt + label + numbering)
        fmt.first_line_indent = Pt(-numbering - (label if number == 1 else 0))


def _add_cover_letter(document, content: BulletinContent, form: DocumentForm) -> None:
    add_masthead(document, form, form.doc_number(content.year, content.month))
    document.add_paragraph(content.title, style=TITLE_STYLE)
    document.add_paragraph()  # 标题下空一行
    _body(document, content.salutation, indent=False)
    for paragraph in content.summary:
        _body(document, paragraph)
    _attachment_list(document, content.attachment_titles)
    document.add_paragraph()
    document.add_paragraph()
    add_signature(document, signer(form, content.issuer), content.date_text)


def _add_attachment_heading(document, number: int, title: str) -> None:
    # Each 附件 starts a page: 附件 label 黑体三号 顶格, the title centred in 小标宋, both kept
    # with the table below.
    label = _body(document, f"附件{number}", indent=False, keep=True)
    label.style = FIRST_STYLE
    label.paragraph_format.page_break_before = True
    label.paragraph_format.space_before = 0
    document.add_paragraph(title, style=TITLE_STYLE).paragraph_format.space_after = Pt(14)


def _caption(document, text: str) -> None:
    document.add_paragraph(text, style=FIRST_STYLE)


def _add_rankings(document, content: BulletinContent) -> None:
    _add_attachment_heading(document, 1, content.attachment_titles[0])
    for caption, rows, by_scores in content.ranking_sections():
        _caption(document, caption)
        if not rows:
            _body(document, f"{content.month}月份无{caption[:-2]}考评数据。")
            continue
        header = content.ranking_header(by_scores)
        table = add_table(document, header, [ranking_cells(r) for r in rows], RANKING_WIDTHS)
        if len(rows) <= 10:
            keep_rows_together(table)
        if not by_scores:
            _body(document, INDEX_NOTE, indent=False)


def _add_lagging(document, content: BulletinContent) -> None:
    _add_attachment_heading(document, 2, content.attachment_titles[1])
    if content.headline is None:
        _body(document, f"{content.month}月份无进度数据。")
    elif not content.lagging:
        _body(document, f"{content.month}月份各项目指标均达到序时进度。")
    else:
        add_table(document, LAGGING_HEADER, lagging_cells(content.lagging), LAGGING_WIDTHS)
        _body(document, LAGGING_NOTE, indent=False)


def _add_adjustments(document, content: BulletinContent) -> None:
    _add_attachment_heading(document, 3, content.attachment_titles[2])
    if not content.adjustments:
        _body(document, f"{content.month}月份无加（扣）分。")
        return
    rows = adjustment_cells(content.adjustments)
    add_table(document, ADJUSTMENT_HEADER, rows, ADJUSTMENT_WIDTHS)
    _body(document, "注：加（扣）分已计入当月得分及排名。", indent=False)


def _add_supervision(document, content: BulletinContent) -> None:
    """附件4: the 督办台账 of the month (only when the content has it)."""
    if content.supervision is None:
        return
    _add_attachment_heading(document, 4, content.attachment_titles[3])
    for caption, header, rows, empty in content.supervision_sections():
        _caption(document, caption)
        if rows:
            add_table(document, header, rows, SUPERVISION_WIDTHS)
        else:
            _body(document, empty)


def _add_chart(document, png: bytes, caption: str) -> None:
    document.add_picture(io.BytesIO(png), width=Mm(150))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.paragraphs[-1].paragraph_format.line_spacing = 1.0  # a fixed pitch would clip it
    document.paragraphs[-1].paragraph_format.keep_with_next = True
    _body(document, caption, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)


def write_docx(
    content: BulletinContent,
    *,
    form: DocumentForm | None = None,
    chart_png: bytes | None = None,
    chart_caption: str = "",
) -> bytes:
    """The whole 通报 as .docx bytes; `form` holds the office's 文号 prefix, 红头 and 版记
    (default: 文号 only); `chart_png` (optional) is placed after 附件2's table."""
    form = form or DocumentForm()
    document = Document()
    setup_styles(document)
    setup_page(document)
    document.core_properties.title = content.title
    document.core_properties.author = signer(form, content.issuer)
    _add_cover_letter(document, content, form)
    _add_rankings(document, content)
    _add_lagging(document, content)
    if chart_png:
        _add_chart(document, chart_png, chart_caption)
    _add_adjustments(document, content)
    _add_supervision(document, content)
    add_record(document, form, content.issuer, content.date_text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
