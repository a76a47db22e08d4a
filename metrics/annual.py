"""年度总结: the figures of the year-end report to the 人大 (攀枝花 seed 001) — how many projects
finished their annual targets, which are still going and why (the indicators below 100%, with their
责任单位), and funds executed against plan — from the same figures as the pages.

A project has finished when every one of its indicators, summed citywide (Σ累计完成 ÷ Σ年度目标, as
metrics.progress.indicator_progress), is at 100% or more. Funds are metrics.funding.funding_total.
The month is the latest loaded of the year unless given (a year-end report uses December).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics.db import Warehouse
from metrics.filters import Filters
from metrics.format import fmt_money_wan, fmt_percent
from metrics.funding import funding_total
from metrics.progress import indicator_progress

DONE = 1.0  # 完成率 at which an indicator has met its annual target
UNFINISHED_COLUMNS = [
    "project_code", "project_name", "indicator", "department", "unit", "target", "actual",
    "completion_rate", "planned_rate", "is_lagging",
]  # fmt: skip
PROJECT_COLUMNS = [
    "project_code", "project_name", "department", "n_indicators", "n_done", "finished", "status",
]  # fmt: skip
FINISHED, GOING = "已完成", "推进中"  # a project's status words, on the page and in the .docx


@dataclass(frozen=True)
class AnnualSummary:
    year: int
    month: int
    projects: pd.DataFrame  # PROJECT_COLUMNS, in project order
    unfinished: pd.DataFrame  # UNFINISHED_COLUMNS: every indicator below 100%, furthest first
    funds: dict[str, float | None]  # budget, arrived, disbursed and the rates (funding_total)

    @property
    def n_projects(self) -> int:
        return len(self.projects)

    @property
    def n_finished(self) -> int:
        return int(self.projects["finished"].sum())

    @property
    def n_going(self) -> int:
        return self.n_projects - self.n_finished

    def sentences(self) -> list[str]:
        """The summary's paragraphs as the report writes them (plain text)."""
        if not self.n_projects:
            return [f"{self.year}年{self.month}月没有已导入的进度数据。"]
        done = (
            f"截至{self.year}年{self.month}月底，全市{self.n_projects}项民生工程中，"
            f"{self.n_finished}项已完成年度目标任务，{self.n_going}项仍在推进。"
        )
        if self.unfinished.empty:
            why = "各项目指标均已达到年度目标。"
        else:
            behind = int(self.unfinished["is_lagging"].sum())
            why = (
                f"未完成的指标共{len(self.unfinished)}项，其中{behind}项低于序时进度，"
                "详见“仍在推进的项目及原因”。"
            )
        funds = self.funds
        money = (
            f"资金方面，计划投入{fmt_money_wan(funds['budget'])}，到位{fmt_money_wan(funds['arrived'])}"
            f"（到位率{fmt_percent(funds['arrived_rate'])}），拨付{fmt_money_wan(funds['disbursed'])}"
            f"（占计划的{fmt_percent(funds['disbursed_budget_rate'])}，"
            f"占到位的{fmt_percent(funds['disbursed_rate'])}）。"
        )
        return [done + why, money]


def annual_summary(wh: Warehouse, year: int, month: int = 12) -> AnnualSummary:
    """The year's summary at the end of `month`, citywide."""
    f = Filters(int(year), int(month))
    indicators = indicator_progress(wh, f)
    rate = indicators["completion_rate"]
    finished_rows = indicators.assign(done=(rate.round(9) >= DONE).fillna(False))
    grouped = finished_rows.groupby("project_code", sort=False)
    projects = grouped.agg(
        project_name=("project_name", "first"),
        department=(
            "department",
            lambda d: "、".join(sorted({x for x in d if isinstance(x, str)})),
        ),
        n_indicators=("indicator", "size"),
        n_done=("done", "sum"),
    ).reset_index()
    projects["n_done"] = projects["n_done"].astype(int)
    projects["finished"] = projects["n_done"] == projects["n_indicators"]
    projects["status"] = projects["finished"].map({True: FINISHED, False: GOING})
    unfinished = finished_rows[~finished_rows["done"]].assign(
        is_lagging=lambda x: x["is_lagging"].fillna(False).astype(bool)  # SQL's is_behind
    )
    unfinished = unfinished.sort_values("completion_rate", kind="stable")
    return AnnualSummary(
        year=f.year,
        month=f.month,
        projects=projects[PROJECT_COLUMNS],
        unfinished=unfinished[UNFINISHED_COLUMNS].reset_index(drop=True),
        funds=funding_total(wh, f),
    )
