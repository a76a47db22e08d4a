"""Messy layouts a clerk sends: titles, totals, footers, merged cells, CSV encodings, schedules."""

import datetime as dt

import pytest

from etl.model import SheetKind
from etl.reading.parse import iter_report_files, parse_file
from etl.reading.sheets import sheet_kind
from tests.etl.fixtures import (
    FUNDING_HEADER,
    PROGRESS_HEADER,
    SCHEDULE_HEADER,
    progress_row,
    write_csv,
    write_workbook,
)


def test_header_found_under_title_and_blank_rows(tmp_path):
    rows = [
        ["芜湖市2020年民生工程6月份进度表"],
        [],
        ["填报单位：芜湖市民生办", None, None, None, None, None, None, "单位：个"],
        [f"  {h} " for h in PROGRESS_HEADER],
        progress_row(),
        [],
        progress_row("23", "免费婚前健康检查", "32,000", " １８２５２ "),
    ]
    parsed = parse_file(write_workbook(tmp_path / "r.xlsx", {"6月进度": rows}))
    assert parsed.errors == []
    assert parsed.progress[["source_row", "target", "actual"]].values.tolist() == [
        [5, 2800, 2608],
        [7, 32000, 18252],
    ]


def test_totals_and_footers_skipped(tmp_path):
    rows = [
        PROGRESS_HEADER,
        progress_row(),
        progress_row("", "", None, None, name="小 计", category=""),
        ["", "", "合计", "", "", "", 10, 5],
        ["注：数据截至6月底"],
        ["填报人：张三", None, "联系电话：0553-1234567"],
        [None, None, None, None, "审核人：李四"],
    ]
    parsed = parse_file(write_workbook(tmp_path / "r.xlsx", {"进度": rows}))
    assert parsed.errors == []
    assert parsed.progress["source_row"].tolist() == [2]
    assert parsed.notices == ["进度：已跳过2个合计/小计/总计行（第3、4行）"]


@pytest.mark.parametrize(
    ("row", "kept"),
    [
        (progress_row("13", "拨付合计", unit="万元"), True),  # an indicator named …合计 is data
        (progress_row("13", "资金小计", unit="小计"), True),
        (progress_row("合计", "", None, None, name=""), False),
        (progress_row("", "", None, None, name="全市合计", category=""), False),
        (progress_row("", "", 10, 5, region="本月小计", name="", category=""), False),
        (["合计", None, None, None, None, None, 10, 5], False),  # 合计 typed in the 年份 column
    ],
)
def test_only_code_name_or_region_marks_a_total(tmp_path, row, kept):
    rows = [PROGRESS_HEADER, progress_row(), row]
    parsed = parse_file(write_workbook(tmp_path / "r.xlsx", {"进度": rows}))
    assert parsed.errors == []
    assert parsed.progress["source_row"].tolist() == ([2, 3] if kept else [2])
    assert bool(parsed.notices) is not kept


def test_merged_region_and_project_apply_to_every_spanned_row(tmp_path):
    rows = [
        PROGRESS_HEADER,
        progress_row("13", "公益性岗位开发", 2800, 2608, region="铜官区"),
        progress_row(None, "就业见习", 1171, 569, region=None, name=None),
        progress_row(None, "就业创业补贴", 10, 5, region=None, name=None),
        progress_row("23", "免费婚前健康检查", 32000, 18252, region="义安区", name="妇幼健康"),
    ]
    merged = {"进度": ["C2:C4", "D2:D4", "E2:E4"]}
    parsed = parse_file(write_workbook(tmp_path / "r.xlsx", {"进度": rows}, merged=merged))
    assert parsed.errors == []
    frame = parsed.progress
    assert frame["region"].tolist() == ["铜官区", "铜官区", "铜官区", "义安区"]
    assert frame["project_code"].tolist() == ["13", "13", "13", "23"]
    assert frame["project_name"].tolist() == ["就业创业促进"] * 3 + ["妇幼健康"]


def test_project_code_that_excel_made_a_date(tmp_path):
    rows = [PROGRESS_HEADER, progress_row(dt.datetime(2026, 12, 1)), progress_row(13.0, "就业见习")]
    parsed = parse_file(write_workbook(tmp_path / "r.xlsx", {"进度": rows}))
    assert parsed.progress["project_code"].tolist() == ["12-1", "13"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_encodings(tmp_path, encoding):
    rows = [PROGRESS_HEADER, progress_row(region="铜官区", actual="2,608")]
    parsed = parse_file(write_csv(tmp_path / "芜湖6月进度.csv", rows, encoding=encoding))
    assert parsed.errors == []
    assert parsed.progress.loc[0, ["region", "actual", "year"]].tolist() == ["铜官区", 2608, 2020]


def test_csv_errors_name_the_kind_as_sheet(tmp_path):
    rows = [FUNDING_HEADER, [2020, 13, "芜湖市", "31", "老旧小区", 1, 1, 1]]
    parsed = parse_file(write_csv(tmp_path / "6月资金.csv", rows))
    assert [str(e) for e in parsed.errors] == [
        "6月资金.csv:资金:2:月份: 月份应为1到12之间的整数，实际为“13”"
    ]


def test_csv_undecodable_is_refused(tmp_path):
    path = tmp_path / "进度.csv"
    path.write_bytes(b"\x81\x30\xff\xfe\x00\x00 binary")
    assert [str(e) for e in parse_file(path).errors] == [
        "进度.csv:-:-:-: 无法读取：文件编码无法识别（应为UTF-8或GBK/GB18030编码的CSV）"
    ]


def test_csv_without_kind_in_name(tmp_path):
    path = write_csv(tmp_path / "report.csv", [PROGRESS_HEADER])
    assert [str(e) for e in parse_file(path).errors] == [
        "report.csv:-:-:-: 无法判断表类型：CSV文件名中应包含进度、资金、考评或序时"
    ]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("序时进度", SheetKind.SCHEDULE),
        ("序时计划", SheetKind.SCHEDULE),
        ("资金进度", SheetKind.FUNDING),
        ("9月考评", SheetKind.SCORES),
        ("6月进度", SheetKind.PROGRESS),
        ("Progress", SheetKind.PROGRESS),
        ("FUNDING", SheetKind.FUNDING),
        ("scores", SheetKind.SCORES),
        ("Schedule 2020", SheetKind.SCHEDULE),
        ("说明", None),
    ],
)
def test_sheet_kind_by_name(name, kind):
    assert sheet_kind(name) is kind


def schedule_row(code, category, months, year=2020):
    return [year, code, category, *months]


def test_schedule_percent_forms(tmp_path):
    even = [round(m * 100 / 12, 2) for m in range(1, 13)]
    rows = [
        SCHEDULE_HEADER,
        schedule_row("13", None, even),
        schedule_row(None, "工程类", [f"{m * 10}%" if m < 10 else "100%" for m in range(1, 13)]),
        schedule_row("23", "", [m / 12 for m in range(1, 13)]),  # cells formatted as 0%
    ]
    formats = {"序时计划": {f"{col}4": "0%" for col in "DEFGHIJKLMNO"}}
    parsed = parse_file(write_workbook(tmp_path / "r.xlsx", {"序时计划": rows}, formats=formats))
    assert parsed.errors == []
    plans = parsed.schedules
    assert len(plans) == 36
    june = plans[plans["month"] == 6].set_index("source_row")
    assert june.loc[2, ["project_code", "planned_rate"]].tolist() == ["13", 0.5]
    assert june.loc[3, ["category", "planned_rate"]].tolist() == ["工程类", 0.6]
    assert june.loc[4, "planned_rate"] == pytest.approx(0.5)
    assert june.loc[3, "project_code"] is None and june.loc[2, "category"] is None


def test_schedule_errors(tmp_path):
    rows = [
        SCHEDULE_HEADER,
        schedule_row("13", None, [10, 20, 30, 40, 50, 45, 60, 70, 80, 90, 100, 100]),
        schedule_row(None, None, list(range(10, 130, 10))),
        schedule_row("15", None, [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 100, None]),
        schedule_row("13", None, list(range(5, 65, 5))),
    ]
    parsed = parse_file(write_workbook(tmp_path / "r.xlsx", {"序时计划": rows}))
    assert [str(e) for e in parsed.errors] == [
        "r.xlsx:序时计划:2:6月: 不能低于上月（5月为50）",
        "r.xlsx:序时计划:3:项目编号: 项目编号和类别不能都为空：计划须对应一个项目或一个类别",
        "r.xlsx:序时计划:3:11月: 序时进度应在0到100之间（百分数），实际为“110”",
        "r.xlsx:序时计划:3:12月: 序时进度应在0到100之间（百分数），实际为“120”",
        "r.xlsx:序时计划:4:12月: 必填，不能为空",
        "r.xlsx:序时计划:5:-: 与第2行重复（年份、项目编号（或类别）相同）",
    ]


def test_iter_report_files(tmp_path):
    folder = tmp_path / "6月"
    (folder / "县区").mkdir(parents=True)
    (folder / ".hidden").mkdir()
    for name in ["b进度.xlsx", "a资金.csv", "~$b进度.xlsx", ".x进度.xlsx", "说明.docx", "县区/c.xlsx",
                 ".hidden/d.xlsx"]:  # fmt: skip
        (folder / name).write_bytes(b"")
    single = tmp_path / "z.xlsx"
    assert iter_report_files([single, folder]) == [
        single,
        folder / "a资金.csv",
        folder / "b进度.xlsx",
        folder / "县区/c.xlsx",
    ]


def test_repeated_header_row_skipped(tmp_path):
    rows = [PROGRESS_HEADER, progress_row(), PROGRESS_HEADER, progress_row("23", "婚检", 100, 57)]
    parsed = parse_file(write_workbook(tmp_path / "r.xlsx", {"进度": rows}))
    assert parsed.errors == []
    assert parsed.progress["source_row"].tolist() == [2, 4]


def test_percent_cells_without_number_formats_read_as_fractions():
    """If openpyxl cannot tell the formats, a row whose twelve values are all ≤ 1 is fractions."""
    from etl.reading.sheets import RawSheet
    from etl.reading.validate import check_sheet

    rows = [
        SCHEDULE_HEADER,
        schedule_row("13", None, [m / 12 for m in range(1, 13)]),
        schedule_row("15", None, [m * 8 for m in range(1, 13)]),
    ]
    records = check_sheet(RawSheet("序时计划", SheetKind.SCHEDULE, rows, None), "r.xlsx")
    assert records.errors == []
    assert records.values["m6"] == [pytest.approx(50.0), 48.0]
