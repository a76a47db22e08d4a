"""资金 by project, region and as a matrix: Σ of 万元 then rates, both 拨付 denominators."""

import math

import duckdb
import pytest

from metrics.filters import Filters
from metrics.funding import funding_by_project, funding_by_region, funding_matrix, funding_total

JUNE = Filters(2020, 6)
ROAD = {"project_code": "4", "project_name": "四好农村路"}


@pytest.fixture(scope="module")
def wh(warehouse_factory):
    return warehouse_factory(
        progress=[
            {"region": "铜官区"},
            {"region": "铜官区", **ROAD, "department": "市交通局", "category": "工程类"},
        ],
        funding=[
            {"region": "铜官区", "budget": 100, "arrived": 50, "disbursed": 25},
            {"region": "义安区", "budget": 300, "arrived": 150, "disbursed": 150},
            {"region": "铜官区", **ROAD, "budget": 100, "arrived": 0, "disbursed": 0},
            {"region": "郊区", **ROAD, "budget": 0, "arrived": 0, "disbursed": 0},
        ],
        schedules=[{"project_code": "4", "month": 6, "planned_rate": 0.3}],
    )


def test_by_project_sums_money_then_divides(wh):
    rows = funding_by_project(wh, JUNE).set_index("project_code")
    assert list(rows.index) == ["4", "13"]
    jobs = rows.loc["13"]
    assert jobs[["budget", "arrived", "disbursed"]].tolist() == [400, 200, 175]
    assert jobs["arrived_rate"] == pytest.approx(0.5)  # 到位 ÷ 计划
    assert jobs["disbursed_rate"] == pytest.approx(0.875)  # 拨付 ÷ 到位
    assert jobs["disbursed_budget_rate"] == pytest.approx(0.4375)  # 拨付 ÷ 计划
    assert jobs["planned_rate"] == pytest.approx(0.5)
    assert jobs["n_regions"] == 2
    assert rows.loc["4", "planned_rate"] == pytest.approx(0.3)  # the project's own plan
    assert rows.loc["4", "department"] == "市交通局"


def test_zero_denominator_gives_no_rate(wh):
    region = funding_by_region(wh, JUNE).set_index("region").loc["郊区"]
    assert region["budget"] == 0
    assert all(math.isnan(region[c]) for c in ["arrived_rate", "disbursed_rate"])


def test_by_region_with_budget_weighted_schedule(wh):
    region = funding_by_region(wh, JUNE).set_index("region").loc["铜官区"]
    assert region[["budget", "arrived", "disbursed"]].tolist() == [200, 50, 25]
    assert region["n_projects"] == 2
    # 100 万元 due at 30% and 100 万元 at 50%
    assert region["planned_rate"] == pytest.approx(0.4)


@pytest.mark.parametrize(
    ("filters", "expected_budget"),
    [
        (Filters(2020, 6), 500),
        (Filters(2020, 6, region="铜官区"), 200),
        (Filters(2020, 6, department="市交通局"), 100),
        (Filters(2020, 6, category="补助类"), 400),
        (Filters(2020, 5), 0),
    ],
)
def test_total_follows_filters(wh, filters, expected_budget):
    assert funding_total(wh, filters)["budget"] == expected_budget


def test_matrix_region_by_project_with_city_row(wh):
    matrix = funding_matrix(wh, JUNE, "disbursed_budget_rate").set_index("region")
    assert list(matrix.columns) == ["4 四好农村路", "13 就业创业促进工程"]
    assert list(matrix.index) == ["义安区", "郊区", "铜官区", "全市"]
    assert matrix.loc["铜官区", "13 就业创业促进工程"] == pytest.approx(0.25)
    assert math.isnan(matrix.loc["义安区", "4 四好农村路"])  # 义安区 runs no road project
    assert matrix.loc["全市", "13 就业创业促进工程"] == pytest.approx(175 / 400)


def test_matrix_refuses_unknown_figure(wh):
    with pytest.raises(ValueError):
        funding_matrix(wh, JUNE, "profit")


def test_empty_month(wh):
    assert funding_by_project(wh, Filters(2020, 5)).empty
    assert funding_matrix(wh, Filters(2020, 5)).empty
    assert funding_total(wh, Filters(2020, 5))["arrived_rate"] is None


# 序时进度 of funding follows the contract's rule through v_project_plan: the project's plan,
# else the plan of its 类别 (from its progress rows of the year, in any month), else month / 12.
ROAD_PLAN = {"project_code": "4", "month": 6, "planned_rate": 0.3}
WORKS_PLAN = {"category": "工程类", "month": 6, "planned_rate": 0.2}


@pytest.mark.parametrize(
    ("progress", "schedules", "expected"),
    [
        pytest.param([{"month": 6}], [ROAD_PLAN, WORKS_PLAN], 0.3, id="project-plan-first"),
        pytest.param([{"month": 6}], [WORKS_PLAN], 0.2, id="category-plan"),
        pytest.param([{"month": 5}], [WORKS_PLAN], 0.2, id="category-from-another-month"),
        pytest.param([], [ROAD_PLAN], 0.3, id="own-plan-without-progress-rows"),
        pytest.param([], [WORKS_PLAN], 0.5, id="no-progress-rows-no-category"),
        pytest.param([{"month": 6}], [], 0.5, id="month-over-12"),
        pytest.param(
            [{"month": 6}, {"month": 6, "indicator": "培训", "category": "培训类"}],
            [WORKS_PLAN, {"category": "培训类", "month": 6, "planned_rate": 0.4}],
            pytest.approx(0.3),
            id="mixed-categories-average",
        ),
    ],
)
def test_funding_schedule_precedence(warehouse_factory, progress, schedules, expected):
    wh = warehouse_factory(
        progress=[{**ROAD, "category": "工程类", **row} for row in progress],
        funding=[{**ROAD, "budget": 100}],
        schedules=schedules,
    )
    [row] = funding_by_project(wh, JUNE).to_dict("records")
    assert row["planned_rate"] == expected


def test_category_shown_is_the_most_common_of_the_project(warehouse_factory):
    wh = warehouse_factory(
        progress=[
            {**ROAD, "indicator": "培训", "category": "培训类"},
            {**ROAD, "indicator": "开工", "category": "工程类"},
            {**ROAD, "indicator": "完工", "category": "工程类"},
        ],
        funding=[ROAD],
    )
    assert funding_by_project(wh, JUNE)["category"].tolist() == ["工程类"]


def test_v_progress_plan_is_v_project_plan(warehouse_factory):
    wh = warehouse_factory(
        progress=[
            {**ROAD, "category": "工程类"},
            {"month": 5},
            {"month": 6, "project_code": "9", "category": "培训类"},
        ],
        schedules=[ROAD_PLAN, WORKS_PLAN, {"category": "补助类", "month": 5, "planned_rate": 0.1}],
    )
    with duckdb.connect(str(wh.path), read_only=True) as con:
        pairs = con.execute(
            "SELECT p.planned_rate, pp.planned_rate FROM v_progress AS p "
            "LEFT JOIN v_project_plan AS pp USING (year, month, project_code, category) "
            "ORDER BY ALL"
        ).fetchall()
    assert len(pairs) == 3
    assert all(mine == pytest.approx(theirs) for mine, theirs in pairs)
