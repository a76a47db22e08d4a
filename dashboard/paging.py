"""Long lists as a person reads them. A table: a search box, a 排序 menu that orders every row
(dashboard.sorting), pages of PAGE_ROWS rows, a caption saying how many rows there are, which
are shown and in what order; only the page is formatted and sent to the browser (a province
滞后清单 has thousands of rows, a national one ninety thousand, and styling every cell each run
is what made the page slow and, past 262,144 cells, fail). A bar chart: its worst CHART_ROWS
rows. A copy box: its first COPY_LINES lines, the rest as a download.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import pandas as pd
import streamlit as st

from dashboard.sorting import Column, Order, orders, sort_frame
from metrics.plain_text import escape_markdown, md

PAGE_ROWS = 100  # rows on one page: a screenful or two, cheap to format
# A table's search words, order and page are kept in the link (bind="query-params"), so a copied
# link reopens the same rows; the sidebar keeps these parameters when it rewrites the link.
LINK_PREFIXES = ("search_", "sort_", "page_")


def search_mask(frame: pd.DataFrame, keys: Sequence[str], words: str) -> pd.Series:
    """Rows where every word (split on spaces) appears in one of the text columns `keys`."""
    mask = pd.Series(True, index=frame.index)
    texts = [frame[k].astype("string").fillna("") for k in keys if k in frame]
    for word in words.split():
        hit = pd.Series(False, index=frame.index)
        for text in texts:
            hit |= text.str.contains(word, regex=False)
        mask &= hit
    return mask


def _clamp_page(key: str, n_pages: int, view: tuple[str, str]) -> None:
    # Before the widget exists: a new search or order starts on its first page, and a narrower
    # search must not leave the old page past the end. The first run keeps the link's page.
    page = st.session_state.get(key, 1)
    seen = st.session_state.get(f"{key}_view")
    st.session_state[f"{key}_view"] = view
    if seen not in (None, view) or not isinstance(page, int) or not 1 <= page <= n_pages:
        st.session_state[key] = 1


class Page(NamedTuple):
    """What a long table shows now, and how its downloads order every row."""

    rows: pd.DataFrame
    order: Callable[[pd.DataFrame], pd.DataFrame]


def _unchanged(frame: pd.DataFrame) -> pd.DataFrame:
    return frame


def paged(
    frame: pd.DataFrame,
    columns: Sequence[Column],
    *,
    key: str,
    order_note: str | None = None,
    page_rows: int = PAGE_ROWS,
) -> Page:
    """The rows of `frame` to show now: a search box over its text columns and a 排序 menu
    (dashboard.sorting) that orders every row, then one page. Frames of at most `page_rows`
    rows are returned whole, with none of these (the grid's header sorts all their rows)."""
    total = len(frame)
    if total <= page_rows:
        return Page(frame, _unchanged)
    text_keys = [c.key for c in columns if c.kind == "text"]
    row = st.container(horizontal=True, gap="small", vertical_alignment="bottom")
    words = row.text_input(
        "搜索",
        key=f"search_{key}",
        placeholder="输入地区、项目或指标名称中的字词",
        width=320,
        bind="query-params",
    ).strip()
    offered = {order.label: order for order in orders(columns, order_note)}
    label = row.selectbox("排序", list(offered), key=f"sort_{key}", width=240,
                          placeholder="请选择", bind="query-params")  # fmt: skip
    order: Order = offered.get(label, next(iter(offered.values())))
    found = frame[search_mask(frame, text_keys, words)] if words else frame
    n_pages = max(1, -(-len(found) // page_rows))
    _clamp_page(f"page_{key}", n_pages, (words, order.label))
    page = int(row.number_input(
        md("页码（共{}页）", n_pages), min_value=1, max_value=n_pages, step=1,
        key=f"page_{key}", width=160, bind="query-params",
    ))  # fmt: skip
    first = (page - 1) * page_rows
    # The screen sorts the found rows only (fewer); the downloads sort every row the same way.
    part = sort_frame(found, order, columns).iloc[first : first + page_rows]
    # The caption quotes the search words as typed: shown as text, never as markdown.
    st.caption(escape_markdown(_caption(total, len(found), words, first, len(part), order.note)))
    return Page(part, lambda rows: sort_frame(rows, order, columns))


def _caption(total: int, n_found: int, words: str, first: int, n_part: int, order: str | None):
    head = f"共 {total:,} 行"
    if words:
        head += md("，含“{}”的 {} 行", words, f"{n_found:,}")
    if not n_part:
        return head + "；没有符合搜索的行。下载按钮给出全部行。"
    order_text = f"（{order}）" if order else ""
    return (
        f"{head}；本页显示第 {first + 1:,}–{first + n_part:,} 行{order_text}。"
        "点列名只排本页；下载按此顺序给出全部行。"
    )


CHART_ROWS = 40  # bars a chart can show legibly; a longer list is for the table below it


def chart_rows(frame: pd.DataFrame, *, by: str, ascending: bool, what: str, noun: str):
    """At most CHART_ROWS rows for a bar chart, the first by `by` (worst first), with a caption
    saying so; the whole list stays in the table under the chart. `what` names the order
    (拨付占计划最低), `noun` counts the rows (个县区)."""
    if len(frame) <= CHART_ROWS:
        return frame
    st.caption(md("共{}{}，图中只画{}的{}{}；全部见下表（可搜索、可下载）。",
                  f"{len(frame):,}", noun, what, CHART_ROWS, noun))  # fmt: skip
    return frame.sort_values(by, ascending=ascending, na_position="last", kind="stable").head(
        CHART_ROWS
    )


COPY_LINES = 120  # lines in a copy box: a province's counties all, a nation's worst only


def copy_lines(lines: Sequence[str], *, file_stem: str, key: str, noun: str) -> None:
    """Lines to copy (one per county, worst first) in a box with a copy button; past COPY_LINES
    (a nation's counties) the box keeps the first ones and the whole text is a download."""
    if len(lines) > COPY_LINES:
        st.caption(md("共{}{}，下框只列前{}{}（最严重的在前）；全部请下载。",
                      f"{len(lines):,}", noun, COPY_LINES, noun))  # fmt: skip
        from dashboard.activity_log import audited  # it imports auth, which imports this module

        st.download_button(
            "下载全部（.txt）",
            data=audited(f"{file_stem}.txt", lambda: "\n".join(lines).encode("utf-8")),
            file_name=f"{file_stem}.txt",
            mime="text/plain",
            key=key,
            on_click="ignore",
            icon=":material/download:",
        )
    st.code("\n".join(lines[:COPY_LINES]), language=None, wrap_lines=True)
