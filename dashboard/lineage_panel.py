"""The source of one picked item (数据溯源), under the table it was picked in: file, sheet, row,
load and loader, and a link to its month-by-month history on the 数据溯源 page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data
from metrics.filters import Filters
from metrics.format import fmt_datetime
from metrics.plain_text import md


def source_line(source: pd.DataFrame) -> str:
    """来源：《file》 · 工作表“sheet” · 第 N 行 (plain text; the caller escapes it)."""
    row = source.iloc[0]
    sheet = row["source_sheet"] if isinstance(row["source_sheet"], str) else "-"
    line = "-" if pd.isna(row["source_row"]) else int(row["source_row"])
    return f"来源：《{row['source_file']}》 · 工作表“{sheet}” · 第 {line} 行"


def source_lines(source: pd.DataFrame) -> None:
    """The figure's file, sheet and row, and under it its load: number, time, loader."""
    loaded = source.iloc[0]
    st.markdown(md("{}", source_line(source)))
    st.caption(md("导入编号 {} · {} · {}导入", int(loaded["load_id"]),
                  fmt_datetime(loaded["loaded_at"]), loaded["loaded_by"]))  # fmt: skip


def picked_item(f: Filters, row: pd.Series) -> None:
    """The box under a table of region × indicator items when one row is ticked."""
    region, code, indicator = row["region"], str(row["project_code"]), row["indicator"]
    source = data.fetch("lineage_source", f.year, f.month, region, code, indicator)
    with st.container(border=True, key="picked_source"):
        st.markdown(md("**所选：{} · {} · {}**", region, row.get("project_name", code), indicator))
        if source.empty:
            st.caption("本月没有这一项的当前数据。")
            return
        source_lines(source)
        st.page_link(
            "pages/lineage.py",
            label="查看逐月来源与替换记录（数据溯源）",
            icon=":material/manage_search:",
            query_params={"year": f.year, "month": f.month, "region": region, "code": code,
                          "indicator": indicator},
        )  # fmt: skip
