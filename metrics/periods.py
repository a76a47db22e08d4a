"""Which months are loaded, and the filter choices (地区, 责任单位, 类别) of a year."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from metrics.config import CATEGORIES
from metrics.db import Warehouse


@dataclass(frozen=True)
class Dimensions:
    """Filter choices of one year, each list sorted (类别 in the contract's order)."""

    regions: list[str] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)


def available_periods(wh: Warehouse) -> pd.DataFrame:
    """Loaded months, oldest first: year, month, has_progress, has_funding, has_scores."""
    return wh.query("periods")


def latest_period(wh: Warehouse) -> tuple[int, int] | None:
    """The latest month with progress or funding figures (else with 考评 only); None if empty.

    A 考评 sheet sent ahead of the figures does not move the default month past the data.
    """
    periods = available_periods(wh)
    if periods.empty:
        return None
    with_figures = periods[periods["has_progress"] | periods["has_funding"]]
    last = (with_figures if not with_figures.empty else periods).iloc[-1]
    return int(last["year"]), int(last["month"])


def dimensions(wh: Warehouse, year: int) -> Dimensions:
    """Regions, departments and categories that occur in `year`."""
    rows = wh.query("dimensions", {"year": int(year)})
    by_kind = {kind: list(group["value"]) for kind, group in rows.groupby("kind", sort=False)}
    order = {name: i for i, name in enumerate(CATEGORIES)}
    categories = sorted(by_kind.get("category", []), key=lambda c: (order.get(c, len(order)), c))
    return Dimensions(
        regions=by_kind.get("region", []),
        departments=by_kind.get("department", []),
        categories=categories,
    )
