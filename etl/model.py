"""Shared value types of the loader: what a parsed report file is, and what is wrong with it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import pandas as pd


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

CATEGORIES = ("工程类", "补助类", "参保服务类", "培训类", "其他")
UNIT_TYPES = ("县区", "市直单位")


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


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns + SOURCE_COLUMNS})


@dataclass
class ParsedFile:
    """A report file read and checked without touching the database.

    Frames hold canonical columns (see *_COLUMNS above) plus source_sheet/source_row;
    money is already in 万元, rates are fractions, project codes are text.
    """

    name: str
    path: Path
    sha256: str
    progress: pd.DataFrame = field(default_factory=lambda: _empty(PROGRESS_COLUMNS))
    funding: pd.DataFrame = field(default_factory=lambda: _empty(FUNDING_COLUMNS))
    scores: pd.DataFrame = field(default_factory=lambda: _empty(SCORES_COLUMNS))
    schedules: pd.DataFrame = field(default_factory=lambda: _empty(SCHEDULE_COLUMNS))
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.errors)

    def rows_per_kind(self) -> dict[SheetKind, int]:
        return {
            SheetKind.PROGRESS: len(self.progress),
            SheetKind.FUNDING: len(self.funding),
            SheetKind.SCORES: len(self.scores),
            SheetKind.SCHEDULE: len(self.schedules),
        }
