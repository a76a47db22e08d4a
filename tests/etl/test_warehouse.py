"""Loading semantics of the warehouse (data contract §2), on ParsedFile objects built in memory."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl.model import (
    FUNDING_COLUMNS,
    PROGRESS_COLUMNS,
    SCHEDULE_COLUMNS,
    SCORES_COLUMNS,
    SOURCE_COLUMNS,
    Finding,
    ParsedFile,
)
from etl.writing.warehouse import load_parsed, resolve_db_path, undo_load
from metrics.db import resolve_db_path as metrics_resolve_db_path

DATA_TABLES = ("progress_report", "funding_report", "score_report", "schedule_plan")


def frame(columns: list[str], rows: list[tuple], sheet: str, per_row: int = 1) -> pd.DataFrame:
    # data starts under the header; a schedule row of the sheet is 12 long rows
    records = [(*row, sheet, i // per_row + 3) for i, row in enumerate(rows)]
    return pd.DataFrame(records, columns=columns + SOURCE_COLUMNS)


def parsed_file(name: str, progress=(), funding=(), scores=(), schedules=(), errors=()):
    content = repr((progress, funding, scores, schedules, errors)).encode()
    parsed = ParsedFile(name=name, path=Path(name), sha256=hashlib.sha256(content).hexdigest())
    if progress:
        parsed.progress = frame(PROGRESS_COLUMNS, list(progress), "进度")
    if funding:
        parsed.funding = frame(FUNDING_COLUMNS, list(funding), "资金")
    if scores:
        parsed.scores = frame(SCORES_COLUMNS, list(scores), "考评")
    if schedules:
        parsed.schedules = frame(SCHEDULE_COLUMNS, list(schedules), "序时计划", per_row=12)
    parsed.errors = list(errors)
    return parsed


def progress_row(region, code, indicator, target, actual, month=6, category="其他"):
    return (2020, month, region, code, f"项目{code}", indicator, target, actual, "人", "市人社局",
            category)  # fmt: skip


JUNE = parsed_file(
    "芜湖6月.xlsx",
    progress=[
        progress_row("铜官区", "13", "公益性岗位开发", 2800, 2608),
        progress_row("铜官区", "13", "就业见习", 1171, 569),
        progress_row("义安区", "13", "公益性岗位开发", 1000, 400),
    ],
    funding=[(2020, 6, "铜官区", "13", "就业创业促进", 100.0, 80.0, 60.0)],
    scores=[(2020, 6, "县区", "铜官区", 1.35, 0.05, "信息被采用")],
)
JUNE_CORRECTED = parsed_file(
    "铜官区6月更正.xlsx",
    progress=[
        progress_row("铜官区", "13", "公益性岗位开发", 2800, 2700),
        progress_row("铜官区", "13", "就业见习", 1171, 600),
    ],
)


def query(db: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(":memory:")
    con.execute("ATTACH ? AS wh (READ_ONLY)", [str(db)])
    con.execute("USE wh")
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def data_tables(db: Path) -> dict[str, list[tuple]]:
    """Every row of every data table, in a fixed order: equal dicts mean equal content."""
    return {t: sorted(query(db, f"SELECT * FROM {t}"), key=repr) for t in DATA_TABLES}


def views(db: Path) -> dict[str, list[tuple]]:
    return {v: sorted(query(db, f"SELECT * FROM {v}"), key=repr) for v in ("v_progress", "v_funding", "v_scores")}  # fmt: skip


def log(db: Path) -> list[tuple]:
    return query(db, "SELECT load_id, file_name, refused, unchanged_of, undo_of, undone_by "
                     "FROM load_log ORDER BY load_id")  # fmt: skip


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "wh.duckdb"


def test_load_writes_rows_and_log(db):
    [result] = load_parsed([JUNE], db)
    assert (result.refused, result.rows) == (
        False,
        {"progress": 3, "funding": 1, "scores": 1, "schedule": 0},
    )
    assert result.summary() == "✔ 芜湖6月.xlsx：进度 3 行，资金 1 行，考评 1 行"
    assert query(db, "SELECT region, indicator, completion_rate FROM v_progress ORDER BY 1, 2") == [
        ("义安区", "公益性岗位开发", 0.4),
        ("铜官区", "公益性岗位开发", 2608 / 2800),
        ("铜官区", "就业见习", 569 / 1171),
    ]
    assert query(db, "SELECT unit, round(score, 9) FROM v_scores") == [("铜官区", 1.4)]
    assert log(db) == [(result.load_id, "芜湖6月.xlsx", False, None, None, None)]


def test_same_file_twice_changes_no_data(db):
    [first] = load_parsed([JUNE], db)
    tables, shown = data_tables(db), views(db)
    [again] = load_parsed([JUNE], db)
    assert again.unchanged and not again.refused
    assert "内容与已导入的相同，未改动" in again.notices
    assert again.summary() == "✔ 芜湖6月.xlsx：内容与已导入的相同，未改动"
    assert (data_tables(db), views(db)) == (tables, shown)
    assert log(db) == [
        (first.load_id, "芜湖6月.xlsx", False, None, None, None),
        (again.load_id, "芜湖6月.xlsx", False, first.load_id, None, None),
    ]


def test_corrected_file_replaces_keys_and_names_the_earlier_file(db):
    load_parsed([JUNE], db)
    [corrected] = load_parsed([JUNE_CORRECTED], db)
    assert corrected.notices == ["替换了《芜湖6月.xlsx》导入的 2020年6月 铜官区 进度数据"]
    rows = query(db, "SELECT region, indicator, actual FROM v_progress ORDER BY 1, 2")
    # the file holds all of 铜官区's June progress: its rows replace those; 义安区 stays
    assert rows == [("义安区", "公益性岗位开发", 400.0), ("铜官区", "公益性岗位开发", 2700.0),
                    ("铜官区", "就业见习", 600.0)]  # fmt: skip
    assert query(db, "SELECT count(*) FROM progress_report WHERE superseded_by = ?",
                 [corrected.load_id]) == [(2,)]  # fmt: skip
    assert query(db, "SELECT replaced FROM load_log WHERE load_id = ?", [corrected.load_id]) == [
        (corrected.notices,)
    ]


def test_key_missing_from_new_file_is_dropped_with_its_region_month(db):
    """A file replaces ALL earlier rows of its (kind, year, month, region): an indicator it
    no longer lists disappears from that region's month."""
    load_parsed([JUNE], db)
    shorter = parsed_file(
        "铜官区.xlsx", progress=[progress_row("铜官区", "13", "就业见习", 1171, 600)]
    )
    load_parsed([shorter], db)
    assert query(db, "SELECT region, indicator FROM v_progress ORDER BY 1, 2") == [
        ("义安区", "公益性岗位开发"), ("铜官区", "就业见习"),
    ]  # fmt: skip


def test_refused_file_changes_no_data_table_and_is_logged(db):
    load_parsed([JUNE], db)
    before = data_tables(db)
    bad = parsed_file(
        "铜陵9月.xlsx",
        progress=[progress_row("铜官区", "13", "公益性岗位开发", 2800, 9999)],
        errors=[Finding("铜陵9月.xlsx", "进度", 12, "累计完成", "不能为负数")],
    )
    [result] = load_parsed([bad], db)
    assert result.refused and result.summary() == "✘ 铜陵9月.xlsx：1 处错误，未导入"
    assert data_tables(db) == before
    assert query(db, "SELECT file_name, refused, errors FROM load_log WHERE load_id = ?",
                 [result.load_id]) == [("铜陵9月.xlsx", True, ["铜陵9月.xlsx:进度:12:累计完成: 不能为负数"])]  # fmt: skip


def test_refused_file_in_a_batch_rolls_back_only_itself(db):
    bad = parsed_file("坏.xlsx", errors=[Finding("坏.xlsx", "", None, None, "不是工作簿")])
    results = load_parsed([JUNE, bad, JUNE_CORRECTED], db)
    assert [r.refused for r in results] == [False, True, False]
    assert query(db, "SELECT count(*) FROM v_progress") == [(3,)]
    assert len(log(db)) == 3


@pytest.mark.parametrize(
    ("code", "category", "expected_rate"),
    [
        ("13", "工程类", 0.30),  # its project's plan beats the 工程类 plan
        ("14", "工程类", 0.40),  # no project plan: the 工程类 plan
        ("15", "补助类", 0.50),  # no plan at all: 6 / 12
    ],
)
def test_plan_precedence(db, code, category, expected_rate):
    months = range(1, 13)
    plans = parsed_file(
        "序时计划.xlsx",
        schedules=[(2020, "13", None, m, 0.05 * m) for m in months]
        + [(2020, None, "工程类", m, m / 15) for m in months],
    )
    june = parsed_file(
        "6月.xlsx", progress=[progress_row("铜官区", code, "完工", 10, 4, category=category)]
    )
    [plan_result, _] = load_parsed([plans, june], db)
    assert plan_result.rows["schedule"] == 2
    [(planned, lagging)] = query(db, "SELECT planned_rate, is_lagging FROM v_progress")
    assert planned == pytest.approx(expected_rate)
    assert lagging == (round(expected_rate, 9) > 0.4)


def test_undo_of_a_correction_restores_exactly(db):
    load_parsed([JUNE], db)
    after_june = data_tables(db)
    [corrected] = load_parsed([JUNE_CORRECTED], db)
    assert data_tables(db) != after_june
    undo = undo_load(db, corrected.load_id, by="张三")
    assert (
        not undo.refused
        and undo.summary() == f"↶ 已撤销导入编号 {corrected.load_id}（铜官区6月更正.xlsx）"
    )
    assert data_tables(db) == after_june
    assert log(db)[-2:] == [
        (corrected.load_id, "铜官区6月更正.xlsx", False, None, None, undo.load_id),
        (undo.load_id, "铜官区6月更正.xlsx", False, None, corrected.load_id, None),
    ]


@pytest.mark.parametrize(
    ("which", "message_part"),
    [
        ("superseded", "已被之后导入的《铜官区6月更正.xlsx》"),
        ("undone_twice", "已被撤销"),
        ("missing", "没有编号为 999 的导入记录"),
    ],
)
def test_undo_refusals_change_nothing(db, which, message_part):
    [june] = load_parsed([JUNE], db)
    [corrected] = load_parsed([JUNE_CORRECTED], db)
    target = {"superseded": june.load_id, "undone_twice": corrected.load_id, "missing": 999}[which]
    if which == "undone_twice":
        undo_load(db, corrected.load_id, by="张三")
    before = db.read_bytes()
    result = undo_load(db, target, by="张三")
    assert result.refused and message_part in result.errors[0].message
    assert db.read_bytes() == before


def test_failure_mid_batch_leaves_the_real_file_untouched(db):
    load_parsed([JUNE], db)
    before = db.read_bytes()

    def crash(_result):
        raise RuntimeError("断电")

    with pytest.raises(RuntimeError):
        load_parsed([JUNE_CORRECTED], db, on_result=crash)
    assert db.read_bytes() == before
    assert sorted(p.name for p in db.parent.iterdir()) == ["wh.duckdb", "wh.duckdb.lock"]


def test_stale_copy_of_a_dead_writer_is_removed(db):
    load_parsed([JUNE], db)
    stale = db.with_name("wh.duckdb.tmp-99999")
    stale.write_bytes(b"half written")
    load_parsed([JUNE_CORRECTED], db)
    assert not stale.exists()


REPO_DB = Path(__file__).resolve().parents[2] / "data" / "minsheng.duckdb"


@pytest.mark.parametrize(
    ("cli_value", "env", "expected"),
    [
        ("x/a.duckdb", "y/b.duckdb", Path("x/a.duckdb")),  # relative --db: relative to cwd
        (None, "y/b.duckdb", Path("y/b.duckdb")),
        (None, "  y/b.duckdb \n", Path("y/b.duckdb")),  # stripped
        (None, "~/b.duckdb", Path.home() / "b.duckdb"),
        ("", "y/b.duckdb", Path("y/b.duckdb")),
        (None, "   ", REPO_DB),  # blank means unset
        (None, None, REPO_DB),  # the default is the repo's, wherever the command runs
    ],
)
def test_resolve_db_path(monkeypatch, tmp_path, cli_value, env, expected):
    monkeypatch.chdir(tmp_path)
    if env is None:
        monkeypatch.delenv("MINSHENG_DB", raising=False)
    else:
        monkeypatch.setenv("MINSHENG_DB", env)
    assert resolve_db_path(cli_value) == expected
    if cli_value is None:  # the dashboard (metrics.db) follows the same rule
        assert metrics_resolve_db_path() == expected


def test_unopenable_warehouse_raises_and_leaves_no_copy(db):
    """The copy is opened in a background thread: its failure still reaches the caller."""
    db.write_bytes(b"not a duckdb file" * 100)
    with pytest.raises(duckdb.Error):
        load_parsed([JUNE], db)
    assert db.read_bytes() == b"not a duckdb file" * 100
    assert sorted(p.name for p in db.parent.iterdir()) == ["wh.duckdb", "wh.duckdb.lock"]
    db.unlink()
    [result] = load_parsed([JUNE], db)  # the lock was released
    assert not result.refused
