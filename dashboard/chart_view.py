"""A chart on a page: the plotly figure with its 下载图片 menu, and the figure cache that every
session shares (building figures is most of a chart page's run)."""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go
import streamlit as st

from dashboard import data, picture, plotly_locale
from metrics.plain_text import escape_markdown

FIGURE_ENTRIES = 64  # figure sets kept: a few pages × the filter states in use


@st.cache_resource(ttl=600, max_entries=FIGURE_ENTRIES, show_spinner=False)
def _figures(
    name: str, path: str, version: object, args: tuple, scope: object, _build: Callable
) -> object:
    # `scope` (the session's reach) is part of the key: a county's figures are built from its
    # own rows and are never handed to another reach, nor the whole city's to a county.
    return _build(*args)


def cached_figures(build: Callable[..., object], *args: object) -> object:
    """build(*args) once per data version and arguments (a filter state), shared by every
    session: building plotly figures is most of a chart page's run, and a figure is only read
    when drawn. `build` fetches its own data (dashboard.data) from the hashable `args`."""
    from dashboard.auth import current_reach  # auth imports this module's callers

    wh = data.warehouse()
    return _figures(f"{build.__module__}.{build.__qualname__}", str(wh.path), wh.version(), args,
                    current_reach(), build)  # fmt: skip


CHART_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    **plotly_locale.CONFIG,  # the toolbar's tooltips in Chinese
}


def chart(fig: go.Figure, *, key: str, file_stem: str | None = None) -> None:
    """A chart, with a 下载图片 menu: PNG for the projector (1920×1080) and for print.
    Streamlit's own 全屏 button on the toolbar is English-only and hidden (dashboard/pages.css)."""
    st.plotly_chart(fig, width="stretch", key=f"chart_{key}", config=CHART_CONFIG)
    picture_downloads(fig, key=key, file_stem=file_stem)


def _chart_name(fig: go.Figure, key: str) -> str:
    title = fig.layout.title.text if fig.layout.title else None
    return str(title).strip() if title and str(title).strip() else f"图表_{key}"


def picture_downloads(fig: go.Figure, *, key: str, file_stem: str | None = None) -> None:
    """The chart as PNG pictures, rendered only when a button is clicked (deferred data):
    rendering takes 0.5–3 s, far too slow for every page run."""
    if not picture.can_render():
        return  # no Chromium on this server: no buttons that could only fail
    from dashboard.activity_log import audited  # it imports auth, which imports page helpers

    stem = file_stem or _chart_name(fig, key)
    menu = st.popover("下载图片", icon=":material/image:", key=f"picture_{key}", on_change="rerun")
    if not menu.open:
        return  # the buttons are made only when the menu is opened, not on every run
    with menu:
        for size in picture.SIZES:
            name = f"{stem}_{size.suffix}.png"
            st.download_button(
                escape_markdown(size.label),
                # recorded as 下载 when the picture is made, as every other download is
                data=audited(name, lambda size=size: picture.chart_png(fig, size)),
                file_name=name,
                mime="image/png",
                key=f"png_{size.suffix}_{key}",
                on_click="ignore",
                icon=":material/download:",
            )
        st.caption("图片含中文标签；生成约需数秒。")
