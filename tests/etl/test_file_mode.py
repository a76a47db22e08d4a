"""The warehouse file keeps its permission bits across the copy-and-os.replace swap (issue 22):
a database kept private (0600) became readable by everyone (0644) after a load, because the
copy that replaces it was made with the process's umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

import etl.demo
from etl.demo import build_demo_database, demo_files
from etl.writing.warehouse import load_paths, undo_load
from tests.etl.fixtures import PROGRESS_HEADER, progress_row, write_csv


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def private_db(tmp_path) -> Path:
    db = tmp_path / "wh.duckdb"
    load_paths([write_csv(tmp_path / "5月进度.csv", [PROGRESS_HEADER, progress_row(month=5)])], db)
    os.chmod(db, 0o600)
    return db


def test_a_load_and_an_undo_keep_a_private_database_private(tmp_path, private_db):
    old_umask = os.umask(0o022)  # what a service usually runs with: new files 0644
    try:
        june = write_csv(tmp_path / "6月进度.csv", [PROGRESS_HEADER, progress_row(month=6)])
        [loaded] = load_paths([june], private_db)
        assert not loaded.refused
        assert mode(private_db) == 0o600

        undone = undo_load(private_db, loaded.load_id, by="张三")
        assert not undone.refused
        assert mode(private_db) == 0o600
    finally:
        os.umask(old_umask)


def test_a_group_readable_database_stays_so(tmp_path, private_db):
    os.chmod(private_db, 0o640)
    june = write_csv(tmp_path / "6月进度.csv", [PROGRESS_HEADER, progress_row(month=6)])
    load_paths([june], private_db)
    assert mode(private_db) == 0o640


def test_the_copy_is_private_while_it_is_written(tmp_path, private_db, monkeypatch):
    """The copy holds the whole warehouse: not readable by others even before the swap."""
    import warehouse.writer

    seen = []
    real_replace = os.replace

    def spy(src, dst):
        seen.append(mode(Path(src)))
        return real_replace(src, dst)

    monkeypatch.setattr(warehouse.writer.os, "replace", spy)
    os.chmod(private_db, 0o600)
    june = write_csv(tmp_path / "6月进度.csv", [PROGRESS_HEADER, progress_row(month=6)])
    load_paths([june], private_db)
    assert seen == [0o600]


def test_a_demo_rebuild_keeps_the_mode(tmp_path, monkeypatch):
    few = demo_files()[:2]
    monkeypatch.setattr(etl.demo, "demo_files", lambda: few)
    db = tmp_path / "demo.duckdb"
    build_demo_database(db)
    os.chmod(db, 0o600)

    build_demo_database(db)

    assert mode(db) == 0o600
