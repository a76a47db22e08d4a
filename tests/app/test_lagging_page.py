"""滞后 page: the lagging list follows the filters; severity, months behind, groups, 通报 text."""

from __future__ import annotations

import pytest

from tests.app.conftest import open_tab, table, texts

PAGE = "lagging"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {},
            [
                ("铜官区", "公益性岗位开发", 35.0, "红"),
                ("铜官区", "农村公路扩面延伸工程完工", 15.0, "橙"),
                ("枞阳县", "公益性岗位开发", 6.0, "黄"),
            ],
        ),
        ({"region": "枞阳县"}, [("枞阳县", "公益性岗位开发", 6.0, "黄")]),
        ({"dept": "市交通局"}, [("铜官区", "农村公路扩面延伸工程完工", 15.0, "橙")]),
        # in May the road completion (1/10) was 20 points behind its 30% plan
        (
            {"month": "5", "region": "铜官区", "cat": "工程类"},
            [("铜官区", "农村公路扩面延伸工程完工", 20.0, "橙")],
        ),
    ],
)
def test_lagging_list_follows_filters(app, test_db, params, expected):
    at = app(PAGE, params)
    assert not at.exception
    shown = table(at, "lagging_items")
    rows = list(zip(shown["地区"], shown["指标名称"], shown["落后（个百分点）"], strict=True))
    chips = [chip[0] for chip in shown["滞后程度"]]
    assert [(*row, chip) for row, chip in zip(rows, chips, strict=True)] == expected


def test_changing_region_in_sidebar_narrows_the_list(app, test_db):
    at = app(PAGE)
    at.selectbox(key="region").set_value("铜官区").run()
    assert not at.exception
    shown = table(at, "lagging_items")
    assert set(shown["地区"]) == {"铜官区"}
    assert list(shown["连续滞后月数"]) == [3, 3]
    assert list(shown["低于全市平均"]) == ["是", "是"]
    assert at.query_params["region"] == "铜官区"


def test_county_without_lagging_items_gets_a_sentence(app, test_db):
    at = app(PAGE, {"region": "义安区"})
    assert not at.exception
    assert "没有滞后于序时进度的指标" in texts(at)
    assert not at.dataframe


def test_grouped_by_county_and_department(app, test_db):
    at = open_tab(app(PAGE), "lagging_tab", "按县区")
    by_region = table(at, "by_region")
    assert list(zip(by_region["县区"], by_region["滞后项数"], by_region["红"], strict=True)) == [
        ("铜官区", 2, 1),
        ("枞阳县", 1, 0),
    ]
    # the worst county's items first; another county on request
    assert list(table(at, "region_items")["指标名称"]) == [
        "公益性岗位开发",
        "农村公路扩面延伸工程完工",
    ]
    at.selectbox(key="pick_region").set_value("枞阳县").run()
    assert list(table(at, "region_items")["落后（个百分点）"]) == [6.0]

    open_tab(at, "lagging_tab", "按责任单位")
    by_department = table(at, "by_department")
    assert list(zip(by_department["责任单位"], by_department["滞后项数"], strict=True)) == [
        ("市人社局", 2),
        ("市交通局", 1),
    ]


def test_bulletin_text_names_the_county_items(app, test_db):
    at = open_tab(app(PAGE), "lagging_tab", "通报用语")
    bulletin = at.code[0].value
    assert bulletin.startswith(
        "铜官区：公益性岗位开发（公益性岗位开发，市人社局）完成率15.0%，低于序时进度35.0个百分点"
    )


def test_the_chosen_tab_is_kept_in_the_link(app, test_db):
    at = app(PAGE, {"lagging_tab": "按县区"})
    assert not at.exception
    assert list(table(at, "by_region")["县区"]) == ["铜官区", "枞阳县"]
    assert (
        at.query_params["lagging_tab"] == "按县区"
    )  # and it stays there (tests/browser for clicks)
