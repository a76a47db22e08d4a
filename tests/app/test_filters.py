"""The URL → filter fallback rules (pure functions of dashboard.filters)."""

from __future__ import annotations

import pytest

from dashboard.filters import check_choice, describe, period_list, seed_from_url
from metrics.filters import Filters

PERIODS = [(2024, 11), (2024, 12), (2025, 1), (2025, 2), (2025, 3)]


@pytest.mark.parametrize(
    ("params", "expected", "notices"),
    [
        ({}, {"year": 2025, "month": 3}, []),
        ({"year": "2024", "month": "11"}, {"year": 2024, "month": 11}, []),
        ({"year": "2024"}, {"year": 2024, "month": 12}, []),
        ({"month": "2"}, {"year": 2025, "month": 2}, []),
        ({"month": "13"}, {"year": 2025, "month": 3}, ["链接中的月份“13”无效，已改为最新月份"]),
        ({"month": "abc"}, {"year": 2025, "month": 3}, ["链接中的月份“abc”无效，已改为最新月份"]),
        # a month the chosen year has not reached yet is stale, not silently kept
        (
            {"year": "2025", "month": "9"},
            {"year": 2025, "month": 3},
            ["链接中的月份“9”无效，已改为最新月份"],
        ),
        (
            {"year": "2019", "month": "5"},
            {"year": 2025, "month": 3},
            ["链接中的年份“2019”无效，已改为最新年份", "链接中的月份“5”无效，已改为最新月份"],
        ),
        ({"year": " 2024 ", "month": "012"}, {"year": 2024, "month": 12}, []),
    ],
)
def test_seed_from_url(params, expected, notices):
    assert seed_from_url(params, PERIODS) == (expected, notices)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ("全市", None)),
        ("铜官区", ("铜官区", None)),
        ("火星区", ("全市", "链接中的地区“火星区”不在当前数据中，已改为全市")),
    ],
)
def test_check_region(raw, expected):
    params = {} if raw is None else {"region": raw}
    assert check_choice(params, "region", ["全市", "铜官区", "义安区"], "全市", "地区") == expected


@pytest.mark.parametrize(
    ("periods", "expected"),
    [
        ([(2025, 2), (2024, 12), (2025, 2)], [(2024, 12), (2025, 2)]),
        ([], []),
    ],
)
def test_period_list_sorts_and_dedupes(periods, expected):
    assert period_list(periods) == expected


@pytest.mark.parametrize(
    ("f", "expected"),
    [
        (Filters(2025, 6), "2025年6月 · 全市"),
        (
            Filters(2025, 6, "铜官区", "市人社局", "补助类"),
            "2025年6月 · 铜官区 · 市人社局 · 补助类",
        ),
    ],
)
def test_describe(f, expected):
    assert describe(f) == expected
