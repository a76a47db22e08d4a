"""Signing in and out (登录): the panel on 数据管理 and the gate a closed deployment shows.

The form takes an account name when the deployment has accounts (县区, 市直单位, 领导 …); left
blank, the password is the shared 民生办 one. Who the session then is: dashboard.auth.
"""

from __future__ import annotations

import streamlit as st

from dashboard import admin_page, auth
from metrics.plain_text import md
from metrics.reach import Identity

WHAT_EACH_ROLE_DOES = {
    "民生办": "可以导入和撤销数据。",
    "领导": "可以浏览全部数据。",
    "县区": "只能看到本地区的数据，可以报送本地区的月报、填写本地区督办事项的整改措施。",
    "市直单位": "只能看到本单位负责的事项，可以报送本单位的月报、填写本单位督办事项的整改措施。",
}


def on_password_sign_in(prefix: str = "admin") -> None:
    state = st.session_state
    password = state.get(f"{prefix}_password", "")
    name = state.get(f"{prefix}_name", "")
    account = state.get(f"{prefix}_account", "") or ""
    try:
        signed_in = auth.try_password_sign_in(password, name, account)
    except auth.SignInThrottled as exc:
        admin_page.flash("error", str(exc))
        return
    if not signed_in:
        admin_page.flash("error", "账号或口令错误，请重试。" if account else "口令错误，请重试。")
        return
    from dashboard import activity_log  # it reads the identity this sign-in just granted

    activity_log.record("登录", f"账号 {account}" if account else "民生办共用口令")


def access_panel(config: auth.AuthConfig, identity: Identity, prefix: str = "admin") -> None:
    """Who is signed in, or the way to sign in this deployment offers."""
    if identity.role != "访客":
        left, right = st.columns([4, 1])
        what = WHAT_EACH_ROLE_DOES.get(identity.role, "只能浏览。")
        left.success(md("已登录：{}，{}", identity.label, what))
        right.button("退出登录", key=f"{prefix}_sign_out", on_click=auth.sign_out)
        return
    if config.visitor_reach == "all":
        st.info("浏览无需登录。导入月报和撤销导入需要民生办登录。")
    else:
        st.info("本看板需要登录后才能查看。")
    if config.has_accounts:
        st.caption("县区、市直单位用本单位账号登录后，可报送本单位月报、填写督办整改措施。")
    if config.problem:
        st.error(md("登录配置有误：{}", config.problem))
    elif config.mode == "off":
        st.caption("本部署未配置民生办登录，本页只能浏览。请联系管理员开通账号。")
    elif config.mode == "oidc":
        _oidc_panel(config, prefix)
    else:
        _password_form(config, prefix)


def _oidc_panel(config: auth.AuthConfig, prefix: str) -> None:
    if st.user.get("is_logged_in"):
        email = str(st.user.get("email") or "")
        if not auth.email_verified(st.user):
            st.warning(md("{} 的邮箱未经身份提供方验证，不能作为民生办身份，只能浏览。", email))
        else:
            st.warning(md("{} 不在民生办名单中，只能浏览。", email))
        st.button("退出登录", key=f"{prefix}_sign_out", on_click=auth.sign_out)
    elif not auth.oidc_available():
        st.error("统一身份登录需要安装 Authlib（streamlit[auth]），请联系管理员。")
    else:
        roles = config.roles
        units = any(roles.get(k) for k in ("leaders", "members", "groups"))
        st.button("统一身份登录" if units else "民生办登录", key=f"{prefix}_oidc_login",
                  on_click=st.login, args=(config.provider,))  # fmt: skip


def _password_form(config: auth.AuthConfig, prefix: str) -> None:
    with st.form(f"{prefix}_sign_in", clear_on_submit=True):
        if config.has_accounts:
            blank = "（民生办共用口令登录时留空）" if config.password_hash else ""
            st.text_input(md("账号{}", blank), key=f"{prefix}_account", max_chars=40)
        st.text_input("姓名（记入导入记录）", key=f"{prefix}_name", max_chars=40)
        if config.has_accounts:
            st.text_input("口令", type="password", key=f"{prefix}_password")
        else:
            st.text_input("民生办口令", type="password", key=f"{prefix}_password")
        st.form_submit_button("登录", on_click=on_password_sign_in, args=(prefix,),
                              key=f"{prefix}_sign_in_submit")  # fmt: skip
