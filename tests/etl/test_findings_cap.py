"""Findings stored per load attempt are capped (issue 22): a refused 18 MB file stored 298,886
findings and grew the database from 2.9 to 25.7 MB, which every later load copies. The stored
copy keeps the count and the first MAX_STORED_FINDINGS; the clerk still gets every finding when
the file is checked or loaded (CLI output, the page's download)."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from etl import cli
from etl.writing.warehouse import MAX_STORED_FINDINGS, load_paths
from tests.etl.fixtures import PROGRESS_HEADER, progress_row, write_csv

BAD_ROWS = 60_000


def bad_csv(path: Path, rows: int) -> Path:
    """A 进度 CSV whose every row has a negative 累计完成 (one error a row)."""
    return write_csv(
        path,
        [PROGRESS_HEADER, *(progress_row(indicator=f"指标{i}", actual=-1) for i in range(rows))],
    )


def stored(db: Path) -> tuple[list[str], list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        errors = con.execute("SELECT errors FROM load_log ORDER BY load_id DESC LIMIT 1").fetchone()
        findings = con.execute(
            "SELECT seq, is_warning, row, message FROM load_finding "
            "WHERE load_id = (SELECT max(load_id) FROM load_log) ORDER BY seq"
        ).fetchall()
    return errors[0], findings


def test_a_refused_file_stores_the_first_findings_and_says_how_many_more(tmp_path, capsys):
    db = tmp_path / "wh.duckdb"
    source = bad_csv(tmp_path / "6月进度.csv", 1_500)

    assert cli.main(["load", str(source), "--db", str(db)]) == cli.EXIT_REFUSED

    printed = [line for line in capsys.readouterr().out.splitlines() if "不能为负数" in line]
    assert len(printed) == 1_500  # the clerk sees every finding
    errors, findings = stored(db)
    assert len(errors) == MAX_STORED_FINDINGS + 1
    assert errors[0] == "6月进度.csv:进度:2:累计完成: 不能为负数"
    assert errors[-1] == "6月进度.csv:-:-:-: 另有 500 条未保存"
    assert len(findings) == MAX_STORED_FINDINGS + 1
    assert findings[MAX_STORED_FINDINGS - 1][2] == MAX_STORED_FINDINGS + 1  # spreadsheet row
    assert findings[-1][1:] == (
        False,
        None,
        "共 1500 条错误和警告，只保存了前 1000 条，另有 500 条未保存（检查时可看到并下载完整列表）",
    )


def growth(tmp_path: Path, bad_rows: int) -> tuple[int, list]:
    """How much refusing a file with `bad_rows` errors grows a small warehouse, and its result."""
    db = tmp_path / f"wh-{bad_rows}.duckdb"
    load_paths([write_csv(tmp_path / "5月进度.csv", [PROGRESS_HEADER, progress_row(month=5)])], db)
    before = os.path.getsize(db)
    [result] = load_paths([bad_csv(tmp_path / "6月进度.csv", bad_rows)], db)
    return os.path.getsize(db) - before, result


def test_a_large_refused_file_grows_the_database_no_more_than_a_small_one(tmp_path):
    small, _ = growth(tmp_path, 10)
    large, result = growth(tmp_path, BAD_ROWS)

    assert result.refused and len(result.errors) == BAD_ROWS
    # uncapped, the 60,000 findings grew it by 5 MB more than 10 findings did
    assert large <= small


def test_a_loaded_file_with_many_warnings_keeps_their_count(tmp_path):
    db = tmp_path / "wh.duckdb"
    many = MAX_STORED_FINDINGS + 20
    rows = [progress_row(indicator=f"指标{i}", target=1, actual=9) for i in range(many)]
    source = write_csv(tmp_path / "6月进度.csv", [PROGRESS_HEADER, *rows])  # 900%: a warning each

    [result] = load_paths([source], db)

    assert not result.refused and len(result.warnings) == many
    with duckdb.connect(str(db), read_only=True) as con:
        n_warnings, warnings = con.execute("SELECT n_warnings, warnings FROM load_log").fetchone()
        last = con.execute(
            "SELECT is_warning, message FROM load_finding ORDER BY seq DESC"
        ).fetchone()
        rows_loaded = con.execute("SELECT count(*) FROM progress_report").fetchone()[0]
    assert n_warnings == many and rows_loaded == many
    assert len(warnings) == MAX_STORED_FINDINGS + 1
    assert warnings[-1] == "6月进度.csv:-:-:-: 另有 20 条未保存"
    assert last == (
        True,
        "共 1020 条错误和警告，只保存了前 1000 条，另有 20 条未保存（检查时可看到并下载完整列表）",
    )
