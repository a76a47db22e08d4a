"""督办台账 (data contract §5) for the 督办 page: the ledger of a year, counts by status and colour,
per-unit summaries, an item's history. Read-only; the writes are etl.writing.supervision's.

Colours come from v_supervision, computed for today: 红 past the deadline, 蓝 at most 7 days to
go, 黄 otherwise (三色督办单); none for 已销号.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from metrics.config import (
    NO_DEPARTMENT_LABEL,
    SEVERITY_LABELS,
    SUPERVISION_COLOURS,
    SUPERVISION_STATUSES,
)
from metrics.db import Warehouse
from metrics.filters import Filters

STATUSES = SUPERVISION_STATUSES
CLOSED = STATUSES[-1]
COLOURS = SUPERVISION_COLOURS  # worst first
# the 三色督办单's meaning, for legends and chips
COLOUR_MEANINGS: dict[str, str] = {"红": "已逾期", "蓝": "7天内到期", "黄": "未到期限"}
COLOUR_HEX: dict[str, str] = {"红": "#C62828", "蓝": "#1565C0", "黄": "#E0B000"}
STATUS_HEX: dict[str, str] = {
    "待整改": "#E8730C", "整改中": "#1565C0", "可销号": "#2E7D32", "已销号": "#757575",
}  # fmt: skip
# how a status reads on the page (可销号 is the office's cue to 复核)
STATUS_NOTES: dict[str, str] = {
    "待整改": "已下发，等待整改",
    "整改中": "已报整改情况",
    "可销号": "已赶上序时进度，待复核",
    "已销号": "已复核销号",
}
EVENT_LABELS: dict[str, str] = {
    "opened": "下发督办",
    "note": "整改情况",
    "recheck": "导入后复核",
    "closed": "销号",
    "reopened": "重新打开",
}
MANUAL_LABEL = "督查发现"
NO_REGION_LABEL = "未填地区"
LEDGER_COLUMNS = [
    "item_id", "colour", "status", "status_note", "year", "month", "region", "department",
    "project_code", "project_name", "indicator", "item_label", "reason", "gap_opened_points",
    "gap_latest_points", "latest_month", "gap_change_points", "deadline", "days_left",
    "opened_at", "opened_by", "closed_at", "closed_by", "n_notes",
]  # fmt: skip
UNIT_COUNT_COLUMNS = ["n_items", "n_open", "n_red", "n_blue", "n_yellow", "n_closable", "n_closed"]


def has_ledger(wh: Warehouse) -> bool:
    """Whether the database has the 督办台账 (one written before it existed has not)."""
    return bool(wh.query("supervision_exists")["has_ledger"].iloc[0])


def _points(gap: pd.Series) -> pd.Series:
    """Percentage points behind 序时进度 (positive = behind), as the 滞后 page shows them."""
    return (-pd.to_numeric(gap, errors="coerce") * 100).round(9)


def supervision_ledger(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """The items of f.year for f.region / f.department (others ignored), oldest first.

    Columns (LEDGER_COLUMNS): v_supervision's, plus status_note, item_label (project
    (indicator), or 督查发现), gap_opened_points / gap_latest_points (points behind, positive),
    gap_change_points (latest − opened: negative = catching up), days_left (to the deadline,
    today; negative = overdue; none once closed)."""
    if not has_ledger(wh):
        return pd.DataFrame({c: pd.Series(dtype="object") for c in LEDGER_COLUMNS})
    rows = wh.query("supervision_ledger", {**f.params(), "as_of": dt.date.today()})
    rows["status_note"] = rows["status"].map(STATUS_NOTES)
    rows["item_label"] = [
        MANUAL_LABEL if pd.isna(indicator) else f"{name or code}（{indicator}）"
        for code, name, indicator in zip(
            rows["project_code"], rows["project_name"], rows["indicator"], strict=True
        )
    ]
    rows["gap_opened_points"] = _points(rows["gap_opened"])
    rows["gap_latest_points"] = _points(rows["gap_latest"])
    rows["gap_change_points"] = rows["gap_latest_points"] - rows["gap_opened_points"]
    rows["days_left"] = rows["days_left"].astype("Int64")
    return rows[LEDGER_COLUMNS].reset_index(drop=True)


@dataclass(frozen=True)
class LedgerCounts:
    """Headline counts: items per status and, of the open ones, per colour (every key present)."""

    n_items: int
    n_open: int
    by_status: dict[str, int]
    by_colour: dict[str, int]


def ledger_counts(items: pd.DataFrame) -> LedgerCounts:
    statuses = items["status"].value_counts() if len(items) else pd.Series(dtype=int)
    colours = items["colour"].value_counts() if len(items) else pd.Series(dtype=int)
    by_status = {s: int(statuses.get(s, 0)) for s in STATUSES}
    return LedgerCounts(
        n_items=len(items),
        n_open=len(items) - by_status[CLOSED],
        by_status=by_status,
        by_colour={c: int(colours.get(c, 0)) for c in COLOURS},
    )


def ledger_by_unit(items: pd.DataFrame, by: str) -> pd.DataFrame:
    """Items per region or department: n_items, n_open, n_red / n_blue / n_yellow (open items
    by colour), n_closable (可销号), n_closed; most red, then most open first."""
    columns = [by, *UNIT_COUNT_COLUMNS]
    if items.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    missing = NO_REGION_LABEL if by == "region" else NO_DEPARTMENT_LABEL
    frame = items.assign(
        **{by: items[by].fillna(missing)},
        n_open=items["status"] != CLOSED,
        n_red=items["colour"] == "红",
        n_blue=items["colour"] == "蓝",
        n_yellow=items["colour"] == "黄",
        n_closable=items["status"] == "可销号",
        n_closed=items["status"] == CLOSED,
    )
    out = (
        frame.groupby(by)
        .agg(n_items=("item_id", "size"), **{c: (c, "sum") for c in UNIT_COUNT_COLUMNS[1:]})
        .reset_index()
    )
    for column in UNIT_COUNT_COLUMNS:
        out[column] = out[column].astype(int)
    out = out.sort_values(["n_red", "n_open", by], ascending=[False, False, True], kind="stable")
    return out[columns].reset_index(drop=True)


def item_history(wh: Warehouse, item_id: int) -> pd.DataFrame:
    """An item's events, oldest first: happened_at, actor, event (Chinese), status, note,
    month and gap_points (the latest loaded month compared, for openings and re-checks)."""
    rows = wh.query("supervision_events", {"item_id": int(item_id)})
    rows["event"] = rows["kind"].map(EVENT_LABELS).fillna(rows["kind"])
    rows["gap_points"] = _points(rows["gap"])
    rows["month"] = rows["month"].astype("Int64")
    return rows[["happened_at", "actor", "event", "status", "note", "month", "gap_points"]]


def item_gaps(wh: Warehouse, item_id: int) -> pd.DataFrame:
    """A lagging item's indicator month by month (its region, its year): month,
    completion_rate, planned_rate, gap_points, is_lagging. Empty for a manual finding."""
    rows = wh.query("supervision_gaps", {"item_id": int(item_id)})
    rows["gap_points"] = _points(rows["gap"])
    return rows[["month", "completion_rate", "planned_rate", "gap_points", "is_lagging"]]


def item_owner(wh: Warehouse, item_id: int) -> tuple[str | None, str | None] | None:
    """(region, department) of a 督办 item, None when there is no such item."""
    rows = wh.query("supervision_item_owner", {"item_id": int(item_id)})
    if rows.empty:
        return None
    region, department = rows.iloc[0]["region"], rows.iloc[0]["department"]
    return (
        None if pd.isna(region) else str(region),
        None if pd.isna(department) else str(department),
    )


def open_item_keys(items: pd.DataFrame) -> dict[tuple[str, str, str], int]:
    """(region, project_code, indicator) → item_id of the ledger's open lagging items."""
    open_items = items[(items["status"] != CLOSED) & items["indicator"].notna()]
    return {
        (r.region, r.project_code, r.indicator): int(r.item_id)
        for r in open_items.itertuples(index=False)
    }


@dataclass(frozen=True)
class Supervisable:
    """A month's lagging items (lagging_items rows) that no open 督办 covers yet."""

    items: pd.DataFrame
    n_lagging: int  # all the month's lagging items
    n_taken: int  # of those, the ones an open item already covers

    @property
    def severe_keys(self) -> list[tuple[str, str, str]]:
        """(region, project_code, indicator) of the 橙 and 红 ones: "下发全部橙、红项"."""
        severe = self.items[self.items["severity"].isin(SEVERITY_LABELS[1:])]
        return list(zip(severe["region"], severe["project_code"], severe["indicator"], strict=True))


def supervisable_lagging(lagging: pd.DataFrame, ledger: pd.DataFrame) -> Supervisable:
    """The lagging items of `lagging` (metrics.lagging.lagging_items) without an open item in
    `ledger` (supervision_ledger), in their order."""
    taken = open_item_keys(ledger)
    keys = zip(lagging["region"], lagging["project_code"], lagging["indicator"], strict=True)
    free = [key not in taken for key in keys]
    return Supervisable(lagging[free], len(lagging), len(lagging) - sum(free))


# --- the 督办台账 in a month's 通报 and on the meeting screen -----------------------------------


@dataclass(frozen=True)
class MonthLedger:
    """The 督办台账 as a month's 通报 reports it (each a LEDGER_COLUMNS frame, oldest first):
    `opened` — items opened for (year, month); `closed` — items 销号 within that calendar month;
    `overdue` — items open on `as_of` whose deadline had passed, with `days_overdue`."""

    as_of: dt.date
    opened: pd.DataFrame
    closed: pd.DataFrame
    overdue: pd.DataFrame

    @property
    def is_empty(self) -> bool:
        return self.opened.empty and self.closed.empty and self.overdue.empty


def overdue_items(items: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Items of a ledger frame that were open on `as_of` (opened by then, not yet 销号 then)
    and past their deadline (红 on that day), most days overdue first; adds `days_overdue`."""
    if items.empty:
        return items.assign(days_overdue=pd.Series(dtype="Int64"))
    day = pd.Timestamp(as_of)
    deadlines = pd.to_datetime(items["deadline"])
    opened = pd.to_datetime(items["opened_at"]).dt.normalize() <= day
    closed_at = pd.to_datetime(items["closed_at"]).dt.normalize()
    still_open = closed_at.isna() | (closed_at > day)
    overdue = items[opened & still_open & (deadlines < day)]
    overdue = overdue.assign(days_overdue=(day - deadlines[overdue.index]).dt.days.astype("Int64"))
    return overdue.sort_values(["days_overdue", "item_id"], ascending=[False, True],
                               kind="stable").reset_index(drop=True)  # fmt: skip


def month_ledger(wh: Warehouse, year: int, month: int, as_of: dt.date) -> MonthLedger | None:
    """What the 通报 of (year, month), dated `as_of`, says about the 督办台账; None for a
    database without the ledger (written before it existed)."""
    if not has_ledger(wh):
        return None
    items = supervision_ledger(wh, Filters(year, month))
    opened = items[items["month"] == month].reset_index(drop=True)
    closed_at = pd.to_datetime(items["closed_at"])
    in_month = (closed_at.dt.year == year) & (closed_at.dt.month == month)
    closed = items[(items["status"] == CLOSED) & in_month].reset_index(drop=True)
    return MonthLedger(as_of, opened, closed, overdue_items(items, as_of))
