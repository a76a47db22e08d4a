"""Pure helpers of the pages: how numbers are shown and downloaded, and what the charts draw."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard import charts
from dashboard.layout import CELL_FORMATS, Col, people_frame
from metrics.config import SEVERITY_COLOURS


@pytest.mark.parametrize(
    ("kind", "values", "expected"),
    [
        ("percent", [0.4859, 1.0, 8.3], [48.6, 100.0, 830.0]),
        ("points", [35.04, -10.26], [35.0, -10.3]),
        ("money", [1264.983, 0.04], [1265.0, 0.0]),
        ("score", [1.35 + 0.05, 1.4986], [1.4, 1.499]),
        ("flag", [True, False], ["是", ""]),
        ("change", [2, -1, 0], ["↑2", "↓1", "—"]),
        ("int", [3.0, 6.0], [3, 6]),
        ("text", ["铜官区", None], ["铜官区", ""]),
    ],
)
def test_people_frame_shows_numbers_for_people(kind, values, expected):
    frame = pd.DataFrame({"x": values})
    assert list(people_frame(frame, (Col("x", "列", kind),))["列"]) == expected


def test_people_frame_keeps_order_and_chinese_headers():
    frame = pd.DataFrame({"b": [1.0], "a": ["铜官区"], "unused": [0]})
    shown = people_frame(frame, (Col("a", "地区"), Col("b", "完成率（%）", "percent")))
    assert list(shown.columns) == ["地区", "完成率（%）"]


@pytest.mark.parametrize(
    ("kind", "value", "text"),
    [
        ("percent", 48.6, "48.6%"),
        ("money", 12345.67, "12,345.7"),
        ("number", 2493.0, "2,493"),
        ("number", 12.5, "12.5"),
        ("adjustment", 0.05, "+0.05"),
        ("adjustment", -0.05, "-0.05"),
        ("adjustment", 0.0, ""),
        ("score", 1.4980000000000002, "1.498"),
    ],
)
def test_cell_text(kind, value, text):
    assert CELL_FORMATS[kind](value) == text


@pytest.mark.parametrize(
    ("amounts", "unit"),
    [([500, 9999.9], ("万元", 1.0)), ([500, 10000], ("亿元", 10000.0)), ([], ("万元", 1.0))],
)
def test_money_unit(amounts, unit):
    assert charts.money_unit(amounts) == unit


def test_completion_chart_marks_schedule_and_behind_bars():
    frame = pd.DataFrame(
        {"label": ["1 公益性岗位开发", "5 城乡居民养老保险"], "completion_rate": [0.388, 0.9]}
    ).assign(planned_rate=[0.5, 0.5], is_lagging=[True, False])
    fig = charts.completion_vs_schedule(frame, label="label")
    bars, schedule = fig.data[0], fig.data[1]
    # drawn bottom-up, so the first row is last
    assert list(bars.y) == ["5 城乡居民养老保险", "1 公益性岗位开发"]
    # 38.8% against 50%: 11.2 points behind, 橙 (as on the 滞后 page)
    assert list(bars.marker.color) == [charts.ON_TRACK, SEVERITY_COLOURS["橙"]]
    assert figures_over_schedule(fig) == {"完成率": ["90.0%", "38.8%"]}
    assert schedule.name == "序时进度" and list(schedule.x) == [0.5, 0.5]
    assert "WenQuanYi Micro Hei" in fig.layout.font.family


def figures_over_schedule(fig) -> dict[str, list[str]]:
    """The rate figures a reader sees, by bar name: text traces drawn after the 序时进度 ticks
    (plotly draws bar text under every scatter trace, so a tick could hide it), each at its own
    bar's row and end, in its bar's offset group. Bars carry no text of their own."""
    traces = list(fig.data)
    ticks = next(i for i, t in enumerate(traces) if t.name == "序时进度")
    bars = [t for t in traces if t.type == "bar" and t.hovertemplate]  # not the legend's keys
    assert all(t.text is None for t in traces if t.type == "bar")
    shown = {}
    for bar in bars:
        [(at, figures)] = [(i, t) for i, t in enumerate(traces) if t.name == f"{bar.name}数值"]
        assert at > ticks and "text" in figures.mode
        assert list(figures.y) == list(bar.y) and figures.offsetgroup == bar.offsetgroup
        top = fig.layout.xaxis.range[1]
        assert list(figures.x) == [0 if math.isnan(x) else min(x, top) for x in bar.x]
        shown[bar.name] = list(figures.text)
    return shown


def test_rate_figures_are_drawn_over_the_schedule_ticks():
    frame = pd.DataFrame(
        {"l": ["甲", "乙"], "arrived_rate": [0.0, 8.3], "disbursed_rate": [0.049, None],
         "planned_rate": [0.05, 0.5]}
    )  # fmt: skip
    series = [("arrived_rate", "到位率"), ("disbursed_rate", "拨付率")]
    fig = charts.rates_vs_schedule(frame, label="l", series=series)
    # bottom-up (乙, 甲); 拨付率 of 乙 is missing: a dash where its bar would start
    assert figures_over_schedule(fig) == {"拨付率": ["—", "4.9%"], "到位率": ["830.0%", "0.0%"]}
    assert fig.layout.scattermode == "group"  # each figure beside its own bar of the group
    [arrived] = [t for t in fig.data if t.name == "到位率数值"]
    # 830% runs past the axis: its figure sits inside the bar's cut end
    assert list(arrived.textposition) == ["middle left", "middle right"]


def test_funding_chart_switches_to_yi_yuan():
    frame = pd.DataFrame(
        {"p": ["甲"], "budget": [32000.0], "arrived": [21000.0], "disbursed": [12000.0]}
    )
    fig = charts.funding_bars(frame, label="p")
    assert fig.layout.xaxis.title.text == "金额（亿元）"
    assert {t.name: t.x[0] for t in fig.data} == {"计划投入": 3.2, "到位资金": 2.1, "拨付资金": 1.2}


def test_rate_axis_is_capped_for_outliers():
    fig = charts.completion_vs_schedule(
        pd.DataFrame(
            {"l": ["a"], "completion_rate": [8.3], "planned_rate": [0.5], "is_lagging": [False]}
        ),
        label="l",
    )
    assert math.isclose(fig.layout.xaxis.range[1], 2.0 * 1.08)


@pytest.mark.parametrize(
    ("rate", "planned", "is_lagging", "colour"),
    [
        # the colour is the metrics layer's verdict, never the chart's own comparison
        (0.5, 6 / 12, False, charts.ON_TRACK),  # 6/12 equals a published 50%
        (None, 0.5, None, charts.ON_TRACK),  # no report: not judged
        (0.9, 0.5, True, SEVERITY_COLOURS["黄"]),  # judged behind: at least 黄
    ],
)
def test_completion_chart_colours_bars_by_is_lagging(rate, planned, is_lagging, colour):
    frame = pd.DataFrame({"l": ["a"], "completion_rate": [rate], "planned_rate": [planned]}).assign(
        is_lagging=pd.Series([is_lagging], dtype="object")
    )
    fig = charts.completion_vs_schedule(frame, label="l")
    assert list(fig.data[0].marker.color) == [colour]


def test_both_rate_charts_draw_the_same_schedule_marker():
    frame = pd.DataFrame(
        {"l": ["a", "b"], "completion_rate": [0.2, 0.9], "arrived_rate": [0.3, 0.4]}
    ).assign(planned_rate=[0.5, 0.75], is_lagging=[True, False])
    completion = charts.completion_vs_schedule(frame, label="l")
    rates = charts.rates_vs_schedule(frame, label="l", series=[("arrived_rate", "到位率")])
    markers = [next(t for t in fig.data if t.name == "序时进度") for fig in (completion, rates)]
    assert [list(m.x) for m in markers] == [[0.75, 0.5], [0.75, 0.5]]
    assert {m.marker.symbol for m in markers} == {"line-ns"}


def test_a_behind_item_at_zero_percent_is_marked_and_its_figure_coloured():
    frame = pd.DataFrame(
        {"label": ["甲", "乙"], "completion_rate": [0.0, 0.6], "planned_rate": [0.05, 0.5],
         "is_lagging": [True, False]}
    )  # fmt: skip
    fig = charts.completion_vs_schedule(frame, label="label")
    [figures] = [t for t in fig.data if t.name == "完成率数值"]
    # drawn bottom-up (乙, 甲); 甲 is 5 points behind: 黄
    assert list(figures.textfont.color) == [charts.SCHEDULE, SEVERITY_COLOURS["黄"]]
    marks = [t for t in fig.data if t.name == "完成率为0的滞后项"]
    assert len(marks) == 1 and list(marks[0].y) == ["甲"] and list(marks[0].x) == [0]
