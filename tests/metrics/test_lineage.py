"""数据溯源 through the real loader: a county's file, then its corrected file for June, gives the
item's source (file, sheet, row, loader) and a history naming the replacement."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from etl.writing.warehouse import load_paths
from metrics import lineage
from metrics.db import REQUIRED_VIEWS, Warehouse
from tests.etl.fixtures import FUNDING_HEADER, PROGRESS_HEADER, progress_row, write_workbook

REGION = "北岭县"
JOBS = ("1", "公益性岗位开发", "公益性岗位开发")


def report(path: Path, months: dict[int, float], *, title: bool, region: str = REGION) -> Path:
    """北岭县's 进度 (one indicator, target 100) and 资金 sheets for the given months' actuals.
    `title`: a title row above the header, so the data rows start one row lower."""
    code, name, indicator = JOBS
    progress = [
        progress_row(code, indicator, 100, actual, year=2025, month=month, region=region,
                     name=name)
        for month, actual in months.items()
    ]  # fmt: skip
    funding = [
        [2025, month, region, code, name, 500, actual * 4, actual * 2]
        for month, actual in months.items()
    ]
    head = [["北岭县2025年民生工程进度表"]] if title else []
    sheets = {"进度": [*head, PROGRESS_HEADER, *progress], "资金": [FUNDING_HEADER, *funding]}
    return write_workbook(path, sheets)


def load(db: Path, path: Path, by: str) -> None:
    [result] = load_paths([path], db, loaded_by=by)
    assert not result.refused, result.lines()


@pytest.fixture
def wh(tmp_path) -> Warehouse:
    db = tmp_path / "minsheng.duckdb"
    load(db, report(tmp_path / "北岭县5-6月.xlsx", {5: 30, 6: 40}, title=False), "张三")
    # the corrected June: a title row, so its data row is row 3, not row 3 of the first file's
    load(db, report(tmp_path / "北岭县6月更正.xlsx", {6: 45}, title=True), "李四")
    return Warehouse(db)


def test_views_keep_the_contract_columns_first_and_add_the_lineage_at_the_end(wh):
    tail = ["load_id", "source_file", "source_sheet", "source_row", "loaded_at", "loaded_by"]
    with duckdb.connect(str(wh.path), read_only=True) as con:
        for view, contract in REQUIRED_VIEWS.items():
            names = [row[0] for row in con.execute(f"DESCRIBE {view}").fetchall()]
            assert names == [*contract, *tail], view
        row = con.execute(
            "SELECT source_file, source_sheet, source_row, loaded_by FROM v_progress "
            "WHERE month = 6"
        ).fetchone()
    assert row == ("北岭县6月更正.xlsx", "进度", 3, "李四")


def test_the_source_of_a_figure_is_its_file_sheet_and_row(wh):
    june = lineage.item_source(wh, 2025, 6, REGION, "1", "公益性岗位开发")
    assert len(june) == 1
    first = june.iloc[0]
    assert (first["source_file"], first["source_sheet"], first["source_row"]) == (
        "北岭县6月更正.xlsx", "进度", 3,
    )  # fmt: skip
    assert first["loaded_by"] == "李四"
    assert first["actual"] == 45
    may = lineage.item_source(wh, 2025, 5, REGION, "1", "公益性岗位开发").iloc[0]
    assert (may["source_file"], may["source_row"], may["loaded_by"]) == (
        "北岭县5-6月.xlsx",
        2,
        "张三",
    )
    # another region's item (or one never loaded) has no source: an empty frame, not an error
    assert lineage.item_source(wh, 2025, 6, "南溪县", "1", "公益性岗位开发").empty


def test_the_history_names_the_replacement_and_what_the_month_said_before(wh):
    history = lineage.item_history(wh, 2025, REGION, "1", "公益性岗位开发")
    assert list(history["month"]) == [5, 6]
    assert list(history["actual"]) == [30, 45]
    assert list(history["source_file"]) == ["北岭县5-6月.xlsx", "北岭县6月更正.xlsx"]
    assert list(history["n_replaced"]) == [0, 1]
    assert history["replacement"].iloc[0] == ""
    day = wh.query("lineage_progress", {"year": 2025, "region": REGION, "project_code": "1",
                                        "indicator": "公益性岗位开发"})["loaded_at"].max()  # fmt: skip
    when = f"{'' if day.year == 2025 else f'{day.year}年'}{day.month}月{day.day}日"
    assert history["replacement"].iloc[1] == (
        f"6月数据于{when}被《北岭县6月更正.xlsx》（李四导入）替换；"
        "原为《北岭县5-6月.xlsx》进度表第3行：累计完成 40个，年度目标 100个，完成率 40.0%。"
    )


def test_funding_rows_are_traced_the_same_way(wh):
    source = lineage.funding_source(wh, 2025, 6, REGION, "1").iloc[0]
    assert (source["source_file"], source["source_sheet"], source["source_row"]) == (
        "北岭县6月更正.xlsx", "资金", 2,
    )  # fmt: skip
    history = lineage.funding_history(wh, 2025, REGION, "1")
    assert list(history["arrived"]) == [120, 180]
    assert (
        "原为《北岭县5-6月.xlsx》资金表第3行：计划投入 500万元，到位 160万元"
        in (history["replacement"].iloc[1])
    )
    assert set(history["department"]) == {"市人社局"}  # a 市直单位 account's reach keeps it
