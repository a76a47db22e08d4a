"""The clean-file fast path (快速通道): a workbook whose 进度 and 资金 sheets need no repair is
read column by column into Arrow (fastexcel: calamine without a Python object per cell) and
checked with vectorised tests.

A file takes it only when every cell of those sheets would pass the cell-by-cell check as it
stands: one sheet of each kind at most (a 考评 or 序时计划 sheet beside them, and sheets to ignore,
are read the usual way), the table's first row at row 1, no merged cells, every
column of one type, no empty required cell, no text with spaces around it, no 合计 row, no
value out of range, no duplicate key. Anything else (and any doubt) returns None, and the file
is read the usual way (etl.sheets, etl.validate), which says what is wrong and where. The two
ways give the same tables and warnings: a test compares them on every workbook in the repository.
"""

from __future__ import annotations

import html
import os
import re
import zipfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from etl.guards import SHARED_STRINGS, WORKBOOK_RELS, part_path, reader_name, reader_path
from etl.halves import WORKBOOK, one_sheet_workbook, other_parts, sheet_entries
from etl.headers import MAX_HEADER_SCAN, HeaderMatch, find_header
from etl.incoming import table_from_arrays
from etl.magnitude import HUGE_MONEY, HUGE_TARGET, huge_money_message, huge_target_message
from etl.model import CATEGORIES, KEYS, KIND_COLUMNS, TABLE_KINDS, Finding, SheetKind
from etl.names import SUSPECT_RE2
from etl.normalise import FOOTER_PREFIXES, TOTAL_WORDS, is_no_value
from etl.sheets import sheet_kind, sheet_state, temporary_workbook
from etl.text_checks import MAX_NAME_LENGTH, MAY_BE_FORMULA_RE2
from etl.validate import (
    COMPLETION_WARN_RATE,
    TOTAL_FIELDS,
    completion_warning,
    disbursed_warning,
)

try:
    import fastexcel
except ImportError:  # it is in requirements.txt; without it every file is read the usual way
    fastexcel = None

KINDS = (SheetKind.PROGRESS, SheetKind.FUNDING)
AMOUNT_FIELDS = {  # the kind's required numbers
    SheetKind.PROGRESS: ("target", "actual"),
    SheetKind.FUNDING: ("budget", "arrived", "disbursed"),
}
# What Python's str.strip() removes (str.isspace), for RE2: a value with any of these at either
# end is trimmed by the usual way, so the fast path leaves the file to it.
_SPACE = r"[\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]"
_PADDED = f"^{_SPACE}|{_SPACE}$"
_FIRST_VALUE = re.compile(rb"<v>|<v |<is>")
# merged cells (the usual way fills them down), error and true/false cells (the two readers'
# calamine versions differ on a malformed one, even in a column not read): the usual way
_ODD_CELLS = (b"mergeCell", b't="e"', b't="b"')  # mergeCell also as <x:mergeCell
_ROW_TAG = b'<row r="'
# a row or cell of rows 1–99 (every tag of a plain sheet opens with its reference): one of the
# rows the header may be in, placed after row MAX_HEADER_SCAN + 1 in the XML, is not in the head
# (r=" as a literal start keeps the scan fast; leading zeros and any space before r count)
_LOW_REFERENCE = re.compile(rb'r="[A-Z]?0*(\d{1,2})"')
assert MAX_HEADER_SCAN < 100
# 合计/小计/总计 and the footer words of etl.normalise (注 only with its colon: 注册 is data)
_LEFT_OUT_WORDS = (*TOTAL_WORDS, *(w for w in FOOTER_PREFIXES if w != "注"), "注：", "注:")
ENABLED = True  # tests turn it off to compare the two ways


class NotClean(Exception):
    """Internal: the file needs the cell-by-cell reading."""


@dataclass
class CleanFile:
    """A clean file's rows (by ParsedFile.tables key) and warnings, in workbook order.

    `rest`: the workbook's other sheets (考评, 序时计划, sheets to ignore), to be read the usual
    way beside the fast ones; `order`: every sheet's name in the workbook's order."""

    tables: dict[str, pa.Table]
    warnings: list[Finding]
    rest: list[str] = dataclass_field(default_factory=list)
    order: list[str] = dataclass_field(default_factory=list)


def read_clean(path: Path, plain: dict[str, bytes], file_name: str) -> CleanFile | None:
    """The file read the fast way, or None when it is not clean (see the module docstring).

    `plain`: the sheet XML the guard found plain (etl.guards.check_workbook)."""
    if fastexcel is None:  # not installed: the usual way is complete on its own
        return None
    try:
        sheets, rest, order = _clean_sheets(path, plain)
        checked = {}
        # the readers work without the GIL: a small sheet is checked while a large one is read
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="fastexcel") as pool:
            loads = {pool.submit(_load, path, sheet): sheet for sheet in sheets}
            for sheet in sheets:  # meanwhile: is each head all of the sheet's first rows?
                if sheet.head is not None and not _head_is_whole(plain[sheet.member], sheet.rest):
                    raise NotClean
            for load in as_completed(loads):
                sheet, (header, columns) = loads[load], load.result()
                checked[sheet.name] = _checked(sheet.kind, sheet.name, header, columns, file_name)
        tables, warnings = {}, []
        for sheet in sheets:  # in the workbook's order
            table, found = checked[sheet.name]
            tables[TABLE_KINDS[sheet.kind]] = table
            warnings += found
    except NotClean:
        return None
    except BaseException as exc:  # noqa: BLE001 - a reader panic too: the usual way says what is wrong
        if isinstance(exc, KeyboardInterrupt | SystemExit | MemoryError):
            raise
        return None
    return CleanFile(tables, warnings, rest, order)


@dataclass
class _Sheet:
    name: str
    kind: SheetKind
    member: str
    head: bytes | None  # a workbook of the sheet's first rows only, when it has more
    rest: int = 0  # where the rows after the head begin in the sheet's XML


def _clean_sheets(path: Path, plain: dict[str, bytes]) -> tuple[list[_Sheet], list[str], list[str]]:
    """The workbook's 进度/资金 sheets, when its layout allows the fast path; the names of its
    other sheets (read the usual way); and all its sheet names in order."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        # each part once as the reader finds parts (any case, \ as /): no twin it might read
        twins = Counter(reader_name(n) for n in names)
        if twins[WORKBOOK] != 1 or twins[WORKBOOK_RELS] != 1 or twins[SHARED_STRINGS] > 1:
            raise NotClean
        if WORKBOOK not in names or WORKBOOK_RELS not in names:
            raise NotClean
        parts = {n: archive.read(n) for n in (WORKBOOK, WORKBOOK_RELS)}
        if b"&" in parts[WORKBOOK_RELS]:
            raise NotClean  # the reader takes a target as written, entities and all
        entries = sheet_entries(parts)
        if [name for name, _, _ in entries] != _reader_sheet_names(path):
            raise NotClean  # this reading of the workbook part is not the reader's
        kinds = [sheet_kind(name) for name, _, _ in entries]
        if not entries or len({name for name, _, _ in entries}) != len(entries):
            raise NotClean  # two sheets of one name: the usual way
        fast_kinds = [k for k in kinds if k in KINDS]
        if not fast_kinds or len(set(fast_kinds)) != len(fast_kinds):
            raise NotClean  # nothing to read fast, or two sheets of a kind: the usual way
        # 考评, 序时计划 and the sheets to ignore are left to the usual way, whatever they hold
        rest = [
            name for (name, _, _), kind in zip(entries, kinds, strict=True) if kind not in KINDS
        ]
        strings = [n for n in names if reader_name(n) == SHARED_STRINGS]
        if any(_has_left_out_words(archive.read(n)) for n in strings):
            raise NotClean
        other = None
        sheets = []
        for (name, rel_type, target), kind in zip(entries, kinds, strict=True):
            if kind not in KINDS:
                continue
            member = part_path(target)
            # a worksheet part the reader finds under exactly this name (no ./.., no case twin)
            if not rel_type.endswith("/worksheet") or reader_path(target) != member:
                raise NotClean
            xml = plain.get(member)
            if xml is None or twins[reader_name(member)] != 1:
                raise NotClean
            if any(mark in xml for mark in _ODD_CELLS) or not _starts_on_row_one(xml):
                raise NotClean
            sheet = _Sheet(name, kind, member, None)
            cut = xml.find(_ROW_TAG + str(MAX_HEADER_SCAN + 1).encode() + b'"')
            end = xml.rfind(b"</sheetData>")
            if 0 <= cut < end:
                other = other if other is not None else other_parts(archive)
                sheet.head = one_sheet_workbook(member, xml[:cut] + xml[end:], other)
                sheet.rest = cut
            sheets.append(sheet)
    return sheets, rest, [name for name, _, _ in entries]


def _reader_sheet_names(path: Path) -> list[str]:
    """The worksheets python-calamine (the usual way's reader) finds, in order; [] for any
    other sheet, or a hidden one, among them."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    try:
        metadata = book.sheets_metadata
    finally:
        book.close()
    if any("worksheet" not in str(meta.typ).lower() for meta in metadata):
        return []
    if any(sheet_state(meta) is not None for meta in metadata):
        return []  # a hidden sheet: the usual way records it for the replacement plan
    return [meta.name for meta in metadata]


def _head_is_whole(xml: bytes, rest: int) -> bool:
    """Whether no row or cell of the first MAX_HEADER_SCAN rows lies after the head's cut."""
    return not any(
        int(match.group(1)) <= MAX_HEADER_SCAN for match in _LOW_REFERENCE.finditer(xml, rest)
    )


def _has_left_out_words(strings: bytes) -> bool:
    """Whether the shared-string table holds a word of the rows the usual way leaves out (合计,
    填报人：…): such a file is read that way at once, not after a fast read finds the row. Only a
    guess to save that read (text kept in the sheet itself is not looked at): the fast path's
    own checks decide."""
    text = html.unescape(strings.decode("utf-8", "replace"))  # &#21512; is 合 too
    return any(word in text for word in _LEFT_OUT_WORDS)


def _starts_on_row_one(xml: bytes) -> bool:
    """Whether the first value of the (plain) sheet is on row 1: the reader then numbers rows
    as the spreadsheet does."""
    first = _FIRST_VALUE.search(xml)
    return first is not None and xml.rfind(_ROW_TAG, 0, first.start()) == xml.find(_ROW_TAG + b'1"')


def _load(path: Path, sheet: _Sheet) -> tuple[HeaderMatch, pa.Table]:
    """The sheet's header and its columns below it (in a helper thread)."""
    header = _header(path, sheet)
    return header, _columns(path, sheet.name, header)


def _header(path: Path, sheet: _Sheet) -> HeaderMatch:
    """The sheet's header, found by the usual way's reader and rules in its first rows."""
    from python_calamine import CalamineWorkbook

    source = str(path) if sheet.head is None else temporary_workbook(sheet.head)
    try:
        book = CalamineWorkbook.from_path(source)  # a file opens without the GIL
    finally:
        if source != str(path):
            os.unlink(source)  # open: the name is not needed any more
    try:
        top = book.get_sheet_by_name(sheet.name).to_python(skip_empty_area=False)
    finally:
        book.close()
    header = find_header(sheet.kind, top[:MAX_HEADER_SCAN])
    # 年份 in column A: every data row then begins with a number, so the usual way keeps every
    # row (no blank, footer, 合计 or repeated-header row among them), and fastexcel's columns,
    # counted from the sheet's first used column, are the sheet's own
    if header is None or header.unit_errors or header.duplicates or header.index["year"] != 0:
        raise NotClean
    return header


def _columns(path: Path, name: str, header: HeaderMatch) -> pa.Table:
    """The sheet's mapped columns below its header, by field (fastexcel: Arrow, typed)."""
    loaded = fastexcel.read_excel(str(path)).load_sheet_by_name(
        name,
        header_row=None,
        skip_rows=header.row + 1,
        use_columns=sorted(header.index.values()),
        dtype_coercion="strict",  # a column of mixed cells: the usual way
        schema_sample_rows=None,
    )
    table = loaded.to_arrow()
    return pa.table({field: table[f"__UNNAMED__{col}"] for field, col in header.index.items()})


def _checked(
    kind: SheetKind, name: str, header: HeaderMatch, columns: pa.Table, file_name: str
) -> tuple[pa.Table, list[Finding]]:
    """The kind's table from clean columns, and the warnings the usual way gives; NotClean for
    anything the usual way would report or repair."""
    rows = columns.num_rows
    if not rows:
        raise NotClean
    table_kind = TABLE_KINDS[kind]
    values: dict[str, pa.Array] = {
        "year": _integers(columns["year"], 2000, 2100),
        "month": _integers(columns["month"], 1, 12),
        "project_code": _codes(columns["project_code"]),
    }
    for field in ("region", "project_name", "indicator"):
        if field in KIND_COLUMNS[table_kind]:
            values[field] = _text(columns[field], required=True)
    if kind is SheetKind.PROGRESS:  # its optional columns; an absent one stays empty
        for field in ("unit", "department"):
            if field in columns.column_names:
                values[field] = _text(columns[field], required=False)
        category = _categories(columns["category"] if "category" in columns.column_names else None)
        values["category"] = pa.array(["其他"] * rows) if category is None else category
    for field in AMOUNT_FIELDS[kind]:
        number = _numbers(columns[field])
        scale = header.scale.get(field, 1.0)
        values[field] = number if scale == 1.0 else pc.multiply(number, scale)
    if kind is SheetKind.PROGRESS:
        if pc.any(pc.less_equal(values["target"], 0)).as_py():
            raise NotClean
        if pc.any(pc.less(values["actual"], 0)).as_py():
            raise NotClean
    elif any(pc.any(pc.less(values[f], 0)).as_py() for f in AMOUNT_FIELDS[kind]):
        raise NotClean
    for field in TOTAL_FIELDS[kind]:  # a 合计 row is left out by the usual way
        if _may_be_total(values[field]):
            raise NotClean
    first_row = header.row + 2
    values["source_sheet"] = pa.array([name] * rows, pa.string())
    values["source_row"] = pa.array(np.arange(first_row, first_row + rows), pa.int64())
    table = table_from_arrays(table_kind, values, rows)
    if _has_duplicates([table[key] for key in KEYS[kind][0]]):
        raise NotClean  # the usual way names both rows
    return table, _warnings(kind, name, header, table, file_name)


def _has_duplicates(keys: list[pa.ChunkedArray]) -> bool:
    """Whether two rows share every key value (Arrow's group_by would start a thread pool)."""
    combined = np.zeros(len(keys[0]), np.int64)
    for key in keys:
        codes = pc.dictionary_encode(key).combine_chunks().indices.to_numpy().astype(np.int64)
        size = int(codes.max()) + 1
        if int(combined.max()) >= 2**62 // size:  # renumber before the product could overflow
            combined = np.unique(combined, return_inverse=True)[1].astype(np.int64)
        combined = combined * size + codes
    return len(np.unique(combined)) != len(combined)


def _may_be_total(column: pa.Array) -> bool:
    """Whether a value could be 合计/小计/总计 (etl.normalise.is_total): it holds 计 and, without
    its spaces, five characters at most (`全市合计：`). 项目名称 such as 计划生育家庭奖励扶助 pass."""
    short = pc.less_equal(pc.utf8_length(pc.replace_substring_regex(column, _SPACE, "")), 5)
    return pc.any(pc.and_(pc.match_substring(column, "计"), short)).as_py()


def _integers(column: pa.ChunkedArray, low: int, high: int) -> pa.Array:
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


def _codes(column: pa.ChunkedArray) -> pa.Array:
    """项目编号: digits or `12-1` written as text (kept as written), or whole numbers (`13.0` →
    `13`)."""
    if column.null_count:
        raise NotClean
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        codes = column.combine_chunks().cast(pa.string())
        # as etl.normalise.parse_code keeps them: digits, or a sub-project such as 12-1
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


def _text(column: pa.ChunkedArray, *, required: bool) -> pa.Array:
    """Text exactly as the usual way keeps it: no spaces around it, nothing empty, no character
    etl.names would remove or rewrite."""
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
        # a character etl.names would remove or rewrite
        or pc.any(pc.match_substring_regex(unique, SUSPECT_RE2)).as_py()
        # formula-like, over-long or "no value" text: the usual way says where (etl.text_checks)
        or pc.any(pc.match_substring_regex(unique, MAY_BE_FORMULA_RE2)).as_py()
        or (pc.max(pc.utf8_length(unique)).as_py() or 0) > MAX_NAME_LENGTH
        or any(map(is_no_value, pc.filter(unique, pc.less_equal(pc.utf8_length(unique), 8))
                   .drop_null().to_pylist()))
    ):  # fmt: skip
        raise NotClean
    return text


def _categories(column: pa.ChunkedArray | None) -> pa.Array | None:
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


def _numbers(column: pa.ChunkedArray) -> pa.Array:
    """A required number: every cell a finite number."""
    if column.null_count or not (
        pa.types.is_integer(column.type) or pa.types.is_floating(column.type)
    ):
        raise NotClean
    numbers = column.combine_chunks().cast(pa.float64())
    if not pc.all(pc.is_finite(numbers)).as_py():
        raise NotClean
    return numbers


def _warnings(
    kind: SheetKind, name: str, header: HeaderMatch, table: pa.Table, file_name: str
) -> list[Finding]:
    """完成率 above 300% (进度) and 拨付 above 到位 (资金), as etl.validate words them."""
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
        for pos in np.flatnonzero(paid > arrived + 1e-9).tolist():
            message = disbursed_warning(paid[pos], arrived[pos])
            found.append(
                Finding(file_name, name, rows[pos], header.written["disbursed"], message, True)
            )
    return sorted(found, key=lambda finding: finding.row)  # row by row, as the usual way
