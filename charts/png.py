"""Plotly figures as PNG pictures, for the projector, for print and for the 通报.

kaleido 1.x renders through a headless Chromium that choreographer finds on PATH (Debian's
/usr/bin/chromium) or at $BROWSER_PATH; it never downloads one here. Chinese labels need a CJK
font the browser can see (fonts-wqy-microhei), so figures get a font family naming it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import plotly.graph_objects as go

from metrics.plain_text import chart_labels

CJK_FONT_FAMILY = (
    '"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif'
)
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")


@dataclass(frozen=True)
class PngSize:
    """Layout size in CSS pixels; the picture is width×scale by height×scale pixels."""

    width: int
    height: int
    scale: float

    @property
    def pixels(self) -> tuple[int, int]:
        return round(self.width * self.scale), round(self.height * self.scale)


PROJECTOR = PngSize(1920, 1080, 1)  # 1920×1080 for the 调度会 projector
PRINT = PngSize(1000, 600, 2)  # 2000×1200: sharp at ~17 cm wide on an A4 page
BULLETIN = PngSize(900, 500, 2)


class ChartExportError(RuntimeError):
    """The picture could not be made (no browser, renderer failed); the message is Chinese."""


def browser_available() -> bool:
    """True when kaleido can find a Chromium to render with (PATH or $BROWSER_PATH)."""
    path = os.environ.get("BROWSER_PATH")
    return bool(path and os.access(path, os.X_OK)) or any(shutil.which(n) for n in BROWSER_NAMES)


def _with_cjk_font(fig: go.Figure, base_size: int | None) -> go.Figure:
    """A copy whose font names a CJK family (unless the figure chose one) — the original is kept."""
    copy = go.Figure(fig)
    if not copy.layout.font.family:
        copy.update_layout(font_family=CJK_FONT_FAMILY)
    if base_size and not copy.layout.font.size:
        copy.update_layout(font_size=base_size)
    return copy


def figure_png(fig: go.Figure, width: int, height: int, scale: float = 1) -> bytes:
    """The figure as PNG bytes of width×scale by height×scale pixels.

    Fonts grow with the layout width (a 1920-wide projector picture gets 24 px text) unless the
    figure set its own size. Raises `ChartExportError` with a Chinese message on failure.
    """
    import plotly.io as pio

    if not browser_available():
        raise ChartExportError("无法导出图片：未找到 Chromium 浏览器（kaleido 需要它来生成 PNG）。")
    styled = _with_cjk_font(fig, base_size=max(12, round(width / 80)))
    try:
        with warnings.catch_warnings():
            # plotly passes its defaults to kaleido even when a png_session() browser is open
            warnings.filterwarnings("ignore", message="The kopts argument is ignored")
            return pio.to_image(styled, format="png", width=width, height=height, scale=scale)
    except Exception as exc:  # kaleido raises several private error types; all mean "no picture"
        raise ChartExportError(f"无法导出图片：{exc}") from exc


@contextlib.contextmanager
def png_session() -> Iterator[None]:
    """Keep one Chromium open for several exports: each export alone starts a browser (~3 s),
    inside a session the next picture takes ~0.4 s. Leaves an already running one alone."""
    import kaleido

    server = getattr(kaleido, "_global_server", None)
    already = bool(server and server.is_running())
    if not already:
        kaleido.start_sync_server(silence_warnings=True)
    try:
        yield
    finally:
        if not already:
            kaleido.stop_sync_server(silence_warnings=True)


def export_png(fig: go.Figure, size: PngSize = PROJECTOR) -> bytes:
    """`figure_png` at one of the preset sizes (PROJECTOR, PRINT, BULLETIN)."""
    return figure_png(fig, size.width, size.height, size.scale)


def png_dimensions(png: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk, without decoding the picture."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise ValueError("不是PNG图片")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def county_progress_figure(
    regions: list[str], completion_rates: list[float | None], planned_rates: list[float | None]
) -> go.Figure:
    """各县区完成率与序时进度: bars of completion and a dashed line of the schedule (percent).

    Rates are fractions as metrics returns them (the mean over indicators, capped at 100%).
    """

    def percent(values: list[float | None]) -> list[float | None]:
        return [None if v is None else round(v * 100, 1) for v in values]

    regions = chart_labels(regions)  # names from files: plotly must not read them as HTML
    fig = go.Figure()
    fig.add_bar(
        x=regions,
        y=percent(completion_rates),
        name="完成率",
        marker_color="#1f5fa8",
        text=[None if v is None else f"{v:.1f}%" for v in percent(completion_rates)],
        textposition="inside",
        insidetextanchor="end",
        textfont={"color": "white"},
    )
    fig.add_scatter(
        x=regions,
        y=percent(planned_rates),
        name="序时进度",
        mode="markers+lines",
        line={"color": "#c0392b", "dash": "dash", "width": 3},
        marker={"size": 12, "symbol": "diamond"},
    )
    fig.update_layout(
        title="各县区指标平均完成率与序时进度",
        yaxis_title="%",
        template="plotly_white",
        legend={"orientation": "h", "y": -0.15},
        margin={"t": 80, "b": 80},
    )
    return fig
