"""Read side of the loader: one report file (月报) → a checked ParsedFile, no database.

    parsed = parse_file(Path("芜湖6月.xlsx"))
    if parsed.refused: print(*parsed.errors, sep="\\n")

Never raises for bad input: every problem becomes a Finding (data contract §1–2).
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Generator, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pyarrow as pa

from etl.handoff import quick_handoff
from etl.model import KEYS, KIND_COLUMNS, TABLE_KINDS, Finding, ParsedFile, SheetKind
from etl.reading import fast
from etl.reading.csv_sheet import read_csv
from etl.reading.guards import DEFAULT_LIMITS, GuardError, Limits, check_csv, check_workbook
from etl.reading.incoming import table_from_lists
from etl.reading.sheets import RawSheet, ReadError, read_workbook
from etl.reading.validate import SheetRecords, check_sheet, join_halves
from etl.reading.validate_kinds import MONTH_FIELDS

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
REPORT_SUFFIXES = (*WORKBOOK_SUFFIXES, ".csv")


def iter_report_files(paths: list[Path]) -> list[Path]:
    """Files as given; folders recursively (.xlsx/.csv) in name order, without ~$ lock and hidden files."""
    found: list[Path] = []
    for path in map(Path, paths):
        if not path.is_dir():
            found.append(path)
            continue
        inside = [
            p
            for p in path.rglob("*")
            if p.is_file()
            and p.suffix.lower() in REPORT_SUFFIXES
            and not any(part.startswith((".", "~$")) for part in p.relative_to(path).parts)
        ]
        found.extend(sorted(inside, key=lambda p: p.relative_to(path).as_posix()))
    return found


def parse_file(
    path: Path, *, display_name: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> ParsedFile:
    """Read and check one .xlsx or .csv report; all problems become Findings, never exceptions."""
    path = Path(path)
    name = display_name or path.name
    try:
        content = path.read_bytes()
    except OSError:
        parsed = ParsedFile(name, path, "")
        parsed.errors.append(Finding(name, "", None, None, "无法读取：文件不存在或无法打开"))
        return parsed
    parsed = ParsedFile(name, path, hashlib.sha256(content).hexdigest())
    del content
    try:
        with _gc_paused(), quick_handoff():
            order: list[str] = []  # the sheets' order, when some were read the fast way
            sheets = _read_sheets(path, parsed, limits, order)
            if (
                sheets is not None
            ):  # None: read the fast way (etl.reading.fast), nothing left to check
                _check(sheets, parsed)
            if order:  # the findings of both ways sheet by sheet, as the usual way lists them
                rank = {name: position for position, name in enumerate(order)}
                parsed.warnings.sort(key=lambda finding: rank.get(finding.sheet, -1))
    except (GuardError, ReadError) as exc:
        parsed.errors.append(Finding(name, "", None, None, str(exc)))
    except Exception as exc:  # noqa: BLE001 - a clerk gets a message, never a traceback
        message = f"无法读取：文件内容异常（{type(exc).__name__}），请用Excel打开后另存为.xlsx再试"
        parsed.errors.append(Finding(name, "", None, None, message))
    return parsed


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a file is read: its 100,000 cells are new container
    objects that make the collector run over and over (and a full run visit every object of the
    process) though a parse creates no cycles. Re-enabled by whoever paused it."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _read_sheets(
    path: Path, parsed: ParsedFile, limits: Limits, order: list[str]
) -> Generator[RawSheet, None, None] | None:
    """The file's sheets, one by one (a workbook's next sheet is read while one is checked);
    None when the workbook was clean and has been read the fast way (etl.reading.fast) into `parsed`.
    When its 进度/资金 sheets were read the fast way, the other sheets the usual way, and `order`
    gets the workbook's sheet names."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        check_csv(path, limits)
        sheet = read_csv(path, limits.max_sheet_cells)
        return (one for one in [sheet])  # a generator, like a workbook's sheets
    if suffix not in WORKBOOK_SUFFIXES:
        raise ReadError("无法读取：只支持.xlsx工作簿和.csv文件")
    plain = check_workbook(path, limits)
    clean = fast.read_clean(path, plain, parsed.name) if fast.ENABLED else None
    if clean is not None:
        parsed.tables.update(clean.tables)
        parsed.warnings.extend(clean.warnings)
        if not clean.rest:
            return None
        order.extend(clean.order)
        sheets, count, notices, hidden = read_workbook(path, plain, only=set(clean.rest))
        parsed.notices.extend(notices)
        parsed.hidden_sheets.extend(hidden)
        if not count:  # only sheets to ignore beside the fast ones
            sheets.close()
            return None
        return sheets
    sheets, count, notices, hidden = read_workbook(path, plain)
    parsed.notices.extend(notices)
    parsed.hidden_sheets.extend(hidden)
    if not count:
        sheets.close()
        raise ReadError("没有可识别的工作表：工作表名称中应包含进度、资金、考评或序时")
    return sheets


def _check(sheets: Generator[RawSheet, None, None], parsed: ParsedFile) -> None:
    placed: list[tuple[int, SheetRecords, pa.Table | None]] = []
    first_halves: dict[int, tuple[RawSheet, SheetRecords, pa.Table | None]] = {}
    with closing(sheets):  # a sheet that cannot be read stops the file before any finding
        for sheet in sheets:  # in the order they finish reading
            if sheet.part == 2:  # a large sheet's second half, after its first
                placed.append(_second_half(first_halves.pop(sheet.position), sheet, parsed.name))
                continue
            first_halves.pop(sheet.position, None)  # read whole after all: its first half goes
            records = check_sheet(sheet, parsed.name)
            # its table now, while the helper threads may still be reading a larger sheet
            if sheet.part == 1:
                first_halves[sheet.position] = (sheet, records, _sheet_table(records))
                continue
            placed.append((sheet.position, records, _sheet_table(records)))
    placed.sort(key=lambda item: item[0])  # findings and rows follow the workbook's order
    by_kind: dict[SheetKind, list[SheetRecords]] = {kind: [] for kind in SheetKind}
    for _, records, _ in placed:
        by_kind[records.kind].append(records)
        parsed.errors.extend(records.errors)
        parsed.warnings.extend(records.warnings)
        parsed.notices.extend(records.notices)
    for kind, records in by_kind.items():
        if records:
            parsed.errors.extend(_duplicates(kind, records, parsed.name))
    for kind, table_kind in TABLE_KINDS.items():
        table = _joined([table for _, records, table in placed if records.kind is kind])
        if table is not None:
            parsed.tables[table_kind] = table


def _second_half(
    first: tuple[RawSheet, SheetRecords, pa.Table | None], second: RawSheet, file_name: str
) -> tuple[int, SheetRecords, pa.Table | None]:
    """A large sheet's records and table from its two halves (etl.reading.halves)."""
    first_sheet, first_records, first_table = first
    if first_records.header is None:  # no header in the first half: read as one sheet after all
        gap = [[] for _ in range(second.first_row - 1 - len(first_sheet.rows))]
        whole = RawSheet(second.name, second.kind, first_sheet.rows + gap + second.rows)
        records = check_sheet(whole, file_name)
        return second.position, records, _sheet_table(records)
    second_records = check_sheet(second, file_name, continues=first_records)
    table = _joined([first_table, _sheet_table(second_records)])
    return second.position, join_halves(first_records, second_records), table


def _joined(tables: list[pa.Table | None]) -> pa.Table | None:
    """The tables one after the other (None for none); Nones are sheets without rows."""
    found = [table for table in tables if table is not None]
    if len(found) <= 1:
        return next(iter(found), None)
    return pa.concat_tables(found)


def _sheet_table(records: SheetRecords) -> pa.Table | None:
    """One sheet's checked rows as its kind's table (None when it has no rows)."""
    if not records.rows:
        return None
    table_kind = TABLE_KINDS[records.kind]
    if records.kind is SheetKind.SCHEDULE:
        return table_from_lists(table_kind, _schedule_columns(records))
    return table_from_lists(table_kind, _columns(records, KIND_COLUMNS[table_kind]))


def _duplicates(kind: SheetKind, records: list[SheetRecords], file_name: str) -> list[Finding]:
    """Two rows with the same key in one file (also across two sheets of one kind) are errors."""
    fields, words = KEYS[kind]
    all_keys: list[tuple] = []
    sources: list[tuple[str, list[int]]] = []
    for sheet in records:
        if not sheet.rows:
            continue
        columns = [sheet.values[f] for f in fields]
        if kind is SheetKind.SCHEDULE:  # a plan is for its project, else for its 类别
            year, codes, categories = columns
            columns = [
                year,
                [c if c else ("类别", k) for c, k in zip(codes, categories, strict=True)],
            ]
        keys = list(zip(*columns, strict=True))
        all_keys.extend(keys)
        sources.append((sheet.sheet, sheet.rows))
    if len(set(all_keys)) == len(all_keys):
        return []  # the usual case, decided at C speed
    # (sheet's place among them, its name, row): two sheets may share a name in a forged file
    places = [(i, name, row) for i, (name, rows) in enumerate(sources) for row in rows]
    seen: dict[tuple, tuple[int, str, int]] = {}
    errors: list[Finding] = []
    for key, (sheet_index, sheet_name, row) in zip(all_keys, places, strict=True):
        if any(part is None for part in key):
            continue  # already reported as missing or invalid
        first = seen.setdefault(key, (sheet_index, sheet_name, row))
        if first != (sheet_index, sheet_name, row):
            if first[0] == sheet_index:
                where = f"第{first[2]}行"
            elif first[1] == sheet_name:
                where = f"另一张同名工作表“{first[1]}”第{first[2]}行"
            else:
                where = f"工作表“{first[1]}”第{first[2]}行"
            message = f"与{where}重复（{words}相同）"
            errors.append(Finding(file_name, sheet_name, row, None, message))
    return errors


def _columns(sheet: SheetRecords, columns: list[str]) -> dict[str, list]:
    """A sheet's checked values as whole columns (its own lists), with source sheet and row."""
    data = {name: sheet.values.get(name) or [None] * len(sheet.rows) for name in columns}
    return data | {"source_sheet": [sheet.sheet] * len(sheet.rows), "source_row": sheet.rows}


def _schedule_columns(sheet: SheetRecords) -> dict[str, list]:
    """Schedules long: one row per plan and month, planned_rate a fraction (50 → 0.5)."""
    data: dict[str, list] = {
        name: [] for name in [*KIND_COLUMNS["schedules"], "source_sheet", "source_row"]
    }
    values = sheet.values
    for pos, row in enumerate(sheet.rows):
        for month, field in enumerate(MONTH_FIELDS, start=1):
            rate = values[field][pos]
            data["year"].append(values["year"][pos])
            data["project_code"].append(values["project_code"][pos])
            data["category"].append(values["category"][pos])
            data["month"].append(month)
            data["planned_rate"].append(None if rate is None else rate / 100)
            data["source_sheet"].append(sheet.sheet)
            data["source_row"].append(row)
    return data
