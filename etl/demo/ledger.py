"""The demo city's 督办台账: what the 民生办 did after each 通报, written through the same
operations as the 督办 page and `python -m etl supervise` (etl.writing.supervision), after the demo's
files are loaded. Every operation carries a fixed time, so the demo is the same on every build.

The ledger (story.DEMO_LEDGER in words):
- 2025年5月12日 a 督查 finding: 北岭县's 4月 report never arrived; 销号 on 6月6日.
- After the 6月 and 8月 通报 (7月11日, 9月11日), items for every 红 (over 30 points behind)
  county indicator: the chronic ones (农村公路、改厕、水利) and 西山区's slump.
- 整改 notes from the departments and 西山区 in 7–10月.
- Items caught up by the year's end are 销号 on 11月14日, except 青阳县's 8月 typo (医保参保
  one digit short), left 可销号 (待复核); the chronic ones stay open, past their deadlines (红).
- After the 2026年2月 通报 (3月12日), items for 社区养老服务站建设 (市民政局, every county)
  and the worst 校舍维修改造; a note from 市民政局.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from etl.demo.story import DEMO_LEDGER, LAGGING_REGION, TYPO, YEAR
from etl.writing import supervision as sv

CLERK = DEMO_LEDGER["clerk"]


def _at(day: str, hour: int = 9, minute: int = 30) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, minute=minute)


def _ledger(db: Path) -> list[tuple]:
    """(item_id, year, month, region, department, project_code, indicator, status) by id."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT item_id, year, month, region, department, project_code, indicator, status "
            "FROM v_supervision ORDER BY item_id"
        ).fetchall()
    finally:
        con.close()


def _check(outcome: sv.Outcome) -> sv.Outcome:
    if not outcome.ok:
        raise RuntimeError(f"示例督办台账: {outcome.message}")
    return outcome


NEEDED = ((YEAR, 6), (YEAR, 8), (YEAR + 1, 2))  # the 通报 months the ledger opens items for


def _has_months(db: Path) -> bool:
    con = duckdb.connect(str(db), read_only=True)
    try:
        loaded = set(con.execute("SELECT DISTINCT year, month FROM v_progress").fetchall())
    finally:
        con.close()
    return all(period in loaded for period in NEEDED)


def write_demo_ledger(db: Path) -> bool:
    """Write the demo's ledger into the freshly loaded demo warehouse at `db`; False (nothing
    written) when the months it needs are not loaded (a build from a subset of the files)."""
    if not _has_months(db):
        return False
    # 4月: 北岭县's report never arrived — a 督查 finding, closed once it reported again
    missing = _check(sv.open_manual(
        db, YEAR, 4, reason="4月份民生工程月报未按时报送", region="北岭县",
        deadline=dt.date(YEAR, 5, 31), by=CLERK, at=_at("2025-05-12"),
    )).item_ids[0]  # fmt: skip
    _check(sv.add_note(db, missing, "已补报4月份月报，明确专人负责按月报送", by="北岭县民生办",
                       at=_at("2025-05-20", 15)))  # fmt: skip
    _check(sv.close_item(db, missing, "5月份月报已按时报送，同意销号", by=CLERK,
                         at=_at("2025-06-06", 10)))  # fmt: skip

    # after the 6月 and 8月 通报: every 红 county indicator
    _check(sv.open_lagging(db, YEAR, 6, min_severity="红", by=CLERK, at=_at("2025-07-11")))
    _check(sv.open_lagging(db, YEAR, 8, min_severity="红", by=CLERK, at=_at("2025-09-11")))
    notes = DEMO_LEDGER["notes"]
    for item in _ledger(db):
        item_id, _year, month, region, _department, code, indicator, _status = item
        note = notes.get((code, indicator)) or (
            notes["西山区"] if region == LAGGING_REGION and code else None
        )
        if note:
            text, who = note
            day = DEMO_LEDGER["note_days"][month]
            _check(sv.add_note(db, item_id, text, by=who, at=_at(day, 16)))

    # caught up by the year's end: 销号 after 复核 — but for 青阳县's 8月 typo, left 待复核
    typo = (TYPO["region"], TYPO["project_code"], TYPO["indicator"])
    caught_up = [i[0] for i in _ledger(db)
                 if i[7] == sv.CAUGHT_UP and i[1] == YEAR and (i[3], i[5], i[6]) != typo]  # fmt: skip
    for item_id in caught_up:
        _check(sv.close_item(db, item_id, "10月已回到序时进度，经复核同意销号", by=CLERK,
                             at=_at("2025-11-14", 10)))  # fmt: skip

    # after the 2026年2月 通报: 社区养老服务站建设 everywhere and the worst 校舍维修改造
    con = duckdb.connect(str(db), read_only=True)
    try:
        keys = con.execute(
            "SELECT region, project_code, indicator FROM v_progress "
            "WHERE year = ? AND month = 2 AND is_lagging AND ("
            "  (project_code = ? AND indicator = ?) OR (project_code = ? AND "
            "  (planned_rate - completion_rate) * 100 >= ?))",
            [YEAR + 1, *DEMO_LEDGER["2026_items"]],
        ).fetchall()
    finally:
        con.close()
    opened = _check(sv.open_lagging(db, YEAR + 1, 2, min_severity="橙", keys=keys, by=CLERK,
                                    at=_at("2026-03-12"))).item_ids  # fmt: skip
    text, who, day = DEMO_LEDGER["2026_note"]
    for item_id in opened[:3]:
        _check(sv.add_note(db, item_id, text, by=who, at=_at(day, 16)))
    return True
