"""`python -m etl supervise …` as a clerk's monthly routine runs it: lines, exit codes, colours
for a fixed --as-of date, and opening twice."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from etl import cli
from tests.etl.test_supervision import APRIL, MAY, load, month_file

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    db = tmp_path / "minsheng.duckdb"
    load(db, month_file(tmp_path, 4, APRIL))
    monkeypatch.setenv("MINSHENG_DB", str(db))
    return db


def run(capsys, *args: str) -> tuple[int, list[str], str]:
    code = cli.main(["supervise", *args])
    out = capsys.readouterr()
    return code, out.out.splitlines(), out.err


def test_open_twice_opens_nothing_the_second_time(tmp_path, db):
    env = {**os.environ, "MINSHENG_DB": str(db)}
    command = [sys.executable, "-m", "etl", "supervise", "open", "--year", "2025", "--month", "4"]
    first = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                           timeout=120)  # fmt: skip
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [
        "✔ 2025年4月橙及以上的滞后项：新下发督办 2 项（编号 1、2）"
    ]
    second = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                            timeout=120)  # fmt: skip
    assert second.returncode == 0
    assert second.stdout.splitlines() == [
        "✔ 2025年4月橙及以上的滞后项：没有新下发督办；2 项已有未销号的督办（编号 1、2），未重复下发"
    ]
    assert second.stderr == ""


def test_list_colours_for_the_as_of_date(capsys, db):
    assert run(capsys, "open", "--year", "2025", "--month", "4", "--min-severity", "红")[0] == 0
    for as_of, colour in (("2025-05-23", "黄"), ("2025-05-24", "蓝"), ("2025-05-31", "蓝"),
                          ("2025-06-01", "红")):  # fmt: skip
        code, lines, _ = run(capsys, "list", "--as-of", as_of)
        assert code == 0
        assert lines[0].startswith(f"编号 1｜{colour}｜待整改｜2025年4月｜乙县｜市人社局｜")
        assert (
            "｜下发时落后33.3个百分点｜最新（4月）落后33.3个百分点｜期限 2025-05-31｜" in lines[0]
        )
        assert lines[-1].endswith(
            f"未销号的按 {as_of} 计："
            + {"红": "红 1、蓝 0、黄 0", "蓝": "红 0、蓝 1、黄 0", "黄": "红 0、蓝 0、黄 1"}[colour]
        )


def test_note_close_and_list_by_status(capsys, db, tmp_path):
    run(capsys, "open", "--year", "2025", "--month", "4", "--deadline", "2025-06-15")
    assert run(capsys, "note", "1", "--text", "已约谈，月底前完成", "--by", "李四") == (
        0, ["✔ 已记录督办事项 1 的整改情况，状态：整改中"], "")  # fmt: skip
    load(Path(os.environ["MINSHENG_DB"]), month_file(tmp_path, 5, MAY))
    code, lines, _ = run(capsys, "list", "--status", "可销号", "--as-of", "2025-06-01")
    assert code == 0 and len(lines) == 2
    assert lines[0].startswith("编号 2｜黄｜可销号｜2025年4月｜甲区｜")  # 14 days to go
    assert "最新（5月）达到序时进度（+8.3个百分点）" in lines[0]
    assert run(capsys, "close", "2", "--note", "经复核已赶上") == (0, ["✔ 督办事项 2 已销号"], "")
    code, lines, _ = run(capsys, "list", "--year", "2025", "--as-of", "2025-06-01")
    assert [line.split("｜")[1:3] for line in lines[:-1]] == [["黄", "整改中"], ["—", "已销号"]]
    assert lines[-1].startswith("共 2 项：待整改 0、整改中 1、可销号 0、已销号 1；")


@pytest.mark.parametrize(
    ("args", "code", "line"),
    [
        (("note", "9", "--text", "x"), 1, "✘ 没有编号为 9 的督办事项"),
        (("close", "9", "--note", "x"), 1, "✘ 没有编号为 9 的督办事项"),
        (("note", "1", "--text", "  "), 1, "✘ 请填写整改情况"),
        (
            ("open", "--year", "2025", "--month", "7"),
            1,
            "✘ 2025年7月没有已导入的进度数据，未下发督办",
        ),
    ],
)
def test_refusals_exit_1_with_a_sentence(capsys, db, args, code, line):
    run(capsys, "open", "--year", "2025", "--month", "4")
    before = db.read_bytes()
    assert run(capsys, *args)[:2] == (code, [line])
    assert db.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("open", "--year", "2025", "--month", "13"), "参数 --month: 月份应为 1–12，收到“13”"),
        (("open", "--year", "2025", "--month", "4", "--min-severity", "紫"), "参数 --min-severity"),
        (("list", "--as-of", "2025-02-30"), "日期应写作 YYYY-MM-DD"),
        (("close", "1"), "缺少参数: --note"),
        ((), "请指定操作"),
    ],
)
def test_usage_errors_exit_2_without_traceback(capsys, db, args, said):
    try:
        code, _, err = run(capsys, *args)
    except SystemExit as exit_:
        code, err = exit_.code, capsys.readouterr().err
    assert code == 2
    assert said in err and "Traceback" not in err


def test_missing_database_and_empty_ledger(capsys, tmp_path, db):
    missing = tmp_path / "无.duckdb"
    code, _, err = run(capsys, "list", "--db", str(missing))
    assert code == 2 and f"参数错误：数据库不存在：{missing}" in err
    assert not missing.exists()
    today = dt.date.today()
    empty = (
        f"共 0 项：待整改 0、整改中 0、可销号 0、已销号 0；未销号的按 {today} 计：红 0、蓝 0、黄 0"
    )
    assert run(capsys, "list") == (0, [empty], "")


def test_a_blank_signature_is_refused_with_its_reason(capsys, db):
    before = db.read_bytes()
    code, out, err = run(capsys, "open", "--year", "2025", "--month", "4", "--by", " ")
    assert code == 1
    assert "操作人" in err + "\n".join(out) and "程序内部错误" not in err + "\n".join(out)
    assert db.read_bytes() == before
