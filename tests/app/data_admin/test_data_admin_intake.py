"""AppTest of the 数据管理 page (pages/data_admin.py), run directly on the 测试市 database.

A signed-in 民生办 clerk checks a good and a bad file, loads the good one and undoes it, and the
data comes back exactly as it was; what a load would replace is shown and confirmed first.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import duckdb
import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import admin_actions
from dashboard.admin_page import BATCH_KEY
from etl.writing import activity
from etl.writing.warehouse import load_paths
from tests.app.conftest import table
from tests.app.data_admin.conftest import (
    XLSX_MIME,
    current_progress,
    history_table,
    jobs_actual,
    shown_text,
    signed_in,
    table_rows,
    widget_keys,
)
from tests.dashboard.admin_files import BAD, GOOD, workbook
from tests.dashboard.admin_page import UPLOADER, page
from tests.etl.fixtures import PROGRESS_HEADER

# --- the clerk's month intake ------------------------------------------------------------------


def test_clerk_checks_loads_and_undoes(test_db):
    original = current_progress(test_db)
    at = signed_in("张三")
    at.file_uploader(key=UPLOADER).set_value([(*GOOD, XLSX_MIME), (*BAD, XLSX_MIME)])
    at.run()
    at.button(key="admin_check").click().run()
    assert not at.exception

    # the check step: one passes, one refused with the loader's place and words; nothing written
    text = shown_text(at)
    assert "检查结果：1 个文件通过，1 个文件有错误。" in text
    assert {"文件": "枞阳县6月.xlsx", "工作表": "进度", "行": "3", "列": "累计完成",
            "问题": "不能为负数"} in table_rows(at)  # fmt: skip
    assert "进度 1 行" in text and "资金 0 行" not in text  # kinds without rows not listed
    assert current_progress(test_db) == original
    returned = next(d for d in at.get("download_button") if d.key == "admin_return_list")
    assert returned.label.startswith("下载退回意见")

    at.button(key="admin_load").click().run()
    assert not at.exception
    assert "导入完成：1 个文件已导入，0 个被拒绝。" in [s.value for s in at.success]
    assert jobs_actual(test_db, "铜官区") == 42
    assert jobs_actual(test_db, "枞阳县") == 90  # the refused file changed nothing
    history = history_table(at)
    assert list(history["文件"][:1]) == ["铜官区6月.xlsx"]
    assert list(history["导入人"][:1]) == ["张三"]

    new_load = int(history["编号"].iloc[0])
    undo_choice = next(s for s in at.selectbox if s.label == "撤销一次导入")
    assert undo_choice.value == new_load  # the newest load is offered first
    at.button(key="admin_undo").click().run()
    assert jobs_actual(test_db, "铜官区") == 42  # asked to confirm first: nothing yet
    assert any("确认撤销导入" in w.value for w in at.warning)

    at.button(key="admin_undo_confirm").click().run()
    assert not at.exception
    assert any("已撤销导入编号" in s.value for s in at.success)
    assert current_progress(test_db) == original  # the replaced rows are back, exactly
    history = history_table(at)
    assert list(history["状态"][:2]) == [f"撤销了编号 {new_load}", "已撤销"]
    assert list(history["导入人"][:1]) == ["张三"]


def test_intake_refuses_a_text_file_named_xlsx(test_db):
    at = signed_in()
    at.file_uploader(key=UPLOADER).set_value(("铜官区6月.xlsx", "年份,月份\n".encode(), XLSX_MIME))
    at.run()
    at.button(key="admin_check").click().run()

    rows = table_rows(at)
    assert rows[0]["文件"] == "铜官区6月.xlsx"
    assert "文件内容不是Excel 工作簿（.xlsx）" in rows[0]["问题"]
    assert "admin_load" not in widget_keys(at)


# --- 报送情况 and 数据质量 (read-only, for everyone) -----------------------------------------------


@pytest.mark.parametrize(
    ("month", "status_line", "quality_rows"),
    [
        (6, "进度或资金未报齐（1 个地区）：枞阳县", [("资金", "7", "拨付资金", "region=%E4%B9%89%E5%AE%89%E5%8C%BA")]),
        (5, "本年已报送过的地区，本月进度和资金均已报送。", []),
    ],
)  # fmt: skip
def test_reporting_and_quality_for_the_chosen_month(test_db, month, status_line, quality_rows):
    at = page()
    at.selectbox(key="admin_month").select((2025, month)).run()

    assert status_line in shown_text(at)
    status = next(d.value for d in at.dataframe if "资金已报" in d.value.columns)
    assert dict(zip(status["地区"], status["资金已报"], strict=True)) == {
        "铜官区": "已报", "义安区": "已报", "枞阳县": "未报" if month == 6 else "已报",
    }  # fmt: skip
    quality = [d.value for d in at.dataframe if "查看" in d.value.columns]
    got = [
        (r["工作表"], r["行"], r["列"], r["查看"].split("&")[-1])
        for frame in quality
        for r in frame.to_dict("records")
    ]
    assert got == quality_rows


def test_a_region_that_sent_late_is_late_in_both_tables(test_db):
    """铜官区's June rows are all there, but its own June file came on 7月8日, after the due day
    (7月5日): the region table and the unit table both say 逾期, never 按时 in one of them."""
    activity.submit(test_db, unit_kind="县区", unit="铜官区", file_name=GOOD[0], content=GOOD[1],
                    by="铜官区民生办", at=dt.datetime(2025, 7, 8, 9, 30))  # fmt: skip
    at = page()
    at.selectbox(key="admin_month").select((2025, 6)).run()
    assert not at.exception

    regions = next(d.value for d in at.dataframe if "资金已报" in d.value.columns)
    by_region = {r["地区"]: (r["资金已报"], r["是否按时"]) for r in regions.to_dict("records")}
    units = table(at, "unit_status")
    assert by_region["铜官区"] == ("已报", "逾期")
    assert dict(zip(units["单位"], units["是否按时"], strict=True))["铜官区"] == "逾期"
    assert "逾期报送（考评时扣分参考）：铜官区" in shown_text(at)
    # the counties the 民生办 loaded itself: the same word in both tables
    assert by_region["义安区"][1] == "民生办导入"
    assert dict(zip(units["单位"], units["是否按时"], strict=True))["义安区"] == "民生办导入"


def test_first_load_into_a_new_database(tmp_path, monkeypatch):
    db = tmp_path / "new" / "minsheng.duckdb"
    monkeypatch.setenv("MINSHENG_DB", str(db))
    at = signed_in()
    assert "数据库中还没有月报数据。" in [i.value for i in at.info]

    at.file_uploader(key=UPLOADER).set_value([(*GOOD, XLSX_MIME)])
    at.run()
    at.button(key="admin_check").click().run()
    at.button(key="admin_load").click().run()

    assert not at.exception
    assert jobs_actual(db, "铜官区") == 42
    assert "数据库中最新的月报：截至2025年6月底累计" in shown_text(at)


# --- a damaged database, hostile names ---------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"not a duckdb file\n" * 500], ids=["0-byte", "garbage"])
def test_unreadable_database_is_one_sentence(tmp_path, monkeypatch, content):
    db = tmp_path / "minsheng.duckdb"
    db.write_bytes(content)
    monkeypatch.setenv("MINSHENG_DB", str(db))

    at = page()

    assert not at.exception
    assert [e.value for e in at.error] == [
        "数据库文件 minsheng.duckdb 无法读取（文件损坏、不是 DuckDB 数据库或无读取权限），"
        "请联系管理员恢复备份或重新生成数据库。"
    ]
    assert "admin_template" in widget_keys(at)
    assert db.read_bytes() == content  # the page never writes


# an upload keeps only the part after the last "/", so the link has no scheme
HOSTILE_NAME = "[x](e.com)_*6月*.xlsx"


def test_uploaded_file_name_is_shown_as_typed_not_as_markdown(test_db):
    at = signed_in()
    at.file_uploader(key=UPLOADER).set_value([(HOSTILE_NAME, GOOD[1], XLSX_MIME)])
    at.run()
    at.button(key="admin_check").click().run()
    assert not at.exception
    escaped = r"\[x\](e.com)\_\*6月\*.xlsx"
    assert f"**{escaped}** — :green[:material/check_circle: 通过]" in [m.value for m in at.markdown]

    at.button(key="admin_load").click().run()
    assert not at.exception
    summaries = [m.value for m in at.markdown if "e.com" in m.value]
    assert summaries and all(escaped in s for s in summaries)
    assert not any(HOSTILE_NAME in s for s in shown_text(at).splitlines())


# --- what a load would replace, and the confirmation (issue 22) -----------------------------------

CONFIRM = "我已核对，确认替换"


def july_rows(region: str, indicators: int) -> list[list]:
    return [[2025, 7, region, "1", "公益性岗位开发", f"指标{i}", 100, 50, "个", "市人社局", "补助类"]
            for i in range(indicators)]  # fmt: skip


def july_count(db: Path, region: str) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT count(*) FROM progress_report WHERE superseded_by IS NULL "
            "AND month = 7 AND region = ?",
            [region],
        ).fetchone()[0]


@pytest.fixture
def july_db(test_db, tmp_path) -> Path:
    """The 测试市 database with 铜官区's July: 59 rows."""
    source = tmp_path / "铜官区7月.xlsx"
    source.write_bytes(workbook(july_rows("铜官区", 59)))
    [result] = load_paths([source], test_db, loaded_by="cli")
    assert not result.refused
    return test_db


SHRINK = ("铜官区7月更正.xlsx", workbook(july_rows("铜官区", 1)))


def checked(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    at.get("file_uploader")[0].set_value([(*f, XLSX_MIME) for f in files])  # a new key per load
    at.run()
    at.button(key="admin_check").click().run()
    assert not at.exception
    return at


def test_the_check_says_what_would_be_replaced_and_import_waits_for_the_tick(july_db):
    at = checked(signed_in(), SHRINK)

    [warning] = [w.value for w in at.warning if "导入前请核对" in w.value]
    assert "将替换 2025年7月 铜官区 进度 59 行 → 1 行（减少 58 行）" in warning
    assert any(":orange[" in m.value and "铜官区7月更正.xlsx" in m.value for m in at.markdown)
    assert [c.label for c in at.checkbox] == [CONFIRM]
    assert at.button(key="admin_load").proto.disabled  # greyed out until the tick
    at.checkbox[0].check().run()
    assert not at.button(key="admin_load").proto.disabled
    at.checkbox[0].uncheck().run()
    assert at.button(key="admin_load").proto.disabled

    # a click that gets through without the confirmation (a forged request) is refused by the
    # server: the page's state says unconfirmed however the button was reached
    at.checkbox[0].check().run()
    at.session_state[BATCH_KEY].confirmed = False
    at.button(key="admin_load").click().run()
    assert not at.exception
    assert july_count(july_db, "铜官区") == 59
    assert "✘ 铜官区7月更正.xlsx：需要确认，未导入" in [e.value for e in at.error]
    assert any("请在检查结果中勾选“我已核对，确认替换”" in r["问题"] for r in table_rows(at))

    # checked again and ticked: the button works and the replacement is made
    at = checked(at, SHRINK)
    at.checkbox[0].check().run()
    at.button(key="admin_load").click().run()
    assert not at.exception
    assert "导入完成：1 个文件已导入，0 个被拒绝。" in [s.value for s in at.success]
    assert july_count(july_db, "铜官区") == 1


def test_a_file_that_replaces_nothing_needs_no_tick(july_db):
    at = checked(signed_in(), GOOD)

    assert [c.label for c in at.checkbox] == []
    assert not at.button(key="admin_load").proto.disabled
    assert "将替换 2025年6月 铜官区 进度 1 行 → 1 行" in [c.value for c in at.caption]


def test_hidden_sheets_and_new_regions_are_shown_escaped(july_db, tmp_path):
    book = openpyxl.load_workbook(io.BytesIO(workbook(july_rows("*枞阳*县", 1))))
    hidden = book.create_sheet("进度_备用_")
    for line in [PROGRESS_HEADER, *july_rows("义安区", 2)]:
        hidden.append(line)
    hidden.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)

    at = checked(signed_in(), ("枞阳县7月.xlsx", out.getvalue()))

    [warning] = [w.value for w in at.warning if "导入前请核对" in w.value]
    assert (
        r"隐藏工作表“进度\_备用\_”中的 2 行将被导入（在 Excel 中看不到这张表，请确认应当导入）"
        in warning
    )
    assert r"新地区：\*枞阳\*县（数据库中从未有过这个地区，请确认名称无误）" in warning
    assert "*枞阳*县" not in shown_text(at)
    assert at.button(key="admin_load").proto.disabled


def test_a_confirmation_covers_only_what_the_check_showed(july_db, tmp_path):
    """Between the check and the load another load makes the file shrink 义安区 too: the tick
    given for 铜官区 does not cover that, and the server refuses the file."""
    rows = july_rows("铜官区", 1) + july_rows("义安区", 1)
    upload = ("两区7月.xlsx", workbook(rows))
    batch = admin_actions.check_uploads([upload], july_db, admin_actions.IntakeLimits())
    assert batch.needs_confirmation
    batch.confirmed = True
    other = tmp_path / "义安区7月.xlsx"
    other.write_bytes(workbook(july_rows("义安区", 3)))
    load_paths([other], july_db, loaded_by="cli")

    [result] = admin_actions.load_passed(batch, july_db, user="张三")

    assert result.refused and result.summary() == "✘ 两区7月.xlsx：需要确认，未导入"
    assert result.errors[0].message == (
        "检查之后数据库有变化，以下情况未经确认：将替换 2025年7月 义安区 进度 3 行 → 1 行"
        "（减少 2 行）。未导入，请重新检查"
    )
    assert (july_count(july_db, "铜官区"), july_count(july_db, "义安区")) == (59, 3)
