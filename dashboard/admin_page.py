"""The 数据管理 page's handlers and sign-in panel (the page itself: pages/data_admin.py).

Handlers are on_click callbacks: they run before the page is drawn, so tables show their effect.
Every handler checks the 民生办 role itself (dashboard.auth): rendering a button is never the
check, so a visitor cannot reach a write action by any route to the page.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import streamlit as st

from dashboard import admin_actions, auth
from dashboard.intake import IntakeLimits, read_limits
from metrics.db import resolve_db_path
from metrics.plain_text import escape_markdown
from warehouse.connection import identity

log = logging.getLogger(__name__)

UPLOAD_KEY = "admin_upload"
BATCH_KEY = "_admin_batch"
RESULTS_KEY = "_admin_load_results"
UNDO_PENDING_KEY = "_admin_undo_pending"
FLASH_KEY = "_admin_flash"
UPLOADER_ROUND_KEY = "_admin_uploader_round"


def db_path() -> Path:
    return Path(resolve_db_path())


def current(read, path: Path, *args):
    """`read(path, *args)` (a metrics.admin read) once per version of the file: a tick or click on
    this page reruns it, and four reads opening the warehouse each time cost ~240 ms. After a
    load or undo the file is another one (swapped in), so the next run reads it afresh."""
    name = f"{read.__module__}.{read.__qualname__}"
    return _current(read, name, str(path), identity(Path(path)), args)


@st.cache_data(max_entries=64, show_spinner=False)
def _current(_read, name: str, path: str, version: object, args: tuple):
    # `_read` is left out of the key (a leading underscore); `name` stands for it
    return _read(Path(path), *args)


def limits() -> IntakeLimits:
    return read_limits(auth.secrets_section("minsheng"), os.environ)


def flash(level: str, text: str) -> None:
    """A message for the next page run (handlers run before the page is drawn)."""
    st.session_state.setdefault(FLASH_KEY, []).append((level, text))


def show_flash() -> None:
    # Messages quote file names and loader findings: shown as typed, never as markdown.
    for level, text in st.session_state.pop(FLASH_KEY, []):
        getattr(st, level)(escape_markdown(text))


def uploader_key() -> str:
    return f"{UPLOAD_KEY}_{st.session_state.get(UPLOADER_ROUND_KEY, 0)}"


# --- handlers (each checks the role itself) ----------------------------------------------------


def _authorised() -> str | None:
    try:
        return auth.require_admin()
    except auth.NotAuthorized as exc:
        flash("error", str(exc))
        return None


def on_check() -> None:
    if _authorised() is None:
        return
    uploaded = st.session_state.get(uploader_key()) or []
    files = [(f.name, f.getvalue()) for f in uploaded]
    st.session_state.pop(RESULTS_KEY, None)
    if not files:
        st.session_state.pop(BATCH_KEY, None)
        flash("warning", "请先选择要检查的月报文件。")
        return
    st.session_state[BATCH_KEY] = admin_actions.check_uploads(files, db_path(), limits())


def on_load() -> None:
    user = _authorised()
    batch = st.session_state.get(BATCH_KEY)
    if user is None or not isinstance(batch, admin_actions.CheckedBatch):
        return
    try:
        results = admin_actions.load_passed(batch, db_path(), user=user)
    except Exception:  # a sentence for the clerk; the details go to the server's log
        log.exception("loading uploaded files failed")
        flash("error", "导入失败，数据未改变。请稍后再试；仍失败时请联系管理员查看服务器日志。")
        return
    st.session_state[RESULTS_KEY] = results
    st.session_state.pop(BATCH_KEY, None)
    # A new uploader key empties the uploader: the loaded files are not offered twice.
    st.session_state[UPLOADER_ROUND_KEY] = st.session_state.get(UPLOADER_ROUND_KEY, 0) + 1


def on_undo_request(load_id: int) -> None:
    if _authorised() is not None:
        st.session_state[UNDO_PENDING_KEY] = int(load_id)


def on_undo_confirm() -> None:
    user = _authorised()
    load_id = st.session_state.pop(UNDO_PENDING_KEY, None)
    if user is None or load_id is None:
        return
    result = admin_actions.undo(db_path(), int(load_id), user=user)
    if result is None:
        flash("warning", f"导入编号 {load_id} 已不能撤销（已撤销或不存在）。")
    elif result.refused:
        flash("error", result.summary())
    else:
        flash("success", "；".join([result.summary(), *result.notices]))


def on_undo_cancel() -> None:
    st.session_state.pop(UNDO_PENDING_KEY, None)
