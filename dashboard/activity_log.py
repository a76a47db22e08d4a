"""The audit trail from the pages (审计记录): who downloaded, sent, accepted, returned, closed.

Events go to the warehouse's activity file (etl.writing.activity), never to the page: a failing write
is logged on the server and the user's action goes on (an export must not fail for its record).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from dashboard import auth, data
from metrics.reach import Identity

log = logging.getLogger(__name__)


def record(action: str, detail: str = "", identity: Identity | None = None) -> None:
    """One event by the current session (its name, role and unit)."""
    # Imported on the first event (a click), not with every page: it brings the loader in.
    from etl.writing import activity

    identity = identity or auth.current_identity()
    try:
        activity.record(
            Path(data.db_path()),
            user=identity.user,
            role=identity.role,
            unit=identity.unit,
            action=action,
            detail=detail[:500],
        )
    except Exception:  # the record is the server's business; the click still works
        log.exception("审计记录写入失败：%s %s", action, detail[:80])


def downloaded(file_name: str) -> None:
    """on_click of a download button whose bytes were made with the page: 下载 by this session."""
    record("下载", file_name)


def audited(file_name: str, build: Callable[[], bytes]) -> Callable[[], bytes]:
    """A download button's deferred data that records 下载 when the file is made. Streamlit
    builds deferred data outside the page run, so who asked is taken now, at drawing time."""
    identity = auth.current_identity()

    def made() -> bytes:
        content = build()
        record("下载", file_name, identity)
        return content

    return made
