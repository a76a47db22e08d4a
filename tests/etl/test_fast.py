"""The clean-file fast path (etl.fast) gives exactly what the usual way gives, and leaves every
file that needs repair or reporting to the usual way.

Each workbook is parsed twice, fast path on and off: errors, warnings, notices and tables must
be equal. The cases are what clerks' files hold (title rows, columns in another order, codes as
numbers, 12-1 sub-projects, 万元/元 headers, warnings) and what must send a file the usual way
(spaces around text, 合计 rows, footers, blank rows, merged cells, mixed cells, duplicates).
A 考评 or 序时计划 sheet beside 进度/资金 is read the usual way while those two are read fast.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

import etl.fast
from etl.parse import parse_file
from tests.etl.fixtures import (
    FUNDING_HEADER,
    PROGRESS_HEADER,
    assert_same_parse,
    progress_row,
    write_workbook,
)

REPO = Path(__file__).resolve().parents[2]
TITLE = ["某市2024年民生工程6月份进度表"]
SCORES_HEADER = ["年份", "月份", "对象类型", "对象名称", "得分", "加扣分", "说明"]


def funding_row(region="芜湖市", code="13", budget=500.0, arrived=400.0, paid=300.0, **kw):
    return [kw.get("year", 2024), kw.get("month", 6), region, code, "就业创业促进",
            budget, arrived, paid]  # fmt: skip


def rows(n: int = 40, **changes) -> list[list]:
    """n clean 进度 rows (distinct indicators); `changes` maps a row position to a new row."""
    made = [
        progress_row(indicator=f"指标{i}", target=100 + i, actual=50 + i, year=2024)
        for i in range(n)
    ]
    for position, row in changes.items():
        made[int(position.lstrip("r"))] = row
    return made


def both_ways(path: Path, monkeypatch) -> tuple[object, object, bool]:
    """parse_file with the fast path, then without; and whether the fast path took the file."""
    taken = []
    read_clean = etl.fast.read_clean

    def spy(*args, **kwargs):
        result = read_clean(*args, **kwargs)
        taken.append(result is not None)
        return result

    monkeypatch.setattr(etl.fast, "read_clean", spy)
    fast = parse_file(path)
    monkeypatch.setattr(etl.fast, "ENABLED", False)
    usual = parse_file(path)
    monkeypatch.setattr(etl.fast, "ENABLED", True)
    return fast, usual, bool(taken and taken[0])


def read_the_usual_way(path: Path, monkeypatch) -> tuple[object, object]:
    """Both ways, asserting the fast path left the file to the usual way with the same result."""
    fast, usual, taken = both_ways(path, monkeypatch)
    assert not taken
    assert_same_parse(fast, usual)
    return fast, usual


def reordered(header: list, body: list[list], order: list[int]) -> list[list]:
    return [[row[i] if i < len(row) else None for i in order] for row in [header, *body]]


PROGRESS_ORDER = list(range(11))
SHUFFLED = [0, 1, 2, 3, 4, 5, 8, 6, 7, 10, 9]  # 年份 still first
NO_OPTIONAL = list(range(8))  # 计量单位, 责任单位, 类别 left out

CLEAN = {
    "header-in-row-1": {"进度": [PROGRESS_HEADER, *rows()]},
    "title-rows-above": {"进度": [TITLE, [], ["单位：个"], PROGRESS_HEADER, *rows()]},
    "columns-in-another-order": {"进度": reordered(PROGRESS_HEADER, rows(), SHUFFLED)},
    "no-optional-columns": {"进度": reordered(PROGRESS_HEADER, rows(), NO_OPTIONAL)},
    "codes-as-numbers": {
        "进度": [PROGRESS_HEADER, *[[*r[:3], 13, *r[4:]] for r in rows()]],
    },
    "sub-project-codes": {
        "进度": [
            PROGRESS_HEADER,
            *[[*r[:3], f"12-{i % 3 + 1}", *r[4:]] for i, r in enumerate(rows())],
        ],
    },
    "leading-zero-codes-kept": {
        "进度": [PROGRESS_HEADER, *[[*r[:3], "013", *r[4:]] for r in rows()]]
    },
    "empty-optional-cells": {
        "进度": [
            PROGRESS_HEADER,
            *rows(
                r3=progress_row(indicator="x", unit=None, department=None, category=None, year=2024)
            ),
        ],
    },  # fmt: skip
    "warnings-above-300-percent": {
        "进度": [
            PROGRESS_HEADER,
            *rows(r5=progress_row(indicator="高", target=10, actual=99, year=2024)),
        ],
    },
    "project-name-with-ji": {
        "进度": [
            PROGRESS_HEADER,
            *rows(r2=progress_row(indicator="奖扶", name="计划生育家庭奖励扶助", year=2024)),
        ],
    },  # fmt: skip
    "chinese-punctuation-and-units-in-names": {
        "进度": [
            PROGRESS_HEADER,
            *rows(
                r2=progress_row(indicator="改造（二期）“四好”", unit="㎡", year=2024),
                r3=progress_row(indicator="供水·排水—管网", unit="m³", year=2024),
            ),
        ],
    },
    "funding-in-wan-yuan": {
        "进度": [PROGRESS_HEADER, *rows()],
        "资金": [FUNDING_HEADER, *[funding_row(region=f"地区{i}") for i in range(30)]],
    },
    "funding-in-yuan-with-a-warning": {
        "资金": [
            [
                "年份",
                "月份",
                "地区",
                "项目编号",
                "项目名称",
                "计划投入（元）",
                "到位资金（元）",
                "拨付资金（元）",
            ],
            *[funding_row(region=f"地区{i}", budget=5e6, arrived=4e6, paid=3e6) for i in range(9)],
            funding_row(region="超拨县", budget=5e6, arrived=1e6, paid=2e6),
        ],
    },  # fmt: skip
    # a province's month: 考评 (read the usual way) beside 进度 and 资金 (read the fast way)
    "a-scores-sheet-beside-progress-and-funding": {
        "进度": [PROGRESS_HEADER, *rows()],
        "资金": [FUNDING_HEADER, funding_row()],
        "考评": [SCORES_HEADER, [2024, 6, "县区", "东湖区", 90, 1, "按时报送"]],
    },
    "a-scores-sheet-first-and-warnings-after-it": {
        "考评": [SCORES_HEADER, [2024, 6, "县区", "东湖区", 90, None, None]],
        "资金": [FUNDING_HEADER, funding_row(region="超拨县", arrived=100.0, paid=200.0)],
        "进度": [
            PROGRESS_HEADER,
            *rows(r3=progress_row(indicator="x", target=10, actual=50, year=2024)),
        ],
        "序时计划": [
            ["年份", "项目编号", *[f"{m}月" for m in range(1, 13)]],
            [2024, "13", *range(5, 65, 5)],
        ],
    },
    "an-ignored-sheet": {"进度": [PROGRESS_HEADER, *rows()], "说明": [["本表说明"]]},
}

USUAL = {
    "spaces-around-a-region": {"进度": [PROGRESS_HEADER, *rows(r4=progress_row(
        indicator="x", region=" 芜湖市", year=2024))]},
    "full-width-space-after-a-name": {"进度": [PROGRESS_HEADER, *rows(r4=progress_row(
        indicator="x", name="就业创业促进\u3000", year=2024))]},
    "totals-row": {"进度": [PROGRESS_HEADER, *rows(), ["", "", "合计", "", "", "", 1, 1]]},
    "totals-in-a-spaced-region": {"进度": [PROGRESS_HEADER, *rows(r9=progress_row(
        indicator="x", region="全市 合计", year=2024))]},
    "footer-row": {"进度": [PROGRESS_HEADER, *rows(), ["填报人：张三"]]},
    "blank-row-inside": {"进度": [PROGRESS_HEADER, *rows()[:10], [], *rows()[10:]]},
    "missing-required-cell": {"进度": [PROGRESS_HEADER, *rows(r7=progress_row(
        indicator=None, year=2024))]},
    "number-written-as-text": {"进度": [PROGRESS_HEADER, *rows(r1=progress_row(
        indicator="x", target="1,234", year=2024))]},
    "year-not-first": {"进度": reordered(PROGRESS_HEADER, rows(), [1, 0, *range(2, 11)])},
    "zero-target": {"进度": [PROGRESS_HEADER, *rows(r3=progress_row(indicator="x", target=0,
                                                                    year=2024))]},
    "negative-actual": {"进度": [PROGRESS_HEADER, *rows(r3=progress_row(indicator="x", actual=-1,
                                                                        year=2024))]},
    "unknown-category": {"进度": [PROGRESS_HEADER, *rows(r3=progress_row(indicator="x",
                                                                         category="工程", year=2024))]},
    "duplicate-key": {"进度": [PROGRESS_HEADER, *rows(r3=progress_row(indicator="指标4", year=2024))]},
    "month-13": {"进度": [PROGRESS_HEADER, *rows(r3=progress_row(indicator="x", month=13,
                                                                 year=2024))]},
    "full-width-code": {"进度": [PROGRESS_HEADER, *[[*r[:3], "１３", *r[4:]] for r in rows()]]},
    "unknown-money-unit": {"资金": [["年份", "月份", "地区", "项目编号", "项目名称", "计划投入（美元）",
                                     "到位资金", "拨付资金"], funding_row()]},
    "true-false-in-a-text-column": {"进度": [PROGRESS_HEADER, *rows(r3=progress_row(
        indicator="x", unit=True, year=2024))]},
    "error-cell-in-a-text-column": {"进度": [PROGRESS_HEADER, *rows(r3=progress_row(
        indicator="x", department="#N/A", year=2024))]},
    "two-progress-sheets": {"进度": [PROGRESS_HEADER, *rows()], "进度(续)": [PROGRESS_HEADER,
                                                                          *rows()]},
    # names etl.names cleans (issue 22): a warning, or an error when nothing is left
    "zero-width-space-in-a-region": {"进度": [PROGRESS_HEADER, *[[*r[:2], "芜湖\u200b市", *r[3:]]
                                                               for r in rows()]]},
    "bom-before-a-project-name": {"进度": [PROGRESS_HEADER, *rows(r4=progress_row(
        indicator="x", name="\ufeff就业创业促进", year=2024))]},
    "combining-accent-on-an-indicator": {"进度": [PROGRESS_HEADER, *rows(r4=progress_row(
        indicator="指\u0301标4", year=2024))]},
    "only-a-zero-width-space-as-region": {"进度": [PROGRESS_HEADER, *rows(r4=progress_row(
        indicator="x", region="\u200b", year=2024))]},
    "full-width-letters-in-a-department": {"进度": [PROGRESS_HEADER, *rows(r4=progress_row(
        indicator="x", department="市ＲＳ局", year=2024))]},
    "zero-width-space-in-a-funding-code": {"资金": [FUNDING_HEADER, funding_row(code="1\u200b3")]},
    "duplicate-region-column": {"进度": [[*PROGRESS_HEADER, "地区"], *[[*r, "别处"] for r in rows()]]},
    "duplicate-region-column-same-values": {"进度": [[*PROGRESS_HEADER, "县区"], *[[*r, r[2]]
                                                                               for r in rows()]]},
}  # fmt: skip


@pytest.mark.parametrize("case", list(CLEAN))
def test_a_clean_file_takes_the_fast_path_and_reads_the_same(case, tmp_path, monkeypatch):
    path = write_workbook(tmp_path / f"{case}.xlsx", CLEAN[case])
    fast, usual, taken = both_ways(path, monkeypatch)
    assert taken
    assert_same_parse(fast, usual)
    assert not usual.errors


@pytest.mark.parametrize("case", list(USUAL))
def test_a_file_needing_repair_or_a_report_is_read_the_usual_way(case, tmp_path, monkeypatch):
    path = write_workbook(tmp_path / f"{case}.xlsx", USUAL[case])
    read_the_usual_way(path, monkeypatch)


def test_merged_cells_are_filled_the_usual_way(tmp_path, monkeypatch):
    body = rows()
    for row in body[1:5]:
        row[9] = None  # 责任单位 merged down rows 2–6: the usual way fills it in
    path = write_workbook(
        tmp_path / "m.xlsx", {"进度": [PROGRESS_HEADER, *body]}, merged={"进度": ["J2:J6"]}
    )
    fast, _ = read_the_usual_way(path, monkeypatch)
    assert fast.progress["department"].tolist()[:5] == ["市人社局"] * 5


def test_the_warnings_of_a_clean_file_are_the_usual_ones(tmp_path, monkeypatch):
    path = write_workbook(tmp_path / "w.xlsx", CLEAN["funding-in-yuan-with-a-warning"])
    fast, _, taken = both_ways(path, monkeypatch)
    assert taken
    assert [str(w) for w in fast.warnings] == [
        "警告 w.xlsx:资金:11:拨付资金（元）: 拨付资金（200万元）高于到位资金（100万元）"
    ]


def test_every_workbook_of_the_repository_reads_the_same_both_ways(monkeypatch):
    """The demo months (some clean, some with a clerk's mess), and the seeds' workbooks."""
    books = sorted((REPO / "data").rglob("*.xlsx"))
    assert len(books) > 50
    taken = 0
    for book in books:
        fast, usual, took = both_ways(book, monkeypatch)
        assert_same_parse(fast, usual)
        taken += took
    assert 0 < taken < len(books)  # both ways are exercised


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

    monkeypatch.setattr(etl.fast, "_load", panic)
    fast, _ = read_the_usual_way(path, monkeypatch)
    assert len(fast.progress) == 40


def test_an_interrupt_while_reading_the_fast_way_stops_the_load(tmp_path, monkeypatch):
    path = write_workbook(tmp_path / "i.xlsx", CLEAN["header-in-row-1"])

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(etl.fast, "_load", interrupted)
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
    monkeypatch.setattr(etl.fast, "_load", lambda *args: loads.append(args))
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
