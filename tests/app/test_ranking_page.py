"""排名 page: 考评 ranks with ties (seed 004's 1.498/1.498/1.495), 加扣分, and the 进度指数 fallback."""

from __future__ import annotations

from tests.app.conftest import table, texts

PAGE = "ranking"


def test_county_ranking_shares_tied_ranks(app, test_db):
    at = app(PAGE)
    assert not at.exception
    counties = table(at, "ranking_county")
    assert list(zip(counties["单位"], counties["6月得分"], counties["6月排名"], strict=True)) == [
        ("铜官区", 1.498, 1),
        ("义安区", 1.498, 1),
        ("枞阳县", 1.495, 3),
    ]
    assert list(counties["1-6月排名"]) == [2, 3, 1]
    assert list(counties["名次变化"]) == ["↑1", "↑2", "↓2"]
    assert list(counties["加扣分"]) == ["", "+0.05", "-0.05"]  # as shown: none left blank
    assert counties["加扣分说明"][1] == "信息被省民生工程网站采用，加0.05分"


def test_department_ranking(app, test_db):
    at = app(PAGE, {"ranking_tab": "市直单位排名"})  # only the chosen tab is built
    departments = table(at, "ranking_department")
    assert list(zip(departments["单位"], departments["6月排名"], strict=True)) == [
        ("市交通局", 1),
        ("市人社局", 2),
    ]


def test_month_without_scores_ranks_by_progress_index(app, test_db):
    at = app(PAGE)
    at.selectbox(key="month").set_value(4).run()
    assert not at.exception
    assert "按进度指数排名" in texts(at)
    counties = table(at, "ranking_county")
    assert list(counties["单位"]) == ["义安区", "枞阳县", "铜官区"]
    assert "4月进度指数" in counties.columns


def test_chosen_county_is_named(app, test_db):
    at = app(PAGE, {"region": "枞阳县"})
    assert "**枞阳县**：6月第 3 名，累计第 1 名。" in texts(at)
