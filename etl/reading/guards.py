"""Hostile-file guards (恶意文件防护), checked before any parser touches the file.

An .xlsx is a zip of XML. A small file can unpack to gigabytes (zip bomb), declare an absurd
sheet size, or place one cell at XFD1048576 so that the reader allocates a grid of 17 billion
cells (python-calamine aborts the whole process on that). Everything here reads the zip's
directory and the raw sheet XML with bounded memory, never a full parse.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024
# Cells one sheet may hold (单元格上限): a province's month is about 100,000 (8,000 进度 rows of
# 11 columns); a sheet of 5 million took over 30 s to refuse. Counted in the sheet's XML (or
# while a CSV is read) before any reader starts.
MAX_SHEET_CELLS = 1_000_000
_CELL_TAGS = (b"<c ", b"<c>", b"<c/>")
_PREFIXED_CELL = re.compile(rb"<[\w.-]+:c[\s>/]")


@dataclass(frozen=True)
class Limits:
    """All guard limits in one place; tests pass smaller ones."""

    max_members: int = 10_000
    max_member_bytes: int = 200 * MB  # uncompressed size of any one zip member
    max_total_bytes: int = 500 * MB  # uncompressed size of all members together
    max_ratio: float = 200.0  # uncompressed / compressed, for members over ratio_min_bytes
    ratio_min_bytes: int = 1 * MB
    max_rows: int = 1_048_576  # Excel's own sheet limits
    max_cols: int = 16_384
    max_cells: int = 5_000_000  # rows × columns of the grid a sheet would need in memory
    max_sheet_cells: int = MAX_SHEET_CELLS  # cells written in one sheet (or one CSV)
    max_csv_bytes: int = 200 * MB
    dimension_probe_bytes: int = 64 * 1024  # <dimension> sits in the first bytes of a sheet


DEFAULT_LIMITS = Limits()


class GuardError(Exception):
    """The file is refused before parsing; str(error) is the Chinese message."""


_LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # a zip member's local header (APPNOTE 4.3.7)
# The reader (python-calamine) finds a part by its name as reader_name gives it, without
# resolving `.`/`..`, and takes a sheet from these folders only, whatever type its relationship
# says. So every part under them is checked as a sheet; so is every part a sheet relationship
# names elsewhere (openpyxl reads those), resolved either way.
SHEET_FOLDERS = ("xl/worksheets/", "xl/chartsheets/", "xl/dialogsheets/")
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
SHARED_STRINGS = "xl/sharedstrings.xml"  # as the reader finds it: in any case
# The reader reserves room for the number of strings the table declares before reading one: a
# forged uniqueCount="4000000000" makes it ask for 96 GB and abort the process.
_UNIQUE_COUNT = re.compile(rb"""<(?:[\w.-]+:)?sst\b[^>]*?\buniqueCount\s*=\s*["']\s*\+?(\d+)""")
MIN_STRING_BYTES = 5  # the shortest entry of a shared-string table: <si/>
_RELATIONSHIP = re.compile(rb"<(?:[\w.-]+:)?Relationship\b[^>]*>")
_REL_TYPE = re.compile(rb"""\bType\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REL_TARGET = re.compile(rb"""\bTarget\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_DIMENSION = re.compile(rb'<dimension\s+ref="([A-Z]{1,3})(\d{1,9})(?::([A-Z]{1,3})(\d{1,9}))?"')
# Fast test that every cell lies within A1:Z99999 and carries its reference first: one regex
# pass for a <c> or <row> tag NOT opened as `<c r="A1"`/`<row r="1"` with at most one letter
# and five digits (a far cell, a cell placed by its position, an unusual attribute order, a
# lower-case reference, another quote; a tag without attributes, even if `r="A1"` follows it as
# text). A hit only means "scan precisely" (_grid_extent), so false alarms cost time only.
_SUSPECT_TAG = re.compile(rb'<(?:c|row)[\s>/](?!(?<=\s)r="[A-Z]?\d{1,5}")')
# The reader also takes the tags with a namespace prefix (<x:c>): rare enough to scan for apart.
_PREFIXED_TAG = re.compile(rb":(?:c|row)[\s>/]")
FAST_PATH_ROWS, FAST_PATH_COLS = 99_999, 26
_ROW_OR_CELL = re.compile(rb"<(?:[\w.-]+:)?(row|c)(?=[\s>/])([^>]*)>")
# the reader reads a reference from `r` whatever its quotes, spacing, prefix or letter case
_R_ATTR = re.compile(rb"""(?:^|\s)(?:[\w.-]+:)?r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CELL_REF = re.compile(rb"([A-Za-z]+)(\d+)")


def unreadable_message(path: Path) -> str:
    """Why a file that should be a workbook cannot be opened at all."""
    try:
        with path.open("rb") as handle:
            magic = handle.read(8)
    except OSError:
        return "无法读取：文件无法打开"
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        return "无法读取：文件已加密或是旧版.xls格式，请取消密码并另存为.xlsx工作簿"
    return "无法读取：不是有效的Excel工作簿（文件可能已损坏，或不是.xlsx格式）"


def column_number(letters: bytes) -> int:
    """Spreadsheet column letters → 1-based number (b"A" → 1, b"XFD" → 16384)."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def check_workbook(path: Path, limits: Limits = DEFAULT_LIMITS) -> dict[str, bytes]:
    """Refuse a workbook whose zip or sheets are absurd; raises GuardError.

    Returns the sheet parts found plain (every cell and row tag opens with its own reference
    within A1:Z99999) as unpacked XML by zip member name: the reader may split those."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise GuardError(unreadable_message(path)) from None
    plain: dict[str, bytes] = {}
    with archive:
        members = archive.infolist()
        _check_members(members, limits)
        sheets = set(_sheet_members(archive))
        for info in members:
            if info.filename in sheets:
                xml = _check_sheet(archive, info, limits)
                if xml is not None:
                    plain[info.filename] = xml
            if reader_name(info.filename) == SHARED_STRINGS:
                _check_shared_strings(archive, info, limits)
    return plain


def _check_shared_strings(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> None:
    """Refuse a shared-string table declaring more strings than its size can hold."""
    try:
        with archive.open(info) as part:
            head = part.read(limits.dimension_probe_bytes)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, zlib.error):
        raise GuardError("无法读取：工作簿已损坏（压缩数据校验失败）") from None
    declared = _UNIQUE_COUNT.search(head)
    if declared and int(declared.group(1)) > info.file_size // MIN_STRING_BYTES:
        raise GuardError(
            f"文件被拒绝：共享字符串表声明有{int(declared.group(1))}个字符串，与其大小"
            f"（{info.file_size}字节）不符，文件可能被篡改，请用Excel打开后另存为.xlsx再试"
        )


def _sheet_members(archive: zipfile.ZipFile) -> list[str]:
    """The parts the reader may read as a sheet (see SHEET_FOLDERS), in the zip's order."""
    names = archive.namelist()
    targets: set[str] = set()
    for name in names:
        if reader_name(name) != WORKBOOK_RELS:
            continue
        try:
            rels = archive.read(name)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
            raise GuardError("无法读取：工作簿已损坏（压缩数据校验失败）") from None
        for tag in _RELATIONSHIP.findall(rels):
            kind, target = _attribute(_REL_TYPE, tag), _attribute(_REL_TARGET, tag)
            if target is not None and b"sheet" in (kind or b"").lower():
                name = target.decode("utf-8", "replace")
                targets.update({reader_name(part_path(name)), reader_name(reader_path(name))})
    found = [
        name
        for name in names
        if reader_name(name).startswith(SHEET_FOLDERS) or reader_name(name) in targets
    ]
    return list(dict.fromkeys(found))


def _attribute(pattern: re.Pattern, tag: bytes) -> bytes | None:
    """An attribute's value in either kind of quotes (pattern: _REL_TYPE, _REL_TARGET)."""
    match = pattern.search(tag)
    if match is None:
        return None
    return match.group(1) if match.group(1) is not None else match.group(2)


def reader_name(name: str) -> str:
    """A zip member's name as the reader matches it: without regard to case, and with `\\` read
    as `/` (`xl\\worksheets\\sheet1.xml` is read as the first sheet)."""
    return name.replace("\\", "/").lower()


def part_path(target: str) -> str:
    """The zip member a workbook relationship's Target names (relative to xl/, or absolute)."""
    path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return posixpath.normpath(path)


def reader_path(target: str) -> str:
    """The member name python-calamine looks up for a Target: `/xl/…` and `xl/…` as written,
    anything else under `xl/`, with `.` and `..` left as they are."""
    if target.startswith("/xl/"):
        return target[1:]
    return target if target.startswith("xl/") else f"xl/{target}"


def _check_members(members: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(members) > limits.max_members:
        raise GuardError(
            f"文件被拒绝：压缩包内文件过多（{len(members)}个，上限{limits.max_members}个）"
        )
    total = 0
    for info in members:
        if info.flag_bits & 0x1:
            raise GuardError("无法读取：文件已加密，请取消密码后再上传")
        if info.file_size > limits.max_member_bytes:
            raise GuardError(
                f"文件被拒绝：“{info.filename}”解压后{info.file_size // MB}MB，超过上限"
                f"{limits.max_member_bytes // MB}MB"
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_min_bytes and ratio > limits.max_ratio:
            raise GuardError(
                f"文件被拒绝：“{info.filename}”压缩比异常（{ratio:.0f}倍），疑似压缩炸弹"
            )
        total += info.file_size
    if total > limits.max_total_bytes:
        raise GuardError(
            f"文件被拒绝：解压后共{total // MB}MB，超过上限{limits.max_total_bytes // MB}MB"
        )


def _check_sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> bytes | None:
    """Refuse an absurd sheet; return its XML when plain (the fast path), else None."""
    name = info.filename.rsplit("/", 1)[-1]
    try:
        xml = unpack(archive, info)  # sizes are checked already; size and CRC catch lies
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, zlib.error):
        raise GuardError("无法读取：工作簿已损坏（压缩数据校验失败）") from None
    _check_cell_count(archive, info, xml, limits)
    match = _DIMENSION.search(xml, 0, limits.dimension_probe_bytes)
    if match:
        last_col, last_row = match.group(3) or match.group(1), match.group(4) or match.group(2)
        _check_grid(name, int(last_row), column_number(last_col), "声明的", limits)
    # The declared size may lie: look at the cell references themselves.
    fast_path_ok = (
        limits.max_rows >= FAST_PATH_ROWS
        and limits.max_cols >= FAST_PATH_COLS
        and limits.max_cells >= FAST_PATH_ROWS * FAST_PATH_COLS
    )
    if fast_path_ok and not _SUSPECT_TAG.search(xml) and not _PREFIXED_TAG.search(xml):
        return xml
    rows, cols = _grid_extent(xml, name)
    _check_grid(name, rows, cols, "实际", limits)
    return None


def _check_cell_count(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, xml: bytes, limits: Limits
) -> None:
    """Refuse a sheet with more cells than limits.max_sheet_cells (counted at C speed)."""
    cells = sum(map(xml.count, _CELL_TAGS))
    if cells <= limits.max_sheet_cells and _PREFIXED_TAG.search(xml):
        cells += len(_PREFIXED_CELL.findall(xml))  # <x:c …>: rare
    if cells > limits.max_sheet_cells:
        raise GuardError(too_many_cells(_sheet_name(archive, info), cells, limits))


def too_many_cells(sheet: str, cells: int | None, limits: Limits = DEFAULT_LIMITS) -> str:
    """cells None: counting stopped at the limit (a CSV)."""
    counted = "的单元格" if cells is None else f"有{cells}个单元格，"
    return (
        f"文件被拒绝：工作表“{sheet}”{counted}超过每张工作表"
        f"{limits.max_sheet_cells}个的上限；请删去表格外多余的内容，或把数据分成几个文件"
    )


def _sheet_name(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    """The sheet's name as the workbook gives it, else its part's file name (for messages)."""
    from etl.reading.halves import other_parts, sheet_parts  # halves imports this module

    try:
        members = sheet_parts(other_parts(archive))
    except Exception:  # noqa: BLE001 - only the message depends on it
        members = {}
    names = [name for name, member in members.items() if member == info.filename]
    return names[0] if names else info.filename.rsplit("/", 1)[-1]


def unpack(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes, as `archive.read(info)` but a deflated one inflated in one zlib call:
    zipfile builds a 3 MB sheet from hundreds of small pieces, in twice the time (this is the
    only step of a load that nothing else runs beside). Never more than the declared size is
    unpacked; a size or CRC that does not match raises zipfile.BadZipFile, as zipfile does."""
    if info.compress_type != zipfile.ZIP_DEFLATED or archive.fp is None:
        return archive.read(info)
    archive.fp.seek(info.header_offset)
    header = archive.fp.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(info.filename)
    name_length, extra_length = _LOCAL_HEADER.unpack(header)[-2:]
    archive.fp.seek(name_length + extra_length, 1)
    packed = archive.fp.read(info.compress_size)
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    data = inflater.decompress(packed, info.file_size + 1)  # one byte more shows a lie
    if len(data) != info.file_size or not inflater.eof or zlib.crc32(data) != info.CRC:
        raise zipfile.BadZipFile(info.filename)
    return data


def _grid_extent(xml: bytes, name: str) -> tuple[int, int]:
    """Last row and column a reader would place cells at (refs, else the position in order).

    A reference the reader could not take as written (`r="A1:B2"`, `r="&#88;FD1"`) refuses the
    file: a real workbook never has one, and guessing how the reader takes it is no guard."""
    max_row = max_col = 0
    row = col = 0
    for match in _ROW_OR_CELL.finditer(xml):
        tag, attrs = match.group(1), match.group(2)
        ref = _R_ATTR.search(attrs)
        value = (
            None if ref is None else (ref.group(1) if ref.group(1) is not None else ref.group(2))
        )
        if tag == b"row":
            if value is not None and not value.isdigit():
                raise GuardError(_odd_reference(name, value))
            row = int(value) if value is not None else row + 1
            col = 0
            max_row = max(max_row, row)
            continue
        if value is None:
            col += 1
        else:
            cell = _CELL_REF.fullmatch(value)
            if cell is None:
                raise GuardError(_odd_reference(name, value))
            col = column_number(cell.group(1))
            max_row = max(max_row, int(cell.group(2)))
        max_col = max(max_col, col)
    return max_row, max_col


def _odd_reference(name: str, value: bytes) -> str:
    shown = value[:20].decode("utf-8", "replace")
    return f"文件被拒绝：工作表（{name}）中有无法识别的单元格位置“{shown}”，请用Excel打开后另存为.xlsx再试"


def _check_grid(name: str, rows: int, cols: int, how: str, limits: Limits) -> None:
    if rows > limits.max_rows or cols > limits.max_cols or rows * cols > limits.max_cells:
        raise GuardError(
            f"文件被拒绝：工作表（{name}）{how}范围过大（{rows}行×{cols}列），"
            f"上限为{limits.max_cells}个单元格"
        )


def check_csv(path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a CSV larger than any real monthly report; raises GuardError."""
    size = path.stat().st_size
    if size > limits.max_csv_bytes:
        raise GuardError(
            f"文件被拒绝：CSV文件{size // MB}MB，超过上限{limits.max_csv_bytes // MB}MB"
        )
