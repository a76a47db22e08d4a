"""Month picker and filter choices."""

import pytest

from metrics.filters import Filters
from metrics.periods import available_periods, dimensions, latest_period


@pytest.fixture(scope="module")
def wh(warehouse_factory):
    return warehouse_factory(
        progress=[
            {"year": 2020, "month": 11, "region": "铜官区", "category": "补助类"},
            {"year": 2021, "month": 2, "region": "枞阳县", "category": "其他", "department": None},
            {
                "year": 2021,
                "month": 1,
                "region": "义安区",
                "category": "工程类",
                "department": "市交通局",
            },
        ],
        funding=[{"year": 2021, "month": 2, "region": "经开区"}],
        scores=[{"year": 2021, "month": 3}],  # a 考评 sheet sent ahead of the figures
    )


def test_available_periods(wh):
    periods = available_periods(wh)
    assert periods[["year", "month"]].values.tolist() == [
        [2020, 11],
        [2021, 1],
        [2021, 2],
        [2021, 3],
    ]
    assert periods["has_scores"].tolist() == [False, False, False, True]


def test_latest_period_is_the_latest_with_figures(wh):
    assert latest_period(wh) == (2021, 2)


def test_latest_period_of_an_empty_warehouse(warehouse_factory):
    assert latest_period(warehouse_factory()) is None


def test_dimensions_of_a_year(wh):
    dims = dimensions(wh, 2021)
    assert sorted(dims.regions) == ["义安区", "枞阳县", "经开区"]
    assert dims.departments == ["市交通局"]
    assert dims.categories == ["工程类", "其他"]  # the contract's order
    assert dimensions(wh, 2019).regions == []


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(2020, 6, region="全市"), Filters(2020, 6)),
        (Filters(2020, 6, department="", category=" "), Filters(2020, 6)),
        (Filters(2020, 6, region="郊区"), Filters(2020, 6, "郊区")),
    ],
)
def test_filters_normalise_whole_city(filters, expected):
    assert filters == expected
    assert filters.params() == expected.params()


@pytest.mark.parametrize("month", [0, 13])
def test_filters_refuse_impossible_month(month):
    with pytest.raises(ValueError, match="月份"):
        Filters(2020, month)
