"""同比 over two years whose project lists differ: only project 1 is in both Junes; 2 was dropped
in 2025 and 3 is new. Figures worked out by hand below."""

from __future__ import annotations

import pandas as pd
import pytest

from metrics.filters import Filters
from metrics.yoy import yoy_overview, yoy_ranks

NAMES = {"1": "公益性岗位开发", "2": "农村危房改造", "3": "老旧小区改造"}


def progress(year, region, code, target, actual):
    return {"year": year, "month": 6, "region": region, "project_code": code,
            "project_name": NAMES[code], "indicator": NAMES[code], "target": target,
            "actual": actual}  # fmt: skip


def funding(year, region, code, budget, arrived, disbursed):
    return {"year": year, "month": 6, "region": region, "project_code": code,
            "project_name": NAMES[code], "budget": budget, "arrived": arrived,
            "disbursed": disbursed}  # fmt: skip


@pytest.fixture(scope="module")
def wh(warehouse_factory):
    return warehouse_factory(
        progress=[
            progress(2024, "甲区", "1", 100, 50),
            progress(2024, "乙县", "1", 100, 30),
            progress(2024, "甲区", "2", 10, 5),
            progress(2025, "甲区", "1", 100, 70),
            progress(2025, "乙县", "1", 100, 50),
            progress(2025, "甲区", "3", 10, 10),
        ],
        funding=[
            funding(2024, "甲区", "1", 100, 60, 30),
            funding(2024, "乙县", "1", 100, 40, 20),
            funding(2024, "甲区", "2", 50, 50, 50),
            funding(2025, "甲区", "1", 120, 90, 60),
            funding(2025, "乙县", "1", 100, 60, 40),
            funding(2025, "甲区", "3", 80, 80, 80),
        ],
        scores=[
            {"year": 2024, "month": 6, "unit": "甲区", "base_score": 1.4},
            {"year": 2024, "month": 6, "unit": "乙县", "base_score": 1.5},
            {"year": 2025, "month": 6, "unit": "甲区", "base_score": 1.5},
            {"year": 2025, "month": 6, "unit": "乙县", "base_score": 1.3},
        ],
    )


def test_only_projects_in_both_years_are_compared(wh):
    yoy = yoy_overview(wh, Filters(2025, 6))
    assert list(yoy.compared["project_code"]) == ["1"]
    assert list(yoy.new["project_name"]) == ["老旧小区改造"]
    assert list(yoy.dropped["project_name"]) == ["农村危房改造"]
    assert yoy.has_last_year


def test_the_figures_by_hand(wh):
    yoy = yoy_overview(wh, Filters(2025, 6))
    # 完成率 of project 1: (70 + 50) / 200 = 60% against (50 + 30) / 200 = 40%
    done = yoy.figure("completion_rate")
    assert (done["this_year"], done["last_year"]) == pytest.approx((0.6, 0.4))
    assert done["change"] == pytest.approx(0.2)
    # 计划投入 220 against 200: +10%; projects 2 and 3 (50 and 80) are left out
    budget = yoy.figure("budget")
    assert (budget["this_year"], budget["last_year"]) == (220, 200)
    assert budget["growth"] == pytest.approx(0.1)
    # 到位率 150 / 220 against 100 / 200; 拨付率 100 / 150 against 50 / 100
    assert yoy.figure("arrived_rate")["change"] == pytest.approx(150 / 220 - 0.5)
    assert yoy.figure("disbursed_rate")["this_year"] == pytest.approx(100 / 150)
    assert yoy.figure("disbursed")["growth"] == pytest.approx(1.0)
    assert pd.isna(yoy.figure("completion_rate")["growth"])  # a rate compares in points


def test_a_region_is_compared_with_itself(wh):
    yoy = yoy_overview(wh, Filters(2025, 6, region="乙县"))
    assert list(yoy.compared["project_code"]) == ["1"]
    assert yoy.new.empty and yoy.dropped.empty  # 乙县 had project 1 only, both years
    done = yoy.figure("completion_rate")
    assert (done["this_year"], done["last_year"]) == pytest.approx((0.5, 0.3))


def test_without_last_year_nothing_is_compared(wh):
    yoy = yoy_overview(wh, Filters(2024, 6))
    assert not yoy.has_last_year
    assert yoy.compared.empty
    assert pd.isna(yoy.figure("completion_rate")["change"])


def test_each_countys_rank_and_completion_against_last_year(wh):
    ranks = yoy_ranks(wh, 2025, 6, "县区").set_index("unit")
    assert ranks.loc["甲区", "rank"] == 1 and ranks.loc["甲区", "rank_last_year"] == 2
    assert ranks.loc["甲区", "rank_change"] == 1  # moved up one place
    assert ranks.loc["乙县", "rank_change"] == -1
    # 甲区 on project 1 only (3 is new): 70% against 50%
    assert ranks.loc["甲区", "completion_rate"] == pytest.approx(0.7)
    assert ranks.loc["甲区", "completion_change"] == pytest.approx(0.2)
    assert ranks.loc["甲区", "n_compared"] == 1
