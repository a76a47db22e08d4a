"""预警: which items will miss the year at the pace of recent months — lagging already or not
yet — ranked by how far short they will fall, by county and by department, per indicator summed
over the counties, funding too, and a chart per indicator: actual months, 序时进度, and the
projection to December as a dashed line. Every figure comes from metrics.forecast."""

import streamlit as st

from dashboard import data, filters, forecast_charts, layout
from dashboard.columns import columns
from metrics.filters import Filters
from metrics.format import fmt_money_wan, fmt_percent
from metrics.plain_text import md

METHOD = (
    "预计年底完成率 = 当前完成率 + 近期平均每月进度 × 余下月数。近期平均每月进度 = "
    "（当前完成率 − 起算月完成率）÷（当前月 − 起算月），起算月为近三个月里最早报送的月份，"
    "没有则从年初（完成率0）算起。预计低于100%即“年底完不成”；今后每月需完成 = "
    "（100% − 当前完成率）÷ 余下月数。跨县区合计时先加总累计完成和年度目标。"
)
ALL_REGIONS = "全部县区合计"
CHARTS_MAX = 6
# A long list (a province: thousands of items) shows its worst rows first; the whole list on
# request. The table is drawn with per-cell formats, ~0.1 s per 1,000 rows on every page run.
ROW_LIMIT = 200
SHOW_TOP = f"差距最大的{ROW_LIMIT}项"
SHOW_ALL = "全部"

ITEM_COLUMNS = columns(
    "region", "project_name", "indicator", "projected_rate", "shortfall_points", "completion_rate",
    "planned_rate", "lagging_now", "pace", "needed_pace", "base_month", "base_rate", "explanation",
    "department", "project_code", "unit", "target", "actual",
)  # fmt: skip
COUNT_COLUMNS = ("n_will_miss", "n_not_lagging_yet")
REGION_COLUMNS = columns("county", *COUNT_COLUMNS, "n_items", "share_reach", "total_rate",
                         "projected_total_rate", "worst_projected_rate")  # fmt: skip
DEPARTMENT_COLUMNS = columns("department", *COUNT_COLUMNS, "n_items_regions", "n_indicators_city",
                             "n_indicators_will_miss", "total_rate",
                             "projected_total_rate")  # fmt: skip
INDICATOR_COLUMNS = columns(
    "project_code", "project_name", "indicator", "unit", "projected_rate", "shortfall_points",
    "completion_rate", "planned_rate", "pace", "needed_pace", "n_regions", "n_regions_will_miss",
    "explanation", "department", "target", "actual",
)  # fmt: skip
FUNDING_COLUMNS = ("budget", "disbursed", "disbursed_budget_rate_short", "projected_disbursed",
                   "projected_disbursed_rate")  # fmt: skip


def year_figure(f, code: str, indicator: str, unit, region: str | None, title: str):
    """The indicator's year chart, or None without progress figures: built once per filter
    state and data version, shared by the sessions (layout.cached_figures), so a page run
    neither rebuilds the figure (~20 ms) nor hashes its data frame."""
    series = data.fetch("indicator_series", f, code, indicator, unit, region)
    if series["completion_rate"].isna().all():
        return None
    will_miss = bool(series["will_miss"].iloc[0])
    return forecast_charts.forecast_line(series, month=f.month, will_miss=will_miss, title=title)


def grouped(f, summary, by: str, label: str, summary_columns, stem: str) -> None:
    """A count table per group, then the chosen group's will-miss items (groups with some)."""
    layout.group_drilldown(
        data.fetch("will_miss_items", f), summary, by=by, summary_columns=summary_columns,
        item_columns=ITEM_COLUMNS, pick_label=md("查看{}年底完不成的项", label), stem=stem,
        key_prefix="forecast_", names=list(summary.loc[summary["n_will_miss"] > 0, by]),
    )  # fmt: skip


def indicator_label(row) -> str:
    unit = f"（{row.unit}）" if isinstance(row.unit, str) and row.unit else ""
    return f"{row.project_label} · {row.indicator}{unit}"


def charts(f, indicators, regions: list[str]) -> None:
    """The 走势与预测 section: one chart per chosen indicator, optionally for one county."""
    st.subheader("走势与预测")
    labels = {indicator_label(r): r for r in indicators.itertuples(index=False)}
    options = list(labels)
    chosen = [x for x in st.session_state.get("forecast_charts", []) if x in labels]
    if not chosen:
        worst = [x for x, r in labels.items() if r.will_miss][:2]
        chosen = worst or options[:1]
    st.session_state["forecast_charts"] = chosen
    left, right = st.columns([3, 1])
    picked = left.multiselect(
        "选择指标（最多6个）",
        options,
        key="forecast_charts",
        max_selections=CHARTS_MAX,
        placeholder="请选择指标",
        help="默认显示全市合计年底差距最大的指标。",
    )
    region = None
    if f.region is None and regions:
        scope = [ALL_REGIONS, *regions]
        if st.session_state.get("forecast_chart_region") not in scope:
            st.session_state["forecast_chart_region"] = ALL_REGIONS
        pick = right.selectbox("县区", scope, key="forecast_chart_region", placeholder="请选择")
        region = None if pick == ALL_REGIONS else pick
    st.caption(
        "实线为各月实际完成率，灰线为序时进度，虚线为按近期进度推算到12月底的完成率，"
        "点线为年度目标（100%）。"
    )
    places = st.columns(2)
    for number, label in enumerate(picked):
        row = labels[label]
        with places[number % 2]:
            scope_name = region or f.region or "全市"
            figure = layout.cached_figures(
                year_figure, f, row.project_code, row.indicator, row.unit, region,
                f"{scope_name} · {label}",
            )  # fmt: skip
            if figure is None:
                layout.empty_state(f"{scope_name}没有“{label}”的进度数据。")
                continue
            layout.chart(figure, key=f"forecast_{number}", file_stem=f"预警_{scope_name}_{label}")


def headline_cards(f: Filters, summary, funds) -> None:
    """Four figures at the year's end (already reached, in December), and the sentence."""
    december = f.month >= 12
    cards = st.columns(5)
    cards[0].metric(
        "已完成年度目标的指标" if december else "年底能完成的指标",
        f"{summary.n_indicators_reach}/{summary.n_indicators}",
        help="指标先在县区间加总（Σ累计完成 ÷ Σ年度目标），再看预计年底完成率是否达到100%",
        border=True,
    )
    cards[1].metric(
        "总体完成率" if december else "预计年底总体完成率",
        fmt_percent(summary.projected_rate),
        None if december else md("现为{}", fmt_percent(summary.completion_rate)),
        delta_color="off",
        delta_arrow="off",
        help="各指标（预计）完成率每项最多计100%后的平均",
        border=True,
    )
    cards[2].metric(
        "年底未完成的县区指标" if december else "年底完不成的县区指标",
        summary.n_items_will_miss,
        help="地区×指标项，按近期进度预计年底完成率低于100%",
        border=True,
    )
    cards[3].metric("其中目前未滞后", summary.n_items_not_lagging_yet, border=True)
    cards[4].metric(
        "拨付占计划" if december else "预计年底拨付占计划",
        fmt_percent(funds.disbursed_budget_rate if december else funds.projected_rate),
        None if december else md("现为{}", fmt_percent(funds.disbursed_budget_rate)),
        delta_color="off",
        delta_arrow="off",
        help="每个县区项目的预计拨付最多按其计划投入计",
        border=True,
    )
    st.markdown(md("**{}**", summary.sentence(f.region or "全市")))
    st.caption(METHOD)


def list_section(f: Filters, stem: str) -> None:
    items = data.fetch("will_miss_items", f)
    shown = items
    if len(items) > ROW_LIMIT:
        choice = st.segmented_control(
            "显示", [SHOW_TOP, SHOW_ALL], default=SHOW_TOP, key="forecast_list_size"
        )
        st.caption(
            md(
                "共{}项年底完不成。表格和下载按所选范围；“按县区”“按责任单位”可逐个查看。",
                len(items),
            )
        )
        if choice != SHOW_ALL:
            shown = items.head(ROW_LIMIT)
    layout.data_table(
        shown,
        ITEM_COLUMNS,
        key="will_miss",
        file_stem=f"{stem}_年底完不成清单",
        empty_sentence="按近期进度，当前筛选下所有县区指标年底都能完成年度目标。",
    )


def indicator_section(indicators, stem: str) -> None:
    st.caption("每个指标先把各县区的累计完成、年度目标和预计年底完成量分别加总，再相除。")
    layout.data_table(
        indicators,
        INDICATOR_COLUMNS,
        key="forecast_indicators",
        file_stem=f"{stem}_按指标",
    )


def funds_section(f: Filters, funds, stem: str) -> None:
    st.markdown(md("{}", funds.sentence(f.region or "全市")))
    st.caption(
        md(
            "计划投入{}，已拨付{}。拨付占计划 = 拨付资金 ÷ 计划投入；预计方法同完成率。",
            fmt_money_wan(funds.budget),
            fmt_money_wan(funds.disbursed),
        )
    )
    for by, label, first in (("project", "项目", "project_label"), ("region", "县区", "county")):
        layout.data_table(
            data.fetch(f"funding_forecast_by_{by}", f),
            columns(first, *FUNDING_COLUMNS),
            key=f"forecast_funds_{by}s",
            file_stem=f"{stem}_资金_按{label}",
        )


def text_section(f: Filters) -> None:
    sentence = data.fetch("forecast_bulletin_sentence", f)
    if sentence:
        st.caption("可直接复制到月度通报（右上角复制按钮）。")
        st.code(sentence, language=None, wrap_lines=True)
    else:
        layout.empty_state("按近期进度，当前筛选下没有年底完不成的县区指标。")


def main() -> None:
    f = layout.open_page("预警", note="按近三个月进度预计年底完成情况")
    summary = data.fetch("forecast_summary", f)
    if not summary.n_items:
        layout.empty_state(filters.nothing_under(f, "进度数据，无法预计年底完成情况。"))
        return
    funds = data.fetch("funding_forecast", f)
    headline_cards(f, summary, funds)
    stem = f"预警_{f.year}年{f.month}月"
    # Read once: the tabs and the charts under them both use these two.
    indicators = data.fetch("indicator_forecast", f)
    by_region = data.fetch("forecast_by_region", f)
    layout.tab_sections(
        {
            "年底完不成清单": lambda: list_section(f, stem),
            "按县区": lambda: grouped(f, by_region, "region", "县区", REGION_COLUMNS,
                                      f"{stem}_按县区"),
            "按责任单位": lambda: grouped(f, data.fetch("forecast_by_department", f), "department",
                                          "责任单位", DEPARTMENT_COLUMNS, f"{stem}_按责任单位"),
            "按指标（全市合计）": lambda: indicator_section(indicators, stem),
            "资金": lambda: funds_section(f, funds, stem),
            "通报用语": lambda: text_section(f),
        },
        key="forecast_tab",
    )  # fmt: skip
    charts(f, indicators, sorted(by_region["region"]))


main()
