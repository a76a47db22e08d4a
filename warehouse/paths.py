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


DUCKDB_MAGIC = b"DUCK"  # bytes 8–11 of every DuckDB database file


def db_path_problem(path: Path) -> str | None:
    """Why `path` cannot be the warehouse, as one Chinese sentence, or None. A path that does
    not exist yet is fine (a load creates it); a folder, an empty file or any file that is not
    a DuckDB database is not, and is found out before a lock file is made beside it."""
    where = f"--db 或环境变量 {DB_ENV} 指定的数据库“{path}”"
    if path.is_dir():
        return f"{where}是一个文件夹，不是数据库文件；请指定一个 .duckdb 文件。"
    if not path.exists():
        return None
    if not path.is_file():
        return f"{where}不是普通文件；请指定一个 .duckdb 文件。"
    try:
        with path.open("rb") as handle:
            head = handle.read(12)
    except OSError:
        return f"{where}无法读取，请检查文件权限。"
    if head[8:12] != DUCKDB_MAGIC:
        return f"{where}不是 DuckDB 数据库文件（可能指错了文件）；请检查路径。"
    return None
