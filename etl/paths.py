"""Where the warehouse file is: one rule for the loader, the dashboard and the bulletin (数据库位置)."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = REPO_ROOT / "data" / "minsheng.duckdb"
DB_ENV = "MINSHENG_DB"


def resolve_db_path(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """`--db` as given, else the environment variable MINSHENG_DB, else
    <repo root>/data/minsheng.duckdb.

    A relative --db or MINSHENG_DB stays relative to the current folder (what a command-line
    user expects); only the default is anchored at the repo, so the app finds it from anywhere.
    Blank values count as unset; `~` is expanded."""
    for value in (cli_value, os.environ.get(DB_ENV)):
        text = os.fspath(value).strip() if value is not None else ""
        if text:
            return Path(text).expanduser()
    return DEFAULT_DB
