"""Builders of report files for the loader tests: real .xlsx (openpyxl) and .csv in tmp_path."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import openpyxl

from etl.model import SheetKind
from etl.reading.headers import contract_headers

PROGRESS_HEADER = contract_headers(SheetKind.PROGRESS)
FUNDING_HEADER = contract_headers(SheetKind.FUNDING)
SCORES_HEADER = contract_headers(SheetKind.SCORES)
SCHEDULE_HEADER = contract_headers(SheetKind.SCHEDULE)
SEED003_TITLE = "芜湖市2020年民生工程6月份进度表"

# Seed 003 (芜湖 6月小结): project, name, indicator, 年度目标, 累计完成, unit, department, 类别.
SEED003_INDICATORS = [
    ("1", "“四带一自”产业扶贫工程", "特色产业扶贫园区", 71, 71, "个", "市农业农村局", "工程类"),
    ("4", "“四好农村路”建设", "农村公路扩面延伸工程开工", 1264.983, 1264.983, "公里", "市交通局", "工程类"),
    ("4", "“四好农村路”建设", "农村公路扩面延伸工程完工", 1264.983, 1092.463, "公里", "市交通局", "工程类"),
    ("9", "城乡困难群体法律援助", "办理法律援助案件", 4078, 2559, "件", "市司法局", "其他"),
    ("13", "就业创业促进", "公益性岗位开发", 2800, 2608, "个", "市人社局", "补助类"),
    ("13", "就业创业促进", "就业见习", 1171, 569, "人", "市人社局", "补助类"),
    ("15", "技能培训提升", "技能脱贫培训", 500, 567, "人", "市人社局", "培训类"),
    ("15", "技能培训提升", "企业新录用人员岗前技能培训", 14500, 13893, "人", "市人社局", "培训类"),
    ("15", "技能培训提升", "新技工系统培养", 2400, 1057, "人", "市人社局", "培训类"),
    ("23", "妇幼健康水平提升和职业病防治", "免费婚前健康检查", 32000, 18252, "人", "市卫健委", "参保服务类"),
    ("24", "学前教育促进", "公办幼儿园开工", 25, 23, "所", "市教育局", "工程类"),
    ("24", "学前教育促进", "幼儿教师培训", 159, 499, "人次", "市教育局", "培训类"),
    ("30", "棚户区改造", "棚户区改造新开工", 2417, 1681, "套", "市住建局", "工程类"),
]  # fmt: skip


def write_workbook(
    path: Path,
    sheets: dict[str, list[list]],
    *,
    merged: dict[str, list[str]] | None = None,
    formats: dict[str, dict[str, str]] | None = None,
) -> Path:
    """An .xlsx with the given sheets (rows from row 1), merged ranges and number formats."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cell_range in (merged or {}).get(name, []):
            sheet.merge_cells(cell_range)
        for ref, number_format in (formats or {}).get(name, {}).items():
            sheet[ref].number_format = number_format
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[list], *, encoding: str = "utf-8") -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def progress_row(
    code: object = "13",
    indicator: object = "公益性岗位开发",
    target: object = 2800,
    actual: object = 2608,
    *,
    year: object = 2020,
    month: object = 6,
    region: object = "芜湖市",
    name: object = "就业创业促进",
    unit: object = "个",
    department: object = "市人社局",
    category: object = "补助类",
) -> list:
    return [year, month, region, code, name, indicator, target, actual, unit, department, category]


def progress_workbook(path: Path, rows: list[list], *, title: str | None = None) -> Path:
    """A 进度 sheet: optional title row, the header, then rows (header at row 1 or 2)."""
    head = [[title]] if title else []
    return write_workbook(path, {"进度": [*head, PROGRESS_HEADER, *rows]})


def build_seed003_workbook(path: Path) -> Path:
    """芜湖 2020年6月 progress figures of seed 003 as a clerk would send them.

    Title row 1, header row 2, one row per indicator from row 3, a 合计 row and a footer.
    """
    rows = [
        progress_row(code, indicator, target, actual, name=name, unit=unit,
                     department=department, category=category)
        for code, name, indicator, target, actual, unit, department, category in SEED003_INDICATORS
    ]  # fmt: skip
    total = ["", "", "", "合计", "", "", None, None, "", "", ""]
    footer = ["填报人：张三", None, None, "审核人：李四"]
    return write_workbook(path, {"进度": [[SEED003_TITLE], PROGRESS_HEADER, *rows, total, footer]})


def query(db: Path, sql: str) -> list[tuple]:
    """The rows of `sql` over a read-only connection to the warehouse at `db`."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def assert_same_parse(one, other) -> None:
    """Two ParsedFiles are the same: findings, notices and every table."""
    assert [str(f) for f in one.errors] == [str(f) for f in other.errors]
    assert [str(f) for f in one.warnings] == [str(f) for f in other.warnings]
    assert one.notices == other.notices
    assert sorted(one.tables) == sorted(other.tables)
    for kind, table in other.tables.items():
        assert one.tables[kind].equals(table), kind
