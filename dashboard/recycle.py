"""The server's side of dashboard.serve: exit for a fresh process once it has been idle a while
and holds more memory than it needs. Inactive unless started by that supervisor."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable

from dashboard.serve import ABOVE_ENV, IDLE_ENV, RECYCLE_EXIT, SUPERVISOR_ENV

POLL_S = 2.0
_started = threading.Lock()
_log = logging.getLogger(__name__)


def resident_mb() -> float:
    """This process's resident memory (Linux /proc), in MB."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def session_count() -> int:
    """Sessions connected or kept for a reconnect (server.disconnectedSessionTTL). Streamlit has
    no public count; if its session manager changes, recycling stops rather than guessing."""
    from streamlit.runtime import Runtime

    return len(Runtime.instance()._session_mgr.list_sessions())  # noqa: SLF001 - see above


def settings() -> tuple[float, float] | None:
    """(idle seconds, MB) when this process runs under dashboard.serve with recycling on."""
    if os.environ.get(SUPERVISOR_ENV) != str(os.getppid()):
        return None
    try:
        idle_s, above_mb = float(os.environ[IDLE_ENV]), float(os.environ[ABOVE_ENV])
    except (KeyError, ValueError):
        return None
    return (idle_s, above_mb) if idle_s > 0 else None


def should_recycle(
    idle_since: float | None, now: float, idle_s: float, memory_mb: float, above_mb: float
) -> bool:
    return idle_since is not None and now - idle_since >= idle_s and memory_mb > above_mb


def watch(
    idle_s: float,
    above_mb: float,
    *,
    sessions: Callable[[], int] = session_count,
    memory: Callable[[], float] = resident_mb,
    leave: Callable[[int], None] = os._exit,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Poll until the server has had no session for `idle_s` seconds while holding more than
    `above_mb`; then leave with RECYCLE_EXIT (nothing to close: no session, and the warehouse
    is only read)."""
    idle_since: float | None = None
    while True:
        try:
            busy = sessions() > 0
        except Exception:  # noqa: BLE001 - Streamlit internals moved: stop, do not guess
            _log.warning("空闲回收已停用：读不到 Streamlit 的会话数。")
            return
        now = clock()
        idle_since = None if busy else (idle_since if idle_since is not None else now)
        mb = memory()
        if should_recycle(idle_since, now, idle_s, mb, above_mb):
            _log.warning("空闲 %.0f 秒，内存 %.0f MB：退出以换一个新进程。", now - idle_since, mb)
            leave(RECYCLE_EXIT)
            return
        sleep(POLL_S)


def start() -> None:
    """Start the watcher once per server process, when dashboard.serve asked for it."""
    chosen = settings()
    if chosen is None or not _started.acquire(blocking=False):
        return
    threading.Thread(target=watch, args=chosen, name="minsheng-recycle", daemon=True).start()
