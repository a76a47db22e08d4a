"""What the per-kind checkers of etl.reading.validate_kinds work with: one sheet's raw columns, their
conversion (fast for clean columns, etl.reading.normalise's parsers for the other cells) and the
recording of errors and warnings as located Findings."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from etl.model import CATEGORIES, Finding
from etl.reading.columns import SLOW, FastResult, fast_int, fast_number, fast_text, lowest
from etl.reading.headers import HeaderMatch
from etl.reading.names import SUSPECT, clean_name
from etl.reading.normalise import (
    CellError,
    is_blank,
    parse_choice,
    parse_code,
    parse_int,
    parse_number,
    parse_text,
    shown,
)
from etl.reading.text_checks import MAX_NAME_LENGTH, MAX_NOTE_LENGTH, column_problems

if TYPE_CHECKING:
    from etl.reading.validate import SheetRecords


YEAR_RANGE = (2000, 2100)  # a 年份 outside is a typing slip (both ways of reading check it)


def parse_year(value: object) -> int | None:
    return parse_int(value, label="年份", low=YEAR_RANGE[0], high=YEAR_RANGE[1])


def parse_month(value: object) -> int | None:
    return parse_int(value, label="月份", low=1, high=12)


def parse_percent(value: object) -> float | None:
    return parse_number(value, allow_percent=True)


def parse_category(value: object) -> str | None:
    return parse_choice(value, CATEGORIES, label="类别")


_TEXTUAL = (parse_text, parse_code)  # parsers whose values are text kept as written


def _missing_message(cell: object, *, text: bool = False) -> str:
    if is_blank(cell):
        return "必填，不能为空"
    if text:
        return f"必填，“{shown(cell)}”表示无内容，请填写实际名称"
    return f"必填，“{shown(cell)}”表示无数值，请填写实际数值"


class CheckContext:
    """Helpers shared by the per-kind checkers (etl.reading.validate_kinds): raw columns, error
    recording."""

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
        self.cleaned: dict[str, tuple] = {}  # name columns that etl.reading.names changed
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
        if parse in _TEXTUAL:  # formula-like or over-long text (etl.reading.text_checks)
            limit = MAX_NOTE_LENGTH if name == "note" else MAX_NAME_LENGTH
            for pos, message in column_problems(out, limit):
                self.error(pos, name, message)
        return out

    def clean_names(self, *names: str) -> None:
        """Name columns without invisible characters and compatibility forms (etl.reading.names),
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
        parse = parse_percent if percent else parse_number
        values = self.convert(name, parse, required=required, fast=fast_number)
        if scale != 1.0:
            values = [None if v is None else v * scale for v in values]
            self.result.values[name] = values
        return values

    def year_month(self) -> None:
        self.convert("year", parse_year, required=True, fast=fast_int(*YEAR_RANGE))
        self.convert("month", parse_month, required=True, fast=fast_int(1, 12))

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
