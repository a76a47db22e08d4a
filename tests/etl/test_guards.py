"""Hostile workbooks are refused before parsing, with a clear error and no crash or hang."""

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from etl.reading.guards import GuardError, Limits, check_workbook, column_number
from etl.reading.parse import parse_file
from tests.etl.fixtures import PROGRESS_HEADER, progress_row, write_csv, write_workbook

SHEET = "xl/worksheets/sheet1.xml"
REPO_ROOT = Path(__file__).resolve().parents[2]


def rewrite_sheet(path, edit):
    """Copy a workbook, passing sheet1's XML through edit(bytes) -> bytes."""
    out = path.with_name("hostile.xlsx")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info.filename, edit(data) if info.filename == SHEET else data)
    return out


@pytest.fixture
def workbook(tmp_path):
    return write_workbook(tmp_path / "r.xlsx", {"进度": [PROGRESS_HEADER, progress_row()]})


def errors(path, **limits):
    return [str(e) for e in parse_file(path, limits=Limits(**limits)).errors]


def test_ordinary_workbook_passes(workbook):
    check_workbook(workbook)
    assert parse_file(workbook).errors == []


def test_too_many_members(workbook):
    assert errors(workbook, max_members=5) == [
        "r.xlsx:-:-:-: 文件被拒绝：压缩包内文件过多（9个，上限5个）"
    ]


def zip_with_member(path, size):
    chunk = b"\0" * (1024 * 1024)
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/sharedStrings.xml", "w") as member,
    ):
        for _ in range(size // len(chunk)):
            member.write(chunk)
    return path


def test_compression_bomb_refused(tmp_path):
    path = zip_with_member(tmp_path / "bomb.xlsx", 4 * 1024 * 1024)
    [error] = errors(path)
    assert error.startswith("bomb.xlsx:-:-:-: 文件被拒绝：“xl/sharedStrings.xml”压缩比异常")


def test_member_too_large_refused(tmp_path):
    path = zip_with_member(tmp_path / "big.xlsx", 3 * 1024 * 1024)
    assert errors(path, max_member_bytes=2 * 1024 * 1024, max_ratio=1e9) == [
        "big.xlsx:-:-:-: 文件被拒绝：“xl/sharedStrings.xml”解压后3MB，超过上限2MB"
    ]


def test_total_too_large_refused(tmp_path):
    path = zip_with_member(tmp_path / "big.xlsx", 3 * 1024 * 1024)
    assert errors(path, max_total_bytes=2 * 1024 * 1024, max_ratio=1e9) == [
        "big.xlsx:-:-:-: 文件被拒绝：解压后共3MB，超过上限2MB"
    ]


def test_enormous_declared_dimension_refused(workbook):
    def declare_huge(xml):
        return re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml)

    assert errors(rewrite_sheet(workbook, declare_huge)) == [
        "hostile.xlsx:-:-:-: 文件被拒绝：工作表（sheet1.xml）声明的范围过大（1048576行×16384列），"
        "上限为5000000个单元格"
    ]


def test_far_cell_behind_a_small_dimension_refused(workbook):
    """One cell at XFD1048576 would make the reader allocate 17 billion cells and abort."""

    def far_cell(xml):
        xml = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:K2"', xml)
        far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        return xml.replace(b"</sheetData>", far + b"</sheetData>")

    assert errors(rewrite_sheet(workbook, far_cell)) == [
        "hostile.xlsx:-:-:-: 文件被拒绝：工作表（sheet1.xml）实际范围过大（1048576行×16384列），"
        "上限为5000000个单元格"
    ]


def test_cells_without_references_are_counted(workbook):
    def wide_row(xml):
        xml = re.sub(rb"<dimension [^>]*>", b"", xml)
        cells = b"<c><v>1</v></c>" * 300
        return xml.replace(b"</sheetData>", b'<row r="90000">' + cells + b"</row></sheetData>")

    [error] = errors(rewrite_sheet(workbook, wide_row))
    assert error.endswith("实际范围过大（90000行×300列），上限为5000000个单元格")


@pytest.mark.parametrize(
    ("ref", "number"), [(b"A", 1), (b"Z", 26), (b"AA", 27), (b"K", 11), (b"XFD", 16384)]
)
def test_column_numbers(ref, number):
    assert column_number(ref) == number


def test_corrupt_member_data_refused(workbook):
    data = bytearray(workbook.read_bytes())
    with zipfile.ZipFile(workbook) as archive:
        info = archive.getinfo(SHEET)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + 10 : start + 40] = b"\xff" * 30
    workbook.write_bytes(bytes(data))
    [error] = errors(workbook)
    assert error.startswith("r.xlsx:-:-:-: 无法读取：")


def test_encrypted_member_refused(tmp_path, workbook):
    data = bytearray(workbook.read_bytes())
    central = data.rfind(b"PK\x01\x02")  # a central directory entry: set its encrypted bit
    data[central + 8] |= 0x1
    path = tmp_path / "locked.xlsx"
    path.write_bytes(bytes(data))
    with pytest.raises(GuardError, match="已加密"):
        check_workbook(path)


def test_large_csv_refused(tmp_path):
    path = write_csv(tmp_path / "进度.csv", [PROGRESS_HEADER, progress_row()])
    [error] = errors(path, max_csv_bytes=10)
    assert error.startswith("进度.csv:-:-:-: 文件被拒绝：CSV文件")


def test_sheet_stored_under_another_name_is_checked_too(workbook):
    """The reader follows workbook.xml.rels, so a sheet moved to xl/data/x.xml is scanned."""
    moved = workbook.with_name("moved.xlsx")
    far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(moved, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            name = info.filename
            if name == SHEET:
                name, data = "xl/data/x.xml", data.replace(b"</sheetData>", far)
            elif name == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"/xl/worksheets/sheet1.xml", b"/xl/data/x.xml").replace(
                    b'"worksheets/sheet1.xml"', b'"data/x.xml"'
                )
            target.writestr(name, data)
    [error] = errors(moved)
    assert "工作表（x.xml）实际范围过大（1048576行×16384列）" in error


MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def add_rows(xml: bytes, rows: bytes) -> bytes:
    xml = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:K2"', xml)
    return xml.replace(b"</sheetData>", rows + b"</sheetData>")


@pytest.mark.parametrize(
    ("rows", "extent"),
    [
        # the reference is not the cell's first attribute: the fast scan must not trust it
        (b'<row r="1048576"><c t="n" r="XFD1048576"><v>1</v></c></row>', "1048576行×16384列"),
        # two spaces before r=
        (b'<row r="1048576"><c  r="XFD1048576"><v>1</v></c></row>', "1048576行×16384列"),
        # cells placed by their position after a referenced one: 61 columns on row 99999
        (b'<row r="99999"><c r="A99999"><v>1</v></c>' + b"<c/>" * 60 + b"</row>", "99999行×61列"),
        # a row without r= continues after the last one
        (b'<row r="99999"><c r="A99999"/></row><row>' + b"<c><v>1</v></c>" * 60 + b"</row>",
         "100000行×60列"),
        # the reader takes lower-case references, other quotes and spacing, and prefixed tags
        (b'<row r="9"><c r="xfd1048576"><v>1</v></c></row>', "1048576行×16384列"),
        (b'<row r="9"><c r="Xfd1048576"><v>1</v></c></row>', "1048576行×16384列"),
        (b"<row r='9'><c r='XFD1048576'><v>1</v></c></row>", "1048576行×16384列"),
        (b'<row r="9"><c r = "XFD1048576"><v>1</v></c></row>', "1048576行×16384列"),
        (b'<row r="9"><x:c xmlns:x="' + MAIN_NS + b'" r="XFD1048576"><x:v>1</x:v></x:c></row>',
         "1048576行×16384列"),
        (b'<x:row xmlns:x="' + MAIN_NS + b'" r="1048576"><x:c r="XFD9"><x:v>1</x:v></x:c>'
         b"</x:row>", "1048576行×16384列"),
    ],
)  # fmt: skip
def test_hidden_far_cells_are_found(workbook, rows, extent):
    [error] = errors(rewrite_sheet(workbook, lambda xml: add_rows(xml, rows)))
    assert error.endswith(f"实际范围过大（{extent}），上限为5000000个单元格")


@pytest.mark.parametrize("ref", [b"&#88;FD1048576", b"XFD$1048576", b"A1:XFD1048576", b""])
def test_cell_reference_the_guard_cannot_read_is_refused(workbook, ref):
    rows = b'<row r="9"><c r="' + ref + b'"><v>1</v></c></row>'
    [error] = errors(rewrite_sheet(workbook, lambda xml: add_rows(xml, rows)))
    assert "中有无法识别的单元格位置" in error and "请用Excel打开后另存为.xlsx再试" in error


def patch_central_entry(path, member, edit):
    """Rewrite the central-directory entry of `member` in place: edit(fields) -> fields, where
    fields is a dict with crc, compressed and size (what a reader trusts before unpacking)."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    at = data.index(b"PK\x01\x02")
    while data[at + 46 : at + 46 + len(name)] != name:
        at = data.index(b"PK\x01\x02", at + 4)
    crc, compressed, size = (
        int.from_bytes(data[at + o : at + o + 4], "little") for o in (16, 20, 24)
    )
    fields = edit({"crc": crc, "compressed": compressed, "size": size})
    for offset, key in ((16, "crc"), (20, "compressed"), (24, "size")):
        data[at + offset : at + offset + 4] = fields[key].to_bytes(4, "little")
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(
    "lie",
    [
        pytest.param(lambda f: f | {"size": f["size"] // 2}, id="unpacks-to-more-than-declared"),
        pytest.param(lambda f: f | {"size": f["size"] * 2}, id="unpacks-to-less-than-declared"),
        pytest.param(lambda f: f | {"crc": f["crc"] ^ 1}, id="checksum-wrong"),
    ],
)
def test_sheet_whose_zip_entry_lies_is_refused(workbook, lie):
    """The guard unpacks a sheet itself (etl.reading.guards.unpack): a declared size or checksum that
    does not match the data refuses the file, as Python's own zip reader would."""
    path = patch_central_entry(workbook, SHEET, lie)
    assert errors(path) == ["r.xlsx:-:-:-: 无法读取：工作簿已损坏（压缩数据校验失败）"]


FAR_ROW = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'


def errors_in_a_child(path) -> list[str]:
    """parse_file in another process: a guard that misses a far cell lets the reader abort the
    whole process (python-calamine allocates the grid), which must fail this test, not the run."""
    code = (
        "import json, sys; from etl.reading.parse import parse_file; "
        "print(json.dumps([str(e) for e in parse_file(sys.argv[1]).errors]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, cwd=REPO_ROOT
    )
    assert done.returncode == 0, f"the reader crashed the process: {done.stderr[-300:]}"
    return json.loads(done.stdout.strip().splitlines()[-1])


def move_sheet(path, new_name: str, target: bytes | None = None):
    """sheet1 (with a far cell) stored as `new_name`; the relationship's Target replaced by
    `target` when given (b'"worksheets/sheet1.xml"' → target, quotes included)."""
    out = path.with_name("moved.xlsx")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            data, name = source.read(info), info.filename
            if name == SHEET:
                name, data = new_name, data.replace(b"</sheetData>", FAR_ROW)
            elif name == "xl/_rels/workbook.xml.rels" and target is not None:
                data = re.sub(rb'Target="/?(xl/)?worksheets/sheet1.xml"', b"Target=" + target, data)
            archive.writestr(name, data)
    return out


@pytest.mark.parametrize(
    ("member", "target"),
    [
        # the reader finds parts by name without regard to case
        ("XL/WORKSHEETS/SHEET1.XML", None),
        ("xl/Worksheets/Sheet1.xml", None),
        # … and does not resolve "./" or "../" in a relationship's Target
        ("xl/worksheets/./sheet1.xml", b'"worksheets/./sheet1.xml"'),
        ("xl/worksheets/../worksheets/sheet1.xml", b'"/xl/worksheets/../worksheets/sheet1.xml"'),
        # a Target in single quotes
        ("xl/worksheets/a/sheet1.xml", b"'worksheets/a/sheet1.xml'"),
    ],
)
def test_sheet_part_under_a_name_the_reader_still_finds_is_checked(workbook, member, target):
    [error] = errors_in_a_child(move_sheet(workbook, member, target))
    assert error.endswith("实际范围过大（1048576行×16384列），上限为5000000个单元格")


def with_shared_strings(path, opening: bytes, name: str = "xl/sharedStrings.xml"):
    """A copy of `path` whose shared-string table (three strings) opens with `opening`."""
    out = path.with_name("strings.xlsx")
    table = opening + b"<si><t>a</t></si><si><t>b</t></si><si><t>c</t></si></sst>"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info))
        archive.writestr(name, table)
    return out


SST = b'<sst xmlns="' + MAIN_NS + b'" '


@pytest.mark.parametrize(
    ("opening", "name"),
    [
        (SST + b'count="3" uniqueCount="4000000000">', "xl/sharedStrings.xml"),
        (SST + b"uniqueCount = '+4000000000'>", "xl/sharedStrings.xml"),
        (SST + b'uniqueCount="4000000000">', "XL/SHAREDSTRINGS.XML"),  # found in any case
    ],
)
def test_shared_string_table_declaring_billions_is_refused(workbook, opening, name):
    """The reader reserves room for the declared number of strings first (96 GB here)."""
    [error] = errors_in_a_child(with_shared_strings(workbook, opening, name))
    assert "文件被拒绝：共享字符串表声明有4000000000个字符串" in error


def test_shared_string_count_a_little_off_is_accepted(workbook):
    # generators miscount now and then; only a count the table cannot hold is a forgery
    path = with_shared_strings(workbook, SST + b'count="9" uniqueCount="20">')
    assert errors(path) == []


def test_a_calculation_chain_with_far_cells_is_not_taken_for_a_sheet(workbook):
    """Parts of other kinds (here Excel's list of formula cells, which may reach far beyond any
    one sheet's used range) are not sheets: they must not refuse a good workbook."""
    out = workbook.with_name("formulas.xlsx")
    chain = b'<calcChain xmlns="' + MAIN_NS + b'"><c r="AZ900000" i="1"/></calcChain>'
    relationship = (
        b'<Relationship Id="rId99" Target="calcChain.xml" Type="http://schemas.openxmlformats.org'
        b'/officeDocument/2006/relationships/calcChain"/></Relationships>'
    )
    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", relationship)
            archive.writestr(info.filename, data)
        archive.writestr("xl/calcChain.xml", chain)
    assert errors(out) == []


def test_a_reference_written_as_text_after_a_bare_tag_is_no_reference(workbook):
    """`<c>r="A1"…` is a cell without a reference (placed by its position) followed by text:
    61 of them on row 99999 make a grid of 6.1 million cells."""
    cells = b'<c>r="A1"<v>1</v></c>' * 61
    rows = b'<row r="99999">' + cells + b"</row>"
    [error] = errors(rewrite_sheet(workbook, lambda xml: add_rows(xml, rows)))
    assert error.endswith("实际范围过大（99999行×61列），上限为5000000个单元格")


@pytest.mark.parametrize(
    "twin",
    ["xl\\worksheets\\sheet1.xml", "xl/worksheets\\sheet1.xml", "XL\\WORKSHEETS\\SHEET1.XML"],
)
def test_a_sheet_part_named_with_backslashes_is_checked(workbook, twin):
    """The reader reads `\\` in a part's name as `/`: a second copy of the first sheet under such
    a name, with a far cell, is the sheet it reads."""
    out = workbook.with_name("twin.xlsx")
    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            data = source.read(info)
            archive.writestr(info.filename, data)
            if info.filename == SHEET:
                archive.writestr(zipfile.ZipInfo(twin), data.replace(b"</sheetData>", FAR_ROW))
    [error] = errors_in_a_child(out)
    assert error.endswith("实际范围过大（1048576行×16384列），上限为5000000个单元格")
