"""Plotly figures of the 预警 page (no streamlit here: metrics frames → go.Figure).

One indicator over the year: its 完成率 month by month (solid, with dots), the 序时进度 of every
month (a thin grey line), the 年度目标 (100%, a dotted line), and the projection at the recent
pace as a dashed line from this month to December, ending in a labelled point. The projection is
brick-red when it stays below 100% (will miss), blue when it reaches the target.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import BEHIND, GRID, ON_TRACK, frame_layout, rate_line
from metrics.plain_text import chart_label

SCHEDULE_LINE = "#8A949E"  # 序时进度: present but quieter than the figures
TARGET_LINE = "#2F3B45"
MONTHS = list(range(1, 13))
AXIS_CAP = 2.0  # a rate axis stops at 200% so a far-ahead projection does not flatten the rest


def _percent(value: float) -> str:
    return f"{value:.1%}"


def forecast_line(
    series: pd.DataFrame,
    *,
    month: int,
    will_miss: bool,
    title: str | None = None,
    height: int = 380,
) -> go.Figure:
    """The year of one indicator: `series` is metrics.forecast.indicator_series' frame (month,
    completion_rate, planned_rate, projected_rate); `month` the month the view is at."""
    data = series.sort_values("month")
    reported = data[data["completion_rate"].notna()]
    projection = data[data["projected_rate"].notna() & (data["month"] >= month)]
    colour = BEHIND if will_miss else ON_TRACK
    fig = go.Figure()
    rate_line(fig, data["month"], data["planned_rate"], name="序时进度", colour=SCHEDULE_LINE,
              hover="%{x}月 序时进度 %{y:.1%}<extra></extra>")  # fmt: skip
    rate_line(fig, reported["month"], reported["completion_rate"], name="完成率（实际）",
              colour=ON_TRACK, width=3, mode="lines+markers", marker={"size": 8},
              hover="%{x}月 完成率 %{y:.1%}<extra></extra>")  # fmt: skip
    if len(projection) > 1:
        end = projection.iloc[-1]
        rate_line(fig, projection["month"], projection["projected_rate"], name="按近期进度预计",
                  colour=colour, width=3, dash="dash",
                  hover="%{x}月 预计 %{y:.1%}<extra></extra>")  # fmt: skip
        fig.add_scatter(
            x=[end["month"]],
            y=[end["projected_rate"]],
            mode="markers",
            name="预计年底",
            marker={"size": 12, "color": colour, "symbol": "diamond"},
            cliponaxis=False,
            showlegend=False,
            hovertemplate="12月 预计年底 %{y:.1%}<extra></extra>",
        )
        # The label sits in the right margin, beside the end of the dashed line, where no line
        # crosses it.
        fig.add_annotation(
            x=end["month"],
            y=end["projected_rate"],
            text=f"预计年底<br><b>{_percent(end['projected_rate'])}</b>",
            showarrow=False,
            xanchor="left",
            xshift=10,
            yanchor="middle",
            align="left",
            font={"color": colour, "size": 13},
        )
    fig.add_hline(
        y=1.0,
        line={"color": TARGET_LINE, "width": 1, "dash": "dot"},
        annotation_text="年度目标 100%",
        annotation_position="top left",
        annotation_font={"size": 12, "color": TARGET_LINE},
    )
    values = pd.concat([data["planned_rate"], data["completion_rate"], data["projected_rate"]])
    values = values.dropna()
    top = min(max([1.0, *values.tolist()]), AXIS_CAP) * 1.12
    bottom = min(0.0, float(values.min()) if len(values) else 0.0)
    fig.update_xaxes(
        tickmode="array",
        tickvals=MONTHS,
        ticktext=[f"{m}月" for m in MONTHS],
        range=[0.6, 12.4],
        title=None,
        gridcolor=GRID,
        tickfont={"size": 13},
    )
    fig.update_yaxes(
        tickformat=".0%", range=[bottom, top], title=None, gridcolor=GRID, tickfont={"size": 13}
    )
    # The title pinned to the top of the figure: in a narrow column the legend wraps to two rows
    # and grows upwards, into a title placed in the middle of the margin.
    pinned = {"x": 0, "xanchor": "left", "y": 0.985, "yref": "container", "yanchor": "top"}
    fig.update_layout(
        **frame_layout(
            title={"text": chart_label(title), **pinned, "font": {"size": 16}} if title else None,
            height=height,
            margin={"l": 10, "r": 78, "t": 100 if title else 50, "b": 30},
            legend={"y": 1.02, "x": 0, "xanchor": "left"},
        )
    )
    return fig
