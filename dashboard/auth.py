"""Who the session is (领导, 民生办, 县区, 市直单位, 访客) and what it may do.

Browsing needs no sign-in unless `[minsheng] visitor_reach = "none"`. Write actions need the
民生办 role; a 县区 or 市直单位 account sees its own rows (metrics.reach), sends its month's file
(报送) and answers its own 督办. Accounts and their roles: dashboard.accounts. The 民生办 role is
granted in one of these ways:

- OIDC: when `[auth]` is configured in `.streamlit/secrets.toml`, sign-in goes through
  `st.login()`, and the role belongs to the e-mail addresses in `[minsheng] admins = [...]`,
  when the identity provider says the address is verified (`email_verified`).
- Password: otherwise a shared password, stored only as a salted PBKDF2 hash (at least
  MIN_ITERATIONS) in `[minsheng] admin_password_hash` (secrets) or `MINSHENG_ADMIN_PASSWORD_HASH`
  (environment). Make the hash with `python -m dashboard.auth hash`. Wrong passwords wait 1–5 s,
  and at most MAX_ATTEMPTS_PER_CLIENT checks per address and MAX_ATTEMPTS_TOTAL in all are made
  per minute, whatever the number of sessions (hashes and budgets: dashboard.passwords).

- Accounts: `[minsheng.accounts.<name>]` (secrets, or the file MINSHENG_ACCOUNTS names) with a
  role, a unit and a password hash each; the demo database adds its demo accounts.

With none configured, nobody holds a role and the pages stay read-only.
Every write handler calls `require_admin()` itself; rendering a button is never the check.
Each check also tells the upload gate (dashboard.upload_gate) whether the session may upload.
Inside `once_per_run()` (the router's page run) the configuration and the identity are worked
out once for the run; every run starts afresh.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import getpass
import hashlib
import hmac
import logging
import os
import secrets
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard import accounts, upload_gate
from dashboard.accounts import Account, AccountsProblem
from dashboard.passwords import (
    DEFAULT_ITERATIONS,
    checked_password,
    clear_process_failures,
    client_key,
    failure_delay,
    hash_password,
    password_hash_problem,
    record_process_failure,
)

# the password names the pages and the tests reach as auth.*
from dashboard.passwords import FAILURE_WINDOW_S as FAILURE_WINDOW_S
from dashboard.passwords import MAX_ATTEMPTS_PER_CLIENT as MAX_ATTEMPTS_PER_CLIENT
from dashboard.passwords import MAX_ATTEMPTS_TOTAL as MAX_ATTEMPTS_TOTAL
from dashboard.passwords import MIN_ITERATIONS as MIN_ITERATIONS
from dashboard.passwords import SignInThrottled as SignInThrottled
from dashboard.passwords import verify_password as verify_password
from metrics.reach import ANONYMOUS, OFFICE, Identity, Reach

log = logging.getLogger(__name__)

DEFAULT_USER_LABEL = "民生办"

AuthMode = Literal["oidc", "password", "off"]

_GRANT_KEY = "_minsheng_grant"
_FAILURES_KEY = "_minsheng_auth_failures"
# Grants are signed with a key that lives only in this server process: a value put into session
# state by any other route than a successful sign-in does not verify.
_PROCESS_KEY = secrets.token_bytes(32)
_sleep = time.sleep  # the tests replace this one name, not the time module everyone shares
# The configuration and identity of the script run under way (once_per_run); None outside one.
# Every data read asks for the reach: reading and checking every account each time cost ~1.5 ms
# a read at 300 accounts, 9-19 reads a page.
_THIS_RUN: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "minsheng_auth_this_run", default=None
)


class NotAuthorized(PermissionError):
    """Raised by `require_admin()` / `require_unit()` when the session lacks the role."""


# --- configuration -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AuthConfig:
    """How the 民生办 role is granted in this deployment."""

    mode: AuthMode
    admins: frozenset[str] = frozenset()  # lower-cased e-mails (OIDC)
    password_hash: str | None = None  # the shared 民生办 password (password)
    provider: str | None = None  # named `[auth.X]` provider for st.login, None = default
    accounts: Mapping[str, Account] = field(default_factory=dict)  # by lower-cased name
    visitor_reach: str = "all"
    roles: Mapping[str, Any] = field(default_factory=dict)  # [minsheng] for the OIDC role lists
    accounts_problem: str | None = None

    @property
    def problem(self) -> str | None:
        """A configuration mistake to show to whoever tries to sign in, or None."""
        if self.accounts_problem:
            return self.accounts_problem
        if self.mode == "oidc" and not self.admins:
            return "已配置统一身份登录，但 secrets 中 [minsheng] admins 为空，无人可导入数据"
        if self.mode == "password" and self.password_hash:
            return password_hash_problem(self.password_hash)
        for account in self.accounts.values():
            problem = password_hash_problem(account.password_hash)
            if problem:
                return f"账号“{account.name}”：{problem}"
        return None

    @property
    def has_accounts(self) -> bool:
        return bool(self.accounts)


def read_auth_config(
    secrets_map: Mapping[str, Any],
    environ: Mapping[str, str],
    demo_accounts: Mapping[str, Any] | None = None,
) -> AuthConfig:
    """Decide the sign-in mode from the secrets and environment (no Streamlit needed).
    `demo_accounts`: the demo database's accounts, passed only while the demo is shown."""
    minsheng = secrets_map.get("minsheng") or {}
    auth = secrets_map.get("auth") or {}
    extra: dict[str, Any] = {}
    try:
        found: dict[str, Account] = {}
        for table in (
            demo_accounts or {},
            accounts.accounts_file(environ.get("MINSHENG_ACCOUNTS")),
            minsheng.get("accounts") or {},
        ):
            found |= accounts.read_accounts(table)
        extra = {"accounts": found, "visitor_reach": accounts.visitor_reach(minsheng, environ)}
    except AccountsProblem as exc:
        extra = {"accounts_problem": str(exc)}
    extra["roles"] = minsheng
    if auth:
        admins = frozenset(str(a).strip().lower() for a in minsheng.get("admins", []) if a)
        named = [k for k, v in auth.items() if isinstance(v, Mapping)]
        provider = minsheng.get("oidc_provider")
        if provider is None and "client_id" not in auth and named:
            provider = named[0]
        return AuthConfig("oidc", admins=admins, provider=provider, **extra)
    stored = minsheng.get("admin_password_hash") or environ.get("MINSHENG_ADMIN_PASSWORD_HASH")
    if stored:
        return AuthConfig("password", password_hash=str(stored).strip(), **extra)
    if extra.get("accounts") or extra.get("accounts_problem"):
        return AuthConfig("password", **extra)
    return AuthConfig("off", **extra)


def secrets_section(name: str) -> Mapping[str, Any]:
    """One section of st.secrets, or {} when there is no secrets file at all."""
    try:
        value = st.secrets.get(name)
    except FileNotFoundError:  # StreamlitSecretNotFoundError: no secrets.toml anywhere
        return {}
    return value if isinstance(value, Mapping) else {}


@contextlib.contextmanager
def once_per_run() -> Iterator[None]:
    """One script run: the configuration and the session's identity are worked out at the first
    question and kept until the run ends (a sign-in or sign-out in it starts them again). The
    next run reads everything afresh, so a changed password, account file or session value
    applies from the next run on, as before."""
    token = _THIS_RUN.set({})
    try:
        yield
    finally:
        _THIS_RUN.reset(token)


def _forget_this_run() -> None:
    kept = _THIS_RUN.get()
    if kept is not None:
        kept.clear()


def current_config() -> AuthConfig:
    kept = _THIS_RUN.get()
    if kept is not None and "config" in kept:
        return kept["config"]
    config = read_auth_config(
        {"auth": secrets_section("auth"), "minsheng": secrets_section("minsheng")},
        os.environ,
        _demo_accounts(),
    )
    if kept is not None:
        kept["config"] = config
    return config


def _demo_accounts() -> Mapping[str, Any]:
    """The demo accounts, only while the database is the demo (a real database never has them)."""
    from dashboard import data, startup  # startup imports this module's callers

    path = data.db_path()
    if not accounts.demo_accounts_path(path).exists():
        return {}
    try:
        is_demo = startup.is_demo_database(path)
    except Exception:  # an unreadable database: no demo accounts
        return {}
    return accounts.demo_accounts(path) if is_demo else {}


# --- the role in a session ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Grant:
    """A password sign-in: the identity, the account it came from ("" = the shared 民生办
    password) and a MAC only this process can make."""

    identity: Identity
    account: str
    granted_at: float
    mac: bytes


def _grant_mac(identity: Identity, account: str, granted_at: float, password_hash: str) -> bytes:
    # Binding the configured hash means changing the password signs every session out; binding
    # role and unit means a grant edited in session state does not verify.
    message = "\x00".join(
        [
            identity.user,
            identity.role,
            identity.unit or "",
            account,
            repr(granted_at),
            password_hash,
        ]
    ).encode()
    return hmac.new(_PROCESS_KEY, message, hashlib.sha256).digest()


def email_verified(user: Mapping[str, Any]) -> bool:
    """The identity provider vouches for the address (`email_verified` true; missing = no)."""
    value = user.get("email_verified")
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def current_identity(config: AuthConfig | None = None) -> Identity:
    """Who this session is, checked afresh on every call, or once a run inside once_per_run (a
    changed password or list applies from the next run). Also tells the upload gate whether the
    session may upload (民生办, 县区, 市直单位)."""
    config = config or current_config()
    kept = _THIS_RUN.get()
    if kept is not None and kept.get("identity_of") is config:
        return kept["identity"]
    identity = _identity(config)
    if kept is not None:
        kept.update(identity_of=config, identity=identity)
    session_id = _session_id()
    if session_id:
        may_upload = identity.writes or identity.reports
        (upload_gate.authorise if may_upload else upload_gate.revoke)(session_id)
    return identity


def current_reach(config: AuthConfig | None = None) -> Reach:
    """The rows this session may read (metrics.reach)."""
    config = config or current_config()
    return current_identity(config).reach(config.visitor_reach)


def admin_user(config: AuthConfig | None = None) -> str | None:
    """The signed-in 民生办 user's name (recorded as loaded_by), or None without the role."""
    identity = current_identity(config)
    return identity.user if identity.writes else None


def _session_id() -> str | None:
    ctx = get_script_run_ctx(suppress_warning=True)
    return ctx.session_id if ctx is not None else None


def _identity(config: AuthConfig) -> Identity:
    if config.problem is not None:
        return ANONYMOUS
    grant = st.session_state.get(_GRANT_KEY)
    if isinstance(grant, _Grant):
        stored = _grant_hash(config, grant.account)
        if stored is not None:
            expected = _grant_mac(grant.identity, grant.account, grant.granted_at, stored)
            if hmac.compare_digest(grant.mac, expected):
                return grant.identity
    if config.mode == "oidc" and st.user.get("is_logged_in"):
        email = str(st.user.get("email") or "").strip().lower()
        # Anyone can put any address on an account at some providers: only a verified one counts.
        if not email or not email_verified(st.user):
            return ANONYMOUS
        groups = st.user.get("groups") or []
        groups = [str(g) for g in groups] if isinstance(groups, list | tuple) else []
        try:
            return accounts.oidc_identity(email, groups, config.roles)
        except AccountsProblem:
            return ANONYMOUS
    return ANONYMOUS


def _grant_hash(config: AuthConfig, account: str) -> str | None:
    """The password hash a grant was made with, as configured now (None: no longer there)."""
    if not account:
        return config.password_hash if config.mode == "password" else None
    found = config.accounts.get(account)
    return found.password_hash if found is not None else None


def require_admin() -> str:
    """The 民生办 user for a write action; raises NotAuthorized for anyone else."""
    user = admin_user()
    if user is None:
        raise NotAuthorized("需要民生办登录后才能导入或撤销数据")
    return user


def require_unit() -> Identity:
    """The 县区 or 市直单位 identity for a unit's own write (报送, 整改措施)."""
    identity = current_identity()
    if not identity.reports:
        raise NotAuthorized("需要以县区或市直单位账号登录后才能报送或填写整改措施")
    return identity


def try_password_sign_in(password: str, user_label: str = "", account: str = "") -> bool:
    """Check the password of `account` ("" = the shared 民生办 password); on success grant its
    role to this session, else wait and say no. An unknown account costs a check all the same
    (its answer must not tell which account names exist).

    Raises SignInThrottled, without checking, when the per-minute budget is spent."""
    config = current_config()
    if config.mode != "password" or config.problem:
        return False
    account = account.strip().lower()
    found = config.accounts.get(account) if account else None
    stored = found.password_hash if found is not None else config.password_hash
    if account and found is None:
        stored = None
    client = client_key()
    if checked_password(password, stored or _decoy_hash(), client) and stored:
        label = user_label.strip()[:40]
        if found is not None:
            identity = Identity(label or found.label, found.role, found.unit)
        else:
            identity = Identity(label or DEFAULT_USER_LABEL, OFFICE)
        user = identity.user
        granted_at = time.time()
        mac = _grant_mac(identity, account, granted_at, stored)
        st.session_state[_GRANT_KEY] = _Grant(identity, account, granted_at, mac)
        st.session_state[_FAILURES_KEY] = 0
        _forget_this_run()  # whoever asks next in this run gets the new identity
        clear_process_failures(client)
        log.info("数据管理: %s 已登录", user)
        return True
    failures = int(st.session_state.get(_FAILURES_KEY, 0)) + 1
    st.session_state[_FAILURES_KEY] = failures
    from_client = record_process_failure(client)
    log.warning(
        "数据管理: 口令错误（本会话第 %d 次，来自 %s 第 %d 次）", failures, client, from_client
    )
    _sleep(failure_delay(max(failures, from_client)))
    return False


@functools.cache
def _decoy_hash() -> str:
    """Checked against when the account does not exist, so that costs as long as a real one."""
    return hash_password(secrets.token_hex(16), iterations=DEFAULT_ITERATIONS)


def sign_out() -> None:
    config = current_config()
    st.session_state.pop(_GRANT_KEY, None)
    _forget_this_run()
    session_id = _session_id()
    if session_id:
        upload_gate.revoke(session_id)
    if config.mode == "oidc" and st.user.get("is_logged_in"):
        st.logout()


def oidc_available() -> bool:
    """st.login needs Authlib (`streamlit[auth]`)."""
    import importlib.util

    return importlib.util.find_spec("authlib") is not None


# --- CLI: python -m dashboard.auth hash --------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv != ["hash"]:
        print("用法: python -m dashboard.auth hash   （输入口令，输出可放入 secrets 的哈希）")
        return 2
    password = getpass.getpass("管理员口令: ")
    if not password or password != getpass.getpass("再输入一次: "):
        print("两次输入不一致或为空，未生成。", file=sys.stderr)
        return 1
    print(hash_password(password, iterations=DEFAULT_ITERATIONS))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
