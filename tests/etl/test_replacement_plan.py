"""Before a load, say plainly what it will replace (issue 22): a file with 1 of a region-month's 59
rows replaced all 59 with only a "说明：替换了…" line, and a hidden sheet in one county's file
replaced another county's month without a word. The plan (etl.writing.replacement_plan) lists each key a
file replaces with old and new row counts, the rows that would vanish, hidden sheets and regions
the database has not seen; `python -m etl load` prints it and refuses vanishing rows and hidden
sheets without --yes."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from etl import cli
from etl.reading.parse import parse_file
from etl.writing.replacement_plan import HiddenSheet, NewRegion, Replacement, plan_file
from etl.writing.warehouse import load_paths
from tests.etl.fixtures import (
    FUNDING_HEADER,
    PROGRESS_HEADER,
    SCHEDULE_HEADER,
    SCORES_HEADER,
    query,
    write_workbook,
)
from tests.etl.test_fast import both_ways


def row(region: str, indicator: str, *, month: int = 6, year: int = 2025) -> list:
    return [
        year,
        month,
        region,
        "13",
        "就业创业促进",
        indicator,
        100,
        50,
        "个",
        "市人社局",
        "补助类",
    ]


def month_file(path: Path, region: str, indicators: int, **kw) -> Path:
    rows = [row(region, f"指标{i}", **kw) for i in range(indicators)]
    return write_workbook(path, {"进度": [PROGRESS_HEADER, *rows]})


def with_hidden_sheet(path: Path, visible: list[list], hidden: list[list], state: str) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "进度"
    for line in [PROGRESS_HEADER, *visible]:
        book.active.append(line)
    other = book.create_sheet("进度（备用）")
    for line in [PROGRESS_HEADER, *hidden]:
        other.append(line)
    other.sheet_state = state
    book.save(path)
    return path


@pytest.fixture
def db(tmp_path) -> Path:
    """西山区 June with 59 rows, 东湖区 June with 2, both from the command line."""
    path = tmp_path / "wh.duckdb"
    files = [month_file(tmp_path / "西山区6月.xlsx", "西山区", 59),
             month_file(tmp_path / "东湖区6月.xlsx", "东湖区", 2)]  # fmt: skip
    assert not any(r.refused for r in load_paths(files, path))
    return path


def current_rows(db: Path) -> list[tuple]:
    return query(
        db,
        "SELECT region, count(*) FROM progress_report WHERE superseded_by IS NULL "
        "GROUP BY ALL ORDER BY ALL",
    )


def log_count(db: Path) -> int:
    return query(db, "SELECT count(*) FROM load_log")[0][0]


# --- the plan ------------------------------------------------------------------------------------


def test_a_shrinking_region_month_is_flagged_with_its_counts(tmp_path, db):
    parsed = parse_file(month_file(tmp_path / "西山区6月更正.xlsx", "西山区", 1))
    plan = plan_file(parsed, db)

    assert plan.replacements == [Replacement("进度", 2025, 6, "西山区", 59, 1, 58)]
    assert plan.needs_yes and plan.needs_confirmation
    assert plan.lines() == ["将替换 2025年6月 西山区 进度 59 行 → 1 行（减少 58 行）"]


def test_a_renamed_indicator_is_a_vanishing_row_even_when_the_count_stays(tmp_path, db):
    rows = [row("东湖区", "指标0"), row("东湖区", "指标1改")]
    parsed = parse_file(
        write_workbook(tmp_path / "东湖区.xlsx", {"进度": [PROGRESS_HEADER, *rows]})
    )
    plan = plan_file(parsed, db)

    assert plan.replacements == [Replacement("进度", 2025, 6, "东湖区", 2, 2, 1)]
    assert plan.lines() == [
        "将替换 2025年6月 东湖区 进度 2 行 → 2 行（原有的 1 行本次没有，导入后不再显示）"
    ]
    assert plan.needs_yes


def test_a_growing_or_equal_replacement_is_listed_but_not_flagged(tmp_path, db):
    parsed = parse_file(month_file(tmp_path / "东湖区6月.xlsx", "东湖区", 5))
    plan = plan_file(parsed, db)

    assert plan.lines() == ["将替换 2025年6月 东湖区 进度 2 行 → 5 行"]
    assert not plan.needs_yes and not plan.needs_confirmation


def test_funding_scores_and_plans_are_listed_by_their_keys(tmp_path, db):
    sheets = {
        "资金": [FUNDING_HEADER, [2025, 6, "西山区", "13", "就业创业促进", 10, 8, 5]],
        "考评": [SCORES_HEADER, [2025, 6, "县区", "西山区", 1.4, 0, None]],
        "序时计划": [SCHEDULE_HEADER, [2025, "13", None, *range(5, 65, 5)]],
    }
    path = write_workbook(tmp_path / "全市6月.xlsx", sheets)
    load_paths([path], db)
    sheets["资金"].append([2025, 6, "西山区", "14", "技能培训", 10, 8, 5])
    plan = plan_file(parse_file(write_workbook(tmp_path / "全市6月更正.xlsx", sheets)), db)

    assert plan.lines() == [
        "将替换 2025年6月 西山区 资金 1 行 → 2 行",
        "将替换 2025年6月 县区 西山区 考评 1 行 → 1 行",
        "将替换 2025年 项目13 序时计划 1 行 → 1 行",
    ]
    assert not plan.needs_confirmation


def test_many_unflagged_regions_are_summed_up_in_one_line(tmp_path):
    db = tmp_path / "wh.duckdb"
    rows = [row(f"县{i}", "指标") for i in range(10)]
    load_paths([write_workbook(tmp_path / "全市.xlsx", {"进度": [PROGRESS_HEADER, *rows]})], db)
    again = parse_file(
        write_workbook(tmp_path / "全市更正.xlsx", {"进度": [PROGRESS_HEADER, *rows]})
    )
    assert plan_file(again, db).lines() == [
        "将替换 2025年6月 县0、县1、县2、县3、县4、县5、县6、县7等 10 个 进度 共 10 行 → 10 行"
    ]


def test_regions_the_database_has_not_seen(tmp_path, db):
    rows = [row("东湖新区", "指标0"), row("南溪县", "指标0")]
    load_paths([month_file(tmp_path / "南溪县2024.xlsx", "南溪县", 1, year=2024)], db)
    parsed = parse_file(write_workbook(tmp_path / "新.xlsx", {"进度": [PROGRESS_HEADER, *rows]}))
    plan = plan_file(parsed, db)

    assert plan.new_regions == [NewRegion(2025, "东湖新区", False), NewRegion(2025, "南溪县", True)]
    assert plan.lines() == [
        "新地区：东湖新区（数据库中从未有过这个地区，请确认名称无误）",
        "新地区：南溪县（数据库中2025年还没有这个地区的数据）",
    ]
    assert plan.needs_confirmation and not plan.needs_yes  # the page asks; the CLI goes ahead


def test_the_first_file_of_a_warehouse_or_a_year_says_nothing_of_new_regions(tmp_path, db):
    parsed = parse_file(month_file(tmp_path / "2026.xlsx", "东湖区", 1, year=2026, month=1))
    assert plan_file(parsed, db).lines() == []
    assert plan_file(parsed, tmp_path / "new.duckdb").lines() == []


@pytest.mark.parametrize(
    ("state", "line"),
    [
        ("hidden", "隐藏工作表“进度（备用）”中的 1 行将被导入（在 Excel 中看不到这张表，请确认应当导入）"),
        ("veryHidden", "深度隐藏的工作表“进度（备用）”中的 1 行将被导入"
                       "（在 Excel 中取消隐藏也看不到这张表，请确认应当导入）"),
    ],
)  # fmt: skip
def test_a_hidden_sheet_that_was_read_is_reported(tmp_path, monkeypatch, db, state, line):
    path = with_hidden_sheet(
        tmp_path / "南溪县6月.xlsx", [row("南溪县", "指标0")], [row("西山区", "指标0")], state
    )
    fast, usual, taken = both_ways(path, monkeypatch)
    assert not taken  # a hidden sheet: the usual way, which records it
    for parsed in (fast, usual):
        assert parsed.hidden_sheets == [("进度（备用）", state)]
    plan = plan_file(usual, db)
    assert plan.hidden_sheets == [HiddenSheet("进度（备用）", state, 1)]
    assert plan.lines()[:2] == ["将替换 2025年6月 西山区 进度 59 行 → 1 行（减少 58 行）", line]


def test_an_empty_hidden_sheet_is_not_reported(tmp_path, db):
    path = with_hidden_sheet(tmp_path / "南溪县6月.xlsx", [row("南溪县", "指标0")], [], "hidden")
    assert plan_file(parse_file(path), db).hidden_sheets == []


# --- the command line ----------------------------------------------------------------------------


def test_the_cli_refuses_vanishing_rows_without_yes(tmp_path, db, capsys):
    before, logged = db.read_bytes(), log_count(db)
    source = month_file(tmp_path / "西山区6月更正.xlsx", "西山区", 1)

    code = cli.main(["load", str(source), "--db", str(db)])

    out, err = capsys.readouterr()
    assert code == cli.EXIT_REFUSED
    assert out.splitlines() == [
        "核对《西山区6月更正.xlsx》：将替换 2025年6月 西山区 进度 59 行 → 1 行（减少 58 行）",
        "西山区6月更正.xlsx:-:-:-: 2025年6月 西山区 进度将从 59 行变为 1 行（原有的 58 行将不再显示），"
        "未导入。核对无误后请加 --yes 重新运行。",
        "✘ 西山区6月更正.xlsx：需要确认，未导入",
    ]
    assert "Traceback" not in err
    assert db.read_bytes() == before and log_count(db) == logged  # not even rewritten

    assert cli.main(["load", str(source), "--db", str(db), "--yes"]) == cli.EXIT_OK
    out = capsys.readouterr().out.splitlines()
    assert (
        out[0]
        == "核对《西山区6月更正.xlsx》：将替换 2025年6月 西山区 进度 59 行 → 1 行（减少 58 行）"
    )
    assert out[-1] == "✔ 西山区6月更正.xlsx：进度 1 行"
    assert current_rows(db) == [("东湖区", 2), ("西山区", 1)]


def test_the_cli_refuses_a_hidden_sheet_without_yes(tmp_path, db, capsys):
    source = with_hidden_sheet(
        tmp_path / "南溪县6月.xlsx", [row("南溪县", "指标0")], [row("东湖区", "指标9")], "hidden"
    )
    assert cli.main(["load", str(source), "--db", str(db)]) == cli.EXIT_REFUSED
    out = capsys.readouterr().out
    assert (
        "南溪县6月.xlsx:-:-:-: 2025年6月 东湖区 进度将从 2 行变为 1 行（原有的 2 行将不再显示）；"
        "数据来自隐藏工作表“进度（备用）”（1 行），未导入。核对无误后请加 --yes 重新运行。"
    ) in out.splitlines()
    assert current_rows(db) == [("东湖区", 2), ("西山区", 59)]


def test_in_a_batch_only_the_unconfirmed_file_is_refused(tmp_path, db, capsys):
    grows = month_file(tmp_path / "a东湖区6月.xlsx", "东湖区", 3)
    shrinks = month_file(tmp_path / "b西山区6月.xlsx", "西山区", 58)
    assert cli.main(["load", str(grows), str(shrinks), "--db", str(db)]) == cli.EXIT_REFUSED
    out = capsys.readouterr().out.splitlines()
    assert "✔ a东湖区6月.xlsx：进度 3 行" in out
    assert "✘ b西山区6月.xlsx：需要确认，未导入" in out
    assert current_rows(db) == [("东湖区", 3), ("西山区", 59)]


def test_the_plan_is_worked_out_inside_the_load(tmp_path, db):
    """Two files of one batch: the second is judged against what the first has just loaded."""
    first = month_file(tmp_path / "a.xlsx", "东湖区", 4)
    second = month_file(tmp_path / "b.xlsx", "东湖区", 3)
    plans = []

    def approve(plan):
        plans.append(plan)
        return "不行" if plan.needs_yes else None

    results = load_paths([first, second], db, approve=approve)

    assert [r.refused for r in results] == [False, True]
    assert [p.replacements for p in plans] == [
        [Replacement("进度", 2025, 6, "东湖区", 2, 4, 0)],
        [Replacement("进度", 2025, 6, "东湖区", 4, 3, 1)],
    ]
    assert [str(e) for e in results[1].errors] == ["b.xlsx:-:-:-: 不行"]
    assert current_rows(db) == [("东湖区", 4), ("西山区", 59)]


def test_the_same_file_again_needs_no_confirmation(tmp_path, db, capsys):
    source = tmp_path / "西山区6月.xlsx"  # the file the fixture loaded
    assert cli.main(["load", str(source), "--db", str(db)]) == cli.EXIT_OK
    assert capsys.readouterr().out.splitlines() == [
        "说明：内容与已导入的相同，未改动",
        "✔ 西山区6月.xlsx：内容与已导入的相同，未改动",
    ]


def test_check_prints_the_plan(tmp_path, db, capsys):
    source = month_file(tmp_path / "西山区6月更正.xlsx", "西山区", 1)
    assert cli.main(["check", str(source), "--db", str(db)]) == cli.EXIT_OK
    assert capsys.readouterr().out.splitlines() == [
        "核对《西山区6月更正.xlsx》：将替换 2025年6月 西山区 进度 59 行 → 1 行（减少 58 行）",
        "✔ 西山区6月更正.xlsx：检查通过，进度 1 行",
    ]
