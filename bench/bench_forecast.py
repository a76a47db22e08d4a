"""Benchmark of the 预警 page on a province-scale year (not a test: figures vary with the machine).

    python bench/bench_forecast.py [--db PATH] [--runs 9] [--regions 100] [--indicators 80]

The year is twelve province-sized monthly workbooks (bench/common.py's write_month: 100 regions × 80
indicators + 100 × 33 funding rows a month, 96,000 progress rows in the year) loaded with the real
loader (`load_paths`) into a temp database, unless --db names one already built. Then the 预警
page through AppTest in this process, as bench_pages.py measures the other pages: for June (the
usual meeting month: 6 months left to project) and December (the default, the latest month),
the first run with empty caches (every query runs), then each tab (and the will-miss list with
全部 chosen: all of a province's items on screen): its first run, then the median and the slowest
of `--runs` warm reruns (cached: what a user waits for on every click). Target: warm < 300 ms.
Also the cold SQL alone: v_forecast for one month, and the metrics layer's whole-page calls.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bench.common import YEAR, text_width, write_month  # noqa: E402

TAB_KEY = "forecast_tab"
SIZE_KEY = "forecast_list_size"  # the list's 显示 choice
SHOW_ALL = "全部"
TABS = ["年底完不成清单", "按县区", "按责任单位", "按指标（全市合计）", "资金", "通报用语"]


def build_year(db: Path, regions: int, indicators: int) -> float:
    """Write and load twelve months; return the load's wall time in seconds."""
    from etl.writing.warehouse import load_paths

    with tempfile.TemporaryDirectory() as folder:
        books = []
        for month in range(1, 13):
            book = Path(folder) / f"省{month:02d}月.xlsx"
            write_month(book, month, regions, indicators)
            books.append(book)
        start = time.perf_counter()
        results = load_paths(books, db)
        elapsed = time.perf_counter() - start
    refused = [r for r in results if r.refused]
    assert not refused, [str(e) for r in refused for e in r.errors[:3]]
    return elapsed


def page_runs(month: int, runs: int) -> list[tuple[str, float, float, float]]:
    """(tab, cold s, warm median s, warm max s) of the 预警 page at `month`."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=300)
    at.query_params["year"] = str(YEAR)
    at.query_params["month"] = str(month)
    at.run()
    at.switch_page("pages/forecast.py")
    start = time.perf_counter()
    at.run()  # v1 → reroute: makes the page current; empty caches, so every query runs
    results = [("（首次打开，缓存全空）", time.perf_counter() - start, float("nan"), float("nan"))]
    cases = [(label, None) for label in TABS]
    cases.insert(1, (TABS[0], SHOW_ALL))  # the whole list of a province, on request
    for label, size in cases:
        at.session_state[TAB_KEY] = label
        if size:
            at.session_state[SIZE_KEY] = size
            label = f"{label}·全部"
        start = time.perf_counter()
        at.run()
        cold = time.perf_counter() - start
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - start)
        assert not at.exception, at.exception
        assert at.title[0].value == "预警"
        results.append((label, cold, statistics.median(times), max(times)))
        if size:
            at.session_state[SIZE_KEY] = None
    return results


def sql_times(db: Path, month: int, runs: int) -> tuple[float, float]:
    """Median seconds of v_forecast for one month, and of the page's metrics calls, uncached."""
    from metrics import forecast as fc
    from metrics.db import Warehouse
    from metrics.filters import Filters

    view, whole = [], []
    for _ in range(runs):
        wh = Warehouse(db)  # a fresh instance: no cached results
        start = time.perf_counter()
        wh.query("forecast_rows", Filters(YEAR, month).params())
        view.append(time.perf_counter() - start)
        wh = Warehouse(db)
        f = Filters(YEAR, month)
        start = time.perf_counter()
        fc.forecast_summary(wh, f)
        fc.will_miss_items(wh, f)
        fc.forecast_by_region(wh, f)
        fc.forecast_by_department(wh, f)
        fc.funding_forecast(wh, f)
        whole.append(time.perf_counter() - start)
    return statistics.median(view), statistics.median(whole)


def main() -> None:
    parser = argparse.ArgumentParser(
        description="预警页基准：省级规模的一年（100 县区 × 80 指标 × 12 月）"
    )
    parser.add_argument("--db", type=Path, help="已建好的数据库（默认：临时建一个）")
    parser.add_argument("--runs", type=int, default=9, help="热运行次数（取中位数）")
    parser.add_argument("--regions", type=int, default=100)
    parser.add_argument("--indicators", type=int, default=80)
    args = parser.parse_args()
    db = args.db
    if db is None or not db.exists():
        db = db or Path(tempfile.mkdtemp()) / "province.duckdb"
        seconds = build_year(db, args.regions, args.indicators)
        print(
            f"建库：{args.regions} 县区 × {args.indicators} 指标 × 12 月，"
            f"用导入程序载入 {seconds:.1f} 秒：{db}"
        )
    os.environ["MINSHENG_DB"] = str(db)
    for month in (6, 12):
        view, whole = sql_times(db, month, 5)
        print(
            f"\n{month}月：forecast_rows 查询（未缓存）{view * 1000:.0f} ms；"
            f"整页的指标计算（未缓存）{whole * 1000:.0f} ms"
        )
        print(_row("标签", "首次(ms)", "热运行中位(ms)", "热运行最慢(ms)"))
        for label, *seconds in page_runs(month, args.runs):
            print(_row(label, *(_ms(s) for s in seconds)))


def _ms(seconds: float) -> str:
    return "—" if seconds != seconds else f"{seconds * 1000:.0f}"  # NaN: not measured


def _row(label: str, *cells: str) -> str:
    return (
        label
        + " " * max(26 - text_width(label), 1)
        + "".join(" " * max(16 - text_width(c), 1) + c for c in cells)
    )


if __name__ == "__main__":
    main()
