"""同比: this month against the same month of last year, over the projects both years report.

The lists of 民生工程 change from year to year, so figures are compared only over the project codes
present in both years' month (in 进度 or 资金 rows of the filtered view); projects only this year
(new) and only last year (dropped) are listed apart, never mixed into the comparison. The figures
are the pages' own (metrics.progress.indicator_progress, metrics.funding.funding_by_project), so a
同比 figure of one year equals what 总览 and 资金 show for the same projects:
- completion_rate: the mean over indicators of 完成率 capped at 100% (each summed over regions);
- arrived_rate = Σ到位 ÷ Σ计划, disbursed_rate = Σ拨付 ÷ Σ到位; budget, arrived, disbursed in 万元.
A rate's change is in points (fraction difference), an amount's as growth (this ÷ last − 1).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from metrics.config import COMPLETION_CAP
from metrics.db import Warehouse
from metrics.filters import Filters
from metrics.format import in_project_order
from metrics.funding import funding_by_project
from metrics.progress import indicator_progress, overall_rate
from metrics.ranking import rankings

# (figure, Chinese label, kind): kind "rate" compares in points, "money" as growth
FIGURES = (
    ("completion_rate", "总体完成率", "rate"),
    ("arrived_rate", "到位率（到位÷计划）", "rate"),
    ("disbursed_rate", "拨付率（拨付÷到位）", "rate"),
    ("budget", "计划投入（万元）", "money"),
    ("arrived", "到位资金（万元）", "money"),
    ("disbursed", "拨付资金（万元）", "money"),
)
FIGURE_COLUMNS = ["figure", "label", "kind", "this_year", "last_year", "change", "growth"]
PROJECT_COLUMNS = ["project_code", "project_name"]


@dataclass(frozen=True)
class YearOverYear:
    """The month's 同比: figures over the compared projects, and the projects left out."""

    year: int
    month: int
    figures: pd.DataFrame  # FIGURE_COLUMNS, one row per FIGURES entry
    compared: pd.DataFrame  # PROJECT_COLUMNS: codes in both years
    new: pd.DataFrame  # this year only
    dropped: pd.DataFrame  # last year only
    has_last_year: bool  # the same month of last year holds any row of this view

    def figure(self, name: str) -> pd.Series:
        return self.figures.set_index("figure").loc[name]


def _projects(indicators: pd.DataFrame, funds: pd.DataFrame) -> pd.DataFrame:
    both = pd.concat([indicators[PROJECT_COLUMNS], funds[PROJECT_COLUMNS]])
    return both.drop_duplicates("project_code").reset_index(drop=True)


def _ratio(top: float, bottom: float) -> float | None:
    return top / bottom if bottom else None


def _year_figures(indicators: pd.DataFrame, funds: pd.DataFrame) -> dict[str, float | None]:
    budget, arrived, disbursed = (float(funds[c].sum()) for c in ("budget", "arrived", "disbursed"))
    return {
        "completion_rate": overall_rate(indicators["completion_rate"]),
        "arrived_rate": _ratio(arrived, budget),
        "disbursed_rate": _ratio(disbursed, arrived),
        "budget": budget if len(funds) else None,
        "arrived": arrived if len(funds) else None,
        "disbursed": disbursed if len(funds) else None,
    }


def yoy_overview(wh: Warehouse, f: Filters) -> YearOverYear:
    """f's month against the same month of f.year − 1, same region/department/category filter."""
    before = replace(f, year=f.year - 1)
    now_ind, last_ind = indicator_progress(wh, f), indicator_progress(wh, before)
    now_fund, last_fund = funding_by_project(wh, f), funding_by_project(wh, before)
    now_projects, last_projects = _projects(now_ind, now_fund), _projects(last_ind, last_fund)
    shared = set(now_projects["project_code"]) & set(last_projects["project_code"])

    def keep(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["project_code"].isin(shared)]

    this_year = _year_figures(keep(now_ind), keep(now_fund))
    last_year = _year_figures(keep(last_ind), keep(last_fund))
    rows = []
    for name, label, kind in FIGURES:
        now, last = this_year[name], last_year[name]
        change = None if now is None or last is None else now - last
        growth = change / last if kind == "money" and change is not None and last else None
        rows.append((name, label, kind, now, last, change, growth))
    return YearOverYear(
        year=f.year,
        month=f.month,
        figures=pd.DataFrame(rows, columns=FIGURE_COLUMNS),
        compared=in_project_order(now_projects[now_projects["project_code"].isin(shared)]),
        new=in_project_order(now_projects[~now_projects["project_code"].isin(shared)]),
        dropped=in_project_order(last_projects[~last_projects["project_code"].isin(shared)]),
        has_last_year=not last_projects.empty,
    )


RANK_COLUMNS = [
    "unit", "rank", "rank_last_year", "rank_change", "completion_rate",
    "completion_last_year", "completion_change", "n_compared",
]  # fmt: skip


def _completion_by_unit(wh: Warehouse, f: Filters, unit_type: str, codes: set) -> pd.DataFrame:
    """Each unit's mean capped 完成率 over its indicator rows of the compared codes: a county's
    own region × indicator rows, a department's indicators summed citywide."""
    params = {**f.params(), "project_code": None, "only_lagging": False}
    if unit_type == "县区":
        rows, by = wh.query("region_items", params), "region"
    else:
        rows, by = indicator_progress(wh, f), "department"
    rows = rows[rows["project_code"].isin(codes) & rows[by].notna()]
    capped = rows.assign(rate=rows["completion_rate"].clip(upper=COMPLETION_CAP))
    out = capped.groupby(by).agg(rate=("rate", "mean"), n=("rate", "size"))
    return out.rename_axis("unit").reset_index()


def yoy_ranks(wh: Warehouse, year: int, month: int, unit_type: str) -> pd.DataFrame:
    """Each unit's rank (the 排名 page's) and completion this year against the same month of
    last year; completion over the project codes both years report. rank_change is positive when
    the unit moved up. A unit present in one year only has NA on the other side."""
    now_rank, last_rank = (
        rankings(wh, year, month, unit_type),
        rankings(wh, year - 1, month, unit_type),
    )
    f, before = Filters(year, month), Filters(year - 1, month)
    codes = set(indicator_progress(wh, f)["project_code"]) & set(
        indicator_progress(wh, before)["project_code"]
    )
    now_done = _completion_by_unit(wh, f, unit_type, codes)
    last_done = _completion_by_unit(wh, before, unit_type, codes)
    ranks = now_rank.frame[["unit", "rank"]].merge(
        last_rank.frame[["unit", "rank"]].rename(columns={"rank": "rank_last_year"}),
        on="unit", how="outer",
    )  # fmt: skip
    done = now_done.rename(columns={"rate": "completion_rate", "n": "n_compared"}).merge(
        last_done[["unit", "rate"]].rename(columns={"rate": "completion_last_year"}),
        on="unit", how="outer",
    )  # fmt: skip
    out = ranks.merge(done, on="unit", how="outer")
    out["rank_change"] = out["rank_last_year"] - out["rank"]
    out["completion_change"] = out["completion_rate"] - out["completion_last_year"]
    for column in ("rank", "rank_last_year", "rank_change", "n_compared"):
        out[column] = pd.to_numeric(out[column], errors="coerce").round().astype("Int64")
    out = out.sort_values(["rank", "unit"], na_position="last", kind="stable")
    return out[RANK_COLUMNS].reset_index(drop=True)
