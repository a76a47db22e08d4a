"""预警: v_forecast (data contract §4) and metrics.forecast, against figures worked out by hand.

Every expected value below is computed in the comment beside it from the rows the test inserts:
base_month = the earliest loaded month m′ with month − 3 ≤ m′ < month (else 0, rate 0);
pace = (rate − rate at base_month) ÷ (month − base_month); projected = rate + pace × (12 − month).
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from etl.writing.warehouse import load_paths
from metrics import forecast as fc
from metrics.db import Warehouse
from metrics.filters import Filters
from tests.etl.fixtures import PROGRESS_HEADER, write_workbook

YEAR = 2025
CONTRACT_COLUMNS = [
    "year", "month", "region", "project_code", "project_name", "department", "category",
    "indicator", "unit", "completion_rate", "planned_rate", "base_month", "pace",
    "projected_rate", "will_miss",
]  # fmt: skip


def rows(region: str, indicator: str, actuals: dict[int, float], target: float = 100.0, **extra):
    """One progress row per month: {month: 累计完成}."""
    return [
        {
            "year": YEAR,
            "month": month,
            "region": region,
            "indicator": indicator,
            "target": target,
            "actual": actual,
            **extra,
        }
        for month, actual in actuals.items()
    ]


def read_view(wh: Warehouse, where: str = "TRUE") -> pd.DataFrame:
    con = duckdb.connect(":memory:")
    try:
        con.execute("ATTACH ? AS wh (READ_ONLY)", [str(wh.path)])
        con.execute("USE wh")
        return con.execute(
            f"SELECT * FROM v_forecast WHERE {where} ORDER BY region, indicator, year, month"
        ).df()
    finally:
        con.close()


# --- the view, case by case ------------------------------------------------------------------

CASES = {
    # only June loaded: no earlier month → base 0, rate 0; pace 30% ÷ 6 = 5%;
    # projected 30% + 5% × 6 = 60% → misses
    "only_june": ({6: 30}, 6, 0, 0.05, 0.60, True),
    # only January: base 0; pace 10% ÷ 1 = 10%; projected 10% + 10% × 11 = 120%
    "only_january": ({1: 10}, 1, 0, 0.10, 1.20, False),
    # months 2, 5, 6 (a gap in 3–4): in June the window is 3–5, so base 5 (40%);
    # pace (45% − 40%) ÷ 1 = 5%; projected 45% + 5% × 6 = 75%
    "gap_june": ({2: 10, 5: 40, 6: 45}, 6, 5, 0.05, 0.75, True),
    # ... and in May the window is 2–4, so base 2 (10%): pace (40% − 10%) ÷ 3 = 10%;
    # projected 40% + 10% × 7 = 110%
    "gap_may": ({2: 10, 5: 40, 6: 45}, 5, 2, 0.10, 1.10, False),
    # months 1 and 6 only: nothing in 3–5, so base 0 (January is too old), pace 60% ÷ 6 = 10%;
    # projected 60% + 10% × 6 = 120%
    "long_gap": ({1: 50, 6: 60}, 6, 0, 0.10, 1.20, False),
    # 累计完成 falls 50 → 48 → 45: base 4 (50%); pace (45% − 50%) ÷ 2 = −2.5%;
    # projected 45% − 2.5% × 6 = 30%
    "fall": ({4: 50, 5: 48, 6: 45}, 6, 4, -0.025, 0.30, True),
    # December: base 9 (70%); pace (90% − 70%) ÷ 3 = 6.67%; projected = 90% (no months left)
    "december_short": ({9: 70, 10: 80, 11: 85, 12: 90}, 12, 9, 0.2 / 3, 0.90, True),
    # December exactly at target: projected 100% → not a miss
    "december_done": ({9: 70, 12: 100}, 12, 9, 0.1, 1.00, False),
    # target reached in April and passed: base 3 (80%); pace (110% − 80%) ÷ 3 = 10%;
    # projected 110% + 10% × 6 = 170%
    "early_and_beyond": ({3: 80, 4: 100, 5: 110, 6: 110}, 6, 3, 0.10, 1.70, False),
    # reached in March, flat since: pace 0; projected 100% → not a miss
    "early_flat": ({3: 100, 4: 100, 5: 100, 6: 100}, 6, 3, 0.0, 1.00, False),
    # the start of the year: February alone, base 0: pace 20% ÷ 2 = 10%; 20% + 10% × 10 = 120%
    "february": ({2: 20}, 2, 0, 0.10, 1.20, False),
    # 1/8 a month from April: 0 (Apr) → 25% (Jun) → exactly 100% at year end
    "exactly_one": ({4: 0, 6: 25}, 6, 4, 0.125, 1.00, False),
}


@pytest.fixture(scope="module")
def case_view(warehouse_factory) -> pd.DataFrame:
    progress = [r for name, case in CASES.items() for r in rows("区", name, case[0])]
    return read_view(warehouse_factory(progress=progress)).set_index(["indicator", "month"])


@pytest.mark.parametrize("name", list(CASES))
def test_forecast_case(case_view, name):
    _actuals, month, base_month, pace, projected, will_miss = CASES[name]
    row = case_view.loc[(name, month)]
    assert row["base_month"] == base_month
    assert row["pace"] == pytest.approx(pace)
    assert row["projected_rate"] == pytest.approx(projected)
    assert bool(row["will_miss"]) is will_miss


def test_december_projection_is_the_completion_rate_itself(case_view):
    row = case_view.loc[("december_short", 12)]
    assert row["projected_rate"] == row["completion_rate"]


def test_contract_columns_and_types(warehouse_factory):
    wh = warehouse_factory(progress=rows("区", "指标", {6: 30}))
    con = duckdb.connect(":memory:")
    try:
        con.execute("ATTACH ? AS wh (READ_ONLY)", [str(wh.path)])
        described = con.execute("DESCRIBE wh.v_forecast").fetchall()
    finally:
        con.close()
    assert [c[0] for c in described] == CONTRACT_COLUMNS
    types = {c[0]: c[1] for c in described}
    assert types["year"] == types["month"] == types["base_month"] == "INTEGER"
    assert {types[c] for c in ("completion_rate", "planned_rate", "pace", "projected_rate")} == {
        "DOUBLE"
    }
    assert types["will_miss"] == "BOOLEAN"


def test_one_row_per_v_progress_row(warehouse_factory):
    wh = warehouse_factory(
        progress=rows("甲区", "指标", {4: 10, 5: 20, 6: 30})
        + rows("乙区", "指标", {6: 30})
        + rows("甲区", "另一指标", {5: 5, 6: 6}),
        schedules=[{"year": YEAR, "category": "补助类", "month": m, "planned_rate": m / 10}
                   for m in range(4, 7)],
    )  # fmt: skip
    view = read_view(wh)
    assert len(view) == 6
    con = duckdb.connect(":memory:")
    try:
        con.execute("ATTACH ? AS wh (READ_ONLY)", [str(wh.path)])
        mismatched = con.execute(
            "SELECT count(*) FROM wh.v_progress AS p FULL JOIN wh.v_forecast AS f "
            "USING (year, month, region, project_code, indicator) "
            "WHERE p.completion_rate IS DISTINCT FROM f.completion_rate "
            "OR p.planned_rate IS DISTINCT FROM f.planned_rate "
            "OR p.department IS DISTINCT FROM f.department"
        ).fetchone()[0]
    finally:
        con.close()
    assert mismatched == 0


def test_base_month_is_per_region_project_indicator_and_year(warehouse_factory):
    wh = warehouse_factory(
        progress=rows("甲区", "指标", {5: 40, 6: 50})
        # 乙区 has only June: 甲区's May is not its base → base 0, pace 30% ÷ 6 = 5%
        + rows("乙区", "指标", {6: 30})
        # the same indicator under another project is its own series: base 0
        + rows("甲区", "指标", {6: 12}, project_code="14")
        # the year before does not count: 2025 January has base 0 (pace = 10%)
        + [{"year": 2024, "month": 12, "region": "甲区", "indicator": "指标", "actual": 90.0}]
        + rows("甲区", "指标", {1: 10})
    )
    view = read_view(wh).set_index(["year", "region", "project_code", "month"])
    assert view.loc[(YEAR, "乙区", "13", 6), "base_month"] == 0
    assert view.loc[(YEAR, "乙区", "13", 6), "pace"] == pytest.approx(0.05)
    assert view.loc[(YEAR, "甲区", "13", 6), "base_month"] == 5  # (50% − 40%) ÷ 1
    assert view.loc[(YEAR, "甲区", "13", 6), "pace"] == pytest.approx(0.10)
    assert view.loc[(YEAR, "甲区", "14", 6), "base_month"] == 0
    assert view.loc[(YEAR, "甲区", "13", 1), "base_month"] == 0
    assert view.loc[(YEAR, "甲区", "13", 1), "pace"] == pytest.approx(0.10)


def test_projection_of_exactly_100_percent_in_floating_point_is_not_a_miss(warehouse_factory):
    # 0 of 3 in February, 0.6 of 3 in April: 20% ÷ 2 = 10% a month, 20% + 10% × 8 = 100%;
    # in floating point 0.9999999999999999, so the view compares at 1e-9 like is_lagging
    wh = warehouse_factory(progress=rows("区", "指标", {2: 0, 4: 0.6}, target=3))
    row = read_view(wh, "month = 4").iloc[0]
    assert row["projected_rate"] == pytest.approx(1.0)
    assert not row["will_miss"]


# --- the real loader: files → v_forecast; a database from before the view ---------------------


def progress_book(path, month: int, figures: list[tuple[str, str, float, float]]):
    header = list(PROGRESS_HEADER)
    body = [
        [YEAR, month, region, "7", "农村危房改造", indicator, target, actual, "户", "市住建局",
         "其他"]
        for region, indicator, target, actual in figures
    ]  # fmt: skip
    return write_workbook(path, {"进度": [header[:11], *body]})


def test_loaded_files_give_the_hand_computed_forecast(tmp_path):
    books = [
        progress_book(tmp_path / "3月.xlsx", 3, [("西山区", "危房改造竣工", 200, 90)]),
        progress_book(tmp_path / "5月.xlsx", 5, [("西山区", "危房改造竣工", 200, 100)]),
        progress_book(tmp_path / "6月.xlsx", 6, [("西山区", "危房改造竣工", 200, 108)]),
    ]
    db = tmp_path / "wh.duckdb"
    assert not any(r.refused for r in load_paths(books, db))
    row = read_view(Warehouse(db), "month = 6").iloc[0]
    # June 108/200 = 54%; window 3–5 → base 3 (90/200 = 45%); pace 9% ÷ 3 = 3%;
    # projected 54% + 3% × 6 = 72%
    assert (row["region"], row["base_month"]) == ("西山区", 3)
    assert row["completion_rate"] == pytest.approx(0.54)
    assert row["pace"] == pytest.approx(0.03)
    assert row["projected_rate"] == pytest.approx(0.72)
    assert row["will_miss"]


def _make_old(db) -> None:
    """Turn a database into one built before v_forecast existed (an older views.sql)."""
    con = duckdb.connect(str(db))
    try:
        con.execute("DROP VIEW v_forecast")
        con.execute("UPDATE warehouse_meta SET value = 'older' WHERE key = 'schema_sha256'")
        con.execute("CHECKPOINT")
    finally:
        con.close()


def test_next_load_adds_the_view_to_an_older_database(tmp_path):
    db = tmp_path / "wh.duckdb"
    may = progress_book(tmp_path / "5月.xlsx", 5, [("西山区", "危房改造竣工", 200, 100)])
    june = progress_book(tmp_path / "6月.xlsx", 6, [("西山区", "危房改造竣工", 200, 108)])
    load_paths([may], db)
    _make_old(db)
    assert not fc.has_forecast_view(Warehouse(db))
    load_paths([june], db)
    wh = Warehouse(db)
    assert fc.has_forecast_view(wh)
    # May 50% is the base: pace 4%, projected 54% + 4% × 6 = 78%
    assert read_view(wh, "month = 6")["projected_rate"].tolist() == [pytest.approx(0.78)]


def test_dashboard_computes_the_forecast_on_a_database_without_the_view(tmp_path, db_builder):
    progress = rows("甲区", "指标", {3: 45, 4: 48, 5: 50, 6: 54}) + rows("乙区", "指标", {6: 30})
    with_view = Warehouse(db_builder(tmp_path / "new.duckdb", progress))
    old_path = db_builder(tmp_path / "old.duckdb", progress)
    con = duckdb.connect(str(old_path))
    con.execute("DROP VIEW v_forecast")
    con.close()
    without_view = Warehouse(old_path)
    assert fc.has_forecast_view(with_view) and not fc.has_forecast_view(without_view)
    june = Filters(YEAR, 6)
    pd.testing.assert_frame_equal(
        fc.forecast_rows(with_view, june), fc.forecast_rows(without_view, june)
    )
    items = fc.will_miss_items(without_view, june)
    assert list(zip(items["region"], items["projected_rate"].round(6), strict=True)) == [
        ("乙区", 0.6),  # 30% + 5% × 6
        ("甲区", 0.72),  # 54% + 3% × 6
    ]


COMPARED_FILTERS = [
    Filters(YEAR, 6),
    Filters(YEAR, 5),
    Filters(YEAR, 1),
    Filters(YEAR, 12),
    Filters(YEAR, 6, region="甲区"),
    Filters(YEAR, 6, department="市住建局"),
    Filters(YEAR, 6, category="工程类"),
]


@pytest.mark.parametrize("f", COMPARED_FILTERS, ids=str)
def test_computed_rows_equal_the_view_rows(warehouse_factory, f):
    """A file without v_forecast (built before it existed): its reader's rows, from the view's
    definition added in memory, equal those of a file that has the view."""
    progress = (
        rows("甲区", "指标", {1: 5, 2: 10, 4: 30, 5: 28, 6: 40, 9: 60, 12: 95})
        + rows("乙区", "指标", {6: 30, 12: 100})
        # the department changes in June: the base row is April's whatever its department
        + rows("甲区", "工程", {4: 10, 5: 20}, department="市交通局", category="工程类")
        + rows("甲区", "工程", {6: 35}, department="市住建局", category="工程类")
    )
    wh = warehouse_factory(progress=progress)
    old = warehouse_factory(progress=progress)
    _make_old(old.path)
    assert fc.has_forecast_view(wh) and not fc.has_forecast_view(old)
    params = f.params()
    pd.testing.assert_frame_equal(
        wh.query("forecast_rows", params), old.query("forecast_rows", params)
    )
