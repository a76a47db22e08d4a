"""The warehouse end to end: real .xlsx/.csv files through parse_file into a DuckDB file."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from etl.writing.warehouse import check_file, load_parsed, load_paths
from tests.etl.fixtures import PROGRESS_HEADER as HEADER
from tests.etl.fixtures import (
    SCHEDULE_HEADER,
    progress_row,
    progress_workbook,
    write_csv,
    write_workbook,
)

DATA_TABLES = ("progress_report", "funding_report", "score_report", "schedule_plan")


def rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return sorted(con.execute(sql).fetchall(), key=repr)
    finally:
        con.close()


def content(db: Path) -> dict[str, list[tuple]]:
    return {t: rows(db, f"SELECT * FROM {t}") for t in (*DATA_TABLES, "v_progress")}


@pytest.fixture
def june(tmp_path) -> Path:
    return progress_workbook(
        tmp_path / "芜湖6月.xlsx",
        [progress_row("13", "公益性岗位开发", 2800, 2608, region="铜官区"),
         progress_row("13", "就业见习", 1171, 569, region="铜官区"),
         progress_row("13", "就业见习", 500, 100, region="义安区")],
    )  # fmt: skip


def test_reload_same_file_changes_nothing(tmp_path, june):
    db = tmp_path / "wh.duckdb"
    load_paths([june], db)
    before = content(db)
    [again] = load_paths([june], db)
    assert again.unchanged and content(db) == before
    assert rows(db, "SELECT refused, unchanged_of FROM load_log") == [(False, 1), (False, None)]


def test_corrected_csv_replaces_the_workbooks_rows(tmp_path, june):
    db = tmp_path / "wh.duckdb"
    load_paths([june], db)
    corrected = write_csv(tmp_path / "铜官区6月进度.csv", [
        HEADER,
        progress_row("13", "公益性岗位开发", 2800, 2700, region="铜官区"),
        progress_row("13", "就业见习", 1171, 600, region="铜官区"),
    ])  # fmt: skip
    [result] = load_paths([corrected], db)
    assert result.notices[-1] == "替换了《芜湖6月.xlsx》导入的 2020年6月 铜官区 进度数据"
    assert rows(db, "SELECT region, indicator, actual FROM v_progress") == [
        ("义安区", "就业见习", 100.0), ("铜官区", "公益性岗位开发", 2700.0),
        ("铜官区", "就业见习", 600.0),
    ]  # fmt: skip


def test_refused_file_leaves_data_tables_identical(tmp_path, june):
    db = tmp_path / "wh.duckdb"
    load_paths([june], db)
    before = content(db)
    bad = progress_workbook(tmp_path / "坏.xlsx", [
        progress_row("13", "公益性岗位开发", 2800, 1, region="铜官区"),
        progress_row("13", "就业见习", 0, 600, region="铜官区"),  # 年度目标 0
        progress_row("13", "就业见习", 1171, -1, month=13, region="铜官区"),
    ])  # fmt: skip
    [result] = load_paths([bad], db)
    assert result.refused and len(result.errors) >= 2
    assert content(db) == before
    assert rows(db, "SELECT file_name, refused FROM load_log") == [("坏.xlsx", True), ("芜湖6月.xlsx", False)]  # fmt: skip


def test_project_plan_beats_category_plan_beats_month_share(tmp_path):
    book = write_workbook(tmp_path / "6月.xlsx", {
        "进度": [HEADER,
                 progress_row("4", "完工", 100, 35, category="工程类"),
                 progress_row("24", "开工", 100, 35, category="工程类"),
                 progress_row("13", "就业见习", 100, 35, category="补助类")],
        "序时计划": [SCHEDULE_HEADER,
                     [2020, "4", "工程类", *range(5, 65, 5)],  # June: 30
                     [2020, None, "工程类", *range(8, 100, 8)]],  # June: 48
    })  # fmt: skip
    db = tmp_path / "wh.duckdb"
    [result] = load_paths([book], db)
    assert not result.refused, [str(e) for e in result.errors]
    assert rows(db, "SELECT project_code, round(planned_rate, 9), is_lagging FROM v_progress") == [
        ("13", 0.5, True), ("24", 0.48, True), ("4", 0.3, False),
    ]  # fmt: skip


def test_check_file_adds_database_warnings_and_writes_nothing(tmp_path, june):
    db = tmp_path / "wh.duckdb"
    load_paths([june], db)
    before = db.read_bytes()
    july = progress_workbook(tmp_path / "7月.xlsx", [
        progress_row("13", "就业见习", 1171, 500, month=7, region="铜官区"),
        progress_row("13", "就业见习", 500, 200, month=7, region="义安 区"),
    ])  # fmt: skip
    parsed = check_file(july, db)
    assert [(w.row, w.column) for w in parsed.warnings] == [(2, "累计完成"), (3, "地区")]
    assert db.read_bytes() == before
    assert check_file(july, tmp_path / "none.duckdb").warnings == []


def test_checked_file_loads_with_its_warnings_once(tmp_path, june):
    db = tmp_path / "wh.duckdb"
    load_paths([june], db)
    july = progress_workbook(tmp_path / "7月.xlsx", [
        progress_row("13", "就业见习", 1171, 500, month=7, region="铜官区"),
    ])  # fmt: skip
    checked = check_file(july, db)
    [result] = load_parsed([checked], db)
    assert [str(w) for w in result.warnings] == [str(w) for w in checked.warnings]
    assert len(result.warnings) == 1
