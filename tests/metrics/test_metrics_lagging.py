"""滞后 items: severity, months behind, city average, grouping, and the 通报 sentences."""

import pandas as pd
import pytest

from metrics.config import SEVERITY_COLOURS, SEVERITY_LABELS, SEVERITY_THRESHOLDS
from metrics.filters import Filters
from metrics.lagging import (
    bulletin_lines,
    headline,
    lagging_by_department,
    lagging_by_region,
    lagging_counts,
    lagging_items,
    severity,
    summarize_lagging,
)
from metrics.overview import most_behind

JUNE = Filters(2020, 6)


def test_severity_settings_live_in_config():
    assert SEVERITY_THRESHOLDS == (10.0, 30.0)
    assert set(SEVERITY_COLOURS) == set(SEVERITY_LABELS) == {"黄", "橙", "红"}


@pytest.mark.parametrize(
    ("gap_points", "expected"),
    [
        (0.1, "黄"),
        (9.9, "黄"),
        (9.94, "黄"),  # shown as 9.9
        (9.96, "橙"),  # shown as 10.0: the label follows the figure the user reads
        (10.0, "橙"),  # 10–30 includes both ends
        (9.999999999999998, "橙"),  # (0.5 - 0.4) * 100 in floating point
        (29.9, "橙"),
        (30.0, "橙"),
        (30.04, "橙"),
        (30.1, "红"),
        (85.0, "红"),
    ],
)
def test_severity_boundaries(gap_points, expected):
    assert severity(gap_points) == expected


GAP_CASES = [
    (48.59, 1.41, "黄"),
    (40, 10.0, "橙"),
    (20, 30.0, "橙"),
    (19.9, 30.1, "红"),
    (0, 50.0, "红"),
]


@pytest.fixture(scope="module")
def gap_items(warehouse_factory):
    """One region per case, each 100 target in June (序时进度 50%)."""
    wh = warehouse_factory(
        progress=[{"region": f"区{i}", "actual": case[0]} for i, case in enumerate(GAP_CASES)]
    )
    return lagging_items(wh, JUNE).set_index("region")


@pytest.mark.parametrize(("case", "expected"), list(enumerate(GAP_CASES)))
def test_gap_points_and_severity_from_the_warehouse(gap_items, case, expected):
    _, expected_points, expected_severity = expected
    row = gap_items.loc[f"区{case}"]
    assert row["gap_points"] == pytest.approx(expected_points)
    assert row["severity"] == expected_severity


def test_seed_003_lagging_at_half_year(warehouse_factory):
    # at 序时进度 50%: 就业见习 48.59% lags, 婚前健康检查 57% does not, exactly 50% does not
    wh = warehouse_factory(
        progress=[
            {"indicator": "就业见习", "actual": 48.59, "target": 100},
            {"indicator": "婚前健康检查", "actual": 57, "target": 100},
            {"indicator": "时间过半任务过半", "actual": 6, "target": 12},
        ]
    )
    assert list(lagging_items(wh, JUNE)["indicator"]) == ["就业见习"]


HISTORIES = [
    ("LLLLLL", 6),
    ("ooLLLL", 4),
    ("LLoLLL", 3),
    ("oooooL", 1),
    ("LLL.LL", 2),  # a month without a report ends the count
    ("L.LLLL", 4),
    ("....LL", 2),
]


@pytest.fixture(scope="module")
def streaks(warehouse_factory):
    """One region per history of months 1..6: L = lagging (0%), o = on schedule (100%), . = none."""
    rows = [
        {"region": flags, "month": month, "actual": 0 if flag == "L" else 100}
        for flags, _ in HISTORIES
        for month, flag in enumerate(flags, start=1)
        if flag != "."
    ]
    items = lagging_items(warehouse_factory(progress=rows), JUNE)
    return dict(zip(items["region"], items["months_behind"], strict=True))


@pytest.mark.parametrize(("flags", "expected"), HISTORIES)
def test_months_behind_counts_back_from_the_month(streaks, flags, expected):
    assert streaks[flags] == expected


def test_below_city_average(warehouse_factory):
    # city: (10 + 60 + 40) / 300 = 36.7%
    wh = warehouse_factory(
        progress=[
            {"region": "枞阳县", "actual": 10, "target": 100},
            {"region": "义安区", "actual": 60, "target": 100},
            {"region": "郊区", "actual": 40, "target": 100},
        ]
    )
    items = lagging_items(wh, JUNE).set_index("region")
    assert list(items.index) == ["枞阳县", "郊区"]  # worst first; 义安区 60% is on schedule
    assert items.loc["枞阳县", "city_average_rate"] == pytest.approx(110 / 300)
    assert items["below_city_average"].to_dict() == {"枞阳县": True, "郊区": False}


def test_city_average_ignores_the_region_filter(warehouse_factory):
    wh = warehouse_factory(
        progress=[
            {"region": "枞阳县", "actual": 10, "target": 100},
            {"region": "义安区", "actual": 60, "target": 100},
        ]
    )
    row = lagging_items(wh, Filters(2020, 6, region="枞阳县")).iloc[0]
    assert row["city_average_rate"] == pytest.approx(0.35)
    assert bool(row["below_city_average"])


def _mixed_warehouse(warehouse_factory):
    return warehouse_factory(
        progress=[
            {
                "region": "枞阳县",
                "indicator": "农村改厕",
                "department": "市农业农村局",
                "actual": 10,
            },
            {
                "region": "枞阳县",
                "indicator": "中心村建设",
                "department": "市农业农村局",
                "actual": 45,
            },
            {"region": "铜官区", "indicator": "公益性岗位开发", "actual": 35},
            {
                "region": "铜官区",
                "indicator": "农村改厕",
                "department": "市农业农村局",
                "actual": 90,
            },
            {"region": "郊区", "indicator": "就业见习", "department": None, "actual": 49},
        ]
    )


def test_lagging_items_worst_first_with_all_columns(warehouse_factory):
    items = lagging_items(_mixed_warehouse(warehouse_factory), JUNE)
    assert items[["region", "indicator", "severity"]].values.tolist() == [
        ["枞阳县", "农村改厕", "红"],
        ["铜官区", "公益性岗位开发", "橙"],
        ["枞阳县", "中心村建设", "黄"],
        ["郊区", "就业见习", "黄"],
    ]
    assert items["gap_points"].tolist() == pytest.approx([40, 15, 5, 1])


def test_lagging_summaries(warehouse_factory):
    wh = _mixed_warehouse(warehouse_factory)
    by_region = lagging_by_region(wh, JUNE).set_index("region")
    assert by_region.loc["枞阳县", ["n_lagging", "n_yellow", "n_orange", "n_red"]].tolist() == [
        2, 1, 0, 1,
    ]  # fmt: skip
    assert list(by_region.index) == ["枞阳县", "铜官区", "郊区"]
    by_department = lagging_by_department(wh, JUNE).set_index("department")
    assert by_department.loc["市农业农村局", "n_lagging"] == 2
    assert by_department.loc["未填责任单位", "n_lagging"] == 1


def test_most_behind_takes_the_worst(warehouse_factory):
    top = most_behind(_mixed_warehouse(warehouse_factory), JUNE, n=2)
    assert top["indicator"].tolist() == ["农村改厕", "公益性岗位开发"]


def test_bulletin_lines_name_region_items_units_and_counts(warehouse_factory):
    lines = bulletin_lines(_mixed_warehouse(warehouse_factory), JUNE)
    assert lines == [
        "枞阳县：就业创业促进工程（农村改厕，市农业农村局）完成率10.0%，低于序时进度40.0个百分点，"
        "未达全市平均进度；就业创业促进工程（中心村建设，市农业农村局）完成率45.0%，低于序时进度"
        "5.0个百分点。共滞后2项，其中红1项、黄1项。",
        "铜官区：就业创业促进工程（公益性岗位开发，市人社局）完成率35.0%，低于序时进度15.0个百分点。"
        "共滞后1项，其中橙1项。",
        "郊区：就业创业促进工程（就业见习，未填责任单位）完成率49.0%，低于序时进度1.0个百分点。"
        "共滞后1项，其中黄1项。",
    ]


def test_bulletin_lines_leave_trivial_gaps_to_one_clause(warehouse_factory):
    lines = bulletin_lines(_mixed_warehouse(warehouse_factory), JUNE, min_gap_points=2)
    assert lines[2] == "郊区：另有1项落后不足2个百分点。共滞后1项，其中黄1项。"


def test_headline_says_what_matters(warehouse_factory):
    items = lagging_items(_mixed_warehouse(warehouse_factory), JUNE)
    assert headline(items, change=2) == "4项滞后，其中红1项、橙1项；枞阳县2项；较上月增加2项。"
    assert headline(items.iloc[1:], change=-1) == (
        "3项滞后，其中橙1项；铜官区、枞阳县、郊区各1项；较上月减少1项。"
    )
    assert headline(items.iloc[:0]) == "没有滞后于序时进度的项。"


def test_bulletin_lines_can_name_serious_items_only(warehouse_factory):
    lines = bulletin_lines(_mixed_warehouse(warehouse_factory), JUNE, named=("红",))
    assert lines[1:] == ["铜官区：共滞后1项，其中橙1项。", "郊区：共滞后1项，其中黄1项。"]


def test_nothing_lagging_gives_empty_frames(warehouse_factory):
    wh = warehouse_factory(progress=[{"actual": 100}])
    assert lagging_items(wh, JUNE).empty
    assert lagging_by_region(wh, JUNE).empty
    assert bulletin_lines(wh, JUNE) == []


@pytest.mark.parametrize(
    ("severities", "below", "expected"),
    [
        ([], [], (0, {"黄": 0, "橙": 0, "红": 0}, 0)),
        (["红", "黄", "红"], [True, False, None], (3, {"黄": 1, "橙": 0, "红": 2}, 1)),
        (["橙"], [True], (1, {"黄": 0, "橙": 1, "红": 0}, 1)),
    ],
)
def test_lagging_counts_for_the_cards(severities, below, expected):
    items = pd.DataFrame(
        {"severity": severities, "below_city_average": pd.Series(below, dtype="object")}
    )
    counts = lagging_counts(items)
    assert (counts.n_lagging, counts.by_severity, counts.n_below_city_average) == expected


def test_units_with_serious_items_rank_above_units_with_many_small_ones():
    # 市水利局: 18 yellow items (worst 5.0); 市民政局: 6 orange items at 25.0
    rows = [("市水利局", 5.0, "黄")] * 18 + [("市民政局", 25.0, "橙")] * 6
    items = pd.DataFrame(rows, columns=["department", "gap_points", "severity"]).assign(
        indicator="x", below_city_average=False
    )
    summary = summarize_lagging(items, "department")
    assert summary["department"].tolist() == ["市民政局", "市水利局"]
