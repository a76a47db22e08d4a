"""操作记录 (audit trail) and 报送 (unit submissions), issue 19: the one module the pages use.

Who read exports (下载), uploaded (上传报送), accepted (接收入库), returned (退回), closed (销号)…
is kept in a SQLite file beside the warehouse, `<warehouse stem>.activity.sqlite`
(data/minsheng.duckdb → data/minsheng.activity.sqlite), not in the DuckDB warehouse: the
warehouse has one writer at a time and every write copies and swaps the whole file, while audit
events come on every export click from several Streamlit processes. SQLite in WAL mode with a
busy timeout takes such small appends from many processes (see etl.writing.activity_store).

The submission API (etl.writing.submission, etl.writing.submission_status) is re-exported here. submit, accept
and return_submission write their own audit events; the pages record the rest with `record`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from etl.writing.activity_store import (
    BUSY_TIMEOUT_S,
    StoreBusy,
    activity_path,
    connect,
    exists,
    queries,
    write_event,
)
from etl.writing.submission import (
    MAX_FILE_BYTES,
    MAX_NOTE,
    WITHDRAWN,
    Submission,
    SubmissionRefused,
    accept,
    due_date,
    return_submission,
    submission,
    submission_file,
    submission_plan,
    submissions,
    submit,
)
from etl.writing.submission_status import reporting_status, units_in_warehouse
from metrics.config import REPORT_DUE_DAY, SUBMISSION_STATUSES, UNIT_TYPES

__all__ = [
    "BUSY_TIMEOUT_S", "EVENT_COLUMNS", "MAX_FILE_BYTES", "MAX_NOTE", "REPORT_DUE_DAY",
    "SUBMISSION_STATUSES", "UNIT_TYPES", "WITHDRAWN", "StoreBusy", "Submission",
    "SubmissionRefused", "accept", "activity_path", "audit_events", "due_date", "record",
    "reporting_status", "return_submission", "submission", "submission_file", "submission_plan",
    "submissions", "submit", "units_in_warehouse",
]  # fmt: skip

EVENT_COLUMNS = ["at", "user", "role", "unit", "action", "detail"]
MAX_FIELD = 40  # characters of a user, role, unit or action
MAX_DETAIL = 1_000  # characters of an event's detail (longer is cut, with …)
MAX_EVENTS = 100_000  # rows one audit_events call returns at most


def record(
    db_path: Path, *, user: str, role: str, action: str, detail: str = "",
    unit: str | None = None, at: dt.datetime | None = None,
) -> None:  # fmt: skip
    """Append one audit event, e.g. action 下载 with detail 《滞后项目.xlsx》. Waits at most
    BUSY_TIMEOUT_S for another writer, then raises StoreBusy (its `message` is Chinese).
    A blank user or action is a programming error (ValueError)."""
    user, role, action = (
        _field(v, n) for v, n in ((user, "user"), (role, "role"), (action, "action"))
    )
    text = " ".join(str(detail or "").split())
    if len(text) > MAX_DETAIL:
        text = text[: MAX_DETAIL - 1] + "…"
    unit = " ".join(str(unit or "").split())[:MAX_FIELD] or None
    with connect(db_path, write=True) as con:
        write_event(con, at=at, user=user, role=role, action=action, detail=text, unit=unit)


def audit_events(
    db_path: Path, *, limit: int = 500, user: str | None = None, action: str | None = None
) -> pd.DataFrame:
    """The newest `limit` events first, optionally of one user or one action; columns at
    (datetime), user, role, unit, action, detail."""
    if not exists(db_path):
        return _frame([])
    limit = max(1, min(int(limit), MAX_EVENTS))
    params = {"limit": limit, "user": user, "action": action}
    with connect(db_path) as con:
        rows = con.execute(queries()["events"], params).fetchall()
    return _frame(rows)


def _frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=EVENT_COLUMNS, dtype=object)
    frame["at"] = pd.to_datetime(frame["at"], format="ISO8601")
    return frame


def _field(value: str, name: str) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise ValueError(f"an audit event needs a {name}")
    return text[:MAX_FIELD]
