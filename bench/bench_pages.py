"""Benchmark of the dashboard pages on the demo data (not a test: figures vary with the machine).

    python bench/bench_pages.py [--db PATH] [--runs 7] [--sessions 5]

1. Warm page runs: each page (and each of its tabs) through AppTest in this process, after one
   cold run; the median wall time of `--runs` reruns (AppTest's own overhead included, so the
   server's run is a little faster).
2. Server memory: `streamlit run app.py` on the same database; `--sessions` browser sessions
   (Debian chromium) each open every page and every tab; then the server's resident memory.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(os.environ.get("REPO_ROOT", Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(REPO_ROOT))

# page stem → (tab session key, tab labels); pages without tabs have None
TABS = {
    "overview": None,
    "funding": ("funding_tab", ["按项目", "按县区", "县区×项目"]),
    "progress": (
        "progress_tab",
        ["按项目", "按指标（分类别）", "项目分解到县区", "开工率与完工率"],
    ),
    "lagging": ("lagging_tab", ["滞后清单", "按县区", "按责任单位", "通报用语"]),
    "forecast": (
        "forecast_tab",
        ["年底完不成清单", "按县区", "按责任单位", "按指标（全市合计）", "资金", "通报用语"],
    ),
    "ranking": None,
}


def warm_runs(runs: int) -> list[tuple[str, float, float]]:
    from streamlit.testing.v1 import AppTest

    results = []
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=300)
    at.run()
    for stem, tabs in TABS.items():
        if stem != "overview":
            at.switch_page(f"pages/{stem}.py")
        at.run()  # v1 → reroute: makes the page current
        key, labels = tabs or (None, [None])
        for label in labels:
            if key:
                at.session_state[key] = label
            start = time.perf_counter()
            at.run()
            cold = time.perf_counter() - start
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                at.run()
                times.append(time.perf_counter() - start)
            assert not at.exception, at.exception
            results.append(
                (f"{stem}{' · ' + label if label else ''}", cold, statistics.median(times))
            )
    return results


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def server_memory(db: Path, sessions: int) -> tuple[float, float]:
    from playwright.sync_api import sync_playwright

    from tests.browser.harness import CHROMIUM_ARGS, FINISHED_RUN, chromium_executable, free_port

    port = free_port()
    env = {**os.environ, "MINSHENG_DB": str(db)}
    log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the server, closed below
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port),
         "--server.fileWatcherType", "none"],
        cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        time.sleep(4)
        idle = rss_mb(server.pid)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
            for _ in range(sessions):
                page = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
                for stem, tabs in TABS.items():
                    page.goto(f"{url}/{'' if stem == 'overview' else stem}")
                    page.wait_for_selector(FINISHED_RUN, state="attached", timeout=120_000)
                    for label in (tabs or (None, []))[1][1:]:
                        page.get_by_role("tab", name=label).click()
                        page.wait_for_timeout(300)
                        page.wait_for_selector(FINISHED_RUN, state="attached", timeout=120_000)
            busy = rss_mb(server.pid)
            browser.close()
        return idle, busy
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a demo database (default: build one)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sessions", type=int, default=5)
    args = parser.parse_args()
    db = args.db
    if db is None:
        from etl.demo import build_demo_database

        db = Path(tempfile.mkdtemp()) / "demo.duckdb"
        build_demo_database(db)
    os.environ["MINSHENG_DB"] = str(db)

    print(f"{'页面 · 标签':<28}{'首次(ms)':>10}{'热运行中位(ms)':>16}")
    for name, cold, warm in warm_runs(args.runs):
        print(f"{name:<28}{cold * 1000:>10.0f}{warm * 1000:>16.0f}")
    idle, busy = server_memory(db, args.sessions)
    print(
        f"服务器常驻内存：启动后 {idle:.0f} MB；{args.sessions} 个会话打开全部页面后 {busy:.0f} MB"
    )


if __name__ == "__main__":
    main()
