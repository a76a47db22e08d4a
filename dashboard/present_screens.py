"""The screens of 汇报模式, in meeting order: 总体进展 → 资金 → 滞后项目 → 县区排名 → 部门排名 →
督办逾期 (the last added at the end, so links to the first five keep their numbers).

Each screen lays out figures the metrics layer returns (via dashboard.data) for a 1920×1080
projector: a row of large headline figures and one chart, or a table in large type. Nothing is
computed here beyond choosing rows to show and formatting them for people.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, data, layout
from dashboard.filters import describe
from metrics.config import SEVERITY_COLOURS, SEVERITY_LABELS, SEVERITY_THRESHOLDS
from metrics.filters import Filters
from metrics.format import (
    MISSING,
    fmt_count_change,
    fmt_money_change,
    fmt_money_wan,
    fmt_percent,
    fmt_points_change,
    fmt_rank_change,
    fmt_score,
    is_missing,
)
from metrics.lagging import headline
from metrics.plain_text import escape_markdown, md, md_list
from metrics.ranking import SOURCE_SCORES
from metrics.supervision import ledger_by_unit, overdue_items

LAGGING_ROWS = 12  # the worst items that fit one screen in large type
DEPARTMENT_ROWS_PER_COLUMN = 12  # up to 24 departments fit in two columns
BIG_TABLE_ROWS = 8  # counties up to this many get one table in extra-large type
MAX_NOTES = 6  # 加扣分 reasons beside the county table
NAME_CHARS = 16  # indicator names longer than this are cut with "…" (rare)
PROJECTOR_FONT = 22  # chart text size (px) on a 1920-wide screen
CHART_HEIGHT = 620  # px left for a chart under the header and the headline figures, with margin
FORECAST_LINE_PX = 70  # the year-end forecast sentence above the trend chart on screen 1
RISE, FALL = "#1b7a2f", "#b3261e"  # rank change colours, dark enough for a projector


@dataclass(frozen=True)
class Screen:
    key: str
    title: str
    draw: Callable[[Filters], None]


SINCE_LAST_MONTH = "较上月"


def projector_figure(fig: go.Figure, *, height: int = CHART_HEIGHT) -> go.Figure:
    """The same chart with text sized for the back of the room and a fixed height."""
    big = go.Figure(fig)
    title = big.layout.title.text
    big.update_layout(
        height=height,
        font={"size": PROJECTOR_FONT, "color": "#111111"},
        legend={"font": {"size": PROJECTOR_FONT}},
        margin={"l": 20, "r": 40, "t": 90 if title else 60, "b": 50},
    )
    if title:
        big.update_layout(title={"font": {"size": PROJECTOR_FONT + 6}})
    big.update_xaxes(tickfont={"size": PROJECTOR_FONT}, title_font={"size": PROJECTOR_FONT})
    big.update_yaxes(
        tickfont={"size": PROJECTOR_FONT}, title_font={"size": PROJECTOR_FONT}, automargin=True
    )
    big.update_traces(textfont={"size": PROJECTOR_FONT - 2}, selector={"type": "bar"})
    big.update_traces(line={"width": 5}, marker={"size": 12}, selector={"mode": "lines+markers"})
    big.update_traces(line={"width": 3}, selector={"mode": "lines"})
    return big


def show_chart(fig: go.Figure, key: str, *, height: int = CHART_HEIGHT) -> None:
    st.plotly_chart(
        projector_figure(fig, height=height),
        width="stretch",
        key=f"present_chart_{key}",
        theme=None,  # keep the large fonts and calm colours set above
        config={"displayModeBar": False, "staticPlot": True},
    )


def no_data(sentence: str) -> None:
    st.markdown(md("### {}", sentence))


# ---------------------------------------------------------------- 1 总体进展


def card(column, label: str, value: object, change: str | None = None, **kwargs) -> None:
    """A headline figure; `change` is the change since last month (sign first)."""
    column.metric(
        escape_markdown(label),
        value,
        change,
        delta_description=SINCE_LAST_MONTH if change is not None else None,
        border=True,
        **kwargs,
    )


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


def cells(values) -> list[str]:
    """Names for an st.table, which renders Markdown in its cells: shown as typed."""
    return [escape_markdown(v) for v in values]


def shorten(text: object, limit: int) -> str:
    """A name cut to `limit` characters with "…", so a table row stays one line."""
    text = "" if is_missing(text) else str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


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


# ---------------------------------------------------------------- 4 县区排名, 5 部门排名


def change_style(value: object) -> str:
    text = str(value)
    if text.startswith("↑"):
        return f"color: {RISE}; font-weight: 700"
    if text.startswith("↓"):
        return f"color: {FALL}; font-weight: 700"
    return ""


def _int_text(value: object) -> str:
    return MISSING if is_missing(value) else str(int(value))  # type: ignore[arg-type]


def _adjustment_text(value: object) -> str:
    if is_missing(value) or round(float(value), 3) == 0:  # type: ignore[arg-type]
        return ""
    return f"{float(value):+.3f}".rstrip("0").rstrip(".")  # type: ignore[arg-type]


def ranking_table(frame: pd.DataFrame, month: int, *, is_index: bool, full: bool) -> pd.DataFrame:
    """Ranking rows for the screen; `full` adds the 1–N月 score and 加扣分 (the county table)."""
    span = "1月" if month == 1 else f"1-{month}月"
    what = "指数" if is_index else "得分"
    out = pd.DataFrame(
        {
            "名次": [_int_text(v) for v in frame["rank"]],
            "单位": cells(frame["unit"]),
            f"{month}月{what}": [fmt_score(v) for v in frame["score"]],
        }
    )
    if full:
        out[f"{span}{what}"] = [fmt_score(v) for v in frame["cumulative_score"]]
    out[f"{span}排名"] = [_int_text(v) for v in frame["cumulative_rank"]]
    out["较上月"] = [MISSING if is_missing(v) else fmt_rank_change(v) for v in frame["rank_change"]]
    if not is_index:
        out["加扣分"] = [_adjustment_text(v) for v in frame["adjustment"]]
    return out


def styled_ranking(table: pd.DataFrame):
    centred = [c for c in table.columns if c != "单位"]
    return table.style.map(change_style, subset=["较上月"]).set_properties(
        **{"text-align": "center"}, subset=centred
    )


def source_note(ranking, unit_type: str) -> str:
    if ranking.source == SOURCE_SCORES:
        return f"依据{ranking.month}月考评表；得分含加扣分，并列者名次相同。"
    return (
        f"本月未载入{unit_type}考评表，按进度指数排名（完成率÷序时进度的平均，1.000 即恰好达到"
        "序时进度）。"
    )


def adjustment_notes(frame: pd.DataFrame) -> list[str]:
    if "note" not in frame:
        return []
    rows = frame[frame["note"].notna() & (frame["note"].astype(str).str.strip() != "")]
    return [f"{row.unit}：{row.note}" for row in rows.itertuples(index=False)]


def split_table(table: pd.DataFrame) -> None:
    """A long ranking side by side in two columns (see split_rows)."""
    with st.container(key="present_split_table"):
        columns = st.columns(2, gap="large")
        for part, column in zip(split_rows(table), columns, strict=False):
            with column:
                st.table(styled_ranking(part), hide_index=True)


def county_ranking(f: Filters) -> None:
    ranking = data.fetch("rankings", f.year, f.month, "县区")
    if ranking.empty:
        no_data(f"{f.year}年{f.month}月没有县区的考评得分，也没有可计算进度指数的数据。")
        return
    is_index = ranking.source != SOURCE_SCORES
    table = ranking_table(ranking.frame, f.month, is_index=is_index, full=True)
    if len(table) > BIG_TABLE_ROWS:  # a city with many counties: the department layout
        split_table(table)
        st.caption(escape_markdown(source_note(ranking, "县区")))
        return
    notes = adjustment_notes(ranking.frame)
    left, right = st.columns([3, 2] if notes else [1, 0.001], gap="large")
    with left, st.container(key="present_big_table"):
        st.table(styled_ranking(table), hide_index=True)
        st.caption(escape_markdown(source_note(ranking, "县区")))
    if notes:
        with right:
            st.markdown("### 加扣分情况")
            shown = notes[:MAX_NOTES]
            more = len(notes) - len(shown)
            st.markdown(md_list(shown))
            if more:
                st.caption(md("另有{}个单位有加扣分，见排名页。", more))


def department_ranking(f: Filters) -> None:
    ranking = data.fetch("rankings", f.year, f.month, "市直单位")
    if ranking.empty:
        no_data(f"{f.year}年{f.month}月没有市直单位的考评得分，也没有可计算进度指数的数据。")
        return
    is_index = ranking.source != SOURCE_SCORES
    table = ranking_table(ranking.frame, f.month, is_index=is_index, full=False)
    split_table(table)
    st.caption(escape_markdown(source_note(ranking, "市直单位")))


def split_rows(
    table: pd.DataFrame, per_column: int = DEPARTMENT_ROWS_PER_COLUMN
) -> list[pd.DataFrame]:
    """The table in at most two columns of at most `per_column` rows each; beyond two full
    columns, the top and the bottom of the ranking (the middle is left out, with a "…" row)."""
    n = len(table)
    if n <= per_column:
        return [table]
    if n <= 2 * per_column:
        half = math.ceil(n / 2)
        return [table.iloc[:half], table.iloc[half:]]
    gap = pd.DataFrame([{c: "…" for c in table.columns}])
    bottom = pd.concat([gap, table.iloc[n - per_column + 1 :]], ignore_index=True)
    return [table.iloc[:per_column], bottom]


# ---------------------------------------------------------------- 6 督办逾期

OVERDUE_ROWS = 10  # overdue items that fit one screen in large type


def overdue_table(items: pd.DataFrame) -> pd.DataFrame:
    """Overdue 督办 items as people read them: unit, item, deadline, days overdue."""
    units = [
        " · ".join(str(u) for u in (region, department) if not is_missing(u))
        for region, department in zip(items["region"], items["department"], strict=True)
    ]
    return pd.DataFrame(
        {
            "编号": [str(int(v)) for v in items["item_id"]],
            "单位": cells(shorten(u, 12) for u in units),
            "督办事项": cells(
                shorten(label if is_missing(indicator) else indicator, NAME_CHARS)
                for label, indicator in zip(items["item_label"], items["indicator"], strict=True)
            ),
            "整改期限": [f"{d:%Y年%-m月%-d日}" for d in pd.to_datetime(items["deadline"])],
            "逾期": [f"{int(v)}天" for v in items["days_overdue"]],
        }
    )


def overdue_style(_value: object) -> str:
    return "background-color: #C62828; color: #ffffff; font-weight: 700; text-align: center"


def supervision_overdue(f: Filters) -> None:
    today = dt.date.today()
    items = overdue_items(data.fetch("supervision_ledger", f), today)
    if items.empty:
        no_data(f"截至{today.year}年{today.month}月{today.day}日，{describe(f)}{f.year}年"
                "没有逾期未销号的督办事项。")  # fmt: skip
        return
    left, right = st.container(key="present_overdue").columns([11, 4], gap="large")
    with left:
        shown = min(OVERDUE_ROWS, len(items))
        st.markdown(md("### 共 {} 项已过整改期限仍未销号，逾期最久的 {} 项", len(items), shown))
        table = overdue_table(items.head(OVERDUE_ROWS))
        st.table(table.style.map(overdue_style, subset=["逾期"]), hide_index=True)
        st.caption(md("红色督办：已过整改期限、尚未销号（按{}年{}月{}日计算）。", today.year,
                      today.month, today.day))  # fmt: skip
    with right:
        st.markdown("### 各县区逾期项数")
        counts = ledger_by_unit(items, "region")  # every item here is overdue: n_items
        st.table(
            pd.DataFrame({"县区": cells(counts["region"]), "逾期": counts["n_items"].astype(str)}),
            hide_index=True,
        )


SCREENS: tuple[Screen, ...] = (
    Screen("overall", "总体进展", overall),
    Screen("funding", "资金", funding),
    Screen("lagging", "滞后项目", lagging),
    Screen("county", "县区排名", county_ranking),
    Screen("department", "部门排名", department_ranking),
    Screen("overdue", "督办逾期", supervision_overdue),
)
