"""What every screen of 汇报模式 (dashboard.present_screens) is made of: charts sized for a
1920×1080 projector, the headline figure cards, the "no data" sentence, and table cells."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from metrics.format import is_missing
from metrics.plain_text import escape_markdown, md

NAME_CHARS = 16  # indicator names longer than this are cut with "…" (rare)
PROJECTOR_FONT = 22  # chart text size (px) on a 1920-wide screen
CHART_HEIGHT = 620  # px left for a chart under the header and the headline figures, with margin
SINCE_LAST_MONTH = "较上月"


def projector_figure(fig: go.Figure, *, height: int = CHART_HEIGHT) -> go.Figure:
    """The same chart with text sized for the back of the room and a fixed height."""
    big = go.Figure(fig)
    title = big.layout.title.text
    big.update_layout(
        height=height,
        font={"size": PROJECTOR_FONT, "color": "#111111"},
        legend={"font": {"size": PROJECTOR_FONT}},
        margin={"l": 20, "r": 40, "t": 90 if title else 60, "b": 50},
    )
    if title:
        big.update_layout(title={"font": {"size": PROJECTOR_FONT + 6}})
    big.update_xaxes(tickfont={"size": PROJECTOR_FONT}, title_font={"size": PROJECTOR_FONT})
    big.update_yaxes(
        tickfont={"size": PROJECTOR_FONT}, title_font={"size": PROJECTOR_FONT}, automargin=True
    )
    big.update_traces(textfont={"size": PROJECTOR_FONT - 2}, selector={"type": "bar"})
    # the rate charts' figures (dashboard.charts._rate_labels)
    big.update_traces(textfont={"size": PROJECTOR_FONT - 2}, selector={"mode": "markers+text"})
    big.update_traces(line={"width": 5}, marker={"size": 12}, selector={"mode": "lines+markers"})
    big.update_traces(line={"width": 3}, selector={"mode": "lines"})
    return big


def show_chart(fig: go.Figure, key: str, *, height: int = CHART_HEIGHT) -> None:
    st.plotly_chart(
        projector_figure(fig, height=height),
        width="stretch",
        key=f"present_chart_{key}",
        theme=None,  # keep the large fonts and calm colours set above
        config={"displayModeBar": False, "staticPlot": True},
    )


def no_data(sentence: str) -> None:
    st.markdown(md("### {}", sentence))


def card(column, label: str, value: object, change: str | None = None, **kwargs) -> None:
    """A headline figure; `change` is the change since last month (sign first)."""
    column.metric(
        escape_markdown(label),
        value,
        change,
        delta_description=SINCE_LAST_MONTH if change is not None else None,
        border=True,
        **kwargs,
    )


def cells(values) -> list[str]:
    """Names for an st.table, which renders Markdown in its cells: shown as typed."""
    return [escape_markdown(v) for v in values]


def shorten(text: object, limit: int) -> str:
    """A name cut to `limit` characters with "…", so a table row stays one line."""
    text = "" if is_missing(text) else str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
