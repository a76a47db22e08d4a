"""build_content against a real warehouse: the 通报's tables are v_scores' rows, cell by cell."""

from __future__ import annotations

import datetime as dt

import pytest

from bulletin.content import NoDataForMonth, build_content
from bulletin.model import ranking_cells
from metrics.db import Warehouse
from metrics.format import fmt_score
from tests.bulletin.bulletin_db import (
    EXPECTED_COUNTY_ROWS,
    MONTH,
    YEAR,
    build_warehouse,
    view_rows,
)


@pytest.fixture(scope="module")
def content(warehouse_path):
    return build_content(Warehouse(warehouse_path), YEAR, MONTH, dt.date(2020, 10, 16))


def _view_cells(path, unit_type):
    return [
        (unit, fmt_score(score), str(rank), fmt_score(cumulative), str(cumulative_rank))
        for unit, score, rank, cumulative, cumulative_rank in view_rows(path, unit_type)
    ]


@pytest.mark.parametrize(
    ("unit_type", "attribute"), [("县区", "county_ranking"), ("市直单位", "department_ranking")]
)
def test_ranking_tables_equal_v_scores_cell_by_cell(content, warehouse_path, unit_type, attribute):
    printed = [ranking_cells(row) for row in getattr(content, attribute)]
    assert printed == _view_cells(warehouse_path, unit_type)


def test_county_ranking_is_seed_004(content):
    assert [ranking_cells(row) for row in content.county_ranking] == EXPECTED_COUNTY_ROWS


def test_lagging_items_grouped_by_project_with_counties_and_lead_department(content):
    assert [(p.label, p.department, p.regions) for p in content.lagging] == [
        ("4、“四好农村路”建设", "市交通局", ("枞阳县", "郊区")),
        ("11、农村改厕及资源化利用", "市农业农村局", ("枞阳县",)),
        ("12-1、美丽乡村建设", "市农业农村局", ("枞阳县",)),
        ("13、就业创业促进工程", "市人社局", ("铜官区",)),
    ]
    road = content.lagging[0].indicators[0]
    assert (road.region, road.completion_rate, road.planned_rate) == ("枞阳县", 0.4, 0.75)
    assert road.gap_points == pytest.approx(35.0)


@pytest.mark.parametrize(
    ("unit", "amount", "note"),
    [
        ("枞阳县", 0.05, "省民生网站刊登信息加0.05分"),
        ("经开区", -0.05, "未按时报送资金报表扣0.05分"),
        ("市水利局", -0.1, "水利薄弱环节治理项目整体进展滞后影响我市在全省排名"),
        ("市退役军人局", 0.0, "信息被省民生工程网站采用；未按时公示民生工程进展扣0.05分"),
    ],
)
def test_adjustment_reasons_per_unit(content, unit, amount, note):
    found = {a.unit: a for a in content.adjustments}
    assert found[unit].adjustment == pytest.approx(amount)
    assert found[unit].note == note


def test_units_without_adjustment_or_reason_are_not_listed(content):
    assert "市教体局" not in {a.unit for a in content.adjustments}


def test_summary_states_headline_figures_and_the_tie(content):
    text = "".join(content.summary)
    assert "截至9月底，全市4个民生工程项目共4项指标" in text
    assert "平均序时进度75.0%" in text
    assert "义安区、铜官区9月得分1.498，并列第一" in text
    assert "市交通局承担的“四好农村路”建设项目（枞阳县、郊区）" in text


def test_month_with_scores_only_has_no_headline(warehouse_path):
    august = build_content(Warehouse(warehouse_path), YEAR, 8, dt.date(2020, 9, 15))
    assert august.headline is None and august.lagging == ()
    assert august.county_ranking[0].unit == "义安区"


def test_month_without_any_data_is_refused(warehouse_path):
    with pytest.raises(NoDataForMonth, match="2021年3月"):
        build_content(Warehouse(warehouse_path), 2021, 3)


def test_without_scores_sheet_rankings_say_progress_index(tmp_path):
    path = build_warehouse(tmp_path / "no-scores.duckdb", with_scores=False)
    content = build_content(Warehouse(path), YEAR, MONTH, dt.date(2020, 10, 16))
    assert not content.county_ranking_by_scores
    assert content.ranking_header(False)[1] == "9月进度指数"
    assert {row.unit for row in content.county_ranking} == {"义安区", "枞阳县", "郊区", "铜官区"}
    assert "9月进度指数" in "".join(content.summary)
    assert "9月得分" not in "".join(content.summary)
