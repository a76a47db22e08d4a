"""Two columns naming one contract column (issue 22): the second used to be ignored silently, so
a sheet with two 地区 columns loaded the first whatever the second said. Now the file is refused
with an error naming the sheet, the header row and both columns, whether the values differ or
not; both ways of reading agree."""

from __future__ import annotations

import pytest

from etl.reading.parse import parse_file
from tests.etl.fixtures import (
    PROGRESS_HEADER,
    SCORES_HEADER,
    progress_row,
    write_csv,
    write_workbook,
)
from tests.etl.test_fast import both_ways

TITLE = ["芜湖市2020年民生工程6月份进度表"]


@pytest.mark.parametrize("second", ["别处", None], ids=["values-differ", "values-equal"])
def test_two_region_columns_are_refused_naming_both(tmp_path, monkeypatch, second):
    rows = [progress_row(indicator=f"指标{i}") for i in range(3)]
    sheet = [TITLE, [*PROGRESS_HEADER, "地区"], *[[*r, second or r[2]] for r in rows]]
    path = write_workbook(tmp_path / "6月.xlsx", {"进度": sheet})
    fast, usual, _ = both_ways(path, monkeypatch)
    for parsed in (fast, usual):
        assert [str(e) for e in parsed.errors] == [
            "6月.xlsx:进度:2:地区: 表头第2行有两列都是“地区”：C列“地区”和L列“地区”，"
            "无法确定用哪一列，请删除或改名其中一列"
        ]
        assert parsed.refused  # nothing of the file loads


def test_an_alias_and_the_contract_name_are_the_same_column(tmp_path):
    header = [
        "年份",
        "月份",
        "县区",
        "项目编号",
        "项目名称",
        "指标名称",
        "年度目标",
        "累计完成",
        "地区",
    ]
    row = [2020, 6, "芜湖市", "13", "就业创业促进", "公益性岗位开发", 10, 5, "铜陵市"]
    path = write_workbook(tmp_path / "6月.xlsx", {"进度": [header, row]})
    assert [str(e) for e in parse_file(path).errors] == [
        "6月.xlsx:进度:1:县区: 表头第1行有两列都是“地区”：C列“县区”和I列“地区”，"
        "无法确定用哪一列，请删除或改名其中一列"
    ]


def test_scores_with_both_note_columns_and_a_csv(tmp_path):
    header = [*SCORES_HEADER, "备注"]  # 说明 and its alias 备注
    path = write_workbook(
        tmp_path / "6月.xlsx", {"考评": [header, [2020, 6, "县区", "铜官区", 1.4, 0, "a", "b"]]}
    )
    assert [str(e) for e in parse_file(path).errors] == [
        "6月.xlsx:考评:1:说明: 表头第1行有两列都是“说明”：G列“说明”和H列“备注”，"
        "无法确定用哪一列，请删除或改名其中一列"
    ]
    csv = write_csv(
        tmp_path / "6月进度.csv", [[*PROGRESS_HEADER, "累计完成"], [*progress_row(), 1]]
    )
    assert [str(e) for e in parse_file(csv).errors] == [
        "6月进度.csv:进度:1:累计完成: 表头第1行有两列都是“累计完成”：H列“累计完成”和L列“累计完成”，"
        "无法确定用哪一列，请删除或改名其中一列"
    ]


def test_a_second_unit_column_far_right_is_named_by_its_own_header(tmp_path):
    """计量单位 shares its field with 考评's 对象名称: the message names this sheet's header, and
    a column past Z by its two letters."""
    unit = PROGRESS_HEADER.index("计量单位")
    header = [*PROGRESS_HEADER, *[f"备用{i}" for i in range(26 - len(PROGRESS_HEADER))], "计量单位"]
    row = [*progress_row(), *[""] * (26 - len(PROGRESS_HEADER)), "个"]
    path = write_workbook(tmp_path / "6月.xlsx", {"进度": [header, row]})
    letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[unit]
    assert [str(e) for e in parse_file(path).errors] == [
        f"6月.xlsx:进度:1:计量单位: 表头第1行有两列都是“计量单位”：{letter}列“计量单位”和AA列“计量单位”，"
        "无法确定用哪一列，请删除或改名其中一列"
    ]
