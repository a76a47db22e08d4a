"""Column specs of each sheet kind and header-row detection (表头识别), data contract §1."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from etl.model import SheetKind
from etl.reading.normalise import fold

# Money columns may carry a unit in the header: the factor scales the figure into 万元.
MONEY_UNITS = {"元": 0.0001, "千元": 0.1, "万元": 1.0, "亿元": 10000.0}
_UNIT_SUFFIX = re.compile(r"(.+?)[(\[](?:单位[:：]?)?(.*?)[)\]]")
# A header row must show up within the first rows; a sheet's data starts near its top.
MAX_HEADER_SCAN = 60


@dataclass(frozen=True)
class Column:
    """One column of a sheet kind: Chinese header, canonical field, whether it is required."""

    header: str
    field: str
    required: bool
    aliases: tuple[str, ...] = ()
    money: bool = False

    def names(self) -> tuple[str, ...]:
        return (self.header, self.field, *self.aliases)


_YEAR = Column("年份", "year", True, ("年",))
_MONTH = Column("月份", "month", True, ("月",))
_REGION = Column("地区", "region", True, ("县区", "县(区)", "县(市、区)", "区县"))
_CODE = Column("项目编号", "project_code", True, ("项目代码",))
_NAME = Column("项目名称", "project_name", True)

COLUMNS: dict[SheetKind, tuple[Column, ...]] = {
    SheetKind.PROGRESS: (
        _YEAR, _MONTH, _REGION, _CODE, _NAME,
        Column("指标名称", "indicator", True, ("指标",)),
        Column("年度目标", "target", True, ("年度目标任务", "目标任务")),
        Column("累计完成", "actual", True, ("累计完成数",)),
        Column("计量单位", "unit", False),
        Column("责任单位", "department", False, ("牵头单位",)),
        Column("类别", "category", False, ("项目类别",)),
    ),
    SheetKind.FUNDING: (
        _YEAR, _MONTH, _REGION, _CODE, _NAME,
        Column("计划投入", "budget", True, money=True),
        Column("到位资金", "arrived", True, money=True),
        Column("拨付资金", "disbursed", True, money=True),
    ),
    SheetKind.SCORES: (
        _YEAR, _MONTH,
        Column("对象类型", "unit_type", True),
        Column("对象名称", "unit", True),
        Column("得分", "base_score", True, ("月度得分",)),
        Column("加扣分", "adjustment", False, ("加减分",)),
        Column("说明", "note", False, ("加扣分说明", "备注")),
    ),
    SheetKind.SCHEDULE: (
        _YEAR,
        Column("项目编号", "project_code", False, ("项目代码",)),
        Column("类别", "category", False, ("项目类别",)),
        *(Column(f"{m}月", f"m{m}", True, (f"{m}月份", f"{m:02d}月")) for m in range(1, 13)),
    ),
}  # fmt: skip


def contract_headers(kind: SheetKind) -> list[str]:
    """The kind's column names as the data contract writes them, in its order."""
    return [column.header for column in COLUMNS[kind]]


@dataclass
class HeaderMatch:
    """Where each field's column is: index, the header as written, and its 万元 factor."""

    row: int  # 0-based index in the sheet's rows
    index: dict[str, int]
    written: dict[str, str]
    scale: dict[str, float]
    unit_errors: list[tuple[str, str]]  # (header as written, message)
    # two columns naming one field: (field, its contract header, first column, other column,
    # other header as written); the contract header is the sheet kind's own (unit is 计量单位 in
    # 进度 but 对象名称 in 考评)
    duplicates: list[tuple[str, str, int, int, str]] = field(default_factory=list)

    def duplicate_errors(self) -> list[tuple[str, str]]:
        """(header as written, message) for each column that names a field another one names."""
        from openpyxl.utils import get_column_letter  # only when there is an error to word

        found = []
        for name, contract, first, other, written in self.duplicates:
            message = (
                f"表头第{self.row + 1}行有两列都是“{contract}”：{get_column_letter(first + 1)}列"
                f"“{self.written[name]}”和{get_column_letter(other + 1)}列“{written}”，"
                "无法确定用哪一列，请删除或改名其中一列"
            )
            found.append((self.written[name], message))
        return found


def _lookup(kind: SheetKind) -> dict[str, Column]:
    table: dict[str, Column] = {}
    for column in COLUMNS[kind]:
        for name in column.names():
            table.setdefault(fold(name).lower(), column)
    return table


_LOOKUPS = {kind: _lookup(kind) for kind in SheetKind}


def match_header_cell(kind: SheetKind, cell: object) -> tuple[Column, float | None, str] | None:
    """The column a header cell names, with its money factor (None = unknown unit).

    Returns None for a cell naming no column of this kind.
    """
    if type(cell) is not str or not cell.strip():
        return None
    folded = fold(cell).lower()
    lookup = _LOOKUPS[kind]
    column = lookup.get(folded)
    if column is not None:
        return column, 1.0, ""
    unit_match = _UNIT_SUFFIX.fullmatch(folded)
    if unit_match:
        column = lookup.get(unit_match.group(1))
        if column is not None and column.money:
            unit = unit_match.group(2)
            return column, MONEY_UNITS.get(unit), unit
    return None


def find_header(kind: SheetKind, rows: list[list]) -> HeaderMatch | None:
    """The first row holding every required column name of the kind (title rows skipped)."""
    required = {c.field for c in COLUMNS[kind] if c.required}
    for number, row in enumerate(rows[:MAX_HEADER_SCAN]):
        index: dict[str, int] = {}
        written: dict[str, str] = {}
        scale: dict[str, float] = {}
        unit_errors: list[tuple[str, str]] = []
        duplicates: list[tuple[str, str, int, int, str]] = []
        for col, cell in enumerate(row):
            matched = match_header_cell(kind, cell)
            if matched is None:
                continue
            if matched[0].field in index:  # a repeated column: an error (which one is meant?)
                field_, header = matched[0].field, matched[0].header
                duplicates.append((field_, header, index[field_], col, str(cell).strip()))
                continue
            column, factor, unit = matched
            index[column.field] = col
            written[column.field] = str(cell).strip()
            if factor is None:
                unit_errors.append(
                    (written[column.field], f"无法识别的金额单位“{unit}”，应为元、千元、万元或亿元")
                )
                factor = 1.0
            scale[column.field] = factor
        if required <= index.keys():
            return HeaderMatch(number, index, written, scale, unit_errors, duplicates)
    return None


def describe_missing(kind: SheetKind, rows: list[list]) -> str:
    """Message for a sheet without a complete header row: what is missing, what was found."""
    best_row: list = []
    best_found: set[str] = set()
    best_count = -1
    for row in rows[:MAX_HEADER_SCAN]:
        if all(_blank(c) for c in row):
            continue
        found = {m[0].field for m in (match_header_cell(kind, c) for c in row) if m}
        if len(found) > best_count:
            best_row, best_found, best_count = row, found, len(found)
    missing = [c.header for c in COLUMNS[kind] if c.required and c.field not in best_found]
    seen = [str(c).strip() for c in best_row if not _blank(c)]
    found_text = "、".join(seen) if seen else "（无）"
    return f"缺少必需列：{'、'.join(missing)}；找到的列：{found_text}"


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())
