"""One raw sheet → checked column lists (校验), every problem a located Finding.

Columns are converted as whole lists (etl.reading.columns): a column of clean cells (floats in a number
column, trimmed text in a text column) is taken at C speed, and only the other cells go through
the full parsers of etl.reading.normalise (etl.reading.validate_context); range checks and the 完成率/拨付
warnings look at numpy arrays first (one checker per sheet kind, etl.reading.validate_kinds). An
8,000-row progress sheet costs about 15 ms here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from etl.model import Finding, SheetKind
from etl.reading.columns import all_start_with_number, transpose
from etl.reading.headers import HeaderMatch, describe_missing, find_header
from etl.reading.normalise import is_blank, is_footer, is_total
from etl.reading.sheets import RawSheet
from etl.reading.validate_context import CheckContext
from etl.reading.validate_kinds import CHECKERS

# Fields whose value 合计/小计/总计 marks a totals row (data contract §1: 项目编号 or 项目名称;
# 地区 too, and 对象名称 on the 考评 sheet). Never 指标名称 or 计量单位: `拨付合计` is an indicator.
TOTAL_FIELDS = {
    SheetKind.PROGRESS: ("region", "project_code", "project_name"),
    SheetKind.FUNDING: ("region", "project_code", "project_name"),
    SheetKind.SCORES: ("unit",),
    SheetKind.SCHEDULE: ("project_code",),
}


@dataclass
class SheetRecords:
    """Checked values of one sheet: field → list, aligned with `rows` (spreadsheet rows)."""

    sheet: str
    kind: SheetKind
    rows: list[int] = field(default_factory=list)
    values: dict[str, list] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)  # field → header as written
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    header: HeaderMatch | None = None
    header_cells: list = field(default_factory=list)  # the header row's mapped cells
    skipped_totals: list[int] = field(default_factory=list)  # 合计/小计/总计 rows left out
    # (field, cell as written) of the names told about (etl.reading.names): each once per sheet
    told_names: set[tuple[str, str]] = field(default_factory=set)


def check_sheet(
    sheet: RawSheet, file_name: str, *, continues: SheetRecords | None = None
) -> SheetRecords:
    """Find the header, drop blank/footer/totals rows, convert and check every cell.

    `continues`: the first half's records when `sheet` is a large sheet's second half (its rows
    start at sheet.first_row, under the first half's header); join the two with join_halves."""
    result = SheetRecords(sheet.name, sheet.kind)
    if continues is not None:
        result.told_names = set(continues.told_names)  # a name is told once per sheet
        if continues.header is None:
            return result  # the first half has said what is wrong with the sheet
        header, header_cells = continues.header, continues.header_cells
        body, start = sheet.rows, sheet.first_row
    else:
        if all(_first_value(row)[0] < 0 for row in sheet.rows):
            result.notices.append(f"工作表“{sheet.name}”是空表，已跳过")
            return result
        header = find_header(sheet.kind, sheet.rows)
        if header is None:
            message = describe_missing(sheet.kind, sheet.rows)
            result.errors.append(Finding(file_name, sheet.name, None, None, message))
            return result
        for written, message in header.unit_errors + header.duplicate_errors():
            result.errors.append(Finding(file_name, sheet.name, header.row + 1, written, message))
        header_cells = [sheet.rows[header.row][c] for c in header.index.values()]
        body, start = sheet.rows[header.row + 1 :], header.row + 2
    result.header, result.header_cells, result.headers = header, header_cells, header.written
    result.rows, kept, columns = _data_rows(sheet.kind, header, header_cells, body, start, result)
    context = CheckContext(file_name, result, header, kept, columns)
    context.percent_cells = sheet.percent_cells
    CHECKERS[sheet.kind](context)
    result.errors.sort(key=lambda finding: finding.row or 0)  # a clerk fixes row by row
    result.warnings.sort(key=lambda finding: finding.row or 0)
    if result.skipped_totals and not sheet.part:  # a half's are told once joined
        result.notices.append(_totals_notice(sheet.name, result.skipped_totals))
    return result


def join_halves(first: SheetRecords, second: SheetRecords) -> SheetRecords:
    """A large sheet's two halves (check_sheet, then check_sheet(continues=first)) as one."""
    joined = SheetRecords(
        first.sheet,
        first.kind,
        rows=first.rows + second.rows,
        values={
            name: values + second.values.get(name, [None] * len(second.rows))
            for name, values in first.values.items()
        },
        headers=first.headers,
        errors=first.errors + second.errors,
        warnings=first.warnings + second.warnings,
        notices=first.notices + second.notices,
        header=first.header,
        header_cells=first.header_cells,
        skipped_totals=first.skipped_totals + second.skipped_totals,
        told_names=first.told_names | second.told_names,
    )
    if joined.skipped_totals:
        joined.notices.append(_totals_notice(joined.sheet, joined.skipped_totals))
    return joined


def _totals_notice(sheet_name: str, rows: list[int]) -> str:
    listed = "、".join(str(n) for n in rows[:10]) + ("等" if len(rows) > 10 else "")
    return f"{sheet_name}：已跳过{len(rows)}个合计/小计/总计行（第{listed}行）"


def _data_rows(
    kind: SheetKind,
    header: HeaderMatch,
    header_cells: list,
    body: list[list],
    start: int,
    result: SheetRecords,
) -> tuple[list, ...]:
    """The data rows (body[0] is spreadsheet row `start`): their row numbers, their cells, and
    the cells as columns. Totals rows left out go to result.skipped_totals."""
    columns = list(header.index.values())
    mapped = set(columns)
    first_totals: list[int] = []  # 合计 typed in the first column (序号/年份), not a total field
    if all_start_with_number(body):
        numbers, kept = list(range(start, start + len(body))), body
    else:
        numbers, kept = [], []
        for number, row in enumerate(body, start=start):
            if row and (type(row[0]) is float or type(row[0]) is int):
                numbers.append(number)  # a number first is neither blank nor footer
                kept.append(row)
                continue
            first_col, first = _first_value(row)
            if first_col < 0:
                continue  # blank row
            if first_col not in mapped and all(is_blank(row[c]) for c in columns if c < len(row)):
                continue  # only stray cells outside the table
            if is_footer(first):
                continue
            if is_total(first):
                first_totals.append(number)
            if [row[c] if c < len(row) else None for c in columns] == header_cells:
                continue  # the header repeated (a printed page's title rows copied in)
            numbers.append(number)
            kept.append(row)
    grid = transpose(kept)
    fields = TOTAL_FIELDS.get(kind, ())
    total_columns = [header.index[f] for f in fields if f in header.index]
    totals = _total_rows(numbers, grid, total_columns)
    totals.update(first_totals)
    if totals:
        pairs = [(n, row) for n, row in zip(numbers, kept, strict=True) if n not in totals]
        numbers, kept = [n for n, _ in pairs], [row for _, row in pairs]
        grid = transpose(kept)
        result.skipped_totals = sorted(totals)
    return numbers, kept, grid


def _total_rows(numbers: list[int], grid: list[tuple], columns: list[int]) -> set[int]:
    """Rows whose total field (TOTAL_FIELDS: 地区, 项目编号, 项目名称, 对象名称) is 合计/小计/总计."""
    found: set[int] = set()
    for col in columns:
        if col >= len(grid):
            continue
        cells = grid[col]
        types = set(map(type, cells))
        # 合计, 小计 and 总计 all contain 计: one search of the whole column first
        if str not in types or (types == {str} and "计" not in "\n".join(cells)):
            continue
        hits = [i for i, cell in enumerate(cells) if type(cell) is str and "计" in cell]
        found.update(numbers[i] for i in hits if is_total(cells[i]))
    return found


def _first_value(row: list) -> tuple[int, object]:
    """The first non-blank cell of a row and its column; (-1, None) for a blank row."""
    for col, cell in enumerate(row):
        if cell is None or cell == "":
            continue
        if type(cell) is str and not cell.strip():
            continue
        return col, cell
    return -1, None
