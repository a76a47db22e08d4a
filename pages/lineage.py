"""数据溯源: one figure back to its file, sheet and row (who loaded it, when), and its history month
by month with every replacement — what the 民生办 answers when a leader doubts a figure.

Driven by the link (dashboard/lineage_links.py): `region` (the shared 地区 filter), `code` and
`indicator` (this page's own), with the shared year and month. Without an indicator the page traces
the project's 资金 row. The pickers stay in step with the link, so the page can be shared as is.
"""

import pandas as pd
import streamlit as st

from dashboard import data, layout
from dashboard.columns import columns
from dashboard.layout import Col
from dashboard.lineage_panel import source_lines
from metrics.filters import Filters
from metrics.format import fmt_datetime, fmt_money_wan, fmt_percent, project_labels
from metrics.plain_text import escape_markdown, md

FUNDING_CHOICE = "资金（计划投入、到位、拨付）"
LINK_STATE = "_lineage_link"  # (code, indicator) last written to the link by this page
SOURCE_COLUMNS = columns("source_file", "source_sheet", "source_row", "load_id", "loaded_at_text",
                         "loaded_by", "replacement")  # fmt: skip
PROGRESS_COLUMNS = columns("month", "target", "actual", "completion_rate", *SOURCE_COLUMNS)
FUNDING_COLUMNS = columns("month", "budget", "arrived", "disbursed", "arrived_rate_short",
                          "disbursed_rate_short", *SOURCE_COLUMNS)  # fmt: skip


def link_choice() -> tuple[str | None, str | None]:
    return st.query_params.get("code"), st.query_params.get("indicator")


def seed_from_link(options_code: list[str]) -> None:
    """A link opened (or changed) in this session sets the pickers once; afterwards the pickers
    write the link, so a rerun does not undo the user's choice."""
    code, indicator = link_choice()
    if (code, indicator) == st.session_state.get(LINK_STATE):
        return
    if code in options_code:
        st.session_state["lineage_code"] = code
        st.session_state["lineage_indicator"] = indicator or FUNDING_CHOICE
    elif code:
        st.info(md("链接中的项目编号“{}”在本月当前筛选下没有数据，请在下方重新选择。", code))


def write_link(code: str, indicator: str | None) -> None:
    st.session_state[LINK_STATE] = (code, indicator)
    if st.query_params.get("code") != code:
        st.query_params["code"] = code
    if indicator is None:
        st.query_params.pop("indicator", None)
    elif st.query_params.get("indicator") != indicator:
        st.query_params["indicator"] = indicator


def show_source(f: Filters, source: pd.DataFrame, what: str) -> None:
    """The figure's file, sheet and row in one box, as the leader is told it."""
    if source.empty:
        layout.empty_state(
            md("{}年{}月没有这一项的当前数据（可能未报送，或已被替换）。", f.year, f.month)
        )
        return
    with st.container(border=True, key="lineage_source"):
        st.markdown(md("**{}**", what))
        source_lines(source)


def progress_sentence(f: Filters, row: pd.Series) -> str:
    unit = row["unit"] if isinstance(row.get("unit"), str) else ""
    return md(
        "{}年{}月：累计完成 {}{}，年度目标 {}{}，完成率 {}",
        f.year, f.month, f"{row['actual']:g}", unit, f"{row['target']:g}", unit,
        fmt_percent(row["completion_rate"]),
    )  # fmt: skip


def show_history(history: pd.DataFrame, columns: list[Col], stem: str) -> None:
    st.subheader("逐月来源与替换记录")
    if history.empty:
        layout.empty_state("这一项在本年度没有导入过数据。")
        return
    table = history.assign(loaded_at_text=history["loaded_at"].map(fmt_datetime))
    layout.data_table(table, columns, key="lineage_history", file_stem=stem)
    replaced = [s for text in history["replacement"] for s in str(text).split("\n") if s]
    if replaced:
        st.markdown(md("**替换记录（{} 条）**", len(replaced)))
        for sentence in replaced:
            st.markdown(md("- {}", sentence))
    else:
        st.caption("本年度这一项没有被替换过的数据。")


def pick_item(f: Filters, items: pd.DataFrame) -> tuple[str, str, str | None, dict[str, str]]:
    """The settings of this page: 地区, 项目 and 指标 (None: the project's 资金), kept in the link.
    Returns (region, code, indicator, project labels by code)."""
    left, middle, right = st.columns(3)
    if f.region:
        region = f.region
        left.text_input("地区（左侧筛选）", value=region, disabled=True, key="lineage_region_shown")
    else:
        regions = sorted(items["region"].unique())
        region = left.selectbox("地区", regions, key="lineage_region", placeholder="请选择")
    own = items[items["region"] == region]
    projects = own.drop_duplicates("project_code")
    labels = dict(zip(projects["project_code"], project_labels(projects["project_code"],
                                                                 projects["project_name"]), strict=True))  # fmt: skip
    seed_from_link(list(labels))
    code = middle.selectbox(
        "项目", list(labels), format_func=labels.get, key="lineage_code", placeholder="请选择"
    )
    indicators = [*own.loc[own["project_code"] == code, "indicator"], FUNDING_CHOICE]
    if st.session_state.get("lineage_indicator") not in indicators:
        st.session_state["lineage_indicator"] = indicators[0]
    choice = right.selectbox("指标", indicators, key="lineage_indicator", placeholder="请选择")
    indicator = None if choice == FUNDING_CHOICE else choice
    write_link(code, indicator)
    return region, code, indicator, labels


def funding_lineage(f: Filters, region: str, code: str, label: str, stem: str) -> None:
    source = data.fetch("lineage_funding_source", f.year, f.month, region, code)
    show_source(f, source, md("{} · {} · 资金", region, label))
    if not source.empty:
        row = source.iloc[0]
        st.markdown(
            md("{}年{}月：计划投入 {}，到位 {}（到位率 {}），拨付 {}（拨付率 {}）", f.year, f.month,
               fmt_money_wan(row["budget"]), fmt_money_wan(row["arrived"]),
               fmt_percent(row["arrived_rate"]), fmt_money_wan(row["disbursed"]),
               fmt_percent(row["disbursed_rate"]))
        )  # fmt: skip
    history = data.fetch("lineage_funding_history", f.year, region, code)
    show_history(history, FUNDING_COLUMNS, stem)


def progress_lineage(
    f: Filters, region: str, code: str, label: str, indicator: str, stem: str
) -> None:
    source = data.fetch("lineage_source", f.year, f.month, region, code, indicator)
    show_source(f, source, md("{} · {} · {}", region, label, indicator))
    if not source.empty:
        st.markdown(md("{}", progress_sentence(f, source.iloc[0])))
    history = data.fetch("lineage_history", f.year, region, code, indicator)
    show_history(history, PROGRESS_COLUMNS, stem)


def main() -> None:
    f = layout.open_page("数据溯源", note="任一数字：来自哪个文件、哪张表、哪一行，何时由谁导入")
    items = data.fetch("lineage_items", f)
    if items.empty:
        layout.empty_state(md("{}年{}月当前筛选下没有进度数据可供溯源。", f.year, f.month))
        return
    region, code, indicator, labels = pick_item(f, items)
    stem = f"数据溯源_{region}_{code}_{indicator or '资金'}_{f.year}年"
    if indicator is None:
        funding_lineage(f, region, code, labels[code], stem)
    else:
        progress_lineage(f, region, code, labels[code], indicator, stem)
    st.caption(
        escape_markdown("导出的 CSV / Excel 含来源文件、工作表、行号、导入编号、导入时间和导入人。")
    )


main()
