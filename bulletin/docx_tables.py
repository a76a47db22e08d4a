"""Tables of the .docx 附件: fixed column widths per table, figures right-aligned, the header row
repeated on every page and no row ever broken across two pages.

Widths are millimetres of the 156 mm 版心: names get the room (at 小四 a name wraps at most
twice), figures a narrow column.
"""

from __future__ import annotations

import re

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


HALF_CHAR_MM = 2.3  # a digit at 小四 (12 pt); a Chinese character is about twice as wide
CELL_PAD_MM = 4.0  # the cell's left and right margins
MAX_FIGURE_MM = 32.0  # a figure column never wider than this
MAX_TEXT_HALF_CHARS = 28  # a longer name wraps rather than squeezing the figures
MIN_TEXT_MM = 8 * 2.3 + 4.0  # a name column keeps room for four Chinese characters a line


WIDE = frozenset("%％@MW")  # half-width signs about as wide as a Chinese character


def text_width(text: object) -> int:
    """Width in half-width characters: a Chinese character (or full-width sign, or %) counts
    two."""
    return sum(2 if ord(ch) >= 0x2E80 or ch in WIDE else 1 for ch in str(text))


FIGURE_WITH_UNIT = re.compile(r"^[\d,.]+\s*[^\d\s]{0,4}$")  # 12,000户, 360.25公里, 8,600万元


def _figures(rows: list[tuple[str, ...]], index: int) -> bool:
    """A column of figures with their units ("12,000户", "360.25公里"): sized like figures, so a
    number is never broken over two lines."""
    cells = [str(r[index]).strip() for r in rows if str(r[index]).strip()]
    return bool(cells) and all(FIGURE_WITH_UNIT.match(c) for c in cells)


def fitted_widths(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> tuple[float, ...]:
    """Widths (mm) for a table without its own: a figure column as wide as its longest figure
    (so "100.0%" never wraps to a second line), the name columns sharing the rest by their
    longest text (capped, so a long name wraps instead of squeezing the figures)."""
    numeric = [is_numeric_column(rows, i) for i in range(len(header))]
    with_units = [not numeric[i] and _figures(rows, i) for i in range(len(header))]
    need = []
    for i, h in enumerate(header):
        figures = max((text_width(r[i]) for r in rows), default=0)
        # a figure column's header may take two lines: half its characters, rounded up
        head = 2 * -(-text_width(h) // 4) if numeric[i] else text_width(h)
        widest = max(figures, head)
        need.append(min(widest, MAX_TEXT_HALF_CHARS) * HALF_CHAR_MM + CELL_PAD_MM)
    fixed = {i: min(need[i], MAX_FIGURE_MM) for i in range(len(header)) if numeric[i]}
    texts = [i for i in range(len(header)) if i not in fixed]
    if not texts:  # all figures: spread by need
        return tuple(TEXT_WIDTH_MM * n / sum(need) for n in need)
    # A name keeps four characters a line; a figure with its unit ("12,000户") stays whole.
    floor = {i: min(need[i], MAX_FIGURE_MM if with_units[i] else MIN_TEXT_MM) for i in texts}
    room = TEXT_WIDTH_MM - sum(fixed.values())
    if sum(floor.values()) > room:  # the names give way in proportion, never the figures
        floor = {i: w * room / sum(floor.values()) for i, w in floor.items()}
    spare = TEXT_WIDTH_MM - sum(fixed.values()) - sum(floor.values())
    extra = {i: need[i] - floor[i] for i in texts}
    share = sum(extra.values()) or 1.0
    return tuple(
        fixed[i] if i in fixed else floor[i] + spare * extra[i] / share for i in range(len(header))
    )


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
