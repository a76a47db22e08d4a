"""进度: every indicator's 完成率 against its 序时进度, by project and by kind (类别); a project
drilled down to its counties; the 开工率/完工率 pairs of construction projects side by side."""

import streamlit as st

from dashboard import charts, data, filters, layout, paging
from dashboard.columns import columns
from metrics.plain_text import md

PROJECT_COLUMNS = columns("project_code", "project_name", "category", "department",
                          "completion_rate", "planned_rate", "n_indicators",
                          "n_lagging_indicators")  # fmt: skip
INDICATOR_COLUMNS = columns("project_code", "project_name", "indicator", "category", "department",
                            "unit", "target", "actual", "completion_rate", "planned_rate",
                            "is_lagging")  # fmt: skip
# The drill-down shows leads too: its 落后 column says that a negative number is a lead.
REGION_COLUMNS = columns("region", "indicator", "unit", "target", "actual", "completion_rate",
                         "planned_rate", "gap_or_lead_points", "months_behind",
                         "city_average_rate", "below_city_average")  # fmt: skip
PAIR_COLUMNS = columns("project_code", "project_name", "item", "department", "start_rate",
                       "finish_rate", "planned_rate")  # fmt: skip


def empty_sentence(f) -> str:
    if f.region and f.category:
        return f"{f.region}在{f.year}年{f.month}月没有{f.category}项目的进度数据。"
    return filters.nothing_under(f, "进度数据。")


def project_drill(f, projects) -> None:
    labels = dict(zip(projects["project_code"], projects["project_label"], strict=True))
    if st.session_state.get("drill_project") not in labels:
        st.session_state["drill_project"] = next(iter(labels))
    code = st.selectbox(
        "选择项目", list(labels), format_func=labels.get, key="drill_project", placeholder="请选择"
    )
    rows = data.fetch("region_breakdown", f, code)
    if rows.empty:
        layout.empty_state(f"{labels[code]}在当前筛选下没有县区数据。")
        return
    drawn = paging.chart_rows(rows, by="gap_points", ascending=False, what="落后最多", noun="条")
    shown = drawn.assign(label=drawn["region"] + " · " + drawn["indicator"])
    layout.chart(charts.completion_vs_schedule(shown, label="label"), key="drill")
    layout.data_table(
        rows, REGION_COLUMNS, key="region_breakdown", file_stem=f"进度_{labels[code]}_分县区"
    )


def by_project(f, projects) -> None:
    layout.chart(charts.completion_vs_schedule(projects, label="project_label"), key="projects")
    st.caption(
        "项目完成率为其各指标完成率（每项最多计100%）的平均；竖线为序时进度；滞后的柱按程度着黄、橙、红色（与滞后页相同）。"
    )
    stem = f"进度_按项目_{f.year}年{f.month}月"
    layout.data_table(projects, PROJECT_COLUMNS, key="projects", file_stem=stem)


def category_figures(f) -> list:
    """(类别, indicators, chart) per 类别: kept per filter state (layout.cached_figures)."""
    indicators = data.fetch("indicator_progress", f)
    out = []
    for category, rows in indicators.groupby("category", sort=False):
        shown = rows.assign(label=rows["project_code"] + " " + rows["indicator"])
        out.append((category, len(rows), charts.completion_vs_schedule(shown, label="label")))
    return out


def by_indicator(f, indicators) -> None:
    for i, (category, n, fig) in enumerate(layout.cached_figures(category_figures, f)):
        st.subheader(md("{}（{}个指标）", category, n))
        layout.chart(fig, key=f"category_{i}")
    stem = f"进度_按指标_{f.year}年{f.month}月"
    layout.data_table(indicators, INDICATOR_COLUMNS, key="indicators", file_stem=stem)


def start_and_finish(f) -> None:
    pairs = data.fetch("construction_pairs", f)
    if pairs.empty:
        layout.empty_state("当前筛选下没有同时列出开工和完工指标的工程类项目。")
        return
    shown = pairs.assign(label=pairs["project_code"] + " " + pairs["item"])
    series = [("start_rate", "开工率"), ("finish_rate", "完工率")]
    layout.chart(charts.rates_vs_schedule(shown, label="label", series=series), key="pairs")
    stem = f"进度_开工完工_{f.year}年{f.month}月"
    layout.data_table(pairs, PAIR_COLUMNS, key="pairs", file_stem=stem)


def main() -> None:
    f = layout.open_page("进度")
    indicators = data.fetch("indicator_progress", f)
    if indicators.empty:
        layout.empty_state(empty_sentence(f))
        return
    projects = data.fetch("project_progress", f)
    layout.tab_sections(
        {
            "按项目": lambda: by_project(f, projects),
            "按指标（分类别）": lambda: by_indicator(f, indicators),
            "项目分解到县区": lambda: project_drill(f, projects),
            "开工率与完工率": lambda: start_and_finish(f),
        },
        key="progress_tab",
    )


main()
