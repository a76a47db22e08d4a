"""Pure formatting: what a user reads on cards and in tables."""

import math

import pytest

from metrics.format import (
    fmt_money_wan,
    fmt_number,
    fmt_percent,
    fmt_points,
    fmt_rank_change,
    fmt_score,
)


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        (0.4859, "48.6%"),
        (0.57, "57.0%"),
        (8.3, "830.0%"),
        (1.134, "113.4%"),
        (0.0, "0.0%"),
        (None, "—"),
        (math.nan, "—"),
    ],
)
def test_fmt_percent(rate, expected):
    assert fmt_percent(rate) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (12345.6, "1.23亿元"),
        (10000.0, "1.00亿元"),
        (895000.0, "89.50亿元"),
        (9999.9, "9,999.9万元"),
        (1264.983, "1,265.0万元"),
        (0.0, "0.0万元"),
        (None, "—"),
    ],
)
def test_fmt_money_wan(amount, expected):
    assert fmt_money_wan(amount) == expected


@pytest.mark.parametrize(
    ("points", "expected"),
    [(-10.2, "-10.2个百分点"), (40.0, "40.0个百分点"), (-0.01, "0.0个百分点"), (None, "—")],
)
def test_fmt_points(points, expected):
    assert fmt_points(points) == expected


@pytest.mark.parametrize(
    ("func", "value", "expected"),
    [
        (fmt_score, 1.35 + 0.05, "1.400"),
        (fmt_score, 13.715, "13.715"),
        (fmt_rank_change, 2, "↑2"),
        (fmt_rank_change, -1, "↓1"),
        (fmt_rank_change, 0, "—"),
        (fmt_rank_change, None, "—"),
        (fmt_number, 1264.983, "1,265"),
    ],
)
def test_other_formats(func, value, expected):
    assert func(value) == expected
