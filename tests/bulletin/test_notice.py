"""bulletin.notice: a unit's 督办通知单 (.docx) names its open items, their gaps, deadlines and
reasons, asks for 整改, and has the 通报's official form (fonts, page number, Chinese date)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from docx import Document

from bulletin.notice import (
    ASK,
    DEPARTMENT,
    REGION,
    build_notice,
    notice_cells,
    notice_units,
    write_notice_docx,
)
from etl.writing import supervision as sv
from metrics import supervision as ms
from metrics.db import Warehouse
from metrics.filters import Filters
from tests.etl.test_supervision import APRIL, MAY, load, month_file, open_april_items

TODAY = dt.date.today()
ISSUED = dt.date(2025, 6, 3)


@pytest.fixture
def items(tmp_path) -> object:
    db: Path = tmp_path / "minsheng.duckdb"
    load(db, month_file(tmp_path, 4, APRIL))
    open_april_items(db, TODAY)
    load(db, month_file(tmp_path, 5, MAY))
    sv.close_item(db, 3, "经复核销号", by="王五")
    return ms.supervision_ledger(Warehouse(db), Filters(2025, 5))


def document_text(docx: bytes) -> tuple[str, list[list[str]]]:
    document = Document(io.BytesIO(docx))
    text = "\n".join(p.text for p in document.paragraphs)
    rows = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    return text, rows


def test_units_with_open_items(items):
    assert notice_units(items, REGION) == ["乙县", "甲区"]
    assert "市人社局" in notice_units(items, DEPARTMENT)


def test_county_notice_names_its_items_and_deadlines(items):
    notice = build_notice(items, REGION, "乙县", issued_on=ISSUED)
    assert [i.item_id for i in notice.items] == [1]
    text, rows = document_text(write_notice_docx(notice))
    assert "民生工程督办通知单" in text
    assert "乙县：" in text
    assert ASK in text
    assert "其中1项已超过整改期限" in text
    assert "2025年6月3日" in text  # 落款, a Chinese date
    assert rows[0][:3] == ["序号", "编号", "督办事项"]
    number, item_id, label, other, month, opened, latest, deadline, colour = rows[1]
    assert (item_id, label, month, colour) == ("1", "就业创业（公益性岗位开发）", "4月", "红")
    assert opened == "33.3个百分点"
    assert latest.startswith("5月：")
    deadline_day = TODAY - dt.timedelta(days=1)
    assert deadline == f"{deadline_day.year}年{deadline_day.month}月{deadline_day.day}日"
    assert "低于序时进度" in text  # the item's reason, as opened


def test_department_notice_lists_manual_finding_and_skips_closed(items):
    notice = build_notice(items, DEPARTMENT, "市人社局", issued_on=ISSUED)
    ids = [i.item_id for i in notice.items]
    assert 3 not in ids and 4 in ids  # 已销号 left out; the 督查发现 in
    text, rows = document_text(write_notice_docx(notice))
    labels = [row[2] for row in rows[1:]]
    assert "督查发现" in labels
    assert "未按时报送信息" in text
    assert [row[1] for row in rows[1:]] == [str(i) for i in ids]


def test_official_form(items):
    document = Document(io.BytesIO(write_notice_docx(build_notice(items, REGION, "甲区"))))
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == (
        "仿宋_GB2312"
    )
    footer = document.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer


def test_unit_without_open_items_says_so(items):
    notice = build_notice(items, REGION, "丙县", issued_on=ISSUED)
    assert notice.items == ()
    text, rows = document_text(write_notice_docx(notice))
    assert "没有未销号的督办事项" in text and rows == []
    assert notice_cells(notice) == []
