"""A server-side gate on Streamlit's upload endpoint: only 民生办 sessions upload, within the cap.

Streamlit 1.67 (Starlette) takes `PUT /_stcore/upload_file/<session_id>/<file_id>` from any
session that holds the XSRF cookie, i.e. any browser tab, and keeps every file in memory until
the session ends. The 数据管理 page draws its uploader only for the 民生办 role, but the endpoint
knows nothing of roles, and the page's 20 MB cap is only checked in the browser. So:

- `dashboard.auth` calls `authorise(session_id)` whenever it finds a session holding the role,
  and `revoke(session_id)` when the role is gone (signed out, password changed, not on the list);
- `install()` (app.py, on the first page run of the process) wraps the upload route's handler
  once: a PUT for a session not authorised gets 403 before a byte of its body is read (and the
  connection is closed), and a body larger than the per-file cap gets 413, by its stated length
  or while it streams;
- if the route cannot be found (Streamlit's internals changed), uploads fail closed: the upload
  manager refuses every file, and the log says so once. The dashboard itself keeps running.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, Literal

log = logging.getLogger(__name__)

UPLOAD_ROUTE_SUFFIX = "/_stcore/upload_file/{session_id}/{file_id}"
# Multipart framing around the file (boundary lines, part headers, the file name).
MULTIPART_OVERHEAD_BYTES = 64 * 1024
DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024
REFUSED_ROLE = "需要民生办登录后才能上传文件。"
REFUSED_SIZE = "文件超过单个文件的大小上限（{mb:g} MB）。"
REFUSED_CLOSED = "上传通道未能启用，暂不能上传；请联系管理员查看服务器日志。"

GateState = Literal["not installed", "gated", "closed", "no server"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_lock = threading.Lock()
_authorised: set[str] = set()
_max_file_bytes = DEFAULT_MAX_FILE_BYTES
_state: GateState = "not installed"


# --- who may upload ----------------------------------------------------------------------------


def authorise(session_id: str) -> None:
    """`session_id` holds the 民生办 role: its uploads are let through (within the cap).
    Called on every run of a signed-in page: a known session costs one set lookup."""
    with _lock:
        if session_id in _authorised:
            return
        known = list(_authorised)
    ended = {s for s in known if s != session_id and not _session_is_active(s)}
    with _lock:
        _authorised.difference_update(ended)  # sessions closed since: their ids go with them
        _authorised.add(session_id)


def revoke(session_id: str) -> None:
    """`session_id` no longer holds the role (signed out, or the role was withdrawn)."""
    with _lock:
        _authorised.discard(session_id)


def is_authorised(session_id: str) -> bool:
    with _lock:
        if session_id not in _authorised:
            return False
    if not _session_is_active(session_id):
        revoke(session_id)  # the session has ended: its id is forgotten with it
        return False
    return True


def set_max_file_bytes(limit: int) -> None:
    """The per-file cap (bytes) the gate enforces; the page's `IntakeLimits.max_file_bytes`."""
    global _max_file_bytes
    with _lock:
        _max_file_bytes = max(1, int(limit))


def max_file_bytes() -> int:
    with _lock:
        return _max_file_bytes


def _session_is_active(session_id: str) -> bool:
    try:
        from streamlit.runtime import Runtime

        return not Runtime.exists() or Runtime.instance().is_active_session(session_id)
    except Exception:  # no answer from Streamlit: the registry alone decides
        return True


# --- the gate ----------------------------------------------------------------------------------


async def _answer(send: Send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                # An unread body is not drained: the connection ends with the answer.
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class TooLarge(Exception):
    """The body grew past the cap while streaming."""


class UploadGate:
    """ASGI wrapper of Streamlit's upload PUT handler (see the module docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.wrapped_upload_app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http" or scope.get("method") != "PUT":
            await self.wrapped_upload_app(scope, receive, send)
            return
        session_id = str((scope.get("path_params") or {}).get("session_id", ""))
        if not is_authorised(session_id):
            log.warning("上传被拒绝: 会话 %s 没有民生办身份", session_id[:8])
            await _answer(send, 403, REFUSED_ROLE)
            return
        cap = max_file_bytes()
        limit = cap + MULTIPART_OVERHEAD_BYTES
        too_large = REFUSED_SIZE.format(mb=round(cap / 2**20, 1))
        stated = dict(scope.get("headers") or []).get(b"content-length")
        if stated is not None and (not stated.isdigit() or int(stated) > limit):
            await _answer(send, 413, too_large)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise TooLarge
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message.get("type") == "http.response.start"
            await send(message)

        try:
            await self.wrapped_upload_app(scope, counted_receive, watched_send)
        except TooLarge:
            log.warning("上传被拒绝: 会话 %s 的文件超过 %d 字节", session_id[:8], cap)
            if not started:
                await _answer(send, 413, too_large)


def _upload_routes() -> list[Any]:
    """Starlette's routes for PUT on the upload endpoint, in this process."""
    from starlette.routing import Route

    return [
        obj
        for obj in gc.get_objects()
        if isinstance(obj, Route)
        and obj.path.endswith(UPLOAD_ROUTE_SUFFIX)
        and "PUT" in (obj.methods or ())
    ]


def _close_uploads() -> bool:
    """Fail closed: the upload manager refuses every file. False when even that is not found."""
    try:
        from starlette.exceptions import HTTPException
        from streamlit.runtime import Runtime

        manager = Runtime.instance().uploaded_file_mgr

        def refuse(*args: Any, **kwargs: Any) -> None:
            raise HTTPException(status_code=403, detail=REFUSED_CLOSED)

        manager.add_file = refuse  # type: ignore[method-assign]
        return True
    except Exception:
        log.exception("上传通道: 无法关闭上传")
        return False


_install_lock = threading.Lock()


def install(limit: int | None = None) -> GateState:
    """Put the gate on Streamlit's upload route, once per process; the gate's state.

    `limit`: the per-file cap in bytes (default: the page's, from secrets and environment)."""
    _install_once()
    # After the routes are gated (the cap starts at the default): reading the page's limits
    # imports pandas, which takes a while on the first run.
    set_max_file_bytes(_page_limit() if limit is None else limit)
    return _state


def _install_once() -> None:
    global _state
    with _install_lock:
        if _state != "not installed":
            return
        try:
            from streamlit.runtime import Runtime

            if not Runtime.exists():  # AppTest, bare mode: no server, no endpoint
                _state = "no server"
                return
            routes = _upload_routes()
        except Exception:
            log.exception("上传通道: 查找上传路由时出错")
            routes = []
        for route in routes:
            # A module reloaded by Streamlit's file watcher re-installs: wrap the original.
            original = getattr(route.app, "wrapped_upload_app", route.app)
            route.app = UploadGate(original)
        if routes:
            _state = "gated"
            log.info("上传通道: 已启用民生办身份与单文件大小检查（%d 字节）", max_file_bytes())
        else:
            _close_uploads()
            _state = "closed"
            log.error(
                "上传通道: 未找到 Streamlit 的上传路由（%s），上传已全部关闭。"
                "Streamlit 的内部结构可能已变，请检查 dashboard/upload_gate.py。",
                UPLOAD_ROUTE_SUFFIX,
            )


def _page_limit() -> int:
    from dashboard.auth import secrets_section
    from dashboard.intake import read_limits

    limits = read_limits(secrets_section("minsheng"), os.environ)
    # The uploader widget allows whole megabytes (IntakeLimits.max_file_mb): never less than that.
    return max(limits.max_file_bytes, limits.max_file_mb * 2**20)
