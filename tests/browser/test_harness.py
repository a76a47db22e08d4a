"""The browser harness itself: it must turn a broken page or a dead server into a failed test."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import open_page, start_streamlit

pytestmark = pytest.mark.browser

BROKEN_APP = """
import streamlit as st

st.title("坏页面")
raise ValueError("示例错误: 第 3 行")
"""

# Like app.py, routed by st.navigation: only then does Streamlit say "Page not found".
ONE_PAGE_APP = """
import streamlit as st


def home():
    st.title("唯一的页面")


st.navigation([st.Page(home, title="首页")]).run()
"""


def test_open_page_fails_with_the_shown_exception(page: Page, tmp_path):
    app = tmp_path / "broken_app.py"
    app.write_text(BROKEN_APP, encoding="utf-8")
    # The project hides error details from visitors (config.toml); here the message is the point.
    details = {"STREAMLIT_CLIENT_SHOW_ERROR_DETAILS": "full"}
    server = start_streamlit(tmp_path / "absent.duckdb", tmp_path, details, app=app)
    try:
        with pytest.raises(pytest.fail.Exception, match="示例错误: 第 3 行"):
            open_page(page, server.url)
        expect(page.get_by_text("坏页面")).to_be_visible()
    finally:
        server.stop()
    assert server.process.poll() is not None


def test_open_page_fails_on_an_unknown_page(page: Page, tmp_path):
    app = tmp_path / "one_page_app.py"
    app.write_text(ONE_PAGE_APP, encoding="utf-8")
    server = start_streamlit(tmp_path / "absent.duckdb", tmp_path, app=app)
    try:
        open_page(page, server.url)
        with pytest.raises(pytest.fail.Exception, match="页面不存在"):
            open_page(page, f"{server.url}/no_such_page")
    finally:
        server.stop()


def test_server_that_cannot_start_fails_with_its_output(tmp_path):
    with pytest.raises(pytest.fail.Exception, match="no_such_app.py"):
        start_streamlit(tmp_path / "absent.duckdb", tmp_path, app=tmp_path / "no_such_app.py")
