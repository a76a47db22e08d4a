"""The demo generator: same bytes every run, the committed files current, the story's files there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from etl.demo import DEMO_DIR, demo_files, story
from etl.demo.city import PROJECTS, REGIONS
from etl.demo.figures import as_reported, progress_figures
from etl.demo.generate import generate

MAX_DEMO_BYTES = 3 * 1024 * 1024


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory) -> tuple[list[Path], list[Path]]:
    first = generate(tmp_path_factory.mktemp("first"))
    second = generate(tmp_path_factory.mktemp("second"))
    return first, second


def test_two_runs_write_identical_bytes(two_runs):
    first, second = two_runs
    assert [p.name for p in first] == [p.name for p in second]
    different = [
        a.name for a, b in zip(first, second, strict=True) if a.read_bytes() != b.read_bytes()
    ]
    assert different == []


def test_committed_demo_is_what_the_generator_writes(two_runs):
    """A stale data/demo/ (generator changed, files not regenerated) fails here."""
    generated, _ = two_runs
    committed = demo_files(DEMO_DIR)
    assert [p.name for p in committed] == [p.name for p in generated]
    stale = [p.name for p in generated if (DEMO_DIR / p.name).read_bytes() != p.read_bytes()]
    assert stale == [], "data/demo/ 已过期：请运行 python -m etl.demo.generate"


def test_demo_stays_small():
    assert sum(p.stat().st_size for p in demo_files(DEMO_DIR)) < MAX_DEMO_BYTES


def test_every_county_reports_every_month_but_one():
    names = {p.name for p in demo_files(DEMO_DIR)}
    expected = {
        f"{year}-{month:02d}_{region.name}.xlsx"
        for year, month in story.PERIODS
        for region in REGIONS
    }
    region, year, month = story.MISSING_REPORT
    assert expected - names == {f"{year}-{month:02d}_{region}.xlsx"}


@pytest.mark.parametrize(
    ("name", "present"),
    [
        ("2025-01_市民生办_考评.xlsx", True),
        ("2025-12_市民生办_考评.xlsx", True),
        ("2026-03_市民生办_考评.csv", True),
        ("2025_序时计划.xlsx", True),
        ("2026_序时计划.xlsx", True),
        ("2026-04_东湖区.xlsx", False),
    ],
)
def test_score_and_plan_files(name, present):
    assert (DEMO_DIR / name).is_file() is present


def test_file_names_sort_by_month():
    months = [m.group(0) for p in demo_files(DEMO_DIR) if (m := re.match(r"\d{4}-\d{2}", p.name))]
    assert months == sorted(months)


def test_score_csv_is_gb18030():
    raw = (DEMO_DIR / "2026-01_市民生办_考评.csv").read_bytes()
    assert raw.decode("gb18030").startswith("年份,月份,对象类型,对象名称,得分,加扣分,说明")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


def test_city_has_the_seeds_scale():
    codes = {p.code for p in PROJECTS}
    assert len({c.split("-")[0] for c in codes}) == 33
    assert {"12-1", "15-2", "18-3"} <= codes
    assert 70 <= sum(len(p.indicators) for p in PROJECTS) <= 90


def test_typo_drops_below_the_month_before():
    typo = story.TYPO
    wanted = (typo["region"], typo["project_code"], typo["indicator"], typo["year"])
    reported = {
        f.month: as_reported(f)
        for f in progress_figures()
        if (f.region, f.project.code, f.indicator.name, f.year) == wanted
    }
    month = typo["month"]
    assert reported[month] < reported[month - 1] <= reported[month + 1]
    falls = [m for m in range(2, 13) if reported[m] < reported[m - 1]]
    assert falls == [month]


def test_other_cumulative_figures_never_fall():
    series: dict[tuple, list[tuple[int, float]]] = {}
    for f in progress_figures():
        key = (f.year, f.region, f.project.code, f.indicator.name)
        series.setdefault(key, []).append((f.month, as_reported(f)))
    typo = story.TYPO
    typo_key = (typo["year"], typo["region"], typo["project_code"], typo["indicator"])
    falling = [
        key
        for key, values in series.items()
        if key != typo_key and any(b[1] < a[1] for a, b in zip(values, values[1:], strict=False))
    ]
    assert falling == []
