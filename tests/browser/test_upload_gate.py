"""Streamlit's upload endpoint on a real server, probed as an attacker would (issue 22).

A visitor who never signed in has a session id and the XSRF cookie like any browser tab. PUTting
files straight to /_stcore/upload_file/<session>/<file> must be refused before the body is read,
so the server's memory does not grow; a signed-in 民生办 session still uploads (through the page,
and at the endpoint up to the per-file cap), and loses the right when it signs out.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from dashboard.auth import hash_password
from etl.writing.warehouse import load_paths
from tests.browser.harness import PAGE_RUN_TIMEOUT_MS, StreamlitServer
from tests.browser.upload_probe import (
    open_as_browser,
    probe,
    put_file,
    xsrf_cookie,
)
from tests.dashboard.admin_files import BASE, GOOD

pytestmark = pytest.mark.browser

PASSWORD = "民生办口令-2026"
MB = 1024 * 1024
MAX_FILE_MB = 5  # the per-file cap this server is given (MINSHENG_MAX_FILE_MB)
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Four files of 30 MB each would add ~120 MB if stored; a refusal must cost at most a few MB.
PROBE_FILES, PROBE_MB, ALLOWED_GROWTH_MB = 4, 30, 8


@pytest.fixture(scope="module")
def gated_server(tmp_path_factory, streamlit_launcher) -> StreamlitServer:
    folder = tmp_path_factory.mktemp("upload-gate")
    db = folder / "minsheng.duckdb"
    source = folder / "测试市2025年5-6月.xlsx"
    source.write_bytes(BASE)
    load_paths([source], db, loaded_by="cli")
    return streamlit_launcher(
        db,
        MINSHENG_ADMIN_PASSWORD_HASH=hash_password(PASSWORD, iterations=100_000),
        MINSHENG_MAX_FILE_MB=str(MAX_FILE_MB),
    )


@pytest.fixture
def tab(browser: Browser) -> Iterator[tuple[BrowserContext, Page]]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1600, "height": 1000})
    yield context, context.new_page()
    context.close()


def sign_in(page: Page) -> None:
    page.get_by_label("姓名（记入导入记录）").fill("张三")
    page.get_by_label("民生办口令").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("已登录：张三（民生办）")).to_be_visible(timeout=PAGE_RUN_TIMEOUT_MS)


@pytest.mark.parametrize("path", ["/", "/data_admin"])
def test_visitor_upload_is_refused_and_memory_does_not_grow(gated_server, tab, path):
    context, page = tab
    session_id = open_as_browser(page, gated_server.url + path)

    result = probe(
        gated_server.url,
        gated_server.process.pid,
        session_id,
        xsrf_cookie(context),
        PROBE_FILES,
        PROBE_MB,
    )

    print(f"匿名会话 {path}: {result}")
    assert result["statuses"] == [403] * PROBE_FILES
    assert result["rss_after_mb"] - result["rss_before_mb"] < ALLOWED_GROWTH_MB
    assert page.request.get(gated_server.url + "/_stcore/health").ok


def test_made_up_session_is_refused(gated_server, tab):
    context, page = tab
    open_as_browser(page, gated_server.url)
    status = put_file(gated_server.url, "not-a-session", xsrf_cookie(context), 1 * MB)
    assert status == 403


def test_clerk_uploads_within_the_cap_and_not_after_signing_out(gated_server, tab):
    context, page = tab
    session_id = open_as_browser(page, gated_server.url + "/data_admin")
    xsrf = xsrf_cookie(context)
    sign_in(page)

    assert put_file(gated_server.url, session_id, xsrf, 1 * MB) == 204
    # over the per-file cap: refused by its stated length, before the body is read …
    assert put_file(gated_server.url, session_id, xsrf, (MAX_FILE_MB + 1) * MB) == 413
    # … and, with no stated length (chunked), while it streams
    assert put_file(gated_server.url, session_id, xsrf, (MAX_FILE_MB + 1) * MB, chunked=True) == 413

    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_label("民生办口令")).to_be_visible(timeout=PAGE_RUN_TIMEOUT_MS)
    assert put_file(gated_server.url, session_id, xsrf, 1 * MB) == 403


def test_clerk_uploads_through_the_page(gated_server, tab):
    _, page = tab
    open_as_browser(page, gated_server.url + "/data_admin")
    sign_in(page)

    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        [{"name": GOOD[0], "mimeType": XLSX_MIME, "buffer": GOOD[1]}]
    )
    expect(page.get_by_text(GOOD[0]).first).to_be_visible()
    expect(page.locator('[data-testid="stFileUploaderFileErrorMessage"]')).to_have_count(0)
    page.get_by_role("button", name="检查文件").click()
    expect(page.get_by_text("检查结果：1 个文件通过")).to_be_visible(timeout=PAGE_RUN_TIMEOUT_MS)
