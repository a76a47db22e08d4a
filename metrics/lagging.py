"""滞后: region × indicator items whose 完成率 is below 序时进度, how far behind, how long, and
whether below the city average — the list the 民生办 pastes into its 通报.

Severity (SEVERITY_THRESHOLDS, config): 黄 gap < 10 points; 橙 10 ≤ gap ≤ 30; 红 gap > 30. The gap
is judged as displayed, rounded to 0.1 point, so a label never contradicts the figure shown.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics.config import (
    BULLETIN_MIN_GAP_POINTS,
    HEADLINE_REGIONS,
    NO_DEPARTMENT_LABEL,
    SEVERITY_KEYS,
    SEVERITY_LABELS,
    SEVERITY_THRESHOLDS,
)
from metrics.db import Warehouse
from metrics.filters import Filters
from metrics.format import fmt_percent, fmt_points

LAGGING_COLUMNS = [
    "region", "project_code", "project_name", "indicator", "department", "category", "unit",
    "target", "actual", "completion_rate", "planned_rate", "gap_points", "severity",
    "months_behind", "city_average_rate", "below_city_average",
]  # fmt: skip
SEVERITY_COUNT_COLUMNS = [f"n_{SEVERITY_KEYS[label]}" for label in SEVERITY_LABELS]


def severity(gap_points: float) -> str:
    """黄/橙/红 for a gap in percentage points behind schedule (positive = behind)."""
    shown = round(float(gap_points), 1)
    low, high = SEVERITY_THRESHOLDS
    if shown < low:
        return SEVERITY_LABELS[0]
    if shown <= high:
        return SEVERITY_LABELS[1]
    return SEVERITY_LABELS[2]


def lagging_items(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Every lagging region × indicator of the filtered view, worst first.

    Columns: region, project_code, project_name, indicator, department, category, unit, target,
    actual, completion_rate, planned_rate, gap_points (points behind, positive), severity,
    months_behind (consecutive months lagging up to f.month; a month without a report ends the
    count), city_average_rate (Σ over all regions for the indicator), below_city_average.
    """
    params = {**f.params(), "project_code": None, "only_lagging": True}
    rows = wh.query("region_items", params)
    rows["severity"] = [severity(g) for g in rows["gap_points"]]
    rows["below_city_average"] = rows["below_city_average"].fillna(False).astype(bool)
    # Worst first; ties (many items at 0% against the same schedule) by months behind, then by
    # the size of the target (the larger shortfall), then by name.
    rows = rows.sort_values(
        ["gap_points", "months_behind", "target", "region"],
        ascending=[False, False, False, True],
        kind="stable",
    )
    return rows[LAGGING_COLUMNS].reset_index(drop=True)


@dataclass(frozen=True)
class LaggingCounts:
    """The 滞后 page's headline cards: items, items per severity, items below the city average."""

    n_lagging: int
    by_severity: dict[str, int]  # 黄/橙/红 → items, every label present
    n_below_city_average: int


def lagging_counts(items: pd.DataFrame) -> LaggingCounts:
    """Counts of a lagging_items frame (one row per lagging region × indicator)."""
    severities = items["severity"].value_counts() if len(items) else pd.Series(dtype=int)
    below = items["below_city_average"].fillna(False).astype(bool) if len(items) else []
    return LaggingCounts(
        n_lagging=len(items),
        by_severity={label: int(severities.get(label, 0)) for label in SEVERITY_LABELS},
        n_below_city_average=int(sum(below)),
    )


def summarize_lagging(items: pd.DataFrame, by: str) -> pd.DataFrame:
    """Counts of lagging items per `by` (region or department): n_lagging, n_yellow, n_orange,
    n_red, worst_gap_points, n_below_city_average; the most serious first (red items, then
    orange, then the worst gap, then the number of items): six orange items outrank eighteen
    yellow ones."""
    columns = [by, "n_lagging", *SEVERITY_COUNT_COLUMNS, "worst_gap_points", "n_below_city_average"]
    if items.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    flags = {
        column: items["severity"] == label
        for column, label in zip(SEVERITY_COUNT_COLUMNS, SEVERITY_LABELS, strict=True)
    }
    frame = items.assign(**{by: items[by].fillna(NO_DEPARTMENT_LABEL)}, **flags)
    out = (
        frame.groupby(by)
        .agg(
            n_lagging=("indicator", "size"),
            **{column: (column, "sum") for column in SEVERITY_COUNT_COLUMNS},
            worst_gap_points=("gap_points", "max"),
            n_below_city_average=("below_city_average", "sum"),
        )
        .reset_index()
    )
    out = out.sort_values(
        ["n_red", "n_orange", "worst_gap_points", "n_lagging", by],
        ascending=[False, False, False, False, True],
        kind="stable",
    )
    for column in ["n_lagging", *SEVERITY_COUNT_COLUMNS, "n_below_city_average"]:
        out[column] = out[column].astype(int)
    return out[columns].reset_index(drop=True)


def lagging_by_region(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Lagging items counted per region (县区), by severity."""
    return summarize_lagging(lagging_items(wh, f), "region")


def lagging_by_department(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Lagging items counted per lead department (责任单位), by severity."""
    return summarize_lagging(lagging_items(wh, f), "department")


def bulletin_lines(
    wh: Warehouse,
    f: Filters,
    *,
    named: tuple[str, ...] = SEVERITY_LABELS,
    min_gap_points: float = BULLETIN_MIN_GAP_POINTS,
) -> list[str]:
    """One paragraph per region for the 通报, the most serious region first: its lagging items
    of a `named` severity at least `min_gap_points` behind, worst first, each with its 责任单位;
    the smaller gaps in one clause; then the count by severity:
    "西山区：水利薄弱环节治理（排涝泵站建设完工，市水利局）完成率0.0%，低于序时进度65.0个百分点，
    连续7个月滞后，未达全市平均进度；…；另有2项落后不足1个百分点。共滞后24项，其中红5项、…。"."""
    items = lagging_items(wh, f)
    chosen = items[items["severity"].isin(named)]
    named_rows = chosen[chosen["gap_points"].round(1) >= min_gap_points]
    trivial = chosen[chosen["gap_points"].round(1) < min_gap_points]["region"].value_counts()
    # Sentences built column-wise and grouped once: a nation has ~90,000 lagging items.
    details = _item_sentences(named_rows).groupby(named_rows["region"], sort=False).agg("；".join)
    lines: list[str] = []
    for summary in summarize_lagging(items, "region").itertuples(index=False):
        counts = "、".join(
            f"{label}{getattr(summary, column)}项"
            for label, column in reversed(
                list(zip(SEVERITY_LABELS, SEVERITY_COUNT_COLUMNS, strict=True))
            )
            if getattr(summary, column)
        )
        parts = [details[summary.region]] if summary.region in details else []
        if trivial.get(summary.region):
            parts.append(f"另有{trivial[summary.region]}项落后不足{min_gap_points:g}个百分点")
        total = f"共滞后{summary.n_lagging}项，其中{counts}。"
        lines.append(f"{summary.region}：" + ("；".join(parts) + "。" if parts else "") + total)
    return lines


def headline(items: pd.DataFrame, change: float | None = None) -> str:
    """The one sentence that says what matters (总览, meeting screen 1):
    "82项滞后，其中橙25项；北岭县、青阳县各17项；较上月增加16项。" (or "没有滞后项。")."""
    if items.empty:
        return "没有滞后于序时进度的项。"
    counts = lagging_counts(items)
    serious = "、".join(
        f"{label}{counts.by_severity[label]}项"
        for label in reversed(SEVERITY_LABELS[1:])
        if counts.by_severity[label]
    )
    parts = [f"{counts.n_lagging}项滞后" + (f"，其中{serious}" if serious else "")]
    # Regions with as many items in the order of their worst item (items are worst first).
    per_region = (
        items.groupby("region", sort=False).size().sort_values(ascending=False, kind="stable")
    )
    if len(per_region) > 1:
        most = int(per_region.iloc[0])
        top = [str(r) for r, n in per_region.items() if n == most][:HEADLINE_REGIONS]
        parts.append("、".join(top) + ("各" if len(top) > 1 else "") + f"{most}项")
    if change is not None and not pd.isna(change) and round(change) != 0:
        word = "增加" if change > 0 else "减少"
        parts.append(f"较上月{word}{abs(round(change))}项")
    return "；".join(parts) + "。"


def _item_sentences(rows: pd.DataFrame) -> pd.Series:
    """Each item as the 通报 says it: "项目（指标）完成率15.0%，低于序时进度35.0个百分点，连续3个月
    滞后，未达全市平均进度" (the last two parts only when they hold)."""
    if rows.empty:
        return pd.Series([], index=rows.index, dtype="object")
    months = rows["months_behind"]
    unit = rows["department"].astype("object").fillna(NO_DEPARTMENT_LABEL)
    text = (
        rows["project_name"].astype("object") + "（" + rows["indicator"].astype("object")
        + "，" + unit + "）完成率" + rows["completion_rate"].map(fmt_percent).astype("object")
        + "，低于序时进度" + rows["gap_points"].map(fmt_points).astype("object")
    )  # fmt: skip
    text += ("，连续" + months.astype(str) + "个月滞后").where(months > 1, "")
    text += pd.Series("，未达全市平均进度", index=rows.index).where(
        rows["below_city_average"].astype(bool), ""
    )
    return text
