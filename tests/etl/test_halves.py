"""A large sheet read as two halves (etl.reading.halves) gives exactly what reading it whole gives: the
same rows, values, errors, warnings and notices, whatever sits around the cut."""

from __future__ import annotations

import re
import tempfile
import zipfile

import openpyxl
import pytest
import python_calamine
from openpyxl.styles import Font

import etl.reading.fast
import etl.reading.halves
import etl.reading.sheets
from etl.reading.parse import parse_file
from tests.etl.fixtures import (
    FUNDING_HEADER,
    PROGRESS_HEADER,
    assert_same_parse,
    progress_row,
    write_workbook,
)


@pytest.fixture(autouse=True)
def usual_way(monkeypatch):
    """These files are clean enough for the fast path (etl.reading.fast): read them the usual way,
    whose halves are what is tested here."""
    monkeypatch.setattr(etl.reading.fast, "ENABLED", False)


SMALL = 20_000  # bytes of sheet XML from which a sheet is cut, for files of a few hundred rows
WHOLE = 10**12


def messy_rows(n: int) -> list[list]:
    """Title, header, then n rows with what a clerk's file holds: totals rows, a blank row, a
    repeated header, bad cells and warnings in both halves, and footer lines at the end."""
    rows: list[list] = [["某市2020年民生工程6月份进度表"], PROGRESS_HEADER]
    for i in range(n):
        region = f"地区{i // 40:02d}"
        row = progress_row(indicator=f"指标{i}", region=region, target=100 + i, actual=50 + i)
        if i % 97 == 13:
            row = progress_row(indicator=f"指标{i}", region=region, actual=-1)  # error
        if i % 89 == 7:
            row = progress_row(indicator=f"指标{i}", region=region, target=10, actual=99)  # 990%
        rows.append(row)
        if i % 150 == 149:
            rows.append(["", "", region, "合计", "", "", 1000, 500])  # a subtotal
        if i == n // 3:
            rows.append([])
        if i == 2 * n // 3:
            rows.append(PROGRESS_HEADER)  # a printed page's header copied in
    rows += [[], ["填报人：张三", None, "审核人：李四"]]
    return rows


def parse_both_ways(path, monkeypatch):
    """parse_file cut at SMALL, then whole; also whether a second half was really read."""
    seen_parts = []
    make_sheet = etl.reading.sheets.RawSheet.__init__

    def spy(self, *args, **kwargs):
        make_sheet(self, *args, **kwargs)
        seen_parts.append(self.part)

    monkeypatch.setattr(etl.reading.sheets.RawSheet, "__init__", spy)
    monkeypatch.setattr(etl.reading.halves, "SPLIT_MIN_BYTES", SMALL)
    cut = parse_file(path)
    monkeypatch.setattr(etl.reading.halves, "SPLIT_MIN_BYTES", WHOLE)
    whole = parse_file(path)
    return cut, whole, seen_parts


def test_messy_sheet_cut_in_two_reads_as_a_whole(tmp_path, monkeypatch):
    path = write_workbook(tmp_path / "r.xlsx", {"进度": messy_rows(700)})
    cut, whole, parts = parse_both_ways(path, monkeypatch)
    assert 2 in parts  # the sheet was read as two halves
    assert_same_parse(cut, whole)
    # the file as a clerk sees it: errors and warnings from both halves, subtotals skipped
    assert len(cut.errors) == 8 and cut.errors[-1].row > 500
    assert len(cut.warnings) == 8
    assert any("已跳过4个合计/小计/总计行" in notice for notice in cut.notices)
    assert cut.progress["indicator"].tolist() == [f"指标{i}" for i in range(700)]


def test_cut_moves_past_a_merged_range_across_the_middle(tmp_path, monkeypatch):
    rows = [PROGRESS_HEADER, *(progress_row(indicator=f"指标{i}") for i in range(600))]
    # 地区 merged down rows 250–350, around the middle: cut inside it, the lower half would
    # not know the region
    # not know the region; another range lies wholly in the lower half
    for row in [*rows[250:351], *rows[451:471]]:
        row[2] = None
    rows[249][2], rows[450][2] = "铜官区", "义安区"
    merged = {"进度": ["C250:C351", "C451:C471"]}
    path = write_workbook(tmp_path / "m.xlsx", {"进度": rows}, merged=merged)
    cut, whole, parts = parse_both_ways(path, monkeypatch)
    assert 2 in parts
    assert_same_parse(cut, whole)
    regions = cut.progress["region"].tolist()
    assert regions[248:350] == ["铜官区"] * 102 and regions[449:470] == ["义安区"] * 21
    assert cut.errors == []


def test_small_sheets_beside_a_cut_one_keep_the_workbook_order(tmp_path, monkeypatch):
    sheets = {
        "资金": [FUNDING_HEADER, [2020, 6, "芜湖市", "13", "就业创业促进", -1, 80, 60]],
        "进度": messy_rows(600),
        "进度(续)": [PROGRESS_HEADER, progress_row(indicator="续表", target=0)],
    }
    path = write_workbook(tmp_path / "r.xlsx", sheets)
    cut, whole, parts = parse_both_ways(path, monkeypatch)
    assert 2 in parts
    assert_same_parse(cut, whole)
    sheets_of_errors = [f.sheet for f in cut.errors]
    assert sheets_of_errors[0] == "资金" and sheets_of_errors[-1] == "进度(续)"


def test_a_sheet_below_the_size_is_read_whole(tmp_path, monkeypatch):
    rows = [PROGRESS_HEADER, *(progress_row(indicator=f"指标{i}") for i in range(20))]
    path = write_workbook(tmp_path / "s.xlsx", {"进度": rows})
    cut, whole, parts = parse_both_ways(path, monkeypatch)
    assert 2 not in parts
    assert_same_parse(cut, whole)


def test_header_below_the_cut_reads_as_one_sheet(tmp_path, monkeypatch):
    # 50 wide rows of figures above the table (the header is row 51, still found when the
    # sheet is read whole): the cut falls among them, and the first half has no header
    rows = [[f"说明{i}", *range(1000, 1025)] for i in range(50)]
    rows += [PROGRESS_HEADER, *(progress_row(indicator=f"指标{i}") for i in range(30))]
    path = write_workbook(tmp_path / "n.xlsx", {"进度": rows})
    cut, whole, parts = parse_both_ways(path, monkeypatch)
    assert 2 in parts
    assert_same_parse(cut, whole)
    assert cut.errors == [] and len(cut.progress) == 30


def test_lower_half_of_only_formatted_empty_rows(tmp_path, monkeypatch):
    # Excel keeps rows that were only formatted: the cut may fall where no cell has a value
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "进度"
    sheet.append(PROGRESS_HEADER)
    for i in range(100):
        sheet.append(progress_row(indicator=f"指标{i}"))
    for row in range(102, 1500):
        for column in range(1, 12):
            sheet.cell(row=row, column=column).font = Font(bold=True)
    path = tmp_path / "f.xlsx"
    workbook.save(path)
    cut, whole, parts = parse_both_ways(path, monkeypatch)
    assert 2 in parts
    assert_same_parse(cut, whole)
    assert cut.errors == [] and len(cut.progress) == 100


def test_a_cell_written_on_the_other_side_of_the_cut_reads_the_sheet_whole(tmp_path, monkeypatch):
    # a cell of row 850 written inside row 5: each half alone would place it apart from its row
    rows = [PROGRESS_HEADER, *(progress_row(indicator=f"指标{i}") for i in range(900))]
    source = write_workbook(tmp_path / "src.xlsx", {"进度": rows})
    path = tmp_path / "moved.xlsx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                cell = re.search(rb'<c r="B850"[^>]*>.*?</c>', data).group(0)
                data = data.replace(cell, b"")
                row5_end = data.index(b"</row>", data.index(b'<row r="5"'))
                data = data[:row5_end] + b'<c r="B850"><v>13</v></c>' + data[row5_end:]
            zout.writestr(info.filename, data)
    fits = []
    check_fit = etl.reading.sheets._fits
    monkeypatch.setattr(
        etl.reading.sheets, "_fits", lambda *args: fits.append(check_fit(*args)) or fits[-1]
    )
    cut, whole, _ = parse_both_ways(path, monkeypatch)
    assert False in fits  # a half was read, did not fit, and the sheet was read whole
    assert_same_parse(cut, whole)
    assert [str(f) for f in cut.errors] == [
        "moved.xlsx:进度:850:月份: 月份应为1到12之间的整数，实际为“13”"
    ]


def test_the_halves_leave_no_file_behind(tmp_path, monkeypatch):
    """Each half goes to calamine as a private temporary file: none is left once the file is
    read, nor when a half cannot be opened (the file is refused, the other half cancelled)."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setattr(etl.reading.halves, "SPLIT_MIN_BYTES", SMALL)
    real_open = python_calamine.CalamineWorkbook.from_path
    opened, broken = [], []

    def open_workbook(path):
        if path.startswith(str(scratch)):
            opened.append(path)
            if broken:
                raise python_calamine.CalamineError("damaged")
        return real_open(path)

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", open_workbook)
    path = write_workbook(tmp_path / "r.xlsx", {"进度": messy_rows(600)})
    read = parse_file(path)
    assert len(read.progress) == 600  # both halves read (its bad cells are the fixture's)
    assert len(opened) == 2 and list(scratch.iterdir()) == []
    broken.append(True)
    refused = parse_file(path)
    assert [e.message for e in refused.errors] == ["无法读取工作表“进度”：文件已损坏"]
    assert list(scratch.iterdir()) == []


def test_without_a_writable_temporary_folder_the_halves_are_read_from_memory(tmp_path, monkeypatch):
    def no_folder(*args, **kwargs):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", no_folder)
    path = write_workbook(tmp_path / "r.xlsx", {"进度": messy_rows(600)})
    cut, whole, parts = parse_both_ways(path, monkeypatch)
    assert 2 in parts
    assert_same_parse(cut, whole)
