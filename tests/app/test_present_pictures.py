"""Charts as pictures: every dashboard chart offers PNG downloads at projector and print size,
made only when clicked; the layout size keeps a chart's text readable at the exact pixel size."""

from __future__ import annotations

import pytest

from dashboard import picture
from tests.app.conftest import open_app


@pytest.mark.parametrize(
    ("fig_height", "size", "expected"),
    [
        (360, picture.PROJECTOR, (960, 540, 2.0)),  # a trend line: laid out small, text doubled
        (540, picture.PROJECTOR, (960, 540, 2.0)),
        (600, picture.PROJECTOR, (1280, 720, 1.5)),
        (800, picture.PROJECTOR, (1600, 900, 1.2)),
        (1504, picture.PROJECTOR, (1920, 1080, 1.0)),  # 41 projects: the full frame
        (None, picture.PROJECTOR, (960, 540, 2.0)),  # no height: plotly's default 450
        (360, picture.PRINT, (960, 540, 2.5)),
        (1504, picture.PRINT, (1920, 1080, 1.25)),
    ],
)
def test_picture_layout_gives_the_exact_pixels(fig_height, size, expected):
    width, height, scale = picture.picture_layout(fig_height, size)
    assert (width, height, scale) == expected
    assert (round(width * scale), round(height * scale)) == size.pixels


def test_every_chart_offers_both_pictures_without_rendering(test_db, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("a picture was rendered during a page run")

    monkeypatch.setattr(picture, "chart_png", refuse)
    monkeypatch.setattr(picture, "can_render", lambda: True)
    at = open_app("overview")
    assert not at.exception
    # a closed 下载图片 menu makes no buttons on the page run; opening it makes them
    assert not [b for b in at.get("download_button") if b.key.startswith("png_")]
    for chart in ("trend", "projects"):
        at.session_state[f"picture_{chart}"] = True
    at.run()
    assert not at.exception
    keys = {b.key for b in at.get("download_button")}
    for chart in ("trend", "projects"):
        assert {f"png_投影_{chart}", f"png_打印_{chart}"} <= keys
    labels = {b.label for b in at.get("download_button") if b.key.startswith("png_")}
    assert labels == {"投影用 PNG（1920×1080）", "打印用 PNG（2400×1350）"}


def test_no_browser_no_picture_buttons(test_db, monkeypatch):
    monkeypatch.setattr(picture, "can_render", lambda: False)
    at = open_app("overview")
    for chart in ("trend", "projects"):
        at.session_state[f"picture_{chart}"] = True  # as if the menus were opened
    at.run()
    assert not at.exception
    assert not [b for b in at.get("download_button") if b.key.startswith("png_")]
