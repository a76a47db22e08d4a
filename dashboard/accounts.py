"""Accounts (账号) and who gets which role: read from the secrets, the environment and, for the
demo database only, the demo accounts file. No Streamlit import (table-tested).

A password account, in `.streamlit/secrets.toml` or in the TOML file named by MINSHENG_ACCOUNTS:

    [minsheng.accounts.beiling]          # the account name typed at sign-in: beiling
    role = "县区"                         # 领导 | 民生办 | 县区 | 市直单位
    unit = "北岭县"                       # the region (县区) or department (市直单位)
    label = "北岭县民生办"                 # optional: the name recorded in the logs
    password_hash = "pbkdf2_sha256$..."   # python -m dashboard.auth hash

With unified sign-in (OIDC), verified e-mail addresses and the identity's `groups` map to roles:

    [minsheng]
    admins = ["li@city.gov.cn"]           # 民生办
    leaders = ["wang@city.gov.cn"]        # 领导
    [minsheng.members]                    # an address → "角色/单位"
    "zhao@beiling.gov.cn" = "县区/北岭县"
    [minsheng.groups]                     # a group name from the identity's groups → "角色/单位"
    "beiling-minsheng" = "县区/北岭县"

`visitor_reach` ("all", the default, or "none") sets what a visitor who has not signed in sees.
"""

from __future__ import annotations

import functools
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from metrics.reach import LEADER, OFFICE, ROLES, UNIT_ROLES, VISITOR, VISITOR_REACHES, Identity

ACCOUNT_NAME_CHARS = 40
DEMO_ACCOUNTS_SUFFIX = (
    ".demo-accounts.json"  # beside the demo database, git-ignored (data/minsheng.*)
)


@dataclass(frozen=True)
class Account:
    """A password account: its sign-in name, role, unit and the hash of its password."""

    name: str
    role: str
    unit: str | None
    password_hash: str
    label: str

    def identity(self) -> Identity:
        return Identity(self.label, self.role, self.unit)


class AccountsProblem(ValueError):
    """A mistake in the accounts configuration, in Chinese, for the deployer."""


def parse_role(text: object) -> tuple[str, str | None]:
    """ "县区/北岭县" → ("县区", "北岭县"); "领导" → ("领导", None). Raises AccountsProblem."""
    role, _, unit = str(text).strip().partition("/")
    role, unit = role.strip(), unit.strip() or None
    if role not in ROLES or role == VISITOR:
        raise AccountsProblem(
            f"角色“{str(text)[:40]}”无效，应为 领导、民生办、县区/单位名 或 市直单位/单位名"
        )
    if role in UNIT_ROLES and not unit:
        raise AccountsProblem(f"“{str(text)[:40]}”缺少单位，应写成 {role}/单位名")
    return role, unit if role in UNIT_ROLES else None


def read_accounts(section: Mapping[str, Any]) -> dict[str, Account]:
    """Accounts of one `accounts` table ({name: {role, unit, password_hash, label}})."""
    accounts: dict[str, Account] = {}
    for name, entry in (section or {}).items():
        key = str(name).strip().lower()
        if not key or len(key) > ACCOUNT_NAME_CHARS or not isinstance(entry, Mapping):
            raise AccountsProblem(f"账号“{str(name)[:40]}”的配置无效")
        role = str(entry.get("role", "")).strip()
        unit = str(entry.get("unit", "")).strip() or None
        parse_role(f"{role}/{unit}" if unit else role)
        stored = str(entry.get("password_hash", "")).strip()
        if not stored:
            raise AccountsProblem(f"账号“{key}”缺少 password_hash")
        label = str(entry.get("label", "")).strip()[:ACCOUNT_NAME_CHARS] or unit or role
        accounts[key] = Account(key, role, unit if role in UNIT_ROLES else None, stored, label)
    return accounts


def accounts_file(path: str | Path | None) -> Mapping[str, Any]:
    """The `accounts` table of a TOML file (MINSHENG_ACCOUNTS), {} without a file name."""
    if not path:
        return {}
    try:
        return _parsed_accounts_file(str(path), Path(path).stat().st_mtime_ns)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise AccountsProblem(f"账号文件无法读取：{type(exc).__name__}") from None


@functools.lru_cache(maxsize=8)
def _parsed_accounts_file(path: str, _mtime_ns: int) -> Mapping[str, Any]:
    # Read on every page run: parsed once per version of the file.
    with Path(path).open("rb") as handle:
        data = tomllib.load(handle)
    table = data.get("accounts") or (data.get("minsheng") or {}).get("accounts") or {}
    return table if isinstance(table, Mapping) else {}


def demo_accounts_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.stem + DEMO_ACCOUNTS_SUFFIX)


def demo_accounts(db_path: Path) -> Mapping[str, Any]:
    """The demo accounts written at the demo's first start (dashboard.demo_accounts)."""
    path = demo_accounts_path(db_path)
    try:
        return _parsed_demo_accounts(str(path), path.stat().st_mtime_ns)
    except (OSError, ValueError):
        return {}


@functools.lru_cache(maxsize=8)
def _parsed_demo_accounts(path: str, _mtime_ns: int) -> Mapping[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def visitor_reach(minsheng: Mapping[str, Any], environ: Mapping[str, str]) -> str:
    value = str(minsheng.get("visitor_reach") or environ.get("MINSHENG_VISITOR_REACH") or "all")
    value = value.strip().lower()
    if value not in VISITOR_REACHES:
        raise AccountsProblem(f"visitor_reach 应为 all 或 none（现为 {value[:20]}）")
    return value


def oidc_identity(
    email: str, groups: list[str], minsheng: Mapping[str, Any], name: str = ""
) -> Identity:
    """The role of a verified address: 民生办 (admins), 领导 (leaders), members, then groups;
    an address on no list is a signed-in visitor."""
    address = email.strip().lower()
    label = (name or address)[:ACCOUNT_NAME_CHARS]

    def listed(key: str) -> bool:
        return address in {str(a).strip().lower() for a in minsheng.get(key, []) if a}

    if listed("admins"):
        return Identity(label, OFFICE)
    if listed("leaders"):
        return Identity(label, LEADER)
    members = {str(k).strip().lower(): v for k, v in (minsheng.get("members") or {}).items()}
    if address in members:
        return Identity(label, *parse_role(members[address]))
    group_roles = minsheng.get("groups") or {}
    for group in groups:
        if group in group_roles:
            return Identity(label, *parse_role(group_roles[group]))
    return Identity(label, VISITOR)
