"""`python -m dashboard.serve` (what `make run` starts): once nobody has been connected for a
while, the server that grew while pages were viewed is replaced by a fresh, small one, and
pages open again as before."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import Browser, expect

from dashboard import serve
from tests.browser.harness import REPO_ROOT, _is_healthy, free_port, open_page

ABOVE_MB = 150  # a fresh server idles near 70 MB; one that has drawn 总览 holds over 200


def child_pid(supervisor: int) -> int | None:
    try:
        children = Path(f"/proc/{supervisor}/task/{supervisor}/children").read_text().split()
    except OSError:
        return None
    return int(children[0]) if children else None


def resident_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for {pid}")


def wait_for(condition, timeout_s: float, what: str):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"超时：{what}")


def test_idle_server_is_replaced_by_a_fresh_one(browser: Browser, browser_db, tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "MINSHENG_DB": str(browser_db), serve.IDLE_ENV: "2",
           serve.ABOVE_ENV: str(ABOVE_MB)}  # fmt: skip
    log = (tmp_path / "serve.log").open("wb")
    supervisor = subprocess.Popen(
        [sys.executable, "-m", "dashboard.serve", "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port),
         "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
         "--server.disconnectedSessionTTL", "1"],
        cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for(lambda: _is_healthy(url), 60, "看板未启动")
        first = wait_for(lambda: child_pid(supervisor.pid), 10, "没有服务进程")

        context = browser.new_context(locale="zh-CN")
        page = open_page(context.new_page(), url)
        expect(page.get_by_role("heading", name="总览", exact=True, level=1)).to_be_visible()
        grown = resident_mb(first)
        assert grown > ABOVE_MB
        context.close()  # the session leaves

        fresh = wait_for(
            lambda: (pid := child_pid(supervisor.pid)) not in (None, first) and pid,
            60, "空闲后没有换新进程",
        )  # fmt: skip
        wait_for(lambda: _is_healthy(url), 60, "新进程未启动")
        time.sleep(3 * 2)  # longer than the idle time: a small server is left running
        assert child_pid(supervisor.pid) == fresh
        assert resident_mb(fresh) < ABOVE_MB < grown

        context = browser.new_context(locale="zh-CN")
        page = open_page(context.new_page(), url)
        expect(page.get_by_role("heading", name="总览", exact=True, level=1)).to_be_visible()
        context.close()
    finally:
        supervisor.send_signal(signal.SIGTERM)
        code = supervisor.wait(timeout=30)
        log.close()
    assert code != serve.RECYCLE_EXIT  # stopped, not restarted
    assert child_pid(supervisor.pid) is None
    assert "已重启服务进程" in (tmp_path / "serve.log").read_text(encoding="utf-8")
