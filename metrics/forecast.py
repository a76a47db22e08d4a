"""预警: where each item will be at year end at the pace of recent months (预计年底完成率).

The rule is the contract's v_forecast (data contract §4), simple enough to check with a
calculator: base_month is the earliest month m′ loaded for the same region, project and
indicator with month − 3 ≤ m′ < month (0 with 完成率 0 when there is none: the start of the year);
pace = (完成率 − 完成率 at base_month) ÷ (month − base_month), per month;
projected_rate = 完成率 + pace × (12 − month) (the 完成率 itself in December);
will_miss = projected_rate < 1 (at 1e-9, like 滞后). The monthly pace needed from now on is
(1 − 完成率) ÷ (12 − month), none in December.

Totals add up actuals and targets first, as every total does: an indicator over several regions
projects Σ(each region's projected 累计完成) ÷ Σ年度目标, i.e. Σ累计完成 ÷ Σ年度目标 plus
Σ(pace × 年度目标) ÷ Σ年度目标 per month. Indicators in different units are never added, so a
figure over several indicators is (a) how many of them reach their target, and (b) 预计总体完成率,
the mean of their projected rates each capped at 100% — as 总体完成率 is the mean of capped 完成率.

Funding: 拨付占计划 (拨付 ÷ 计划) of each region × project projected by the same rule; a total is
Σ projected 拨付 ÷ Σ计划投入, each row's projected 拨付 at most its 计划投入 (unless it already paid
more): money cannot be paid out beyond the plan, and one row far ahead must not hide the others.

A database built before v_forecast existed gains it with its next load; until then its reader sees
the view's own definition, added in memory (etl.db_write.read_only_connection).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics.config import COMPLETION_CAP, NO_DEPARTMENT_LABEL
from metrics.db import Warehouse
from metrics.filters import Filters
from metrics.format import fmt_money_wan, fmt_percent, is_missing, project_labels

LAST_MONTH = 12
BULLETIN_ITEMS = 10  # the 通报 sentence names at most this many items, worst first

ITEM_COLUMNS = [
    "region", "project_code", "project_name", "indicator", "department", "category", "unit",
    "target", "actual", "completion_rate", "planned_rate", "is_lagging", "gap_points",
    "base_month", "base_rate", "pace", "projected_rate", "shortfall_points", "needed_pace",
    "will_miss",
]  # fmt: skip
INDICATOR_COLUMNS = [
    "project_code", "project_name", "project_label", "indicator", "unit", "category",
    "department", "target", "actual", "completion_rate", "planned_rate", "is_lagging", "pace",
    "projected_rate", "shortfall_points", "needed_pace", "will_miss", "n_regions",
    "n_regions_will_miss", "explanation",
]  # fmt: skip
REGION_COLUMNS = [
    "region", "n_items", "n_reach", "n_will_miss", "n_not_lagging_yet", "share_reach",
    "completion_rate", "projected_rate", "worst_projected_rate",
]  # fmt: skip
DEPARTMENT_COLUMNS = [
    "department", "n_items", "n_will_miss", "n_not_lagging_yet", "n_indicators",
    "n_indicators_will_miss", "share_reach", "completion_rate", "projected_rate",
]  # fmt: skip
FUNDING_COLUMNS = [
    "region", "project_code", "project_name", "budget", "disbursed", "disbursed_budget_rate",
    "base_month", "base_rate", "pace", "projected_rate", "projected_disbursed",
]  # fmt: skip
FUNDING_GROUP_COLUMNS = [
    "budget", "disbursed", "disbursed_budget_rate", "projected_disbursed", "projected_rate",
]  # fmt: skip

_SPANS = {1: "近一个月", 2: "近两个月", 3: "近三个月"}


# --- the rows -------------------------------------------------------------------------------


def has_forecast_view(wh: Warehouse) -> bool:
    """Whether the file itself has v_forecast (one loaded before the view existed has not; its
    reader shows the view all the same, see etl.db_write.read_only_connection)."""
    return bool(wh.query("forecast_view")["n"].iloc[0])


def forecast_rows(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Every filtered region × indicator row of the month with its forecast.

    Columns: region, project_code, project_name, indicator, department, category, unit, target,
    actual, completion_rate, planned_rate, is_lagging, gap_points (points behind 序时进度),
    base_month, base_rate (完成率 at base_month), pace, projected_rate, shortfall_points
    ((1 − projected_rate) × 100), needed_pace (NaN in December), will_miss.
    """
    rows = wh.query("forecast_rows", f.params())
    rows["is_lagging"] = rows["is_lagging"].fillna(False).astype(bool)
    rows["will_miss"] = rows["will_miss"].fillna(False).astype(bool)
    rows["base_month"] = rows["base_month"].astype(int)
    rows["shortfall_points"] = (1 - rows["projected_rate"]) * 100
    rows["needed_pace"] = needed_pace(rows["completion_rate"], f.month)
    return rows[ITEM_COLUMNS]


def explain_rows(rows: pd.DataFrame, month: int) -> list[str]:
    """The sentence of each forecast_rows row (see explain)."""
    return [
        explain(
            completion_rate=r.completion_rate,
            pace=r.pace,
            projected_rate=r.projected_rate,
            month=month,
            base_month=r.base_month,
            is_lagging=r.is_lagging,
            gap_points=r.gap_points,
        )
        for r in rows.itertuples(index=False)
    ]


def needed_pace(completion_rate: pd.Series, month: int) -> pd.Series:
    """(1 − 完成率) ÷ (12 − month): the monthly gain needed from now on; NaN in December."""
    if month >= LAST_MONTH:
        return pd.Series(float("nan"), index=completion_rate.index)
    return (1 - completion_rate) / (LAST_MONTH - month)


def will_miss_items(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """The region × indicator items that will not reach their annual target at this pace,
    lagging or not yet, the largest shortfall (1 − projected_rate) first: forecast_rows'
    columns and `explanation`, the sentence a clerk checks with a calculator."""
    items = _worst_misses(forecast_rows(wh, f))
    items["explanation"] = explain_rows(items, f.month)
    return items


def _worst_misses(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows that will miss, the largest shortfall first."""
    return (
        rows[rows["will_miss"]]
        .sort_values(
            ["shortfall_points", "region", "project_code", "indicator"],
            ascending=[False, True, True, True],
            kind="stable",
        )
        .reset_index(drop=True)
    )


# --- the sentence a clerk checks ------------------------------------------------------------


def pace_phrase(pace: float, base_month: int, month: int) -> str:
    """How the pace was measured, in words: '按近三个月平均每月4.1%的进度'."""
    span = "年初以来" if base_month <= 0 else _SPANS.get(month - base_month, "近期")
    if round(float(pace), 9) < 0:
        return f"{span}累计完成不增反降（平均每月{fmt_percent(pace)}，请核实月报），照此"
    if round(float(pace), 9) == 0:
        return f"{span}没有进展，照此"
    return f"按{span}平均每月{fmt_percent(pace)}的进度"


def explain(
    *,
    completion_rate: float,
    pace: float,
    projected_rate: float,
    month: int,
    base_month: int | None = None,
    is_lagging: bool | None = None,
    gap_points: float | None = None,
    scope: str = "当前",
    span: str | None = None,
) -> str:
    """One Chinese sentence a clerk can check with a calculator:
    "当前完成54.0%，未滞后，但按近三个月平均每月3.0%的进度，年底只能完成72.0%；今后每月需完成7.7%。"
    (54.0% + 3.0% × 6 = 72.0%; (100% − 54.0%) ÷ 6 = 7.7%). `span` replaces the pace phrase
    (totals: "按各县区近期进度合计，平均每月7.4%"). December states the year's result."""
    done = fmt_percent(completion_rate)
    misses = round(float(projected_rate), 9) < 1
    if month >= LAST_MONTH:
        if misses:
            return f"{month}月底完成{done}，未完成年度目标。"
        return f"{month}月底完成{done}，已完成年度目标。"
    if span is None:
        span = pace_phrase(pace, base_month or 0, month)
    if is_lagging:
        state = f"{scope}完成{done}，落后序时进度{float(gap_points or 0):.1f}个百分点；"
    elif is_lagging is False and misses:
        state = f"{scope}完成{done}，未滞后，但"
    else:
        state = f"{scope}完成{done}；"
    end = fmt_percent(projected_rate)
    span += "" if span.endswith("照此") else "，"
    if not misses:
        return f"{state}{span}年底可完成{end}，能够完成全年目标任务。"
    needed = (1 - float(completion_rate)) / (LAST_MONTH - month)
    if needed <= 0:
        return f"{state}{span}年底只能完成{end}；已达到年度目标，须保持。"
    return f"{state}{span}年底只能完成{end}；今后每月需完成{fmt_percent(needed)}。"


# --- totals: per indicator, per county, per department, the whole view ----------------------


def _projected_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """Weighted columns that add up: Σ(pace × target) and Σ(projected × target)."""
    return rows.assign(
        paced_target=rows["pace"] * rows["target"],
        projected_actual=rows["projected_rate"] * rows["target"],
        miss_flag=rows["will_miss"].astype(int),
    )


def summarize_indicators(
    rows: pd.DataFrame, month: int, *, by: tuple[str, ...] = (), explained: bool = True
) -> pd.DataFrame:
    """forecast_rows → one row per indicator (project, indicator, unit) over the regions:
    Σ累计完成 ÷ Σ年度目标 now, and Σ(projected 累计完成) ÷ Σ年度目标 at year end; the largest
    shortfall first. `by`: further grouping columns in front (e.g. department); `explained`:
    add the explanation sentence."""
    columns = [*by, *(c for c in INDICATOR_COLUMNS if c not in by)]
    if not explained:
        columns.remove("explanation")
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    frame = _projected_frame(rows).assign(unit=rows["unit"].fillna(""))
    keys = [*by, "project_code", "indicator", "unit"]
    out = (
        frame.groupby(keys, sort=False)
        .agg(
            project_name=("project_name", "first"),
            category=("category", "first"),
            target=("target", "sum"),
            actual=("actual", "sum"),
            paced_target=("paced_target", "sum"),
            projected_actual=("projected_actual", "sum"),
            planned_rate=("planned_rate", "mean"),
            n_regions=("region", "nunique"),
            n_regions_will_miss=("miss_flag", "sum"),
        )
        .reset_index()
    )
    if "department" not in by:  # an indicator may be led by several departments
        departments = (
            frame.dropna(subset=["department"])
            .drop_duplicates([*keys, "department"])
            .groupby(keys, sort=False)["department"]
            .agg("、".join)
        )
        out["department"] = departments.reindex(pd.MultiIndex.from_frame(out[keys])).to_numpy()
    out["unit"] = out["unit"].replace("", None)
    out["completion_rate"] = out["actual"] / out["target"]
    out["pace"] = out["paced_target"] / out["target"]
    out["projected_rate"] = out["projected_actual"] / out["target"]
    out["is_lagging"] = out["completion_rate"].round(9) < out["planned_rate"].round(9)
    out["will_miss"] = out["projected_rate"].round(9) < 1
    out["shortfall_points"] = (1 - out["projected_rate"]) * 100
    out["needed_pace"] = needed_pace(out["completion_rate"], month)
    out["project_label"] = project_labels(out["project_code"], out["project_name"])
    out["n_regions"] = out["n_regions"].astype(int)
    out["n_regions_will_miss"] = out["n_regions_will_miss"].astype(int)
    if explained:
        out["explanation"] = [
            _total_sentence(r.completion_rate, r.pace, r.projected_rate, month, r.n_regions)
            for r in out.itertuples(index=False)
        ]
    out = out.sort_values(
        ["shortfall_points", "project_code", "indicator"],
        ascending=[False, True, True],
        kind="stable",
    )
    return out[columns].reset_index(drop=True)


def _total_sentence(
    completion_rate: float, pace: float, projected_rate: float, month: int, n_regions: int
) -> str:
    if n_regions > 1:
        span = f"按{n_regions}个县区各自的近期进度合计（平均每月{fmt_percent(pace)}）"
        return explain(
            completion_rate=completion_rate,
            pace=pace,
            projected_rate=projected_rate,
            month=month,
            scope="合计",
            span=span,
        )
    return explain(
        completion_rate=completion_rate,
        pace=pace,
        projected_rate=projected_rate,
        month=month,
        span=f"按近期平均每月{fmt_percent(pace)}的进度",
    )


def indicator_forecast(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """One row per indicator, summed over the filtered regions (Σ before ÷), worst first."""
    return summarize_indicators(forecast_rows(wh, f), f.month)


@dataclass(frozen=True)
class ForecastSummary:
    """The view's forecast at a glance. Indicators are summed over the filtered regions;
    items are region × indicator rows. Rates are fractions (None without indicators)."""

    year: int
    month: int
    n_indicators: int
    n_indicators_reach: int
    n_indicators_will_miss: int
    completion_rate: float | None  # mean of indicators' 完成率, each capped at 100%
    projected_rate: float | None  # mean of indicators' projected rates, each capped at 100%
    n_items: int
    n_items_will_miss: int
    n_items_not_lagging_yet: int  # will miss, but not behind 序时进度 today

    @property
    def share_reach(self) -> float | None:
        return self.n_indicators_reach / self.n_indicators if self.n_indicators else None

    def sentence(self, scope: str = "全市") -> str:
        """The headline: 按近三个月的进度推算，全市5个指标中3个（60.0%）年底能完成目标…"""
        if not self.n_indicators:
            return f"{scope}{self.year}年{self.month}月没有进度数据，无法预计年底完成情况。"
        if self.month >= LAST_MONTH:
            return (
                f"{self.month}月底，{scope}{self.n_indicators}个指标中{self.n_indicators_reach}个"
                f"（{fmt_percent(self.share_reach)}）完成年度目标、{self.n_indicators_will_miss}个"
                f"未完成；总体完成率{fmt_percent(self.completion_rate)}"
                f"（各指标每项最多计100%的平均）；县区指标中{self.n_items_will_miss}项未完成。"
            )
        text = (
            f"按近三个月的进度推算，{scope}{self.n_indicators}个指标中{self.n_indicators_reach}个"
            f"（{fmt_percent(self.share_reach)}）年底能完成目标、{self.n_indicators_will_miss}个"
            f"完不成，预计总体完成率{fmt_percent(self.projected_rate)}（现为"
            f"{fmt_percent(self.completion_rate)}，各指标每项最多计100%的平均）；"
            f"县区指标中{self.n_items_will_miss}项年底完不成"
        )
        if self.n_items_not_lagging_yet:
            text += f"，其中{self.n_items_not_lagging_yet}项目前尚未滞后"
        return text + "。"

    def short_sentence(self, scope: str = "全市") -> str:
        """For a headline (总览, 汇报模式): "按近三个月进度，全市78个指标中67个年底能完成、11个
        完不成，预计总体完成率94.9%。"; December states the result."""
        if not self.n_indicators:
            return ""
        if self.month >= LAST_MONTH:
            return (
                f"{self.month}月底，{scope}{self.n_indicators}个指标中{self.n_indicators_reach}个"
                f"完成年度目标、{self.n_indicators_will_miss}个未完成。"
            )
        return (
            f"按近三个月进度，{scope}{self.n_indicators}个指标中{self.n_indicators_reach}个"
            f"年底能完成、{self.n_indicators_will_miss}个完不成，"
            f"预计总体完成率{fmt_percent(self.projected_rate)}。"
        )


def _mean(values: pd.Series) -> float | None:
    value = values.mean()
    return None if pd.isna(value) else float(value)


def summarize(rows: pd.DataFrame, year: int, month: int) -> ForecastSummary:
    """forecast_rows → the view's ForecastSummary."""
    indicators = summarize_indicators(rows, month, explained=False)
    misses = rows["will_miss"]
    return ForecastSummary(
        year=year,
        month=month,
        n_indicators=len(indicators),
        n_indicators_reach=int((~indicators["will_miss"].astype(bool)).sum()),
        n_indicators_will_miss=int(indicators["will_miss"].astype(bool).sum()),
        completion_rate=_mean(indicators["completion_rate"].clip(upper=COMPLETION_CAP)),
        projected_rate=_mean(indicators["projected_rate"].clip(upper=COMPLETION_CAP)),
        n_items=len(rows),
        n_items_will_miss=int(misses.sum()),
        n_items_not_lagging_yet=int((misses & ~rows["is_lagging"]).sum()),
    )


def forecast_summary(wh: Warehouse, f: Filters) -> ForecastSummary:
    """The filtered view's forecast (全市 when no region is chosen)."""
    return summarize(forecast_rows(wh, f), f.year, f.month)


def summarize_regions(rows: pd.DataFrame) -> pd.DataFrame:
    """forecast_rows → one row per county: its indicator items, how many reach / will miss,
    how many will miss while not lagging yet, share reaching, mean capped 完成率 now and
    projected, the lowest projected rate; most will-miss items first."""
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in REGION_COLUMNS})
    frame = rows.assign(
        miss=rows["will_miss"].astype(int),
        not_lagging_yet=(rows["will_miss"] & ~rows["is_lagging"]).astype(int),
        capped_now=rows["completion_rate"].clip(upper=COMPLETION_CAP),
        capped_end=rows["projected_rate"].clip(upper=COMPLETION_CAP),
    )
    out = (
        frame.groupby("region")
        .agg(
            n_items=("indicator", "size"),
            n_will_miss=("miss", "sum"),
            n_not_lagging_yet=("not_lagging_yet", "sum"),
            completion_rate=("capped_now", "mean"),
            projected_rate=("capped_end", "mean"),
            worst_projected_rate=("projected_rate", "min"),
        )
        .reset_index()
    )
    out["n_reach"] = out["n_items"] - out["n_will_miss"]
    out["share_reach"] = out["n_reach"] / out["n_items"]
    for column in ("n_items", "n_reach", "n_will_miss", "n_not_lagging_yet"):
        out[column] = out[column].astype(int)
    out = out.sort_values(
        ["n_will_miss", "projected_rate", "region"], ascending=[False, True, True], kind="stable"
    )
    return out[REGION_COLUMNS].reset_index(drop=True)


def forecast_by_region(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Per county: will-miss counts and the county's forecast (see summarize_regions)."""
    return summarize_regions(forecast_rows(wh, f))


def summarize_departments(rows: pd.DataFrame, month: int) -> pd.DataFrame:
    """forecast_rows → one row per 责任单位: its county items (n_items, n_will_miss,
    n_not_lagging_yet) and its indicators summed over the counties first (n_indicators,
    n_indicators_will_miss, share_reach, mean capped 完成率 now and projected)."""
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in DEPARTMENT_COLUMNS})
    rows = rows.assign(department=rows["department"].fillna(NO_DEPARTMENT_LABEL))
    items = (
        rows.assign(
            miss=rows["will_miss"].astype(int),
            not_lagging_yet=(rows["will_miss"] & ~rows["is_lagging"]).astype(int),
        )
        .groupby("department")
        .agg(
            n_items=("indicator", "size"),
            n_will_miss=("miss", "sum"),
            n_not_lagging_yet=("not_lagging_yet", "sum"),
        )
    )
    indicators = summarize_indicators(rows, month, by=("department",), explained=False)
    indicators = indicators.assign(
        miss=indicators["will_miss"].astype(int),
        capped_now=indicators["completion_rate"].clip(upper=COMPLETION_CAP),
        capped_end=indicators["projected_rate"].clip(upper=COMPLETION_CAP),
    )
    totals = indicators.groupby("department").agg(
        n_indicators=("indicator", "size"),
        n_indicators_will_miss=("miss", "sum"),
        completion_rate=("capped_now", "mean"),
        projected_rate=("capped_end", "mean"),
    )
    out = items.join(totals).reset_index()
    out["share_reach"] = 1 - out["n_indicators_will_miss"] / out["n_indicators"]
    for column in ("n_items", "n_will_miss", "n_not_lagging_yet", "n_indicators"):
        out[column] = out[column].astype(int)
    out["n_indicators_will_miss"] = out["n_indicators_will_miss"].astype(int)
    out = out.sort_values(
        ["n_will_miss", "projected_rate", "department"],
        ascending=[False, True, True],
        kind="stable",
    )
    return out[DEPARTMENT_COLUMNS].reset_index(drop=True)


def forecast_by_department(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Per 责任单位: will-miss counts and its forecast (see summarize_departments)."""
    return summarize_departments(forecast_rows(wh, f), f.month)


# --- one indicator over the year, for the chart ---------------------------------------------


def indicator_series(
    wh: Warehouse,
    f: Filters,
    project_code: str,
    indicator: str,
    unit: str | None,
    region: str | None = None,
) -> pd.DataFrame:
    """Months 1–12 of one indicator, summed over the filtered regions (`region`: one county):
    month, completion_rate (NaN after f.month and in months without reports), planned_rate
    (序时进度 of every month), projected_rate (the straight line from f.month's 完成率 to the
    year-end projection; NaN before f.month), target, actual, n_regions, will_miss (the
    indicator's, the same on every row)."""
    scope = Filters(f.year, f.month, region or f.region, f.department, f.category)
    params = {
        **scope.params(),
        "project_code": str(project_code),
        "indicator": str(indicator),
        "unit": None if is_missing(unit) or unit == "" else str(unit),
    }
    series = wh.query("forecast_series", params)
    series["completion_rate"] = series["completion_rate"].astype(float)
    series["projected_rate"] = float("nan")
    forecast = indicator_row(wh, scope, project_code, indicator, unit)
    series["will_miss"] = forecast is not None and bool(forecast["will_miss"])
    if forecast is not None:
        start = float(forecast["completion_rate"])
        pace = float(forecast["pace"])
        later = series["month"] >= f.month
        series.loc[later, "projected_rate"] = start + pace * (series.loc[later, "month"] - f.month)
    return series


def indicator_row(
    wh: Warehouse, f: Filters, project_code: str, indicator: str, unit: str | None
) -> pd.Series | None:
    """The indicator_forecast row of one indicator (None when it has no report this month):
    that indicator's rows summed alone, not the whole table for one row."""
    rows = forecast_rows(wh, f)
    unit_text = "" if is_missing(unit) else str(unit)
    mask = (
        (rows["project_code"] == str(project_code))
        & (rows["indicator"] == str(indicator))
        & (rows["unit"].fillna("") == unit_text)
    )
    found = summarize_indicators(rows[mask], f.month, explained=False)
    return None if found.empty else found.iloc[0]


# --- funding ---------------------------------------------------------------------------------


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


# --- words for the 通报 and the 总览 ----------------------------------------------------------


def bulletin_sentence(wh: Warehouse, f: Filters, *, limit: int = BULLETIN_ITEMS) -> str:
    """One paragraph for the 通报: the items that will miss at this pace, worst first.
    "按近三个月的进度推算，以下3项年底完不成全年目标任务（其中1项目前尚未滞后）：铜官区公益性岗位开发
    （现完成15.0%，预计年底45.0%，今后每月需完成14.2%）；…。" Empty when none will miss."""
    items = _worst_misses(forecast_rows(wh, f))  # no per-item sentences: it names `limit`
    if items.empty:
        return ""
    verb = "未完成" if f.month >= LAST_MONTH else "完不成"
    lead = "截至12月底" if f.month >= LAST_MONTH else "按近三个月的进度推算"
    not_yet = int((~items["is_lagging"]).sum())
    head = f"{lead}，以下{len(items)}项年底{verb}全年目标任务"
    if f.month < LAST_MONTH and not_yet:
        head += f"（其中{not_yet}项目前尚未滞后）"
    parts = []
    for row in items.head(limit).itertuples(index=False):
        name = row.indicator
        if row.indicator != row.project_name:
            name = f"{row.project_name}（{row.indicator}）"
        if f.month >= LAST_MONTH:
            detail = f"完成{fmt_percent(row.completion_rate)}"
        else:
            detail = (
                f"现完成{fmt_percent(row.completion_rate)}，预计年底"
                f"{fmt_percent(row.projected_rate)}，今后每月需完成{fmt_percent(row.needed_pace)}"
            )
        parts.append(f"{row.region}{name}（{detail}）")
    more = f"等{len(items)}项" if len(items) > limit else ""
    return f"{head}：{'；'.join(parts)}{more}。"
