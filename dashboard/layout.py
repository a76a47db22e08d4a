"""Streamlit-side layout pieces shared by the pages: header, banners, empty states, tabs, tables
with downloads, file downloads; charts come from dashboard.chart_view (`layout.chart`).

Tables are described once as a list of `Col` (metrics column → Chinese header → kind); the same
description drives the on-screen formatting (st.dataframe column_config) and the CSV/.xlsx
downloads (metrics.export), so the screen and the file always show the same columns.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import activity_log, filters, paging
from dashboard.chart_view import cached_figures as cached_figures  # the pages draw through layout
from dashboard.chart_view import chart as chart
from dashboard.filters import describe
from metrics.config import NO_DEPARTMENT_LABEL, SEVERITY_COLOURS, SEVERITY_LABELS
from metrics.export import to_csv_bytes, to_xlsx_bytes
from metrics.filters import Filters
from metrics.format import MISSING, fmt_percent, fmt_rank_change, fmt_schedule_gap
from metrics.plain_text import escape_markdown, md
from metrics.supervision import COLOUR_HEX, STATUS_HEX

DEMO_BANNER = (
    "当前显示的是示例数据（示例市），仅供演示看板功能，并非真实月报。"
    "用 `python -m etl load 月报文件` 载入真实数据后，此提示即消失。"
)


@dataclass(frozen=True)
class Col:
    """One table column: the metrics frame's column, its Chinese header, and its kind.

    kind: text | percent (fraction) | points (百分点) | money (万元) | number | int | score |
    severity (黄/橙/红 chip) | flag (bool shown as 是/空) | change (名次变化 as ↑2 / ↓1) | adjustment (加扣分, signed) |
    colour (督办 红/蓝/黄 chip) | status (督办 status chip) | link (a relative URL, shown as the
    header's word; left out of downloads)
    """

    key: str
    header: str
    kind: str = "text"


def page_header(title: str, f: Filters, note: str | None = None) -> None:
    st.title(escape_markdown(title))
    tail = md(" · {}", note) if note else ""
    st.caption(md("截至{}年{}月底累计 · {}{}", f.year, f.month, describe(f), tail))


def open_page(title: str, note: str | None = None) -> Filters:
    """A page's settings: the sidebar's filters (dashboard.filters.current), under its header."""
    f = filters.current()
    page_header(title, f, note)
    return f


PAGES_CSS = Path(__file__).resolve().parent / "pages.css"


@functools.cache
def style_tag(path: Path) -> str:
    """A stylesheet of the app as a <style> element, read once per process."""
    return f"<style>{path.read_text(encoding='utf-8')}</style>"


def page_styles() -> None:
    """The normal pages' few style rules (dashboard/pages.css): KPI figures that fit their tile.

    Placed in the sidebar: an element added at the top of the main area would shift the page's
    elements, and on the way into 汇报模式 the old page's title would then linger beside the
    new one until the run ends."""
    with st.sidebar:
        st.html(style_tag(PAGES_CSS))


def schedule_tile(column, planned_rate: float | None, gap: float | None) -> None:
    """The 序时进度 tile: the planned share, and how far completion leads (green) or lags (red)."""
    column.metric(
        "序时进度",
        fmt_percent(planned_rate),
        fmt_schedule_gap(gap),
        delta_color="green" if gap is None or gap >= 0 else "red",
        delta_arrow="off",
        border=True,
    )


def demo_banner() -> None:
    st.info(DEMO_BANNER, icon=":material/science:")


def empty_state(sentence: str) -> None:
    """A plain sentence where a table or chart would be: never an empty frame or a traceback.
    The sentence may name regions or files: it shows as typed (see metrics.plain_text)."""
    st.info(escape_markdown(sentence), icon=":material/info:")


def tabs(labels: Sequence[str], *, key: str) -> list:
    """Tabs that run only the chosen tab's content (check `tab.open`): a page run stays fast
    however many tables and charts its other tabs hold. The chosen tab is st.session_state[key]
    and is kept in the link (?lagging_tab=按县区), so a shared link opens the same tab."""
    return st.tabs(list(labels), key=key, on_change="rerun", bind="query-params")


def tab_sections(sections: Mapping[str, Callable[[], None]], *, key: str) -> None:
    """Tabs by label, each drawn by its function; only the chosen tab's function runs."""
    for tab, show in zip(tabs(list(sections), key=key), sections.values(), strict=True):
        if tab.open:
            with tab:
                show()


# Files the pages offer besides tables (tables: download_buttons), by suffix.
MIME_TYPES = {
    "csv": "text/csv",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown",
    "png": "image/png",
}


def file_download(
    label: str,
    content: bytes | Callable[[], bytes],
    file_name: str,
    *,
    key: str,
    icon: str | None = None,
    primary: bool = False,
    where=None,
) -> None:
    """A download of a file the page made, in `where` (default: the page), recorded as 下载
    (审计记录). `content`: a function that makes the file when clicked, recorded then
    (activity_log.audited, as the tables' downloads) with no rerun; or bytes already made with
    the page, recorded by the click's callback."""
    deferred = callable(content)
    (where or st).download_button(
        escape_markdown(label),
        data=activity_log.audited(file_name, content) if deferred else content,
        file_name=file_name,
        mime=MIME_TYPES[file_name.rsplit(".", 1)[-1]],
        key=key,
        on_click="ignore" if deferred else activity_log.downloaded,
        args=None if deferred else (file_name,),
        icon=icon,
        type="primary" if primary else "secondary",
    )


def people_frame(frame: pd.DataFrame, columns: Sequence[Col]) -> pd.DataFrame:
    """The table as people read it: Chinese headers, percents ×100, flags as 是/空.

    This frame is what the screen shows and what CSV/.xlsx downloads contain. Not cached: the
    screen needs it for one page of rows, the downloads only when clicked.
    """
    out: dict[str, object] = {}  # one frame built at the end: setting columns one by one is slow
    for col in columns:
        values = frame[col.key] if col.key in frame else pd.Series(None, index=frame.index)
        if col.kind == "percent":
            values = (pd.to_numeric(values, errors="coerce") * 100).round(1)
        elif col.kind == "flag":
            values = values.map(lambda v: "是" if v is True or v == 1 else "")
        elif col.kind in ("points", "money", "number"):
            values = pd.to_numeric(values, errors="coerce").round(2 if col.kind == "number" else 1)
        elif col.kind in ("score", "adjustment"):
            values = pd.to_numeric(values, errors="coerce").round(3)
        elif col.kind == "int":
            values = pd.to_numeric(values, errors="coerce").round().astype("Int64")
        elif col.kind == "change":
            # NA (no rank last month) → —; fmt_rank_change itself does not accept pd.NA
            values = values.map(lambda v: MISSING if pd.isna(v) else fmt_rank_change(v))
        elif col.kind == "text":
            values = values.astype("object").where(values.notna(), "")
        out[col.header] = values.reset_index(drop=True)
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)))


def _plain_number(value: float) -> str:
    """A quantity as people write it: 2,493 / 12.5 / 0.25 (at most 2 decimals)."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


# On-screen text of each numeric kind; a missing value shows as an em dash, not "None".
CELL_FORMATS = {
    "percent": "{:.1f}%".format,
    "points": "{:,.1f}".format,
    "money": "{:,.1f}".format,
    "number": _plain_number,
    "score": "{:.3f}".format,
    "adjustment": lambda v: "" if v == 0 else f"{v:+g}",  # +0.05 / -0.05; none left blank
    "int": "{:d}".format,
}

# The same text drawn by the grid itself (printf of sprintf-js; "localized": at most three
# decimals, and the values are rounded to two), so number cells stay numbers that sort as
# numbers and no pandas Styler is built on every run: the Styler was a fifth of a table
# page's script time. Kinds missing here (adjustment) are always sent as text.
GRID_FORMATS = {
    "percent": "%.1f%%",
    "points": "%,.1f",
    "money": "%,.1f",
    "number": "localized",
    "score": "%.3f",
    "int": "%d",
}


# Chip columns, by kind: label → colour, in the order the chips are offered (滞后程度 黄/橙/红,
# 督办台账's 三色 and its statuses).
CHIP_COLOURS: dict[str, dict[str, str]] = {
    "severity": {label: SEVERITY_COLOURS[label] for label in SEVERITY_LABELS},
    "colour": COLOUR_HEX,
    "status": STATUS_HEX,
}


def _column_config(columns: Sequence[Col], text_cells: set[str]) -> dict[str, object]:
    """Labels, chips for severity, and the text of numbers (GRID_FORMATS): numbers keep their
    type, so they sort as numbers. `text_cells`: number columns shown as text."""
    config: dict[str, object] = {}
    cc = st.column_config
    for col in columns:
        if col.kind in CHIP_COLOURS:
            labels = CHIP_COLOURS[col.kind]
            config[col.header] = cc.MultiselectColumn(
                col.header, options=list(labels), color=list(labels.values()), width="small"
            )
        elif col.kind in CELL_FORMATS and col.header in text_cells:
            config[col.header] = cc.TextColumn(col.header, alignment="right")
        elif col.kind in GRID_FORMATS:
            config[col.header] = cc.NumberColumn(col.header, format=GRID_FORMATS[col.kind])
        elif col.kind == "link":
            config[col.header] = cc.LinkColumn(col.header, display_text=col.header, width="small")
        else:
            config[col.header] = cc.TextColumn(col.header)
    return config


def _table_height(n_rows: int, *, row_px: int = 35, max_rows: int = 15) -> int | str:
    """Tall enough for every row up to `max_rows`, then scroll; no empty grid below the data."""
    return "auto" if n_rows <= max_rows else row_px * (max_rows + 1) + 3


def _screen_frame(shown: pd.DataFrame, columns: Sequence[Col]) -> tuple[pd.DataFrame, set[str]]:
    """The frame as drawn, and the number columns turned into text.

    The grid draws a missing number as "None", so a number column with gaps (a county without
    the project), or of a kind the grid cannot format (GRID_FORMATS), is shown as formatted
    text with "—".
    """
    screen = shown.copy()
    text_cells: set[str] = set()
    for col in columns:
        values = screen[col.header]
        if col.kind in CHIP_COLOURS:
            # MultiselectColumn draws coloured chips from list cells.
            screen[col.header] = values.map(lambda s: [s] if isinstance(s, str) else [])
        elif col.kind in CELL_FORMATS and (col.kind not in GRID_FORMATS or values.isna().any()):
            fmt = CELL_FORMATS[col.kind]
            screen[col.header] = values.map(lambda v, fmt=fmt: MISSING if pd.isna(v) else fmt(v))
            text_cells.add(col.header)
    return screen, text_cells


def data_table(
    frame: pd.DataFrame,
    columns: Sequence[Col],
    *,
    key: str,
    file_stem: str,
    height: int | None = None,
    empty_sentence: str = "没有符合当前筛选条件的数据。",
    order_note: str | None = None,
    all_rows: Callable[[], pd.DataFrame] | None = None,
    links: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
    on_pick: Callable[[pd.Series], None] | None = None,
) -> None:
    """Show a formatted table with CSV and .xlsx downloads of all its rows; a sentence when it
    has no rows. A long table shows a search box and one page at a time (dashboard.paging):
    only the rows on screen are formatted, and a 排序 menu orders every row, the downloads'
    too. `order_note` says how the rows are ordered (the menu's 默认).

    `all_rows`: fetches `frame` again when a download is clicked. The download waits in the
    session until then; a session should hold a fetch, not its own copy of a big frame.
    `links`: adds the "link" columns (e.g. 溯源) to the rows on screen; downloads leave them out.
    `on_pick`: rows can be picked (a tick at the row's start); called with the picked row of
    `frame`, under the table (e.g. its source, 数据溯源).
    """
    if frame is None or len(frame) == 0:
        empty_state(empty_sentence)
        return
    columns = tuple(columns)
    # The keyed container lets tests (and CSS) find this table: a display dataframe has no key.
    with st.container(key=f"table_{key}"):
        part, in_order = paging.paged(frame, columns, key=key, order_note=order_note)
        shown = people_frame(links(part) if links else part, columns)
        screen, text_cells = _screen_frame(shown, columns)
        picking = {"key": f"grid_{key}", "on_select": "rerun", "selection_mode": "single-row"}
        event = st.dataframe(
            screen,
            column_config=_column_config(columns, text_cells),
            hide_index=True,
            width="stretch",
            height=height or _table_height(len(shown)),
            **(picking if on_pick else {}),
        )
        money = {c.header for c in columns if c.kind == "money"}
        percent = {c.header for c in columns if c.kind == "percent"}
        picked = event.selection.rows if on_pick else []
        if picked and picked[0] < len(part):
            on_pick(part.iloc[picked[0]])
        fetch = all_rows or (lambda frame=frame: frame)
        in_files = tuple(c for c in columns if c.kind != "link")
        download_buttons(
            lambda: people_frame(in_order(fetch()), in_files), key=key, file_stem=file_stem,
            money_headers=money, percent_headers=percent,
        )  # fmt: skip


def group_drilldown(
    items: pd.DataFrame,
    summary: pd.DataFrame,
    *,
    by: str,
    summary_columns: Sequence[Col],
    item_columns: Sequence[Col],
    pick_label: str,
    stem: str,
    key_prefix: str = "",
    names: Sequence[str] | None = None,
    summary_order: str | None = None,
    item_order: str | None = None,
) -> None:
    """A count table per group (县区 or 责任单位), then the chosen group's items. `names`: the
    groups offered (default: every row of `summary`, in its order, worst first). The orders
    are said in the captions of long tables (see data_table)."""
    data_table(summary, summary_columns, key=f"{key_prefix}by_{by}", file_stem=f"{stem}汇总",
               order_note=summary_order)  # fmt: skip
    names = list(summary[by]) if names is None else list(names)
    if not names:
        return
    key = f"{key_prefix}pick_{by}"
    if st.session_state.get(key) not in names:
        st.session_state[key] = names[0]
    name = st.selectbox(escape_markdown(pick_label), names, key=key, placeholder="请选择")
    own = items[items[by].fillna(NO_DEPARTMENT_LABEL) == name]
    shown = [c for c in item_columns if c.key != by]
    data_table(own, shown, key=f"{key_prefix}{by}_items", file_stem=f"{stem}_{name}",
               order_note=item_order)  # fmt: skip


def download_buttons(
    rows: Callable[[], pd.DataFrame],
    *,
    key: str,
    file_stem: str,
    money_headers: set[str] | None = None,
    percent_headers: set[str] | None = None,
) -> None:
    """CSV (UTF-8 with BOM, formula-safe, codes such as 12-1 kept as text) and .xlsx of the
    whole table (every page), with the screen's columns. `rows()` and the bytes are built only
    when clicked (deferred data), so a page run stays fast. These are the table's only download:
    the grid's own CSV button is switched off (.streamlit/config.toml) and its toolbar hidden
    (dashboard/pages.css).
    """
    row = st.container(horizontal=True, gap="small")
    row.download_button(
        "下载 CSV",
        data=activity_log.audited(f"{file_stem}.csv", lambda: to_csv_bytes(rows())),
        file_name=f"{file_stem}.csv",
        mime="text/csv",
        key=f"csv_{key}",
        on_click="ignore",
        icon=":material/download:",
    )
    row.download_button(
        "下载 Excel",
        # Percents are already ×100 in the table: they get 0.0"%" (a sign), not 0.0% (×100).
        data=activity_log.audited(
            f"{file_stem}.xlsx",
            lambda: to_xlsx_bytes(
                rows(),
                sheet_name=file_stem,
                shown_percent_columns=percent_headers or set(),
                money_columns=money_headers or set(),
            ),
        ),
        file_name=f"{file_stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"xlsx_{key}",
        on_click="ignore",
        icon=":material/table:",
    )
