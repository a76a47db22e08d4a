"""What a visitor sees when signing in on the 数据管理 page (AppTest, pages/data_admin.py):
weak password hashes refused with a reason, OIDC identities without a verified e-mail, the
per-minute sign-in budget, and the upload gate's list of sessions that may upload."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth, passwords, upload_gate
from tests.dashboard.admin_page import (
    OIDC_SECRETS,
    PASSWORD,
    UPLOADER,
    filled_warehouse,
    page,
)
from tests.shown import shown


@pytest.fixture(autouse=True)
def test_db(tmp_path, monkeypatch) -> Path:
    db = filled_warehouse(tmp_path)
    monkeypatch.setenv("MINSHENG_DB", str(db))
    monkeypatch.delenv("MINSHENG_ADMIN_PASSWORD_HASH", raising=False)
    return db


@pytest.fixture(autouse=True)
def fresh_budgets(monkeypatch):
    now = [5_000.0]
    monkeypatch.setattr(passwords, "_clock", lambda: now[0])
    monkeypatch.setattr(auth, "_sleep", lambda seconds: None)
    auth.clear_process_failures()
    yield now
    auth.clear_process_failures()


def try_password(at: AppTest, password: str) -> AppTest:
    at.text_input(key="admin_password").input(password)
    return at.button(key="admin_sign_in_submit").click().run()


def uploader_shown(at: AppTest) -> bool:
    return UPLOADER in {u.key for u in at.get("file_uploader")}


# --- weak hashes -------------------------------------------------------------------------------


@pytest.mark.parametrize("iterations", [1, 10_000])
def test_weak_hash_is_a_configuration_error_on_the_page(iterations):
    weak = auth.hash_password(PASSWORD, iterations=iterations)
    at = page({"minsheng": {"admin_password_hash": weak}})

    assert not at.exception
    assert [e.value for e in at.error] == [
        f"登录配置有误：口令哈希的迭代次数为 {iterations}，太少（至少 100000），容易被暴力破解；"
        "请用 python -m dashboard.auth hash 重新生成"
    ]
    assert "民生办口令" not in [t.label for t in at.text_input]  # nobody can sign in with it
    assert not uploader_shown(at)


# --- OIDC: only a verified e-mail address holds the role ---------------------------------------


@pytest.mark.parametrize(
    ("verified", "is_admin"),
    [(True, True), ("true", True), (False, False), ("false", False), (None, False)],
)
def test_oidc_admin_needs_a_verified_email(verified, is_admin):
    user = {"is_logged_in": True, "email": "clerk@wuhu.gov.cn"}
    if verified is not None:
        user["email_verified"] = verified
    at = page(OIDC_SECRETS, user=user)

    assert not at.exception
    assert uploader_shown(at) is is_admin
    if not is_admin:
        assert "clerk@wuhu.gov.cn 的邮箱未经身份提供方验证，不能作为民生办身份，只能浏览。" in [
            shown(w.value) for w in at.warning
        ]


def test_verified_email_off_the_list_is_still_a_visitor():
    user = {"is_logged_in": True, "email": "leader@wuhu.gov.cn", "email_verified": True}
    at = page(OIDC_SECRETS, user=user)

    assert not uploader_shown(at)
    assert "leader@wuhu.gov.cn 不在民生办名单中，只能浏览。" in [shown(w.value) for w in at.warning]


# --- the sign-in budget ------------------------------------------------------------------------


def test_sixth_guess_in_a_minute_is_refused_with_when_to_retry(fresh_budgets, monkeypatch):
    checked: list[str] = []
    real = auth.verify_password
    monkeypatch.setattr(passwords, "verify_password", lambda p, s: checked.append(p) or real(p, s))
    for _ in range(5):  # a new session (browser tab) for every guess
        at = try_password(page(), "猜一猜")
        assert [e.value for e in at.error] == ["口令错误，请重试。"]
        fresh_budgets[0] += 3

    at = try_password(page(), PASSWORD)  # 15 s after the first guess: even this is not checked

    assert [e.value for e in at.error] == [
        "登录尝试过于频繁（同一地址每分钟最多尝试 5 次），本次未检查口令。请 45 秒后再试。"
    ]
    assert len(checked) == 5
    assert not uploader_shown(at)
    fresh_budgets[0] += 45
    at = try_password(at, PASSWORD)
    assert uploader_shown(at)


# --- the upload gate learns who may upload -----------------------------------------------------


def test_sign_in_and_out_update_the_upload_gate(monkeypatch):
    monkeypatch.setattr(upload_gate, "_authorised", set())
    at = page()
    assert upload_gate._authorised == set()  # a visitor may not upload

    at = try_password(at, PASSWORD)
    assert uploader_shown(at)
    [session_id] = upload_gate._authorised  # (AppTest's one session id)

    at.button(key="admin_sign_out").click().run()

    assert not uploader_shown(at)
    assert session_id not in upload_gate._authorised
