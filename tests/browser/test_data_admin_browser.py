"""数据管理 in a real browser: a clerk's month intake end to end, and a visitor who cannot write.

The clerk signs in, uploads a good and a bad file, sees the bad file's error with its row, loads
the good one, sees the figure change on 总览 (in a second tab, as a leader browsing meanwhile),
undoes the load and sees the figure change back.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from dashboard.auth import hash_password
from etl.writing.warehouse import load_paths
from metrics.format import fmt_percent
from tests.browser.harness import (
    PAGE_RUN_TIMEOUT_MS,
    StreamlitServer,
    open_page,
    save_screenshot,
)
from tests.dashboard.admin_files import BAD, BASE, FORGED, GOOD

pytestmark = pytest.mark.browser

PASSWORD = "民生办口令-2026"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ADMIN_PATH = "/data_admin"
# 铜官区's June 公益性岗位开发: 30 of 100 in the base, 42 of 100 in the corrected file.
OVERVIEW_PATH = "/?year=2025&month=6&region=%E9%93%9C%E5%AE%98%E5%8C%BA"


@pytest.fixture
def admin_server(tmp_path, streamlit_launcher) -> StreamlitServer:
    db = tmp_path / "minsheng.duckdb"
    source = tmp_path / "测试市2025年5-6月.xlsx"
    source.write_bytes(BASE)
    load_paths([source], db, loaded_by="cli")
    return streamlit_launcher(
        db, MINSHENG_ADMIN_PASSWORD_HASH=hash_password(PASSWORD, iterations=100_000)
    )


def overview_completion(page: Page) -> str:
    """The 总体完成率 card's value on the 总览 page."""
    card = page.locator('[data-testid="stMetric"]', has_text="总体完成率")
    return card.locator('[data-testid="stMetricValue"]').inner_text().strip()


def sign_in(page: Page, server: StreamlitServer) -> None:
    open_page(page, server.url + ADMIN_PATH)
    page.get_by_label("姓名（记入导入记录）").fill("张三")
    page.get_by_label("民生办口令").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("已登录：张三（民生办）")).to_be_visible(timeout=PAGE_RUN_TIMEOUT_MS)


def upload(page: Page, files: list[tuple[str, bytes]]) -> None:
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        [{"name": name, "mimeType": XLSX_MIME, "buffer": data} for name, data in files]
    )
    for name, _ in files:
        expect(page.get_by_text(name).first).to_be_visible()


def test_clerk_month_intake_and_undo(page: Page, admin_server, context):
    leader = context.new_page()
    open_page(leader, admin_server.url + OVERVIEW_PATH)
    assert overview_completion(leader) == fmt_percent(0.30)

    sign_in(page, admin_server)
    upload(page, [GOOD, BAD])
    page.get_by_role("button", name="检查文件").click()
    expect(page.get_by_text("检查结果：1 个文件通过，1 个文件有错误。")).to_be_visible(
        timeout=PAGE_RUN_TIMEOUT_MS
    )
    error_row = page.locator("tr", has_text=BAD[0])
    expect(error_row).to_contain_text("累计完成")
    expect(error_row.locator("td").nth(2)).to_have_text("3")  # 文件, 工作表, 行 …
    expect(error_row).to_contain_text("不能为负数")
    expect(page.get_by_role("button", name="下载退回意见（CSV，发回县区修改）")).to_be_visible()
    save_screenshot(page, "data_admin_check")

    page.get_by_role("button", name="导入通过检查的 1 个文件").click()
    expect(page.get_by_text("导入完成：1 个文件已导入，0 个被拒绝。")).to_be_visible(
        timeout=PAGE_RUN_TIMEOUT_MS
    )
    open_page(leader, admin_server.url + OVERVIEW_PATH)
    assert overview_completion(leader) == fmt_percent(0.42)

    # the newest load is offered first: the one just made
    undo_choice = page.get_by_role("combobox", name="撤销一次导入")
    expect(undo_choice).to_have_value(re.compile(re.escape(f"{GOOD[0]}（")))
    page.get_by_role("button", name="撤销…").click()
    page.get_by_role("button", name="确认撤销").click()
    expect(page.get_by_text("已撤销导入编号").first).to_be_visible(timeout=PAGE_RUN_TIMEOUT_MS)
    open_page(leader, admin_server.url + OVERVIEW_PATH)
    assert overview_completion(leader) == fmt_percent(0.30)


def test_a_forged_upload_is_refused_and_the_dashboard_stays_up(page: Page, admin_server):
    """A file built to make the reader abort (it would reserve 96 GB) is refused at the check
    with a sentence; the server that checked it goes on serving, and the good file loads."""
    sign_in(page, admin_server)
    upload(page, [GOOD, FORGED])
    page.get_by_role("button", name="检查文件").click()
    expect(page.get_by_text("检查结果：1 个文件通过，1 个文件有错误。")).to_be_visible(
        timeout=PAGE_RUN_TIMEOUT_MS
    )
    expect(page.locator("tr", has_text=FORGED[0])).to_contain_text(
        "共享字符串表声明有4000000000个字符串"
    )
    save_screenshot(page, "data_admin_forged")
    page.get_by_role("button", name="导入通过检查的 1 个文件").click()
    expect(page.get_by_text("导入完成：1 个文件已导入，0 个被拒绝。")).to_be_visible(
        timeout=PAGE_RUN_TIMEOUT_MS
    )
    assert page.request.get(admin_server.url + "/_stcore/health").ok


def test_visitor_opening_the_url_sees_no_write_action(page: Page, admin_server):
    open_page(page, admin_server.url + ADMIN_PATH)

    expect(page.get_by_text("浏览无需登录。导入月报和撤销导入需要民生办登录。")).to_be_visible()
    expect(page.get_by_text("进度或资金未报齐（1 个地区）：枞阳县")).to_be_visible()
    expect(page.get_by_label("民生办口令")).to_be_visible()
    for name in ("检查文件", "撤销…", "确认撤销"):
        expect(page.get_by_role("button", name=name)).to_have_count(0)
    expect(page.locator('[data-testid="stFileUploader"]')).to_have_count(0)
    assert Path(admin_server.db_path).exists()
