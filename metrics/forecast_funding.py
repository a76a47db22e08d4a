"""预警 for funding: 拨付占计划 (拨付 ÷ 计划) of each region × project projected by the rule of
metrics.forecast; a total is Σ projected 拨付 ÷ Σ计划投入, each row's projected 拨付 at most its
计划投入 (unless it already paid more): money cannot be paid out beyond the plan, and one row far
ahead must not hide the others."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics.db import Warehouse
from metrics.filters import Filters
from metrics.forecast_words import LAST_MONTH
from metrics.format import fmt_money_wan, fmt_percent, is_missing, project_labels

FUNDING_COLUMNS = [
    "region", "project_code", "project_name", "budget", "disbursed", "disbursed_budget_rate",
    "base_month", "base_rate", "pace", "projected_rate", "projected_disbursed",
]  # fmt: skip
FUNDING_GROUP_COLUMNS = [
    "budget", "disbursed", "disbursed_budget_rate", "projected_disbursed", "projected_rate",
]  # fmt: skip


def funding_forecast_rows(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Every filtered region × project of the month: budget, disbursed, disbursed_budget_rate
    (拨付 ÷ 计划), base_month, base_rate, pace, projected_rate (NaN where 计划投入 is 0), and
    projected_disbursed: budget × projected_rate, at most the budget unless already above it
    (a row without a rate keeps its 拨付)."""
    rows = wh.query("forecast_funding", f.params())
    rows["base_month"] = rows["base_month"].astype(int)
    ceiling = rows["disbursed_budget_rate"].clip(lower=1.0)
    capped = rows["projected_rate"].clip(upper=ceiling).clip(lower=0.0)
    rows["projected_disbursed"] = (rows["budget"] * capped).where(
        rows["projected_rate"].notna(), rows["disbursed"]
    )
    return rows[FUNDING_COLUMNS]


def _funding_groups(rows: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    sums = {"budget": ("budget", "sum"), "disbursed": ("disbursed", "sum")}
    sums["projected_disbursed"] = ("projected_disbursed", "sum")
    if by:
        out = rows.groupby(by, sort=False).agg(**sums).reset_index()
    else:
        out = pd.DataFrame([{name: rows[col].agg(how) for name, (col, how) in sums.items()}])
    budget = out["budget"].where(out["budget"] != 0)
    out["disbursed_budget_rate"] = out["disbursed"] / budget
    out["projected_rate"] = out["projected_disbursed"] / budget
    return out[[*by, *FUNDING_GROUP_COLUMNS]]


def funding_forecast_by_project(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """One row per project over the filtered regions: Σ计划投入, Σ拨付, 拨付占计划 now and
    projected (Σ projected 拨付 ÷ Σ计划投入), in project order; project_label "编号 名称"."""
    rows = funding_forecast_rows(wh, f)
    out = _funding_groups(rows, ["project_code", "project_name"])
    out.insert(2, "project_label", project_labels(out["project_code"], out["project_name"]))
    return out


def funding_forecast_by_region(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """One row per county over the filtered projects, lowest projected 拨付占计划 first."""
    out = _funding_groups(funding_forecast_rows(wh, f), ["region"])
    return out.sort_values(["projected_rate", "region"], kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class FundingForecast:
    """The view's 拨付占计划 now and projected to year end (None when no 计划投入)."""

    month: int
    budget: float
    disbursed: float
    disbursed_budget_rate: float | None
    projected_disbursed: float
    projected_rate: float | None

    def sentence(self, scope: str = "全市") -> str:
        if not self.budget:
            return f"{scope}{self.month}月没有计划投入数据，无法预计年底拨付。"
        if self.month >= LAST_MONTH:
            return (
                f"{self.month}月底{scope}拨付{fmt_money_wan(self.disbursed)}，"
                f"占计划投入的{fmt_percent(self.disbursed_budget_rate)}。"
            )
        return (
            f"按各县区各项目近三个月的拨付进度推算（每项最多按其计划投入计），年底{scope}拨付约"
            f"{fmt_money_wan(self.projected_disbursed)}，占计划投入的"
            f"{fmt_percent(self.projected_rate)}（现为{fmt_percent(self.disbursed_budget_rate)}）。"
        )


def funding_forecast(wh: Warehouse, f: Filters) -> FundingForecast:
    """The filtered view's funding forecast (Σ over regions and projects)."""
    total = _funding_groups(funding_forecast_rows(wh, f), []).iloc[0]
    return FundingForecast(
        month=f.month,
        budget=float(total["budget"] or 0.0),
        disbursed=float(total["disbursed"] or 0.0),
        disbursed_budget_rate=_number(total["disbursed_budget_rate"]),
        projected_disbursed=float(total["projected_disbursed"] or 0.0),
        projected_rate=_number(total["projected_rate"]),
    )


def _number(value: object) -> float | None:
    return None if is_missing(value) else float(value)  # type: ignore[arg-type]
