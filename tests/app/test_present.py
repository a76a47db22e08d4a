"""汇报模式 (?mode=present) on the 测试市 data: the screens in meeting order, their figures straight
from the metrics layer, the screen number and filters kept in the URL, the way in and out."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.present import parse_screen
from dashboard.present_screens import LAGGING_ROWS, SCREENS, split_rows
from metrics.db import Warehouse
from metrics.filters import Filters
from metrics.format import fmt_percent
from metrics.overview import most_behind, overview
from metrics.ranking import rankings
from tests.app.conftest import open_app, open_app_py, texts

MEETING_ORDER = ["总体进展", "资金", "滞后项目", "县区排名", "部门排名", "督办逾期"]


def present(params: dict[str, str] | None = None):
    return open_app_py({"mode": "present", **(params or {})})


def title(at) -> str:
    return at.title[0].value


def cards(at) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def test_screens_are_in_meeting_order():
    assert [s.title for s in SCREENS] == MEETING_ORDER


def test_first_screen_shows_the_overview_figures_without_sidebar(test_db):
    at = present()
    assert not at.exception
    assert title(at) == "总体进展"
    ov = overview(Warehouse(test_db), Filters(2025, 6))
    shown = cards(at)
    assert shown["项目数"][0] == str(ov.n_projects)
    assert shown["指标数"][0] == str(ov.n_indicators)
    assert shown["总体完成率"] == (
        fmt_percent(ov.completion_rate),
        f"{ov.delta('completion_rate') * 100:+.1f}个百分点",
    )
    assert shown["序时进度"][0] == fmt_percent(ov.planned_rate)
    assert shown["滞后项"][0] == str(ov.n_lagging)
    assert (shown["总体完成率"][0], shown["滞后项"][0]) == ("64.3%", "3")  # the 测试市's truth
    # the headline above the cards: June's 铜官区 红 35.0 and 橙 15.0, 枞阳县 黄 6.0
    assert any(
        str(m.value).startswith("### 3项滞后，其中红1项、橙1项；铜官区2项") for m in at.markdown
    )
    # no sidebar filters, no menu: the meeting screen only
    assert not at.selectbox and not at.sidebar.button
    assert at.query_params == {"year": "2025", "month": "6", "mode": "present", "screen": "1"}


def test_next_walks_every_screen_in_order_then_stops(test_db):
    at = present()
    seen = [title(at)]
    while not at.button(key="present_next").disabled:
        at.button(key="present_next").click().run()
        assert not at.exception
        seen.append(title(at))
        assert at.query_params["screen"] == str(len(seen))
    assert seen == MEETING_ORDER
    assert any("6 / 6" in h.value for h in at.html)  # the screen indicator
    at.button(key="present_prev").click().run()
    assert title(at) == "部门排名"
    assert at.query_params["screen"] == "5"


@pytest.mark.parametrize(
    ("screen", "expected", "notice"),
    [
        ("3", "滞后项目", None),
        ("5", "部门排名", None),
        ("6", "督办逾期", None),
        ("9", "总体进展", "链接中的页码“9”无效（共6页），已从第1页开始"),
        ("abc", "总体进展", "链接中的页码“abc”无效（共6页），已从第1页开始"),
        ("0", "总体进展", "链接中的页码“0”无效（共6页），已从第1页开始"),
    ],
)
def test_screen_in_the_link_opens_that_screen(test_db, screen, expected, notice):
    at = present({"screen": screen})
    assert not at.exception
    assert title(at) == expected
    assert [t.value for t in at.toast] == ([notice] if notice else [])
    assert at.query_params["screen"] == str(MEETING_ORDER.index(expected) + 1)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, (1, None)),
        ("2", (2, None)),
        (" 5 ", (5, None)),
        ("6", (1, "链接中的页码“6”无效（共5页），已从第1页开始")),
    ],
)
def test_parse_screen(raw, expected):
    assert parse_screen(raw, 5) == expected


def test_lagging_screen_lists_the_worst_items_of_the_filtered_view(test_db):
    at = present({"screen": "3", "month": "6", "region": "铜官区"})
    assert not at.exception
    assert "2025年6月 · 铜官区" in texts(at)
    items = at.table[0].value
    expected = most_behind(Warehouse(test_db), Filters(2025, 6, region="铜官区"), n=LAGGING_ROWS)
    assert list(items["地区"]) == list(expected["region"]) == ["铜官区", "铜官区"]
    assert list(items["指标"]) == list(expected["indicator"])
    assert list(items["落后"]) == ["35.0", "15.0"]
    assert list(items["程度"]) == ["红", "橙"]
    assert at.query_params == {
        "year": "2025", "month": "6", "region": "铜官区", "mode": "present", "screen": "3",
    }  # fmt: skip


def test_county_ranking_screen_shows_shared_ranks(test_db):
    at = present({"screen": "4"})
    table = at.table[0].value
    expected = rankings(Warehouse(test_db), 2025, 6, "县区").frame
    assert list(table["单位"]) == list(expected["unit"])
    assert list(zip(table["单位"], table["名次"], table["6月得分"], strict=True)) == [
        ("铜官区", "1", "1.498"),
        ("义安区", "1", "1.498"),
        ("枞阳县", "3", "1.495"),
    ]
    assert list(table["较上月"]) == ["↑1", "↑2", "↓2"]
    assert "义安区：信息被省民生工程网站采用，加0.05分" in texts(at)


def test_department_ranking_screen(test_db):
    at = present({"screen": "5"})
    table = at.table[0].value
    assert list(zip(table["单位"], table["名次"], strict=True)) == [
        ("市交通局", "1"),
        ("市人社局", "2"),
    ]


def test_month_without_scores_ranks_by_progress_index(test_db):
    at = present({"screen": "4", "month": "4"})
    assert not at.exception
    assert "按进度指数排名" in texts(at)
    assert "4月指数" in at.table[0].value.columns


def test_sidebar_button_enters_and_exit_returns_with_the_same_filters(test_db):
    at = open_app("lagging", {"month": "5", "region": "铜官区"})
    at.sidebar.button(key="present_enter").click().run()
    assert not at.exception
    assert title(at) == "总体进展"
    assert "2025年5月 · 铜官区" in texts(at)
    assert at.query_params["mode"] == "present"
    at.button(key="present_next").click().run()
    assert title(at) == "资金"
    at.button(key="present_exit").click().run()
    assert not at.exception
    assert at.query_params == {"year": "2025", "month": "5", "region": "铜官区"}
    assert (at.selectbox(key="month").value, at.selectbox(key="region").value) == (5, "铜官区")
    assert title(at) == "滞后"


@pytest.mark.parametrize(
    ("n", "lengths", "last"),
    [
        (6, [6], "6"),
        (12, [12], "12"),
        (13, [7, 6], "13"),
        (22, [11, 11], "22"),
        (30, [12, 12], "30"),
    ],
)
def test_split_rows_fits_two_columns(n, lengths, last):
    table = pd.DataFrame({"名次": [str(i) for i in range(1, n + 1)]})
    parts = split_rows(table, per_column=12)
    assert [len(p) for p in parts] == lengths
    assert parts[-1]["名次"].iloc[-1] == last
    if n > 24:  # the middle is left out, marked
        assert parts[1]["名次"].iloc[0] == "…"


def test_month_without_funding_says_so_on_the_funding_screen(test_db):
    at = present({"screen": "2", "month": "4"})
    assert not at.exception
    assert "2025年4月 · 全市没有资金数据。" in texts(at)
    assert not at.metric


def test_overdue_screen_lists_red_items_in_large_type(test_db):
    import datetime as dt

    from etl.writing import supervision as sv

    today = dt.date.today()
    sv.open_lagging(test_db, 2025, 6, min_severity="红", deadline=today - dt.timedelta(days=4),
                    by="张三")  # fmt: skip
    sv.open_manual(test_db, 2025, 6, reason="未按时报送信息", department="**市人社局**",
                   deadline=today - dt.timedelta(days=9), by="张三")  # fmt: skip
    sv.open_lagging(test_db, 2025, 6, deadline=today + dt.timedelta(days=30), by="张三")
    at = present({"screen": "6"})
    assert not at.exception
    assert title(at) == "督办逾期"
    assert "共 2 项已过整改期限仍未销号" in texts(at)
    items = at.table[0].value
    assert list(items["编号"]) == ["2", "1"]  # most days overdue first
    assert list(items["逾期"]) == ["9天", "4天"]
    assert list(items["单位"]) == ["\\*\\*市人社局\\*\\*", "铜官区 · 市人社局"]  # escaped
    assert list(items["督办事项"]) == ["督查发现", "公益性岗位开发"]  # the indicator: one line
    due = today - dt.timedelta(days=4)
    assert items["整改期限"].iloc[1] == f"{due.year}年{due.month}月{due.day}日"


def test_overdue_screen_without_overdue_items(test_db):
    at = present({"screen": "6"})
    assert not at.exception
    assert "没有逾期未销号的督办事项" in texts(at)
