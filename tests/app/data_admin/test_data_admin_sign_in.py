"""AppTest of the 数据管理 page (pages/data_admin.py): who may do what. A visitor browses but
cannot load or undo; a wrong password waits; OIDC grants the role to the listed, verified
addresses; signing out or a changed password takes the write widgets away.
"""

from __future__ import annotations

import pytest

from dashboard import admin_actions, auth
from dashboard.intake import Upload
from tests.app.data_admin.conftest import (
    ADMIN_ONLY_KEYS,
    current_progress,
    history_table,
    load_count,
    shown_text,
    signed_in,
    widget_keys,
)
from tests.dashboard.admin_files import GOOD
from tests.dashboard.admin_page import OIDC_SECRETS, PASSWORD, PASSWORD_HASH, UPLOADER, page
from tests.shown import shown

# --- visitors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("secrets", "expected"),
    [
        ({"minsheng": {"admin_password_hash": PASSWORD_HASH}}, "民生办口令"),
        ({"minsheng": {"max_file_mb": 20}}, "本部署未配置民生办登录"),
        ({"minsheng": {"admin_password_hash": "plaintext"}}, "登录配置有误"),
    ],
)
def test_visitor_browses_without_write_widgets(test_db, secrets, expected):
    at = page(secrets)

    assert not at.exception
    assert "数据管理" in shown_text(at)
    assert expected in shown_text(at) + " ".join(t.label for t in at.text_input)
    assert widget_keys(at).isdisjoint({UPLOADER, *ADMIN_ONLY_KEYS})
    # the read-only parts are there: 报送情况 and 导入记录 (without 撤销)
    assert "报送情况（2025年6月）" in shown_text(at)
    history = history_table(at)
    assert list(history["文件"]) == ["测试市2025年5-6月.xlsx"]


def test_forged_session_state_grants_nothing(test_db):
    at = page()
    before = (current_progress(test_db), load_count(test_db))
    at.session_state["_minsheng_admin_grant"] = True
    at.session_state["_admin_undo_pending"] = 1
    at.session_state["_admin_batch"] = admin_actions.CheckedBatch(
        [admin_actions.CheckedFile(GOOD[0], Upload(GOOD[0], GOOD[1], "xlsx"))]
    )
    at.run()

    assert not at.exception
    assert widget_keys(at).isdisjoint({UPLOADER, *ADMIN_ONLY_KEYS})
    assert (current_progress(test_db), load_count(test_db)) == before


def test_wrong_password_is_refused_after_a_delay(test_db, monkeypatch):
    slept: list[float] = []
    monkeypatch.setattr(auth, "_sleep", slept.append)
    at = page()
    for _ in range(2):
        at.text_input(key="admin_password").input("猜一猜")
        at.button(key="admin_sign_in_submit").click().run()

    assert "口令错误，请重试。" in [e.value for e in at.error]
    assert slept == [1, 2]
    assert UPLOADER not in widget_keys(at)


def test_a_new_session_does_not_restart_the_delay(test_db, monkeypatch):
    slept: list[float] = []
    monkeypatch.setattr(auth, "_sleep", slept.append)
    for _ in range(3):  # a fresh session (new browser tab) for every guess
        at = page()
        at.text_input(key="admin_password").input("猜一猜")
        at.button(key="admin_sign_in_submit").click().run()
        assert "口令错误，请重试。" in [e.value for e in at.error]

    assert slept == [1, 2, 3]
    signed_in()  # the right password clears the count
    at = page()
    at.text_input(key="admin_password").input("猜一猜")
    at.button(key="admin_sign_in_submit").click().run()
    assert slept == [1, 2, 3, 1]


def test_password_from_environment(test_db, monkeypatch):
    monkeypatch.setenv("MINSHENG_ADMIN_PASSWORD_HASH", PASSWORD_HASH)
    at = page({"minsheng": {"max_file_mb": 20}})
    at.text_input(key="admin_password").input(PASSWORD)
    at.button(key="admin_sign_in_submit").click().run()

    assert "已登录：民生办（民生办），可以导入和撤销数据。" in [s.value for s in at.success]
    assert UPLOADER in widget_keys(at)


@pytest.mark.parametrize(
    ("email", "is_admin"),
    [("clerk@wuhu.gov.cn", True), ("Clerk@Wuhu.gov.cn", True), ("leader@wuhu.gov.cn", False)],
)
def test_oidc_role_comes_from_the_admins_list(test_db, email, is_admin):
    # the identity provider vouches for the address (dashboard.auth.email_verified)
    at = page(OIDC_SECRETS, user={"is_logged_in": True, "email": email, "email_verified": True})

    assert not at.exception
    assert (UPLOADER in widget_keys(at)) is is_admin
    if not is_admin:
        assert f"{email} 不在民生办名单中，只能浏览。" in [shown(w.value) for w in at.warning]


@pytest.mark.parametrize(
    ("authlib", "expected"),
    [
        (True, "民生办登录"),
        (False, "统一身份登录需要安装 Authlib（streamlit[auth]），请联系管理员。"),
    ],
)
def test_oidc_visitor_is_offered_sign_in(test_db, monkeypatch, authlib, expected):
    monkeypatch.setattr(auth, "oidc_available", lambda: authlib)
    at = page(OIDC_SECRETS, user={"is_logged_in": False})

    assert expected in [b.label for b in at.button] + [e.value for e in at.error]
    assert widget_keys(at).isdisjoint({UPLOADER, *ADMIN_ONLY_KEYS})
    assert "民生办口令" not in [t.label for t in at.text_input]


def test_sign_out_removes_write_widgets(test_db):
    at = signed_in()
    at.button(key="admin_sign_out").click().run()

    assert widget_keys(at).isdisjoint({UPLOADER, *ADMIN_ONLY_KEYS})


def test_changing_the_password_signs_sessions_out(test_db):
    at = signed_in()
    assert UPLOADER in widget_keys(at)

    at.secrets = {
        "minsheng": {
            "admin_password_hash": auth.hash_password("新口令", iterations=auth.MIN_ITERATIONS)
        }
    }
    at.run()

    assert widget_keys(at).isdisjoint({UPLOADER, *ADMIN_ONLY_KEYS})
