"""汇报模式 screens 1–3: 总体进展, 资金 and 滞后项目 (see dashboard.present_screens)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, data, layout
from dashboard.filters import describe
from dashboard.present_parts import (
    CHART_HEIGHT,
    NAME_CHARS,
    card,
    cells,
    no_data,
    shorten,
    show_chart,
)
from metrics.config import SEVERITY_COLOURS, SEVERITY_LABELS, SEVERITY_THRESHOLDS
from metrics.filters import Filters
from metrics.format import (
    fmt_count_change,
    fmt_money_change,
    fmt_money_wan,
    fmt_percent,
    fmt_points_change,
)
from metrics.lagging import headline
from metrics.plain_text import md

LAGGING_ROWS = 12  # the worst items that fit one screen in large type
FORECAST_LINE_PX = 70  # the year-end forecast sentence above the trend chart on screen 1


# ---------------------------------------------------------------- 1 总体进展


def overall(f: Filters) -> None:
    ov = data.fetch("overview", f)
    if not ov.has_data:
        no_data(f"{describe(f)}没有进度或资金数据。")
        return
    gap = ov.gap
    # What matters, in one sentence, above the figures (metrics.lagging.headline)
    st.markdown(md("### {}", headline(data.fetch("lagging_items", f), ov.delta("n_lagging"))))
    cards = st.columns(5)
    card(cards[0], "项目数", ov.n_projects)
    card(cards[1], "指标数", ov.n_indicators)
    card(
        cards[2],
        "总体完成率",
        fmt_percent(ov.completion_rate),
        fmt_points_change(ov.delta("completion_rate")),
    )
    layout.schedule_tile(cards[3], ov.planned_rate, gap)
    card(
        cards[4],
        "滞后项",
        ov.n_lagging,
        fmt_count_change(ov.delta("n_lagging")),
        delta_color="inverse",
    )
    forecast = data.fetch("forecast_summary", f)  # 年底能完成吗：the leaders' question
    if forecast.n_indicators:
        st.markdown(md("### {}", forecast.short_sentence(f.region or "全市")))
    # the headline takes one line's height, the forecast sentence another
    chart_height = CHART_HEIGHT - FORECAST_LINE_PX * (2 if forecast.n_indicators else 1)
    trend = data.fetch("monthly_trend", f)
    reported = trend[trend["completion_rate"].notna()]
    if reported.empty:
        no_data("没有逐月数据。")
        return
    fig = charts.monthly_trend(
        reported, extra=[("arrived_rate", "到位率")], title="逐月走势：完成率与序时进度"
    )
    show_chart(fig, "trend", height=chart_height)


# ---------------------------------------------------------------- 2 资金


def funding(f: Filters) -> None:
    ov = data.fetch("overview", f)
    if ov.budget <= 0 and ov.arrived <= 0:
        no_data(f"{describe(f)}没有资金数据。")
        return
    cards = st.container(key="present_money_cards").columns(5)  # amounts: smaller type (CSS)
    card(cards[0], "计划投入", fmt_money_wan(ov.budget))
    card(cards[1], "到位资金", fmt_money_wan(ov.arrived), fmt_money_change(ov.delta("arrived")))
    card(cards[2], "拨付资金", fmt_money_wan(ov.disbursed), fmt_money_change(ov.delta("disbursed")))
    card(
        cards[3],
        "到位率",
        fmt_percent(ov.arrived_rate),
        fmt_points_change(ov.delta("arrived_rate")),
    )
    card(
        cards[4],
        "拨付率",
        fmt_percent(ov.disbursed_rate),
        fmt_points_change(ov.delta("disbursed_rate")),
    )
    by_region = data.fetch("funding_by_region", f)
    if by_region.empty:
        return
    series = [("arrived_rate", "到位率（到位÷计划）"), ("disbursed_rate", "拨付率（拨付÷到位）")]
    fig = charts.rates_vs_schedule(
        by_region, label="region", series=series, title="各县区资金到位率与拨付率（竖线为序时进度）"
    )
    show_chart(fig, "funding")


# ---------------------------------------------------------------- 3 滞后项目


def severity_style(value: object) -> str:
    colour = SEVERITY_COLOURS.get(str(value))
    if not colour:
        return ""
    text = "#111111" if value == SEVERITY_LABELS[0] else "#ffffff"
    return f"background-color: {colour}; color: {text}; font-weight: 700; text-align: center"


def lagging_table(items: pd.DataFrame) -> pd.DataFrame:
    """The worst items as people read them (strings, Chinese headers, one line per row)."""
    return pd.DataFrame(
        {
            "地区": cells(shorten(v, 6) for v in items["region"]),
            "指标": cells(shorten(v, NAME_CHARS) for v in items["indicator"]),
            "责任单位": cells(shorten(v, 7) for v in items["department"]),
            "完成率": [fmt_percent(v) for v in items["completion_rate"]],
            "序时进度": [fmt_percent(v) for v in items["planned_rate"]],
            "落后": [f"{v:.1f}" for v in items["gap_points"]],
            "程度": items["severity"],
            "连续滞后": [f"{int(v)}个月" for v in items["months_behind"]],
        }
    )


def region_counts(summary: pd.DataFrame) -> pd.DataFrame:
    yellow, orange, red = SEVERITY_LABELS
    return pd.DataFrame(
        {
            "县区": cells(summary["region"]),
            "滞后项": summary["n_lagging"].astype(int).astype(str),
            red: summary["n_red"].astype(int).astype(str),
            orange: summary["n_orange"].astype(int).astype(str),
            yellow: summary["n_yellow"].astype(int).astype(str),
        }
    )


def lagging(f: Filters) -> None:
    items = data.fetch("most_behind", f, n=LAGGING_ROWS)
    if items.empty:
        no_data(f"截至{f.year}年{f.month}月底，{describe(f)}没有滞后于序时进度的指标。")
        return
    ov = data.fetch("overview", f)
    low, high = SEVERITY_THRESHOLDS
    left, right = st.container(key="present_lagging").columns([11, 4], gap="large")
    with left:
        shown = min(LAGGING_ROWS, ov.n_lagging)
        st.markdown(md("### 共 {} 项滞后于序时进度，落后最多的 {} 项", ov.n_lagging, shown))
        table = lagging_table(items)
        st.table(table.style.map(severity_style, subset=["程度"]), hide_index=True)
        st.caption(
            md(
                "落后：低于序时进度的百分点数。滞后程度：黄 不足{low:g}个百分点；"
                "橙 {low:g}～{high:g}个百分点；红 超过{high:g}个百分点。",
                low=low,
                high=high,
            )
        )
    with right:
        st.markdown("### 各县区滞后项数")
        summary = data.fetch("lagging_by_region", f)
        counts = region_counts(summary)
        styled = counts.style.map(lambda _v: "font-weight: 700", subset=["滞后项"]).set_properties(
            **{"text-align": "center"}, subset=list(counts.columns[1:])
        )
        st.table(styled, hide_index=True)
