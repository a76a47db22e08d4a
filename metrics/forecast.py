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
more): money cannot be paid out beyond the plan, and one row far ahead must not hide the others
(metrics.forecast_funding). The sentences and headlines are metrics.forecast_words; the funding
and word functions the pages and tests reach as forecast.* are imported here under their names.

A database built before v_forecast existed gains it with its next load; until then its reader sees
the view's own definition, added in memory (metrics.schema.read_only_connection).
"""

from __future__ import annotations

import pandas as pd

from metrics.config import COMPLETION_CAP, NO_DEPARTMENT_LABEL
from metrics.db import Warehouse
from metrics.filters import Filters
from metrics.forecast_funding import funding_forecast as funding_forecast
from metrics.forecast_funding import funding_forecast_by_project as funding_forecast_by_project
from metrics.forecast_funding import funding_forecast_by_region as funding_forecast_by_region
from metrics.forecast_funding import funding_forecast_rows as funding_forecast_rows
from metrics.forecast_words import (
    LAST_MONTH,
    ForecastSummary,
    bulletin_paragraph,
    explain_rows,
    total_sentence,
)
from metrics.forecast_words import explain as explain
from metrics.format import is_missing, project_labels
from metrics.progress import overall_rate

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


# --- the rows -------------------------------------------------------------------------------


def has_forecast_view(wh: Warehouse) -> bool:
    """Whether the file itself has v_forecast (one loaded before the view existed has not; its
    reader shows the view all the same, see metrics.schema.read_only_connection)."""
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
            total_sentence(r.completion_rate, r.pace, r.projected_rate, month, r.n_regions)
            for r in out.itertuples(index=False)
        ]
    out = out.sort_values(
        ["shortfall_points", "project_code", "indicator"],
        ascending=[False, True, True],
        kind="stable",
    )
    return out[columns].reset_index(drop=True)


def indicator_forecast(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """One row per indicator, summed over the filtered regions (Σ before ÷), worst first."""
    return summarize_indicators(forecast_rows(wh, f), f.month)


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
        completion_rate=overall_rate(indicators["completion_rate"]),
        projected_rate=overall_rate(indicators["projected_rate"]),
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


# --- words for the 通报 and the 总览 ----------------------------------------------------------


def bulletin_sentence(wh: Warehouse, f: Filters, *, limit: int = BULLETIN_ITEMS) -> str:
    """One paragraph for the 通报: the items that will miss at this pace, worst first (see
    metrics.forecast_words.bulletin_paragraph). Empty when none will miss."""
    items = _worst_misses(forecast_rows(wh, f))  # no per-item sentences: it names `limit`
    return bulletin_paragraph(items, f.month, limit)
