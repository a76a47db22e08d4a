"""The 排序 menu of a long table (dashboard.paging): the orders a table offers, derived from its
columns, and the sort of a whole frame by one of them. The grid's own header click sorts only
the page on screen; these sort every row before paging, and the downloads with them.

Each column is offered one way, the rows that need attention first: rates lowest first, other
numbers largest first (落后, counts, money), a few the other way round (名次, 剩余天数). Text
columns sort as the sidebar lists them; 项目编号 in natural order (4 < 12-1). Ties keep the
table's own order (a stable sort), so within one 地区 the worst still come first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from metrics.format import project_ranks


class Column(Protocol):
    """A table column as dashboard.layout.Col declares it (not imported: layout imports this
    module through dashboard.paging)."""

    key: str
    header: str
    kind: str


DEFAULT = "默认"
NUMBER_KINDS = ("percent", "points", "money", "number", "int", "score")
# Numbers (not rates) read smallest first: ranks, days left, row numbers, 同比 (a fall first).
SMALL_FIRST = frozenset({"rank", "previous_rank", "cumulative_rank", "rank_last_year",
                         "days_left", "source_row", "item_id", "completion_change"})  # fmt: skip
RATES_HIGH_FIRST = frozenset({"needed_pace"})  # 今后每月需完成: the most needed first


@dataclass(frozen=True)
class Order:
    """One entry of the menu: its label (also the link's value), the column and direction
    (None: the table's own order), and how the caption names it."""

    label: str
    key: str | None = None
    ascending: bool = True
    note: str | None = None


def short_header(header: str) -> str:
    """A header without its unit: 完成率（%） → 完成率, 落后（个百分点） → 落后."""
    return header.split("（", 1)[0].strip() or header


def _order_of(col: Column) -> Order | None:
    name = short_header(col.header)
    if col.kind == "text":
        return Order(name, col.key, True, f"按{name}排列")
    if col.kind not in NUMBER_KINDS:
        return None  # chips, flags, links, changes: the menu stays short
    if col.kind == "percent":
        low_first = col.key not in RATES_HIGH_FIRST
        words = "从低到高" if low_first else "从高到低"
    else:
        low_first = col.key in SMALL_FIRST
        words = "从小到大" if low_first else "从大到小"
    return Order(f"{name} {words}", col.key, low_first, f"按{name}{words}")


def orders(columns: Sequence[Column], order_note: str | None) -> list[Order]:
    """The table's own order first, then one entry per sortable column, in the table's order
    (a label given twice is offered once)."""
    first = Order(f"{DEFAULT}（{order_note}）" if order_note else f"{DEFAULT}顺序", note=order_note)
    offered = {first.label: first}
    for col in columns:
        order = _order_of(col)
        if order and order.label not in offered:
            offered[order.label] = order
    return list(offered.values())


def _sort_key(key: str, kind: str):
    if key == "project_code":
        return project_ranks
    if kind == "text":
        return lambda values: values.astype("string")
    return lambda values: pd.to_numeric(values, errors="coerce")


def sort_frame(frame: pd.DataFrame, order: Order, columns: Sequence[Column]) -> pd.DataFrame:
    """Every row of `frame` in `order`; missing values last. The table's own order is left as
    it is (no copy)."""
    if order.key is None or order.key not in frame:
        return frame
    kind = next(c.kind for c in columns if c.key == order.key)
    return frame.sort_values(
        order.key,
        ascending=order.ascending,
        na_position="last",
        kind="stable",
        key=_sort_key(order.key, kind),
    )
