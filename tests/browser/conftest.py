"""Real-browser fixtures: `streamlit run` on a free loopback port, driven by Debian's chromium.

Playwright cannot download its own browser here, so the launch args point it at the system
`chromium`. Fixtures:
- `browser_db_builder` (session): callable filling a database file; default: the demo data.
- `browser_db` (session): path of the database the default server reads (MINSHENG_DB).
- `streamlit_launcher` (session): `launch(db_path, **env) -> StreamlitServer`, for tests that
  need their own database; every server it starts is stopped at the end of the session.
- `streamlit_server` (session): the server on `browser_db`; its `.url` is the home page.
Helpers (open_page, assert_no_streamlit_exception, save_screenshot) are in harness.py.
Screenshots of failed tests land in test-artifacts/ (pytest-playwright's
`--screenshot only-on-failure --output test-artifacts`, set in pyproject.toml).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.browser.harness import (
    CHROMIUM_ARGS,
    StreamlitServer,
    chromium_executable,
    start_streamlit,
)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": chromium_executable(),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    # A wide meeting-room screen, and the users' own language.
    return {
        **browser_context_args,
        "viewport": {"width": 1600, "height": 1000},
        "locale": "zh-CN",
    }


def build_demo_database(db_path: Path) -> None:
    from etl.demo import build_demo_database as build

    build(db_path)


@pytest.fixture(scope="session")
def browser_db_builder() -> Callable[[Path], object]:
    """How `browser_db` is filled; override in a conftest to test another data set."""
    return build_demo_database


@pytest.fixture(scope="session")
def browser_db(tmp_path_factory, browser_db_builder) -> Path:
    db_path = tmp_path_factory.mktemp("browser-db") / "minsheng.duckdb"
    browser_db_builder(db_path)
    return db_path


@pytest.fixture(scope="session")
def streamlit_launcher(tmp_path_factory) -> Iterator[Callable[..., StreamlitServer]]:
    log_dir = tmp_path_factory.mktemp("streamlit-logs")
    servers: list[StreamlitServer] = []

    def launch(db_path: Path, **extra_env: str) -> StreamlitServer:
        server = start_streamlit(db_path, log_dir, extra_env)
        servers.append(server)
        return server

    yield launch
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def streamlit_server(streamlit_launcher, browser_db) -> StreamlitServer:
    return streamlit_launcher(browser_db)
