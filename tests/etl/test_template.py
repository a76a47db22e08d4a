"""The blank 填报模板: what a clerk sees in Excel, and that a filled copy loads unchanged."""

from __future__ import annotations

import duckdb
import openpyxl
import pytest

from etl.template import write_template
from etl.writing.warehouse import load_paths

HEADERS = {
    "进度": ["年份", "月份", "地区", "项目编号", "项目名称", "指标名称", "年度目标", "累计完成",
             "计量单位", "责任单位", "类别"],
    "资金": ["年份", "月份", "地区", "项目编号", "项目名称", "计划投入", "到位资金", "拨付资金"],
    "考评": ["年份", "月份", "对象类型", "对象名称", "得分", "加扣分", "说明"],
    "序时计划": ["年份", "项目编号", "类别", *(f"{m}月" for m in range(1, 13))],
}  # fmt: skip


@pytest.fixture
def template(tmp_path):
    return write_template(tmp_path / "模板.xlsx")


def test_sheets_and_header_rows_are_the_contracts(template):
    book = openpyxl.load_workbook(template)
    assert book.sheetnames == ["填报说明", "进度", "资金", "考评", "序时计划"]
    assert "万元" in "".join(str(c.value) for c in book["填报说明"]["A"])
    for name, headers in HEADERS.items():
        sheet = book[name]
        assert [c.value for c in sheet[2]] == headers
        assert sheet["A1"].value  # a title row above the header
        assert sheet.freeze_panes == "A3"


def validations(sheet) -> dict[str, tuple]:
    """First column letter of each validation → (type, formula1, formula2)."""
    return {
        str(v.sqref).split(":")[0].rstrip("0123456789"): (v.type, v.formula1, v.formula2)
        for v in sheet.data_validations.dataValidation
    }


@pytest.mark.parametrize(
    ("sheet", "column", "expected"),
    [
        ("进度", "B", ("whole", "1", "12")),  # 月份
        ("资金", "B", ("whole", "1", "12")),
        ("考评", "B", ("whole", "1", "12")),
        ("进度", "K", ("list", '"工程类,补助类,参保服务类,培训类,其他"', None)),  # 类别
        ("序时计划", "C", ("list", '"工程类,补助类,参保服务类,培训类,其他"', None)),
        ("考评", "C", ("list", '"县区,市直单位"', None)),  # 对象类型
        ("序时计划", "D", ("decimal", "0", "100")),  # 1月, percent
    ],
)
def test_drop_downs_and_checks(template, sheet, column, expected):
    assert validations(openpyxl.load_workbook(template)[sheet])[column] == expected


def test_filled_template_loads_as_is(template, tmp_path):
    book = openpyxl.load_workbook(template)
    sheet = book["进度"]
    filled = [
        [2020, 6, "铜官区", "13", "就业创业促进", "公益性岗位开发", 2800, 2608, "个", "市人社局", "补助类"],
        [2020, 6, "铜官区", "12-1", "就业创业促进", "就业见习", 1171, 569, "人", "市人社局", "培训类"],
    ]  # fmt: skip
    for row_number, values in enumerate(filled, start=3):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row_number, column=column, value=value)
    path = tmp_path / "铜官区6月.xlsx"
    book.save(path)

    [result] = load_paths([path], tmp_path / "wh.duckdb")
    assert (result.refused, result.errors, result.warnings) == (False, [], [])
    assert result.summary() == "✔ 铜官区6月.xlsx：进度 2 行"
    con = duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True)
    loaded = con.execute(
        "SELECT project_code, indicator, target, actual, category FROM v_progress ORDER BY 1"
    ).fetchall()
    con.close()
    assert loaded == [("12-1", "就业见习", 1171.0, 569.0, "培训类"),
                      ("13", "公益性岗位开发", 2800.0, 2608.0, "补助类")]  # fmt: skip
