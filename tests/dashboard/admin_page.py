"""The 数据管理 page as the AppTests open it (tests/app/data_admin, tests/dashboard): the page file
run directly on a warehouse the real loader filled, with a known 民生办 password."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard import auth
from dashboard.router import ROUTED
from etl.writing.warehouse import load_paths
from tests.dashboard.admin_files import BASE

REPO_ROOT = Path(__file__).resolve().parents[2]
PAGE = str(REPO_ROOT / "pages" / "data_admin.py")
PASSWORD = "民生办口令-2026"
# as few iterations as the sign-in accepts (dashboard.auth refuses weaker hashes)
PASSWORD_HASH = auth.hash_password(PASSWORD, iterations=auth.MIN_ITERATIONS)
UPLOADER = "admin_upload_0"
OIDC_SECRETS = {
    "auth": {"redirect_uri": "http://x/oauth2callback", "cookie_secret": "c",
             "client_id": "i", "client_secret": "s",
             "server_metadata_url": "https://idp/.well-known/openid-configuration"},
    "minsheng": {"admins": ["clerk@wuhu.gov.cn"]},
}  # fmt: skip


def filled_warehouse(folder: Path) -> Path:
    """A warehouse filled by the real loader from BASE, as the CLI would (`python -m etl load`)."""
    db = folder / "minsheng.duckdb"
    source = folder / "测试市2025年5-6月.xlsx"
    source.write_bytes(BASE)
    [result] = load_paths([source], db, loaded_by="cli")
    assert not result.refused, result.lines()
    return db


def page(secrets: dict | None = None, user: dict | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    # Run the page file itself: tell it the router has already run (else it reroutes to app.py).
    at.session_state[ROUTED] = True
    # Always some secrets, so a developer's own .streamlit/secrets.toml never leaks in.
    at.secrets = secrets or {"minsheng": {"admin_password_hash": PASSWORD_HASH}}
    if user is not None:
        at.user = user
    return at.run()
