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
  per minute, whatever the number of sessions.

- Accounts: `[minsheng.accounts.<name>]` (secrets, or the file MINSHENG_ACCOUNTS names) with a
  role, a unit and a password hash each; the demo database adds its demo accounts.

With none configured, nobody holds a role and the pages stay read-only.
Every write handler calls `require_admin()` itself; rendering a button is never the check.
Each check also tells the upload gate (dashboard.upload_gate) whether the session may upload.
"""

from __future__ import annotations

import functools
import getpass
import hashlib
import hmac
import logging
import math
import os
import secrets
import sys
import threading
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard import accounts, upload_gate
from dashboard.accounts import Account, AccountsProblem
from metrics.reach import ANONYMOUS, OFFICE, Identity, Reach

log = logging.getLogger(__name__)

HASH_SCHEME = "pbkdf2_sha256"
DEFAULT_ITERATIONS = 600_000  # OWASP 2023 figure for PBKDF2-HMAC-SHA256
MIN_ITERATIONS = 100_000  # fewer makes guessing from a leaked hash cheap: the config is refused
MAX_ITERATIONS = 10_000_000  # a typo in the config must not hang every sign-in
MAX_FAILURE_DELAY_S = 5
FAILURE_WINDOW_S = 15 * 60  # failed sign-ins older than this no longer add to the delay
MAX_TRACKED_CLIENTS = 1_000  # beyond this, forgotten failures are pruned
# Password checks allowed per minute, whatever the number of sessions: per client address, and
# for the whole server (many addresses, or one proxy in front of everyone). Delays alone are per
# request, so parallel sessions multiplied the guesses; a budget caps them.
ATTEMPT_WINDOW_S = 60
MAX_ATTEMPTS_PER_CLIENT = 5
MAX_ATTEMPTS_TOTAL = 20
DEFAULT_USER_LABEL = "民生办"

AuthMode = Literal["oidc", "password", "off"]

_GRANT_KEY = "_minsheng_grant"
_FAILURES_KEY = "_minsheng_auth_failures"
# Grants are signed with a key that lives only in this server process: a value put into session
# state by any other route than a successful sign-in does not verify.
_PROCESS_KEY = secrets.token_bytes(32)
_sleep = time.sleep  # the tests replace this one name, not the time module everyone shares
_clock = time.monotonic
# Failed sign-ins per client (ip address, else "*" for all) across every session of this server
# process: a new browser session must not restart the delay at zero.
_failures_lock = threading.Lock()
_process_failures: dict[str, tuple[int, float]] = {}
# Times of the password checks within the last ATTEMPT_WINDOW_S, per client and for everyone.
_attempts_by_client: dict[str, deque[float]] = {}
_all_attempts: deque[float] = deque()


class NotAuthorized(PermissionError):
    """Raised by `require_admin()` / `require_unit()` when the session lacks the role."""


class SignInThrottled(PermissionError):
    """Raised instead of checking a password when the sign-in budget is spent; the message
    (Chinese) says when to try again."""


# --- password hashes ---------------------------------------------------------------------------


def hash_password(
    password: str, *, iterations: int = DEFAULT_ITERATIONS, salt: bytes | None = None
) -> str:
    """Salted PBKDF2-SHA256 hash as `pbkdf2_sha256$iterations$salt_hex$hash_hex`."""
    if not password:
        raise ValueError("口令不能为空")
    salt = secrets.token_bytes(16) if salt is None else salt
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"{HASH_SCHEME}${iterations}${salt.hex()}${digest.hex()}"


def password_hash_problem(stored: str) -> str | None:
    """Why `stored` is not a usable hash (Chinese, for the deployer), or None when it is."""
    parts = stored.strip().split("$")
    if len(parts) == 4 and parts[0] != HASH_SCHEME:
        return f"口令哈希的算法应为 {HASH_SCHEME}（现为 {parts[0][:20]}）"
    if len(parts) != 4:
        return f"口令哈希格式应为 {HASH_SCHEME}$次数$盐$哈希"
    _, iterations, salt_hex, digest_hex = parts
    if not iterations.isdigit() or not 1 <= int(iterations) <= MAX_ITERATIONS:
        return f"口令哈希的迭代次数应为 {MIN_ITERATIONS}–{MAX_ITERATIONS} 的整数"
    if int(iterations) < MIN_ITERATIONS:
        return (
            f"口令哈希的迭代次数为 {int(iterations)}，太少（至少 {MIN_ITERATIONS}），容易被暴力破解；"
            "请用 python -m dashboard.auth hash 重新生成"
        )
    try:
        salt, digest = bytes.fromhex(salt_hex), bytes.fromhex(digest_hex)
    except ValueError:
        return "口令哈希的盐或哈希不是十六进制"
    if not salt or len(digest) != hashlib.sha256().digest_size:
        return "口令哈希的盐为空或哈希长度不对"
    return None


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches `stored`; False for a wrong password or a malformed hash."""
    if not password or password_hash_problem(stored) is not None:
        return False
    _, iterations, salt_hex, digest_hex = stored.strip().split("$")
    candidate = hashlib.pbkdf2_hmac(
        "sha256", password.encode("utf-8"), bytes.fromhex(salt_hex), int(iterations)
    )
    return hmac.compare_digest(candidate, bytes.fromhex(digest_hex))


def failure_delay(failures: int) -> int:
    """Seconds to wait after the `failures`-th failed sign-in of a session: 1, 2, … capped at 5."""
    return max(0, min(failures, MAX_FAILURE_DELAY_S))


def record_process_failure(client: str) -> int:
    """Count one failed sign-in of `client` in this process; its failures within the window."""
    now = _clock()
    with _failures_lock:
        count, last = _process_failures.get(client, (0, now))
        count = 1 if now - last > FAILURE_WINDOW_S else count + 1
        _process_failures[client] = (count, now)
        if len(_process_failures) > MAX_TRACKED_CLIENTS:
            for key, (_, seen) in list(_process_failures.items()):
                if now - seen > FAILURE_WINDOW_S:
                    del _process_failures[key]
        return count


def clear_process_failures(client: str | None = None) -> None:
    """Forget `client`'s failed sign-ins (after a success), or everyone's when None (which
    also empties the per-minute budgets)."""
    with _failures_lock:
        if client is None:
            _process_failures.clear()
            _attempts_by_client.clear()
            _all_attempts.clear()
        else:
            _process_failures.pop(client, None)


def _expire(times: deque[float], now: float) -> None:
    while times and now - times[0] >= ATTEMPT_WINDOW_S:
        times.popleft()


def reserve_attempt(client: str) -> float:
    """Take one password check from `client`'s and the server's per-minute budgets; its token.

    Raises SignInThrottled (saying when to try again) instead, without taking anything, when
    either budget is spent. Reserving before the check, under one lock, means parallel sessions
    cannot all pass the test before any of them is counted."""
    now = _clock()
    with _failures_lock:
        mine = _attempts_by_client.get(client, deque())
        _expire(mine, now)
        _expire(_all_attempts, now)
        if len(mine) >= MAX_ATTEMPTS_PER_CLIENT:
            wait = mine[0] + ATTEMPT_WINDOW_S - now
            reason = f"同一地址每分钟最多尝试 {MAX_ATTEMPTS_PER_CLIENT} 次"
        elif len(_all_attempts) >= MAX_ATTEMPTS_TOTAL:
            wait = _all_attempts[0] + ATTEMPT_WINDOW_S - now
            reason = f"本看板每分钟最多受理 {MAX_ATTEMPTS_TOTAL} 次口令登录"
        else:
            mine.append(now)
            _all_attempts.append(now)
            _attempts_by_client[client] = mine
            # Only clients with checks in the window are kept (at most MAX_ATTEMPTS_TOTAL of them).
            for key, times in list(_attempts_by_client.items()):
                _expire(times, now)
                if not times:
                    del _attempts_by_client[key]
            return now
    seconds = max(1, math.ceil(wait))
    log.warning("数据管理: 登录尝试过多（%s），拒绝来自 %s 的尝试 %d 秒", reason, client, seconds)
    raise SignInThrottled(f"登录尝试过于频繁（{reason}），本次未检查口令。请 {seconds} 秒后再试。")


def refund_attempt(client: str, token: float) -> None:
    """Give back a reserved check (the right password uses no budget)."""
    with _failures_lock:
        for times in (_attempts_by_client.get(client), _all_attempts):
            if times is not None and token in times:
                times.remove(token)


def checked_password(password: str, stored: str, client: str) -> bool:
    """`verify_password` within the budgets: SignInThrottled instead of a check when spent."""
    token = reserve_attempt(client)
    if verify_password(password, stored):
        refund_attempt(client, token)
        return True
    return False


def client_key() -> str:
    """The browser's ip address where Streamlit knows it, else "*" (one count for all)."""
    try:
        ip = st.context.ip_address
    except Exception:  # no script run context (bare mode, tests)
        ip = None
    return ip if isinstance(ip, str) and ip else "*"  # (AppTest gives a mock object)


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


def current_config() -> AuthConfig:
    return read_auth_config(
        {"auth": secrets_section("auth"), "minsheng": secrets_section("minsheng")},
        os.environ,
        _demo_accounts(),
    )


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
    """Who this session is, checked afresh on every call (a changed password or list applies at
    once). Also tells the upload gate whether the session may upload (民生办, 县区, 市直单位)."""
    identity = _identity(config or current_config())
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
