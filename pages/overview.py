"""总览: headline cards with the change since last month, completion against schedule by project,
the five items furthest behind, and the month-by-month trend."""

from urllib.parse import urlencode

import streamlit as st

from dashboard import charts, data, filters, layout
from dashboard.columns import LAGGING_LEAD, columns
from dashboard.yoy_sections import overview_yoy
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

# The 滞后 page's lead columns (pages/lagging.py), then how long and which project.
BEHIND_COLUMNS = columns(*LAGGING_LEAD, "months_behind", "project_name")
HEADLINE_TABLE_ROWS = 6  # the counties a leader sees first, the most serious first
REGION_COLUMNS = columns("county", "n_red", "n_orange", "n_yellow", "n_lagging_short",
                         "worst_gap_points", "link")  # fmt: skip


def region_link(f: Filters, region: str) -> str:
    """The 滞后 page narrowed to one county, same month."""
    return "lagging?" + urlencode({"year": f.year, "month": f.month, "region": region})


def with_last_year(trend, f: Filters):
    """This year's months with last year's 完成率 of the same months beside them (同期), or
    None when last year has no monthly figures."""
    last = data.fetch("monthly_trend", Filters(f.year - 1, 12, f.region, f.department, f.category))
    if last.empty or last["completion_rate"].isna().all():
        return None
    last = last[["month", "completion_rate"]].rename(columns={"completion_rate": "last_year_rate"})
    return trend.merge(last, on="month", how="left")


def headline_cards(ov) -> None:
    """Two rows of five cards: progress and lagging, then the money; each with its change."""
    row = st.columns(5)
    row[0].metric("项目数", ov.n_projects, fmt_count_change(ov.delta("n_projects")), border=True)
    row[1].metric(
        "指标数", ov.n_indicators, fmt_count_change(ov.delta("n_indicators")), border=True
    )
    row[2].metric(
        "总体完成率",
        fmt_percent(ov.completion_rate),
        fmt_points_change(ov.delta("completion_rate")),
        help="各指标完成率（每项最多计100%）的平均；箭头为较上月变化",
        border=True,
    )
    layout.schedule_tile(row[3], ov.planned_rate, ov.gap)
    row[4].metric(
        "滞后项",
        ov.n_lagging,
        fmt_count_change(ov.delta("n_lagging")),
        delta_color="inverse",
        help="完成率低于序时进度的 地区×指标 项数；箭头为较上月变化",
        border=True,
    )
    row = st.columns(5)
    row[0].metric("计划投入", fmt_money_wan(ov.budget), border=True)
    row[1].metric(
        "到位资金", fmt_money_wan(ov.arrived), fmt_money_change(ov.delta("arrived")), border=True
    )
    row[2].metric(
        "拨付资金",
        fmt_money_wan(ov.disbursed),
        fmt_money_change(ov.delta("disbursed")),
        border=True,
    )
    row[3].metric(
        "到位率（到位÷计划）",
        fmt_percent(ov.arrived_rate),
        fmt_points_change(ov.delta("arrived_rate")),
        border=True,
    )
    row[4].metric(
        "拨付率（拨付÷到位）",
        fmt_percent(ov.disbursed_rate),
        fmt_points_change(ov.delta("disbursed_rate")),
        help=md("拨付占计划（拨付÷计划）：{}", fmt_percent(ov.disbursed_budget_rate)),
        border=True,
    )


def lagging_headline(f: Filters, ov) -> None:
    """The headline sentence, and (whole city) the counties with the most serious items."""
    lagging_items = data.fetch("lagging_items", f)
    st.markdown(md("#### {}", headline(lagging_items, ov.delta("n_lagging"))))
    if f.region is None and not lagging_items.empty:
        worst = data.fetch("lagging_by_region", f).head(HEADLINE_TABLE_ROWS)
        layout.data_table(worst, REGION_COLUMNS, key="overview_regions",
                          file_stem=f"各县区滞后项_{f.year}年{f.month}月",
                          links=lambda part: part.assign(link=[region_link(f, r) for r in part["region"]]))  # fmt: skip


def notes_under_cards(f: Filters, ov) -> None:
    """The whole city beside a narrowed view, the 预警 in a line, and why there is no change."""
    if f.region or f.department:
        # A unit (or a narrowed view) beside the whole city: the figures the 通报 compares it with.
        city = data.fetch("city_overview", f)
        if city.has_data:
            st.caption(
                md(
                    "全市：总体完成率 {}（序时进度 {}），滞后 {} 项；到位率 {}，拨付率 {}。",
                    fmt_percent(city.completion_rate),
                    fmt_percent(city.planned_rate),
                    city.n_lagging,
                    fmt_percent(city.arrived_rate),
                    fmt_percent(city.disbursed_rate),
                )
            )
    forecast = data.fetch("forecast_summary", f)
    if forecast.n_indicators:
        st.caption(md("预警：{}详见“预警”页。", forecast.short_sentence(f.region or "全市")))
    if ov.previous is None:
        st.caption("1月为年度第一个月，没有上月可比。")


def trend_figure(f: Filters, last_year: bool):
    """(the 逐月走势 chart or None when no month of the filter has a report, whether last year
    was asked for and is missing), cached per filter state and toggle (layout.cached_figures);
    the page says so, not the shared builder."""
    trend = data.fetch("monthly_trend", f)
    reported = trend[trend["completion_rate"].notna()]
    if reported.empty:
        return None, False
    extra, missing = [("arrived_rate", "到位率")], False
    if last_year:
        both = with_last_year(reported, f)
        missing = both is None
        if not missing:
            reported = both
            extra.append(("last_year_rate", f"{f.year - 1}年完成率"))
    return charts.monthly_trend(reported, extra=extra), missing


def trend_section(f: Filters) -> None:
    st.subheader("逐月走势")
    last_year = st.toggle("叠加上年同期完成率", key="trend_last_year")
    fig, no_last_year = layout.cached_figures(trend_figure, f, last_year)
    if no_last_year:
        st.caption(md("{}年没有逐月数据，无法叠加。", f.year - 1))
    if fig is None:
        layout.empty_state("当前筛选下没有逐月数据。")
        return
    layout.chart(fig, key="trend")


def most_behind_section(f: Filters) -> None:
    st.subheader("最落后的5项")
    layout.data_table(
        data.fetch("most_behind", f, n=5),
        BEHIND_COLUMNS,
        key="most_behind",
        file_stem=f"最落后5项_{f.year}年{f.month}月",
        empty_sentence="当前筛选下没有滞后于序时进度的指标。",
    )


def projects_figure(f: Filters):
    """各项目完成率与序时进度, furthest behind schedule at the top (gap = 完成率 − 序时进度, from
    the metrics layer); None without progress rows. Cached per filter state."""
    projects = data.fetch("project_progress", f)
    if projects.empty:
        return None
    projects = projects.sort_values("gap", ascending=True, kind="stable")
    return charts.completion_vs_schedule(projects, label="project_label")


def projects_section(f: Filters) -> None:
    st.subheader("各项目完成率与序时进度")
    fig = layout.cached_figures(projects_figure, f)
    if fig is None:
        layout.empty_state("当前筛选下没有项目进度数据。")
        return
    st.caption(
        "项目完成率为其各指标完成率（每项最多计100%）的平均；竖线为序时进度；滞后的柱按程度着黄、橙、红色（与滞后页相同），完成率为0的滞后项在起点画一道短线；落后最多的在上。"
    )
    layout.chart(fig, key="projects")


def main() -> None:
    f = layout.open_page("总览")
    ov = data.fetch("overview", f)
    if not ov.has_data:
        layout.empty_state(
            filters.nothing_under(f, "进度或资金数据。") + "请换一个月份或放宽筛选条件。"
        )
        return
    lagging_headline(f, ov)
    headline_cards(ov)
    notes_under_cards(f, ov)
    overview_yoy(f)
    left, right = st.columns([2, 3], gap="large")
    with left:
        trend_section(f)
    with right:
        most_behind_section(f)
    projects_section(f)


main()
