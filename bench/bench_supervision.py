"""Benchmark: what the 督办台账's re-check adds to a province-sized monthly load.

    python bench/bench_supervision.py [--runs 9] [--items 500] [--regions 100] [--indicators 80]

June (100 regions × 80 indicators + 100 × 33 funding rows, bench/common.py's workbook)
is loaded into a database that holds May, once without any 督办 item and once with `--items`
open items (opened for May's lagging indicators through etl.writing.supervision.open_lagging). In June
a fifth of those indicators catch up, so the re-check moves about a fifth of the items to 可销号
and appends an event for each: the re-check does all its work.

Every measurement is a fresh process (modules imported before the clock starts, as in a running
app), the two cases interleaved (无 / 有 / 无 / 有 …) so a drift of the shared machine's speed hits
both alike. Printed: the medians of end-to-end wall and CPU time of `load_paths([June], db)` in
each case and their difference, and the time of the re-check itself inside the load with items
(etl.writing.warehouse's call of etl.writing.supervision.recheck, timed by a wrapper). Target: the re-check adds
under 50 ms. Not a test: figures vary with the machine and its load.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bench.common import PROJECTS, YEAR, clock, run_child, write_month  # noqa: E402

TARGET_MS = 50


def prepare(may: Path, db: Path, items: int) -> int:
    """db: May loaded, then `items` open items for May's lagging indicators (spread over the
    regions: every k-th lagging row, a fifth of them catching up in June). Returns how many."""
    import duckdb

    from etl.writing import supervision as sv
    from etl.writing.warehouse import load_paths

    [result] = load_paths([may], db)
    assert not result.refused
    if not items:
        return 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        lagging = con.execute(
            "SELECT region, project_code, indicator FROM v_progress "
            "WHERE year = ? AND month = 5 AND is_lagging ORDER BY region, indicator",
            [YEAR],
        ).fetchall()
    finally:
        con.close()
    step = max(1, len(lagging) // items)
    keys = lagging[::step][:items]
    outcome = sv.open_lagging(db, YEAR, 5, min_severity="黄", keys=keys, by="bench",
                              at=dt.datetime(YEAR, 6, 10, 9))  # fmt: skip
    assert outcome.ok, outcome.message
    return len(outcome.item_ids)


def child(book: Path, template: Path) -> dict:
    """In a fresh process: copy the template, time load_paths([June]); time the re-check too."""
    import python_calamine  # noqa: F401 - imported lazily by the reader: not part of the load

    import etl.writing.warehouse as warehouse
    from etl.writing.warehouse import load_paths

    recheck_times: list[float] = []
    original = warehouse.recheck_supervision

    def timed_recheck(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            recheck_times.append(time.perf_counter() - start)

    warehouse.recheck_supervision = timed_recheck
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "wh.duckdb"
        shutil.copyfile(template, db)
        wall, cpu = clock()
        [result] = load_paths([book], db)
        done, done_cpu = clock()
    assert not result.refused, [str(e) for e in result.errors[:3]]
    notices = [n for n in result.notices if n.startswith("督办")]
    return {"wall": done - wall, "cpu": done_cpu - cpu, "recheck": sum(recheck_times),
            "notices": notices}  # fmt: skip


def measure(book: Path, template: Path) -> dict:
    command = [sys.executable, __file__, "--child", str(book), str(template)]
    return run_child(command)


def main() -> None:
    parser = argparse.ArgumentParser(description="督办复核基准：省级规模月报导入时复核未销号事项")
    parser.add_argument("--runs", type=int, default=9, help="每种情形测几次（交替进行，取中位数）")
    parser.add_argument("--items", type=int, default=500, help="未销号的督办事项数")
    parser.add_argument("--regions", type=int, default=100, help="地区数")
    parser.add_argument("--indicators", type=int, default=80, help="每个地区的指标数")
    parser.add_argument("--verbose", action="store_true", help="打印每一次的结果")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.child[0]), Path(args.child[1])), ensure_ascii=False))
        return
    with tempfile.TemporaryDirectory() as folder:
        may, june = Path(folder) / "省5月.xlsx", Path(folder) / "省6月.xlsx"
        # June: a fifth of May's lagging indicators catch up, so the re-check does all its work
        write_month(may, 5, args.regions, args.indicators, catch_up=True)
        rows = write_month(june, 6, args.regions, args.indicators, catch_up=True)
        without, with_items = Path(folder) / "无督办.duckdb", Path(folder) / "有督办.duckdb"
        prepare(may, without, 0)
        n_items = prepare(may, with_items, args.items)
        print(f"6月月报 {rows} 行（进度 {args.regions}×{args.indicators}，资金 {args.regions}×"
              f"{PROJECTS}），导入已有5月数据的数据库；未销号督办 {n_items} 项；"
              f"每种情形 {args.runs} 次，交替进行，取中位数")  # fmt: skip
        runs: dict[str, list[dict]] = {"无督办": [], "有督办": []}
        for number in range(1, args.runs + 1):
            for label, template in (("无督办", without), ("有督办", with_items)):
                run = measure(june, template)
                runs[label].append(run)
                if args.verbose:
                    print(f"第{number}次 {label}：{json.dumps(run, ensure_ascii=False)}")
        notices = "；".join(n.split("（编号")[0] for n in runs["有督办"][0]["notices"])
        print(f"复核结果（有督办）：{notices or '无变化'}")
        med = {label: {k: statistics.median(r[k] for r in rs) for k in ("wall", "cpu", "recheck")}
               for label, rs in runs.items()}  # fmt: skip
        for label, m in med.items():
            print(f"{label}：端到端 {m['wall'] * 1000:.0f} ms（CPU {m['cpu'] * 1000:.0f} ms），"
                  f"其中复核 {m['recheck'] * 1000:.1f} ms")  # fmt: skip
        # paired differences: each 有督办 run against the 无督办 run just before it
        diffs = [(b["wall"] - a["wall"]) * 1000 for a, b in zip(runs["无督办"], runs["有督办"],
                                                               strict=True)]  # fmt: skip
        recheck = [r["recheck"] * 1000 for r in runs["有督办"]]
        print(f"有督办 − 无督办（逐对）：中位数 {statistics.median(diffs):+.0f} ms"
              f"（范围 {min(diffs):+.0f} ～ {max(diffs):+.0f} ms）")  # fmt: skip
        print(f"复核本身（导入事务内）：中位数 {statistics.median(recheck):.1f} ms"
              f"（范围 {min(recheck):.1f} ～ {max(recheck):.1f} ms），目标 < {TARGET_MS} ms："
              f"{'达到' if statistics.median(recheck) < TARGET_MS else '未达到'}")  # fmt: skip


if __name__ == "__main__":
    main()
