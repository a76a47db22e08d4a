"""The name "demo" marks the demo's loads: nobody else may use it, and the demo build never
overwrites a clerk's load that landed while it was loading (re-checked under the writers' lock)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

import etl.writing.warehouse
from dashboard import admin_actions
from dashboard.intake import IntakeLimits
from etl import cli
from etl.demo import build_demo_database, is_demo_database
from etl.writing.warehouse import RESERVED_MESSAGE, load_parsed, undo_load
from tests.dashboard.admin_files import GOOD
from tests.etl.fixtures import progress_row, progress_workbook
from tests.etl.test_warehouse import JUNE, JUNE_CORRECTED


def loaded_by(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT loaded_by, refused FROM load_log ORDER BY load_id").fetchall()


@pytest.mark.parametrize("name", ["demo", "Demo", " demo ", "ｄｅｍｏ"])
def test_loader_refuses_the_demo_name_and_writes_nothing(tmp_path, name):
    db = tmp_path / "wh.duckdb"
    [result] = load_parsed([JUNE], db, loaded_by=name)
    assert result.refused
    assert [e.message for e in result.errors] == [RESERVED_MESSAGE]
    assert not db.exists()


def test_undo_refuses_the_demo_name(tmp_path):
    db = tmp_path / "wh.duckdb"
    [result] = load_parsed([JUNE], db, loaded_by="张三")
    before = db.read_bytes()
    undo = undo_load(db, result.load_id, by="demo")
    assert undo.refused and undo.errors[0].message == RESERVED_MESSAGE
    assert db.read_bytes() == before


def test_cli_refuses_by_demo(tmp_path, capsys):
    db = tmp_path / "wh.duckdb"
    source = progress_workbook(tmp_path / "芜湖6月.xlsx", [progress_row()])
    assert cli.main(["load", str(source), "--db", str(db), "--by", "demo"]) == cli.EXIT_REFUSED
    out = capsys.readouterr().out.splitlines()
    assert f"芜湖6月.xlsx:-:-:-: {RESERVED_MESSAGE}" in out
    assert "✘ 芜湖6月.xlsx：1 处错误，未导入" in out
    assert not db.exists()


def test_admin_page_refuses_a_user_named_demo(tmp_path):
    db = tmp_path / "wh.duckdb"
    load_parsed([JUNE], db, loaded_by="cli")
    batch = admin_actions.check_uploads([GOOD], db, IntakeLimits())
    [result] = admin_actions.load_passed(batch, db, user="demo")
    assert result.refused and result.errors[0].message == RESERVED_MESSAGE
    assert loaded_by(db) == [("cli", False)]
    assert not is_demo_database(db)


def test_demo_build_does_not_overwrite_a_load_that_lands_meanwhile(tmp_path, monkeypatch):
    db = tmp_path / "minsheng.duckdb"

    def demo_load_while_a_clerk_loads(files, staging, **kwargs):
        results = load_parsed([JUNE], staging, **kwargs)  # a stand-in for the demo's files
        load_parsed([JUNE_CORRECTED], db, loaded_by="张三")  # the clerk's load lands now
        return results

    monkeypatch.setattr(etl.writing.warehouse, "load_paths", demo_load_while_a_clerk_loads)
    with pytest.raises(FileExistsError, match="已有正式数据"):
        build_demo_database(db)
    assert loaded_by(db) == [("张三", False)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["minsheng.duckdb", "minsheng.duckdb.lock"]


def test_demo_build_passes_its_own_name(tmp_path, monkeypatch):
    db = tmp_path / "minsheng.duckdb"
    monkeypatch.setattr(
        etl.writing.warehouse,
        "load_paths",
        lambda files, staging, **kw: load_parsed([JUNE], staging, **kw),
    )
    [result] = build_demo_database(db)
    assert not result.refused
    assert loaded_by(db) == [("demo", False)]
    assert is_demo_database(db)
