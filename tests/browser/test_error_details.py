"""An uncaught error shows visitors no traceback (client.showErrorDetails = "none", issue 22).

A page that raises, served by a real server with the repository's .streamlit/config.toml: the
browser shows that something went wrong, but not the exception's text, type, file or code."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from tests.browser.harness import (
    FINISHED_RUN,
    PAGE_RUN_TIMEOUT_MS,
    REPO_ROOT,
    StreamlitServer,
    start_streamlit,
)

pytestmark = pytest.mark.browser

SECRET = "数据库口令是 hunter2"
FAILING_PAGE = f"""
import streamlit as st

st.title("出错的页面")


def load_secret_settings():
    raise RuntimeError({SECRET!r})


load_secret_settings()
"""


@pytest.fixture(scope="module")
def failing_server(tmp_path_factory) -> Iterator[StreamlitServer]:
    folder = tmp_path_factory.mktemp("failing-page")
    script = folder / "failing_page.py"
    script.write_text(FAILING_PAGE, encoding="utf-8")
    # the server runs in the checkout, so it reads the repository's .streamlit/config.toml
    server = start_streamlit(folder / "unused.duckdb", folder, app=script)
    yield server
    server.stop()


def test_config_hides_error_details():
    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["client"]["showErrorDetails"] == "none"


def test_uncaught_error_shows_no_traceback(page: Page, failing_server):
    page.goto(failing_server.url)
    page.wait_for_selector(FINISHED_RUN, state="attached", timeout=PAGE_RUN_TIMEOUT_MS)
    page.get_by_text("出错的页面").wait_for()

    shown = page.locator("body").inner_text()
    for leak in (SECRET, "hunter2", "RuntimeError", "Traceback", "load_secret_settings", ".py"):
        assert leak not in shown, f"页面泄露了 {leak!r}:\n{shown}"
    assert SECRET in failing_server.log_tail()  # the details still reach the server's log
