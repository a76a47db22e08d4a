"""Plotly figure builders for the dashboard pages (no streamlit here: pure data → go.Figure).

Every builder takes figures the metrics layer already computed (rates as fractions, money in
万元) and only lays them out. Colours are calm and readable on a projector; labels are Chinese.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from metrics.config import SEVERITY_COLOURS, SEVERITY_LABELS
from metrics.format import WAN_PER_YI
from metrics.lagging import severity
from metrics.plain_text import chart_label, chart_labels

FONT_FAMILY = '"WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif'

# Calm palette: a steady blue for "on schedule", a muted brick for "behind", greys for context.
ON_TRACK = "#4E79A7"
BEHIND = "#D4725A"
SCHEDULE = "#2F3B45"
BUDGET = "#BFC9D3"
ARRIVED = "#6C9BC8"
DISBURSED = "#2E5C8A"
SECOND = "#8CB369"
GRID = "#E6EAEE"

YI_THRESHOLD = 10_000.0  # amounts from 1 亿元 up read better in 亿元
TALL_ROWS = 15  # bar charts with more rows than this put their value axis on top


def frame_layout(*, title: dict | None, height: int, margin: dict, legend: dict) -> dict:
    """The page charts' common frame: font, white ground, a horizontal legend without a title.
    `legend`: where it sits (x, y, xanchor)."""
    return {
        "title": title,
        "font": {"family": FONT_FAMILY, "size": 14, "color": "#2B2B2B"},
        "height": height,
        "margin": margin,
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "legend": {"orientation": "h", "yanchor": "bottom", "title": None, **legend},
        "hoverlabel": {"font": {"family": FONT_FAMILY}},
    }


def rate_line(
    fig: go.Figure,
    x,
    y,
    *,
    name: str,
    hover: str,
    colour: str,
    width: int = 2,
    mode: str = "lines",
    dash: str | None = None,
    marker: dict | None = None,
) -> None:
    """One line of rates by month (序时进度, 完成率, a projection): plotly's scatter, named."""
    line = {"color": colour, "width": width} | ({"dash": dash} if dash else {})
    fig.add_scatter(x=x, y=y, mode=mode, name=name, line=line, marker=marker, hovertemplate=hover)


def _style(fig: go.Figure, *, title: str | None, height: int) -> go.Figure:
    fig.update_layout(
        **frame_layout(
            title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 18}}
            if title
            else None,
            height=height,
            margin={"l": 10, "r": 20, "t": 60 if title else 30, "b": 40},
            # With a title (left), the legend goes to the right so the two never overlap.
            legend={"y": 1.01, "x": 1 if title else 0, "xanchor": "right" if title else "left"},
        ),
        bargap=0.3,
    )
    fig.update_xaxes(gridcolor=GRID, zerolinecolor="#C8CED4", tickfont={"size": 13})
    fig.update_yaxes(gridcolor=GRID, zerolinecolor="#C8CED4", tickfont={"size": 14})
    return fig


def _bar_layout(fig: go.Figure, *, title: str | None, n_rows: int, per_row: int = 34) -> go.Figure:
    """Height from the row count; a tall chart reads its scale at the top, by the legend."""
    height = _bar_height(n_rows, per_row)
    _style(fig, title=title, height=height)
    # A fixed category range: autorange would pad for the tall schedule markers.
    fig.update_yaxes(range=[-0.6, n_rows - 0.4])
    if n_rows > TALL_ROWS:
        top = 100 if title else 70
        fig.update_xaxes(side="top")
        fig.update_layout(margin={"t": top, "b": 20}, legend={"y": 1 + 34 / (height - top - 20)})
    return fig


def _bar_height(n_rows: int, per_row: int = 34, minimum: int = 260) -> int:
    return max(minimum, 110 + per_row * n_rows)


def _rate_axis_max(*series: pd.Series) -> float:
    """Upper end of a rate axis: at least 100%, at most 200% so one 830% item does not
    squash every other bar (its own label still says 830%)."""
    values = [float(v) for s in series for v in pd.Series(s).dropna()]
    top = max([1.0, *values])
    return min(top, 2.0) * 1.08


def money_unit(values: Sequence[float] | pd.Series) -> tuple[str, float]:
    """(unit label, divisor) for amounts in 万元: 亿元 where the largest reaches 1 亿元."""
    series = pd.Series(values, dtype="float64").dropna()
    largest = float(series.abs().max()) if len(series) else 0.0
    return ("亿元", WAN_PER_YI) if largest >= YI_THRESHOLD else ("万元", 1.0)


def _add_schedule_markers(
    fig: go.Figure, data: pd.DataFrame, *, label: str, planned: str, size: int
) -> None:
    """A vertical tick (序时进度) on each row of a horizontal bar chart."""
    fig.add_scatter(
        y=chart_labels(data[label]),
        x=data[planned],
        mode="markers",
        name="序时进度",
        marker={"symbol": "line-ns", "size": size, "line": {"width": 3, "color": SCHEDULE}},
        hovertemplate="%{y}<br>序时进度 %{x:.1%}<extra></extra>",
    )


def _rate_bars(
    fig: go.Figure, data: pd.DataFrame, column: str, *, label: str, name: str, colour, **style
) -> None:
    """Horizontal bars of one rate; their figures are a separate trace (`_rate_labels`)."""
    fig.add_bar(
        y=chart_labels(data[label]), x=data[column], orientation="h", name=name,
        marker_color=colour, hovertemplate="%{y}<br>" + name + " %{x:.1%}<extra></extra>", **style,
    )  # fmt: skip


# A white outline beside each figure's strokes: where the figure crosses a 序时进度 tick, the tick
# gives way. Sideways only: the neighbouring bars of a group are a pixel or two above and below.
LABEL_HALO = ", ".join(f"{x}px 0 1px white" for x in (-2, -1, 1, 2))


def _rate_labels(
    fig: go.Figure,
    data: pd.DataFrame,
    column: str,
    *,
    label: str,
    name: str,
    top: float,
    missing: str,
    colour: str | list[str] = SCHEDULE,
    **style,
) -> None:
    """Each bar's figure beside its end (`missing` at 0 where none), as a text trace added
    after the 序时进度 ticks: plotly draws a bar's own text under every scatter trace, so a tick
    at a short bar's end hid its figure. A figure past the axis end (`top`) sits inside the
    bar's cut end."""
    values = data[column]
    past = [pd.notna(v) and v > top for v in values]
    fig.add_scatter(
        y=chart_labels(data[label]), x=[min(v, top) if pd.notna(v) else 0 for v in values],
        mode="markers+text", text=[f"{v:.1%}" if pd.notna(v) else missing for v in values],
        # an invisible marker: its radius is the gap between the bar's end and the figure
        marker={"size": 8, "color": "rgba(0,0,0,0)"},
        textposition=["middle left" if p else "middle right" for p in past],
        textfont={"color": colour, "shadow": LABEL_HALO}, cliponaxis=False,
        name=f"{name}数值", hoverinfo="skip", showlegend=False, **style,
    )  # fmt: skip


def completion_vs_schedule(
    frame: pd.DataFrame, *, label: str, title: str | None = None
) -> go.Figure:
    """Horizontal bars of 完成率 (completion_rate) with a vertical schedule marker (序时进度,
    planned_rate) on each bar.

    Bars whose is_lagging (the metrics layer's 滞后 verdict) is true are drawn in their
    severity's colour (黄/橙/红 by the points behind, as on the 滞后 page); rows keep the frame's
    order from the top down.
    """
    rate, planned, rate_name = "completion_rate", "planned_rate", "完成率"
    data = frame.iloc[::-1]  # plotly draws the first category at the bottom
    behind = data["is_lagging"].fillna(False).astype(bool)
    gaps = ((data[planned] - data[rate].fillna(0)) * 100).clip(lower=0).fillna(0)
    levels = [severity(g) if b else None for g, b in zip(gaps, behind, strict=True)]
    colours = [SEVERITY_COLOURS[level] if level else ON_TRACK for level in levels]
    top = _rate_axis_max(data[rate], data[planned])
    fig = go.Figure()
    _rate_bars(fig, data, rate, label=label, name=rate_name, colour=colours, showlegend=False)
    zero = data[behind & (data[rate].fillna(0) <= 0)]
    if len(zero):  # nothing done yet and behind: a mark where the bar would start
        fig.add_scatter(
            y=chart_labels(zero[label]), x=[0] * len(zero), mode="markers", showlegend=False,
            name="完成率为0的滞后项",
            marker={"symbol": "line-ns", "size": 22, "line": {"width": 6,
                    "color": [SEVERITY_COLOURS[severity(g)] for g in gaps[zero.index]]}},
            hoverinfo="skip", cliponaxis=False,
        )  # fmt: skip
    _add_schedule_markers(fig, data, label=label, planned=planned, size=26)
    _rate_labels(
        fig, data, rate, label=label, name=rate_name, top=top, missing="",
        # a behind bar's figure in its colour too: a 0% bar has no bar to colour
        colour=[c if level else SCHEDULE for c, level in zip(colours, levels, strict=True)],
    )  # fmt: skip
    # Legend entries for the two bar colours (the bar trace itself has mixed colours): zero-length
    # bars on an existing row, so they add no empty category to the axis.
    anchor = chart_label(data[label].iloc[-1]) if len(data) else ""
    shown = [level for level in SEVERITY_LABELS if level in levels]
    legend = [("达到序时进度", ON_TRACK)] + [
        (f"滞后（{lv}）", SEVERITY_COLOURS[lv]) for lv in shown
    ]
    for name, colour in legend:
        fig.add_bar(
            y=[anchor], x=[0], orientation="h", name=name, marker_color=colour, hoverinfo="skip"
        )
    fig.update_xaxes(tickformat=".0%", range=[0, top], title=None)
    fig.update_yaxes(automargin=True, title=None)
    fig.update_layout(barmode="overlay")
    return _bar_layout(fig, title=title, n_rows=len(data))


def funding_bars(frame: pd.DataFrame, *, label: str, title: str | None = None) -> go.Figure:
    """Grouped horizontal bars 计划投入 / 到位资金 / 拨付资金 (budget, arrived, disbursed) per
    row, in 万元 or 亿元."""
    data = frame.iloc[::-1]
    unit, divisor = money_unit(pd.concat([data["budget"], data["arrived"], data["disbursed"]]))
    fig = go.Figure()
    for column, name, colour in (
        ("disbursed", "拨付资金", DISBURSED),
        ("arrived", "到位资金", ARRIVED),
        ("budget", "计划投入", BUDGET),
    ):  # reversed: plotly stacks a horizontal group from the bottom
        fig.add_bar(
            y=chart_labels(data[label]),
            x=data[column] / divisor,
            orientation="h",
            name=name,
            marker_color=colour,
            hovertemplate="%{y}<br>" + name + " %{x:,.2f} " + unit + "<extra></extra>",
        )
    fig.update_xaxes(title=f"金额（{unit}）", tickformat=",")
    fig.update_yaxes(automargin=True, title=None)
    fig.update_layout(barmode="group", legend={"traceorder": "reversed"})
    return _bar_layout(fig, title=title, n_rows=len(data), per_row=48)


def rates_vs_schedule(
    frame: pd.DataFrame,
    *,
    label: str,
    series: Sequence[tuple[str, str]],
    planned: str | None = "planned_rate",
    title: str | None = None,
) -> go.Figure:
    """Grouped horizontal rate bars (e.g. 到位率, 拨付率), each (column, legend name), with an
    optional 序时进度 marker."""
    data = frame.iloc[::-1]
    # Plotly stacks a horizontal group from the bottom: add the series in reverse so each group
    # reads top-down in the legend's order.
    drawn = list(reversed(list(zip(series, [ARRIVED, DISBURSED, SECOND], strict=False))))
    scheduled = bool(planned and planned in data)
    top = _rate_axis_max(*[data[c] for c, _ in series], *([data[planned]] if scheduled else []))
    fig = go.Figure()
    # Each series' bars and figures share an offset group, so a figure sits beside its own bar
    # (scattermode "group" spreads the figures' traces as the bars are spread).
    for (column, name), colour in drawn:
        _rate_bars(fig, data, column, label=label, name=name, colour=colour,
                   offsetgroup=column, alignmentgroup="rates")  # fmt: skip
    if scheduled:
        _add_schedule_markers(fig, data, label=label, planned=planned, size=30)
    for (column, name), _ in drawn:
        _rate_labels(fig, data, column, label=label, name=name, top=top, missing="—",
                     offsetgroup=column, alignmentgroup="rates", orientation="h")  # fmt: skip
    fig.update_xaxes(tickformat=".0%", range=[0, top], title=None)
    fig.update_yaxes(automargin=True, title=None)
    fig.update_layout(barmode="group", scattermode="group", legend={"traceorder": "reversed"})
    per_row = 20 + 14 * len(series)
    return _bar_layout(fig, title=title, n_rows=len(data), per_row=per_row)


def monthly_trend(
    frame: pd.DataFrame,
    *,
    month: str = "month",
    rate: str = "completion_rate",
    planned: str = "planned_rate",
    title: str | None = None,
    extra: Sequence[tuple[str, str]] = (),
) -> go.Figure:
    """Month-by-month 完成率 (solid) against 序时进度 (dashed), plus optional further rate lines
    given as (column, legend name)."""
    data = frame.sort_values(month)
    labels = [f"{int(m)}月" for m in data[month]]
    fig = go.Figure()
    rate_line(fig, labels, data[planned], name="序时进度", colour=SCHEDULE, dash="dash",
              hover="%{x} 序时进度 %{y:.1%}<extra></extra>")  # fmt: skip
    rate_line(fig, labels, data[rate], name="完成率", colour=ON_TRACK, width=3,
              mode="lines+markers", marker={"size": 8},
              hover="%{x} 完成率 %{y:.1%}<extra></extra>")  # fmt: skip
    for (column, name), colour in zip(extra, [ARRIVED, DISBURSED, SECOND], strict=False):
        if column in data:
            rate_line(fig, labels, data[column], name=name, colour=colour, mode="lines+markers",
                      hover="%{x} " + name + " %{y:.1%}<extra></extra>")  # fmt: skip
    fig.update_yaxes(tickformat=".0%", rangemode="tozero", title=None)
    fig.update_xaxes(title=None, type="category")
    return _style(fig, title=title, height=360)
