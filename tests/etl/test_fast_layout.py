"""Workbooks whose XML is written unusually (a reader panic, an interrupt, a totals row in the
shared strings, rows out of order, a prefixed mergeCell, a sheet that is no worksheet or hidden
from one reading, a twin part, a malformed true/false cell): the fast path (etl.reading.fast) leaves
them to the usual way, or reads them exactly as it would.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

import etl.reading.fast
from etl.reading.parse import parse_file
from tests.etl.fixtures import PROGRESS_HEADER, assert_same_parse, write_workbook
from tests.etl.test_fast import (
    CLEAN,
    TITLE,
    both_ways,
    read_the_usual_way,
    rows,
)


def rewritten(path: Path, member: str, old: bytes, new: bytes) -> Path:
    out = path.with_name("rewritten.xlsx")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, data.replace(old, new) if info.filename == member else data)
    assert out.read_bytes() != path.read_bytes()
    return out


class ReaderPanic(BaseException):
    """What a Rust panic inside the reader arrives as (pyo3's PanicException)."""


def test_a_reader_panic_sends_the_file_the_usual_way(tmp_path, monkeypatch):
    path = write_workbook(tmp_path / "p.xlsx", CLEAN["header-in-row-1"])

    def panic(*args):
        raise ReaderPanic("called `Option::unwrap()` on a `None` value")

    monkeypatch.setattr(etl.reading.fast, "_load", panic)
    fast, _ = read_the_usual_way(path, monkeypatch)
    assert len(fast.progress) == 40


def test_an_interrupt_while_reading_the_fast_way_stops_the_load(tmp_path, monkeypatch):
    path = write_workbook(tmp_path / "i.xlsx", CLEAN["header-in-row-1"])

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(etl.reading.fast, "_load", interrupted)
    with pytest.raises(KeyboardInterrupt):
        parse_file(path)


@pytest.mark.parametrize("as_reference", [False, True], ids=["utf-8", "character-reference"])
def test_a_totals_row_sends_the_file_the_usual_way_before_any_fast_read(
    as_reference, tmp_path, monkeypatch
):
    """合计 in the shared-string table (where Excel keeps a workbook's text), also written as
    &#21512;&#35745;: the file goes the usual way at once, not after a fast read of every sheet."""
    import xlsxwriter

    body = [PROGRESS_HEADER, *rows(), ["", "", "合计", "", "", "", 1, 1]]
    path = tmp_path / "t.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("进度")
    for number, row in enumerate(body):
        sheet.write_row(number, 0, row)
    book.close()
    if as_reference:
        path = rewritten(path, "xl/sharedStrings.xml", "合计".encode(), b"&#21512;&#35745;")
    loads = []
    monkeypatch.setattr(etl.reading.fast, "_load", lambda *args: loads.append(args))
    fast, usual, taken = both_ways(path, monkeypatch)
    assert not taken and loads == []
    assert_same_parse(fast, usual)
    assert any("已跳过1个合计/小计/总计行" in notice for notice in fast.notices)


def edited(path: Path, member: str, edit) -> Path:
    """The workbook with one part passed through edit(bytes) -> bytes."""
    out = path.with_name("edited.xlsx")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, edit(data) if info.filename == member else data)
    return out


SHEET1 = "xl/worksheets/sheet1.xml"


def rows_in_order(xml: bytes, first: list[int]) -> bytes:
    """The sheet's <row> elements written with the rows `first` first, then the rest in order
    (a valid sheet: every cell carries its own reference)."""
    start, end = xml.index(b"<sheetData>") + len(b"<sheetData>"), xml.index(b"</sheetData>")
    elements = {
        int(m.group(1)): m.group(0)
        for m in re.finditer(rb'<row r="(\d+)".*?</row>', xml[start:end], re.S)
    }
    order = first + [n for n in sorted(elements) if n not in first]
    return xml[:start] + b"".join(elements[n] for n in order) + xml[end:]


def test_a_header_found_among_the_first_rows_counts_columns_as_the_sheet_does(
    tmp_path, monkeypatch
):
    """Column A empty down to the header (row 60, from column B) but used below it: the fields
    must not be read one column to the left."""
    header = [None, *PROGRESS_HEADER[:8]]
    body = [
        [2024, 6, "芜湖市", "13", "就业创业促进", f"指标{i}", 100 + i, 50 + i, 7] for i in range(10)
    ]
    sheet = [[None, TITLE[0]], *[[] for _ in range(58)], header, *body]
    fast, usual, taken = both_ways(
        write_workbook(tmp_path / "a.xlsx", {"进度": sheet}), monkeypatch
    )
    assert not taken
    assert_same_parse(fast, usual)
    assert usual.errors


@pytest.mark.parametrize(
    "spelling",
    [
        pytest.param(lambda xml: xml, id="as-written"),
        pytest.param(lambda xml: re.sub(rb' r="([A-Z]?)(\d{1,2})"', rb' r="\g<1>00\2"', xml),
                     id="leading-zeros"),
        pytest.param(lambda xml: xml.replace(b' r="', b'\nr="'), id="newline-before-r"),
    ],
)  # fmt: skip
def test_rows_written_out_of_order_keep_their_header(spelling, tmp_path, monkeypatch):
    """Header on row 3, repeated on row 10; row 61 and row 10 written before row 2 in the XML
    (the rows after them spelt as the reader still takes them): rows 4–9 must still be read."""
    data = rows(80)
    sheet = [TITLE, [], PROGRESS_HEADER, *data[:6], PROGRESS_HEADER, *data[6:]]
    path = write_workbook(tmp_path / "o.xlsx", {"进度": sheet})

    def reorder(xml: bytes) -> bytes:
        xml = rows_in_order(xml, [1, 10, 61])
        cut = xml.index(b'<row r="61"')
        after = xml.index(b"</row>", cut) + len(b"</row>")
        end = xml.index(b"</sheetData>")
        return xml[:after] + spelling(xml[after:end]) + xml[end:]

    path = edited(path, SHEET1, reorder)
    fast, _ = read_the_usual_way(path, monkeypatch)
    assert fast.progress["source_row"].tolist()[:7] == [4, 5, 6, 7, 8, 9, 11]


def test_two_sheets_of_one_name_are_read_the_usual_way(tmp_path, monkeypatch):
    path = write_workbook(
        tmp_path / "d.xlsx",
        {"进度": [PROGRESS_HEADER, *rows()], "进度2": [PROGRESS_HEADER, *rows()]},
    )
    path = edited(
        path, "xl/workbook.xml", lambda x: x.replace('"进度2"'.encode(), '"进度"'.encode())
    )
    read_the_usual_way(path, monkeypatch)


def test_merged_cells_written_with_a_prefix_are_filled_the_usual_way(tmp_path, monkeypatch):
    body = rows()
    for row in body[1:5]:
        row[9] = None
    path = write_workbook(
        tmp_path / "m.xlsx", {"进度": [PROGRESS_HEADER, *body]}, merged={"进度": ["J2:J6"]}
    )
    prefixed = (
        b'<x:mergeCells xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'count="1"><x:mergeCell ref="J2:J6"/></x:mergeCells>'
    )
    path = edited(
        path, SHEET1, lambda x: re.sub(rb"<mergeCells.*?</mergeCells>", prefixed, x, flags=re.S)
    )
    fast, _ = read_the_usual_way(path, monkeypatch)
    assert fast.progress["department"].tolist()[:5] == ["市人社局"] * 5


@pytest.mark.parametrize("kind", [b"chartsheet", b"dialogsheet"])
def test_a_sheet_whose_relationship_is_no_worksheet_is_left_to_the_usual_way(
    kind, tmp_path, monkeypatch
):
    path = write_workbook(tmp_path / "r.xlsx", {"进度": [PROGRESS_HEADER, *rows()]})
    path = edited(
        path,
        "xl/_rels/workbook.xml.rels",
        lambda x: x.replace(b"relationships/worksheet", b"relationships/" + kind, 1),
    )
    read_the_usual_way(path, monkeypatch)


def test_a_sheet_hidden_from_one_reading_of_the_workbook_part_is_left_to_the_usual_way(
    tmp_path, monkeypatch
):
    """A second sheet whose r:id prefix is bound to another namespace: the reader still lists it
    (and ignores it, with a notice)."""
    path = write_workbook(
        tmp_path / "n.xlsx", {"进度": [PROGRESS_HEADER, *rows()], "说明": [["填表说明"]]}
    )

    def rebind(xml: bytes) -> bytes:
        at = xml.rindex(b"<sheet ", 0, xml.index('name="说明"'.encode()))
        strict = b"http://purl.oclc.org/ooxml/officeDocument/relationships"
        return xml[:at] + xml[at:].replace(RELATIONSHIPS_NS, strict, 1)

    read_the_usual_way(edited(path, "xl/workbook.xml", rebind), monkeypatch)


RELATIONSHIPS_NS = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@pytest.mark.parametrize("twin", ["xl\\worksheets\\sheet1.xml", "XL/WORKSHEETS/SHEET1.XML"])
def test_a_twin_of_the_sheet_part_is_left_to_the_usual_way(twin, tmp_path, monkeypatch):
    """A second copy of the sheet part under a name the reader takes for the same part (with
    责任单位 merged in it): which copy is read is the reader's business, the usual way's."""
    body = rows(10)
    merged = write_workbook(
        tmp_path / "merged.xlsx", {"进度": [PROGRESS_HEADER, *body]}, merged={"进度": ["J2:J6"]}
    )
    with zipfile.ZipFile(merged) as source:
        merged_xml = source.read(SHEET1)
    path = write_workbook(tmp_path / "t.xlsx", {"进度": [PROGRESS_HEADER, *body]})
    out = tmp_path / "twin.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr(zipfile.ZipInfo(twin), merged_xml)
    read_the_usual_way(out, monkeypatch)


def test_a_malformed_true_false_cell_outside_the_table_is_left_to_the_usual_way(
    tmp_path, monkeypatch
):
    """<c t="b"><v>2</v></c> in a column not read, below the first rows: the two readers'
    calamine versions disagree on it (the usual way's refuses the sheet)."""
    path = write_workbook(tmp_path / "b.xlsx", {"进度": [PROGRESS_HEADER, *rows(80)]})
    path = edited(
        path,
        SHEET1,
        lambda x: x.replace(
            b'</row><row r="71"', b'<c r="M70" t="b"><v>2</v></c></row><row r="71"', 1
        ),
    )
    read_the_usual_way(path, monkeypatch)
