"""督办台账 (data contract §5): open items for lagging indicators or 督查 findings, record 整改
notes, close (销号) and re-open them, and re-check open items after every load and undo.

Tables (warehouse/sql/supervision_schema.sql): `supervision_item` (one row per item, as opened) and
`supervision_event` (append-only: opened, note, recheck, closed, reopened, each with its time and
who). Nothing is updated or deleted; an item's status is the status after its latest event.

Every write goes through the warehouse's single write path (db_write.WritableCopy: lock, copy,
os.replace), one transaction per operation; a refused operation raises before the swap, so the
database stays exactly as it was. `recheck` runs inside a load's (or undo's) own transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl.writing.db_write import WritableCopy, named_queries
from metrics.config import SUPERVISION_STATUSES

STATUSES = SUPERVISION_STATUSES
CAUGHT_UP, CLOSED = STATUSES[2], STATUSES[3]
MAX_TEXT = 500  # characters of a reason or a note
MAX_NAME = 40  # characters of a person's, region's or department's name
Key = tuple[str, str, str]  # (region, project_code, indicator)


@dataclass
class Outcome:
    """What an operation did, in one Chinese sentence; `ok` False when it was refused."""

    ok: bool
    message: str
    item_ids: list[int] = field(default_factory=list)  # items opened or changed
    already: list[int] = field(default_factory=list)  # open: items that already existed


class Refused(Exception):
    """An operation that may not be done: nothing is written."""


def _queries() -> dict[str, str]:
    return named_queries("supervision.sql")


def default_deadline(year: int, month: int) -> dt.date:
    """The last day of the month after the item's month (opened for 4月 → 5月31日)."""
    after_next = (year, month + 2) if month <= 10 else (year + 1, month - 10)
    return dt.date(*after_next, 1) - dt.timedelta(days=1)


def _text(value: object, what: str, limit: int = MAX_TEXT, *, required: bool = True) -> str | None:
    text = " ".join(str(value or "").split())
    if not text:
        if required:
            raise Refused(f"请填写{what}")
        return None
    if len(text) > limit:
        raise Refused(f"{what}不能超过 {limit} 个字（现有 {len(text)} 个）")
    return text


def _person(by: object) -> str:
    return _text(by, "操作人", MAX_NAME) or ""


def _now(at: dt.datetime | None) -> dt.datetime:
    return (at or dt.datetime.now()).replace(microsecond=0)


def _write(db_path: Path, action: Callable[[duckdb.DuckDBPyConnection], Outcome]) -> Outcome:
    """Run `action` in one transaction on the writer's copy; swap it in only when the action
    changed something (Outcome.item_ids). A Refused leaves the database file as it was."""
    db_path = Path(db_path)
    if not db_path.exists():
        return Outcome(False, f"数据库不存在：{db_path}")
    try:
        with WritableCopy(db_path) as copy:
            con = copy.connection()
            con.execute("BEGIN TRANSACTION")
            outcome = action(con)
            if outcome.item_ids:
                con.execute("COMMIT")
            else:
                con.execute("ROLLBACK")
                copy.discard()  # nothing to write: the file is not even rewritten
            return outcome
    except Refused as refused:
        return Outcome(False, str(refused))


def _at_least(min_severity: str) -> Callable[[float], bool]:
    from metrics.config import SEVERITY_LABELS
    from metrics.lagging import severity  # the 滞后 page's rule and thresholds

    if min_severity not in SEVERITY_LABELS:
        raise Refused(f"严重程度应为 {'、'.join(SEVERITY_LABELS)} 之一，收到“{min_severity}”")
    floor = SEVERITY_LABELS.index(min_severity)
    return lambda points: SEVERITY_LABELS.index(severity(points)) >= floor


def open_lagging(
    db_path: Path,
    year: int,
    month: int,
    *,
    min_severity: str = "橙",
    deadline: dt.date | None = None,
    by: str = "cli",
    keys: Iterable[Key] | None = None,
    at: dt.datetime | None = None,
) -> Outcome:
    """Open an item for every lagging (region, project, indicator) of the month at or above
    `min_severity` (only those in `keys`, when given) that has no open item yet."""
    try:  # a refusal here is the clerk's to read, as in every other operation
        by, at = _person(by), _now(at)
        at_least = _at_least(min_severity)
    except Refused as refused:
        return Outcome(False, str(refused))
    deadline = deadline or default_deadline(year, month)
    wanted = None if keys is None else {tuple(k) for k in keys}

    def action(con) -> Outcome:
        q = _queries()
        params = {"year": year, "month": month}
        if not con.execute(q["month_rows"], params).fetchone()[0]:
            raise Refused(f"{year}年{month}月没有已导入的进度数据，未下发督办")
        rows = con.execute(q["lagging_rows"], params).fetchall()
        rows = [
            r for r in rows if at_least(r[6]) and (wanted is None or (r[0], r[1], r[3]) in wanted)
        ]
        open_now = {tuple(r[:3]): r[3] for r in con.execute(q["open_keys"]).fetchall()}
        already = [open_now[(r[0], r[1], r[3])] for r in rows if (r[0], r[1], r[3]) in open_now]
        new = [r for r in rows if (r[0], r[1], r[3]) not in open_now]
        ids = _insert_lagging(con, q, year, month, new, deadline, by, at, min_severity)
        return Outcome(True, _opened_sentence(year, month, min_severity, ids, already), ids,
                       already)  # fmt: skip

    return _write(db_path, action)


def _insert_lagging(con, q, year, month, rows, deadline, by, at, min_severity) -> list[int]:
    if not rows:
        return []
    from metrics.lagging import severity

    reasons = [
        f"{year}年{month}月{name}（{indicator}）低于序时进度{points:.1f}个百分点（{severity(points)}）"
        for _, _, name, indicator, _, _, points in rows
    ]
    columns = list(zip(*rows, strict=True))
    ids = [
        row[0]
        for row in con.execute(
            q["insert_lagging_items"],
            {
                "year": year, "month": month, "deadline": deadline, "at": at, "by": by,
                "regions": list(columns[0]), "codes": list(columns[1]), "names": list(columns[2]),
                "indicators": list(columns[3]), "departments": list(columns[4]),
                "gaps": list(columns[5]), "reasons": reasons,
            },
        ).fetchall()
    ]  # fmt: skip
    con.execute(q["insert_opened_events"], {"item_ids": ids, "at": at, "by": by}).fetchall()
    return sorted(ids)


def _opened_sentence(year, month, min_severity, ids, already) -> str:
    scope = f"{year}年{month}月{min_severity}及以上的滞后项"
    if not ids and not already:
        return f"{scope}：没有需要督办的项，未下发督办"
    text = (
        f"{scope}：新下发督办 {len(ids)} 项（编号 {_numbers(ids)}）"
        if ids
        else f"{scope}：没有新下发督办"
    )
    if already:
        text += f"；{len(already)} 项已有未销号的督办（编号 {_numbers(already)}），未重复下发"
    return text


def _numbers(ids: Iterable[int]) -> str:
    return "、".join(str(i) for i in sorted(ids))


def open_manual(
    db_path: Path,
    year: int,
    month: int,
    *,
    reason: str,
    region: str | None = None,
    department: str | None = None,
    deadline: dt.date | None = None,
    by: str = "cli",
    at: dt.datetime | None = None,
) -> Outcome:
    """A manual item (督查发现): a region and/or a department, a reason, no indicator."""
    try:
        by, at = _person(by), _now(at)
        region = _text(region, "地区", MAX_NAME, required=False)
        department = _text(department, "责任单位", MAX_NAME, required=False)
        if region is None and department is None:
            raise Refused("请填写地区或责任单位（至少一项）")
        reason = _text(reason, "督办原因")
        if not 1 <= int(month) <= 12:
            raise Refused(f"月份应为 1–12，收到 {month}")
    except Refused as refused:
        return Outcome(False, str(refused))
    deadline = deadline or default_deadline(year, month)

    def action(con) -> Outcome:
        q = _queries()
        params = {"year": year, "month": month, "region": region, "department": department,
                  "reason": reason, "deadline": deadline, "at": at, "by": by}  # fmt: skip
        [(item_id,)] = con.execute(q["insert_manual_item"], params).fetchall()
        con.execute(q["insert_opened_events"], {"item_ids": [item_id], "at": at, "by": by})
        unit = "、".join(u for u in (region, department) if u)
        return Outcome(True, f"已下发督办（编号 {item_id}，{unit}），期限 {deadline}", [item_id])

    return _write(db_path, action)


def _item(con, item_id: int):
    row = con.execute(_queries()["item_state"], {"item_id": int(item_id)}).fetchone()
    if row is None:
        raise Refused(f"没有编号为 {item_id} 的督办事项")
    return row


def _event(con, item_id, kind, status, note, by, at) -> None:
    con.execute(_queries()["insert_event"], {"item_id": int(item_id), "kind": kind,
                "status": status, "note": note, "by": by, "at": at})  # fmt: skip


def add_note(
    db_path: Path, item_id: int, text: str, *, by: str = "cli", at: dt.datetime | None = None
) -> Outcome:
    """Record a 整改 note: 待整改 → 整改中 (整改中 and 可销号 keep their status)."""
    try:
        by, at, text = _person(by), _now(at), _text(text, "整改情况")
    except Refused as refused:
        return Outcome(False, str(refused))

    def action(con) -> Outcome:
        status = _item(con, item_id)[7]
        if status == CLOSED:
            raise Refused(f"督办事项 {item_id} 已销号，不能再记录整改情况（如需继续请先重新打开）")
        after = "整改中" if status == "待整改" else status
        _event(con, item_id, "note", after, text, by, at)
        return Outcome(True, f"已记录督办事项 {item_id} 的整改情况，状态：{after}", [int(item_id)])

    return _write(db_path, action)


def close_item(
    db_path: Path, item_id: int, note: str, *, by: str = "cli", at: dt.datetime | None = None
) -> Outcome:
    """销号: a person closes an item in any open status, with a note."""
    try:
        by, at, note = _person(by), _now(at), _text(note, "销号说明")
    except Refused as refused:
        return Outcome(False, str(refused))

    def action(con) -> Outcome:
        if _item(con, item_id)[7] == CLOSED:
            raise Refused(f"督办事项 {item_id} 已经销号")
        _event(con, item_id, "closed", CLOSED, note, by, at)
        return Outcome(True, f"督办事项 {item_id} 已销号", [int(item_id)])

    return _write(db_path, action)


def reopen_item(
    db_path: Path, item_id: int, note: str, *, by: str = "cli", at: dt.datetime | None = None
) -> Outcome:
    """A person re-opens a closed item (with a note); refused while another open item has the
    same region, project and indicator."""
    try:
        by, at, note = _person(by), _now(at), _text(note, "重新打开的原因")
    except Refused as refused:
        return Outcome(False, str(refused))

    def action(con) -> Outcome:
        q = _queries()
        row = _item(con, item_id)
        if row[7] != CLOSED:
            raise Refused(f"督办事项 {item_id} 尚未销号，无需重新打开")
        if row[6] is not None:
            open_now = {tuple(r[:3]): r[3] for r in con.execute(q["open_keys"]).fetchall()}
            other = open_now.get((row[3], row[5], row[6]))
            if other is not None:
                raise Refused(f"同一地区、项目和指标已有未销号的督办事项 {other}，不能重新打开")
        status = con.execute(q["reopened_status"], {"item_id": int(item_id)}).fetchone()[0]
        _event(con, item_id, "reopened", status, note, by, at)
        return Outcome(True, f"督办事项 {item_id} 已重新打开，状态：{status}", [int(item_id)])

    return _write(db_path, action)


def recheck(
    con: duckdb.DuckDBPyConnection, load_id: int, by: str, at: dt.datetime | None = None
) -> list[str]:
    """Inside a load's or an undo's transaction (etl.writing.warehouse): judge every open lagging item
    against the latest loaded month of its year; record each change of status. Returns notices."""
    q = _queries()
    if not con.execute(q["has_open_lagging_items"]).fetchone()[0]:
        return []
    params = {"load_id": load_id, "by": str(by or "cli"), "at": _now(at)}
    moved = con.execute(q["recheck"], params).fetchall()
    caught_up = [item for item, status in moved if status == CAUGHT_UP]
    behind = [item for item, status in moved if status != CAUGHT_UP]
    notices = []
    if caught_up:
        notices.append(
            f"督办：{len(caught_up)} 项已赶上序时进度，待复核销号（编号 {_numbers(caught_up)}）"
        )
    if behind:
        notices.append(f"督办：{len(behind)} 项又低于序时进度，恢复督办（编号 {_numbers(behind)}）")
    return notices
