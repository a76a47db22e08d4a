"""完成率 against 序时进度: by indicator, by project, by region, the 开工/完工 pairs, and the trend.

Totals over regions are Σ累计完成 ÷ Σ年度目标 of one indicator (never a mean of rates; different
units never added). A project's 完成率 is the mean of its indicators' 完成率, each capped at 100%
(COMPLETION_CAP), so one indicator far above target cannot hide a lagging sibling.
"""

from __future__ import annotations

import pandas as pd

from metrics.config import COMPLETION_CAP
from metrics.db import Warehouse
from metrics.filters import Filters
from metrics.format import project_labels

PROJECT_COLUMNS = [
    "project_code", "project_name", "project_label", "category", "department", "completion_rate",
    "planned_rate", "gap", "is_lagging", "n_indicators", "n_lagging",
]  # fmt: skip
PAIR_COLUMNS = [
    "project_code", "project_name", "department", "item", "unit", "start_indicator",
    "start_rate", "finish_indicator", "finish_rate", "planned_rate", "start_gap", "finish_gap",
]  # fmt: skip
START_WORDS = ("开工",)
FINISH_WORDS = ("完工", "竣工")


def mean_or_none(values: pd.Series) -> float | None:
    """The plain mean, None when there is nothing to average (no row, or all missing)."""
    value = values.mean()
    return None if pd.isna(value) else float(value)


def overall_rate(rates: pd.Series) -> float | None:
    """总体完成率 (and 预计总体完成率) over indicators already summed across regions: the mean of
    each indicator's rate capped at COMPLETION_CAP. The in-memory twin of monthly_trend.sql's
    progress_month (a test pins the two equal); 总览, 同比 and 预警's headline call this one.
    Roll-ups per group (project, county, department) apply the same rule inside their groupby,
    clip(upper=COMPLETION_CAP) then "mean", which pandas runs for all groups at once."""
    return mean_or_none(rates.clip(upper=COMPLETION_CAP))


def indicator_progress(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """One row per indicator, summed over the filtered regions (指标进度).

    Columns: project_code, project_name, indicator, unit, category, department, target, actual,
    completion_rate, planned_rate, gap, is_lagging, n_regions.
    """
    return wh.query("indicator_progress", f.params())


def is_behind(rate: pd.Series, planned: pd.Series) -> pd.Series:
    """滞后 of rows the SQL did not decide (a project's roll-up of its indicators, in memory).

    The twin of views.sql's is_behind macro, which decides every row the queries return:
    rate < planned compared at 1e-9 (6/12 equals a published 50%); a missing rate is not
    lagging. tests/metrics/test_metrics_progress.py pins the two equal.
    """
    return (rate.round(9) < planned.round(9)).fillna(False).astype(bool)


def rollup_projects(indicators: pd.DataFrame) -> pd.DataFrame:
    """Indicator rows → one row per project (项目进度), in the indicators' order.

    completion_rate = mean over the project's indicators of min(完成率, 100%); planned_rate = mean
    of their 序时进度; is_lagging = completion_rate < planned_rate; n_lagging counts indicators
    lagging on their own (uncapped) rates. project_label is "编号 名称" (charts, menus).
    """
    if indicators.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in PROJECT_COLUMNS})
    frame = indicators.assign(
        capped_rate=indicators["completion_rate"].clip(upper=COMPLETION_CAP),
        is_lagging=indicators["is_lagging"].fillna(False).astype(bool),
    )
    grouped = frame.groupby("project_code", sort=False)
    out = grouped.agg(
        project_name=("project_name", "first"),
        category=("category", "first"),
        completion_rate=("capped_rate", "mean"),
        planned_rate=("planned_rate", "mean"),
        n_indicators=("indicator", "size"),
        n_lagging=("is_lagging", "sum"),
    )
    # a project may be led by several departments (27 文化惠民工程: 市文旅局 and 市教体局)
    departments = (
        frame.dropna(subset=["department"])
        .drop_duplicates(["project_code", "department"])
        .groupby("project_code", sort=False)["department"]
        .agg("、".join)
    )
    out["department"] = departments.reindex(out.index)
    out = out.reset_index()
    out["project_label"] = project_labels(out["project_code"], out["project_name"])
    out["gap"] = out["completion_rate"] - out["planned_rate"]
    out["is_lagging"] = is_behind(out["completion_rate"], out["planned_rate"])
    out["n_indicators"] = out["n_indicators"].astype(int)
    out["n_lagging"] = out["n_lagging"].astype(int)
    return out[PROJECT_COLUMNS]


def project_progress(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """One row per project: completion_rate is the mean of indicator rates capped at 100%."""
    return rollup_projects(indicator_progress(wh, f))


def region_breakdown(wh: Warehouse, f: Filters, project_code: str) -> pd.DataFrame:
    """Drill-down of one project: one row per region × indicator (地区分解).

    Columns as v_progress plus gap_points, months_behind, city_average_rate (Σ over all regions
    of that indicator), below_city_average, n_regions_reporting.
    """
    params = {**f.params(), "project_code": str(project_code), "only_lagging": False}
    return wh.query("region_items", params)


def _pair_side(indicator: str) -> str | None:
    if any(w in indicator for w in START_WORDS):
        return "start"
    if any(w in indicator for w in FINISH_WORDS):
        return "finish"
    return None


def _pair_item(indicator: str) -> str:
    item = indicator
    for word in (*START_WORDS, *FINISH_WORDS):
        item = item.replace(word + "率", "").replace(word, "")
    return item.strip(" ·-—()（）")


def pair_construction(indicators: pd.DataFrame) -> pd.DataFrame:
    """开工率/完工率 side by side for 工程类 indicators named with 开工 and 完工 (or 竣工).

    Indicators pair when their names agree once 开工/完工/竣工 is removed
    ("农村公路扩面延伸工程开工" with "农村公路扩面延伸工程完工"); an unpaired one keeps NaN opposite.
    """
    rows = indicators[indicators["category"] == "工程类"].copy()
    rows["side"] = rows["indicator"].map(_pair_side)
    rows = rows[rows["side"].notna()]
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in PAIR_COLUMNS})
    rows["item"] = [
        _pair_item(ind) or name
        for ind, name in zip(rows["indicator"], rows["project_name"], strict=True)
    ]
    keys = ["project_code", "item"]
    meta = rows.groupby(keys, sort=False).agg(
        project_name=("project_name", "first"),
        department=("department", "first"),
        unit=("unit", "first"),
        planned_rate=("planned_rate", "mean"),
    )
    out = meta.copy()
    for side in ("start", "finish"):
        part = rows[rows["side"] == side].drop_duplicates(keys).set_index(keys)
        out[f"{side}_indicator"] = part["indicator"]
        out[f"{side}_rate"] = part["completion_rate"]
        out[f"{side}_gap"] = part["completion_rate"] - part["planned_rate"]
    out = out.reset_index()
    out = out.astype({"start_rate": float, "finish_rate": float})
    return out[PAIR_COLUMNS]


def construction_pairs(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """开工率/完工率 pairs of 工程类 projects, summed over the filtered regions."""
    return pair_construction(indicator_progress(wh, f))


def monthly_trend(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Months 1…f.month of f.year: month, completion_rate, planned_rate, arrived_rate,
    disbursed_rate, disbursed_budget_rate, n_lagging (region × indicator items lagging).

    Each month is computed as overview() would for that month; months without reports are NaN.
    """
    params = {**f.params(), "completion_cap": COMPLETION_CAP}
    trend = wh.query("monthly_trend", params)
    trend["n_lagging"] = trend["n_lagging"].astype("Int64")
    rates = trend.columns.drop(["month", "n_lagging"])
    trend[rates] = trend[rates].astype(float)
    return trend
