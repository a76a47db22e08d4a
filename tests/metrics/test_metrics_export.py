"""Downloads: the CSV Excel opens safely, and an .xlsx read back with openpyxl."""

import io

import openpyxl
import pandas as pd
import pytest

from metrics.export import escape_formula, excel_text, to_csv_bytes, to_xlsx_bytes


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+86 1234", "'+86 1234"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTAB", "'\tTAB"),
        ("\rCR", "'\rCR"),
        ("枞阳县", "枞阳县"),
        ("12-1", "12-1"),
        ("", ""),
        (-5, -5),
        (-0.25, -0.25),
        (None, None),
    ],
)
def test_escape_formula(cell, expected):
    assert escape_formula(cell) == expected


def _read_csv(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig")
    return [line.split(",") for line in text.split("\r\n") if line]


def test_csv_has_bom_and_escapes_text_only():
    frame = pd.DataFrame(
        {
            "地区": ["=1+2", "-5", "枞阳县"],
            "得分": [-5, 1.35 + 0.05, 13.715],
            "完成率": [0.4859, None, 8.3],
        }
    )
    data = to_csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    assert _read_csv(data) == [
        ["地区", "得分", "完成率"],
        ["'=1+2", "-5", "0.4859"],
        ["'-5", "1.4", ""],
        ["枞阳县", "13.715", "8.3"],
    ]


def test_csv_round_trips_chinese_through_pandas():
    frame = pd.DataFrame(
        {"项目名称": ["“四好农村路”建设", "美丽乡村建设(中心村建设)"], "年度目标": [1264.983, 70]}
    )
    back = pd.read_csv(io.BytesIO(to_csv_bytes(frame)), encoding="utf-8-sig")
    assert back.columns.tolist() == ["项目名称", "年度目标"]
    assert back["项目名称"].tolist() == frame["项目名称"].tolist()
    assert back["年度目标"].tolist() == [1264.983, 70]


def test_xlsx_opens_with_formats_and_text_as_text():
    frame = pd.DataFrame(
        {
            "地区": ['=HYPERLINK("x")', "枞阳县"],
            "计划投入（万元）": [12345.678, None],
            "完成率": [0.4859, 1.134],
            "是否滞后": ["是", "否"],
            "连续滞后月数": [3, 0],
        }
    )
    xlsx = to_xlsx_bytes(
        frame,
        sheet_name="滞后/项目",
        percent_columns={"完成率"},
        money_columns={"计划投入（万元）"},
    )
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    sheet = book.active
    assert sheet.title == "滞后_项目"
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows == [
        ["地区", "计划投入（万元）", "完成率", "是否滞后", "连续滞后月数"],
        ['=HYPERLINK("x")', 12345.678, 0.4859, "是", 3],
        ["枞阳县", None, 1.134, "否", 0],
    ]
    assert sheet["A2"].data_type == "s"  # a string, not a formula
    assert sheet["A1"].font.b
    assert sheet["B2"].number_format == "#,##0.00"
    assert sheet["C2"].number_format == "0.0%"
    assert sheet.freeze_panes == "A2"


# Excel's CSV import types a field by how it starts: a field that starts like a number or a
# date (a digit, a sign, a point, a space) may become one (12-1 → 1 December, 007 → 7); a field
# that starts with any other character, such as a tab, is kept as text, tab included (unseen).
@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("12-1", "\t12-1"),
        ("18-3", "\t18-3"),
        ("2025/5/1", "\t2025/5/1"),
        ("007", "\t007"),
        ("33", "33"),  # Excel's number 33 reads the same: left as it is
        ("0033", "\t0033"),
        ("1234567890123456", "\t1234567890123456"),  # 16 digits: Excel would round it
        ("1.50", "\t1.50"),
        ("1e5", "\t1e5"),
        ("12:30", "\t12:30"),
        ("5月1日", "\t5月1日"),
        ("1号楼", "1号楼"),
        ("A-12", "A-12"),
        ("枞阳县", "枞阳县"),
        ("-5", "'-5"),  # the formula escaping comes first: a tab never precedes a formula
        ("=1-2", "'=1-2"),
        ("", ""),
        (12, 12),
        (None, None),
    ],
)
def test_excel_text(cell, expected):
    assert excel_text(cell) == expected


def test_csv_keeps_codes_as_text_in_cells_and_headers():
    frame = pd.DataFrame({"项目编号": ["12-1", "18-3", "4"], "12-1": [0.5, 1.0, None]})
    rows = _read_csv(to_csv_bytes(frame))
    assert rows == [
        ["项目编号", "\t12-1"],
        ["\t12-1", "0.5"],
        ["\t18-3", "1"],
        ["4", ""],
    ]
    back = pd.read_csv(io.BytesIO(to_csv_bytes(frame)), encoding="utf-8-sig", dtype=str)
    assert back["项目编号"].str.strip().tolist() == ["12-1", "18-3", "4"]


def test_xlsx_percent_shown_with_sign_filter_and_widths():
    frame = pd.DataFrame(
        {
            "项目编号": ["12-1", "18-3"],
            "项目名称": ["城乡居民基本医疗保险财政补助", "农村道路"],
            "完成率（%）": [50.0, 12.5],
            "计划投入（万元）": [1234.5, None],
        }
    )
    xlsx = to_xlsx_bytes(
        frame,
        sheet_name="资金_县区×项目_2025年6月_%",
        shown_percent_columns={"完成率（%）"},
        money_columns={"计划投入（万元）"},
    )
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    assert sheet.title == "资金_县区×项目_2025年6月_%"
    assert sheet["A2"].value == "12-1" and sheet["A2"].data_type == "s"
    assert sheet["C2"].value == 50.0
    assert sheet["C2"].number_format == '0.0"%"'  # shows 50.0%, the value stays 50
    assert sheet["D2"].number_format == "#,##0.00"
    assert sheet.auto_filter.ref == "A1:D3"
    assert sheet.freeze_panes == "A2"
    widths = {c: sheet.column_dimensions[c].width for c in "ABCD"}
    assert widths["B"] > widths["A"]  # the long Chinese name gets a wider column
    assert all(8 <= w <= 41 for w in widths.values())
