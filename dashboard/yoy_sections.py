"""同比 sections for 总览, 资金 and 排名 (metrics.yoy): this month against the same month of last
year over the projects both years report, the count compared said on the page, the new and dropped
projects in an expander. With no last year, one plain sentence."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, layout
from dashboard.columns import columns
from metrics.filters import Filters
from metrics.format import fmt_money_wan, fmt_percent, fmt_points_change, is_missing
from metrics.plain_text import md

OVERVIEW_FIGURES = ("completion_rate", "arrived_rate", "disbursed_rate", "budget", "disbursed")
FUNDING_FIGURES = ("budget", "arrived", "disbursed", "arrived_rate", "disbursed_rate")
RANK_COLUMNS = columns("unit_name", "rank_this_year", "rank_last_year", "rank_change",
                       "completion_this_year", "completion_last_year", "completion_change",
                       "n_compared")  # fmt: skip


def growth_text(growth: float | None) -> str | None:
    """同比增长 of an amount: 0.095 → '+9.5%' (the card's delta; None when not comparable).
    The sign leads, so the card's arrow points the right way."""
    return None if is_missing(growth) else f"{float(growth) * 100:+.1f}%"


def card_texts(row: pd.Series) -> tuple[str, str | None, str]:
    """(value, 同比 delta, help) of one figure: a rate in points, an amount as growth."""
    if row["kind"] == "rate":
        shown, last = fmt_percent(row["this_year"]), fmt_percent(row["last_year"])
        return shown, fmt_points_change(row["change"]), f"去年同月：{last}"
    shown, last = fmt_money_wan(row["this_year"]), fmt_money_wan(row["last_year"])
    return shown, growth_text(row["growth"]), f"去年同月：{last}；箭头为同比增长"


def _card(column, row: pd.Series) -> None:
    value, delta, help_text = card_texts(row)
    column.metric(
        md("{}", row["label"]),
        md("{}", value),
        None if delta is None else md("{}", delta),
        help=md("{}", help_text),
        border=True,
    )


def _project_list(frame: pd.DataFrame) -> str:
    return "、".join(
        f"{c} {n}" for c, n in zip(frame["project_code"], frame["project_name"], strict=True)
    )


def _yoy(f: Filters, figures: tuple[str, ...]) -> None:
    yoy = data.fetch("yoy_overview", f)
    last = f.year - 1
    if not yoy.has_last_year:
        st.caption(md("{}年{}月没有已导入的数据，暂不能同比。", last, f.month))
        return
    n_new, n_dropped = len(yoy.new), len(yoy.dropped)
    if yoy.compared.empty:
        st.caption(
            md("{}年{}月与{}年{}月没有编号相同的项目，无法同比。", f.year, f.month, last, f.month)
        )
    else:
        shown = yoy.figures.set_index("figure").loc[list(figures)].reset_index()
        for column, (_, row) in zip(st.columns(len(figures)), shown.iterrows(), strict=True):
            _card(column, row)
        st.caption(
            md("同比（与{}年{}月比）只比较两年都有的 {} 个项目（项目编号相同）；今年新增 {} 个、"
               "去年有而今年没有 {} 个，均未计入。", last, f.month, len(yoy.compared), n_new, n_dropped)
        )  # fmt: skip
    if n_new or n_dropped:
        with st.expander(
            md("新增与不再列入的项目（新增 {} 个，不再列入 {} 个）", n_new, n_dropped)
        ):
            if n_new:
                st.markdown(md("**今年新增**：{}", _project_list(yoy.new)))
            if n_dropped:
                st.markdown(md("**去年有、今年没有**：{}", _project_list(yoy.dropped)))


def overview_yoy(f: Filters) -> None:
    """总览's 同比: completion, 到位率, 拨付率, budget and disbursed against last year."""
    st.subheader("同比")
    _yoy(f, OVERVIEW_FIGURES)


def funding_yoy(f: Filters) -> None:
    """资金's 同比: the amounts and both rates against last year (call from pages/funding.py)."""
    st.subheader("资金同比")
    _yoy(f, FUNDING_FIGURES)


def ranking_yoy(f: Filters, unit_type: str, key: str) -> None:
    """排名's 同比: each unit's rank and completion against the same month of last year."""
    # Tracked and rerun when opened: a closed expander's table is not built on every run.
    opened = st.expander(
        md("与{}年{}月同比（名次与完成率）", f.year - 1, f.month),
        key=f"yoy_open_{key}", on_change="rerun",
    )  # fmt: skip
    if not opened.open:
        return
    with opened:
        frame = data.fetch("yoy_ranks", f.year, f.month, unit_type)
        if frame["rank_last_year"].isna().all() and frame["completion_last_year"].isna().all():
            st.caption(
                md("{}年{}月没有{}的排名或进度数据，暂不能同比。", f.year - 1, f.month, unit_type)
            )
            return
        st.caption(
            "完成率只计两年都有的项目（项目编号相同）的指标，每项最多计100%。名次变化：↑ 为上升。"
        )
        layout.data_table(
            frame, RANK_COLUMNS, key=f"yoy_ranks_{key}",
            file_stem=f"{unit_type}排名同比_{f.year}年{f.month}月",
        )  # fmt: skip
