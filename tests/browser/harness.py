"""Helpers of the real-browser tests: start/stop `streamlit run`, open a page, fail on errors.

Tests import them as `from tests.browser.harness import open_page` (pyproject sets pythonpath).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"

# Streamlit 1.67 marks the app root so once a script run has finished (before the first run the
# state is "initial", so this cannot match a page that has not started yet).
FINISHED_RUN = '[data-testid="stApp"][data-test-script-state="notRunning"]'
STREAMLIT_EXCEPTION = '[data-testid="stException"]'
PAGE_NOT_FOUND = "Page not found"  # Streamlit's dialog title, not translated

SERVER_START_TIMEOUT_S = 60
PAGE_RUN_TIMEOUT_MS = 60_000

# Without the networking flags chromium keeps calling Google's hosts, which this closed network
# refuses; --no-sandbox because the tests run as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_executable() -> str:
    """Path of Debian's chromium; the test command installs it when missing."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("找不到 chromium 浏览器: 请用 `make test` 运行 (它会安装 Debian 的 chromium)")


@dataclass
class StreamlitServer:
    """A running `streamlit run app.py` and where it listens."""

    url: str
    db_path: Path
    process: subprocess.Popen
    log_path: Path

    def log_tail(self, max_chars: int = 4000) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-max_chars:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _is_healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def start_streamlit(
    db_path: Path,
    log_dir: Path,
    extra_env: dict[str, str] | None = None,
    *,
    app: Path | str = "app.py",
    supervised: bool = False,
    args: tuple[str, ...] = (),
) -> StreamlitServer:
    """Start `app` (default: the dashboard) on `db_path`; return once /_stcore/health says ok.
    `supervised`: through `python -m dashboard.serve`, as `make run` starts the dashboard (its
    process is then the supervisor). `args`: more `streamlit run` options."""
    port = free_port()
    log_path = log_dir / f"streamlit-{port}.log"
    env = {**os.environ, "MINSHENG_DB": str(db_path), **(extra_env or {})}
    assert not supervised or str(app) == "app.py", "dashboard.serve runs app.py"
    start = ["dashboard.serve"] if supervised else ["streamlit", "run", str(app)]
    command = [
        sys.executable, "-m", *start,
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
        *args,
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    server = StreamlitServer(f"http://127.0.0.1:{port}", db_path, process, log_path)
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while not _is_healthy(server.url):
        if process.poll() is not None or time.monotonic() > deadline:
            server.stop()
            pytest.fail(
                f"streamlit 未能启动 (退出码 {process.returncode}), 输出:\n{server.log_tail()}"
            )
        time.sleep(0.2)
    return server


def children(pid: int) -> list[int]:
    """The process's children (Linux /proc); none once it has gone."""
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def resident_mb(pids: list[int]) -> float:
    """The processes' resident memory together (VmRSS), in MB; a process gone counts 0."""
    total = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines()
                       if line.startswith("VmRSS:")), 0)  # fmt: skip
    return total / 1024


def assert_no_streamlit_exception(page: Page) -> None:
    """Fail with the error's text when the page shows a Streamlit exception or error dialog
    (an unknown URL path shows "Page not found" over the main page instead of failing)."""
    boxes = page.locator(STREAMLIT_EXCEPTION)
    shown = [boxes.nth(i).inner_text() for i in range(boxes.count()) if boxes.nth(i).is_visible()]
    if shown:
        pytest.fail("页面显示 Streamlit 异常:\n" + "\n---\n".join(shown))
    not_found = page.get_by_role("dialog").filter(has_text=PAGE_NOT_FOUND)
    if not_found.count() and not_found.first.is_visible():
        pytest.fail(f"页面不存在 ({page.url}):\n{not_found.first.inner_text()}")


def open_page(page: Page, url: str, *, timeout_ms: int = PAGE_RUN_TIMEOUT_MS) -> Page:
    """Navigate to `url`, wait until the script run has finished, fail on a shown exception."""
    page.goto(url)
    page.wait_for_selector(FINISHED_RUN, state="attached", timeout=timeout_ms)
    assert_no_streamlit_exception(page)
    return page


def wait_for_settled_layout(page: Page, *, timeout_ms: int = 20_000) -> None:
    """Wait until the page stops growing: charts draw after the script run has finished, and a
    popover opened meanwhile stays where its button used to be, off the screen."""
    page.wait_for_function(
        """() => {
            const main = document.querySelector('[data-testid="stMain"]') || document.body;
            const height = main.scrollHeight;
            const last = window.__settleHeight;
            window.__settleHeight = height;
            const same = last === height;
            window.__settleCount = same ? (window.__settleCount || 0) + 1 : 0;
            return window.__settleCount >= 5;
        }""",
        polling=100,
        timeout=timeout_ms,
    )


def open_popover(page: Page, name: str):
    """Open the first popover called `name` once the page has settled; return its panel."""
    wait_for_settled_layout(page)
    trigger = page.get_by_role("button", name=name).first
    trigger.scroll_into_view_if_needed()
    trigger.click()
    panel = page.locator('[data-testid="stPopoverBody"]').last
    panel.wait_for(state="visible")
    return panel


def save_screenshot(page: Page, name: str) -> Path:
    """Keep a screenshot in test-artifacts/ (to look at Chinese rendering, layouts)."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    path = ARTIFACTS_DIR / f"{name}.png"
    page.screenshot(path=str(path))
    return path
