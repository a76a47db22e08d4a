"""资金 page: amounts and both 拨付 rates by project and county, the county × project table."""

from __future__ import annotations

import pytest

from tests.app.conftest import open_tab, table, texts

PAGE = "funding"


def test_by_project_amounts_and_rates(app, test_db):
    at = app(PAGE)
    assert not at.exception
    projects = table(at, "funding_projects")
    first = projects.iloc[0]
    assert (first["项目编号"], first["计划投入（万元）"], first["到位资金（万元）"]) == (
        "1",
        1700,
        1100,
    )
    assert first["到位率（到位÷计划，%）"] == 64.7
    assert first["拨付率（拨付÷到位，%）"] == 73.6
    assert first["拨付占计划（拨付÷计划，%）"] == 47.6


@pytest.mark.parametrize(
    ("region", "expected"),
    [(None, ["义安区", "枞阳县", "铜官区"]), ("铜官区", ["铜官区"])],
)
def test_by_county_follows_region_filter(app, test_db, region, expected):
    at = open_tab(app(PAGE, {"region": region} if region else {}), "funding_tab", "按县区")
    assert list(table(at, "funding_regions")["地区"]) == expected


def test_matrix_switches_figure(app, test_db):
    at = open_tab(app(PAGE), "funding_tab", "县区×项目")
    matrix = table(at, "funding_matrix")
    assert list(matrix["地区"]) == ["义安区", "枞阳县", "铜官区", "全市"]
    assert list(matrix["1 公益性岗位开发"]) == [67.5, 37.5, 24.0, 47.6]
    at.selectbox(key="matrix_value").set_value("budget").run()
    # a county without the project shows a dash, not an empty or "None" cell
    assert list(table(at, "funding_matrix")["13 农村公路扩面延伸工程"]) == [
        "20,000.0",
        "—",
        "12,000.0",
        "32,000.0",
    ]


def test_month_without_funding_gets_a_sentence(app, test_db):
    at = app(PAGE, {"month": "4"})
    assert not at.exception
    assert "2025年4月没有符合当前筛选" in texts(at)


def test_matrix_says_its_unit(app, test_db):
    """The caption says % or 万元 (the download's file and sheet names end in _% / _万元)."""
    at = open_tab(app(PAGE), "funding_tab", "县区×项目")
    assert "单位：%" in texts(at)
    at.selectbox(key="matrix_value").set_value("budget").run()
    assert "单位：万元" in texts(at)
