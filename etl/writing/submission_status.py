"""报送情况: per unit, where its month's report stands (未报送 / 待审核 / 已退回 / 已入库), when
it was sent and reviewed, whether it came by the due day, and how often it was returned. The
考评 reads `on_time` and `returns`: a late or returned report is visible to the scorer.

A 县区 month that the 民生办 loaded itself (its current 进度/资金 rows come from a load that no
submission made) counts as 已入库, from `民生办导入`, when that load is newer than the unit's latest
submission. A 市直单位's month is known from its submissions only: every county's file names
the departments (责任单位) of its rows, so the warehouse cannot tell a department's own report.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd

from etl.writing.activity_store import queries
from etl.writing.submission import LOADED, NOT_SENT, WITHDRAWN, Submission, due_date, submissions
from etl.writing.submission_checks import COUNTY
from metrics.config import UNIT_TYPES
from metrics.schema import read_only_connection
from warehouse.connection import has_warehouse_tables

ON_TIME, LATE, NOT_DUE = "按时", "逾期", "未到期"
BY_OFFICE = "民生办导入"  # on_time and source of a month the 民生办 loaded itself
BY_UNIT = "报送"
COLUMNS = [
    "unit_kind", "unit", "status", "submitted_at", "reviewed_at", "due", "on_time", "returns",
    "first_submitted_at", "submission_id", "source",
]  # fmt: skip


def reporting_status(
    db_path: Path,
    year: int,
    month: int,
    units: list[tuple[str, str]],
    *,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """One row per (unit_kind, unit) of `units`, in that order, then any other unit that sent a
    file for the month. on_time: 按时 / 逾期 by the unit's first file of the month (a returned
    file sent in time still counts as sent in time; `returns` says it was returned); with no
    file, 逾期 once the due day has passed, else 未到期; 民生办导入 for a month loaded by the office.
    """
    today = today or dt.date.today()
    due = due_date(year, month)
    sent: dict[tuple[str, str], list[Submission]] = {}
    for item in submissions(db_path, year=year, month=month):  # newest first
        sent.setdefault((item.unit_kind, item.unit), []).append(item)
    submitted_loads = {s.load_id for items in sent.values() for s in items if s.load_id}
    office_loads = _office_loads(db_path, year, month, submitted_loads)
    keys = list(dict.fromkeys([*map(tuple, units), *sent]))
    rows = []
    for kind, unit in keys:
        loaded_at = office_loads.get(unit) if kind == COUNTY else None
        rows.append(_row(kind, unit, sent.get((kind, unit), []), loaded_at, due, today))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("submitted_at", "reviewed_at", "first_submitted_at"):
        frame[column] = pd.to_datetime(frame[column])
    return frame.astype({"returns": "int64", "submission_id": "Int64"})


def units_in_warehouse(db_path: Path, year: int) -> list[tuple[str, str]]:
    """(kind, name) of the regions (县区) and departments (市直单位) the warehouse knows that
    year, from the contract views: 县区 first, then 市直单位, each by name."""
    found = _warehouse_rows(db_path, "warehouse_units", {"year": int(year)})
    units = {(kind, name.strip()) for kind, name in found if kind in UNIT_TYPES and name}
    return sorted(units, key=lambda unit: (UNIT_TYPES.index(unit[0]), unit[1]))


def _row(kind, unit, items: list[Submission], loaded_at, due: dt.date, today: dt.date) -> dict:
    live = [s for s in items if s.status != WITHDRAWN]
    latest = live[0] if live else None
    first = min((s.submitted_at for s in items), default=None)
    row = {
        "unit_kind": kind, "unit": unit, "status": NOT_SENT, "submitted_at": None,
        "reviewed_at": None, "due": due, "on_time": None,
        "returns": sum(s.status == "已退回" for s in items), "first_submitted_at": first,
        "submission_id": None, "source": "",
    }  # fmt: skip
    if latest is not None:
        row.update(status=latest.status, submitted_at=latest.submitted_at,
                   reviewed_at=latest.reviewed_at, submission_id=latest.id, source=BY_UNIT)  # fmt: skip
    if loaded_at is not None and (latest is None or loaded_at > _last_change(latest)):
        row.update(status=LOADED, reviewed_at=loaded_at, source=BY_OFFICE)
    if first is not None:
        row["on_time"] = ON_TIME if first.date() <= due else LATE
    elif loaded_at is not None:
        row["on_time"] = BY_OFFICE
    else:
        row["on_time"] = LATE if today > due else NOT_DUE
    return row


def _last_change(item: Submission) -> dt.datetime:
    return max(item.submitted_at, item.reviewed_at or item.submitted_at)


def _office_loads(db_path: Path, year: int, month: int, submitted: set[int]) -> dict:
    """region → the newest load time of its current rows that month, from loads that no
    submission made."""
    found = _warehouse_rows(db_path, "warehouse_region_loads", {"year": year, "month": month})
    newest: dict[str, dt.datetime] = {}
    for region, load_id, loaded_at in found:
        if load_id not in submitted and (region not in newest or loaded_at > newest[region]):
            newest[region] = loaded_at
    return newest


def _warehouse_rows(db_path: Path, query: str, params: dict) -> list[tuple]:
    if not Path(db_path).exists():
        return []
    con = read_only_connection(Path(db_path))
    try:
        if not has_warehouse_tables(con):
            return []
        return con.execute(queries()[query], params).fetchall()
    except duckdb.CatalogException:  # a file older than a view it reads
        return []
    finally:
        con.close()
