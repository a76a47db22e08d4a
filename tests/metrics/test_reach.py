"""The row filter (数据范围) on its own: roles, clamped filters, filtered rows."""

from __future__ import annotations

import pandas as pd
import pytest

from metrics.filters import Filters
from metrics.periods import Dimensions
from metrics.reach import (
    ANONYMOUS,
    NOTHING,
    Identity,
    OutOfReach,
    Reach,
    restrict_call,
    restrict_result,
)

COUNTY = Identity("北岭县民生办", "县区", "北岭县")
DEPARTMENT = Identity("市人社局", "市直单位", "市人社局")


@pytest.mark.parametrize(
    ("identity", "visitor_reach", "expected"),
    [
        (Identity("张三", "民生办"), "none", Reach()),
        (Identity("王五", "领导"), "none", Reach()),
        (COUNTY, "all", Reach(region="北岭县")),
        (DEPARTMENT, "all", Reach(department="市人社局")),
        (ANONYMOUS, "all", Reach()),
        (ANONYMOUS, "none", NOTHING),
    ],
)
def test_each_role_reaches_what_the_issue_says(identity, visitor_reach, expected):
    assert identity.reach(visitor_reach) == expected


def test_a_unit_role_needs_its_unit_and_roles_are_a_closed_list():
    with pytest.raises(ValueError, match="须指定所属单位"):
        Identity("某县", "县区")
    with pytest.raises(ValueError, match="未知角色"):
        Identity("某人", "超级管理员")


def test_a_county_filter_is_pinned_to_its_region_whatever_was_asked():
    asked = Filters(2025, 6, region="南溪县", department="市民政局", category="补助类")
    args, kwargs = restrict_call("lagging_items", Reach(region="北岭县"), (asked,), {})
    assert args[0] == Filters(2025, 6, region="北岭县", department="市民政局", category="补助类")
    # 全市 (no region) is narrowed as well
    args, _ = restrict_call("overview", Reach(region="北岭县"), (Filters(2025, 6),), {})
    assert args[0].region == "北岭县"


def test_a_region_argument_is_pinned_too():
    call = (Filters(2025, 6), "12-1", "新建", "个", "南溪县")
    args, _ = restrict_call("indicator_series", Reach(region="北岭县"), call, {})
    assert args[4] == "北岭县"
    _, kwargs = restrict_call(
        "indicator_series", Reach(region="北岭县"), call[:4], {"region": None}
    )
    assert kwargs["region"] == "北岭县"


def test_published_calls_are_not_narrowed_and_a_closed_reach_reads_nothing():
    args = (2025, 6, "县区")
    assert restrict_call("rankings", Reach(region="北岭县"), args, {}) == (args, {})
    with pytest.raises(OutOfReach):
        restrict_call("lagging_items", NOTHING, (Filters(2025, 6),), {})


def test_rows_of_other_units_are_dropped():
    frame = pd.DataFrame(
        {
            "region": ["北岭县", "南溪县", "北岭县"],
            "department": ["市人社局", "市人社局", "市民政局"],
        }
    )
    county = restrict_result("funding_by_region", Reach(region="北岭县"), frame)
    assert county["region"].tolist() == ["北岭县", "北岭县"]
    department = restrict_result("lagging_items", Reach(department="市人社局"), frame)
    assert department["region"].tolist() == ["北岭县", "南溪县"]
    assert restrict_result("rankings", Reach(region="北岭县"), frame) is frame


def test_the_filter_choices_offer_only_the_own_unit():
    dims = Dimensions(["北岭县", "南溪县"], ["市人社局", "市民政局"], ["补助类"])
    assert restrict_result("dimensions", Reach(region="北岭县"), dims).regions == ["北岭县"]
    narrowed = restrict_result("dimensions", Reach(department="市民政局"), dims)
    assert narrowed.departments == ["市民政局"] and narrowed.regions == ["北岭县", "南溪县"]
