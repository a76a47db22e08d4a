"""预警 page: what a user sees on the 测试市 data (tests/app/testdata.py) plus one item that is on
schedule today but will miss the year.

Added here: 义安区 农村危房改造竣工 (户, 市住建局, 其他; 序时进度 month ÷ 12), target 100, 累计完成
45 (Mar), 48 (Apr), 50 (May), 54 (Jun). In June it is 54% against a 50% schedule (not lagging);
base month 3 (45%), pace (54% − 45%) ÷ 3 = 3% a month, projected 54% + 3% × 6 = 72%, needed
(100% − 54%) ÷ 6 = 7.7% a month.
From testdata: 铜官区 公益性岗位开发 15% (Apr 5%): pace 5%, projected 45%; 枞阳县 44% (Apr 30%):
pace 7%, projected 86%; every other item reaches its target (铜官区's road completion exactly 100%).
"""

from __future__ import annotations

import base64
import json
import shutil

import duckdb
import numpy as np
import pytest

from tests.app.conftest import open_tab, table, texts

PAGE = "forecast"
HOUSING = ("9", "农村危房改造", "农村危房改造竣工", "户", "市住建局", "其他")
HOUSING_ROWS = [(3, 45), (4, 48), (5, 50), (6, 54)]


@pytest.fixture
def forecast_db(tmp_path, monkeypatch, test_db_template):
    db = tmp_path / "minsheng.duckdb"
    shutil.copyfile(test_db_template, db)
    con = duckdb.connect(str(db))
    code, name, indicator, unit, department, category = HOUSING
    con.executemany(
        "INSERT INTO progress_report (year, month, region, project_code, project_name, indicator,"
        " unit, department, category, target, actual, load_id) "
        "VALUES (2025, ?, '义安区', ?, ?, ?, ?, ?, ?, 100, ?, 1)",
        [(m, code, name, indicator, unit, department, category, a) for m, a in HOUSING_ROWS],
    )
    con.execute("CHECKPOINT")
    con.close()
    monkeypatch.setenv("MINSHENG_DB", str(db))
    return db


def test_will_miss_list_names_items_with_their_figures(app, forecast_db):
    at = app(PAGE)
    assert not at.exception
    assert at.title[0].value == "预警"
    shown = table(at, "will_miss")
    assert list(
        zip(shown["地区"], shown["指标名称"], shown["预计年底完成率（%）"], strict=True)
    ) == [
        ("铜官区", "公益性岗位开发", 45.0),
        ("义安区", "农村危房改造竣工", 72.0),
        ("枞阳县", "公益性岗位开发", 86.0),
    ]
    housing = shown.iloc[1]
    assert housing["完成率（%）"] == 54.0
    assert housing["目前已滞后"] == ""
    assert housing["近期每月进度（%）"] == 3.0
    assert housing["今后每月需完成（%）"] == 7.7
    assert housing["起算月"] == 3
    assert housing["说明"] == (
        "当前完成54.0%，未滞后，但按近三个月平均每月3.0%的进度，年底只能完成72.0%；"
        "今后每月需完成7.7%。"
    )
    assert list(shown["目前已滞后"]) == ["是", "", "是"]


def test_headline_cards_and_sentence(app, forecast_db):
    at = app(PAGE)
    cards = {m.label: (m.value, m.delta) for m in at.metric}
    # indicators over the counties: 公益性岗位开发 (45 + 120 + 43) ÷ 250 = 83.2%, 危房 72% miss;
    # the two road indicators and 养老保险 reach → 3 of 5
    assert cards["年底能完成的指标"][0] == "3/5"
    # (83.2% + 72% + 100% × 3) ÷ 5 = 91.0%; now (38.8% + 41.7% + 90% + 86.7% + 54%) ÷ 5 = 62.2%
    assert cards["预计年底总体完成率"] == ("91.0%", "现为62.2%")
    assert cards["年底完不成的县区指标"][0] == "3"
    assert cards["其中目前未滞后"][0] == "1"
    # funding (testdata): Σ projected 拨付 35,940 ÷ Σ计划 44,200 = 81.3%; now 20,510 ÷ 44,200
    assert cards["预计年底拨付占计划"] == ("81.3%", "现为46.4%")
    assert "全市5个指标中3个（60.0%）年底能完成目标、2个完不成，预计总体完成率91.0%" in texts(at)
    assert "其中1项目前尚未滞后" in texts(at)


def test_by_county_and_by_department(app, forecast_db):
    at = open_tab(app(PAGE), "forecast_tab", "按县区")
    assert not at.exception
    by_region = table(at, "forecast_by_region")
    assert list(
        zip(
            by_region["县区"], by_region["年底完不成项数"], by_region["其中目前未滞后"], strict=True
        )
    ) == [("铜官区", 1, 0), ("枞阳县", 1, 0), ("义安区", 1, 1)]
    at.selectbox(key="forecast_pick_region").set_value("义安区").run()
    assert list(table(at, "forecast_region_items")["指标名称"]) == ["农村危房改造竣工"]

    open_tab(at, "forecast_tab", "按责任单位")
    by_department = table(at, "forecast_by_department")
    assert list(zip(by_department["责任单位"], by_department["年底完不成项数"], strict=True)) == [
        ("市人社局", 2),
        ("市住建局", 1),
        ("市交通局", 0),
    ]


def test_indicator_totals_and_funding_and_bulletin(app, forecast_db):
    at = open_tab(app(PAGE), "forecast_tab", "按指标（全市合计）")
    indicators = table(at, "forecast_indicators")
    # largest shortfall first: 危房 72%, then 公益性岗位开发 summed over the three counties
    assert list(indicators["指标名称"][:2]) == ["农村危房改造竣工", "公益性岗位开发"]
    jobs = indicators.iloc[1]
    assert (jobs["预计年底完成率（%）"], jobs["完成率（%）"], jobs["完不成的县区数"]) == (
        83.2,
        38.8,
        2,
    )
    open_tab(at, "forecast_tab", "资金")
    regions = table(at, "forecast_funds_regions")
    # 铜官区: 240 + 6,000 + 3,000 = 9,240 of 15,500 = 59.6%
    assert (regions.iloc[0]["县区"], regions.iloc[0]["预计年底拨付占计划（%）"]) == ("铜官区", 59.6)
    assert "年底全市拨付约3.59亿元，占计划投入的81.3%（现为46.4%）" in texts(at)
    open_tab(at, "forecast_tab", "通报用语")
    assert at.code[0].value.startswith(
        "按近三个月的进度推算，以下3项年底完不成全年目标任务（其中1项目前尚未滞后）："
        "铜官区公益性岗位开发（现完成15.0%，预计年底45.0%，今后每月需完成14.2%）；"
        "义安区农村危房改造（农村危房改造竣工）（现完成54.0%，预计年底72.0%"
    )


def _figures(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def _values(array) -> list:
    """A trace's x or y as numbers (plotly sends numpy arrays as base64 typed arrays)."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def _end_label(figure: dict) -> str:
    [label] = [a["text"] for a in figure["layout"]["annotations"] if "预计年底" in a["text"]]
    return label


def test_chart_shows_actuals_schedule_and_dashed_projection(app, forecast_db):
    at = app(PAGE)
    [housing, jobs] = _figures(at)  # the two indicators furthest short of target city-wide
    assert "公益性岗位开发" in jobs["layout"]["title"]["text"]
    traces = {trace["name"]: trace for trace in housing["data"] if "name" in trace}
    assert _values(traces["完成率（实际）"]["y"]) == pytest.approx([0.45, 0.48, 0.50, 0.54])
    assert _values(traces["序时进度"]["y"])[5] == pytest.approx(0.5)
    projection = traces["按近期进度预计"]
    assert projection["line"]["dash"] == "dash"
    assert _values(projection["x"]) == list(range(6, 13))
    # 54% in June + 3% a month: 57%, 60%, … 72% in December
    assert _values(projection["y"]) == pytest.approx([0.54 + 0.03 * k for k in range(7)])
    assert _end_label(housing) == "预计年底<br><b>72.0%</b>"

    # drill down to one county: 铜官区's jobs item alone, projected 45%
    at.selectbox(key="forecast_chart_region").set_value("铜官区").run()
    assert not at.exception
    jobs = _figures(at)[0]
    assert "铜官区" in jobs["layout"]["title"]["text"]
    assert _end_label(jobs) == "预计年底<br><b>45.0%</b>"


def test_region_filter_narrows_the_page(app, forecast_db):
    at = app(PAGE, {"region": "义安区"})
    assert not at.exception
    assert list(table(at, "will_miss")["指标名称"]) == ["农村危房改造竣工"]
    assert "义安区5个指标中4个（80.0%）年底能完成目标、1个完不成" in texts(at)


def test_month_without_data_gets_a_sentence(app, forecast_db):
    at = app(PAGE, {"region": "义安区", "month": "3"})
    assert not at.exception
    # March holds only 义安区's housing item: 45% in March, base 0 → 15% a month → 180%
    assert "年底都能完成年度目标" in texts(at)
    at = app(PAGE, {"region": "铜官区", "month": "3"})
    assert "无法预计年底完成情况" in texts(at)
