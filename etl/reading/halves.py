"""A large sheet read as two halves (大表分两半读取), so that its first half is checked while
python-calamine reads the second.

calamine reads a sheet whole: on a province's 8,000-row 进度 sheet that takes some 50 ms in
which the caller has nothing to check. The hostile-file guard has the sheet's XML unpacked
already; it is cut at a row boundary near the middle (never inside a merged range), and each
half, with the sheet's head and tail, goes into a small workbook (stored, not compressed)
beside the original's workbook, relationship, shared-string and style parts; the reader hands
it to calamine as a private temporary file (etl.reading.sheets).
Only sheets the guard found plain are cut: every row and cell carries its own reference, so a
half places its cells where the whole sheet would. The reader checks that each half's cells lie
on its side of the cut (etl.reading.sheets) and reads the sheet whole when they do not, and a first half
without the header is checked together with the second (etl.reading.parse).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from defusedxml import ElementTree

from etl.reading.guards import WORKBOOK_RELS, part_path, unpack

SPLIT_MIN_BYTES = 1_000_000  # unpacked sheet XML (about 3,000 rows): smaller is read whole
WORKBOOK = "xl/workbook.xml"
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_ROW_START = re.compile(rb'<row r="(\d+)"')
_MERGED = re.compile(rb'<mergeCell ref="[A-Z]{1,3}(\d+)(?::[A-Z]{1,3}(\d+))?"')


@dataclass(frozen=True)
class Halves:
    """A sheet's rows before and from `second_row`, each to be read as an .xlsx in memory."""

    member: str  # the sheet's zip member
    first_xml: bytes
    second_xml: bytes
    second_row: int  # 1-based spreadsheet row where the second half starts
    parts: dict[str, bytes]  # the workbook's other parts, the same for both halves

    def workbook(self, second: bool) -> bytes:
        """One half as an .xlsx (stored, not compressed: calamine has nothing to unpack)."""
        xml = self.second_xml if second else self.first_xml
        return one_sheet_workbook(self.member, xml, self.parts)


def one_sheet_workbook(member: str, xml: bytes, parts: dict[str, bytes]) -> bytes:
    """An .xlsx of the workbook's other parts (other_parts) and one sheet part, stored."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
        out.writestr(member, xml)
    return buffer.getvalue()


def sheet_parts(parts: dict[str, bytes]) -> dict[str, str]:
    """Sheet name → its zip member, from the workbook part and its relationships (`parts`:
    other_parts)."""
    return {name: part_path(target) for name, _, target in sheet_entries(parts)}


def sheet_entries(parts: dict[str, bytes]) -> list[tuple[str, str, str]]:
    """(name, relationship type, target as the relationship gives it) of each sheet, in the
    workbook's order; [] when the parts cannot be read (an unusual layout is read whole)."""
    try:
        book = ElementTree.fromstring(parts[WORKBOOK])
        rels = ElementTree.fromstring(parts[WORKBOOK_RELS])
    except Exception:  # noqa: BLE001
        return []
    relationships = {
        rel.get("Id"): (rel.get("Type", ""), rel.get("Target", ""))
        for rel in rels.iter(f"{_RELS}Relationship")
    }
    return [
        (sheet.get("name"), *relationships[sheet.get(_REL_ID)])
        for sheet in book.iter(f"{_MAIN}sheet")
        if sheet.get(_REL_ID) in relationships
    ]


def worth_cutting(xml: bytes) -> bool:
    return len(xml) >= SPLIT_MIN_BYTES


def other_parts(archive: zipfile.ZipFile) -> dict[str, bytes]:
    """The parts every half needs besides its sheet: workbook, relationships, shared strings,
    styles (other sheets, drawings and images are not needed to read one sheet)."""
    return {
        info.filename: unpack(archive, info)
        for info in archive.infolist()
        if not info.filename.startswith("xl/worksheets/")
        and info.filename.endswith((".xml", ".rels"))
    }


def split(member: str, xml: bytes, parts: dict[str, bytes]) -> Halves | None:
    """The sheet `member` (its plain XML as the guard saw it) as two halves, or None when it
    has no row boundary to cut at outside its merged ranges. `parts`: other_parts."""
    data = xml.find(b"<sheetData>")
    end = xml.rfind(b"</sheetData>")
    if data < 0 or end < data:
        return None
    data += len(b"<sheetData>")
    # (first row, last row) of each merged range, 1-based; one written otherwise: read whole
    merged = [(int(top), int(bottom or top)) for top, bottom in _MERGED.findall(xml, end)]
    if len(merged) != xml.count(b"<mergeCell ", end):
        return None
    for row in _ROW_START.finditer(xml, data + (end - data) // 2, end):
        number = int(row.group(1))
        if any(top < number <= bottom for top, bottom in merged):
            continue  # the cut would part a merged range: try the next row
        cut, tail = row.start(), xml[end:]
        return Halves(member, xml[:cut] + tail, xml[:data] + xml[cut:end] + tail, number, parts)
    return None
