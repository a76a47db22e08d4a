"""AppTest fixtures: a fresh 测试市 database per test, cleared Streamlit caches, a page runner."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.app.testdata import build_empty_database, build_test_database

REPO_ROOT = Path(__file__).resolve().parents[2]
APP = str(REPO_ROOT / "app.py")
RUN_TIMEOUT_S = 60


@pytest.fixture(autouse=True)
def _fresh_caches():
    # Cached results are keyed on the file version; a new tmp file could reuse an inode.
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(scope="session")
def test_db_template(tmp_path_factory) -> Path:
    return build_test_database(tmp_path_factory.mktemp("template") / "minsheng.duckdb")


def private_copy(template: Path, tmp_path: Path, monkeypatch) -> Path:
    """A copy of `template` in tmp_path, named by MINSHENG_DB: the test may change it freely."""
    db = tmp_path / "minsheng.duckdb"
    shutil.copyfile(template, db)
    monkeypatch.setenv("MINSHENG_DB", str(db))
    return db


@pytest.fixture
def test_db(tmp_path, monkeypatch, test_db_template) -> Path:
    """A private copy of the 测试市 database (tests/app/testdata.py), named by MINSHENG_DB."""
    return private_copy(test_db_template, tmp_path, monkeypatch)


@pytest.fixture
def empty_db(tmp_path, monkeypatch) -> Path:
    db = build_empty_database(tmp_path / "empty.duckdb")
    monkeypatch.setenv("MINSHENG_DB", str(db))
    return db


def open_app(page: str = "overview", params: dict[str, str] | None = None) -> AppTest:
    """Run app.py with optional URL parameters, then switch to `page` (a stem of pages/).

    AppTest treats the `pages/` folder as Streamlit's old file-based navigation, so a switched
    page file first runs alone; the page then reroutes through app.py (dashboard.router.reroute),
    which is exactly what a real server does for a first visit by a copied link.
    """
    at = AppTest.from_file(APP, default_timeout=RUN_TIMEOUT_S)
    at.query_params.update(params or {})
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    return at


def open_app_py(params: dict[str, str] | None = None) -> AppTest:
    """One run of app.py itself, as `streamlit run app.py` starts it."""
    return open_app("overview", params)


@pytest.fixture
def app() -> Callable[..., AppTest]:
    return open_app


def texts(at: AppTest) -> str:
    """Every title, caption, markdown, info and warning on the page, one per line."""
    parts = []
    for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning", "error"):
        parts += [str(element.value) for element in at.get(kind)]
    return "\n".join(parts)


def table(at: AppTest, key: str):
    """The frame shown by the table with `key` (see dashboard.layout.data_table)."""
    return at.get_by_key(f"table_{key}").dataframe[0].value


def open_tab(at: AppTest, key: str, label: str) -> AppTest:
    """Choose a page's tab (dashboard.layout.tabs keeps the chosen label in session state)."""
    at.session_state[key] = label
    return at.run()
