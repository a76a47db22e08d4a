"""Charts as PNG through kaleido and Debian's chromium: size from the PNG header, content not blank."""

from __future__ import annotations

import io

import plotly.graph_objects as go
import pytest
from PIL import Image  # Pillow comes with streamlit (a pinned dependency)

from charts.png import (
    CJK_FONT_FAMILY,
    PRINT,
    PROJECTOR,
    ChartExportError,
    _with_cjk_font,
    browser_available,
    county_progress_figure,
    export_png,
    figure_png,
    png_dimensions,
    png_session,
)

needs_browser = pytest.mark.skipif(not browser_available(), reason="no chromium for kaleido")
BAR_BLUE = (0x1F, 0x5F, 0xA8)


@pytest.fixture(scope="module", autouse=True)
def one_browser():
    """One Chromium for the module's exports (each would otherwise start its own)."""
    if not browser_available():
        yield
        return
    with png_session():
        yield


@pytest.fixture(scope="module")
def figure():
    return county_progress_figure(
        ["义安区", "枞阳县", "郊区", "铜官区"], [0.888, 0.433, 0.75, 0.5], [0.75] * 4
    )


def _colours(png: bytes) -> set[tuple[int, int, int]]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return {colour for _, colour in image.getcolors(maxcolors=1 << 20)}


@needs_browser
@pytest.mark.parametrize(
    ("size", "pixels"),
    [(PROJECTOR, (1920, 1080)), (PRINT, (2000, 1200))],
    ids=["projector", "print"],
)
def test_png_has_requested_size_and_drawn_content(figure, size, pixels):
    png = export_png(figure, size)
    assert png_dimensions(png) == pixels == size.pixels
    colours = _colours(png)
    assert len(colours) > 50  # anti-aliased text and bars, not a blank page
    assert BAR_BLUE in colours


@needs_browser
def test_figure_png_scale_multiplies_pixels(figure):
    assert png_dimensions(figure_png(figure, 400, 300, scale=1.5)) == (600, 450)


def test_cjk_font_added_on_a_copy_only():
    fig = go.Figure(go.Bar(x=["义安区"], y=[1]))
    styled = _with_cjk_font(fig, base_size=24)
    assert "WenQuanYi Micro Hei" in styled.layout.font.family == CJK_FONT_FAMILY
    assert styled.layout.font.size == 24
    assert fig.layout.font.family is None


def test_figure_keeps_its_own_font():
    fig = go.Figure(layout={"font": {"family": "SimHei", "size": 18}})
    styled = _with_cjk_font(fig, base_size=24)
    assert (styled.layout.font.family, styled.layout.font.size) == ("SimHei", 18)


def test_no_browser_is_a_chinese_error(monkeypatch, tmp_path, figure):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    with pytest.raises(ChartExportError, match="未找到 Chromium"):
        figure_png(figure, 800, 600)


@pytest.mark.parametrize(
    ("data", "message"), [(b"GIF89a" + bytes(30), "不是PNG图片"), (b"", "不是PNG图片")]
)
def test_png_dimensions_refuses_other_data(data, message):
    with pytest.raises(ValueError, match=message):
        png_dimensions(data)
