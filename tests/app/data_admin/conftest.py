"""The 数据管理 page's AppTests (this folder): the page run directly on a warehouse the real
loader filled, the sign-in, and what the tests read off the page and the database."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth
from tests.dashboard.admin_page import PASSWORD, filled_warehouse, page

ADMIN_ONLY_KEYS = (
    "admin_check", "admin_load", "admin_undo", "admin_undo_choice_1", "admin_undo_confirm",
)  # fmt: skip

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def test_db(tmp_path, monkeypatch) -> Path:
    """A warehouse filled by the real loader, as the CLI would (`python -m etl load`)."""
    db = filled_warehouse(tmp_path)
    monkeypatch.setenv("MINSHENG_DB", str(db))
    return db


@pytest.fixture(autouse=True)
def _no_env_password(monkeypatch):
    monkeypatch.delenv("MINSHENG_ADMIN_PASSWORD_HASH", raising=False)


@pytest.fixture(autouse=True)
def _no_earlier_failures():
    # failed sign-ins are counted process-wide: each test starts with none
    auth.clear_process_failures()
    yield
    auth.clear_process_failures()


def signed_in(name: str = "张三") -> AppTest:
    at = page()
    at.text_input(key="admin_name").input(name)
    at.text_input(key="admin_password").input(PASSWORD)
    at.button(key="admin_sign_in_submit").click().run()
    assert not at.exception
    return at


def shown_text(at: AppTest) -> str:
    parts = []
    for kind in (
        "title",
        "subheader",
        "caption",
        "markdown",
        "info",
        "warning",
        "error",
        "success",
    ):
        parts += [str(element.value) for element in at.get(kind)]
    return "\n".join(parts)


def widget_keys(at: AppTest) -> set[str]:
    keys = {b.key for b in at.button} | {b.key for b in at.get("download_button")}
    keys |= {s.key for s in at.selectbox}
    return keys | {u.key for u in at.get("file_uploader")}


def history_table(at: AppTest):
    """The 导入记录 table (display dataframes have no key in AppTest: found by its columns)."""
    return next(d.value for d in at.dataframe if "导入人" in d.value.columns)


def table_rows(at: AppTest) -> list[dict]:
    return [row for t in at.table for row in t.value.to_dict("records")]


def current_progress(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT * EXCLUDE (superseded_by) FROM progress_report "
            "WHERE superseded_by IS NULL ORDER BY ALL"
        ).fetchall()


def load_count(db: Path) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT count(*) FROM load_log").fetchone()[0]


def jobs_actual(db: Path, region: str) -> float:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT actual FROM v_progress WHERE year = 2025 AND month = 6 AND region = ? "
            "AND indicator = '公益性岗位开发'",
            [region],
        ).fetchone()[0]
