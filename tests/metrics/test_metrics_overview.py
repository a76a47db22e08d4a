"""总览 cards: the month's figures and the change since last month."""

import pytest

from metrics.filters import Filters
from metrics.lagging import lagging_items
from metrics.overview import overview
from metrics.progress import monthly_trend


@pytest.fixture(scope="module")
def wh(warehouse_factory):
    return warehouse_factory(
        progress=[
            {"month": 5, "region": "铜官区", "actual": 10},
            {"month": 5, "region": "义安区", "actual": 20},
            {"month": 6, "region": "铜官区", "actual": 40},
            {"month": 6, "region": "义安区", "actual": 70},
            {"month": 6, "region": "义安区", "indicator": "公益性岗位开发", "actual": 830},
            {"month": 6, "project_code": "4", "indicator": "道路", "actual": 20},
        ],
        funding=[
            {"month": 5, "budget": 20000, "arrived": 5000, "disbursed": 1000},
            {"month": 6, "budget": 20000, "arrived": 10000, "disbursed": 5000},
        ],
    )


def test_month_figures(wh):
    card = overview(wh, Filters(2020, 6))
    assert (card.n_projects, card.n_indicators) == (2, 3)
    # indicators: Σ 110/200 = 55%, 830% capped 100%, 20%
    assert card.completion_rate == pytest.approx((0.55 + 1.0 + 0.2) / 3)
    assert card.planned_rate == pytest.approx(0.5)
    assert (card.budget, card.arrived, card.disbursed) == (20000, 10000, 5000)
    assert (card.arrived_rate, card.disbursed_rate, card.disbursed_budget_rate) == (0.5, 0.5, 0.25)
    assert card.n_lagging == 2  # 铜官区 40% and the road 20%


def test_change_since_last_month(wh):
    card = overview(wh, Filters(2020, 6))
    assert card.previous.completion_rate == pytest.approx(30 / 200)
    assert card.delta("arrived") == 5000
    assert card.delta("n_lagging") == 0
    assert card.delta("disbursed_rate") == pytest.approx(0.5 - 0.2)


def test_january_and_empty_previous_have_no_delta(wh):
    assert overview(wh, Filters(2020, 1)).previous is None
    may = overview(wh, Filters(2020, 5))
    assert may.previous is not None and not may.previous.has_data
    assert may.delta("arrived") is None


def test_empty_month_reads_as_no_data(wh):
    card = overview(wh, Filters(2020, 9))
    assert not card.has_data
    assert card.completion_rate is None and card.arrived_rate is None


@pytest.mark.parametrize("region", [None, "铜官区", "义安区"])
def test_cards_agree_with_trend_and_lagging_list(wh, region):
    f = Filters(2020, 6, region=region)
    card = overview(wh, f)
    june = monthly_trend(wh, f).set_index("month").loc[6]
    assert card.completion_rate == pytest.approx(june["completion_rate"])
    assert card.n_lagging == june["n_lagging"] == len(lagging_items(wh, f))
