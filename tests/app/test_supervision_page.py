"""督办 page (pages/supervision.py): the ledger with its 三色 and status chips, counts by county and
department, an item's history; a signed-in 民生办 clerk opens items from the month's lagging list,
adds a manual finding, records a 整改 note and closes an item; a visitor cannot write."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth
from etl.writing import activity
from etl.writing import supervision as sv
from tests.app.conftest import APP, RUN_TIMEOUT_S, open_app, open_tab, table, texts
from tests.shown import shown

PASSWORD = "民生办口令-2026"
PASSWORD_HASH = auth.hash_password(PASSWORD, iterations=auth.MIN_ITERATIONS)
TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _no_env_password(monkeypatch):
    monkeypatch.delenv("MINSHENG_ADMIN_PASSWORD_HASH", raising=False)
    auth.clear_process_failures()
    yield
    auth.clear_process_failures()


@pytest.fixture
def ledger_db(tmp_path, monkeypatch, test_db_template) -> Path:
    """The 测试市 database with a ledger: 1 铜官区 岗位 (红 severity) overdue, 2 铜官区 完工 due
    in 3 days with a note, 3 枞阳县 岗位 due in a month, closed; 4 a 督查 finding."""
    db = tmp_path / "minsheng.duckdb"
    shutil.copyfile(test_db_template, db)
    monkeypatch.setenv("MINSHENG_DB", str(db))
    assert sv.open_lagging(db, 2025, 6, min_severity="红", by="张三").ok
    assert sv.open_lagging(db, 2025, 6, deadline=TODAY + dt.timedelta(days=3), by="张三").ok
    sv.open_lagging(db, 2025, 6, min_severity="黄", deadline=TODAY + dt.timedelta(days=30))
    sv.add_note(db, 2, "已约谈市交通局，月底前完工", by="李四")
    sv.close_item(db, 3, "经复核同意销号", by="王五")
    sv.open_manual(db, 2025, 6, reason="**未按时**报送[信息](http://e.example)", region="义安区",
                   deadline=TODAY + dt.timedelta(days=30), by="张三")  # fmt: skip
    return db


def signed_in(page: str = "supervision") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=RUN_TIMEOUT_S)
    at.secrets = {"minsheng": {"admin_password_hash": PASSWORD_HASH}}
    at.run()
    at.switch_page("pages/data_admin.py").run()
    at.text_input(key="admin_name").input("张三")
    at.text_input(key="admin_password").input(PASSWORD)
    at.button(key="admin_sign_in_submit").click().run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception
    return at


def statuses(db: Path) -> dict[int, str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return dict(con.execute("SELECT item_id, status FROM v_supervision").fetchall())


def test_ledger_shows_colours_and_statuses(ledger_db):
    at = open_app("supervision")
    assert not at.exception
    assert at.title[0].value == "督办"
    cards = {shown(m.label): m.value for m in at.metric}
    assert cards["未销号"] == "3"
    assert cards["红（已逾期）"] == "1" and cards["蓝（7天内到期）"] == "1"
    assert cards["已销号"] == "1"  # counted, though the list hides it by default
    shown_items = table(at, "supervision_items")
    rows = list(zip(shown_items["编号"], shown_items["督办事项"], strict=True))
    assert rows == [
        (1, "公益性岗位开发（公益性岗位开发）"),
        (2, "农村公路扩面延伸工程（农村公路扩面延伸工程完工）"),
        (4, "督查发现"),
    ]
    assert [c[0] for c in shown_items["三色"]] == ["红", "蓝", "黄"]
    assert [c[0] for c in shown_items["状态"]] == ["待整改", "整改中", "待整改"]
    assert list(shown_items["下发时落后（个百分点）"]) == ["35.0", "15.0", "—"]


def test_closed_items_on_request_and_by_unit(ledger_db):
    at = open_app("supervision")
    at.multiselect(key="sup_status").set_value(["已销号"]).run()
    assert list(table(at, "supervision_items")["编号"]) == [3]
    open_tab(at, "supervision_tab", "按县区")
    by_region = table(at, "supervision_by_region")
    assert list(zip(by_region["县区"], by_region["未销号"], by_region["红"], strict=True)) == [
        ("铜官区", 2, 1), ("义安区", 1, 0), ("枞阳县", 0, 0),
    ]  # fmt: skip


def test_item_detail_shows_its_history_as_typed(ledger_db):
    at = open_tab(open_app("supervision"), "supervision_tab", "事项详情")
    at.selectbox(key="sup_pick").set_value(2).run()
    history = table(at, "supervision_history")
    assert list(history["事项"]) == ["下发督办", "整改情况"]
    assert list(history["内容"]) == ["", "已约谈市交通局，月底前完工"]
    assert list(table(at, "supervision_gaps")["落后（个百分点）"]) == [20.0, 20.0, 15.0]
    at.selectbox(key="sup_pick").set_value(4).run()
    assert "督办原因：**未按时**报送[信息](http://e.example)" in shown(texts(at))
    assert "督办原因：\\*\\*未按时" in texts(at)  # escaped, never bold or a link
    assert not any(k.startswith("sup_note") for k in keys(at))  # a visitor gets no forms


def keys(at: AppTest) -> set[str]:
    return {w.key for kind in ("button", "text_area", "multiselect") for w in at.get(kind)
            if w.key}  # fmt: skip


def test_visitor_cannot_open_items(ledger_db):
    at = open_tab(open_app("supervision"), "supervision_tab", "下发督办")
    assert "需要民生办登录" in texts(at)
    assert "sup_open_selected" not in keys(at)


def test_clerk_opens_notes_and_closes(ledger_db):
    at = signed_in()
    open_tab(at, "supervision_tab", "下发督办")
    assert "本月滞后 3 项，其中 2 项已有未销号的督办。" in shown(texts(at))
    # 枞阳县's item was closed: the indicator can be opened again
    at.multiselect(key="sup_open_pick").set_value(
        ["枞阳县｜公益性岗位开发｜黄｜落后6.0个百分点"]
    ).run()
    at.button(key="sup_open_selected").click().run()
    assert not at.exception
    assert any("新下发督办 1 项（编号 5）" in shown(s.value) for s in at.success)
    assert statuses(ledger_db)[5] == "待整改"

    at.text_area(key="sup_manual_reason").input("9月份督查发现未按时报送信息")
    at.selectbox(key="sup_manual_department").set_value("市人社局")
    at.button(key="sup_manual_submit").click().run()
    assert any("已下发督办（编号 6，市人社局）" in shown(s.value) for s in at.success)

    open_tab(at, "supervision_tab", "事项详情")
    at.selectbox(key="sup_pick").set_value(1).run()
    at.text_area(key="sup_note_1").input("已召开推进会")
    at.button(key="sup_note_submit_1").click().run()
    assert statuses(ledger_db)[1] == "整改中"
    at.text_area(key="sup_close_1").input("经复核同意销号")
    at.button(key="sup_close_submit_1").click().run()
    assert statuses(ledger_db)[1] == "已销号"
    assert activity.audit_events(ledger_db, action="销号")["detail"].tolist() == ["督办编号 1"]
    assert list(table(at, "supervision_history")["事项"]) == ["下发督办", "整改情况", "销号"]
    assert list(table(at, "supervision_history")["操作人"])[1:] == ["张三", "张三"]


def test_a_write_checks_the_role_when_it_runs(ledger_db):
    at = signed_in()
    open_tab(at, "supervision_tab", "事项详情")
    at.selectbox(key="sup_pick").set_value(1).run()
    at.text_area(key="sup_close_1").input("销号")
    at.session_state[auth._GRANT_KEY] = None  # the role is gone before the click lands
    at.button(key="sup_close_submit_1").click().run()
    assert statuses(ledger_db)[1] == "待整改"
    assert any("需要民生办登录" in e.value for e in at.error)
    assert activity.audit_events(ledger_db, action="销号").empty  # refused: not in the audit trail


def test_a_database_without_a_ledger(test_db):
    at = open_app("supervision")
    assert not at.exception
    assert "2025年还没有督办事项。" in shown(texts(at))


def test_lagging_page_links_to_supervision(test_db):
    at = open_app("lagging")
    assert not at.exception
    assert any(link.label.startswith("为滞后项下发督办") for link in at.get("page_link"))


def test_a_notice_per_unit_with_open_items(ledger_db):
    at = open_tab(open_app("supervision"), "supervision_tab", "按县区")
    assert not at.exception
    buttons = {b.key: b for b in at.get("download_button") if b.key.startswith("sup_notice_")}
    # 铜官区 and 义安区 have open items; 枞阳县's only item is closed
    assert [shown(b.label) for b in buttons.values()] == ["义安区通知单", "铜官区通知单"]
    open_tab(at, "supervision_tab", "按责任单位")
    labels = [shown(b.label) for b in at.get("download_button") if b.key.startswith("sup_notice_")]
    assert "市交通局通知单" in labels


def test_a_link_opens_the_same_status_filter_and_item(ledger_db):
    at = open_app("supervision", {"status": "已销号,可销号"})
    assert not at.exception
    assert at.multiselect(key="sup_status").value == ["可销号", "已销号"]
    assert list(table(at, "supervision_items")["编号"]) == [3]
    at.multiselect(key="sup_status").set_value(["整改中"]).run()
    assert at.query_params["status"] == "整改中"  # a copied link keeps the view
    at = open_tab(open_app("supervision", {"item": "2"}), "supervision_tab", "事项详情")
    assert at.selectbox(key="sup_pick").value == 2
    assert at.query_params["item"] == "2"


def test_a_bad_link_value_is_named_as_typed_and_ignored(ledger_db):
    at = open_app("supervision", {"status": "[x](https://e.example),整改中"})
    assert not at.exception
    assert at.multiselect(key="sup_status").value == ["整改中"]
    assert "链接中的状态“[x](https://e.example)”无效，已忽略" in [shown(t.value) for t in at.toast]
    at = open_tab(open_app("supervision", {"item": "999"}), "supervision_tab", "事项详情")
    assert at.selectbox(key="sup_pick").value == 1
    assert "链接中的督办事项“999”不在当前台账中" in [shown(t.value) for t in at.toast]
