"""Access control for the 数据管理 page: who holds the 民生办 role (may load and undo).

Browsing needs no sign-in. Write actions need the role, granted in one of two ways:

- OIDC: when `[auth]` is configured in `.streamlit/secrets.toml`, sign-in goes through
  `st.login()`, and the role belongs to the e-mail addresses in `[minsheng] admins = [...]`.
- Password: otherwise a shared password, stored only as a salted PBKDF2 hash in
  `[minsheng] admin_password_hash` (secrets) or `MINSHENG_ADMIN_PASSWORD_HASH` (environment).
  Make the hash with `python -m dashboard.auth hash`.

With neither configured, nobody holds the role and the page stays read-only.
Every write handler calls `require_admin()` itself; rendering a button is never the check.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import logging
import os
import secrets
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import streamlit as st

log = logging.getLogger(__name__)

HASH_SCHEME = "pbkdf2_sha256"
DEFAULT_ITERATIONS = 600_000  # OWASP 2023 figure for PBKDF2-HMAC-SHA256
MAX_ITERATIONS = 10_000_000  # a typo in the config must not hang every sign-in
MAX_FAILURE_DELAY_S = 5
FAILURE_WINDOW_S = 15 * 60  # failed sign-ins older than this no longer add to the delay
MAX_TRACKED_CLIENTS = 1_000  # beyond this, forgotten failures are pruned
DEFAULT_USER_LABEL = "民生办"

AuthMode = Literal["oidc", "password", "off"]

_GRANT_KEY = "_minsheng_admin_grant"
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


class NotAuthorized(PermissionError):
    """Raised by `require_admin()` when the session does not hold the 民生办 role."""


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
    if len(parts) != 4 or parts[0] != HASH_SCHEME:
        return f"口令哈希格式应为 {HASH_SCHEME}$次数$盐$哈希"
    _, iterations, salt_hex, digest_hex = parts
    if not iterations.isdigit() or not 1 <= int(iterations) <= MAX_ITERATIONS:
        return f"口令哈希的迭代次数应为 1–{MAX_ITERATIONS} 的整数"
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
    """Forget `client`'s failed sign-ins (after a success), or everyone's when None."""
    with _failures_lock:
        if client is None:
            _process_failures.clear()
        else:
            _process_failures.pop(client, None)


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
    password_hash: str | None = None  # (password)
    provider: str | None = None  # named `[auth.X]` provider for st.login, None = default

    @property
    def problem(self) -> str | None:
        """A configuration mistake to show to whoever tries to sign in, or None."""
        if self.mode == "oidc" and not self.admins:
            return "已配置统一身份登录，但 secrets 中 [minsheng] admins 为空，无人可导入数据"
        if self.mode == "password" and self.password_hash:
            return password_hash_problem(self.password_hash)
        return None


def read_auth_config(secrets_map: Mapping[str, Any], environ: Mapping[str, str]) -> AuthConfig:
    """Decide the sign-in mode from the secrets and environment (no Streamlit needed)."""
    minsheng = secrets_map.get("minsheng") or {}
    auth = secrets_map.get("auth") or {}
    if auth:
        admins = frozenset(str(a).strip().lower() for a in minsheng.get("admins", []) if a)
        named = [k for k, v in auth.items() if isinstance(v, Mapping)]
        provider = minsheng.get("oidc_provider")
        if provider is None and "client_id" not in auth and named:
            provider = named[0]
        return AuthConfig("oidc", admins=admins, provider=provider)
    stored = minsheng.get("admin_password_hash") or environ.get("MINSHENG_ADMIN_PASSWORD_HASH")
    if stored:
        return AuthConfig("password", password_hash=str(stored).strip())
    return AuthConfig("off")


def secrets_section(name: str) -> Mapping[str, Any]:
    """One section of st.secrets, or {} when there is no secrets file at all."""
    try:
        value = st.secrets.get(name)
    except FileNotFoundError:  # StreamlitSecretNotFoundError: no secrets.toml anywhere
        return {}
    return value if isinstance(value, Mapping) else {}


def current_config() -> AuthConfig:
    return read_auth_config(
        {"auth": secrets_section("auth"), "minsheng": secrets_section("minsheng")}, os.environ
    )


# --- the role in a session ---------------------------------------------------------------------


@dataclass(frozen=True)
class _AdminGrant:
    user: str
    granted_at: float
    mac: bytes


def _grant_mac(user: str, granted_at: float, password_hash: str) -> bytes:
    # Binding the configured hash means changing the password signs every session out.
    message = f"{user}\x00{granted_at!r}\x00{password_hash}".encode()
    return hmac.new(_PROCESS_KEY, message, hashlib.sha256).digest()


def admin_user(config: AuthConfig | None = None) -> str | None:
    """The signed-in 民生办 user's name (recorded as loaded_by), or None without the role."""
    config = config or current_config()
    if config.problem is not None:
        return None
    if config.mode == "oidc":
        if not st.user.get("is_logged_in"):
            return None
        email = str(st.user.get("email") or "").strip().lower()
        return email if email and email in config.admins else None
    if config.mode == "password" and config.password_hash:
        grant = st.session_state.get(_GRANT_KEY)
        if not isinstance(grant, _AdminGrant):
            return None
        expected = _grant_mac(grant.user, grant.granted_at, config.password_hash)
        return grant.user if hmac.compare_digest(grant.mac, expected) else None
    return None


def require_admin() -> str:
    """The 民生办 user for a write action; raises NotAuthorized for anyone else."""
    user = admin_user()
    if user is None:
        raise NotAuthorized("需要民生办登录后才能导入或撤销数据")
    return user


def try_password_sign_in(password: str, user_label: str = "") -> bool:
    """Check the password; on success grant the role to this session, else wait and say no."""
    config = current_config()
    if config.mode != "password" or not config.password_hash or config.problem:
        return False
    if verify_password(password, config.password_hash):
        user = user_label.strip()[:40] or DEFAULT_USER_LABEL
        granted_at = time.time()
        mac = _grant_mac(user, granted_at, config.password_hash)
        st.session_state[_GRANT_KEY] = _AdminGrant(user, granted_at, mac)
        st.session_state[_FAILURES_KEY] = 0
        clear_process_failures(client_key())
        log.info("数据管理: %s 已登录", user)
        return True
    failures = int(st.session_state.get(_FAILURES_KEY, 0)) + 1
    st.session_state[_FAILURES_KEY] = failures
    client = client_key()
    from_client = record_process_failure(client)
    log.warning(
        "数据管理: 口令错误（本会话第 %d 次，来自 %s 第 %d 次）", failures, client, from_client
    )
    _sleep(failure_delay(max(failures, from_client)))
    return False


def sign_out() -> None:
    config = current_config()
    st.session_state.pop(_GRANT_KEY, None)
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
