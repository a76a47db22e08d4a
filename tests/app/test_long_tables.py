"""Long lists (a province's or a nation's counties): a table shows one searchable page at a
time and says which rows it shows; a bar chart draws its worst rows only; the 通报 box lists
the worst counties and offers the rest as a file."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import RUN_TIMEOUT_S, table, texts


def long_table_script():
    import pandas as pd

    from dashboard.layout import Col, data_table

    frame = pd.DataFrame(
        {
            "region": [f"县区{i:03d}" for i in range(250)],
            "gap": [250.0 - i for i in range(250)],
            "rate": [(249 - i) / 1000 for i in range(250)],  # the least behind did least
        }
    )
    columns = [
        Col("region", "地区"),
        Col("gap", "落后（个百分点）", "points"),
        Col("rate", "完成率（%）", "percent"),
    ]
    data_table(frame, columns, key="long", file_stem="长表", order_note="落后最多的在前")
    data_table(frame.head(5), columns, key="short", file_stem="短表")


def run(script) -> AppTest:
    at = AppTest.from_function(script, default_timeout=RUN_TIMEOUT_S)
    return at.run()


def test_long_table_shows_its_first_page_and_says_so():
    at = run(long_table_script)
    assert not at.exception
    shown = table(at, "long")
    assert len(shown) == 100
    assert list(shown["地区"][:2]) == ["县区000", "县区001"]
    assert "共 250 行；本页显示第 1–100 行（落后最多的在前）" in texts(at)
    assert [box.label for box in at.text_input] == ["搜索"]  # the short table has none
    assert len(table(at, "short")) == 5


def test_last_page_then_search_back_on_page_one():
    at = run(long_table_script)
    at.number_input(key="page_long").set_value(3).run()
    assert list(table(at, "long")["地区"]) == [f"县区{i:03d}" for i in range(200, 250)]
    assert "本页显示第 201–250 行" in texts(at)

    at.text_input(key="search_long").input("县区24").run()
    assert list(table(at, "long")["地区"]) == [f"县区{i:03d}" for i in range(240, 250)]
    assert "含“县区24”的 10 行；本页显示第 1–10 行" in texts(at)

    at.text_input(key="search_long").input("县区").run()
    at.number_input(key="page_long").set_value(2).run()
    assert "含“县区”的 250 行；本页显示第 101–200 行" in texts(at)
    at.text_input(key="search_long").input("区").run()  # as many pages: still back to page 1
    assert "含“区”的 250 行；本页显示第 1–100 行" in texts(at)

    at.text_input(key="search_long").input("没有这个县").run()
    assert not at.exception
    assert "没有符合搜索的行" in texts(at)


@pytest.fixture
def table_files(monkeypatch) -> dict[str, object]:
    """Table key → the function that makes its downloads' rows (called when a button is
    clicked, so the test calls it)."""
    from dashboard import layout

    made: dict[str, object] = {}
    monkeypatch.setattr(
        layout, "download_buttons", lambda rows, *, key, **_: made.update({key: rows})
    )
    return made


def test_the_order_menu_sorts_every_row_from_page_one_and_the_downloads_too(table_files):
    at = run(long_table_script)
    menu = at.selectbox(key="sort_long")
    assert menu.label == "排序" and menu.value == "默认（落后最多的在前）"
    assert menu.options == ["默认（落后最多的在前）", "地区", "落后 从大到小", "完成率 从低到高"]
    at.number_input(key="page_long").set_value(3).run()

    at.selectbox(key="sort_long").select("完成率 从低到高").run()
    # the lowest rates are the last rows of the frame: never on the first page of its own order
    assert list(table(at, "long")["地区"][:3]) == ["县区249", "县区248", "县区247"]
    assert at.number_input(key="page_long").value == 1  # a new order starts on its first page
    assert "共 250 行；本页显示第 1–100 行（按完成率从低到高）" in texts(at)
    files = table_files["long"]()
    assert len(files) == 250 and list(files["地区"][:2]) == ["县区249", "县区248"]

    at.number_input(key="page_long").set_value(3).run()
    assert list(table(at, "long")["地区"][:1]) == ["县区049"]
    at.text_input(key="search_long").input("县区00").run()  # search and order together
    assert list(table(at, "long")["地区"]) == [f"县区{i:03d}" for i in range(9, -1, -1)]


def test_a_link_opens_the_table_in_its_order_and_page():
    at = AppTest.from_function(long_table_script, default_timeout=RUN_TIMEOUT_S)
    at.query_params.update({"sort_long": "完成率 从低到高", "page_long": "2"})
    at.run()
    assert at.selectbox(key="sort_long").value == "完成率 从低到高"
    assert list(table(at, "long")["地区"][:2]) == ["县区149", "县区148"]
    assert "本页显示第 101–200 行（按完成率从低到高）" in texts(at)


def chart_script():
    import pandas as pd

    from dashboard import charts, layout, paging

    frame = pd.DataFrame(
        {
            "region": [f"县区{i:02d}" for i in range(50)],
            "arrived_rate": [0.5] * 50,
            "disbursed_budget_rate": [0.3 + i / 100 for i in range(50)][::-1],  # 县区49 slowest
            "planned_rate": [0.5] * 50,
        }
    )
    drawn = paging.chart_rows(
        frame, by="disbursed_budget_rate", ascending=True, what="拨付占计划最低", noun="个县区"
    )
    series = [("arrived_rate", "到位率"), ("disbursed_budget_rate", "拨付占计划")]
    layout.chart(charts.rates_vs_schedule(drawn, label="region", series=series), key="rates")


def test_a_long_chart_draws_its_slowest_rows_only():
    at = run(chart_script)
    assert not at.exception
    assert "共50个县区，图中只画拨付占计划最低的40个县区；全部见下表" in texts(at)
    bars = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
    assert len(bars["y"]) == 40
    assert bars["y"][-1] == "县区49"  # drawn from the top: the slowest first
    assert "县区00" not in bars["y"]


def copy_script():
    from dashboard.paging import copy_lines

    lines = [f"县区{i:04d}：共滞后{2000 - i}项。" for i in range(1500)]
    copy_lines(lines, file_stem="通报用语", key="all_lines", noun="个县区")
    copy_lines(lines[:3], file_stem="短", key="few_lines", noun="个县区")


def test_copy_box_lists_the_first_lines_and_offers_all_as_a_file():
    at = run(copy_script)
    assert not at.exception
    many, few = (block.value.splitlines() for block in at.code)
    assert many[0] == "县区0000：共滞后2000项。" and len(many) == 120
    assert len(few) == 3
    assert "共1,500个县区，下框只列前120个县区（最严重的在前）；全部请下载。" in texts(at)
    assert [b.label for b in at.get("download_button")] == ["下载全部（.txt）"]
