"""The forecast's metrics layer (metrics.forecast) on one small city: the items that will miss,
indicators summed before dividing, the summary, counties and departments, filters, funding, the
chart's series, the 通报 sentence, and the sentences a clerk checks with a calculator."""

from __future__ import annotations

import pandas as pd
import pytest

from metrics import forecast as fc
from metrics.db import Warehouse
from metrics.filters import Filters
from tests.metrics.test_forecast import YEAR, rows

# --- the metrics layer on one small city ------------------------------------------------------

# June. 甲区 (市人社局) 公益性岗位 100: Apr 5, May 10, Jun 15 → base 4 (5%), pace 5%,
#   projected 15% + 30% = 45%, lagging (15% < 50%).
# 乙区 公益性岗位 200: Jun 48 only → base 0, pace 24% ÷ 6 = 4%, projected 24% + 24% = 48%.
# 乙区 (市住建局) 危房改造 100: Mar 45, Apr 48, May 50, Jun 54 → base 3 (45%), pace 3%,
#   projected 72%; not lagging (54% ≥ 50%).
# 甲区 (市交通局, 工程类, plan 40% in June) 道路 10: Apr 3, Jun 8 → base 4 (30%), pace 25%,
#   projected 80% + 150% = 230%.
CITY = (
    rows("甲区", "公益性岗位", {4: 5, 5: 10, 6: 15}, project_code="1", project_name="就业")
    + rows("乙区", "公益性岗位", {6: 48}, target=200, project_code="1", project_name="就业")
    + rows("乙区", "危房改造", {3: 45, 4: 48, 5: 50, 6: 54}, project_code="7",
           project_name="农村危房改造", department="市住建局", category="其他", unit="户")
    + rows("甲区", "道路", {4: 3, 6: 8}, target=10, project_code="4", project_name="四好农村路",
           department="市交通局", category="工程类", unit="公里")
)  # fmt: skip
ROAD_PLAN = [{"year": YEAR, "project_code": "4", "month": m, "planned_rate": p}
             for m, p in enumerate([0, .05, .1, .2, .3, .4, .55, .7, .85, 1, 1, 1], start=1)]  # fmt: skip
# (month, region, project, budget, disbursed) in 万元
FUNDS = [
    (5, "甲区", "1", 500, 100), (6, "甲区", "1", 500, 120),
    (6, "乙区", "1", 800, 540),
    (3, "乙区", "7", 1000, 300), (6, "乙区", "7", 1000, 600),
]  # fmt: skip
JUNE = Filters(YEAR, 6)


@pytest.fixture(scope="module")
def city(warehouse_factory) -> Warehouse:
    funding = [
        {"year": YEAR, "month": m, "region": r, "project_code": p, "project_name": f"项目{p}",
         "budget": float(b), "arrived": float(b), "disbursed": float(d)}
        for m, r, p, b, d in FUNDS
    ]  # fmt: skip
    return warehouse_factory(progress=CITY, funding=funding, schedules=ROAD_PLAN)


def test_will_miss_items_ranked_by_shortfall_with_sentences(city):
    items = fc.will_miss_items(city, JUNE)
    assert list(zip(items["region"], items["indicator"], strict=True)) == [
        ("甲区", "公益性岗位"),  # 45%: 55 points short
        ("乙区", "公益性岗位"),  # 48%: 52 short
        ("乙区", "危房改造"),  # 72%: 28 short
    ]
    assert items["shortfall_points"].round(6).tolist() == [55.0, 52.0, 28.0]
    assert items["is_lagging"].tolist() == [True, True, False]
    # needed from now on: (100% − 54%) ÷ 6 = 7.67%
    clerk = items.iloc[2]
    assert clerk["needed_pace"] == pytest.approx(0.46 / 6)
    assert clerk["base_month"] == 3 and clerk["base_rate"] == pytest.approx(0.45)
    assert clerk["explanation"] == (
        "当前完成54.0%，未滞后，但按近三个月平均每月3.0%的进度，年底只能完成72.0%；"
        "今后每月需完成7.7%。"
    )
    assert items.iloc[0]["explanation"] == (
        "当前完成15.0%，落后序时进度35.0个百分点；按近两个月平均每月5.0%的进度，"
        "年底只能完成45.0%；今后每月需完成14.2%。"
    )
    assert items.iloc[1]["explanation"] == (
        "当前完成24.0%，落后序时进度26.0个百分点；按年初以来平均每月4.0%的进度，"
        "年底只能完成48.0%；今后每月需完成12.7%。"
    )


def test_indicators_add_up_actuals_and_targets_first(city):
    table = fc.indicator_forecast(city, JUNE).set_index("indicator")
    jobs = table.loc["公益性岗位"]
    # Σ累计完成 ÷ Σ年度目标 = (15 + 48) ÷ 300 = 21%; projected 累计完成 45 + 96 = 141,
    # so 141 ÷ 300 = 47%; pace (5% × 100 + 4% × 200) ÷ 300 = 4.33% a month
    assert jobs["completion_rate"] == pytest.approx(0.21)
    assert jobs["projected_rate"] == pytest.approx(0.47)
    assert jobs["pace"] == pytest.approx(13 / 300)
    assert jobs["projected_rate"] == pytest.approx(jobs["completion_rate"] + 6 * jobs["pace"])
    assert (jobs["n_regions"], jobs["n_regions_will_miss"], jobs["will_miss"]) == (2, 2, True)
    assert jobs["explanation"] == (
        "合计完成21.0%；按2个县区各自的近期进度合计（平均每月4.3%），年底只能完成47.0%；"
        "今后每月需完成13.2%。"
    )
    assert list(table.index) == ["公益性岗位", "危房改造", "道路"]  # largest shortfall first
    assert table.loc["道路", "projected_rate"] == pytest.approx(2.3)


def test_summary_counts_indicators_and_items(city):
    summary = fc.forecast_summary(city, JUNE)
    # indicators: 公益性岗位 47%, 危房改造 72%, 道路 230% → 1 of 3 reaches
    assert (summary.n_indicators, summary.n_indicators_reach) == (3, 1)
    assert summary.n_indicators_will_miss == 2
    # mean of capped projections (47% + 72% + 100%) ÷ 3 = 73%; now (21% + 54% + 80%) ÷ 3 = 51.67%
    assert summary.projected_rate == pytest.approx(0.73)
    assert summary.completion_rate == pytest.approx(1.55 / 3)
    items = (summary.n_items, summary.n_items_will_miss, summary.n_items_not_lagging_yet)
    assert items == (4, 3, 1)
    assert summary.sentence() == (
        "按近三个月的进度推算，全市3个指标中1个（33.3%）年底能完成目标、2个完不成，"
        "预计总体完成率73.0%（现为51.7%，各指标每项最多计100%的平均）；"
        "县区指标中3项年底完不成，其中1项目前尚未滞后。"
    )
    assert summary.short_sentence() == (
        "按近三个月进度，全市3个指标中1个年底能完成、2个完不成，预计总体完成率73.0%。"
    )


def test_by_region_and_by_department(city):
    regions = fc.forecast_by_region(city, JUNE).set_index("region")
    counts = ["n_items", "n_will_miss", "n_not_lagging_yet"]
    assert regions.loc["乙区", counts].tolist() == [2, 2, 1]
    assert regions.loc["甲区", ["n_items", "n_will_miss", "n_reach"]].tolist() == [2, 1, 1]
    # 甲区: (45% + min(230%, 100%)) ÷ 2 = 72.5%; 乙区: (48% + 72%) ÷ 2 = 60%
    assert regions.loc["甲区", "projected_rate"] == pytest.approx(0.725)
    assert regions.loc["乙区", "projected_rate"] == pytest.approx(0.60)
    assert list(regions.index) == ["乙区", "甲区"]  # most will-miss items first

    departments = fc.forecast_by_department(city, JUNE).set_index("department")
    assert list(departments.index) == ["市人社局", "市住建局", "市交通局"]
    assert departments.loc["市人社局", counts].tolist() == [2, 2, 0]
    assert departments.loc["市人社局", "n_indicators"] == 1  # one indicator over two counties
    assert departments.loc["市人社局", "projected_rate"] == pytest.approx(0.47)
    assert departments.loc["市住建局", "n_not_lagging_yet"] == 1


def test_filters_narrow_the_forecast(city):
    assert fc.will_miss_items(city, Filters(YEAR, 6, region="甲区"))["indicator"].tolist() == [
        "公益性岗位"
    ]
    assert fc.will_miss_items(city, Filters(YEAR, 6, department="市住建局"))["region"].tolist() == [
        "乙区"
    ]
    assert fc.will_miss_items(city, Filters(YEAR, 6, category="工程类")).empty


def test_funding_forecast_caps_each_row_at_its_plan(city):
    rows_ = fc.funding_forecast_rows(city, JUNE).set_index(["region", "project_code"])
    # 甲区 1: May 20%, June 24% → pace 4%, projected 24% + 24% = 48% → 240 万元
    assert rows_.loc[("甲区", "1"), "projected_rate"] == pytest.approx(0.48)
    assert rows_.loc[("甲区", "1"), "projected_disbursed"] == pytest.approx(240)
    # 乙区 1: June only, 67.5% → pace 11.25%, projected 135% → at most its plan, 800 万元
    assert rows_.loc[("乙区", "1"), "projected_rate"] == pytest.approx(1.35)
    assert rows_.loc[("乙区", "1"), "projected_disbursed"] == pytest.approx(800)
    # 乙区 7: March 30% is the base → pace 10%, projected 60% + 60% = 120% → 1,000 万元
    assert rows_.loc[("乙区", "7"), "base_month"] == 3
    assert rows_.loc[("乙区", "7"), "projected_disbursed"] == pytest.approx(1000)

    total = fc.funding_forecast(city, JUNE)
    # Σ计划 2,300; Σ拨付 1,260 (54.8%); Σ预计 240 + 800 + 1,000 = 2,040 → 88.7%
    assert (total.budget, total.disbursed) == (2300, 1260)
    assert total.projected_rate == pytest.approx(2040 / 2300)
    assert total.sentence() == (
        "按各县区各项目近三个月的拨付进度推算（每项最多按其计划投入计），年底全市拨付约2,040.0万元，"
        "占计划投入的88.7%（现为54.8%）。"
    )
    by_project = fc.funding_forecast_by_project(city, JUNE).set_index("project_code")
    assert by_project.loc["1", "projected_rate"] == pytest.approx(1040 / 1300)
    by_region = fc.funding_forecast_by_region(city, JUNE)
    assert by_region["region"].tolist() == ["甲区", "乙区"]  # lowest projection first
    assert by_region["projected_rate"].tolist() == [pytest.approx(0.48), pytest.approx(1800 / 1800)]


def test_indicator_series_for_the_chart(city):
    series = fc.indicator_series(city, JUNE, "4", "道路", "公里").set_index("month")
    assert series.loc[4, "completion_rate"] == pytest.approx(0.3)
    assert pd.isna(series.loc[5, "completion_rate"])  # no May report
    assert series.loc[6, "completion_rate"] == pytest.approx(0.8)
    assert series["planned_rate"].tolist() == pytest.approx(
        [0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.55, 0.7, 0.85, 1, 1, 1]
    )
    # the dashed line: 80% in June, + 25% a month, 230% in December; nothing before June
    assert series.loc[6:12, "projected_rate"].tolist() == pytest.approx(
        [0.8, 1.05, 1.3, 1.55, 1.8, 2.05, 2.3]
    )
    assert series.loc[1:5, "projected_rate"].isna().all()
    county = fc.indicator_series(city, JUNE, "1", "公益性岗位", "人", region="乙区")
    assert county.set_index("month").loc[12, "projected_rate"] == pytest.approx(0.48)


def test_bulletin_sentence(city):
    assert fc.bulletin_sentence(city, JUNE) == (
        "按近三个月的进度推算，以下3项年底完不成全年目标任务（其中1项目前尚未滞后）："
        "甲区就业（公益性岗位）（现完成15.0%，预计年底45.0%，今后每月需完成14.2%）；"
        "乙区就业（公益性岗位）（现完成24.0%，预计年底48.0%，今后每月需完成12.7%）；"
        "乙区农村危房改造（危房改造）（现完成54.0%，预计年底72.0%，今后每月需完成7.7%）。"
    )
    assert fc.bulletin_sentence(city, JUNE, limit=1).endswith("今后每月需完成14.2%）等3项。")
    assert fc.bulletin_sentence(city, Filters(YEAR, 6, category="工程类")) == ""


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (
            {"completion_rate": 0.45, "pace": -0.025, "projected_rate": 0.30, "base_month": 4,
             "is_lagging": True, "gap_points": 5.0},
            "当前完成45.0%，落后序时进度5.0个百分点；近两个月累计完成不增反降（平均每月-2.5%，"
            "请核实月报），照此年底只能完成30.0%；今后每月需完成9.2%。",
        ),
        (
            {"completion_rate": 0.0, "pace": 0.0, "projected_rate": 0.0, "base_month": 3,
             "is_lagging": True, "gap_points": 50.0},
            "当前完成0.0%，落后序时进度50.0个百分点；近三个月没有进展，照此年底只能完成0.0%；"
            "今后每月需完成16.7%。",
        ),
        (
            {"completion_rate": 0.6, "pace": 0.1, "projected_rate": 1.2, "base_month": 4,
             "is_lagging": False},
            "当前完成60.0%；按近两个月平均每月10.0%的进度，年底可完成120.0%，能够完成全年目标任务。",
        ),
        (
            {"completion_rate": 1.05, "pace": -0.05, "projected_rate": 0.75, "base_month": 5,
             "is_lagging": False},
            "当前完成105.0%，未滞后，但近一个月累计完成不增反降（平均每月-5.0%，请核实月报），"
            "照此年底只能完成75.0%；已达到年度目标，须保持。",
        ),
    ],
)  # fmt: skip
def test_explanations(kwargs, expected):
    assert fc.explain(month=6, **kwargs) == expected


def test_december_states_the_result():
    assert fc.explain(completion_rate=0.9, pace=0.05, projected_rate=0.9, month=12) == (
        "12月底完成90.0%，未完成年度目标。"
    )
    assert fc.explain(completion_rate=1.0, pace=0.05, projected_rate=1.0, month=12) == (
        "12月底完成100.0%，已完成年度目标。"
    )


def test_december_has_no_needed_pace(warehouse_factory):
    wh = warehouse_factory(progress=rows("区", "指标", {9: 70, 12: 90}))
    december = Filters(YEAR, 12)
    items = fc.will_miss_items(wh, december)
    assert items["needed_pace"].isna().all()
    assert items["projected_rate"].tolist() == [pytest.approx(0.9)]
    summary = fc.forecast_summary(wh, december)
    assert summary.sentence().startswith("12月底，全市1个指标中0个（0.0%）完成年度目标、1个未完成")
    assert summary.short_sentence() == "12月底，全市1个指标中0个完成年度目标、1个未完成。"


def test_empty_view(warehouse_factory):
    wh = warehouse_factory(progress=rows("区", "指标", {6: 30}))
    may = Filters(YEAR, 5)
    assert fc.will_miss_items(wh, may).empty
    assert fc.forecast_by_region(wh, may).empty
    assert fc.forecast_by_department(wh, may).empty
    summary = fc.forecast_summary(wh, may)
    assert summary.n_indicators == 0
    assert summary.sentence() == "全市2025年5月没有进度数据，无法预计年底完成情况。"
    assert fc.funding_forecast(wh, may).projected_rate is None
