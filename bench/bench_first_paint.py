"""Benchmark: the overview's first paint in a real browser (Debian's chromium), cold and warm.

    python bench/bench_first_paint.py --db P.duckdb [--visits 5]

Cold: the first visit to a freshly started server (nothing cached, the metrics computed).
Warm: later visits, each in a new browser context (no browser cache, the server's caches warm).
Each visit gives: 数字上屏 — from navigation to the first KPI figure (stMetricValue) visible;
运行结束 — to the end of the script run (the app's "not running" state). Medians of the warm
visits. Not a test: figures vary with the machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

FIRST_FIGURE = '[data-testid="stMetricValue"]'


def visit(browser, url: str) -> tuple[float, float]:
    from tests.browser.harness import FINISHED_RUN

    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.locator(FIRST_FIGURE).first.wait_for(state="visible", timeout=120_000)
    figure = time.perf_counter() - start
    page.wait_for_selector(FINISHED_RUN, state="attached", timeout=120_000)
    finished = time.perf_counter() - start
    context.close()
    return figure, finished


def main() -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser.harness import CHROMIUM_ARGS, chromium_executable, start_streamlit

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--visits", type=int, default=5)
    args = parser.parse_args()
    server = start_streamlit(args.db, Path(tempfile.mkdtemp()))
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
            cold = visit(browser, server.url)
            warm = [visit(browser, server.url) for _ in range(args.visits)]
            browser.close()
    finally:
        server.stop()
    print(f"总览（{args.db.name}）：首次访问 数字上屏 {cold[0]:.2f} s，运行结束 {cold[1]:.2f} s；"
          f"再次访问（{args.visits} 次中位数）数字上屏 "
          f"{statistics.median(w[0] for w in warm):.2f} s，"
          f"运行结束 {statistics.median(w[1] for w in warm):.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
