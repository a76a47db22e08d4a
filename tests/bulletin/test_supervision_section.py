"""The 通报's 督办台账 section (附件4): items opened for the month, 销号 in the month, overdue (红)
on the 通报's date — in the summary, the .docx and the Markdown (escaped). A database without
the ledger, or a month with nothing to report, gives the 通报 without it."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from docx import Document

from bulletin import build_content
from bulletin.docx_writer import write_docx
from bulletin.markdown_writer import write_markdown
from etl.writing import supervision as sv
from metrics.db import Warehouse
from tests.bulletin.bulletin_db import MONTH, YEAR

ISSUED = dt.date(2020, 10, 16)
PAYLOAD = "[点此核对](http://e.example)"


@pytest.fixture(scope="module")
def ledger_path(warehouse_path, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("ledger") / "minsheng.duckdb"
    shutil.copyfile(warehouse_path, db)
    at = dt.datetime(2020, 10, 5, 9, 0)
    # 1, 2: 枞阳县 红 items, due 10月10日 (overdue on the 通报's date)
    assert sv.open_lagging(db, YEAR, MONTH, min_severity="红", deadline=dt.date(2020, 10, 10),
                           by="张三", at=at).item_ids == [1, 2]  # fmt: skip
    # 3–5: the 橙 ones, default deadline 11月30日
    assert len(sv.open_lagging(db, YEAR, MONTH, by="张三", at=at).item_ids) == 3
    # 6: an August finding for a county with a hostile name, overdue since 9月20日
    sv.open_manual(db, YEAR, 8, reason="未按时报送信息", region=PAYLOAD,
                   deadline=dt.date(2020, 9, 20), by="张三", at=dt.datetime(2020, 9, 1, 9))  # fmt: skip
    # 7: an August finding closed in September
    sv.open_manual(db, YEAR, 8, reason="标识牌缺失", department="市教体局", by="张三",
                   at=dt.datetime(2020, 8, 25, 9))  # fmt: skip
    assert sv.close_item(db, 7, "已整改", by="李四", at=dt.datetime(2020, 9, 15, 10)).ok
    return db


@pytest.fixture(scope="module")
def content(ledger_path):
    return build_content(Warehouse(ledger_path), YEAR, MONTH, ISSUED)


def test_section_counts_opened_closed_and_overdue(content):
    s = content.supervision
    assert [r.item_id for r in s.opened] == [1, 2, 3, 4, 5]
    assert [r.item_id for r in s.closed] == [7]
    assert s.closed[0].closed_on == dt.date(2020, 9, 15)
    assert [(r.item_id, r.days_overdue) for r in s.overdue] == [(6, 26), (1, 6), (2, 6)]
    assert content.attachment_titles[3] == "9月份民生工程督办事项情况表"
    sentence = content.summary[-1]
    assert sentence.startswith("督办方面：针对9月份滞后情况下发督办5项；9月内销号1项；")
    assert "截至2020年10月16日，3项已过整改期限仍未销号（红色督办）" in sentence
    assert "枞阳县" in sentence and sentence.endswith("详见附件4。")


def test_overdue_is_as_of_the_bulletins_date(ledger_path):
    early = build_content(Warehouse(ledger_path), YEAR, MONTH, dt.date(2020, 10, 1))
    # items 1, 2 were not yet opened on 10月1日; item 6 was 11 days past its deadline
    assert [(r.item_id, r.days_overdue) for r in early.supervision.overdue] == [(6, 11)]


def test_docx_has_attachment_four(content):
    document = Document(io.BytesIO(write_docx(content)))
    texts = [p.text for p in document.paragraphs]
    assert "附件4" in texts and "4．9月份民生工程督办事项情况表" in texts
    assert "三、截至2020年10月16日逾期未销号的督办（红色）" in texts
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    overdue = tables[-1]
    assert overdue[0] == ["编号", "地区", "责任单位", "督办事项", "整改期限", "逾期天数"]
    assert overdue[1] == ["6", PAYLOAD, "—", "督查发现", "2020年9月20日", "26天"]  # as typed
    assert overdue[2][0] == "1" and overdue[2][1] == "枞阳县" and overdue[2][5] == "6天"
    closed = tables[-2]
    assert closed[1] == ["7", "—", "市教体局", "督查发现", "8月", "2020年9月15日"]


def test_markdown_has_the_section_escaped(content):
    text = write_markdown(content)
    assert "## 附件4　9月份民生工程督办事项情况表" in text
    assert "### 二、9月内销号的督办" in text
    assert PAYLOAD not in text  # a county's name never becomes a link
    assert "\\[点此核对\\]" in text


def test_month_with_nothing_to_report_has_no_section(ledger_path):
    quiet = build_content(Warehouse(ledger_path), YEAR, 7, dt.date(2020, 8, 1))
    assert quiet.supervision is None
    assert len(quiet.attachment_titles) == 3


def test_database_without_ledger_has_no_section(warehouse_path):
    older = build_content(Warehouse(warehouse_path), YEAR, MONTH, ISSUED)
    assert older.supervision is None
    assert not any(p.startswith("督办方面") for p in older.summary)
    assert "附件4" not in write_markdown(older)
