"""汇报模式 screen 6: 督办逾期 (see dashboard.present_screens)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.filters import describe
from dashboard.present_parts import NAME_CHARS, cells, no_data, shorten
from metrics.filters import Filters
from metrics.format import is_missing
from metrics.plain_text import md
from metrics.supervision import ledger_by_unit, overdue_items

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
