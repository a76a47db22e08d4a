"""汇报模式 screens 4 and 5: 县区排名 and 部门排名 (see dashboard.present_screens)."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.present_parts import cells, no_data
from metrics.filters import Filters
from metrics.format import MISSING, fmt_rank_change, fmt_score, is_missing
from metrics.plain_text import escape_markdown, md, md_list
from metrics.ranking import SOURCE_SCORES

DEPARTMENT_ROWS_PER_COLUMN = 12  # up to 24 departments fit in two columns
BIG_TABLE_ROWS = 8  # counties up to this many get one table in extra-large type
MAX_NOTES = 6  # 加扣分 reasons beside the county table
RISE, FALL = "#1b7a2f", "#b3261e"  # rank change colours, dark enough for a projector


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


def screen_ranking(f: Filters, unit_type: str, *, full: bool):
    """The month's ranking of `unit_type` and its table for the screen; None (said on the
    screen) when there is neither a 考评 sheet nor a 进度指数 to rank by."""
    ranking = data.fetch("rankings", f.year, f.month, unit_type)
    if ranking.empty:
        no_data(f"{f.year}年{f.month}月没有{unit_type}的考评得分，也没有可计算进度指数的数据。")
        return None
    is_index = ranking.source != SOURCE_SCORES
    return ranking, ranking_table(ranking.frame, f.month, is_index=is_index, full=full)


def county_ranking(f: Filters) -> None:
    shown = screen_ranking(f, "县区", full=True)
    if shown is None:
        return
    ranking, table = shown
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
    shown = screen_ranking(f, "市直单位", full=False)
    if shown is None:
        return
    ranking, table = shown
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
