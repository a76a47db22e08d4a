"""One raw sheet → checked column lists (校验), every problem a located Finding.

Columns are converted as whole lists (etl.columns): a column of clean cells (floats in a number
column, trimmed text in a text column) is taken at C speed, and only the other cells go through
the full parsers of etl.normalise; range checks and the 完成率/拨付 warnings look at numpy arrays
first. An 8,000-row progress sheet costs about 15 ms here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from etl.columns import (
    SLOW,
    FastResult,
    all_start_with_number,
    fast_choice,
    fast_code,
    fast_int,
    fast_number,
    fast_text,
    floats,
    lowest,
    positions,
    transpose,
)
from etl.headers import HeaderMatch, describe_missing, find_header
from etl.magnitude import (
    HUGE_MONEY,
    HUGE_TARGET,
    completion_warning,
    disbursed_warning,
    huge_money_message,
    huge_positions,
    huge_target_message,
)
from etl.model import CATEGORIES, UNIT_TYPES, Finding, SheetKind
from etl.names import SUSPECT, clean_name
from etl.normalise import (
    CellError,
    is_blank,
    is_footer,
    is_total,
    parse_choice,
    parse_code,
    parse_int,
    parse_number,
    parse_text,
    shown,
)
from etl.sheets import RawSheet
from etl.text_checks import MAX_NAME_LENGTH, MAX_NOTE_LENGTH, column_problems

# Fields whose value 合计/小计/总计 marks a totals row (data contract §1: 项目编号 or 项目名称;
# 地区 too, and 对象名称 on the 考评 sheet). Never 指标名称 or 计量单位: `拨付合计` is an indicator.
TOTAL_FIELDS = {
    SheetKind.PROGRESS: ("region", "project_code", "project_name"),
    SheetKind.FUNDING: ("region", "project_code", "project_name"),
    SheetKind.SCORES: ("unit",),
    SheetKind.SCHEDULE: ("project_code",),
}
MONTH_FIELDS = tuple(f"m{m}" for m in range(1, 13))
COMPLETION_WARN_RATE = 3.0  # 完成率 above 300% is possible (830% in seed 003) but worth a look


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
    # (field, cell as written) of the names told about (etl.names): each once per sheet
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
    context = _Context(file_name, result, header, kept, columns)
    context.percent_cells = sheet.percent_cells
    _CHECKERS[sheet.kind](context)
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


def _missing_message(cell: object, *, text: bool = False) -> str:
    if is_blank(cell):
        return "必填，不能为空"
    if text:
        return f"必填，“{shown(cell)}”表示无内容，请填写实际名称"
    return f"必填，“{shown(cell)}”表示无数值，请填写实际数值"


def _first_value(row: list) -> tuple[int, object]:
    """The first non-blank cell of a row and its column; (-1, None) for a blank row."""
    for col, cell in enumerate(row):
        if cell is None or cell == "":
            continue
        if type(cell) is str and not cell.strip():
            continue
        return col, cell
    return -1, None


class _Context:
    """Helpers shared by the per-kind checkers: raw columns, error recording."""

    def __init__(
        self, file_name: str, result: SheetRecords, header: HeaderMatch, kept: list, columns: list
    ):
        self.file = file_name
        self.result = result
        self.header = header
        self.kept = kept
        self.numbers = result.rows
        self.bad: set[int] = set()  # positions with an error (kept for the duplicate check)
        self.percent_cells: frozenset[tuple[int, int]] | None = None
        self.columns = columns
        self.cleaned: dict[str, tuple] = {}  # name columns that etl.names changed
        self.emptied: dict[str, set[int]] = {}  # their cells nothing was left of (reported)

    def raw(self, name: str) -> tuple:
        if name in self.cleaned:
            return self.cleaned[name]
        col = self.header.index.get(name)
        if col is None or col >= len(self.columns):
            return (None,) * len(self.kept)
        return self.columns[col]

    def error(self, pos: int, name: str | None, message: str) -> None:
        self.bad.add(pos)
        column = self.header.written.get(name, name) if name else None
        finding = Finding(self.file, self.result.sheet, self.numbers[pos], column, message)
        self.result.errors.append(finding)

    def warn(self, pos: int, name: str, message: str) -> None:
        column = self.header.written.get(name, name)
        finding = Finding(self.file, self.result.sheet, self.numbers[pos], column, message, True)
        self.result.warnings.append(finding)

    def convert(
        self,
        name: str,
        parse: Callable[[object], object],
        *,
        required: bool,
        fast: Callable[[tuple], FastResult] | None = None,
    ) -> list:
        """Convert one column; a missing required value or a bad cell becomes an error."""
        raw = self.raw(name)
        out, clean = fast(raw) if fast is not None else ([SLOW] * len(raw), False)
        slow = [] if clean else [i for i, value in enumerate(out) if value is SLOW]
        for pos in slow:
            try:
                clean = parse(raw[pos])
            except CellError as exc:
                self.error(pos, name, str(exc))
                clean = None
            else:
                if clean is None and required and pos not in self.emptied.get(name, ()):
                    self.error(pos, name, _missing_message(raw[pos], text=parse in _TEXTUAL))
            out[pos] = clean
        self.result.values[name] = out
        if parse in _TEXTUAL:  # formula-like or over-long text (etl.text_checks)
            limit = MAX_NOTE_LENGTH if name == "note" else MAX_NAME_LENGTH
            for pos, message in column_problems(out, limit):
                self.error(pos, name, message)
        return out

    def clean_names(self, *names: str) -> None:
        """Name columns without invisible characters and compatibility forms (etl.names),
        before they are converted: a warning (once per sheet and spelling) where a name
        changed, an error where nothing is left of it. The usual column is looked at once."""
        for name in names:
            raw = self.raw(name)
            texts = [value for value in raw if type(value) is str]
            if not texts or SUSPECT.search("".join(texts)) is None:
                continue
            cleaned = list(raw)
            seen: dict[str, tuple[str, list[str]]] = {}
            for pos, value in enumerate(raw):
                if type(value) is not str:
                    continue
                if value not in seen:
                    seen[value] = clean_name(value.strip())
                clean, changes = seen[value]
                if not changes:
                    continue
                cleaned[pos] = clean or None
                if not clean:
                    self.emptied.setdefault(name, set()).add(pos)
                    self.error(pos, name, f"{'；'.join(changes)}后为空，请填写有效的名称")
                elif (name, value) not in self.result.told_names:
                    self.result.told_names.add((name, value))
                    self.warn(pos, name, f"{'；'.join(changes)}，按“{clean}”导入")
            self.cleaned[name] = tuple(cleaned)

    def text(self, name: str, *, required: bool) -> list:
        return self.convert(name, parse_text, required=required, fast=fast_text)

    def number(
        self, name: str, *, required: bool, scale: float = 1.0, percent: bool = False
    ) -> list:
        parse = _parse_percent if percent else parse_number
        values = self.convert(name, parse, required=required, fast=fast_number)
        if scale != 1.0:
            values = [None if v is None else v * scale for v in values]
            self.result.values[name] = values
        return values

    def year_month(self) -> None:
        self.convert("year", _parse_year, required=True, fast=fast_int(2000, 2100))
        self.convert("month", _parse_month, required=True, fast=fast_int(1, 12))

    def check_at_least(self, name: str, values: list, minimum: float, message: str) -> None:
        """Values below minimum are errors; message may show the value via {}."""
        if lowest(values) >= minimum:
            return
        for pos in [i for i, v in enumerate(values) if v is not None and v < minimum]:
            self.error(pos, name, message.format(shown(values[pos])))

    def check_above(self, name: str, values: list, minimum: float, message: str) -> None:
        if lowest(values) > minimum:
            return
        for pos in [i for i, v in enumerate(values) if v is not None and v <= minimum]:
            self.error(pos, name, message.format(shown(values[pos])))


def _progress(ctx: _Context) -> None:
    ctx.year_month()
    ctx.clean_names(
        "region", "project_name", "indicator", "project_code", "unit", "department", "category"
    )
    for name in ("region", "project_name", "indicator"):
        ctx.text(name, required=True)
    ctx.convert("project_code", parse_code, required=True, fast=fast_code)
    target = ctx.number("target", required=True)
    actual = ctx.number("actual", required=True)
    ctx.check_above("target", target, 0, "应大于0，实际为“{}”")
    ctx.check_at_least("actual", actual, 0, "不能为负数")
    for pos in huge_positions(target, HUGE_TARGET):
        ctx.warn(pos, "target", huge_target_message(target[pos]))
    ctx.text("unit", required=False)
    ctx.text("department", required=False)
    categories = ctx.convert("category", _category, required=False, fast=fast_choice(CATEGORIES))
    ctx.result.values["category"] = [c or "其他" for c in categories]
    goals, done_values = floats(target), floats(actual)
    with np.errstate(divide="ignore", invalid="ignore"):
        high = (goals > 0) & (done_values / goals > COMPLETION_WARN_RATE)
    for pos in positions(high):  # the usual file has none: the exact test runs on the few
        goal, done = target[pos], actual[pos]
        if goal and done is not None and goal > 0 and done / goal > COMPLETION_WARN_RATE:
            ctx.warn(pos, "actual", completion_warning(done, goal))


def _parse_year(value: object) -> int | None:
    return parse_int(value, label="年份", low=2000, high=2100)


def _parse_month(value: object) -> int | None:
    return parse_int(value, label="月份", low=1, high=12)


def _parse_percent(value: object) -> float | None:
    return parse_number(value, allow_percent=True)


def _category(value: object) -> str | None:
    return parse_choice(value, CATEGORIES, label="类别")


def _funding(ctx: _Context) -> None:
    ctx.year_month()
    ctx.clean_names("region", "project_name", "project_code")
    for name in ("region", "project_name"):
        ctx.text(name, required=True)
    ctx.convert("project_code", parse_code, required=True, fast=fast_code)
    money = {}
    for name in ("budget", "arrived", "disbursed"):
        money[name] = ctx.number(name, required=True, scale=ctx.header.scale.get(name, 1.0))
        ctx.check_at_least(name, money[name], 0, "不能为负数")
    for pos in huge_positions(money["budget"], HUGE_MONEY):
        ctx.warn(pos, "budget", huge_money_message(money["budget"][pos]))
    above = floats(money["disbursed"]) > floats(money["arrived"]) + 1e-9
    for pos in positions(above):
        arrived, paid = money["arrived"][pos], money["disbursed"][pos]
        if arrived is not None and paid is not None and paid > arrived + 1e-9:
            ctx.warn(pos, "disbursed", disbursed_warning(paid, arrived))


def _scores(ctx: _Context) -> None:
    ctx.year_month()
    ctx.clean_names("unit_type", "unit")
    ctx.convert(
        "unit_type",
        lambda v: parse_choice(v, UNIT_TYPES, label="对象类型"),
        required=True,
        fast=fast_choice(UNIT_TYPES),
    )
    ctx.text("unit", required=True)
    ctx.number("base_score", required=True)
    adjustment = ctx.number("adjustment", required=False)
    ctx.result.values["adjustment"] = [0.0 if a is None else a for a in adjustment]
    ctx.text("note", required=False)


def _schedule(ctx: _Context) -> None:
    ctx.convert("year", _parse_year, required=True, fast=fast_int(2000, 2100))
    ctx.clean_names("project_code", "category")
    codes = ctx.convert("project_code", parse_code, required=False, fast=fast_code)
    categories = ctx.convert("category", _category, required=False, fast=fast_choice(CATEGORIES))
    for pos, (code, category) in enumerate(zip(codes, categories, strict=True)):
        if code is None and category is None and pos not in ctx.bad:
            ctx.error(pos, "project_code", "项目编号和类别不能都为空：计划须对应一个项目或一个类别")
    months = [ctx.number(name, required=True, percent=True) for name in MONTH_FIELDS]
    _schedule_percent(ctx, months)
    for pos in range(len(ctx.kept)):
        previous = None
        for month, name in enumerate(MONTH_FIELDS, start=1):
            value = months[month - 1][pos]
            if value is None:
                continue
            if not 0 <= value <= 100:
                ctx.error(pos, name, f"序时进度应在0到100之间（百分数），实际为“{value:g}”")
            elif previous is not None and value < previous[1]:
                ctx.error(pos, name, f"不能低于上月（{previous[0]}月为{previous[1]:g}）")
            previous = (month, value)
    for name, values in zip(MONTH_FIELDS, months, strict=True):
        ctx.result.values[name] = values


def _schedule_percent(ctx: _Context, months: list[list]) -> None:
    """Number cells Excel shows as percentages hold fractions (0.5 shown as 50%): scale ×100.

    With the sheet's number formats (openpyxl) exactly those cells are scaled. Without them
    (formats unreadable) a row whose twelve numeric values are all ≤ 1 is taken as fractions:
    a real plan in percent never stays at or below 1% all year.
    """
    cells = ctx.percent_cells
    cols = [ctx.header.index[name] for name in MONTH_FIELDS]
    for pos, (number, row) in enumerate(zip(ctx.numbers, ctx.kept, strict=True)):
        numeric = [
            i
            for i, col in enumerate(cols)
            if col < len(row) and type(row[col]) in (float, int) and months[i][pos] is not None
        ]
        if cells is None:
            scale = numeric and all(
                months[i][pos] <= 1 for i in range(12) if months[i][pos] is not None
            )
            chosen = numeric if scale else []
        else:
            chosen = [i for i in numeric if (number - 1, cols[i]) in cells]
        for i in chosen:
            months[i][pos] = months[i][pos] * 100


_TEXTUAL = (parse_text, parse_code)  # parsers whose values are text kept as written

_CHECKERS: dict[SheetKind, Callable[[_Context], None]] = {
    SheetKind.PROGRESS: _progress,
    SheetKind.FUNDING: _funding,
    SheetKind.SCORES: _scores,
    SheetKind.SCHEDULE: _schedule,
}
