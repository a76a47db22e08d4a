"""总览 page (app.py itself): headline cards, changes since last month, the five most behind."""

from __future__ import annotations

import pytest

from tests.app.conftest import table, texts


def cards(at) -> dict[str, tuple[str, str]]:
    """Card label → (value, delta) as shown."""
    return {m.label: (m.value, m.delta) for m in at.metric}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {},
            {
                "项目数": ("3", "0"),
                "总体完成率": ("64.3%", "+12.1个百分点"),
                "序时进度": ("45.0%", "完成率领先19.3个百分点"),
                "滞后项": ("3", "0"),
                "计划投入": ("4.42亿元", ""),
                "到位率（到位÷计划）": ("71.5%", "+18.6个百分点"),
                "拨付率（拨付÷到位）": ("64.9%", "-1.8个百分点"),
            },
        ),
        (
            {"region": "铜官区"},
            {"项目数": ("3", "0"), "滞后项": ("2", "0"), "计划投入": ("1.55亿元", "")},
        ),
        ({"dept": "市交通局"}, {"项目数": ("1", "0"), "指标数": ("2", "0"), "滞后项": ("1", "0")}),
    ],
)
def test_cards_follow_filters(app, test_db, params, expected):
    at = app("overview", params)
    assert not at.exception
    shown = cards(at)
    assert {label: shown[label] for label in expected} == expected


def test_five_most_behind_and_switching_month(app, test_db):
    at = app("overview")
    behind = table(at, "most_behind")
    assert list(behind["指标名称"])[:2] == ["公益性岗位开发", "农村公路扩面延伸工程完工"]
    assert list(behind["落后（个百分点）"]) == [35.0, 15.0, 6.0]
    at.selectbox(key="month").set_value(4).run()
    assert not at.exception
    assert "2025年4月" in texts(at)
    # April has progress but no funding report: money cards show zero, rates a dash
    assert cards(at)["到位率（到位÷计划）"][0] == "—"


def test_county_and_kind_without_data_gets_a_sentence(app, test_db):
    at = app("overview", {"region": "枞阳县", "cat": "工程类", "dept": "市交通局"})
    assert not at.exception
    assert "没有符合当前筛选" in texts(at)
    assert not at.metric


def test_headline_and_the_counties_behind_come_first(app, test_db):
    at = app("overview")
    assert not at.exception
    first = [m.value for m in at.markdown if str(m.value).startswith("####")][0]
    # June: 铜官区 岗位 35.0 (红) and 完工 15.0 (橙) behind, 枞阳县 岗位 6.0 (黄)
    assert first.startswith("#### 3项滞后，其中红1项、橙1项；铜官区2项")
    regions = table(at, "overview_regions")
    assert regions["县区"].tolist() == ["铜官区", "枞阳县"]
    assert regions["红"].tolist() == [1, 0]
    assert (
        regions["查看"].tolist()[0]
        == "lagging?year=2025&month=6&region=%E9%93%9C%E5%AE%98%E5%8C%BA"
    )
