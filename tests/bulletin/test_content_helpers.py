"""Pure pieces of the 通报: labels, numbers, grouping of lagging items, sentences."""

from __future__ import annotations

import datetime as dt

import pytest

from bulletin.content import (
    MAX_NAMED_PROJECTS,
    adjustments_from,
    group_lagging,
    lagging_sentence,
    ranking_rows,
    ranking_sentence,
)
from bulletin.model import (
    Adjustment,
    LaggingProject,
    chinese_date,
    cumulative_label,
    fmt_adjustment,
    ranking_cells,
)
from metrics.format import project_sort_key


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2020, 10, 16), "2020年10月16日"),
        (dt.date(2025, 1, 5), "2025年1月5日"),
        (dt.date(2025, 12, 31), "2025年12月31日"),
    ],
)
def test_chinese_date(day, expected):
    assert chinese_date(day) == expected


@pytest.mark.parametrize(("month", "expected"), [(1, "1月"), (2, "1-2月"), (9, "1-9月")])
def test_cumulative_label(month, expected):
    assert cumulative_label(month) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.05, "+0.05"), (-0.05, "-0.05"), (0.1, "+0.1"), (-0.025, "-0.025"), (0.0, "0"), (None, "0")],
)
def test_fmt_adjustment(value, expected):
    assert fmt_adjustment(value) == expected


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (["13", "4", "12-1", "12-2", "11"], ["4", "11", "12-1", "12-2", "13"]),
        (["17-2", "17-1", "2"], ["2", "17-1", "17-2"]),
    ],
)
def test_projects_in_natural_order(codes, expected):
    assert sorted(codes, key=project_sort_key) == expected


def _lagging(region, code, name, department, rate=0.4, planned=0.75, below=False):
    return {
        "region": region, "project_code": code, "project_name": name, "indicator": "指标",
        "department": department, "completion_rate": rate, "planned_rate": planned,
        "gap_points": (rate - planned) * 100, "below_city_average": below,
    }  # fmt: skip


def test_lagging_grouped_by_project_naming_counties_and_lead_department():
    records = [
        _lagging("铜官区", "13", "就业创业促进工程", "市人社局"),
        _lagging("枞阳县", "4", "“四好农村路”建设", "市交通局"),
        _lagging("郊区", "4", "“四好农村路”建设", "市交通局"),
        _lagging("郊区", "4", "“四好农村路”建设", None),
        _lagging("枞阳县", "12-1", "美丽乡村建设", "市农业农村局", below=True),
    ]
    projects = group_lagging(records)
    assert [(p.label, p.department, p.regions) for p in projects] == [
        ("4、“四好农村路”建设", "市交通局", ("枞阳县", "郊区")),
        ("12-1、美丽乡村建设", "市农业农村局", ("枞阳县",)),
        ("13、就业创业促进工程", "市人社局", ("铜官区",)),
    ]
    assert len(projects[0].indicators) == 3
    assert projects[1].indicators[0].below_city_average is True


def test_adjustments_keep_units_with_amount_or_reason_only():
    records = [
        {"unit": "枞阳县", "adjustment": 0.05, "note": "省民生网站刊登信息加0.05分"},
        {"unit": "市教体局", "adjustment": 0.0, "note": None},
        {"unit": "市退役军人局", "adjustment": 0.0, "note": "信息被采用；未按时公示扣0.05分"},
        {"unit": "经开区", "adjustment": -0.05, "note": float("nan")},
    ]
    assert adjustments_from(records, "县区") == (
        Adjustment("县区", "枞阳县", 0.05, "省民生网站刊登信息加0.05分"),
        Adjustment("县区", "市退役军人局", 0.0, "信息被采用；未按时公示扣0.05分"),
        Adjustment("县区", "经开区", -0.05, ""),
    )


SEED_COUNTIES = [
    {"unit": "郊区", "score": 1.492, "rank": 4, "cumulative_score": 13.573, "cumulative_rank": 3},
    {"unit": "铜官区", "score": 1.498, "rank": 1, "cumulative_score": 13.441, "cumulative_rank": 4},
    {"unit": "义安区", "score": 1.498, "rank": 1, "cumulative_score": 13.715, "cumulative_rank": 1},
    {"unit": "经开区", "score": 1.485, "rank": 5, "cumulative_score": 13.405, "cumulative_rank": 5},
    {"unit": "枞阳县", "score": 1.495, "rank": 3, "cumulative_score": 13.611, "cumulative_rank": 2},
]


def test_ranking_rows_printed_in_rank_order_as_seed_004():
    rows = ranking_rows(SEED_COUNTIES)
    assert [ranking_cells(r) for r in rows] == [
        ("义安区", "1.498", "1", "13.715", "1"),
        ("铜官区", "1.498", "1", "13.441", "4"),
        ("枞阳县", "1.495", "3", "13.611", "2"),
        ("郊区", "1.492", "4", "13.573", "3"),
        ("经开区", "1.485", "5", "13.405", "5"),
    ]


def test_ranking_sentence_names_the_tie_and_the_year_leader():
    assert ranking_sentence(ranking_rows(SEED_COUNTIES), "县区", 9) == (
        "县区中，义安区、铜官区9月得分1.498，并列第一；1-9月累计得分义安区最高（13.715）；"
        "经开区9月得分最低（1.485）。"
    )


def _project(code, n_regions):
    regions = tuple(f"县{i}" for i in range(n_regions))
    return LaggingProject(code, f"项目{code}", "市某局", regions, ())


@pytest.mark.parametrize(
    ("spread", "expected_named", "ending"),
    [
        ([1, 2], ["项目1", "项目2"], "）。"),
        ([1] * 8, [f"项目{i}" for i in range(1, 9)], "）。"),
        ([1, 3, 1, 1, 2, 1, 1, 1, 1, 4], ["项目2", "项目5", "项目10"], "等10个项目。"),
    ],
)
def test_letter_names_at_most_eight_lagging_projects(spread, expected_named, ending):
    projects = tuple(_project(str(i), n) for i, n in enumerate(spread, start=1))
    text = lagging_sentence(9, projects)
    named = [p.project_name for p in projects if f"{p.project_name}项目" in text]
    assert len(named) == min(len(spread), MAX_NAMED_PROJECTS)
    assert set(expected_named) <= set(named)
    assert text.endswith(ending)
