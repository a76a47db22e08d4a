"""Progress by indicator, project and region: Σ aggregation, capped project means, pairs, trend."""

import duckdb
import pandas as pd
import pytest

from metrics.filters import Filters
from metrics.progress import (
    construction_pairs,
    indicator_progress,
    is_behind,
    monthly_trend,
    project_progress,
    region_breakdown,
)

JUNE = Filters(2020, 6)


def test_regions_are_summed_not_averaged(warehouse_factory):
    wh = warehouse_factory(
        progress=[
            {"region": "铜官区", "actual": 10, "target": 20},
            {"region": "义安区", "actual": 30, "target": 40},
        ]
    )
    row = indicator_progress(wh, JUNE).iloc[0]
    assert (row["actual"], row["target"]) == (40, 60)
    assert row["completion_rate"] == pytest.approx(40 / 60)  # not (0.5 + 0.75) / 2
    assert row["n_regions"] == 2


def test_different_units_are_never_added(warehouse_factory):
    wh = warehouse_factory(
        progress=[
            {"region": "铜官区", "unit": "公里", "actual": 5, "target": 10},
            {"region": "义安区", "unit": "米", "actual": 500, "target": 1000},
        ]
    )
    rows = indicator_progress(wh, JUNE)
    assert sorted(rows["unit"]) == ["公里", "米"]
    assert list(rows["target"].sort_values()) == [10, 1000]


@pytest.fixture(scope="module")
def three_indicators(warehouse_factory):
    return warehouse_factory(
        progress=[
            {"region": "铜官区", "indicator": "就业见习岗位开发"},
            {"region": "铜官区", "indicator": "公益性岗位开发"},
            {
                "region": "义安区",
                "project_code": "4",
                "project_name": "四好农村路",
                "indicator": "农村公路扩面延伸工程完工",
                "department": "市交通局",
                "category": "工程类",
                "unit": "公里",
            },
        ]
    )


@pytest.mark.parametrize(
    ("filters", "expected_indicators"),
    [
        (Filters(2020, 6), ["公益性岗位开发", "就业见习岗位开发", "农村公路扩面延伸工程完工"]),
        (Filters(2020, 6, region="铜官区"), ["公益性岗位开发", "就业见习岗位开发"]),
        (Filters(2020, 6, department="市交通局"), ["农村公路扩面延伸工程完工"]),
        (Filters(2020, 6, category="补助类"), ["公益性岗位开发", "就业见习岗位开发"]),
        (Filters(2020, 6, region="义安区", category="补助类"), []),
        (Filters(2020, 7), []),
    ],
)
def test_filters_choose_rows(three_indicators, filters, expected_indicators):
    chosen = indicator_progress(three_indicators, filters)["indicator"]
    assert sorted(chosen) == sorted(expected_indicators)


def test_project_rate_is_mean_of_capped_indicator_rates(warehouse_factory):
    # seed 003 has an indicator at 830%: capped at 100% it cannot hide the 30% sibling
    wh = warehouse_factory(
        progress=[
            {"indicator": "贫困精神残疾人药费补助", "actual": 830, "target": 100},
            {"indicator": "残疾儿童康复训练", "actual": 30, "target": 100},
        ]
    )
    project = project_progress(wh, JUNE).iloc[0]
    assert project["completion_rate"] == pytest.approx((1.0 + 0.3) / 2)
    assert project["planned_rate"] == pytest.approx(0.5)
    assert project["gap"] == pytest.approx(0.15)
    assert not project["is_lagging"]
    assert (project["n_indicators"], project["n_lagging"]) == (2, 1)


def test_projects_in_project_number_order(warehouse_factory):
    codes = ["13", "12-2", "4", "12-1", "2"]
    wh = warehouse_factory(progress=[{"project_code": c} for c in codes])
    assert list(project_progress(wh, JUNE)["project_code"]) == ["2", "4", "12-1", "12-2", "13"]


def test_published_schedule_is_used(warehouse_factory):
    # 工程类 plan publishes 30% for June: a 35% road is on schedule although 35% < 6/12
    wh = warehouse_factory(
        progress=[{"project_code": "4", "category": "工程类", "actual": 35, "target": 100}],
        schedules=[{"category": "工程类", "month": 6, "planned_rate": 0.3}],
    )
    row = indicator_progress(wh, JUNE).iloc[0]
    assert row["planned_rate"] == pytest.approx(0.3)
    assert not row["is_lagging"]


def test_region_breakdown_lists_regions_with_city_average(warehouse_factory):
    wh = warehouse_factory(
        progress=[
            {"region": "铜官区", "actual": 10, "target": 100},
            {"region": "义安区", "actual": 60, "target": 100},
            {"region": "义安区", "project_code": "4", "indicator": "其他", "actual": 1},
        ]
    )
    rows = region_breakdown(wh, JUNE, "13").set_index("region")
    assert sorted(rows.index) == ["义安区", "铜官区"]
    assert rows.loc["铜官区", "city_average_rate"] == pytest.approx(0.35)
    assert bool(rows.loc["铜官区", "below_city_average"])
    assert not bool(rows.loc["义安区", "below_city_average"])


def test_construction_pairs_side_by_side(warehouse_factory):
    # seed 003: 农村公路扩面延伸工程 开工率 100%, 完工率 86.36%; 危房 开工 and 竣工 both 100%
    road = {"project_code": "4", "project_name": "四好农村路", "category": "工程类", "unit": "公里"}
    houses = {
        "project_code": "5",
        "project_name": "农村危房改造",
        "category": "工程类",
        "unit": "户",
    }
    wh = warehouse_factory(
        progress=[
            {
                **road,
                "indicator": "农村公路扩面延伸工程开工",
                "target": 1264.983,
                "actual": 1264.983,
            },
            {
                **road,
                "indicator": "农村公路扩面延伸工程完工",
                "target": 1264.983,
                "actual": 1092.463,
            },
            {**road, "indicator": "县乡公路大中修完工", "target": 317.2, "actual": 213.492},
            {**houses, "indicator": "危房改造开工", "target": 495, "actual": 495},
            {**houses, "indicator": "危房改造竣工", "target": 495, "actual": 495},
            {"indicator": "就业见习开工"},  # not 工程类: no pair
        ]
    )
    pairs = construction_pairs(wh, JUNE).set_index("item")
    assert list(pairs.index) == ["农村公路扩面延伸工程", "县乡公路大中修", "危房改造"]
    assert pairs.loc["农村公路扩面延伸工程", "start_rate"] == pytest.approx(1.0)
    assert round(pairs.loc["农村公路扩面延伸工程", "finish_rate"], 4) == 0.8636
    assert pairs.loc["县乡公路大中修"].isna()["start_rate"]
    assert pairs.loc["危房改造", "finish_rate"] == pytest.approx(1.0)


def test_monthly_trend_month_by_month(warehouse_factory):
    wh = warehouse_factory(
        progress=[
            {"month": 2, "actual": 0, "target": 100},  # lagging: 0 < 2/12
            {"month": 3, "actual": 50, "target": 100},
            {"month": 3, "indicator": "公益性岗位开发", "actual": 200, "target": 100},
        ],
        funding=[{"month": 3, "budget": 200, "arrived": 100, "disbursed": 50}],
    )
    trend = monthly_trend(wh, Filters(2020, 3)).set_index("month")
    assert list(trend.index) == [1, 2, 3]
    assert trend.isna().loc[1].all()
    assert trend.loc[2, "completion_rate"] == 0
    assert trend.loc[2, "n_lagging"] == 1
    assert trend.loc[3, "completion_rate"] == pytest.approx((0.5 + 1.0) / 2)  # 200% capped
    assert trend.loc[3, "planned_rate"] == pytest.approx(0.25)
    assert trend.loc[3, "n_lagging"] == 0
    assert trend.loc[3, ["arrived_rate", "disbursed_rate", "disbursed_budget_rate"]].tolist() == [
        0.5, 0.5, 0.25,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("rate", "planned"),
    [(0.5, 6 / 12), (0.1 + 0.2, 0.3), (0.3, 0.1 + 0.2), (0.49, 0.5), (0.5, 0.49), (None, 0.5)],
)
def test_python_is_behind_is_the_sql_rule(warehouse_factory, rate, planned):
    """metrics.progress.is_behind (project roll-ups) decides as views.sql's is_behind does."""
    con = duckdb.connect(str(warehouse_factory().path), read_only=True)
    try:
        in_sql = con.execute("SELECT is_behind(?, ?)", [rate, planned]).fetchone()[0]
    finally:
        con.close()
    in_python = is_behind(pd.Series([rate], dtype=float), pd.Series([planned]))
    assert bool(in_sql) == bool(in_python.iloc[0])
