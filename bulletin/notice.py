"""督办通知单: one unit's (a county's or a department's) open 督办 items as a .docx, in the same
official form as the monthly 通报 (bulletin.docx_writer: 仿宋 body, 宋体 tables, 黑体 headings,
A4 with the margins of official documents, "— 1 —" page numbers, 落款 with a Chinese date).

The content comes from metrics.supervision.supervision_ledger (a ledger frame); `build_notice`
is pure, so it is tested with small frames. Names and reasons are written as they are: Word shows
text as text.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pandas as pd
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

# The 通报's form (bulletin.docx_form, docx_tables) and paragraph helper serve this document too.
from bulletin.docx_form import setup_page, setup_styles
from bulletin.docx_tables import add_table
from bulletin.docx_writer import _body
from bulletin.model import chinese_date
from metrics.format import MISSING
from metrics.supervision import CLOSED

REGION, DEPARTMENT = "region", "department"
UNIT_KINDS = {REGION: "县区", DEPARTMENT: "责任单位"}
ASK = "限期整改并报送整改情况"
NOTICE_HEADER = (
    "序号", "编号", "督办事项", "地区/单位", "下发月份", "下发时落后", "最新落后", "整改期限", "三色",
)  # fmt: skip
NOTICE_NOTE = (
    "注：落后为序时进度减完成率（个百分点），“最新落后”为最近一次导入月份的情况；"
    "三色按通知日计算：红＝已过整改期限，蓝＝7天内到期，黄＝未到期限。"
)


@dataclass(frozen=True)
class NoticeItem:
    """One open item as the 通知单 lists it (points: behind 序时进度, positive = behind)."""

    item_id: int
    label: str
    other_unit: str  # for a county's notice the department, for a department's the county
    month: int
    gap_opened_points: float | None
    gap_latest_points: float | None
    latest_month: int | None
    deadline: dt.date
    colour: str | None
    status: str
    reason: str


@dataclass(frozen=True)
class Notice:
    """督办通知单 of one unit: its open items, oldest first."""

    year: int
    unit_kind: str  # REGION or DEPARTMENT
    unit: str
    items: tuple[NoticeItem, ...]
    issued_on: dt.date
    issuer: str = "市民生办"

    @property
    def title(self) -> str:
        return "民生工程督办通知单"

    @property
    def date_text(self) -> str:
        return chinese_date(self.issued_on)

    @property
    def file_stem(self) -> str:
        return f"{self.year}年督办通知单_{self.unit}"

    @property
    def n_overdue(self) -> int:
        return sum(1 for i in self.items if i.colour == "红")

    def paragraphs(self) -> tuple[str, ...]:
        """The body before the table, and what is asked after it."""
        n = len(self.items)
        intro = (
            f"根据{self.year}年民生工程月度考评和督查情况，你单位有以下{n}项民生工程事项"
            f"尚未销号，现予督办。"
        )
        if self.n_overdue:
            intro += f"其中{self.n_overdue}项已超过整改期限，请抓紧整改。"
        return (intro,)

    def requests(self) -> tuple[str, ...]:
        earliest = min((i.deadline for i in self.items), default=None)
        first = (
            f"请你单位对照上述事项，逐项分析原因，明确整改措施、责任人和完成时限，{ASK}："
            "在整改期限前将整改措施、进展和完成情况书面报送市民生办"
        )
        first += f"（最早一项的期限为{chinese_date(earliest)}）。" if earliest else "。"
        return (
            first,
            "市民生办将在每月月报导入后对照序时进度复核，已赶上序时进度并经复核的事项予以销号；"
            "逾期未整改的事项将在月度通报中点名。",
        )


def _points(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _text(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def notice_units(items: pd.DataFrame, unit_kind: str) -> list[str]:
    """The counties (REGION) or departments (DEPARTMENT) that have open items, in name order."""
    if items.empty:
        return []
    open_items = items[items["status"] != CLOSED]
    return sorted({u for u in open_items[unit_kind].dropna() if str(u).strip()})


def build_notice(
    items: pd.DataFrame, unit_kind: str, unit: str, issued_on: dt.date | None = None
) -> Notice:
    """The 通知单 of `unit` from a ledger frame (metrics.supervision.supervision_ledger):
    its items not 已销号, oldest first. Raises ValueError for an unknown unit kind."""
    if unit_kind not in UNIT_KINDS:
        raise ValueError(f"unit_kind must be one of {sorted(UNIT_KINDS)}")
    other = DEPARTMENT if unit_kind == REGION else REGION
    mine = items[(items[unit_kind] == unit) & (items["status"] != CLOSED)]
    mine = mine.sort_values("item_id", kind="stable")
    notice_items = tuple(
        NoticeItem(
            item_id=int(r["item_id"]),
            label=_text(r["item_label"]),
            other_unit=_text(r[other]),
            month=int(r["month"]),
            gap_opened_points=_points(r["gap_opened_points"]),
            gap_latest_points=_points(r["gap_latest_points"]),
            latest_month=None if pd.isna(r["latest_month"]) else int(r["latest_month"]),
            deadline=pd.Timestamp(r["deadline"]).date(),
            colour=_text(r["colour"]) or None,
            status=_text(r["status"]),
            reason=_text(r["reason"]),
        )
        for r in mine.to_dict("records")
    )
    year = int(mine["year"].iloc[0]) if len(mine) else int(items["year"].max() or 0)
    return Notice(
        year=year,
        unit_kind=unit_kind,
        unit=unit,
        items=notice_items,
        issued_on=issued_on or dt.date.today(),
    )


def _fmt_points(value: float | None) -> str:
    return MISSING if value is None else f"{value:.1f}个百分点"


def notice_cells(notice: Notice) -> list[tuple[str, ...]]:
    """One row per item, the cells of NOTICE_HEADER."""
    rows = []
    for number, item in enumerate(notice.items, start=1):
        latest = _fmt_points(item.gap_latest_points)
        if item.latest_month is not None and item.gap_latest_points is not None:
            latest = f"{item.latest_month}月：{latest}"
        rows.append(
            (
                str(number),
                str(item.item_id),
                item.label,
                item.other_unit or MISSING,
                f"{item.month}月",
                _fmt_points(item.gap_opened_points),
                latest,
                chinese_date(item.deadline),
                item.colour or MISSING,
            )
        )
    return rows


def reason_lines(notice: Notice) -> list[str]:
    """督办原因 of each item, numbered as in the table."""
    return [f"{n}．{item.reason}" for n, item in enumerate(notice.items, start=1)]


def write_notice_docx(notice: Notice) -> bytes:
    """The 督办通知单 as .docx bytes."""
    document = Document()
    setup_styles(document)
    setup_page(document)
    document.core_properties.title = f"{notice.title}（{notice.unit}）"
    document.core_properties.author = notice.issuer
    document.add_heading(notice.title, level=1)
    _body(document, f"{notice.unit}：", indent=False)
    if not notice.items:
        _body(document, "你单位目前没有未销号的督办事项。")
    else:
        for paragraph in notice.paragraphs():
            _body(document, paragraph)
        add_table(document, NOTICE_HEADER, notice_cells(notice))
        _body(document, NOTICE_NOTE, indent=False)
        _body(document, "督办原因：", indent=False)
        for line in reason_lines(notice):
            _body(document, line)
        for paragraph in notice.requests():
            _body(document, paragraph)
    document.add_paragraph()
    _body(document, notice.issuer, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _body(document, notice.date_text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
