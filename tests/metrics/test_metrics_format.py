"""Pure formatting: what a user reads on cards and in tables."""

import math

import pandas as pd
import pytest

from metrics.format import (
    fmt_count_change,
    fmt_money_change,
    fmt_money_wan,
    fmt_percent,
    fmt_points,
    fmt_points_change,
    fmt_rank_change,
    fmt_schedule_gap,
    fmt_score,
    in_project_order,
    project_labels,
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
    ],
)
def test_other_formats(func, value, expected):
    assert func(value) == expected


@pytest.mark.parametrize(
    ("func", "value", "expected"),
    [
        (fmt_points_change, 0.121, "+12.1个百分点"),
        (fmt_points_change, -0.018, "-1.8个百分点"),
        (fmt_points_change, -0.0001, "+0.0个百分点"),
        (fmt_points_change, None, None),
        (fmt_points_change, math.nan, None),
        (fmt_money_change, 1234.5, "+1,234.5万元"),
        (fmt_money_change, -12345.6, "-1.23亿元"),  # ASCII minus: the card's arrow points down
        (fmt_money_change, 0.0, "+0.0万元"),
        (fmt_money_change, None, None),
        (fmt_count_change, 3.0, 3),
        (fmt_count_change, -2, -2),
        (fmt_count_change, None, None),
        (fmt_schedule_gap, 0.193, "完成率领先19.3个百分点"),
        (fmt_schedule_gap, -0.0506, "完成率落后5.1个百分点"),
        (fmt_schedule_gap, 0.0, "完成率领先0.0个百分点"),
        (fmt_schedule_gap, None, None),
    ],
)
def test_card_changes(func, value, expected):
    assert func(value) == expected


def test_project_labels():
    codes = pd.Series(["4", "13"])
    names = pd.Series(["四好农村路", "就业创业促进工程"])
    assert project_labels(codes, names).tolist() == ["4 四好农村路", "13 就业创业促进工程"]


def test_project_lists_sort_codes_naturally_as_the_sql_does():
    frame = pd.DataFrame({"project_code": ["10-10", "x", "10-2", "2", "10"]})
    assert in_project_order(frame)["project_code"].tolist() == ["2", "10", "10-2", "10-10", "x"]


def test_python_and_sql_project_orders_agree():
    """project_sort_key (frames in memory) and the project_order macro (SQL) are one rule."""
    import duckdb

    from metrics.format import project_sort_key
    from metrics.schema import contract_macros

    codes = ["13", "A", "12-a", "12-2", "12.1", "4", "12", "12－3", "2-10", "2-9", "x-1"]
    con = duckdb.connect()
    con.execute("CREATE MACRO project_order" + dict(contract_macros())["project_order"])
    in_sql = [code for (code,) in con.execute(
        "SELECT code FROM unnest($codes) AS t(code) ORDER BY project_order(code), code",
        {"codes": codes},
    ).fetchall()]  # fmt: skip
    assert in_sql == sorted(codes, key=project_sort_key)
    assert in_sql[:4] == ["2-9", "2-10", "4", "12"]
