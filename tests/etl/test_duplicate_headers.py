"""Two columns naming one contract column (issue 22): the second used to be ignored silently, so
a sheet with two 地区 columns loaded the first whatever the second said. Now the file is refused
with an error naming the sheet, the header row and both columns, whether the values differ or
not; both ways of reading agree."""

from __future__ import annotations

import pytest

from etl.headers import column_letter
from etl.parse import parse_file
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


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == [
        "A", "Z", "AA", "AZ", "BA", "ZZ", "AAA",
    ]  # fmt: skip
