"""The 排序 menu of long tables: which orders a table offers, and how a whole frame is sorted."""

from __future__ import annotations

import pandas as pd

from dashboard.columns import LAGGING_LEAD, columns
from dashboard.layout import Col
from dashboard.sorting import Order, orders, sort_frame

# the 滞后清单's first columns (pages/lagging.py), its 低于全市平均 flag and its 溯源 link
LAGGING = columns(*LAGGING_LEAD, "department", "months_behind", "below_city_average",
                  "lineage_link")  # fmt: skip


def labels(cols, note=None) -> list[str]:
    return [order.label for order in orders(cols, note)]


def test_the_lagging_list_offers_its_columns_worst_first():
    offered = labels(LAGGING, "落后最多的在前")
    assert offered[:6] == ["默认（落后最多的在前）", "地区", "指标名称", "落后 从大到小",
                           "完成率 从低到高", "序时进度 从低到高"]  # fmt: skip
    assert offered[6:] == ["责任单位", "连续滞后月数 从大到小"]  # no chips, flags or links


def test_ranks_and_days_left_come_smallest_first():
    cols = [Col("rank", "6月排名", "int"), *columns("days_left", "needed_pace")]
    assert labels(cols) == ["默认顺序", "6月排名 从小到大", "剩余天数 从小到大",
                            "今后每月需完成 从高到低"]  # fmt: skip


def test_a_header_given_twice_is_offered_once():
    assert labels(columns("region", "county")) == ["默认顺序", "地区", "县区"]
    assert labels([Col("a", "地区"), Col("b", "地区")]) == ["默认顺序", "地区"]


def test_sort_keeps_ties_in_the_tables_order_and_missing_last():
    frame = pd.DataFrame(
        {"region": ["乙", "甲", "乙", "甲"], "rate": [0.5, None, 0.2, 0.2], "n": [1, 2, 3, 4]}
    )
    cols = [Col("region", "地区"), Col("rate", "完成率（%）", "percent")]
    by_rate = sort_frame(frame, Order("完成率 从低到高", "rate", True), cols)
    assert list(by_rate["n"]) == [3, 4, 1, 2]
    by_region = sort_frame(frame, Order("地区", "region", True), cols)
    assert list(by_region["n"]) == [1, 3, 2, 4]  # 乙 (U+4E59) before 甲: as the sidebar lists
    assert sort_frame(frame, Order("默认顺序"), cols) is frame


def test_project_codes_sort_in_natural_order():
    frame = pd.DataFrame({"project_code": ["12-1", "4", "13", "12-2"]})
    done = sort_frame(frame, Order("项目编号", "project_code", True), columns("project_code"))
    assert list(done["project_code"]) == ["4", "12-1", "12-2", "13"]
