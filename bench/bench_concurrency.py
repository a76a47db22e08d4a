"""Benchmark: many sessions cycling through the pages against `streamlit run app.py` on one
machine; page times, errors and the server's memory during the run and after the sessions leave.

    python bench/bench_concurrency.py --db P.duckdb [--sessions 30] [--minutes 3] [--think 1]
        [--processes 1] [--browsers 0] [--after 70] [--env MALLOC_ARENA_MAX=2] [--serve]

Load: `--sessions` websocket clients, each speaking Streamlit's own protocol (as a browser tab
does, without drawing): it asks for a page, then each of the page's tabs (the tab's widget id
read from the page's own messages), waits until the run has finished, pauses `--think` seconds,
and goes on to the next. A page time is from the request to the server's "script finished",
so it includes waiting for a core. An error is a run that shows an exception, does not finish
successfully, or takes more than two minutes. `--browsers` real Chromium sessions (Playwright,
Debian's chromium) cycle through the pages beside them, timed to the finished run on screen.

`--serve` starts each server as `make run` does, through `python -m dashboard.serve` (which
replaces an idle server by a fresh one, see the README); memory then counts the supervisor and
its server. `--processes N` starts N servers on the same database file (read-only readers) and spreads the
sessions over them, as a reverse proxy would (see the README's deployment notes). Memory: the
resident set of all server processes (with their children), sampled every second; `--after`
seconds are watched once the sessions have left. Not a test: figures vary with the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bench.bench_pages import TABS  # noqa: E402 - after the path is set
from tests.browser.harness import children, resident_mb, start_streamlit  # noqa: E402

RUN_TIMEOUT_S = 120
TAB_VIEWS: list[int] = []  # views that chose a tab (the tab's widget id was found)


def start_server(db: Path, env_extra: dict[str, str], log_dir: Path, *, supervised: bool):
    """(the server's process, its port), started as the browser tests start theirs."""
    server = start_streamlit(db, log_dir, env_extra, supervised=supervised)
    return server.process, int(server.url.rsplit(":", 1)[1])


def with_children(pids: list[int]) -> list[int]:
    """The processes and their children (a supervisor's server changes when it is replaced)."""
    return [*pids, *(child for pid in pids for child in children(pid))]


def rss_mb(pids: list[int]) -> float:
    return resident_mb(with_children(pids))


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of the processes so far (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in with_children(pids):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except OSError:
            pass
    return total / ticks


def views() -> list[tuple[str, str | None]]:
    """(page path, tab label or None for the page's first view), in cycling order."""
    out = []
    for stem, tabs in TABS.items():
        page = "" if stem == "overview" else stem
        out.append((page, None))
        for label in (tabs or (None, []))[1][1:]:
            out.append((page, label))
    return out


def rerun_message(page: str, widget: tuple[str, str] | None) -> bytes:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    state = msg.rerun_script
    state.query_string = ""
    state.page_name = page
    if widget is not None:
        entry = state.widget_states.widgets.add()
        entry.id, entry.string_value = widget
    return msg.SerializeToString()


async def one_run(ws, page: str, widget) -> tuple[float, bool, str | None]:
    """Ask for a run, read until it finishes: (seconds, error?, tab widget id seen)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    start = time.perf_counter()
    await ws.send(rerun_message(page, widget))
    error, tab_id, started = False, None, False
    while True:
        raw = await asyncio.wait_for(ws.recv(), RUN_TIMEOUT_S)
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            started = True
        elif kind == "delta":
            delta = msg.delta
            if delta.WhichOneof("type") == "new_element":
                error |= delta.new_element.WhichOneof("type") == "exception"
            elif delta.WhichOneof("type") == "add_block":
                block = delta.add_block
                if block.WhichOneof("type") == "tab_container":
                    tab_id = block.tab_container.id
        elif kind == "script_finished" and started:
            status = msg.script_finished
            # a rerun started by the page itself (a reroute) is followed by another run
            if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                continue
            return time.perf_counter() - start, error or status != 0, tab_id


async def client(url: str, stop_at: float, think: float, times: list, errors: list) -> None:
    import websockets

    cycle = views()
    try:
        async with websockets.connect(
            url, subprotocols=["streamlit"], max_size=None, open_timeout=60
        ) as ws:
            i, tab_id = 0, None
            while time.monotonic() < stop_at:
                page, label = cycle[i % len(cycle)]
                widget = (tab_id, label) if label and tab_id else None
                if widget:
                    TAB_VIEWS.append(1)
                try:
                    seconds, failed, seen = await one_run(ws, page, widget)
                except TimeoutError:
                    errors.append(("timeout", page, label))
                    return
                tab_id = seen or (tab_id if label else None)
                times.append(seconds)
                if failed:
                    errors.append(("exception", page, label))
                i += 1
                await asyncio.sleep(think)
    except OSError as exc:
        errors.append(("connect", str(exc), None))


def browsers(urls: list[str], n: int, stop_at: float, times: list, errors: list) -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser.harness import CHROMIUM_ARGS, FINISHED_RUN, chromium_executable

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        pages = [browser.new_context(locale="zh-CN").new_page() for _ in range(n)]
        i = 0
        while time.monotonic() < stop_at:
            for k, page in enumerate(pages):
                stem = list(TABS)[i % len(TABS)]
                start = time.perf_counter()
                try:
                    page.goto(f"{urls[k % len(urls)]}/{'' if stem == 'overview' else stem}")
                    page.wait_for_selector(FINISHED_RUN, state="attached", timeout=120_000)
                    times.append(time.perf_counter() - start)
                    if page.locator('[data-testid="stException"]').count():
                        errors.append(("browser exception", stem, None))
                except Exception as exc:  # noqa: BLE001 - counted, the run goes on
                    errors.append(("browser", stem, str(exc)[:80]))
            i += 1
        browser.close()


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--minutes", type=float, default=3)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--browsers", type=int, default=0)
    parser.add_argument("--after", type=float, default=70)
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the servers")
    parser.add_argument("--serve", action="store_true", help="start through dashboard.serve")
    args = parser.parse_args()
    env_extra = dict(item.split("=", 1) for item in args.env)

    logs = tempfile.TemporaryDirectory()  # the servers' output, as long as they run
    servers = [
        start_server(args.db, env_extra, Path(logs.name), supervised=args.serve)
        for _ in range(args.processes)
    ]
    pids = [process.pid for process, _ in servers]
    time.sleep(3)
    idle = rss_mb(pids)
    samples: list[tuple[float, float]] = []
    sampling = threading.Event()

    def sample() -> None:
        t0 = time.monotonic()
        while not sampling.is_set():
            samples.append((time.monotonic() - t0, rss_mb(pids)))
            time.sleep(1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    cpu_start = cpu_seconds(pids)
    stop_at = time.monotonic() + args.minutes * 60
    ws_urls = [f"ws://127.0.0.1:{port}/_stcore/stream" for _, port in servers]
    times: list[float] = []
    errors: list[tuple] = []
    b_times: list[float] = []
    watcher = None
    if args.browsers:
        http = [f"http://127.0.0.1:{port}" for _, port in servers]
        watcher = threading.Thread(
            target=browsers, args=(http, args.browsers, stop_at, b_times, errors)
        )
        watcher.start()

    async def load() -> None:
        await asyncio.gather(*(
            client(ws_urls[i % len(ws_urls)], stop_at, args.think, times, errors)
            for i in range(args.sessions)
        ))  # fmt: skip

    asyncio.run(load())
    if watcher:
        watcher.join()
    left_at = samples[-1][0] if samples else 0.0
    cpu_used = cpu_seconds(pids) - cpu_start
    peak = max((mb for _, mb in samples), default=float("nan"))
    time.sleep(args.after)
    sampling.set()
    sampler.join()
    after = [mb for t, mb in samples if t >= left_at + 60]
    under = next((t - left_at for t, mb in samples if t >= left_at and mb < 200), None)
    for process, _ in servers:
        process.terminate()
    for process, _ in servers:
        process.wait(timeout=30)
    logs.cleanup()

    env_text = " ".join(args.env) or "默认"
    print(f"{args.processes} 个服务进程，{args.sessions} 个 websocket 会话"
          f"{f' + {args.browsers} 个浏览器会话' if args.browsers else ''}，"
          f"{args.minutes:g} 分钟，每页停留 {args.think:g} 秒；环境：{env_text}")  # fmt: skip
    if times:
        print(f"websocket 页面次数 {len(times)}（其中切换标签 {len(TAB_VIEWS)}）：p50 {pct(times, 50):.2f} s，"
              f"p95 {pct(times, 95):.2f} s，最长 {max(times):.2f} s")  # fmt: skip
    if b_times:
        print(f"浏览器页面次数 {len(b_times)}：p50 {pct(b_times, 50):.2f} s，"
              f"p95 {pct(b_times, 95):.2f} s")  # fmt: skip
    n_views = len(times) + len(b_times)
    if n_views:
        print(f"服务器 CPU：共 {cpu_used:.0f} 秒，每次页面 {cpu_used / n_views:.2f} 秒")
    print(f"错误 {len(errors)}" + (f"：{errors[:5]}" if errors else ""))
    end = after[-1] if after else float("nan")
    print(f"服务器常驻内存：空闲 {idle:.0f} MB，峰值 {peak:.0f} MB，"
          f"会话离开 60 秒后 {min(after, default=float('nan')):.0f}–{end:.0f} MB")  # fmt: skip
    print("会话离开后" + (f" {under:.0f} 秒降到 200 MB 以下" if under is not None
                        else f" {args.after:g} 秒内没有降到 200 MB 以下"))  # fmt: skip


if __name__ == "__main__":
    main()
