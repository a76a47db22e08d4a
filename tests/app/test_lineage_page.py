"""数据溯源 page (AppTest): a link names an item; the page shows its file, sheet and row, who loaded
it, its months and the replacement; a county account cannot trace another county's rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import APP, RUN_TIMEOUT_S, open_app, table, texts
from tests.app.test_roles import ACCOUNTS, HASH, PASSWORD
from tests.metrics.test_lineage import REGION, load, report

LINK = {"year": "2025", "month": "6", "region": REGION, "code": "1", "indicator": "公益性岗位开发"}


@pytest.fixture
def traced_db(tmp_path, monkeypatch) -> Path:
    """北岭县 May and June loaded by 张三, June corrected by 李四; 南溪县 June by 王五."""
    db = tmp_path / "minsheng.duckdb"
    load(db, report(tmp_path / "北岭县5-6月.xlsx", {5: 30, 6: 40}, title=False), "张三")
    load(db, report(tmp_path / "北岭县6月更正.xlsx", {6: 45}, title=True), "李四")
    other = report(tmp_path / "南溪县6月.xlsx", {6: 70}, title=False, region="南溪县")
    load(db, other, "王五")
    monkeypatch.setenv("MINSHENG_DB", str(db))
    return db


def test_the_link_opens_the_items_source_and_history(traced_db):
    at = open_app("lineage", LINK)
    assert not at.exception
    shown = texts(at)
    assert "来源：《北岭县6月更正.xlsx》 · 工作表“进度” · 第 3 行" in shown
    assert "李四导入" in shown
    assert "2025年6月：累计完成 45个，年度目标 100个，完成率 45.0%" in shown
    history = table(at, "lineage_history")
    assert list(history["月份"]) == [5, 6]
    assert list(history["来源文件"]) == ["北岭县5-6月.xlsx", "北岭县6月更正.xlsx"]
    assert list(history["行号"]) == [2, 3]
    assert list(history["导入人"]) == ["张三", "李四"]
    assert "被《北岭县6月更正.xlsx》（李四导入）替换" in history["替换记录"].iloc[1]
    assert "替换记录（1 条）" in shown
    # the link keeps naming the item, so it can be copied from the address bar
    assert (at.query_params["code"], at.query_params["indicator"]) == ("1", "公益性岗位开发")


def test_without_an_indicator_the_link_traces_the_funding_row(traced_db):
    at = open_app("lineage", {k: v for k, v in LINK.items() if k != "indicator"})
    assert not at.exception
    assert "来源：《北岭县6月更正.xlsx》 · 工作表“资金” · 第 2 行" in texts(at)
    history = table(at, "lineage_history")
    assert list(history["到位资金（万元）"]) == [120.0, 180.0]


def signed_in_county(unit: str, params: dict[str, str]) -> AppTest:
    """A 县区 account of `unit` signs in on 数据管理, then opens the link."""
    accounts = {**ACCOUNTS, "county": {"role": "县区", "unit": unit, "password_hash": HASH}}
    at = AppTest.from_file(APP, default_timeout=RUN_TIMEOUT_S)
    at.secrets = {"minsheng": {"accounts": accounts}}
    at.query_params.update(params)
    at.run()
    at.switch_page("pages/data_admin.py").run()
    at.text_input(key="admin_account").input("county")
    at.text_input(key="admin_password").input(PASSWORD)
    at.button(key="admin_sign_in_submit").click().run()
    at.switch_page("pages/lineage.py").run()
    assert not at.exception
    return at


def test_a_county_cannot_trace_another_countys_row(traced_db):
    at = signed_in_county("南溪县", LINK)
    shown = texts(at)
    assert "北岭县" not in shown
    assert "来源：《南溪县6月.xlsx》 · 工作表“进度” · 第 2 行" in shown


def test_a_quality_warning_links_to_the_row_it_is_about(traced_db, tmp_path):
    from dashboard.admin_warnings import month_warnings

    # July's 累计完成 (20) below June's (45): a 警告 on the 进度 row and on the 资金 row
    load(traced_db, report(tmp_path / "北岭县7月.xlsx", {7: 20}, title=False), "张三")
    warnings = month_warnings(traced_db, 2025, 7)
    on_progress = warnings[warnings["工作表"] == "进度"]
    assert not on_progress.empty
    assert set(on_progress["溯源"]) == {
        "lineage?year=2025&month=7&region=%E5%8C%97%E5%B2%AD%E5%8E%BF&code=1&indicator="
        "%E5%85%AC%E7%9B%8A%E6%80%A7%E5%B2%97%E4%BD%8D%E5%BC%80%E5%8F%91"
    }
