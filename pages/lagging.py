"""滞后: the items behind 序时进度 — how far (points), how severe, how long, below the city average —
as one list and grouped by county and by department; the list the 民生办 pastes into its 通报."""

import streamlit as st

from dashboard import data, filters, layout, paging
from dashboard.columns import LAGGING_LEAD, columns
from dashboard.layout import Col
from dashboard.lineage_links import with_links
from dashboard.lineage_panel import picked_item
from metrics.config import SEVERITY_LABELS, SEVERITY_THRESHOLDS
from metrics.filters import Filters
from metrics.lagging import lagging_counts
from metrics.plain_text import md

# The lead columns (dashboard.columns), then who is responsible, for how long, and the rest.
ITEM_COLUMNS = columns(*LAGGING_LEAD, "department", "months_behind", "project_name",
                       "below_city_average", "city_average_rate", "project_code", "unit", "target",
                       "actual")  # fmt: skip
SUMMARY_COUNTS = columns("n_lagging_items", "n_red", "n_orange", "n_yellow", "worst_gap_points",
                         "n_below_city_average")  # fmt: skip


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


def counts_cards(items) -> None:
    """滞后项, one card per 程度 (worst first), 低于全市平均; the link to 督办; the legend."""
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


def list_section(f: Filters, items, stem: str) -> None:
    layout.data_table(
        items,
        [*ITEM_COLUMNS, *columns("lineage_link")],
        key="lagging_items",
        file_stem=stem,
        order_note="落后最多的在前",
        all_rows=data.later("lagging_items", f),
        links=lambda part: with_links(part, f),
        on_pick=lambda row: picked_item(f, row),
    )
    st.caption("勾选一行（行首的方框）即在表下显示它来自哪个文件、哪张表、哪一行。")


def text_section(f: Filters, stem: str) -> None:
    st.caption("可直接复制到月度通报（右上角复制按钮）。")
    paging.copy_lines(data.fetch("bulletin_lines", f), file_stem=f"{stem}_通报用语",
                      key="bulletin_all", noun="个县区")  # fmt: skip


def main() -> None:
    f = layout.open_page("滞后")
    items = data.fetch("lagging_items", f)
    if items.empty:
        layout.empty_state(
            f"截至{f.year}年{f.month}月底，当前筛选（{filters.describe(f)}）下没有滞后于序时进度的指标。"
        )
        return
    counts_cards(items)
    stem = f"滞后清单_{f.year}年{f.month}月"
    layout.tab_sections(
        {
            "滞后清单": lambda: list_section(f, items, stem),
            "按县区": lambda: grouped(items, data.fetch("lagging_by_region", f), "region", "县区",
                                      f"{stem}_按县区"),
            "按责任单位": lambda: grouped(items, data.fetch("lagging_by_department", f),
                                          "department", "责任单位", f"{stem}_按责任单位"),
            "通报用语": lambda: text_section(f, stem),
        },
        key="lagging_tab",
    )  # fmt: skip


main()
