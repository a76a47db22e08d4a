"""Password hashing and the choice of sign-in mode for the 数据管理 page (dashboard.auth)."""

from __future__ import annotations

import hashlib
import threading

import pytest

from dashboard import auth, passwords

FAST = auth.MIN_ITERATIONS  # the fewest iterations a deployment accepts: the tests stay quick


@pytest.fixture(scope="module")
def stored() -> str:
    return auth.hash_password("民生办2026!", iterations=FAST)


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("民生办2026!", True),
        ("民生办2026", False),
        ("民生办2026! ", False),
        ("", False),
    ],
)
def test_verify_password(stored, password, expected):
    assert auth.verify_password(password, stored) is expected


def test_hash_format_and_known_vector():
    salt = bytes(range(16))
    stored = auth.hash_password("secret", iterations=FAST, salt=salt)
    expected = hashlib.pbkdf2_hmac("sha256", b"secret", salt, FAST).hex()
    assert stored == f"pbkdf2_sha256${FAST}${salt.hex()}${expected}"


def test_each_hash_has_its_own_salt():
    assert auth.hash_password("secret", iterations=FAST) != auth.hash_password(
        "secret", iterations=FAST
    )


def test_empty_password_cannot_be_hashed():
    with pytest.raises(ValueError):
        auth.hash_password("")


GOOD = auth.hash_password("x", iterations=FAST, salt=b"\x01" * 16)
_, _, SALT, DIGEST = GOOD.split("$")


@pytest.mark.parametrize(
    "malformed",
    [
        "",
        "x",
        f"pbkdf2_sha1${FAST}${SALT}${DIGEST}",
        f"pbkdf2_sha256$abc${SALT}${DIGEST}",
        f"pbkdf2_sha256$0${SALT}${DIGEST}",
        f"pbkdf2_sha256$99999999999${SALT}${DIGEST}",
        f"pbkdf2_sha256${FAST}$zz${DIGEST}",
        f"pbkdf2_sha256${FAST}$${DIGEST}",
        f"pbkdf2_sha256${FAST}${SALT}${DIGEST[:-2]}",
        f"pbkdf2_sha256${FAST}${SALT}",
        "x" + GOOD,
    ],
)
def test_malformed_hash_never_verifies(malformed):
    assert auth.password_hash_problem(malformed) is not None
    assert auth.verify_password("x", malformed) is False


def test_good_hash_has_no_problem_and_verifies():
    assert auth.password_hash_problem(GOOD) is None
    assert auth.verify_password("x", GOOD)


# --- weak hashes make the login configuration invalid ------------------------------------------


@pytest.mark.parametrize("iterations", [1, 1_000, auth.MIN_ITERATIONS - 1])
def test_weak_hash_is_refused_with_a_reason(iterations):
    weak = auth.hash_password("x", iterations=iterations, salt=b"\x01" * 16)
    config = auth.AuthConfig("password", password_hash=weak)

    assert config.problem == (
        f"口令哈希的迭代次数为 {iterations}，太少（至少 100000），容易被暴力破解；"
        "请用 python -m dashboard.auth hash 重新生成"
    )
    assert auth.verify_password("x", weak) is False


def test_hash_of_another_algorithm_is_refused_by_name():
    other = f"pbkdf2_sha1${FAST}${SALT}${DIGEST}"
    assert auth.AuthConfig("password", password_hash=other).problem == (
        "口令哈希的算法应为 pbkdf2_sha256（现为 pbkdf2_sha1）"
    )


def test_default_hash_is_strong():
    assert auth.DEFAULT_ITERATIONS >= auth.MIN_ITERATIONS == 100_000


@pytest.mark.parametrize(
    ("failures", "delay"), [(0, 0), (1, 1), (2, 2), (3, 3), (5, 5), (6, 5), (40, 5)]
)
def test_failure_delay_grows_and_is_capped(failures, delay):
    assert auth.failure_delay(failures) == delay


OIDC = {"client_id": "x", "client_secret": "y", "server_metadata_url": "https://idp/.well-known"}


@pytest.mark.parametrize(
    ("secrets_map", "environ", "mode", "admins", "provider", "password_hash"),
    [
        ({}, {}, "off", frozenset(), None, None),
        ({}, {"MINSHENG_ADMIN_PASSWORD_HASH": GOOD}, "password", frozenset(), None, GOOD),
        ({"minsheng": {"admin_password_hash": GOOD}}, {}, "password", frozenset(), None, GOOD),
        # secrets win over the environment
        (
            {"minsheng": {"admin_password_hash": GOOD}},
            {"MINSHENG_ADMIN_PASSWORD_HASH": "other"},
            "password",
            frozenset(),
            None,
            GOOD,
        ),
        # a configured [auth] means OIDC, even when a password hash is set too
        (
            {"auth": {"redirect_uri": "u", "cookie_secret": "c", **OIDC},
             "minsheng": {"admins": ["Li@Wuhu.gov.cn ", ""], "admin_password_hash": GOOD}},
            {},
            "oidc",
            frozenset({"li@wuhu.gov.cn"}),
            None,
            None,
        ),
        (
            {"auth": {"redirect_uri": "u", "cookie_secret": "c", "gov": OIDC}},
            {},
            "oidc",
            frozenset(),
            "gov",
            None,
        ),
    ],
)  # fmt: skip
def test_read_auth_config(secrets_map, environ, mode, admins, provider, password_hash):
    config = auth.read_auth_config(secrets_map, environ)
    assert (config.mode, config.admins, config.provider, config.password_hash) == (
        mode,
        admins,
        provider,
        password_hash,
    )


@pytest.mark.parametrize(
    ("config", "has_problem"),
    [
        (auth.AuthConfig("off"), False),
        (auth.AuthConfig("password", password_hash=GOOD), False),
        (auth.AuthConfig("password", password_hash="plain-text-password"), True),
        (auth.AuthConfig("oidc"), True),  # nobody on the admins list
        (auth.AuthConfig("oidc", admins=frozenset({"a@b.cn"})), False),
    ],
)
def test_config_problem(config, has_problem):
    assert (config.problem is not None) is has_problem


def test_cli_hash_prints_a_verifiable_hash(monkeypatch, capsys):
    answers = iter(["口令123", "口令123"])
    monkeypatch.setattr(auth.getpass, "getpass", lambda prompt="": next(answers))
    monkeypatch.setattr(auth, "DEFAULT_ITERATIONS", FAST)
    assert auth.main(["hash"]) == 0
    printed = capsys.readouterr().out.strip()
    assert printed.startswith("pbkdf2_sha256$")
    assert "口令123" not in printed
    assert auth.verify_password("口令123", printed)


@pytest.mark.parametrize("second", ["口令124", ""])
def test_cli_hash_refuses_mismatch(monkeypatch, capsys, second):
    answers = iter(["口令123", second])
    monkeypatch.setattr(auth.getpass, "getpass", lambda prompt="": next(answers))
    assert auth.main(["hash"]) == 1
    assert capsys.readouterr().out == ""


# --- failed sign-ins counted across sessions -----------------------------------------------------


@pytest.fixture
def clock(monkeypatch):
    now = [1_000.0]
    monkeypatch.setattr(passwords, "_clock", lambda: now[0])
    auth.clear_process_failures()
    yield now
    auth.clear_process_failures()


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        # (client, seconds since the previous event) → that client's count after each failure
        ([("1.2.3.4", 0), ("1.2.3.4", 1), ("1.2.3.4", 1)], [1, 2, 3]),
        ([("1.2.3.4", 0), ("5.6.7.8", 1), ("1.2.3.4", 1)], [1, 1, 2]),
        ([("*", 0), ("*", auth.FAILURE_WINDOW_S + 1), ("*", 60)], [1, 1, 2]),
    ],
)
def test_process_failures_count_per_client_within_the_window(clock, events, expected):
    got = []
    for client, wait in events:
        clock[0] += wait
        got.append(auth.record_process_failure(client))
    assert got == expected


def test_success_clears_only_that_client(clock):
    auth.record_process_failure("1.2.3.4")
    auth.record_process_failure("5.6.7.8")
    auth.clear_process_failures("1.2.3.4")
    assert auth.record_process_failure("1.2.3.4") == 1
    assert auth.record_process_failure("5.6.7.8") == 2


def test_process_failures_are_thread_safe(clock):
    import threading

    threads = [
        threading.Thread(target=lambda: [auth.record_process_failure("*") for _ in range(200)])
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert auth.record_process_failure("*") == 8 * 200 + 1


# --- the per-minute budgets: guesses checked, whatever the number of sessions ------------------


@pytest.fixture
def counted_checks(monkeypatch, clock):
    """Count the passwords actually checked (each a guess an attacker gets answered)."""
    checked: list[float] = []
    real = auth.verify_password

    def counting(password, stored):
        checked.append(clock[0])
        return real(password, stored)

    monkeypatch.setattr(passwords, "verify_password", counting)
    return checked


def guess_in_parallel(client_of, sessions: int, stored: str) -> list[str]:
    """`sessions` threads guess at once (thread i from client_of(i)); the refusals they got."""
    refusals: list[str] = []
    start = threading.Barrier(sessions)

    def guess(i: int) -> None:
        start.wait()
        try:
            assert auth.checked_password("猜一猜", stored, client_of(i)) is False
        except auth.SignInThrottled as exc:
            refusals.append(str(exc))

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return refusals


def test_parallel_sessions_from_one_address_get_five_guesses_a_minute(clock, counted_checks):
    # 10 sessions from one address guess every 6 seconds for 3 minutes (300 attempts)
    for _ in range(30):
        guess_in_parallel(lambda i: "10.0.0.7", 10, GOOD)
        clock[0] += 6

    per_minute = [
        sum(1 for t in counted_checks if m * 60 <= t - 1_000 < (m + 1) * 60) for m in range(3)
    ]
    assert per_minute == [auth.MAX_ATTEMPTS_PER_CLIENT] * 3 == [5, 5, 5]


def test_many_addresses_share_one_budget_for_the_server(clock, counted_checks):
    # 40 addresses, 2 sessions each, all at once: the server checks 20 a minute in all
    refusals = guess_in_parallel(lambda i: f"10.0.{i % 40}.1", 80, GOOD)

    assert len(counted_checks) == auth.MAX_ATTEMPTS_TOTAL == 20
    assert len(refusals) == 60
    assert all(r.startswith("登录尝试过于频繁") for r in refusals)


def test_refusal_says_when_to_try_again_and_checks_nothing(clock, counted_checks):
    for _ in range(5):
        assert auth.checked_password("猜一猜", GOOD, "10.0.0.7") is False
        clock[0] += 2  # the fifth guess at 8 s; the first one leaves the window at 60 s
    clock[0] = 1_000 + 15

    with pytest.raises(auth.SignInThrottled) as refused:
        auth.checked_password("x", GOOD, "10.0.0.7")  # even the right password is not checked

    assert str(refused.value) == (
        "登录尝试过于频繁（同一地址每分钟最多尝试 5 次），本次未检查口令。请 45 秒后再试。"
    )
    assert len(counted_checks) == 5
    assert auth.checked_password("猜一猜", GOOD, "10.0.0.8") is False  # another address: checked
    clock[0] = 1_000 + 60
    assert auth.checked_password("x", GOOD, "10.0.0.7") is True  # a minute later: checked


def test_right_password_uses_no_budget(clock, counted_checks):
    for _ in range(10):
        assert auth.checked_password("x", GOOD, "10.0.0.7") is True
    assert len(counted_checks) == 10
    for _ in range(5):
        assert auth.checked_password("猜一猜", GOOD, "10.0.0.7") is False
    with pytest.raises(auth.SignInThrottled):
        auth.checked_password("猜一猜", GOOD, "10.0.0.7")


def test_budgets_keep_no_record_of_old_addresses(clock, monkeypatch):
    monkeypatch.setattr(passwords, "verify_password", lambda password, stored: False)  # quick
    for i in range(500):  # a scan from many addresses over a long time
        auth.checked_password("猜一猜", GOOD, f"10.1.{i // 250}.{i % 250}")
        clock[0] += 10
    assert len(passwords._attempts_by_client) <= 6  # only those seen within the last minute
