"""Messy cell forms → clean values (data contract §1), as parametrized tables."""

import datetime as dt

import pytest

from etl.model import CATEGORIES, SheetKind
from etl.reading.headers import match_header_cell
from etl.reading.normalise import (
    CellError,
    fold,
    is_footer,
    is_total,
    parse_choice,
    parse_code,
    parse_int,
    parse_number,
    parse_text,
)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("１２３", 123.0),
        ("1,264.983", 1264.983),
        ("１，２６４．９８３", 1264.983),
        (" 12 ", 12.0),
        ("\u300012\u3000", 12.0),
        ("1 264", 1264.0),
        (2608, 2608.0),
        (1092.463, 1092.463),
        ("-5", -5.0),
        ("—", None),
        ("——", None),
        ("-", None),
        ("/", None),
        ("无", None),
        ("", None),
        ("  ", None),
        (None, None),
    ],
)
def test_number_cells(cell, expected):
    assert parse_number(cell) == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("约50", "“约50”不是数字"),
        ("50%", "“50%”不是数字，请去掉百分号（单位可写在计量单位列）"),
        ("1.2.3", "“1.2.3”不是数字"),
        ("nan", "“nan”不是数字"),
        (dt.datetime(2020, 6, 1), "“2020-06-01”是日期，不是数字"),
        (True, "“True”不是数字"),
        ("1e999", "“1e999”不是有效的数字（超出范围）"),
        (float("inf"), "“inf”不是有效的数字（超出范围）"),
        (float("-inf"), "“-inf”不是有效的数字（超出范围）"),
        (float("nan"), "“nan”不是有效的数字（超出范围）"),
    ],
)
def test_number_cells_rejected(cell, message):
    with pytest.raises(CellError) as raised:
        parse_number(cell)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("50%", 50.0), ("５０％", 50.0), (" 50 % ", 50.0), ("12.5", 12.5), (0.5, 0.5)],
)
def test_schedule_cells_allow_percent(cell, expected):
    assert parse_number(cell, allow_percent=True) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (13.0, "13"),
        (13, "13"),
        ("13", "13"),
        (" 13 ", "13"),
        ("１３", "13"),
        ("13.0", "13"),
        ("12-1", "12-1"),
        ("12－1", "12-1"),
        (dt.datetime(2026, 12, 1), "12-1"),  # Excel turned "12-1" into 1 December
        (dt.date(2020, 3, 2), "3-2"),
        ("12月1日", "12-1"),  # the same date as a CSV saved by Chinese Excel shows it
        ("2020/12/1", "12-1"),
        (12.5, "12.5"),
        ("", None),
        (None, None),
    ],
)
def test_project_codes_are_text(cell, expected):
    assert parse_code(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (2020, 2020),
        (2020.0, 2020),
        ("2020", 2020),
        ("２０２０", 2020),
        ("2020年", 2020),
        ("", None),
    ],
)
def test_year_cells(cell, expected):
    assert parse_int(cell, label="年份", low=2000, high=2100) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [(6, 6), (6.0, 6), ("6", 6), ("6月", 6), ("６月份", 6), ("12", 12)],
)
def test_month_cells(cell, expected):
    assert parse_int(cell, label="月份", low=1, high=12) == expected


@pytest.mark.parametrize(
    ("cell", "shown"), [(13, "13"), (0, "0"), (6.5, "6.5"), ("十三", "十三"), ("13月", "13月")]
)
def test_month_out_of_range(cell, shown):
    with pytest.raises(CellError) as raised:
        parse_int(cell, label="月份", low=1, high=12)
    assert str(raised.value) == f"月份应为1到12之间的整数，实际为“{shown}”"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (" 铜官区 ", "铜官区"),
        ("\u3000铜官区\u3000", "铜官区"),
        ("铜官 区", "铜官 区"),
        (13.0, "13"),
        ("", None),
    ],
)
def test_text_cells_trimmed_at_ends(cell, expected):
    assert parse_text(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("工程类", "工程类"), (" 工程 类 ", "工程类"), ("其他", "其他"), ("", None)],
)
def test_category_cells(cell, expected):
    assert parse_choice(cell, CATEGORIES, label="类别") == expected


def test_unknown_category_names_the_choices():
    with pytest.raises(CellError) as raised:
        parse_choice("建设类", CATEGORIES, label="类别")
    assert str(raised.value) == "未知类别“建设类”，应为工程类、补助类、参保服务类、培训类或其他"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("合计", True), ("合 计", True), ("小计", True), ("总计：", True), ("全市合计", True),
     ("本月小计", True), ("全县 总计", True), ("就业创业促进", False), ("审计整改", False),
     ("拨付合计", False), ("资金小计", False), ("合计金额", False), ("项目合计", False),
     (13, False)],
)  # fmt: skip
def test_totals(cell, expected):
    assert is_total(cell) is expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("填报人：张三", True), ("审核人:李四", True), ("负责人", True), ("填报日期：2020年7月3日", True),
     ("联系电话：0553-1234567", True), ("备注：无", True), ("注：单位为万元", True),
     ("芜湖市", False), (2020, False), (None, False)],
)  # fmt: skip
def test_footers(cell, expected):
    assert is_footer(cell) is expected


@pytest.mark.parametrize(
    ("header", "field", "scale"),
    [
        ("计划投入", "budget", 1.0),
        ("计划投入（亿元）", "budget", 10000.0),
        ("计划投入(亿元)", "budget", 10000.0),
        ("计划 投入 （万元）", "budget", 1.0),
        ("到位资金(元)", "arrived", 0.0001),
        ("拨付资金（千元）", "disbursed", 0.1),
        ("拨付资金（单位：万元）", "disbursed", 1.0),
        ("拨付资金(美元)", "disbursed", None),
    ],
)
def test_money_headers_scale_into_wan_yuan(header, field, scale):
    column, factor, _unit = match_header_cell(SheetKind.FUNDING, header)
    assert (column.field, factor) == (field, scale)


@pytest.mark.parametrize(
    ("kind", "header", "field"),
    [
        (SheetKind.PROGRESS, "年\u3000份", "year"),
        (SheetKind.PROGRESS, " 累计 完成 ", "actual"),
        (SheetKind.PROGRESS, "指标\n名称", "indicator"),
        (SheetKind.SCHEDULE, "1月", "m1"),
        (SheetKind.SCHEDULE, "１２月份", "m12"),
        (SheetKind.PROGRESS, "累计完成（万元）", None),  # units only on money columns
        (SheetKind.PROGRESS, "备注", None),
    ],
)
def test_header_cells(kind, header, field):
    matched = match_header_cell(kind, header)
    assert (matched[0].field if matched else None) == field


def test_fold_removes_inner_and_full_width_space():
    assert fold(" 计划\u3000投入（亿元） ") == "计划投入(亿元)"
