"""Issue 18: the loader's command line with a wrong database path, and in Chinese throughout.

Run as a clerk runs it (`python -m etl …` in a fresh process, MINSHENG_DEBUG unset): one
Chinese sentence, exit status 2, no traceback, no `.lock` file left beside the wrong path.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEMO_FILE = REPO / "data" / "demo" / "2025-01_东湖区.xlsx"
ENGLISH = ("usage:", "options:", "show this help", "error:", "the following", "invalid choice",
           "expected one argument", "Traceback")  # fmt: skip


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {
        k: v for k, v in os.environ.items() if k not in ("MINSHENG_DEBUG", "MINSHENG_DB")
    }
    return subprocess.run(
        [sys.executable, "-m", *args], capture_output=True, text=True, cwd=REPO,
        env=environment | (env or {}), timeout=120,
    )  # fmt: skip


def wrong_paths(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "文件夹"
    folder.mkdir()
    stray = tmp_path / "stray.duckdb"
    stray.write_text("这不是数据库", encoding="utf-8")
    empty = tmp_path / "empty.duckdb"
    empty.touch()
    return {"folder": folder, "stray": stray, "empty": empty}


@pytest.mark.parametrize("kind", ["folder", "stray", "empty"])
def test_a_wrong_database_path_is_one_sentence_and_no_lock_file(kind, tmp_path):
    db = wrong_paths(tmp_path)[kind]
    before = sorted(tmp_path.iterdir())
    for args, env in (
        (("etl", "load", str(DEMO_FILE), "--db", str(db)), None),
        (("etl", "check", str(DEMO_FILE)), {"MINSHENG_DB": str(db)}),
        (("etl", "demo"), {"MINSHENG_DB": str(db)}),
        (("etl", "undo", "1", "--db", str(db)), None),
    ):
        done = run(*args, env=env)
        assert done.returncode == 2, (args, done.stderr)
        assert done.stdout == ""
        [line] = done.stderr.splitlines()
        assert line.startswith("参数错误：--db 或环境变量 MINSHENG_DB 指定的数据库“")
        assert "已有正式数据" not in line and "Traceback" not in line
    assert sorted(tmp_path.iterdir()) == before  # no .lock, no copy left beside it


def test_help_and_usage_errors_are_in_chinese():
    for args in (("etl", "--help"), ("etl", "load", "--help"), ("etl", "load"),
                 ("etl", "lod"), ("etl", "load", "x.xlsx", "--db"), ("etl", "undo", "一")):  # fmt: skip
        done = run(*args)
        text = done.stdout + done.stderr
        assert not [word for word in ENGLISH if word in text], (args, text)
        assert "用法：" in text
