"""Issue 18: `python -m bulletin` speaks Chinese in its help and usage errors, refuses a wrong
database path in one sentence, and never prints a traceback unless MINSHENG_DEBUG is set."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bulletin.__main__ import main
from tests.bulletin.bulletin_db import REPO_ROOT

ENGLISH = ("usage:", "options:", "positional arguments", "show this help", "error:",
           "the following", "invalid choice", "invalid int value", "Traceback")  # fmt: skip


def run(*args: str) -> subprocess.CompletedProcess:
    environment = {
        k: v for k, v in os.environ.items() if k not in ("MINSHENG_DEBUG", "MINSHENG_DB")
    }
    return subprocess.run([sys.executable, "-m", "bulletin", *args], capture_output=True,
                          text=True, cwd=REPO_ROOT, env=environment, timeout=120)  # fmt: skip


@pytest.mark.parametrize(
    "args",
    [("--help",), (), ("--year", "x", "a.docx"), ("--year", "2025", "--month", "13", "a.docx"),
     ("--year", "2025", "--month", "1", "--date", "昨天", "a.docx")],
)  # fmt: skip
def test_help_and_usage_errors_are_in_chinese(args):
    done = run(*args)
    text = done.stdout + done.stderr
    assert not [word for word in ENGLISH if word in text], text
    assert "用法：" in text
    assert done.returncode == (0 if args == ("--help",) else 2)


def test_a_folder_as_the_database_is_one_sentence(tmp_path, capsys):
    out = tmp_path / "x.docx"
    assert main(["--year", "2020", "--month", "9", "--db", str(tmp_path), str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：--db 或环境变量 MINSHENG_DB 指定的数据库“")
    assert "是一个文件夹" in err and len(err.splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_an_unexpected_failure_is_a_sentence_not_a_traceback(warehouse_path, tmp_path, capsys,
                                                             monkeypatch):  # fmt: skip
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.delenv("MINSHENG_DEBUG", raising=False)
    monkeypatch.setattr("bulletin.__main__.render_bulletin", broken)
    argv = ["--year", "2020", "--month", "9", "--db", str(warehouse_path), str(tmp_path / "x.docx")]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "生成通报时出错" in err and "Traceback" not in err and "boom" not in err
