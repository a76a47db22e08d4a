"""Reading a report file into raw sheets (工作表): cell grids plus what the grid alone loses.

Values come from python-calamine (fast); merged ranges from calamine too; the number formats of
a 序时计划 sheet (a cell shown as 50% holds 0.5) from openpyxl, which is slow but the sheet small.
"""

from __future__ import annotations

import io
import os
import queue
import tempfile
import zipfile
import zlib
from collections.abc import Generator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from etl.model import SheetKind
from etl.reading.guards import unreadable_message
from etl.reading.halves import other_parts, sheet_parts, split, worth_cutting
from etl.reading.normalise import is_blank

# Name fragments of each kind, tried in this order (序时进度 is a schedule, 资金进度 funding).
KIND_NAMES: tuple[tuple[SheetKind, tuple[str, ...]], ...] = (
    (SheetKind.SCHEDULE, ("序时", "schedule")),
    (SheetKind.SCORES, ("考评", "score")),
    (SheetKind.FUNDING, ("资金", "funding")),
    (SheetKind.PROGRESS, ("进度", "progress")),
)


class ReadError(Exception):
    """The file cannot be read at all; str(error) is the Chinese message (without the file)."""


@dataclass
class RawSheet:
    """One recognised sheet. rows[i][j] is the cell at spreadsheet row i+1, column j+1."""

    name: str  # the sheet name as written, or a CSV's kind
    kind: SheetKind
    rows: list[list]
    # 序时计划 only: (row, col) of number cells formatted as percentages; None = unknown.
    percent_cells: frozenset[tuple[int, int]] | None = None
    position: int = 0  # its place among the file's recognised sheets (sheets may come unordered)
    part: int = 0  # 0: the whole sheet; 1, 2: its first or second half (etl.reading.halves)
    first_row: int = 1  # spreadsheet row of rows[0]; a second half's rows start further down


def sheet_kind(name: str) -> SheetKind | None:
    """The kind a sheet (or CSV file) name says, by data contract §1's precedence."""
    lowered = name.lower()
    for kind, fragments in KIND_NAMES:
        if any(fragment in lowered for fragment in fragments):
            return kind
    return None


def read_workbook(
    path: Path, plain: dict[str, bytes] | None = None, only: set[str] | None = None
) -> tuple[Generator[RawSheet, None, None], int, list[str], list[tuple[str, str]]]:
    """The recognised sheets of an .xlsx file (a generator: close it when not consumed to the
    end), how many there are, notices about the sheets ignored, and the recognised sheets that
    are hidden: (name, "hidden" or "veryHidden"). Hidden sheets are read like the others; the
    replacement plan (etl.writing.replacement_plan) says so before a load and asks for a confirmation.

    Sheets come in the order they finish reading, each with its `position` in the workbook:
    calamine parses a sheet's XML without holding the GIL, so two helper threads read two
    sheets at once while the caller converts and checks the one read first (a small 资金 sheet
    is read and checked while the large 进度 sheet is still being read).

    `plain`: sheet XML the guard found plain (etl.reading.guards.check_workbook). A large one of those
    comes in two parts (etl.reading.halves): part 1 with the header, then part 2 with the rows from
    `first_row` on, to be checked as a continuation of part 1.

    `only`: the recognised sheets to read (the others were read the fast way, etl.reading.fast); the
    notices about sheets ignored are given all the same.
    """
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        metadata = workbook.sheets_metadata
    except BaseException as exc:  # noqa: BLE001 - calamine raises pyo3 panics (BaseException) too
        _reraise_fatal(exc)
        raise ReadError(unreadable_message(path)) from None
    notices: list[str] = []
    wanted: list[tuple[str, SheetKind]] = []
    hidden: list[tuple[str, str]] = []
    for meta in metadata:
        kind = sheet_kind(meta.name)
        if kind is None or "worksheet" not in str(meta.typ).lower():
            notices.append(f"已忽略工作表“{meta.name}”（名称中没有进度、资金、考评或序时）")
        elif only is not None and meta.name not in only:
            continue
        else:
            wanted.append((meta.name, kind))
            state = sheet_state(meta)
            if state is not None:
                hidden.append((meta.name, state))
    if not wanted:
        workbook.close()
        return (sheet for sheet in ()), 0, notices, hidden
    halves = _halves(path, wanted, plain or {})
    return _read_sheets(path, workbook, wanted, halves), len(wanted), notices, hidden


def sheet_state(meta) -> str | None:
    """A sheet's state as the workbook writes it: "hidden", "veryHidden", or None (visible)."""
    visible = str(meta.visible).rsplit(".", 1)[-1].lower()
    if visible == "visible":
        return None
    return "veryHidden" if visible == "veryhidden" else "hidden"


READERS = 2  # sheets read at once: the machines this runs on have two cores or more


def _halves(path: Path, wanted: list[tuple[str, SheetKind]], plain: dict[str, bytes]) -> dict:
    """Position → Halves for the large plain sheets (not 序时计划: its formats are read apart)."""
    if not any(map(worth_cutting, plain.values())):
        return {}  # the usual county file: nothing to cut, the zip is not opened again
    try:
        with zipfile.ZipFile(path) as archive:
            parts = other_parts(archive)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, zlib.error):
        return {}  # read whole: the reader reports what is wrong
    members = sheet_parts(parts)
    found = {}
    for position, (name, kind) in enumerate(wanted):
        member = members.get(name)
        if kind is SheetKind.SCHEDULE or not worth_cutting(plain.get(member, b"")):
            continue
        halves = split(member, plain[member], parts)
        if halves is not None:
            found[position] = halves
    return found


def _read_sheets(
    path: Path, workbook, wanted: list[tuple[str, SheetKind]], halves: dict
) -> Iterator[RawSheet]:
    """The sheets as helper threads finish reading them (read_workbook says in which order)."""
    reading = _Reading(path, workbook, wanted, halves)
    tasks = reading.tasks()
    reading.pool = ThreadPoolExecutor(
        max_workers=min(READERS, len(tasks)), thread_name_prefix="calamine"
    )
    try:  # every temporary file is removed however reading stops (an error, Ctrl-C)
        pending = {}
        for position, part in tasks:
            pending[reading.submit(position, part)] = (position, part)
        for done in as_completed(pending):
            yield from reading.finished(done, *pending[done])
        # the first broken sheet of the workbook, whichever thread finished first
        if reading.failed:
            raise reading.failed[min(reading.failed)]
    finally:
        reading.close()


class _Reading:
    """The state of one workbook's threaded reading: its open handles, the halves' temporary
    files, the sheets that failed, and second halves waiting for their first half."""

    def __init__(self, path: Path, workbook, wanted: list[tuple[str, SheetKind]], halves: dict):
        self.path, self.wanted, self.halves = path, wanted, halves
        # A calamine workbook serves one thread at a time: a second reader opens its own.
        self.handles: queue.SimpleQueue = queue.SimpleQueue()
        self.handles.put(workbook)
        self.opened = [workbook]
        self.pool: ThreadPoolExecutor | None = None
        self.temporary: list[str] = []  # the halves' files, removed once opened or at the end
        self.failed: dict[int, ReadError] = {}
        self.waiting: dict[int, RawSheet] = {}  # second halves read before their first half
        self.first_done: set[int] = set()
        self.misfit: set[int] = set()  # sheets read whole after a half did not fit

    def tasks(self) -> list[tuple[int, int]]:
        """(position, part): first halves first, the other sheets, then second halves, so that
        a first half is checked while its second half is read."""
        tasks = [(position, 1) for position in self.halves]
        tasks += [(p, 0) for p in range(len(self.wanted)) if p not in self.halves]
        return tasks + [(position, 2) for position in self.halves]

    def submit(self, position: int, part: int) -> Future:
        name = self.wanted[position][0]
        if not part:
            return self.pool.submit(self.read, name)
        # made here: a second half's while the first is read, this thread having no other
        # work then (made in a reader thread, it would wait for the GIL behind a check)
        content = self.halves[position].workbook(second=part == 2)
        try:
            source: str | io.BytesIO = temporary_workbook(content)
            self.temporary.append(source)
        except OSError:  # no writable temporary folder: read it from memory, more slowly
            source = io.BytesIO(content)
        return self.pool.submit(_read_half, name, source)

    def read(self, name: str):
        try:
            book = self.handles.get_nowait()
        except queue.Empty:
            from python_calamine import CalamineWorkbook

            book = CalamineWorkbook.from_path(str(self.path))
            self.opened.append(book)
        try:
            return book.get_sheet_by_name(name)
        finally:
            self.handles.put(book)

    def finished(self, done: Future, position: int, part: int) -> Iterator[RawSheet]:
        """The sheets one finished read makes ready to check (none, one, or a half and the
        second half that waited for it)."""
        if position in self.misfit:
            return  # this sheet was read whole already
        name, kind = self.wanted[position]
        try:
            part, rows = self._rows(done.result(), name, position, part)
        except BaseException as exc:  # noqa: BLE001
            _reraise_fatal(exc)
            self.failed[position] = ReadError(f"无法读取工作表“{name}”：文件已损坏")
            return
        if self.failed:
            return  # the file is refused anyway: no need to check more sheets
        if part == 2:
            second_row = self.halves[position].second_row
            second = RawSheet(name, kind, rows, None, position, part=2, first_row=second_row)
            if position in self.first_done:
                yield second
            else:
                self.waiting[position] = second  # checked once its first half has been
            return
        percent = _percent_cells(self.path, name) if kind is SheetKind.SCHEDULE else None
        yield RawSheet(name, kind, rows, percent, position, part=part)
        if part == 1:
            self.first_done.add(position)
            if position in self.waiting:
                yield self.waiting.pop(position)

    def _rows(self, sheet, name: str, position: int, part: int) -> tuple[int, list[list]]:
        """The part read and its rows; a half that does not fit is replaced by the whole."""
        if part == 2:
            rows = _rows_from(sheet, self.halves[position].second_row)
        else:
            rows = _whole_rows(sheet)
        if part and not _fits(sheet, rows, part, self.halves[position].second_row):
            # a cell placed on the other side of the cut (rows out of order, a reference
            # not matching its row): read the sheet whole; it replaces a checked half
            self.misfit.add(position)
            self.waiting.pop(position, None)
            return 0, _whole_rows(self.read(name))
        return part, rows

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        for book in self.opened:
            book.close()
        for workbook_path in self.temporary:  # a cancelled half was never opened
            Path(workbook_path).unlink(missing_ok=True)


def _read_half(name: str, source: str | io.BytesIO):
    from python_calamine import CalamineWorkbook

    if isinstance(source, str):
        book = CalamineWorkbook.from_path(source)
        os.unlink(source)  # calamine keeps it open: the name is not needed any more
    else:
        book = CalamineWorkbook.from_filelike(source)
    try:
        return book.get_sheet_by_name(name)
    finally:
        book.close()


def temporary_workbook(content: bytes) -> str:
    """A workbook made here (a half, a sheet's head) as a private temporary file (mode 0600,
    to be removed once opened).
    calamine opens a path without the GIL, but reads an in-memory file through many Python
    calls, each waiting for the GIL behind the checking thread: beside a busy thread, opening a
    half took 32–48 ms from memory against 16 ms from a file (3 ms and 1.5 ms once the switch
    interval is lowered, etl.handoff)."""
    handle, path = tempfile.mkstemp(prefix="half-", suffix=".xlsx")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
    except BaseException:  # a full disk, Ctrl-C: no half-written file left behind
        Path(path).unlink(missing_ok=True)
        raise
    return path


def _whole_rows(sheet) -> list[list]:
    """A sheet's (or first half's) rows from A1, merged ranges filled."""
    rows = sheet.to_python(skip_empty_area=False)
    _fill_merged(rows, sheet.merged_cell_ranges or [])
    return rows


def _fits(sheet, rows: list[list], part: int, second_row: int) -> bool:
    """Whether a half's cells all lie on its side of the cut (then the two halves hold
    exactly the whole sheet's cells)."""
    if part == 1:
        return len(rows) <= second_row - 1
    return sheet.start is None or sheet.start[0] >= second_row - 1


def _rows_from(sheet, first_row: int) -> list[list]:
    """A second half's rows from spreadsheet row `first_row` on, cells in their own columns,
    merged ranges (all inside the half) filled."""
    if sheet.start is None:  # no value in the half: rows that were only formatted
        return []
    rows = sheet.to_python(skip_empty_area=True)
    top, left = sheet.start
    if left:
        rows = [[None] * left + row for row in rows]
    rows = [[] for _ in range(top - (first_row - 1))] + rows  # blank rows up to its first cell
    offset = first_row - 1
    ranges = [
        ((r0 - offset, c0), (r1 - offset, c1))
        for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []
        if r0 >= offset
    ]
    _fill_merged(rows, ranges)
    return rows


def _reraise_fatal(exc: BaseException) -> None:
    if isinstance(exc, KeyboardInterrupt | SystemExit | MemoryError):
        raise exc


def _fill_merged(rows: list[list], ranges: list) -> None:
    """A cell merged down several rows (地区, 项目名称) applies to every row it spans.

    Only the first column of a range is filled: a range merged across columns belongs to its
    first column, and copying it sideways would overwrite a neighbouring field.
    """
    for (top, left), (bottom, _right) in ranges:
        if bottom <= top or top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for row in rows[top + 1 : bottom + 1]:
            if left < len(row) and is_blank(row[left]):
                row[left] = value


def _percent_cells(path: Path, sheet_name: str) -> frozenset[tuple[int, int]] | None:
    """Number cells of one sheet whose number format shows a percentage (0.5 shown as 50%)."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - fall back to the fraction rule of etl.rows
        return None
    try:
        found = set()
        for row in workbook[sheet_name].iter_rows():
            for cell in row:
                if getattr(cell, "data_type", None) == "n" and "%" in (
                    getattr(cell, "number_format", "") or ""
                ):
                    found.add((cell.row - 1, cell.column - 1))
        return frozenset(found)
    except Exception:  # noqa: BLE001
        return None
    finally:
        workbook.close()
