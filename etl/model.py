"""Shared value types of the loader: what a parsed report file is, and what is wrong with it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import pandas as pd

from warehouse.model import CATEGORIES, UNIT_TYPES  # noqa: F401 - the loader's vocabulary too


class SheetKind(str, Enum):
    """Sheet kinds of the 月报 workbook, in the order a sheet name is tried (data contract §1)."""

    SCHEDULE = "序时计划"
    SCORES = "考评"
    FUNDING = "资金"
    PROGRESS = "进度"


# Canonical (English) columns of each kind's rows, in order. Every parsed frame also carries
# `source_sheet` (sheet name as in the file, or the CSV's kind) and `source_row` (1-based row).
PROGRESS_COLUMNS = [
    "year", "month", "region", "project_code", "project_name", "indicator",
    "target", "actual", "unit", "department", "category",
]  # fmt: skip
FUNDING_COLUMNS = [
    "year", "month", "region", "project_code", "project_name", "budget", "arrived", "disbursed",
]  # fmt: skip
SCORES_COLUMNS = ["year", "month", "unit_type", "unit", "base_score", "adjustment", "note"]
# Schedules are stored long: one row per plan and month; planned_rate is a fraction (0.5 = 50%).
SCHEDULE_COLUMNS = ["year", "project_code", "category", "month", "planned_rate"]
SOURCE_COLUMNS = ["source_sheet", "source_row"]


@dataclass(frozen=True)
class Finding:
    """One problem in a report file, located as `file:sheet:row:column: message`.

    An error (错误) refuses the whole file; a warning (警告) loads with the file.
    `row` is the spreadsheet's own 1-based row number, None when no row applies ("-").
    """

    file: str
    sheet: str
    row: int | None
    column: str | None
    message: str
    is_warning: bool = False

    def __str__(self) -> str:
        row = "-" if self.row is None else str(self.row)
        place = f"{self.file}:{self.sheet or '-'}:{row}:{self.column or '-'}: {self.message}"
        return f"警告 {place}" if self.is_warning else place


INTEGER_FIELDS = frozenset({"year", "month", "source_row"})
NUMBER_FIELDS = frozenset({
    "target", "actual", "budget", "arrived", "disbursed", "base_score", "adjustment",
    "planned_rate",
})  # fmt: skip
KIND_COLUMNS = {
    "progress": PROGRESS_COLUMNS,
    "funding": FUNDING_COLUMNS,
    "scores": SCORES_COLUMNS,
    "schedules": SCHEDULE_COLUMNS,
}
# Row keys within one file (data contract §1), with the words used in duplicate messages.
KEYS: dict[SheetKind, tuple[tuple[str, ...], str]] = {
    SheetKind.PROGRESS: (
        ("year", "month", "region", "project_code", "indicator"),
        "年份、月份、地区、项目编号、指标名称",
    ),
    SheetKind.FUNDING: (("year", "month", "region", "project_code"), "年份、月份、地区、项目编号"),
    SheetKind.SCORES: (("year", "month", "unit_type", "unit"), "年份、月份、对象类型、对象名称"),
    SheetKind.SCHEDULE: (("year", "project_code", "category"), "年份、项目编号（或类别）"),
}
TABLE_KINDS = {  # ParsedFile.tables key (a KIND_COLUMNS key) of each sheet kind
    SheetKind.PROGRESS: "progress",
    SheetKind.FUNDING: "funding",
    SheetKind.SCORES: "scores",
    SheetKind.SCHEDULE: "schedules",
}


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=[*columns, *SOURCE_COLUMNS], dtype=object)


def column_series(name: str, values: list) -> pd.Series:
    """One column of a parsed frame: integers int64 (Int64 with gaps), numbers float64, text
    object holding str or None."""
    if name in INTEGER_FIELDS:
        return pd.Series(values, dtype="Int64" if None in values else "int64")
    if name in NUMBER_FIELDS:
        return pd.Series(values, dtype="float64")
    return pd.Series(values, dtype="object")


class _Rows:
    """A ParsedFile's rows of one kind as a pandas frame, made from its Arrow table (`tables`)
    only when first asked for: loading a file needs the table alone. Setting a frame (tests,
    tools) replaces the table of that kind."""

    def __set_name__(self, owner, name: str) -> None:
        self.kind = name

    def __get__(self, parsed: ParsedFile | None, owner=None):
        if parsed is None:
            return self
        frame = parsed._frames.get(self.kind)
        if frame is None:
            table = parsed.tables.get(self.kind)
            if table is None:
                frame = _empty(KIND_COLUMNS[self.kind])
            else:
                frame = pd.DataFrame(
                    {
                        name: column_series(name, table[name].to_pylist())
                        for name in table.schema.names
                    },
                    copy=False,
                )
            parsed._frames[self.kind] = frame
        return frame

    def __set__(self, parsed: ParsedFile, frame: pd.DataFrame) -> None:
        parsed._frames[self.kind] = frame
        parsed.tables.pop(self.kind, None)


@dataclass
class ParsedFile:
    """A report file read and checked without touching the database.

    Rows of each kind (`progress`, `funding`, `scores`, `schedules`) are frames with canonical
    columns (see *_COLUMNS above) plus source_sheet/source_row; money is already in 万元, rates
    are fractions, project codes are text. The reader keeps them as Arrow tables in `tables`
    (by kind) and a frame is made from its table when first used.
    """

    name: str
    path: Path
    sha256: str
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    # (sheet name, "hidden" or "veryHidden") of the hidden sheets rows were read from
    hidden_sheets: list[tuple[str, str]] = field(default_factory=list)
    tables: dict[str, object] = field(default_factory=dict, repr=False)  # kind → pyarrow.Table
    _frames: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    progress = _Rows()
    funding = _Rows()
    scores = _Rows()
    schedules = _Rows()

    @property
    def refused(self) -> bool:
        return bool(self.errors)

    def row_count(self, kind: str) -> int:
        """Rows of a kind ("progress", "funding", "scores", "schedules"), without a frame."""
        table = self.tables.get(kind)
        if table is not None:
            return table.num_rows
        frame = self._frames.get(kind)
        return 0 if frame is None else len(frame)

    def plan_count(self) -> int:
        """序时计划 as the sheet has them: one plan row is stored as 12 monthly rows."""
        if not self.row_count("schedules"):
            return 0
        return len(self.schedules[["source_sheet", "source_row"]].drop_duplicates())

    def rows_per_kind(self) -> dict[SheetKind, int]:
        """Rows per sheet kind as the sheets have them (and load_log records them)."""
        return {
            kind: self.plan_count() if kind is SheetKind.SCHEDULE else self.row_count(table_kind)
            for kind, table_kind in TABLE_KINDS.items()
        }
