"""Demo accounts (演示账号): one per role, so a newcomer can try what each one sees and does.

Made at the demo's first start, beside the demo database, with fresh random passwords; only the
hashes are kept, and the passwords are printed once, on the console that started the dashboard.
They count only while the database is the demo (dashboard.auth): loading a real database at the
same path does not carry them over.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from pathlib import Path

from dashboard.accounts import demo_accounts_path

log = logging.getLogger(__name__)

# (account, role, unit, label): a county and a department as the demo's reports name them
DEMO_ACCOUNTS = (
    ("minshengban", "民生办", None, "示例市民生办"),
    ("lingdao", "领导", None, "示例市领导"),
    ("beiling", "县区", "北岭县", "北岭县民生办"),
    ("renshe", "市直单位", "市人社局", "市人社局"),
)
DEMO_ITERATIONS = 100_000  # the floor auth accepts: four hashes at first start stay quick


def ensure_demo_accounts(db_path: Path) -> list[tuple[str, str, str]] | None:
    """Write the demo accounts if the file is not there yet; the (account, password, role)
    triples then, for printing once, else None."""
    from dashboard.auth import hash_password  # auth reads the accounts this module writes

    path = demo_accounts_path(db_path)
    if path.exists():
        return None
    table, shown = {}, []
    for account, role, unit, label in DEMO_ACCOUNTS:
        password = secrets.token_urlsafe(9)
        entry = {"role": role, "label": label,
                 "password_hash": hash_password(password, iterations=DEMO_ITERATIONS)}  # fmt: skip
        if unit:
            entry["unit"] = unit
        table[account] = entry
        shown.append((account, password, f"{role}{'·' + unit if unit else ''}"))
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another session made them a moment ago
        return None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(table, handle, ensure_ascii=False, indent=1)
    return shown


def announce(shown: list[tuple[str, str, str]]) -> str:
    """The console text with the demo passwords (printed once)."""
    lines = ["演示账号（仅示例数据可用；口令只显示这一次，请记下）："]
    lines += [f"  账号 {a:<12} 口令 {p}   {r}" for a, p, r in shown]
    lines.append("在“数据管理”页填写账号和口令登录。")
    return "\n".join(lines)
