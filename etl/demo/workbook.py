"""Writing the demo's report files as county clerks really fill them in, byte for byte repeatable.

Each county has its habits (a title row, a 合计 row, numbers typed as text with thousands
separators, a full-width space in a header, merged cells, money in 元 or 亿元, Excel turning
"12-1" into a date): all within the data contract, so every file loads without an error.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from etl.model import SheetKind
from etl.reading.headers import contract_headers

FIXED_TIME = dt.datetime(2025, 1, 1)
FIXED_ZIP_TIME = (2025, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Habits:
    """How one county's clerk lays out the monthly report."""

    progress_sheet: str = "进度"
    funding_sheet: str = "资金"
    title: bool = True
    money_unit: str = "(万元)"  # header suffix of 计划投入/到位资金/拨付资金
    money_scale: float = 1.0  # 万元 × scale = the figure written
    fullwidth_header: bool = False  # "年度　目标", "（万元）"
    codes_as_numbers: bool = False  # project code 13 typed as the number 13
    codes_as_dates: bool = False  # Excel turned "12-1" into 1 December
    text_numbers: bool = False  # "1,180,000" typed as text
    merged: bool = False  # 地区 and 项目 cells merged down their rows
    totals_row: bool = False  # a 合计 row under the funding table
    footer: bool = False  # 填报人 … 审核人 … under the tables
    extra_sheets: tuple[str, ...] = field(default_factory=tuple)


# 计量单位 before 年度目标, as some counties' own forms have it: the loader finds columns by name
PROGRESS_HEADER = [
    "年份", "月份", "地区", "项目编号", "项目名称", "指标名称", "计量单位",
    "年度目标", "累计完成", "责任单位", "类别",
]  # fmt: skip
FUNDING_HEADER = contract_headers(SheetKind.FUNDING)
SCORES_HEADER = contract_headers(SheetKind.SCORES)
SCHEDULE_HEADER = [*contract_headers(SheetKind.SCHEDULE), "备注"]
MONEY_COLUMNS = ("计划投入", "到位资金", "拨付资金")
FULLWIDTH = {"年度目标": "年度　目标", "累计完成": "累计完成　", "项目名称": "项目　名称"}


def _header(names: list[str], habits: Habits) -> list[str]:
    unit = habits.money_unit
    if habits.fullwidth_header:
        unit = unit.replace("(", "（").replace(")", "）")
    header = []
    for name in names:
        if name in MONEY_COLUMNS:
            name += unit
        elif habits.fullwidth_header:
            name = FULLWIDTH.get(name, name)
        header.append(name)
    return header


def _number(value: float, habits: Habits) -> object:
    """A figure as the clerk types it: whole numbers as int, text with separators if that's the habit."""
    if habits.text_numbers:
        if float(value).is_integer():
            return f"{int(value):,}"
        return f"{value:,.2f}"
    return int(value) if float(value).is_integer() else value


def _code(code: str, year: int, habits: Habits) -> object:
    if habits.codes_as_numbers and code.isdigit():
        return int(code)
    if habits.codes_as_dates and code.startswith("12-"):
        return dt.datetime(year, 12, int(code.split("-")[1]))  # what Excel makes of "12-1"
    return code


def _write_table(ws: Worksheet, title: str | None, header: list[str], rows: list[list]) -> int:
    """Title row and blank row (if any), header, rows; returns the first data row's number."""
    if title:
        ws.append([title])
        ws.append([])
    ws.append(header)
    first = ws.max_row + 1
    for row in rows:
        ws.append(row)
    return first


def _merge_runs(ws: Worksheet, first_row: int, column: int, keys: list[object]) -> None:
    """Merge each run of equal keys down one column, keeping the value in the top cell."""
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            if i - start > 1:
                ws.merge_cells(
                    start_row=first_row + start, end_row=first_row + i - 1,
                    start_column=column, end_column=column,
                )  # fmt: skip
            start = i


def _footer(ws: Worksheet, report_day: str) -> None:
    ws.append([])
    ws.append(["填报人：王某某　　审核人：李某某　　联系电话：0000-1234567"])
    ws.append([f"填报日期：{report_day}"])


def county_workbook(
    region: str, year: int, month: int, progress: list[list], funding: list[list], habits: Habits
) -> Workbook:
    """One county's monthly report: a progress sheet and a funding sheet in its clerk's habits.

    progress rows: year, month, region, code, project, indicator, unit, target, actual, dept, kind;
    funding rows: year, month, region, code, project, budget, arrived, disbursed (万元).
    """
    wb = Workbook()
    ws = wb.active
    ws.title = habits.progress_sheet
    title = f"示例市{region}{year}年民生工程{month}月份进度表" if habits.title else None
    rows = [
        [
            *r[:3],
            _code(r[3], year, habits),
            *r[4:7],
            _number(r[7], habits),
            _number(r[8], habits),
            *r[9:],
        ]
        for r in progress
    ]
    first = _write_table(ws, title, _header(PROGRESS_HEADER, habits), rows)
    if habits.merged and rows:
        _merge_runs(ws, first, 3, [r[2] for r in progress])
        for column in (4, 5, 10, 11):  # 项目编号, 项目名称, 责任单位, 类别 of one project
            _merge_runs(ws, first, column, [(r[3], r[column - 1]) for r in progress])
    report_day = f"{year + month // 12}年{month % 12 + 1}月5日"
    if habits.footer:
        _footer(ws, report_day)

    ws = wb.create_sheet(habits.funding_sheet)
    title = (
        f"示例市{region}{year}年民生工程{month}月份资金到位及拨付情况表" if habits.title else None
    )
    money = [
        [
            *r[:3],
            _code(r[3], year, habits),
            r[4],
            *(_number(round(v * habits.money_scale, 6), habits) for v in r[5:8]),
        ]
        for r in funding
    ]
    if habits.totals_row and funding:
        sums = [round(sum(r[i] for r in funding) * habits.money_scale, 6) for i in (5, 6, 7)]
        money.append([None, None, None, None, "合计", *(_number(v, habits) for v in sums)])
    _write_table(ws, title, _header(FUNDING_HEADER, habits), money)
    if habits.footer:
        _footer(ws, report_day)
    for name in habits.extra_sheets:
        notes = wb.create_sheet(name)
        notes.append(["本表数据为截至当月底累计数；计量单位见各列。"])
    return wb


def scores_workbook(year: int, month: int, rows: list[list]) -> Workbook:
    """The 民生办's monthly 考评 sheet for counties and departments."""
    wb = Workbook()
    ws = wb.active
    ws.title = "考评"
    title = f"示例市{year}年{month}月份民生工程月度考评得分表"
    _write_table(ws, title, SCORES_HEADER, rows)
    ws.append([])
    ws.append(["注：得分为当月得分，加扣分由市民生办核定。"])
    return wb


def schedule_workbook(
    year: int, rows: list[list], percent_rows: frozenset[int] = frozenset()
) -> Workbook:
    """The published 序时计划 (路线图和时间表): cumulative % due by each month end.

    Rows listed in percent_rows hold fractions in cells formatted as percentages (0.4 shown as 40%).
    """
    wb = Workbook()
    ws = wb.active
    ws.title = "序时计划"
    first = _write_table(ws, f"示例市{year}年民生工程序时进度计划", SCHEDULE_HEADER, rows)
    for index in percent_rows:
        for column in range(4, 16):  # 1月 … 12月
            ws.cell(row=first + index, column=column).number_format = "0%"
    return wb


def save_workbook(wb: Workbook, path: Path) -> Path:
    """Save so that the same workbook always gives the same bytes (fixed times in zip and core.xml)."""
    wb.properties.created = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with (
        zipfile.ZipFile(buffer) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with now
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\2", data
                )
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            entry.create_system = 3
            target.writestr(entry, data)
    return path


def save_csv(header: list[str], rows: list[list], path: Path, encoding: str = "gb18030") -> Path:
    """A CSV as Excel on a Chinese Windows writes it: GB18030, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path
