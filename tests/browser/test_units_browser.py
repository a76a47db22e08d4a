"""Units in a real browser (issue 19): each role signs in and sees what it may, and nothing else;
a county's month file goes 待审核 → 退回 → corrected → 已入库.

The server is closed to visitors (visitor_reach = none), so a direct link or a link with another
region's parameters opens the sign-in form, never data. Screenshots:
test-artifacts/units_{county_lagging,county_report,office_queue,department_lagging}.png.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from dashboard.auth import MIN_ITERATIONS, hash_password
from etl.demo import demo_files
from etl.writing import activity
from etl.writing.warehouse import load_paths
from metrics.db import Warehouse
from metrics.filters import Filters
from metrics.lagging import lagging_items
from tests.browser.harness import (
    PAGE_RUN_TIMEOUT_MS,
    StreamlitServer,
    assert_no_streamlit_exception,
    open_page,
    save_screenshot,
)
from tests.browser.test_pages import choose, wait_for_run

pytestmark = pytest.mark.browser

PASSWORD = "单位口令-2026"
OFFICE_PASSWORD = "民生办口令-2026"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HELD_BACK = "2025-05_北岭县.xlsx"  # 北岭县 has not sent May yet: it sends it through the page
ACCOUNTS_TOML = """
[accounts.beiling]
role = "县区"
unit = "北岭县"
label = "北岭县民生办"
password_hash = "{hash}"

[accounts.minzheng]
role = "市直单位"
unit = "市民政局"
password_hash = "{hash}"

[accounts.lingdao]
role = "领导"
label = "分管领导"
password_hash = "{hash}"
"""


@pytest.fixture(scope="module")
def unit_city(tmp_path_factory, streamlit_launcher) -> tuple[StreamlitServer, Path]:
    """The demo's files of January–May 2025, but for 北岭县's May; closed to visitors."""
    folder = tmp_path_factory.mktemp("units")
    db = folder / "minsheng.duckdb"
    files = [p for p in demo_files() if p.name < "2025-06" and p.name != HELD_BACK]
    load_paths(files, db, loaded_by="测试")
    accounts = folder / "accounts.toml"
    accounts.write_text(
        ACCOUNTS_TOML.format(hash=hash_password(PASSWORD, iterations=MIN_ITERATIONS)),
        encoding="utf-8",
    )
    server = streamlit_launcher(
        db,
        MINSHENG_ACCOUNTS=str(accounts),
        MINSHENG_VISITOR_REACH="none",
        MINSHENG_ADMIN_PASSWORD_HASH=hash_password(OFFICE_PASSWORD, iterations=MIN_ITERATIONS),
    )
    return server, db


@pytest.fixture
def second_tab(browser: Browser) -> Iterator[Page]:
    """Another person's browser (its own cookies and session)."""
    context: BrowserContext = browser.new_context(
        locale="zh-CN", viewport={"width": 1600, "height": 1000}
    )
    yield context.new_page()
    context.close()


def sign_in(page: Page, server: StreamlitServer, account: str, password: str = PASSWORD) -> None:
    open_page(page, server.url)
    expect(page.get_by_text("本看板需要登录后才能查看。")).to_be_visible()
    if account:
        page.get_by_label("账号", exact=False).fill(account)
    else:
        page.get_by_label("姓名（记入导入记录）").fill("王敏")
    page.get_by_label("口令", exact=True).fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("[data-testid='stSidebar']").get_by_text("当前身份：")).to_be_visible(
        timeout=PAGE_RUN_TIMEOUT_MS
    )
    wait_for_run(page)


def go_to(page: Page, title: str) -> None:
    """The sidebar's link: the same browser session, so the account stays signed in."""
    page.locator("[data-testid='stSidebarNav'] a", has_text=title).click()
    expect(page.get_by_role("heading", name=title, exact=True, level=1)).to_be_visible(
        timeout=PAGE_RUN_TIMEOUT_MS
    )
    wait_for_run(page)
    assert_no_streamlit_exception(page)


def download_rows(page: Page, table_key: str) -> list[dict[str, str]]:
    with page.expect_download() as info:
        page.locator(f".st-key-table_{table_key}").get_by_role("button", name="下载 CSV").click()
    text = Path(info.value.path()).read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def nav_titles(page: Page) -> list[str]:
    # each link reads "<icon name>\n\n<title>"
    links = page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()
    return [text.split("\n")[-1].strip() for text in links]


def test_visitors_get_the_sign_in_form_on_every_link(page: Page, unit_city):
    server, _ = unit_city
    for path in ("/", "/lagging?region=南溪县", "/bulletin", "/data_admin", "/?mode=present"):
        open_page(page, server.url + path)
        expect(page.get_by_text("本看板需要登录后才能查看。")).to_be_visible()
        body = page.locator("[data-testid='stMain']").inner_text()
        for region in ("北岭县", "南溪县", "青阳县"):
            assert region not in body, (path, region)


def test_a_county_sees_its_own_rows_and_downloads_only_them(page: Page, unit_city):
    server, db = unit_city
    sign_in(page, server, "beiling")
    expect(page.get_by_text("当前身份：北岭县民生办（县区 · 北岭县）")).to_be_visible()
    titles = nav_titles(page)
    assert "月度通报" not in titles and "报送" in titles and "数据管理" not in titles
    go_to(page, "滞后")
    choose(page, "月份", "3月")  # 北岭县's latest month on record (April and May not sent yet)
    rows = download_rows(page, "lagging_items")
    assert rows and {r["地区"] for r in rows} == {"北岭县"}
    downloads = activity.audit_events(db, action="下载", user="北岭县民生办")
    assert downloads["detail"].str.endswith(".csv").any()  # the audit trail has the export
    save_screenshot(page, "units_county_lagging")
    go_to(page, "排名")  # the published ranking: every county, with its rank
    main = page.locator("[data-testid='stMain']")
    expect(main).to_contain_text("南溪县")
    go_to(page, "资金")
    body = main.inner_text()
    assert "南溪县" not in body and "青阳县" not in body
    # A link with another county's parameters is a new session: the sign-in form, no data.
    open_page(page, server.url + "/lagging?region=南溪县")
    expect(page.get_by_text("本看板需要登录后才能查看。")).to_be_visible()


def test_a_department_sees_its_items_across_counties(page: Page, unit_city):
    server, db = unit_city
    sign_in(page, server, "minzheng")
    go_to(page, "滞后")
    rows = download_rows(page, "lagging_items")
    assert rows and {r["责任单位"] for r in rows} == {"市民政局"}
    expected = lagging_items(Warehouse(db), Filters(2025, 5, department="市民政局"))
    assert sorted((r["地区"], r["指标名称"]) for r in rows) == sorted(
        zip(expected["region"], expected["indicator"], strict=True)
    )
    assert len(expected["region"].unique()) > 1  # across counties
    save_screenshot(page, "units_department_lagging")


def test_a_leader_reads_everything_and_writes_nothing(page: Page, unit_city):
    server, _ = unit_city
    sign_in(page, server, "lingdao")
    go_to(page, "滞后")
    rows = download_rows(page, "lagging_items")
    assert len({r["地区"] for r in rows}) > 2
    go_to(page, "数据管理")
    expect(page.get_by_role("button", name="检查文件")).to_have_count(0)
    expect(page.locator('[data-testid="stFileUploader"]')).to_have_count(0)


def changed(source: Path) -> bytes:
    """北岭县's May file with a mistyped 累计完成 (the office returns it)."""
    book = openpyxl.load_workbook(source)
    book["进度"]["I2"] = 99999
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def send(page: Page, name: str, content: bytes) -> None:
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        [{"name": name, "mimeType": XLSX_MIME, "buffer": content}]
    )
    expect(page.get_by_text(name).first).to_be_visible()
    page.get_by_role("button", name="报送", exact=True).click()
    wait_for_run(page)


def test_a_county_report_goes_waiting_returned_corrected_loaded(
    page: Page, second_tab: Page, unit_city
):
    server, db = unit_city
    source = next(p for p in demo_files() if p.name == HELD_BACK)
    other = next(p for p in demo_files() if p.name == "2025-05_南溪县.xlsx")
    county, office = page, second_tab
    sign_in(county, server, "beiling")
    go_to(county, "报送")

    # another county's file: refused on the spot, naming the rows, nothing kept
    send(county, other.name, other.read_bytes())
    expect(county.get_by_text("未通过检查，没有保存", exact=False)).to_be_visible(
        timeout=PAGE_RUN_TIMEOUT_MS
    )
    expect(county.locator("[data-testid='stMain']")).to_contain_text("南溪县")

    # its own file, with a typo: 待审核
    send(county, source.name, changed(source))
    expect(
        county.locator("[data-testid='stAlertContentSuccess']", has_text="等待市民生办审核")
    ).to_be_visible(timeout=PAGE_RUN_TIMEOUT_MS)
    expect(county.locator(".st-key-table_unit_submissions")).to_contain_text("待审核")

    # the office returns it with a note
    sign_in(office, server, "", OFFICE_PASSWORD)
    go_to(office, "数据管理")
    expect(office.get_by_text("待审核的报送（1 份）")).to_be_visible()
    save_screenshot(office, "units_office_queue")
    office.get_by_label("退回意见（退回时必填）").fill("累计完成99999超过年度目标，请核实")
    office.get_by_role("button", name="退回").click()
    expect(office.get_by_text("已退回", exact=False).first).to_be_visible(
        timeout=PAGE_RUN_TIMEOUT_MS
    )

    # the county sees why, corrects and sends again
    go_to(county, "报送")
    expect(
        county.get_by_text("累计完成99999超过年度目标，请核实", exact=False).first
    ).to_be_visible()
    send(county, source.name, source.read_bytes())
    expect(
        county.locator("[data-testid='stAlertContentSuccess']", has_text="等待市民生办审核")
    ).to_be_visible(timeout=PAGE_RUN_TIMEOUT_MS)

    # the office accepts: the file loads through the one writer
    go_to(office, "数据管理")
    expect(office.get_by_text("待审核的报送（1 份）")).to_be_visible()
    office.get_by_role("button", name="接收入库").click()
    expect(office.get_by_text("已入库", exact=False).first).to_be_visible(
        timeout=PAGE_RUN_TIMEOUT_MS
    )
    expect(office.get_by_text("待审核的报送（0 份）")).to_be_visible()
    expect(office.locator(".st-key-table_audit_events")).to_contain_text("接收入库")

    go_to(county, "报送")
    expect(county.locator(".st-key-table_unit_submissions")).to_contain_text("已入库")
    # the returned file is history now: no 退回 warning for a month that is in
    expect(county.locator("[data-testid='stAlertContentWarning']")).to_have_count(0)
    save_screenshot(county, "units_county_report")
    # the month is in the warehouse: 北岭县's May figures are on its pages now
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        [(n,)] = con.execute(
            "SELECT count(*) FROM v_progress WHERE region = '北岭县' AND year = 2025 AND month = 5"
        ).fetchall()
    assert n == 72
