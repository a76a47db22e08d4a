"""First start and database health: build the demo when no database exists, and turn a missing,
unreadable or empty database into one plain sentence for the user (never a traceback)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from dashboard import data
from dashboard.filters import period_list
from metrics.db import WarehouseUnavailable

# Two sessions opening the app at the same first moment must not both build the demo.
_BUILD_LOCK = threading.Lock()

NO_DATA = (
    "数据库中还没有任何月报数据。请用 `python -m etl load 月报文件或文件夹` 载入月报后刷新本页，"
    "或用 `python -m etl demo` 生成示例数据。"
)


@dataclass(frozen=True)
class DatabaseState:
    """What app.py needs to know before drawing a page."""

    problem: str | None  # a sentence to show instead of the pages, or None when data is there
    is_demo: bool = False


def _build_demo(path: Path) -> str | None:
    """Build the demo database at `path`; a sentence when that fails."""
    from etl.demo import build_demo_database

    with st.spinner("首次启动：正在载入示例数据…"), _BUILD_LOCK:
        if path.exists():  # another session built it while this one waited
            return None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            build_demo_database(path)
        except Exception as exc:  # any failure becomes a sentence, never a traceback
            return (
                f"未找到数据库文件 {path}，自动载入示例数据也失败了（{exc}）。"
                "请用 `python -m etl load 月报文件` 载入月报后刷新本页。"
            )
    if not path.exists():
        return f"未找到数据库文件 {path}，示例数据也未能载入。请用 `python -m etl load` 载入月报。"
    return None


@st.cache_data(ttl=data.CACHE_TTL_SECONDS, show_spinner=False)
def _is_demo(path: str, version: object) -> bool:
    from etl.demo import is_demo_database

    return bool(is_demo_database(Path(path)))


def is_demo_database(path: Path) -> bool:
    """Whether the file at `path` holds the demo (cached per file version)."""
    return _is_demo(str(path), data.warehouse().version())


def check_database() -> DatabaseState:
    """Make sure there is something to show; say in one sentence what is wrong otherwise."""
    path = data.db_path()
    if not path.exists():
        problem = _build_demo(path)
        if problem:
            return DatabaseState(problem)
    try:
        periods = period_list(data.fetch("available_periods"))
    except WarehouseUnavailable as exc:
        return DatabaseState(str(exc))
    if not periods:
        return DatabaseState(NO_DATA)
    try:
        is_demo = is_demo_database(path)
    except Exception:  # the banner is a courtesy: a failing check must not hide the data
        is_demo = False
    if is_demo:
        _first_demo_start(path)
    return DatabaseState(None, is_demo=is_demo)


def _first_demo_start(path: Path) -> None:
    """Make the demo accounts once and print their passwords on the console (not the page)."""
    from dashboard.demo_accounts import announce, ensure_demo_accounts

    try:
        shown = ensure_demo_accounts(path)
    except OSError:  # a read-only folder: the demo simply has no accounts
        return
    if shown:
        print(announce(shown), flush=True)
