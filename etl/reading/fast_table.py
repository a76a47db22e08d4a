"""A fast sheet's Arrow columns (etl.reading.fast) → its checked table and warnings.

Each column test returns the column as the usual way (etl.reading.validate) would keep it, or raises
NotClean where that way would report or repair a cell; `checked` puts the table together."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from etl.model import CATEGORIES, KEYS, KIND_COLUMNS, TABLE_KINDS, Finding, SheetKind
from etl.reading.headers import HeaderMatch
from etl.reading.incoming import table_from_arrays
from etl.reading.magnitude import (
    COMPLETION_WARN_RATE,
    DISBURSED_TOLERANCE,
    HUGE_MONEY,
    HUGE_TARGET,
    completion_warning,
    disbursed_warning,
    huge_money_message,
    huge_target_message,
)
from etl.reading.names import SUSPECT_RE2
from etl.reading.normalise import is_no_value
from etl.reading.text_checks import MAX_NAME_LENGTH, MAY_BE_FORMULA_RE2
from etl.reading.validate import TOTAL_FIELDS
from etl.reading.validate_context import YEAR_RANGE

# What Python's str.strip() removes (str.isspace), for RE2: a value with any of these at either
# end is trimmed by the usual way, so the fast path leaves the file to it.
SPACE = r"[\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]"
_PADDED = f"^{SPACE}|{SPACE}$"


AMOUNT_FIELDS = {  # the kind's required numbers
    SheetKind.PROGRESS: ("target", "actual"),
    SheetKind.FUNDING: ("budget", "arrived", "disbursed"),
}


class NotClean(Exception):
    """Internal: the file needs the cell-by-cell reading."""


def has_duplicates(keys: list[pa.ChunkedArray]) -> bool:
    """Whether two rows share every key value (Arrow's group_by would start a thread pool)."""
    combined = np.zeros(len(keys[0]), np.int64)
    for key in keys:
        codes = pc.dictionary_encode(key).combine_chunks().indices.to_numpy().astype(np.int64)
        size = int(codes.max()) + 1
        if int(combined.max()) >= 2**62 // size:  # renumber before the product could overflow
            combined = np.unique(combined, return_inverse=True)[1].astype(np.int64)
        combined = combined * size + codes
    return len(np.unique(combined)) != len(combined)


def may_be_total(column: pa.Array) -> bool:
    """Whether a value could be 合计/小计/总计 (etl.reading.normalise.is_total): it holds 计 and, without
    its spaces, five characters at most (`全市合计：`). 项目名称 such as 计划生育家庭奖励扶助 pass."""
    short = pc.less_equal(pc.utf8_length(pc.replace_substring_regex(column, SPACE, "")), 5)
    return pc.any(pc.and_(pc.match_substring(column, "计"), short)).as_py()


def integers(column: pa.ChunkedArray, low: int, high: int) -> pa.Array:
    """年份/月份: whole numbers within [low, high], no empty cell."""
    if column.null_count or not (
        pa.types.is_integer(column.type) or pa.types.is_floating(column.type)
    ):
        raise NotClean
    numbers = column.combine_chunks().to_numpy(zero_copy_only=False).astype(float)
    if not (
        np.all(numbers == np.floor(numbers)) and numbers.min() >= low and numbers.max() <= high
    ):
        raise NotClean
    return pa.array(numbers.astype(np.int64), pa.int64())


def codes(column: pa.ChunkedArray) -> pa.Array:
    """项目编号: digits or `12-1` written as text (kept as written), or whole numbers (`13.0` →
    `13`)."""
    if column.null_count:
        raise NotClean
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        codes = column.combine_chunks().cast(pa.string())
        # as etl.reading.normalise.parse_code keeps them: digits, or a sub-project such as 12-1
        if not pc.all(
            pc.match_substring_regex(codes, r"^(?:[0-9]+|[0-9]{1,3}-[0-9]{1,3})$")
        ).as_py():
            raise NotClean
        return codes
    if pa.types.is_integer(column.type) or pa.types.is_floating(column.type):
        numbers = column.combine_chunks().to_numpy(zero_copy_only=False).astype(float)
        whole = np.isfinite(numbers) & (numbers == np.floor(numbers)) & (np.abs(numbers) < 2**53)
        if not np.all(whole):
            raise NotClean
        return pa.array([str(n) for n in numbers.astype(np.int64).tolist()], pa.string())
    raise NotClean


def texts(column: pa.ChunkedArray, *, required: bool) -> pa.Array:
    """Text exactly as the usual way keeps it: no spaces around it, nothing empty, no character
    etl.reading.names would remove or rewrite."""
    if pa.types.is_null(column.type) and not required:
        return pa.nulls(len(column), pa.string())
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        raise NotClean
    text = column.combine_chunks().cast(pa.string())
    if required and text.null_count:
        raise NotClean
    unique = pc.unique(text)  # names repeat: each looked at once
    if (
        pc.any(pc.equal(text, "")).as_py()
        or pc.any(pc.match_substring_regex(text, _PADDED)).as_py()
        # a character etl.reading.names would remove or rewrite
        or pc.any(pc.match_substring_regex(unique, SUSPECT_RE2)).as_py()
        # formula-like, over-long or "no value" text: the usual way says where (etl.reading.text_checks)
        or pc.any(pc.match_substring_regex(unique, MAY_BE_FORMULA_RE2)).as_py()
        or (pc.max(pc.utf8_length(unique)).as_py() or 0) > MAX_NAME_LENGTH
        or any(map(is_no_value, pc.filter(unique, pc.less_equal(pc.utf8_length(unique), 8))
                   .drop_null().to_pylist()))
    ):  # fmt: skip
        raise NotClean
    return text


def categories(column: pa.ChunkedArray | None) -> pa.Array | None:
    """类别: one of CATEGORIES as written, empty → 其他 (None: 其他 throughout)."""
    if column is None or pa.types.is_null(column.type):  # no such column, or nothing in it
        return None
    if not pa.types.is_string(column.type) and not pa.types.is_large_string(column.type):
        raise NotClean
    text = column.combine_chunks().cast(pa.string())
    known = pc.is_in(text, value_set=pa.array(CATEGORIES))
    if not pc.all(pc.or_(known, pc.is_null(text))).as_py():
        raise NotClean
    return pc.fill_null(text, "其他")


def numbers(column: pa.ChunkedArray) -> pa.Array:
    """A required number: every cell a finite number."""
    if column.null_count or not (
        pa.types.is_integer(column.type) or pa.types.is_floating(column.type)
    ):
        raise NotClean
    numbers = column.combine_chunks().cast(pa.float64())
    if not pc.all(pc.is_finite(numbers)).as_py():
        raise NotClean
    return numbers


def checked(
    kind: SheetKind, name: str, header: HeaderMatch, columns: pa.Table, file_name: str
) -> tuple[pa.Table, list[Finding]]:
    """The kind's table from clean columns, and the warnings the usual way gives; NotClean for
    anything the usual way would report or repair."""
    rows = columns.num_rows
    if not rows:
        raise NotClean
    table_kind = TABLE_KINDS[kind]
    values = _key_and_text_values(columns, table_kind)
    if kind is SheetKind.PROGRESS:
        values.update(_progress_optional(columns, rows))
    values.update(_amounts(kind, header, columns))
    _check_amounts(kind, values)
    for field in TOTAL_FIELDS[kind]:  # a 合计 row is left out by the usual way
        if may_be_total(values[field]):
            raise NotClean
    first_row = header.row + 2
    values["source_sheet"] = pa.array([name] * rows, pa.string())
    values["source_row"] = pa.array(np.arange(first_row, first_row + rows), pa.int64())
    table = table_from_arrays(table_kind, values, rows)
    if has_duplicates([table[key] for key in KEYS[kind][0]]):
        raise NotClean  # the usual way names both rows
    return table, _warnings(kind, name, header, table, file_name)


def _key_and_text_values(columns: pa.Table, table_kind: str) -> dict[str, pa.Array]:
    """年份, 月份, 项目编号 and the kind's required text columns."""
    values: dict[str, pa.Array] = {
        "year": integers(columns["year"], *YEAR_RANGE),
        "month": integers(columns["month"], 1, 12),
        "project_code": codes(columns["project_code"]),
    }
    for field in ("region", "project_name", "indicator"):
        if field in KIND_COLUMNS[table_kind]:
            values[field] = texts(columns[field], required=True)
    return values


def _progress_optional(columns: pa.Table, rows: int) -> dict[str, pa.Array]:
    """进度's optional columns; an absent one stays empty (类别: 其他)."""
    values = {}
    for field in ("unit", "department"):
        if field in columns.column_names:
            values[field] = texts(columns[field], required=False)
    category = categories(columns["category"] if "category" in columns.column_names else None)
    values["category"] = pa.array(["其他"] * rows) if category is None else category
    return values


def _amounts(kind: SheetKind, header: HeaderMatch, columns: pa.Table) -> dict[str, pa.Array]:
    """The kind's required numbers, scaled into 万元 where the header names another unit."""
    values = {}
    for field in AMOUNT_FIELDS[kind]:
        number = numbers(columns[field])
        scale = header.scale.get(field, 1.0)
        values[field] = number if scale == 1.0 else pc.multiply(number, scale)
    return values


def _check_amounts(kind: SheetKind, values: dict[str, pa.Array]) -> None:
    """NotClean for a 目标 not above 0 or a negative amount (errors the usual way)."""
    if kind is SheetKind.PROGRESS:
        if pc.any(pc.less_equal(values["target"], 0)).as_py():
            raise NotClean
        if pc.any(pc.less(values["actual"], 0)).as_py():
            raise NotClean
    elif any(pc.any(pc.less(values[f], 0)).as_py() for f in AMOUNT_FIELDS[kind]):
        raise NotClean


def _warnings(
    kind: SheetKind, name: str, header: HeaderMatch, table: pa.Table, file_name: str
) -> list[Finding]:
    """完成率 above 300% (进度) and 拨付 above 到位 (资金), as etl.reading.validate words them."""
    rows = table["source_row"].to_pylist()
    found = []
    if kind is SheetKind.PROGRESS:
        goals = table["target"].to_numpy()
        done = table["actual"].to_numpy()
        for pos in np.flatnonzero(goals > HUGE_TARGET).tolist():
            message = huge_target_message(goals[pos])
            found.append(
                Finding(file_name, name, rows[pos], header.written["target"], message, True)
            )
        for pos in np.flatnonzero(done / goals > COMPLETION_WARN_RATE).tolist():
            message = completion_warning(done[pos], goals[pos])
            found.append(
                Finding(file_name, name, rows[pos], header.written["actual"], message, True)
            )
    else:
        budgets = table["budget"].to_numpy()
        for pos in np.flatnonzero(budgets > HUGE_MONEY).tolist():
            message = huge_money_message(budgets[pos])
            found.append(
                Finding(file_name, name, rows[pos], header.written["budget"], message, True)
            )
        arrived = table["arrived"].to_numpy()
        paid = table["disbursed"].to_numpy()
        for pos in np.flatnonzero(paid > arrived + DISBURSED_TOLERANCE).tolist():
            message = disbursed_warning(paid[pos], arrived[pos])
            found.append(
                Finding(file_name, name, rows[pos], header.written["disbursed"], message, True)
            )
    return sorted(found, key=lambda finding: finding.row)  # row by row, as the usual way
