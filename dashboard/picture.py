"""Charts as pictures: a dashboard figure as a PNG for the projector or for print (no streamlit).

The picture keeps the chart's proportions as people see them: a short chart (a trend line, six
counties) is laid out at a smaller CSS size and scaled up, so its text grows with it; a tall one
(forty projects) is laid out at the full size so its rows do not collide. The pixel size is
always exact: 1920×1080 for the projector, 2400×1350 for print. Rendering (kaleido driving the
system's Chromium) takes about 0.5–3 s, so callers render only when a user asks for the file.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import plotly.graph_objects as go

from charts.png import browser_available, figure_png

DEFAULT_HEIGHT = 450  # plotly's own default when a figure sets none
# Layout scales whose 1920×1080 layout size is whole pixels, largest first.
SCALES = (2.0, 1.5, 1.2, 1.0)
# One Chromium at a time: two users exporting at once would start two browsers on 2 cores.
_RENDER_LOCK = threading.Lock()


@dataclass(frozen=True)
class PictureSize:
    """A download choice: its button label, file-name suffix and pixel size."""

    label: str
    suffix: str
    pixels: tuple[int, int]


PROJECTOR = PictureSize("投影用 PNG（1920×1080）", "投影", (1920, 1080))
PRINT = PictureSize("打印用 PNG（2400×1350）", "打印", (2400, 1350))
SIZES = (PROJECTOR, PRINT)


def picture_layout(fig_height: int | None, size: PictureSize) -> tuple[int, int, float]:
    """(layout width, layout height, scale) giving exactly `size.pixels`.

    The layout is the 16:9 projector frame divided by the largest scale (at most 2) under which
    the chart's own height still fits; print is the same layout scaled by a further 1.25.
    """
    height = fig_height or DEFAULT_HEIGHT
    base_w, base_h = PROJECTOR.pixels
    scale = next((s for s in SCALES if base_h / s >= height), 1.0)
    width, layout_height = round(base_w / scale), round(base_h / scale)
    return width, layout_height, scale * size.pixels[0] / base_w


def chart_png(fig: go.Figure, size: PictureSize = PROJECTOR) -> bytes:
    """The figure as a PNG of `size.pixels`; raises charts.png.ChartExportError."""
    width, height, scale = picture_layout(fig.layout.height, size)
    with _RENDER_LOCK:
        return figure_png(fig, width, height, scale)


def can_render() -> bool:
    """Whether a Chromium for kaleido is installed (else the buttons would only fail)."""
    return browser_available()
