"""进度 page: project and indicator completion vs schedule, county drill-down, 开工/完工 pairs."""

from __future__ import annotations

from tests.app.conftest import open_tab, table, texts

PAGE = "progress"


def test_projects_and_indicators(app, test_db):
    at = app(PAGE)
    assert not at.exception
    projects = table(at, "projects")
    assert list(
        zip(projects["项目编号"], projects["完成率（%）"], projects["序时进度（%）"], strict=True)
    ) == [
        ("1", 38.8, 50.0),
        ("5", 90.0, 50.0),
        ("13", 64.2, 40.0),
    ]
    indicators = table(open_tab(at, "progress_tab", "按指标（分类别）"), "indicators")
    assert list(indicators["滞后"]) == ["是", "", "", ""]


def test_drill_into_a_project_shows_its_counties(app, test_db):
    at = open_tab(app(PAGE), "progress_tab", "项目分解到县区")
    at.selectbox(key="drill_project").set_value("13").run()
    assert not at.exception
    rows = table(at, "region_breakdown")
    done = rows[rows["指标名称"] == "农村公路扩面延伸工程完工"]
    assert list(zip(done["地区"], done["完成率（%）"], strict=True)) == [
        ("义安区", 50.0),
        ("铜官区", 25.0),
    ]


def test_start_and_finish_rates_side_by_side(app, test_db):
    at = open_tab(app(PAGE), "progress_tab", "开工率与完工率")
    pairs = table(at, "pairs")
    assert list(zip(pairs["开工率（%）"], pairs["完工率（%）"], strict=True)) == [(86.7, 41.7)]


def test_county_without_that_kind_of_project_gets_a_sentence(app, test_db):
    at = app(PAGE, {"region": "枞阳县", "cat": "工程类"})
    assert not at.exception
    assert "枞阳县在2025年6月没有工程类项目的进度数据。" in texts(at)
