"""滞后: the items behind 序时进度 — how far (points), how severe, how long, below the city average —
as one list and grouped by county and by department; the list the 民生办 pastes into its 通报."""

import streamlit as st

from dashboard import data, filters, layout, paging
from dashboard.columns import columns
from dashboard.layout import Col
from dashboard.lineage_links import with_links
from dashboard.lineage_panel import picked_item
from metrics.config import SEVERITY_LABELS, SEVERITY_THRESHOLDS
from metrics.lagging import lagging_counts
from metrics.plain_text import md

# The clerk's columns first, so a 1366-px laptop shows them without scrolling: where, what,
# how far behind (against the schedule), who is responsible, for how long.
ITEM_COLUMNS = columns(
    "region",
    "indicator",
    "severity",
    "gap_points",
    "completion_rate",
    "planned_rate",
    "department",
    "months_behind",
    "project_name",
    "below_city_average",
    "city_average_rate",
    "project_code",
    "unit",
    "target",
    "actual",
)
SUMMARY_COUNTS = [
    Col("n_lagging", "滞后项数", "int"),
    Col("n_red", "红", "int"),
    Col("n_orange", "橙", "int"),
    Col("n_yellow", "黄", "int"),
    Col("worst_gap_points", "最大落后（个百分点）", "points"),
    Col("n_below_city_average", "低于全市平均项数", "int"),
]


def severity_legend() -> str:
    low, high = SEVERITY_THRESHOLDS
    yellow, orange, red = SEVERITY_LABELS
    return (
        f"滞后程度按落后序时进度的百分点数划分：{yellow}：不足{low:g}个百分点；"
        f"{orange}：{low:g}～{high:g}个百分点；{red}：超过{high:g}个百分点。"
    )


def grouped(items, summary, by: str, label: str, stem: str) -> None:
    """A count table per group, then the chosen group's items (worst group first)."""
    layout.group_drilldown(
        items, summary, by=by, summary_columns=[Col(by, label), *SUMMARY_COUNTS],
        item_columns=ITEM_COLUMNS, pick_label=md("查看{}的滞后项", label), stem=stem,
        summary_order="滞后项最多的在前", item_order="落后最多的在前",
    )  # fmt: skip


f = filters.current()
layout.page_header("滞后", f)
items = data.fetch("lagging_items", f)
if items.empty:
    layout.empty_state(
        f"截至{f.year}年{f.month}月底，当前筛选（{filters.describe(f)}）下没有滞后于序时进度的指标。"
    )
    st.stop()

counts = lagging_counts(items)
cards = st.columns(5)
cards[0].metric("滞后项", counts.n_lagging, border=True)
low, high = SEVERITY_THRESHOLDS
yellow, orange, red = SEVERITY_LABELS
for column, label, span in (
    (cards[1], red, f">{high:g}点"),
    (cards[2], orange, f"{low:g}～{high:g}点"),
    (cards[3], yellow, f"<{low:g}点"),
):
    column.metric(md("{}（{}）", label, span), counts.by_severity[label], border=True)
cards[4].metric("低于全市平均", counts.n_below_city_average, border=True)
st.page_link("pages/supervision.py", label="为滞后项下发督办、跟踪整改（督办）",
             icon=":material/assignment_late:")  # fmt: skip
st.caption(md("{}“低于全市平均”指该县区完成率低于全市同一指标的完成率。", severity_legend()))

stem = f"滞后清单_{f.year}年{f.month}月"
tab_list, tab_region, tab_department, tab_text = layout.tabs(
    ["滞后清单", "按县区", "按责任单位", "通报用语"], key="lagging_tab"
)
if tab_list.open:
    with tab_list:
        layout.data_table(
            items,
            [*ITEM_COLUMNS, Col("lineage_link", "溯源", "link")],
            key="lagging_items",
            file_stem=stem,
            order_note="落后最多的在前",
            all_rows=data.later("lagging_items", f),
            links=lambda part: with_links(part, f),
            on_pick=lambda row: picked_item(f, row),
        )
        st.caption("勾选一行（行首的方框）即在表下显示它来自哪个文件、哪张表、哪一行。")
if tab_region.open:
    with tab_region:
        grouped(items, data.fetch("lagging_by_region", f), "region", "县区", f"{stem}_按县区")
if tab_department.open:
    with tab_department:
        by_department = data.fetch("lagging_by_department", f)
        grouped(items, by_department, "department", "责任单位", f"{stem}_按责任单位")
if tab_text.open:
    with tab_text:
        st.caption("可直接复制到月度通报（右上角复制按钮）。")
        paging.copy_lines(data.fetch("bulletin_lines", f), file_stem=f"{stem}_通报用语",
                          key="bulletin_all", noun="个县区")  # fmt: skip
