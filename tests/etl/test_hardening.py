"""Issue 18: text that must not become data (formulas, "no value" marks, over-long names),
figures far out of scale, the cell cap per sheet, temporary files.

Each refusal is checked as a clerk sees it (file:sheet:row:column and the reason) and against
the database, which a refused file leaves exactly as it was.
"""

from __future__ import annotations

import duckdb
import pytest

from etl.reading.guards import Limits
from etl.reading.magnitude import completion_warning
from etl.reading.parse import parse_file
from etl.reading.sheets import temporary_workbook
from etl.reading.text_checks import MAX_NAME_LENGTH, is_formula
from etl.writing.warehouse import load_paths
from tests.etl.fixtures import (
    FUNDING_HEADER,
    PROGRESS_HEADER,
    progress_row,
    write_csv,
    write_workbook,
)

FORMULAS = [
    "=1+1",
    '=HYPERLINK("http://example.com","点击")',
    "cmd|' /C calc'!A0",
    "=cmd|' /C calc'!A0",
    "+SUM(A1:A3)",
    "@SUM(1,2)",
    "-2+3",
    "+A1",
    "-$B$2*3",
    "@A1",
    "-(1)",
    "+Sheet1!A1",
]
NOT_FORMULAS = ["-", "12-1", "-5", "+5", "@市民生办", "A-1", "1-2-3", "（二期）", "+86", "=", "-5%"]


def progress_workbook(path, rows):
    """The 进度 sheet with every text cell stored as text: `=1+1` as a clerk's pasted value,
    not a formula openpyxl would write."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "进度"
    for row in [PROGRESS_HEADER, *rows]:
        sheet.append(row)
    for line in sheet.iter_rows():
        for cell in line:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    workbook.save(path)
    return path


def messages(parsed) -> list[str]:
    return [str(finding) for finding in parsed.errors]


def data(db) -> list:
    """Every current data row: what a refused file must leave as it was."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [
            con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()  # noqa: S608
            for table in ("progress_report", "funding_report", "score_report")
        ]
    finally:
        con.close()


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_shaped_text_is_a_formula(text):
    assert is_formula(text)


@pytest.mark.parametrize("text", NOT_FORMULAS)
def test_ordinary_text_is_not_a_formula(text):
    assert not is_formula(text)


@pytest.mark.parametrize("text", FORMULAS)
def test_a_formula_as_a_region_is_refused_with_its_place(text, tmp_path):
    rows = [progress_row(), progress_row(indicator="就业见习", region=text)]
    parsed = parse_file(progress_workbook(tmp_path / "r.xlsx", rows))
    [message] = messages(parsed)
    assert message.startswith(f"r.xlsx:进度:3:地区: “{text}”像是公式，不能作为数据导入")


@pytest.mark.parametrize(
    "field", ["name", "indicator", "unit", "department", "code"], ids=lambda f: f
)
def test_a_formula_in_any_name_column_is_refused(field, tmp_path):
    parsed = parse_file(progress_workbook(tmp_path / "r.xlsx", [progress_row(**{field: "=1+1"})]))
    [message] = messages(parsed)
    assert "“=1+1”像是公式" in message and message.startswith("r.xlsx:进度:2:")


def test_a_formula_in_a_scores_note_and_a_csv_is_refused(tmp_path):
    rows = [
        ["年份", "月份", "对象类型", "对象名称", "得分", "加扣分", "说明"],
        [2020, 9, "县区", "铜官区", 1.35, 0.05, "@SUM(1,2)"],
    ]
    parsed = parse_file(write_csv(tmp_path / "9月考评.csv", rows, encoding="gb18030"))
    assert [m.split("”")[0] for m in messages(parsed)] == ["9月考评.csv:考评:2:说明: “@SUM(1,2)"]


@pytest.mark.parametrize("text", ["-5", "+5", "@市民生办", "A-1"])
def test_text_that_only_starts_like_a_formula_loads(text, tmp_path):
    parsed = parse_file(progress_workbook(tmp_path / "r.xlsx", [progress_row(region=text)]))
    assert parsed.errors == []
    assert parsed.progress["region"].tolist() == [text]


def test_a_sub_project_code_and_negative_numbers_are_not_formulas(tmp_path):
    parsed = parse_file(
        progress_workbook(tmp_path / "r.xlsx", [progress_row(code="12-1", actual="-5")])
    )
    assert messages(parsed) == ["r.xlsx:进度:2:累计完成: 不能为负数"]  # a number, not text


@pytest.mark.parametrize("mark", ["—", "无", "——", "/", "N/A", "－"])
@pytest.mark.parametrize(
    ("field", "header"), [("region", "地区"), ("name", "项目名称"), ("indicator", "指标名称")]
)
def test_no_value_in_a_required_name_is_refused(mark, field, header, tmp_path):
    parsed = parse_file(progress_workbook(tmp_path / "r.xlsx", [progress_row(**{field: mark})]))
    assert messages(parsed) == [f"r.xlsx:进度:2:{header}: 必填，“{mark}”表示无内容，请填写实际名称"]


def test_no_value_in_a_funding_region_is_refused(tmp_path):
    rows = [FUNDING_HEADER, [2020, 6, "无", "13", "就业创业促进", 500, 400, 300]]
    parsed = parse_file(write_workbook(tmp_path / "f.xlsx", {"资金": rows}))
    assert messages(parsed) == ["f.xlsx:资金:2:地区: 必填，“无”表示无内容，请填写实际名称"]


@pytest.mark.parametrize("mark", ["—", "无", "-", "/", None])
def test_no_value_in_optional_columns_means_no_value(mark, tmp_path):
    row = progress_row(unit=mark, department=mark, category=mark)
    parsed = parse_file(progress_workbook(tmp_path / "r.xlsx", [row]))
    assert parsed.errors == []
    assert parsed.progress["category"].tolist() == ["其他"]  # the contract's default
    assert parsed.progress["unit"].tolist() == [None]
    assert parsed.progress["department"].tolist() == [None]


def test_over_long_names_are_refused_at_the_documented_limit(tmp_path):
    rows = [
        progress_row(indicator="指" * MAX_NAME_LENGTH),
        progress_row(indicator="标" * (MAX_NAME_LENGTH + 1)),
        progress_row(indicator="x", region="区" * 32_767),
    ]
    parsed = parse_file(progress_workbook(tmp_path / "r.xlsx", rows))
    assert messages(parsed) == [
        f"r.xlsx:进度:3:指标名称: 内容过长（{MAX_NAME_LENGTH + 1}个字符，上限{MAX_NAME_LENGTH}个），"
        "请核对是否粘贴错了内容",
        f"r.xlsx:进度:4:地区: 内容过长（32767个字符，上限{MAX_NAME_LENGTH}个），请核对是否粘贴错了内容",
    ]


def test_a_refused_file_leaves_the_database_as_it_was(tmp_path):
    db = tmp_path / "wh.duckdb"
    [first] = load_paths([progress_workbook(tmp_path / "ok.xlsx", [progress_row()])], db)
    assert not first.refused
    before = data(db)
    bad = progress_workbook(tmp_path / "bad.xlsx", [progress_row(region='=HYPERLINK("x")')])
    [result] = load_paths([bad], db)
    assert result.refused and "像是公式" in str(result.errors[0])
    assert data(db) == before


def test_huge_targets_and_budgets_warn_without_a_warehouse(tmp_path):
    sheets = {
        "进度": [PROGRESS_HEADER, progress_row(target=1e15, actual=1)],
        "资金": [FUNDING_HEADER, [2020, 6, "芜湖市", "13", "就业创业促进", 9e307, 400, 300]],
    }
    parsed = parse_file(write_workbook(tmp_path / "h.xlsx", sheets))
    assert parsed.errors == []
    assert [str(w) for w in parsed.warnings] == [
        "警告 h.xlsx:进度:2:年度目标: 年度目标（超过1万亿）大得不合常理，请核实数值和计量单位",
        "警告 h.xlsx:资金:2:计划投入: 计划投入（超过1万亿万元）大得不合常理，请核实数值和金额单位",
    ]


def test_a_target_far_above_what_the_warehouse_holds_warns(tmp_path):
    db = tmp_path / "wh.duckdb"
    load_paths([progress_workbook(tmp_path / "5月.xlsx", [progress_row(month=5)])], db)
    [result] = load_paths(
        [progress_workbook(tmp_path / "6月.xlsx", [progress_row(target=2_800_000)])], db
    )
    assert not result.refused
    assert [str(w) for w in result.warnings] == [
        "警告 6月.xlsx:进度:2:年度目标: 年度目标（2800000）是数据库中该指标已有最大值（2800）的100倍以上，"
        "请核实数值和单位"
    ]


def test_a_completion_of_1e300_is_printed_readably(tmp_path):
    parsed = parse_file(
        progress_workbook(tmp_path / "r.xlsx", [progress_row(target=1, actual=1e300)])
    )
    [warning] = [str(w) for w in parsed.warnings]
    assert warning == "警告 r.xlsx:进度:2:累计完成: 完成率超过10000%，请核实年度目标和累计完成"
    assert completion_warning(830, 100) == "完成率830%超过300%，请核实年度目标和累计完成"


def test_a_sheet_over_the_cell_cap_is_refused_before_it_is_read(tmp_path):
    rows = [progress_row(indicator=f"指标{i}") for i in range(20)]
    path = progress_workbook(tmp_path / "big.xlsx", rows)
    parsed = parse_file(path, limits=Limits(max_sheet_cells=100))
    [message] = messages(parsed)
    assert message.startswith("big.xlsx:-:-:-: 文件被拒绝：工作表“进度”有")
    assert "超过每张工作表100个的上限" in message


def test_a_csv_over_the_cell_cap_is_refused(tmp_path):
    rows = [PROGRESS_HEADER, *[progress_row(indicator=f"指标{i}") for i in range(20)]]
    parsed = parse_file(
        write_csv(tmp_path / "6月进度.csv", rows), limits=Limits(max_sheet_cells=50)
    )
    assert messages(parsed) == [
        "6月进度.csv:-:-:-: 文件被拒绝：工作表“进度”的单元格超过每张工作表50个的上限；"
        "请删去表格外多余的内容，或把数据分成几个文件"
    ]


def test_a_temporary_workbook_is_removed_when_writing_it_is_interrupted(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))

    class Interrupting:
        def __len__(self):
            return 1

        def __buffer__(self, flags):  # pragma: no cover - write() asks for the bytes
            raise KeyboardInterrupt

    with pytest.raises((KeyboardInterrupt, TypeError)):
        temporary_workbook(Interrupting())  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []
