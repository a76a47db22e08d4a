"""app.py as a whole: first start, odd databases, and the filter state kept in the URL."""

from __future__ import annotations

import duckdb
import pytest

from tests.app.conftest import open_app, open_app_py, table, texts
from tests.app.testdata import build_test_database


def test_empty_database_says_so(empty_db):
    at = open_app_py()
    assert not at.exception
    assert "数据库中还没有任何月报数据" in texts(at)
    assert not at.dataframe and not at.selectbox


def test_unreadable_database_says_so(tmp_path, monkeypatch):
    db = tmp_path / "minsheng.duckdb"
    db.write_bytes(b"this is not a duckdb file" * 100)
    monkeypatch.setenv("MINSHENG_DB", str(db))
    at = open_app_py()
    assert not at.exception
    assert "数据库文件无法读取" in texts(at)


def test_missing_database_that_cannot_be_created_says_so(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("MINSHENG_DB", str(blocker / "minsheng.duckdb"))
    at = open_app_py()
    assert not at.exception
    assert "自动载入示例数据也失败了" in texts(at)


def test_first_start_builds_the_demo_and_shows_the_banner(tmp_path, monkeypatch):
    """The real demo build is covered by tests/demo and the browser tests; here a stand-in
    builder writes the 测试市 data marked as loaded by 'demo'."""
    import etl.demo

    def fake_demo(db_path):
        build_test_database(db_path)
        with duckdb.connect(str(db_path)) as con:
            con.execute("UPDATE load_log SET loaded_by = 'demo'")

    db = tmp_path / "new" / "minsheng.duckdb"
    monkeypatch.setenv("MINSHENG_DB", str(db))
    monkeypatch.setattr(etl.demo, "build_demo_database", fake_demo)
    at = open_app_py()
    assert not at.exception
    assert db.exists()
    assert "当前显示的是示例数据（示例市）" in texts(at)
    assert table(at, "most_behind") is not None


def test_real_data_has_no_demo_banner(test_db):
    at = open_app_py()
    assert "示例数据" not in texts(at)


@pytest.mark.parametrize(
    ("params", "widgets", "caption"),
    [
        ({}, ("2025", "6", "全市", "全部", "全部"), "2025年6月 · 全市"),
        (
            {"year": "2025", "month": "5", "region": "铜官区", "dept": "市人社局", "cat": "补助类"},
            ("2025", "5", "铜官区", "市人社局", "补助类"),
            "2025年5月 · 铜官区 · 市人社局 · 补助类",
        ),
    ],
)
def test_link_opens_the_same_view(test_db, params, widgets, caption):
    at = open_app("lagging", params)
    assert not at.exception
    shown = tuple(
        str(at.selectbox(key=k).value) for k in ("year", "month", "region", "dept", "cat")
    )
    assert shown == widgets
    assert caption in texts(at)
    assert at.query_params == {"year": "2025", "month": widgets[1], **params}


@pytest.mark.parametrize(
    ("params", "notice", "month", "region"),
    [
        ({"month": "13"}, "链接中的月份“13”无效，已改为最新月份", 6, "全市"),
        ({"month": "1"}, "链接中的月份“1”无效，已改为最新月份", 6, "全市"),
        ({"region": "火星区"}, "链接中的地区“火星区”不在当前数据中，已改为全市", 6, "全市"),
        (
            {"year": "1999", "region": "铜官区"},
            "链接中的年份“1999”无效，已改为最新年份",
            6,
            "铜官区",
        ),
    ],
)
def test_bad_link_parameter_falls_back_with_a_notice(test_db, params, notice, month, region):
    at = open_app("overview", params)
    assert not at.exception
    assert texts(at).count(notice) == 1  # said once, in the page (not also in a toast)
    assert not at.toast
    assert (at.selectbox(key="month").value, at.selectbox(key="region").value) == (month, region)


def test_changing_filters_updates_the_link(test_db):
    at = open_app("progress")
    at.selectbox(key="month").set_value(5).run()
    at.selectbox(key="cat").set_value("工程类").run()
    assert not at.exception
    assert at.query_params == {"year": "2025", "month": "5", "cat": "工程类"}
    at.selectbox(key="cat").set_value("全部").run()
    assert at.query_params == {"year": "2025", "month": "5"}
