"""The clean-file fast path (快速通道): a workbook whose 进度 and 资金 sheets need no repair is
read column by column into Arrow (fastexcel: calamine without a Python object per cell) and
checked with vectorised tests.

A file takes it only when every cell of those sheets would pass the cell-by-cell check as it
stands: one sheet of each kind at most (a 考评 or 序时计划 sheet beside them, and sheets to ignore,
are read the usual way), the table's first row at row 1, no merged cells, every
column of one type, no empty required cell, no text with spaces around it, no 合计 row, no
value out of range, no duplicate key. Anything else (and any doubt) returns None, and the file
is read the usual way (etl.reading.sheets, etl.reading.validate), which says what is wrong and where (the
columns themselves are tested and put together in etl.reading.fast_table). The two
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

import pyarrow as pa

from etl.model import TABLE_KINDS, Finding, SheetKind
from etl.reading import fast_table
from etl.reading.fast_table import NotClean
from etl.reading.guards import SHARED_STRINGS, WORKBOOK_RELS, part_path, reader_name, reader_path
from etl.reading.halves import WORKBOOK, one_sheet_workbook, other_parts, sheet_entries
from etl.reading.headers import MAX_HEADER_SCAN, HeaderMatch, find_header
from etl.reading.normalise import FOOTER_PREFIXES, TOTAL_WORDS
from etl.reading.sheets import sheet_kind, sheet_state, temporary_workbook

try:
    import fastexcel
except ImportError:  # it is in requirements.txt; without it every file is read the usual way
    fastexcel = None

KINDS = (SheetKind.PROGRESS, SheetKind.FUNDING)
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
# 合计/小计/总计 and the footer words of etl.reading.normalise (注 only with its colon: 注册 is data)
_LEFT_OUT_WORDS = (*TOTAL_WORDS, *(w for w in FOOTER_PREFIXES if w != "注"), "注：", "注:")
ENABLED = True  # tests turn it off to compare the two ways


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

    `plain`: the sheet XML the guard found plain (etl.reading.guards.check_workbook)."""
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
                checked[sheet.name] = fast_table.checked(
                    sheet.kind, sheet.name, header, columns, file_name
                )
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
        entries = _plain_entries(archive, path, names, twins)
        kinds = [sheet_kind(name) for name, _, _ in entries]
        _one_sheet_per_kind(entries, kinds)
        # 考评, 序时计划 and the sheets to ignore are left to the usual way, whatever they hold
        rest = [
            name for (name, _, _), kind in zip(entries, kinds, strict=True) if kind not in KINDS
        ]
        strings = [n for n in names if reader_name(n) == SHARED_STRINGS]
        if any(_has_left_out_words(archive.read(n)) for n in strings):
            raise NotClean
        sheets = _fast_sheets(archive, entries, kinds, plain, twins)
    return sheets, rest, [name for name, _, _ in entries]


def _plain_entries(
    archive: zipfile.ZipFile, path: Path, names: list[str], twins: Counter
) -> list[tuple[str, str, str]]:
    """The workbook's sheets (name, relationship type, target), when its workbook parts are
    read here exactly as the reader reads them."""
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
    return entries


def _one_sheet_per_kind(entries: list[tuple[str, str, str]], kinds: list) -> None:
    """NotClean unless the sheet names are distinct and there is one 进度 or 资金 sheet at
    least, and at most one of each."""
    if not entries or len({name for name, _, _ in entries}) != len(entries):
        raise NotClean  # two sheets of one name: the usual way
    fast_kinds = [k for k in kinds if k in KINDS]
    if not fast_kinds or len(set(fast_kinds)) != len(fast_kinds):
        raise NotClean  # nothing to read fast, or two sheets of a kind: the usual way


def _fast_sheets(
    archive: zipfile.ZipFile,
    entries: list[tuple[str, str, str]],
    kinds: list,
    plain: dict[str, bytes],
    twins: Counter,
) -> list[_Sheet]:
    """The 进度/资金 sheets, each with its first rows as a workbook of their own when the
    sheet has more (the header is looked for there)."""
    other = None
    sheets = []
    for (name, rel_type, target), kind in zip(entries, kinds, strict=True):
        if kind not in KINDS:
            continue
        member, xml = _plain_sheet(rel_type, target, plain, twins)
        sheet = _Sheet(name, kind, member, None)
        cut = xml.find(_ROW_TAG + str(MAX_HEADER_SCAN + 1).encode() + b'"')
        end = xml.rfind(b"</sheetData>")
        if 0 <= cut < end:
            other = other if other is not None else other_parts(archive)
            sheet.head = one_sheet_workbook(member, xml[:cut] + xml[end:], other)
            sheet.rest = cut
        sheets.append(sheet)
    return sheets


def _plain_sheet(
    rel_type: str, target: str, plain: dict[str, bytes], twins: Counter
) -> tuple[str, bytes]:
    """A fast sheet's part and XML, when the reader finds it under exactly this name (no
    ./.., no case twin), the guard found it plain, and its cells allow the fast path."""
    member = part_path(target)
    if not rel_type.endswith("/worksheet") or reader_path(target) != member:
        raise NotClean
    xml = plain.get(member)
    if xml is None or twins[reader_name(member)] != 1:
        raise NotClean
    if any(mark in xml for mark in _ODD_CELLS) or not _starts_on_row_one(xml):
        raise NotClean
    return member, xml


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
