"""Roles in the running app (AppTest): a county and a department account see only their own rows
on every page, whatever the link or the session state says; a forged grant is nobody; unified
sign-in maps groups to units; a closed deployment shows visitors the sign-in form only."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth, router
from dashboard.demo_accounts import ensure_demo_accounts
from etl.writing import activity
from etl.writing.supervision import open_lagging
from metrics.reach import Identity
from tests.app.conftest import APP, RUN_TIMEOUT_S, open_tab, table, texts

PASSWORD = "县区口令-2026"
HASH = auth.hash_password(PASSWORD, iterations=auth.MIN_ITERATIONS)
ACCOUNTS = {
    "zongyang": {"role": "县区", "unit": "枞阳县", "label": "枞阳县民生办", "password_hash": HASH},
    "jiaotong": {"role": "市直单位", "unit": "市交通局", "password_hash": HASH},
    "lingdao": {"role": "领导", "password_hash": HASH},
}
SECRETS = {"minsheng": {"accounts": ACCOUNTS}}


@pytest.fixture(autouse=True)
def fresh_budgets():
    auth.clear_process_failures()
    yield
    auth.clear_process_failures()


def start(params: dict[str, str] | None = None, secrets: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=RUN_TIMEOUT_S)
    at.secrets = secrets or SECRETS
    at.query_params.update(params or {})
    return at.run()


def signed_in(account: str, page: str = "overview", params: dict | None = None) -> AppTest:
    """Open the app (with the link's parameters), sign in on 数据管理, then go to `page`."""
    at = start(params)
    at.switch_page("pages/data_admin.py").run()
    at.text_input(key="admin_account").input(account)
    at.text_input(key="admin_password").input(PASSWORD)
    at.button(key="admin_sign_in_submit").click().run()
    assert not at.exception
    if page != "data_admin":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception
    return at


def test_a_county_sees_only_its_own_lagging_items_even_when_the_link_names_another(test_db):
    at = signed_in("zongyang", "lagging", {"region": "铜官区"})
    shown = table(at, "lagging_items")
    assert set(shown["地区"]) == {"枞阳县"}
    assert at.selectbox(key="region").options == ["枞阳县"]
    assert "当前身份：枞阳县民生办（县区 · 枞阳县）" in texts(at).replace("\\", "")
    # grouped by county: one row, its own
    at = open_tab(at, "lagging_tab", "按县区")
    assert "铜官区" not in texts(at)


def test_a_department_sees_its_items_across_regions(test_db):
    at = signed_in("jiaotong", "lagging")
    shown = table(at, "lagging_items")
    assert list(zip(shown["地区"], shown["责任单位"], strict=True)) == [("铜官区", "市交通局")]
    assert at.selectbox(key="dept").options == ["市交通局"]


def test_a_county_still_sees_the_whole_ranking_table(test_db):
    at = signed_in("zongyang", "ranking")
    assert not at.exception
    assert {"铜官区", "义安区", "枞阳县"} <= set(table(at, "ranking_county")["单位"])


def test_the_bulletin_draft_is_not_for_units(test_db):
    at = signed_in("zongyang", "overview")
    # the page is not registered for this session at all (a direct link: tests/browser)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/bulletin.py")
    assert router.page_list(Identity("某县", "县区", "枞阳县"))[-1][1] == "报送"
    assert "bulletin" not in [stem for stem, _, _ in router.page_list(at_identity(at))]


def at_identity(at: AppTest) -> Identity:
    return at.session_state[auth._GRANT_KEY].identity


def test_a_leader_reads_everything_but_writes_nothing(test_db):
    at = signed_in("lingdao", "lagging")
    assert set(table(at, "lagging_items")["地区"]) == {"铜官区", "枞阳县"}
    at.switch_page("pages/data_admin.py").run()
    assert not at.button(key="admin_check") if "admin_check" in _keys(at) else True
    assert "导入月报" not in [s.value for s in at.subheader]


def _keys(at: AppTest) -> set[str]:
    return {w.key for w in at.button}


def test_a_forged_grant_in_session_state_is_nobody(test_db):
    at = start()
    forged = auth._Grant(Identity("冒充", "民生办"), "", time.time(), b"\0" * 32)
    at.session_state[auth._GRANT_KEY] = forged
    at.switch_page("pages/data_admin.py").run()
    assert "导入月报" not in [s.value for s in at.subheader]
    # a real county grant with its role edited does not verify either
    at = signed_in("zongyang", "lagging")
    grant = at.session_state[auth._GRANT_KEY]
    at.session_state[auth._GRANT_KEY] = auth._Grant(
        Identity(grant.identity.user, "民生办"), grant.account, grant.granted_at, grant.mac
    )
    at.run()
    assert "当前身份：访客（未登录）" in texts(at)  # a visitor again, with a visitor's choices
    assert at.selectbox(key="region").options == ["全市", "义安区", "枞阳县", "铜官区"]


def test_a_page_run_reads_the_accounts_once(test_db, monkeypatch):
    """Every read of a page asks for the session's reach: the accounts (as many as the units)
    are read and checked once a run, not once a read, and the county still sees its own."""
    at = signed_in("zongyang", "overview")
    reads = []
    read = auth.read_auth_config
    monkeypatch.setattr(auth, "read_auth_config", lambda *a, **k: reads.append(a) or read(*a, **k))
    at.run()
    assert not at.exception
    assert len(reads) == 1
    assert next(m for m in at.metric if m.label == "滞后项").value == "1"  # 枞阳县's own


def test_signing_out_or_a_new_password_is_seen_on_the_next_run(test_db):
    at = signed_in("zongyang", "lagging")
    at.button(key="side_sign_out").click().run()
    assert "当前身份：访客（未登录）" in texts(at)
    at = signed_in("zongyang", "lagging")
    new_hash = auth.hash_password("新口令-2026", iterations=auth.MIN_ITERATIONS)
    accounts = {**ACCOUNTS, "zongyang": {**ACCOUNTS["zongyang"], "password_hash": new_hash}}
    at.secrets = {"minsheng": {"accounts": accounts}}
    at.run()
    assert "当前身份：访客（未登录）" in texts(at)
    assert at.selectbox(key="region").options == ["全市", "义安区", "枞阳县", "铜官区"]


OIDC = {
    "auth": {"redirect_uri": "http://x/oauth2callback", "cookie_secret": "c",
             "client_id": "i", "client_secret": "s",
             "server_metadata_url": "https://idp/.well-known/openid-configuration"},
    "minsheng": {"admins": ["clerk@city.gov.cn"], "groups": {"tongguan-msb": "县区/铜官区"},
                 "members": {"li@jiaotong.gov.cn": "市直单位/市交通局"}},
}  # fmt: skip


@pytest.mark.parametrize(
    ("user", "regions"),
    [
        ({"email": "wu@tongguan.gov.cn", "groups": ["tongguan-msb"]}, {"铜官区"}),
        ({"email": "li@jiaotong.gov.cn"}, {"铜官区"}),
        ({"email": "x@elsewhere.cn", "groups": ["tongguan-msb"], "email_verified": False},
         {"铜官区", "枞阳县"}),  # unverified: a visitor, who reads all by default
    ],
)  # fmt: skip
def test_unified_sign_in_maps_groups_and_addresses_to_units(test_db, user, regions):
    at = AppTest.from_file(APP, default_timeout=RUN_TIMEOUT_S)
    at.secrets = OIDC
    at.user = {"is_logged_in": True, "email_verified": True, **user}
    at.run()
    at.switch_page("pages/lagging.py").run()
    assert not at.exception
    assert set(table(at, "lagging_items")["地区"]) == regions


def test_a_closed_deployment_shows_visitors_only_the_sign_in_form(test_db):
    at = start(secrets={"minsheng": {"accounts": ACCOUNTS, "visitor_reach": "none"}})
    assert not at.exception
    assert "本看板需要登录后才能查看。" in [i.value for i in at.info]
    assert not at.dataframe and not at.metric
    for region in ("铜官区", "枞阳县", "义安区"):
        assert region not in texts(at)
    at.text_input(key="gate_account").input("zongyang")
    at.text_input(key="gate_password").input(PASSWORD)
    at.button(key="gate_sign_in_submit").click().run()
    at.switch_page("pages/lagging.py").run()
    assert set(table(at, "lagging_items")["地区"]) == {"枞阳县"}


def test_a_county_overview_puts_the_city_totals_beside_its_own(test_db):
    at = signed_in("zongyang", "overview")
    assert not at.exception
    city = [c.value for c in at.caption if str(c.value).startswith("全市")]
    assert len(city) == 1 and "滞后 3 项" in city[0]  # the city has 3 lagging items (2 + 1)
    lagging_tile = next(m for m in at.metric if m.label == "滞后项")
    assert lagging_tile.value == "1"  # 枞阳县's own


def test_meeting_screens_of_a_county_show_its_own_items_only(test_db):
    at = signed_in("zongyang", "overview")
    at.query_params.update({"mode": "present", "screen": "3", "region": "铜官区"})
    at.run()
    assert not at.exception
    cells = [str(c) for t in at.table for c in t.value.to_numpy().ravel()]
    assert any("枞阳县" in c for c in cells)
    assert not any("铜官区" in c for c in cells)


@pytest.fixture
def ledger(test_db) -> Path:
    """June's lagging items opened as 督办: 铜官区 ×2, 枞阳县 ×1."""
    assert open_lagging(test_db, 2025, 6, min_severity="黄", by="张三").ok
    return test_db


def test_a_county_answers_its_own_item_and_sees_no_other(ledger):
    at = signed_in("zongyang", "supervision")
    assert set(table(at, "supervision_items")["地区"]) == {"枞阳县"}
    at = open_tab(at, "supervision_tab", "事项详情")
    options = at.selectbox(key="sup_pick").options
    [item_id] = [int(str(o).split("｜")[0].removeprefix("编号 ")) for o in options]
    assert "sup_close_submit_" + str(item_id) not in {
        b.key for b in at.button
    }  # 销号 is the office's
    at.text_area(key=f"sup_measure_{item_id}").input("已新增公益性岗位12个，月底前补齐")
    at.button(key=f"sup_measure_submit_{item_id}").click().run()
    assert not at.exception
    history = table(at, "supervision_history")
    assert "已新增公益性岗位12个，月底前补齐" in list(history["内容"])
    assert "枞阳县民生办" in list(history["操作人"])
    events = activity.audit_events(ledger, action="记录整改措施")
    assert list(events["user"]) == ["枞阳县民生办"]


def test_sign_ins_are_in_the_audit_trail(test_db):
    signed_in("jiaotong", "overview")
    events = activity.audit_events(test_db, action="登录")
    assert list(zip(events["user"], events["role"], events["unit"], strict=True)) == [
        ("市交通局", "市直单位", "市交通局")
    ]


def test_demo_accounts_do_not_open_a_real_database(test_db):
    shown = ensure_demo_accounts(test_db)  # as if the demo had run here before real data came
    account, password, _ = shown[2]
    at = start(secrets={"minsheng": {}})
    at.switch_page("pages/data_admin.py").run()
    assert "admin_password" not in {t.key for t in at.text_input}  # no accounts: no form at all
    assert "本部署未配置民生办登录，本页只能浏览。请联系管理员开通账号。" in [
        c.value for c in at.caption
    ]
    assert account == "beiling" and password
