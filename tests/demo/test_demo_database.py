"""The demo through the real loader: no error, and the story shows in the views and the load log."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from etl.demo import DEMO_DIR, build_demo_database, demo_files, is_demo_database, story
from etl.demo.figures import as_reported, funding_figures, progress_figures


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Read the warehouse the way readers must: a fresh in-memory instance, attached read-only."""
    con = duckdb.connect(":memory:")
    try:
        con.execute("ATTACH ? AS wh (READ_ONLY)", [str(db)])
        con.execute("USE wh")
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, list]:
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    return db, build_demo_database(db)


@pytest.fixture(scope="module")
def db(demo) -> Path:
    return demo[0]


@pytest.fixture(scope="module")
def findings(demo) -> list[tuple[str, str, str | None, int | None, str]]:
    """Every finding of the demo load: (kind, file, column, row, text)."""
    _, results = demo
    return [
        ("error" if f in r.errors else "warning", r.file_name, f.column, f.row, str(f))
        for r in results
        for f in r.errors + r.warnings
    ]


def test_every_demo_file_loads_without_error(demo, findings):
    _, results = demo
    assert [r.file_name for r in results] == [p.name for p in demo_files(DEMO_DIR)]
    assert [r.file_name for r in results if r.refused] == []
    assert [text for kind, *_, text in findings if kind == "error"] == []


def test_the_database_says_it_is_the_demo(db):
    assert is_demo_database(db)
    assert query(db, "SELECT DISTINCT loaded_by FROM load_log") == [("demo",)]


def test_typo_warning_is_logged_for_its_file(db):
    typo = story.TYPO
    name = f"{typo['year']}-{typo['month']:02d}_{typo['region']}.xlsx"
    rows = query(db, "SELECT warnings FROM load_log WHERE file_name = ?", [name])
    assert len(rows) == 1
    fell = [w for w in rows[0][0] if ":累计完成:" in w and "300%" not in w]
    assert len(fell) == 1 and fell[0].startswith(f"警告 {name}:")


def _warned_rows(db: Path, findings) -> set[tuple]:
    """What each warning is about: (file, region, project code, indicator or None for money)."""
    about = set()
    for kind, file_name, column, row, _ in findings:
        assert kind == "warning"
        table, what = (
            ("funding_report", "NULL")
            if column.startswith("拨付")
            else ("progress_report", "r.indicator")
        )
        sql = f"""
            SELECT r.region, r.project_code, {what}
            FROM {table} AS r JOIN load_log AS l USING (load_id)
            WHERE l.file_name = ? AND r.source_row = ?
        """  # noqa: S608 - table and column names come from the two literals above
        (hit,) = query(db, sql, [file_name, row])
        about.add((file_name, *hit))
    return about


def test_warnings_are_exactly_the_story(db, findings):
    """The typo, the advance payment, and the far-above-target item in its two counties; nothing else."""
    about = _warned_rows(db, findings)
    typo, advance = story.TYPO, story.ADVANCE_PAYMENT
    expected_singles = {
        (
            f"{typo['year']}-{typo['month']:02d}_{typo['region']}.xlsx",
            typo["region"], typo["project_code"], typo["indicator"],
        ),
        (
            f"{advance['year']}-{advance['month']:02d}_{advance['region']}.xlsx",
            advance["region"], advance["project_code"], None,
        ),
    }  # fmt: skip
    assert expected_singles <= about
    code, indicator = story.OVER_TARGET
    others = about - expected_singles
    assert {(code, indicator)} == {(c, i) for _, _, c, i in others}
    assert {region for _, region, _, _ in others} == set(story.OVER_TARGET_OUTCOMES)


def test_missing_report_leaves_its_month_empty(db):
    region, year, month = story.MISSING_REPORT
    counts = dict(
        query(
            db,
            "SELECT month, count(*) FROM v_progress WHERE region = ? AND year = ? GROUP BY month",
            [region, year],
        )
    )
    assert month not in counts
    assert sorted(counts) == [m for m in range(1, 13) if m != month]
    (note,) = query(
        db,
        "SELECT note FROM score_report WHERE unit = ? AND year = ? AND month = ?",
        [region, year, month],
    )[0]
    assert "未按时报送" in note


def _lagging_counts(db: Path, year: int) -> dict[tuple[int, str], int]:
    rows = query(
        db,
        "SELECT month, region, count(*) FILTER (WHERE is_lagging) FROM v_progress "
        "WHERE year = ? GROUP BY month, region",
        [year],
    )
    return {(m, r): n for m, r, n in rows}


@pytest.mark.parametrize(
    ("month", "falls_behind"),
    [(3, False), (4, False), (5, True), (6, True), (7, True), (8, True), (10, False), (11, False)],
)
def test_one_county_falls_behind_mid_year_and_recovers(db, month, falls_behind):
    counts = _lagging_counts(db, story.YEAR)
    mine = counts[(month, story.LAGGING_REGION)]
    others = [n for (m, r), n in counts.items() if m == month and r != story.LAGGING_REGION]
    if falls_behind:
        assert mine > 2 * max(others)
    else:
        assert mine <= max(others) + 3


@pytest.mark.parametrize(("code", "indicator"), story.CHRONIC_LAGGING)
def test_chronic_items_lag_city_wide_all_year(db, code, indicator):
    rows = query(
        db,
        "SELECT month, sum(actual) / sum(target) < any_value(planned_rate) FROM v_progress "
        "WHERE year = ? AND project_code = ? AND indicator = ? AND month >= 3 GROUP BY month",
        [story.YEAR, code, indicator],
    )
    assert len(rows) == 10
    assert all(lagging for _, lagging in rows)


def test_far_above_target_like_seed_003(db):
    code, indicator = story.OVER_TARGET
    ((rate,),) = query(
        db,
        "SELECT sum(actual) / sum(target) FROM v_progress "
        "WHERE year = ? AND month = 12 AND project_code = ? AND indicator = ?",
        [story.YEAR, code, indicator],
    )
    assert 7.5 < rate < 9.0


@pytest.mark.parametrize(
    ("year", "month", "code", "category", "planned_rate"),
    [
        (2025, 6, "4", "工程类", 0.40),  # 工程类 plan
        (2025, 10, "30", "工程类", 0.95),
        (2025, 6, "29", "工程类", 0.30),  # the project's own plan, typed "30%"
        (2026, 3, "29", "工程类", 0.05),  # the same plan as Excel percentage cells
        (2025, 6, "13", "其他", 0.5),  # no plan: month / 12
    ],
)
def test_published_plans_set_the_schedule(db, year, month, code, category, planned_rate):
    rows = query(
        db,
        "SELECT DISTINCT category, planned_rate FROM v_progress "
        "WHERE year = ? AND month = ? AND project_code = ?",
        [year, month, code],
    )
    assert rows == [(category, pytest.approx(planned_rate))]


def test_scores_tie_when_equal_at_three_decimals(db):
    tie = story.SCORE_TIE
    rows = query(
        db,
        "SELECT unit, rank FROM v_scores WHERE year = ? AND month = ? AND unit_type = '县区' "
        "AND unit IN (?, ?)",
        [tie["year"], tie["month"], *tie["units"]],
    )
    assert sorted(rows) == sorted((unit, 1) for unit in tie["units"])


def test_scores_look_like_seed_004(db):
    ((low, high, units, months),) = query(
        db,
        "SELECT min(score), max(score), count(DISTINCT unit), count(DISTINCT month) FROM v_scores",
    )
    assert low >= 1.2 and high <= 1.6
    assert units == 6 + 22 and months == 12


def test_every_figure_arrives_as_the_clerk_wrote_it(db):
    """Titles, 合计 rows, text with separators, merged cells, 元/亿元 and dated codes all read right."""
    progress = progress_figures()
    expected = {
        (f.year, f.month, f.region, f.project.code, f.indicator.name): (f.target, as_reported(f))
        for f in progress
        if (f.region, f.year, f.month) != story.MISSING_REPORT
    }
    rows = query(
        db, "SELECT year, month, region, project_code, indicator, target, actual FROM v_progress"
    )
    loaded = {tuple(r[:5]): (r[5], r[6]) for r in rows}
    assert loaded.keys() == expected.keys()
    wrong = [k for k, v in expected.items() if loaded[k] != pytest.approx(v, abs=1e-6)]
    assert wrong == []

    money = {
        (f.year, f.month, f.region, f.project.code): (f.budget, f.arrived, f.disbursed)
        for f in funding_figures(progress)
        if (f.region, f.year, f.month) != story.MISSING_REPORT
    }
    rows = query(
        db, "SELECT year, month, region, project_code, budget, arrived, disbursed FROM v_funding"
    )
    loaded_money = {tuple(r[:4]): tuple(r[4:]) for r in rows}
    assert loaded_money.keys() == money.keys()
    wrong = [k for k, v in money.items() if loaded_money[k] != pytest.approx(v, abs=1e-4)]
    assert wrong == []


def test_a_real_database_is_not_overwritten(tmp_path, db):
    real = tmp_path / "real.duckdb"
    con = duckdb.connect(str(real))
    con.execute("CREATE TABLE load_log (loaded_by VARCHAR, refused BOOLEAN)")
    con.execute("INSERT INTO load_log VALUES ('cli', false)")
    con.close()
    assert not is_demo_database(real)
    with pytest.raises(FileExistsError, match="已有正式数据"):
        build_demo_database(real)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([("demo", False), ("demo", False)], True),
        ([("demo", False), ("cli", False)], False),
        ([("demo", False), ("cli", True)], True),  # a refused file changed no data
        ([("cli", True)], False),  # nothing loaded at all
        ([], False),
    ],
)
def test_is_demo_database(tmp_path, rows, expected):
    path = tmp_path / "wh.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE load_log (loaded_by VARCHAR, refused BOOLEAN)")
    for row in rows:
        con.execute("INSERT INTO load_log VALUES (?, ?)", list(row))
    con.close()
    assert is_demo_database(path) is expected


@pytest.mark.parametrize("content", [None, b"not a database", b""])
def test_is_demo_database_without_a_warehouse(tmp_path, content):
    path = tmp_path / "x.duckdb"
    if content is not None:
        path.write_bytes(content)
    assert is_demo_database(path) is False
