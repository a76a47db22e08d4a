"""`python -m etl …` as a clerk runs it: output lines and exit status (0 loaded, 1 refused, 2 usage)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from etl import cli
from tests.etl.fixtures import progress_row, progress_workbook

REPO_ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, db: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "MINSHENG_DB": str(db)}
    return subprocess.run(
        [sys.executable, "-m", "etl", *args],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.fixture
def files(tmp_path) -> dict[str, Path]:
    good = progress_workbook(
        tmp_path / "芜湖6月.xlsx",
        [progress_row("13", "公益性岗位开发", 2800, 2608),
         progress_row("13", "就业见习", 1171, 569)],
        title="芜湖市2020年民生工程6月份进度表",
    )  # fmt: skip
    bad = progress_workbook(
        tmp_path / "铜陵9月.xlsx",
        [progress_row("13", "公益性岗位开发", 2800, -5)],
        title="铜陵市2020年民生工程9月份进度表",
    )
    garbage = tmp_path / "不是表格.xlsx"
    garbage.write_bytes(b"this is not a workbook")
    return {"good": good, "bad": bad, "garbage": garbage}


def count_rows(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM v_progress").fetchone()[0]
    finally:
        con.close()


def test_load_good_and_bad_files(tmp_path, files):
    db = tmp_path / "env.duckdb"  # from MINSHENG_DB
    done = run("load", str(files["good"]), str(files["bad"]), str(files["garbage"]), db=db)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert "✔ 芜湖6月.xlsx：进度 2 行" in lines
    assert any(line.startswith("铜陵9月.xlsx:进度:3:累计完成: ") for line in lines)
    assert "✘ 铜陵9月.xlsx：1 处错误，未导入" in lines
    assert any(line.startswith("不是表格.xlsx:-:-:-: ") for line in lines)
    assert "Traceback" not in done.stderr
    assert count_rows(db) == 2

    again = run("load", str(files["good"]), db=db)
    assert again.returncode == 0
    assert again.stdout.splitlines()[-1] == "✔ 芜湖6月.xlsx：内容与已导入的相同，未改动"


def main(*args: str, db: Path, monkeypatch, capsys) -> tuple[int, str, str]:
    """The same command in-process (fast); argparse's own usage errors exit via SystemExit."""
    monkeypatch.setenv("MINSHENG_DB", str(db))
    try:
        code = cli.main(list(args))
    except SystemExit as stop:
        code = stop.code
    out, err = capsys.readouterr()
    return code, out, err


def test_missing_file_exits_2_in_chinese(tmp_path):
    done = run("load", "没有这个文件.xlsx", db=tmp_path / "wh.duckdb")
    assert done.returncode == 2
    assert done.stderr == "参数错误：找不到文件或文件夹：没有这个文件.xlsx\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["load"], "参数错误：缺少参数: 路径"),
        (["template", "模板.txt"], "参数错误：模板文件名应以 .xlsx 结尾"),
        (["template", "没有的文件夹/模板.xlsx"], "参数错误：文件夹不存在：没有的文件夹"),
        (["undo", "七"], "参数错误：参数 导入编号: 不是整数"),
        (["frob"], "参数错误：参数 命令: 无效的命令: 'frob'"),
    ],
)
def test_usage_problems_exit_2_in_chinese(tmp_path, monkeypatch, capsys, args, message):
    code, _, err = main(*args, db=tmp_path / "wh.duckdb", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 2
    assert message in err and "Traceback" not in err


def test_db_option_beats_environment(tmp_path, files, monkeypatch, capsys):
    chosen = tmp_path / "chosen.duckdb"
    code, out, _ = main("load", str(files["good"]), "--db", str(chosen),
                        db=tmp_path / "env.duckdb", monkeypatch=monkeypatch, capsys=capsys)  # fmt: skip
    assert (code, out) == (0, "✔ 芜湖6月.xlsx：进度 2 行\n")
    assert chosen.exists() and not (tmp_path / "env.duckdb").exists()


def test_check_writes_nothing_and_template_then_undo(tmp_path, files, monkeypatch, capsys):
    db = tmp_path / "wh.duckdb"

    def command(*args):
        return main(*args, db=db, monkeypatch=monkeypatch, capsys=capsys)

    code, out, _ = command("check", str(files["good"]), str(files["bad"]))
    assert code == 1
    assert "✔ 芜湖6月.xlsx：检查通过，进度 2 行" in out.splitlines()
    assert "✘ 铜陵9月.xlsx：1 处错误，不能导入" in out.splitlines()
    assert not db.exists()

    code, out, _ = command("template", str(tmp_path / "模板.xlsx"))
    assert (code, (tmp_path / "模板.xlsx").exists()) == (0, True)

    assert command("load", str(files["good"]))[0] == 0
    code, out, _ = command("undo", "1", "--by", "张三")
    assert code == 0
    assert out.splitlines() == [
        "说明：撤销了《芜湖6月.xlsx》（编号 1）：删除 进度 2 行；恢复 无",
        "↶ 已撤销导入编号 1（芜湖6月.xlsx）",
    ]
    assert count_rows(db) == 0
    code, out, _ = command("undo", "1")
    assert code == 1
    assert out.startswith("✘ 未撤销导入编号 1（芜湖6月.xlsx）：这次导入已被撤销")
