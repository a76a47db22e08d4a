"""Findings are stored structured (load_finding), so 数据质量 shows the place as the loader found
it even when a file or header name holds ':' (`计划投入(单位:元)`); old databases still work."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dashboard.admin_warnings import month_warnings
from etl.writing.warehouse import load_paths
from metrics.admin import split_finding_text
from tests.etl.fixtures import FUNDING_HEADER, query, write_workbook

COLON_HEADER = [*FUNDING_HEADER[:5], "计划投入(单位:元)", "到位资金(单位:元)", "拨付资金(单位:元)"]
EXPECTED_WARNING = {
    "文件": "芜湖:6月.xlsx",
    "工作表": "资金",
    "行": "3",
    "列": "拨付资金(单位:元)",
    "问题": "拨付资金（60万元）高于到位资金（50万元）",
    "查看": "funding?year=2020&month=6&region=%E9%93%9C%E5%AE%98%E5%8C%BA",
    # the warning's own row, on 数据溯源: the project's 资金 row in that region
    "溯源": "lineage?year=2020&month=6&region=%E9%93%9C%E5%AE%98%E5%8C%BA&code=13",
}


def funding_file(folder: Path, name: str, disbursed: float, budget: object = 1_000_000) -> Path:
    rows = [["芜湖市2020年6月资金表"], COLON_HEADER,
            [2020, 6, "铜官区", "13", "就业创业促进", budget, 500_000, disbursed]]  # fmt: skip
    return write_workbook(folder / name, {"资金": rows})


def findings(db: Path) -> list[tuple]:
    return query(
        db,
        "SELECT load_id, seq, is_warning, file, sheet, row, col, message FROM load_finding "
        "ORDER BY load_id, seq",
    )


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "minsheng.duckdb"
    load_paths([funding_file(tmp_path, "芜湖:6月.xlsx", 600_000)], path)
    return path


def test_colon_in_file_and_header_names_keeps_the_place(db):
    frame = month_warnings(db, 2020, 6)
    assert frame.drop(columns="导入编号").to_dict("records") == [EXPECTED_WARNING]


def test_errors_and_warnings_are_rows_of_load_finding(db, tmp_path):
    bad = funding_file(tmp_path, "铜官区:更正.xlsx", 600_000, budget="很多")
    [result] = load_paths([bad], db)
    assert result.refused
    assert findings(db) == [
        (1, 1, True, "芜湖:6月.xlsx", "资金", 3, "拨付资金(单位:元)",
         "拨付资金（60万元）高于到位资金（50万元）"),
        (2, 1, False, "铜官区:更正.xlsx", "资金", 3, "计划投入(单位:元)", result.errors[0].message),
        (2, 2, True, "铜官区:更正.xlsx", "资金", 3, "拨付资金(单位:元)",
         "拨付资金（60万元）高于到位资金（50万元）"),
    ]  # fmt: skip


def make_legacy(db: Path) -> None:
    """The database as a loader before load_finding wrote it."""
    with duckdb.connect(str(db)) as con:
        con.execute("DROP TABLE load_finding")
        con.execute("DELETE FROM warehouse_meta")


def test_database_without_the_table_falls_back_to_the_printed_lines(tmp_path):
    db = tmp_path / "minsheng.duckdb"
    load_paths([funding_file(tmp_path, "芜湖6月.xlsx", 600_000)], db)
    make_legacy(db)
    frame = month_warnings(db, 2020, 6)
    assert frame.drop(columns="导入编号").to_dict("records") == [
        EXPECTED_WARNING | {"文件": "芜湖6月.xlsx"}
    ]


def test_next_load_backfills_the_table_from_the_printed_lines(tmp_path):
    db = tmp_path / "minsheng.duckdb"
    load_paths([funding_file(tmp_path, "芜湖6月.xlsx", 600_000)], db)
    make_legacy(db)
    load_paths([funding_file(tmp_path, "七月.xlsx", 400_000)], db)  # no warning of its own
    assert findings(db) == [
        (1, 1, True, "芜湖6月.xlsx", "资金", 3, "拨付资金(单位:元)",
         "拨付资金（60万元）高于到位资金（50万元）"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("printed", "parts"),
    [
        ("警告 芜湖:6月.xlsx:资金:3:拨付资金(单位:元): 高于到位资金",
         ["芜湖:6月.xlsx", "资金", "3", "拨付资金(单位:元)", "高于到位资金"]),
        ("a.xlsx:-:-:-: 没有可识别的工作表：名称",
         ["a.xlsx", "-", "-", "-", "没有可识别的工作表：名称"]),
        ("无位置的说明", ["", "", "", "", "无位置的说明"]),
    ],
)  # fmt: skip
def test_printed_lines_of_old_databases_split_back(printed, parts):
    assert list(split_finding_text(printed).values()) == parts
