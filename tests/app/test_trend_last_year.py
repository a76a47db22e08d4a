"""总览's trend with last year's 完成率 of the same months beside this year's (同期), on the demo's
two years (2025, 2026 to March)."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest

from etl.demo import build_demo_database
from metrics.db import Warehouse
from metrics.filters import Filters
from metrics.progress import monthly_trend
from tests.app.conftest import open_app


@pytest.fixture
def demo_db(tmp_path, monkeypatch):
    db = tmp_path / "minsheng.duckdb"
    build_demo_database(db)
    monkeypatch.setenv("MINSHENG_DB", str(db))
    return db


def values(y) -> list[float]:
    """A trace's y: a list, or plotly's typed array ({"dtype": "f8", "bdata": base64})."""
    if isinstance(y, dict):
        return np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"]).tolist()
    return list(y)


def trend_traces(at) -> dict[str, list]:
    """The trend chart's lines by legend name (the chart with a 序时进度 line over months)."""
    for chart in at.get("plotly_chart"):
        traces = json.loads(chart.proto.spec)["data"]
        names = {t.get("name") for t in traces}
        if {"序时进度", "到位率"} <= names:
            return {t["name"]: values(t["y"]) for t in traces}
    raise AssertionError("总览没有逐月走势图")


def test_last_years_completion_is_drawn_for_the_same_months(demo_db):
    at = open_app("overview", {"year": "2026", "month": "3"})
    assert "2025年完成率" not in trend_traces(at)
    at.toggle(key="trend_last_year").set_value(True).run()
    assert not at.exception
    traces = trend_traces(at)
    last_year = monthly_trend(Warehouse(demo_db), Filters(2025, 12))
    expected = list(last_year.sort_values("month")["completion_rate"].head(3))
    assert traces["2025年完成率"] == pytest.approx(expected)
    assert len(traces["完成率"]) == 3  # this year's months only: January to March


def test_a_year_without_a_year_before_says_so_on_every_run(demo_db):
    """2025 has no 2024: the note shows with the cached chart too, not only when it is built."""
    at = open_app("overview", {"year": "2025", "month": "6"})
    at.toggle(key="trend_last_year").set_value(True).run()
    for _ in range(2):  # the figure is built, then taken from the shared cache
        assert not at.exception
        assert "2024年没有逐月数据，无法叠加。" in [c.value for c in at.caption]
        assert "2024年完成率" not in trend_traces(at)
        at.run()
