"""总览: the headline figures of the filtered view and of the month before, for the cards.

completion_rate is the mean over indicators of 完成率 capped at 100% (each indicator summed over
the filtered regions first), planned_rate the mean of their 序时进度 — the same figures as
project_progress and monthly_trend. n_lagging counts region × indicator items (the 滞后 page's
rows). The previous month is None for January: cumulative figures restart each year.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import pandas as pd

from metrics.db import Warehouse
from metrics.filters import Filters
from metrics.funding import funding_total
from metrics.lagging import lagging_items
from metrics.progress import indicator_progress, mean_or_none, overall_rate


@dataclass(frozen=True)
class Overview:
    """Headline figures of one month (rates are fractions or None; money 万元)."""

    year: int
    month: int
    n_projects: int
    n_indicators: int
    completion_rate: float | None
    planned_rate: float | None
    budget: float
    arrived: float
    disbursed: float
    arrived_rate: float | None
    disbursed_rate: float | None
    disbursed_budget_rate: float | None
    n_lagging: int
    previous: Overview | None = None

    @property
    def has_data(self) -> bool:
        """Whether the month holds any progress or funding figure for this view."""
        return self.n_indicators > 0 or self.budget > 0 or self.arrived > 0

    @property
    def gap(self) -> float | None:
        """completion_rate − planned_rate (fraction), None when either is missing."""
        if self.completion_rate is None or self.planned_rate is None:
            return None
        return self.completion_rate - self.planned_rate

    def delta(self, name: str) -> float | None:
        """Change of a figure since the previous month (None without a previous month)."""
        if name not in {f.name for f in fields(self)} - {"previous", "year", "month"}:
            raise ValueError(f"no such figure: {name!r}")
        if self.previous is None or not self.previous.has_data:
            return None
        now, before = getattr(self, name), getattr(self.previous, name)
        if now is None or before is None:
            return None
        return now - before


def month_figures(wh: Warehouse, f: Filters) -> Overview:
    """The figures of f's month alone (previous=None)."""
    indicators = indicator_progress(wh, f)
    funds = funding_total(wh, f)
    return Overview(
        year=f.year,
        month=f.month,
        n_projects=int(indicators["project_code"].nunique()),
        n_indicators=len(indicators),
        completion_rate=overall_rate(indicators["completion_rate"]),
        planned_rate=mean_or_none(indicators["planned_rate"]),
        budget=float(funds["budget"] or 0.0),
        arrived=float(funds["arrived"] or 0.0),
        disbursed=float(funds["disbursed"] or 0.0),
        arrived_rate=funds["arrived_rate"],
        disbursed_rate=funds["disbursed_rate"],
        disbursed_budget_rate=funds["disbursed_budget_rate"],
        n_lagging=len(lagging_items(wh, f)),
    )


def overview(wh: Warehouse, f: Filters) -> Overview:
    """The month's headline figures, with `.previous` = the month before (None in January)."""
    previous = month_figures(wh, f.with_month(f.month - 1)) if f.month > 1 else None
    current = month_figures(wh, f)
    return replace(current, previous=previous)


def city_overview(wh: Warehouse, f: Filters) -> Overview:
    """The whole city's figures of the same month (全市): what a unit compares itself with."""
    return overview(wh, Filters(f.year, f.month))


def most_behind(wh: Warehouse, f: Filters, n: int = 5) -> pd.DataFrame:
    """The n lagging region × indicator items furthest behind schedule (lagging_items' rows)."""
    return lagging_items(wh, f).head(n).reset_index(drop=True)
