"""What the loader's command line tells a clerk: nothing claims success before the data landed,
failures are plain Chinese (technical detail only in the log), and the bulletin alias."""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb
import pytest

import etl.writing.warehouse
import warehouse.writer
from etl import cli
from etl.writing.warehouse import WRITE_FAILED, load_parsed
from tests.bulletin.bulletin_db import build_warehouse
from tests.etl.fixtures import progress_row, progress_workbook
from tests.etl.test_warehouse import JUNE


@pytest.fixture
def source(tmp_path) -> Path:
    return progress_workbook(tmp_path / "芜湖6月.xlsx", [progress_row()])


def test_results_are_printed_only_after_the_swap(tmp_path, source, monkeypatch, capsys):
    db = tmp_path / "wh.duckdb"
    load_parsed([JUNE], db)
    before = db.read_bytes()

    def failing_replace(src, dst):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(warehouse.writer.os, "replace", failing_replace)
    assert cli.main(["load", str(source), "--db", str(db)]) == cli.EXIT_REFUSED
    captured = capsys.readouterr()
    assert "✔" not in captured.out
    assert captured.err == (
        "出错了，数据库未改动：读写数据库文件时出错，请检查磁盘和文件夹后重试。\n"
    )
    assert db.read_bytes() == before
    assert [p.name for p in tmp_path.glob("wh.duckdb.tmp-*")] == []


def test_results_are_printed_when_the_swap_succeeds(tmp_path, source, capsys):
    db = tmp_path / "wh.duckdb"
    assert cli.main(["load", str(source), "--db", str(db)]) == cli.EXIT_OK
    assert capsys.readouterr().out.splitlines()[-1] == "✔ 芜湖6月.xlsx：进度 1 行"


@pytest.mark.parametrize(
    ("error", "sentence"),
    [
        (PermissionError(13, "Permission denied"), "没有读写数据库文件或其所在文件夹的权限"),
        (OSError(28, "No space left on device"), "磁盘空间不足，请清理后重试。"),
        (duckdb.IOException("IO Error: Could not read enough bytes"), "程序内部错误，请联系管理员"),
        (RuntimeError("internal assertion"), "程序内部错误，请联系管理员"),
    ],
)
def test_unexpected_failures_are_chinese_and_logged(tmp_path, source, monkeypatch, capsys,
                                                    caplog, error, sentence):  # fmt: skip
    def broken(*args, **kwargs):
        raise error

    monkeypatch.setattr(etl.writing.warehouse, "load_paths", broken)
    with caplog.at_level(logging.ERROR, logger="etl.cli"):
        assert cli.main(["load", str(source), "--db", str(tmp_path / "wh.duckdb")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("出错了，数据库未改动：") and sentence in err
    assert str(error) not in err and "Error" not in err
    assert caplog.records[-1].exc_info[1] is error  # the detail is in the log


def test_database_error_while_writing_refuses_in_chinese(tmp_path, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise duckdb.ConstraintException('Constraint Error: Duplicate key "load_id: 3"')

    monkeypatch.setattr(etl.writing.warehouse, "_insert_rows", broken)
    with caplog.at_level(logging.ERROR, logger="etl.writing.warehouse"):
        [result] = load_parsed([JUNE], tmp_path / "wh.duckdb")
    assert result.refused
    assert [str(e) for e in result.errors] == [f"芜湖6月.xlsx:-:-:-: {WRITE_FAILED}"]
    assert "Constraint Error" in caplog.text


def test_bulletin_alias(tmp_path, capsys):
    db = build_warehouse(tmp_path / "minsheng.duckdb")
    out = tmp_path / "2020-09.docx"
    argv = ["bulletin", "--year", "2020", "--month", "9", "--db", str(db), str(out)]
    assert cli.main(argv) == 0
    assert out.is_file() and out.with_suffix(".md").is_file()
    assert "已生成2020年9月份通报" in capsys.readouterr().out


def test_bulletin_alias_usage_and_help(capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["bulletin", "--year", "2020"])
    assert exited.value.code == 2
    assert "python -m etl bulletin" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    help_text = " ".join(capsys.readouterr().out.split())  # argparse wraps long lines
    assert "bulletin --year 年 --month 月 输出.docx [--db 数据库]" in help_text


def test_debug_env_is_read(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv(cli.DEBUG_ENV, "1")
    monkeypatch.setattr(logging.root, "handlers", [])
    monkeypatch.setattr(logging.root, "level", logging.root.level)
    assert cli.main(["template", str(tmp_path / "t.xlsx")]) == 0
    assert logging.root.level == logging.DEBUG


def test_csv_format_error_is_chinese(tmp_path):
    from etl.reading.parse import parse_file

    path = tmp_path / "芜湖6月进度.csv"
    path.write_text('年份,月份\n2020,"' + "x" * 200_000 + '"\n', encoding="utf-8")
    parsed = parse_file(path)
    assert [e.message for e in parsed.errors] == ["无法读取：CSV格式有误（有单元格内容过长）"]


class _DiskFullAtCheckpoint:
    """The copy's connection, whose CHECKPOINT fails as DuckDB reports a full disk."""

    def __init__(self, con):
        self._con = con

    def execute(self, sql, *args, **kwargs):
        if sql.startswith("CHECKPOINT"):
            raise duckdb.IOException(
                'IO Error: Could not write file "wh.duckdb.tmp-1": No space left on device'
            )
        return self._con.execute(sql, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._con, name)


def _disk_full(*args, **kwargs):
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize("where", ["copy", "checkpoint", "fsync", "replace", "not-enospc"])
def test_a_full_disk_while_writing_is_one_sentence_and_changes_nothing(
    tmp_path, source, monkeypatch, capsys, where
):
    """Issue 22: ENOSPC (or another OSError) at each write of the swap: one Chinese sentence on
    stderr, exit 1, no traceback, the database byte for byte as it was, no copy left behind."""
    db = tmp_path / "wh.duckdb"
    load_parsed([JUNE], db)
    before = db.read_bytes()
    if where == "copy":
        monkeypatch.setattr(warehouse.writer.shutil, "copyfile", _disk_full)
    elif where == "checkpoint":
        real_open = warehouse.writer._open_writable
        monkeypatch.setattr(
            warehouse.writer, "_open_writable", lambda path: _DiskFullAtCheckpoint(real_open(path))
        )
    elif where == "fsync":
        monkeypatch.setattr(warehouse.writer, "_fsync", _disk_full)
    elif where == "replace":
        monkeypatch.setattr(warehouse.writer.os, "replace", _disk_full)
    else:

        def read_only_folder(*args, **kwargs):
            raise OSError(30, "Read-only file system")

        monkeypatch.setattr(warehouse.writer.shutil, "copyfile", read_only_folder)

    code = cli.main(["load", str(source), "--db", str(db)])

    out, err = capsys.readouterr()
    assert code == cli.EXIT_REFUSED
    reason = (
        "读写数据库文件时出错，请检查磁盘和文件夹后重试。"
        if where == "not-enospc"
        else "磁盘空间不足，请清理后重试。"
    )
    assert err == f"出错了，数据库未改动：{reason}\n"
    assert "Traceback" not in out + err and "✔" not in out
    assert db.read_bytes() == before
    assert [p.name for p in tmp_path.glob("wh.duckdb.tmp-*")] == []


def test_a_full_disk_in_a_subprocess_prints_no_traceback(tmp_path, source):
    """The same through `python -m etl load`, the write failing inside the process."""
    import os
    import subprocess
    import sys

    db = tmp_path / "wh.duckdb"
    load_parsed([JUNE], db)
    before = db.read_bytes()
    script = (
        "import shutil, sys\n"
        "def full(*a, **k): raise OSError(28, 'No space left on device')\n"
        "shutil.copyfile = full\n"
        "from etl.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "load", str(source), "--db", str(db)],
        cwd=Path(__file__).resolve().parents[2], env=dict(os.environ),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr == "出错了，数据库未改动：磁盘空间不足，请清理后重试。\n"
    assert "Traceback" not in done.stdout + done.stderr
    assert db.read_bytes() == before
