"""`python -m dashboard.serve` (what `make run` starts): once nobody has been connected for a
while, the server that grew while pages were viewed is replaced by a fresh, small one, and
pages open again as before."""

from __future__ import annotations

import time

from playwright.sync_api import Browser, expect

from dashboard import serve
from tests.browser.harness import _is_healthy, children, open_page, resident_mb, start_streamlit

ABOVE_MB = 150  # a fresh server idles near 70 MB; one that has drawn 总览 holds over 200


def wait_for(condition, timeout_s: float, what: str):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"超时：{what}")


def server_pid(supervisor: int) -> int | None:
    return next(iter(children(supervisor)), None)


def test_idle_server_is_replaced_by_a_fresh_one(browser: Browser, browser_db, tmp_path):
    env = {serve.IDLE_ENV: "2", serve.ABOVE_ENV: str(ABOVE_MB)}
    started = start_streamlit(browser_db, tmp_path, env, supervised=True,
                              args=("--server.disconnectedSessionTTL", "1"))  # fmt: skip
    supervisor = started.process
    try:
        first = wait_for(lambda: server_pid(supervisor.pid), 10, "没有服务进程")

        context = browser.new_context(locale="zh-CN")
        page = open_page(context.new_page(), started.url)
        expect(page.get_by_role("heading", name="总览", exact=True, level=1)).to_be_visible()
        grown = resident_mb([first])
        assert grown > ABOVE_MB
        context.close()  # the session leaves

        fresh = wait_for(
            lambda: (pid := server_pid(supervisor.pid)) not in (None, first) and pid,
            60, "空闲后没有换新进程",
        )  # fmt: skip
        wait_for(lambda: _is_healthy(started.url), 60, "新进程未启动")
        time.sleep(3 * 2)  # longer than the idle time: a small server is left running
        assert server_pid(supervisor.pid) == fresh
        assert resident_mb([fresh]) < ABOVE_MB < grown

        context = browser.new_context(locale="zh-CN")
        page = open_page(context.new_page(), started.url)
        expect(page.get_by_role("heading", name="总览", exact=True, level=1)).to_be_visible()
        context.close()
    finally:
        started.stop()  # SIGTERM to the supervisor, which passes it on
    assert supervisor.returncode != serve.RECYCLE_EXIT  # stopped, not restarted
    assert children(supervisor.pid) == []
    assert "已重启服务进程" in started.log_tail()
