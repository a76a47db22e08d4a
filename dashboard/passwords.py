"""Password hashes (PBKDF2) and the sign-in budget: how long a wrong password waits and how many
password checks a minute allows, per client address and for the whole server process.
dashboard.auth grants the roles; the names here are reached as auth.* too."""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import secrets
import threading
import time
from collections import deque

import streamlit as st

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

_clock = time.monotonic
# Failed sign-ins per client (ip address, else "*" for all) across every session of this server
# process: a new browser session must not restart the delay at zero.
_failures_lock = threading.Lock()
_process_failures: dict[str, tuple[int, float]] = {}
# Times of the password checks within the last ATTEMPT_WINDOW_S, per client and for everyone.
_attempts_by_client: dict[str, deque[float]] = {}
_all_attempts: deque[float] = deque()


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
