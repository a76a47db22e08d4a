"""Benchmark: every page and tab, warm runs at each scale (not a test: figures vary with the
machine and with what else it runs).

    python bench/bench_pages.py [--province P.duckdb] [--national N.duckdb] [--runs 7]

Without --province/--national only the demo data is measured. Build the big warehouses first
with bench/make_warehouse.py (province: 1–2 min through the loader; national: about 1.5 min).

Each page (and each of its tabs) runs through AppTest in this process: one first run (the
metrics are computed and cached; a page's first tab includes the page's opening run), then
`--runs` warm runs; the table gives the first run's wall time and the warm runs' median script CPU time (the process's CPU time during the run:
the script thread, and DuckDB's threads when a query is not cached). The script files are
compiled once, as a server does (AppTest alone would compile them on every run). AppTest's own
work on the result is included, so a server's run is a little cheaper. A run that raises prints 异常.
Budget of issue 15: warm ≤ 100 ms at province scale, ≤ 300 ms at national scale.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(os.environ.get("REPO_ROOT", Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(REPO_ROOT))

from bench.common import demo_database, pad  # noqa: E402

# page stem → (tab session key, tab labels); pages without tabs have None
TABS = {
    "overview": None,
    "funding": ("funding_tab", ["按项目", "按县区", "县区×项目", "同比"]),
    "progress": (
        "progress_tab",
        ["按项目", "按指标（分类别）", "项目分解到县区", "开工率与完工率"],
    ),
    "lagging": ("lagging_tab", ["滞后清单", "按县区", "按责任单位", "通报用语"]),
    "forecast": (
        "forecast_tab",
        ["年底完不成清单", "按县区", "按责任单位", "按指标（全市合计）", "资金", "通报用语"],
    ),
    "ranking": ("ranking_tab", ["县区排名", "市直单位排名"]),
}
BUDGET_MS = {"province": 100, "national": 300}


def compile_once() -> None:
    """AppTest compiles the script files on every run (a fresh script cache per run); a server
    compiles each once and keeps the bytecode. Share one cache, as the server does."""
    from streamlit.runtime.scriptrunner import script_cache

    compiled: dict[str, object] = {}
    compile_file = script_cache.ScriptCache.get_bytecode

    def get_bytecode(self, script_path: str):
        if script_path not in compiled:
            compiled[script_path] = compile_file(self, script_path)
        return compiled[script_path]

    script_cache.ScriptCache.get_bytecode = get_bytecode


def page_runs(db: Path, runs: int) -> dict[str, tuple[float, float | None]]:
    """page · tab → (first run wall s, warm median CPU s or None after an exception)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["MINSHENG_DB"] = str(db)
    st.cache_data.clear()
    st.cache_resource.clear()
    results = {}
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=600)
    at.run()
    for stem, tabs in TABS.items():
        if stem != "overview":
            at.switch_page(f"pages/{stem}.py")
        start = time.perf_counter()
        at.run()  # v1 → reroute: makes the page current (its first tab's first run)
        opened = time.perf_counter() - start
        key, labels = tabs or (None, [None])
        for label in labels:
            if key:
                at.session_state[key] = label
            start = time.perf_counter()
            at.run()
            first = time.perf_counter() - start + opened
            opened = 0.0
            times = []
            for _ in range(runs if not at.exception else 0):
                cpu = time.process_time()
                at.run()
                times.append(time.process_time() - cpu)
            name = f"{stem}{' · ' + label if label else ''}"
            failed = bool(at.exception)
            if failed:
                print(f"{name}: {at.exception[0].message[:200]}", file=sys.stderr)
            results[name] = (first, None if failed else statistics.median(times))
    return results


def print_table(by_scale: dict[str, dict[str, tuple[float, float | None]]]) -> None:
    scales = list(by_scale)
    head = pad("页面 · 标签", 34) + "".join(
        f"{pad(f'{s} 首次(ms)', 18)}{pad(f'{s} 热运行CPU(ms)', 22)}" for s in scales
    )
    print(head)
    for name in next(iter(by_scale.values())):
        line = pad(name, 34)
        for scale in scales:
            first, warm = by_scale[scale].get(name, (float("nan"), None))
            over = warm is not None and warm * 1000 > BUDGET_MS.get(scale, float("inf"))
            warm_text = "异常" if warm is None else f"{warm * 1000:.0f}{' 超' if over else ''}"
            line += pad(f"{first * 1000:.0f}", 18) + pad(warm_text, 22)
        print(line)
    budgets = "，".join(f"{s} ≤ {BUDGET_MS[s]} ms" for s in scales if s in BUDGET_MS)
    if budgets:
        print(f"预算（热运行中位数）：{budgets}；“超”为超出预算。")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--province", type=Path, help="bench/make_warehouse.py province …")
    parser.add_argument("--national", type=Path, help="bench/make_warehouse.py national …")
    parser.add_argument("--demo", type=Path, help="a demo database (default: build one)")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    scales: dict[str, Path] = {}
    if args.province:
        scales["province"] = args.province
    if args.national:
        scales["national"] = args.national
    if not scales or args.demo:
        scales = {"demo": demo_database(args.demo), **scales}
    compile_once()
    by_scale = {}
    for scale, db in scales.items():
        print(f"测量 {scale}：{db.name} …", file=sys.stderr, flush=True)
        by_scale[scale] = page_runs(db, args.runs)
    print_table(by_scale)


if __name__ == "__main__":
    main()
