"""Tables of the .docx 附件: fixed column widths per table, figures right-aligned, the header row
repeated on every page and no row ever broken across two pages.

Widths are millimetres of the 156 mm 版心: names get the room (at 小四 a name wraps at most
twice), figures a narrow column.
"""

from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from bulletin.docx_form import CELL_STYLE, TABLE_STYLE, cant_split
from bulletin.tables import is_numeric_column

# Column widths (mm) by table; each row sums to the 版心's 156 mm.
RANKING_WIDTHS = (56, 25, 25, 25, 25)
LAGGING_WIDTHS = (34, 22, 16, 30, 19, 19, 16)
ADJUSTMENT_WIDTHS = (21, 31, 22, 82)
SUPERVISION_WIDTHS = (12, 16, 22, 44, 31, 31)
CELL_MARGIN = Mm(1.2)
TEXT_WIDTH_MM = 156


def _repeat_header_row(row) -> None:
    """The header row repeats on every page a long table spans."""
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _fixed_layout(table, widths_mm: tuple[float, ...]) -> None:
    """w:tblLayout fixed, the grid and every cell at the given widths (Word and LibreOffice
    otherwise share the width out evenly or by content)."""
    table.autofit = False  # w:tblLayout fixed
    tbl_pr = table._tbl.tblPr
    total = tbl_pr.find(qn("w:tblW"))
    total.set(qn("w:type"), "dxa")
    total.set(qn("w:w"), str(sum(int(Mm(w).twips) for w in widths_mm)))
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(int(CELL_MARGIN.twips)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    tbl_pr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")
    for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, widths_mm, strict=True):
        grid_col.w = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _fill_cell(cell, text: str, alignment) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.style = CELL_STYLE
    paragraph.alignment = alignment
    paragraph.add_run(text)


def fitted_widths(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> tuple[float, ...]:
    """Widths (mm) for a table without its own: each column by its longest text (capped, so a
    long name wraps instead of squeezing the figures), spread over the 版心."""
    weights = [
        2 + min(14, max(len(str(text)) for text in (h, *(r[i] for r in rows))))
        for i, h in enumerate(header)
    ]
    return tuple(TEXT_WIDTH_MM * w / sum(weights) for w in weights)


def add_table(
    document,
    header: tuple[str, ...],
    rows: list[tuple[str, ...]],
    widths_mm: tuple[float, ...] | None = None,
):
    """A bordered table: header centred (bold), text left, figures right; rows never split."""
    widths_mm = widths_mm or fitted_widths(header, rows)
    table = document.add_table(rows=1 + len(rows), cols=len(header), style=TABLE_STYLE)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    numeric = [is_numeric_column(rows, i) for i in range(len(header))]
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _fill_cell(cell, text, WD_ALIGN_PARAGRAPH.CENTER)
        cell.paragraphs[0].runs[0].bold = True
    _repeat_header_row(table.rows[0])
    for row, values in zip(table.rows[1:], rows, strict=True):
        for cell, text, is_number in zip(row.cells, values, numeric, strict=True):
            _fill_cell(
                cell, text, WD_ALIGN_PARAGRAPH.RIGHT if is_number else WD_ALIGN_PARAGRAPH.LEFT
            )
    for row in table.rows:
        cant_split(row)
    _fixed_layout(table, widths_mm)
    return table


def keep_rows_together(table) -> None:
    """A short table stays on one page: every row keeps with the next (the last one excepted)."""
    for row in table.rows[:-1]:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
