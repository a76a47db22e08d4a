"""Accounts and roles from the configuration (dashboard.accounts, dashboard.auth), and the demo
accounts a newcomer gets at the demo's first start."""

from __future__ import annotations

import json

import pytest

from dashboard import auth
from dashboard.accounts import AccountsProblem, oidc_identity, parse_role, read_accounts
from dashboard.demo_accounts import DEMO_ACCOUNTS, announce, ensure_demo_accounts
from metrics.reach import Identity

GOOD = auth.hash_password("口令", iterations=auth.MIN_ITERATIONS)


def test_accounts_carry_role_unit_and_label():
    accounts = read_accounts(
        {"BeiLing": {"role": "县区", "unit": "北岭县", "password_hash": GOOD},
         "lingdao": {"role": "领导", "unit": "北岭县", "label": "王市长", "password_hash": GOOD}}
    )  # fmt: skip
    assert accounts["beiling"].identity() == Identity("北岭县", "县区", "北岭县")
    assert accounts["lingdao"].identity() == Identity("王市长", "领导")  # a leader has no unit


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"x": {"role": "县区", "password_hash": GOOD}}, "缺少单位"),
        ({"x": {"role": "管理员", "password_hash": GOOD}}, "角色“管理员”无效"),
        ({"x": {"role": "领导"}}, "缺少 password_hash"),
    ],
)
def test_a_wrong_account_is_refused_with_its_reason(table, message):
    with pytest.raises(AccountsProblem, match=message):
        read_accounts(table)


def test_a_wrong_account_makes_the_whole_config_say_so_and_grant_nothing():
    config = auth.read_auth_config(
        {"minsheng": {"accounts": {"x": {"role": "县区", "password_hash": GOOD}}}}, {}
    )
    assert config.problem == "“县区”缺少单位，应写成 县区/单位名"
    weak = auth.hash_password("口令", iterations=1_000)
    config = auth.read_auth_config(
        {"minsheng": {"accounts": {"x": {"role": "领导", "password_hash": weak}}}}, {}
    )
    assert config.problem.startswith("账号“x”：口令哈希的迭代次数为 1000，太少")


def test_an_accounts_file_named_in_the_environment_is_read(tmp_path):
    path = tmp_path / "accounts.toml"
    path.write_text(
        f'[accounts.nanxi]\nrole = "县区"\nunit = "南溪县"\npassword_hash = "{GOOD}"\n',
        encoding="utf-8",
    )
    config = auth.read_auth_config({}, {"MINSHENG_ACCOUNTS": str(path)})
    assert config.mode == "password" and config.problem is None
    assert config.accounts["nanxi"].unit == "南溪县"


@pytest.mark.parametrize(
    ("email", "groups", "expected"),
    [
        ("Li@City.gov.cn", [], Identity("li@city.gov.cn", "民生办")),
        ("wang@city.gov.cn", [], Identity("wang@city.gov.cn", "领导")),
        ("zhao@beiling.gov.cn", [], Identity("zhao@beiling.gov.cn", "县区", "北岭县")),
        ("a@b.cn", ["other", "nanxi"], Identity("a@b.cn", "县区", "南溪县")),
        ("a@b.cn", ["other"], Identity("a@b.cn", "访客")),
    ],
)
def test_unified_sign_in_lists_map_to_roles(email, groups, expected):
    roles = {"admins": ["li@city.gov.cn"], "leaders": ["wang@city.gov.cn"],
             "members": {"Zhao@Beiling.gov.cn": "县区/北岭县"}, "groups": {"nanxi": "县区/南溪县"}}  # fmt: skip
    assert oidc_identity(email, groups, roles) == expected
    assert parse_role("市直单位/市人社局") == ("市直单位", "市人社局")


def test_visitor_reach_is_all_unless_set_and_checked(monkeypatch):
    assert auth.read_auth_config({}, {}).visitor_reach == "all"
    closed = auth.read_auth_config({"minsheng": {"visitor_reach": "none"}}, {})
    assert closed.visitor_reach == "none"
    assert "visitor_reach" in auth.read_auth_config({}, {"MINSHENG_VISITOR_REACH": "x"}).problem


def test_demo_accounts_are_made_once_and_sign_in_with_the_printed_password(tmp_path):
    db = tmp_path / "minsheng.duckdb"
    shown = ensure_demo_accounts(db)
    assert [a for a, _, _ in shown] == [a for a, *_ in DEMO_ACCOUNTS]
    assert ensure_demo_accounts(db) is None  # the second start prints nothing
    stored = json.loads((tmp_path / "minsheng.demo-accounts.json").read_text(encoding="utf-8"))
    account, password, _ = shown[2]
    assert stored[account]["unit"] == "北岭县" and password not in json.dumps(stored)
    assert auth.verify_password(password, stored[account]["password_hash"])
    config = auth.read_auth_config({}, {}, stored)
    assert config.accounts[account].identity() == Identity("北岭县民生办", "县区", "北岭县")
    assert "账号 beiling" in announce(shown) and password in announce(shown)
    assert (tmp_path / "minsheng.demo-accounts.json").stat().st_mode & 0o077 == 0
