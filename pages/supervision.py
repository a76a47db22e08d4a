"""督办: the 督办台账 (data contract §5) — every item from 下发 to 销号 with its 三色 (红 overdue,
蓝 due within 7 days, 黄 not yet due), counted by county and department, each item's history.

Anyone may browse. Opening items, recording a 整改 note, 销号 and re-opening need the 民生办 role
(dashboard.auth): the forms are drawn only for the role, and every handler checks the role again
at the moment of its write, so no route to this page writes for a visitor. Names, reasons and notes
are untrusted text: shown through metrics.plain_text.
"""

from __future__ import annotations

import logging
import re

import pandas as pd
import streamlit as st

from bulletin import notice
from dashboard import activity_log, auth, data, filters, layout
from dashboard.admin_page import flash, show_flash
from dashboard.columns import columns
from dashboard.layout import Col
from etl.writing import supervision as writes
from metrics.db import resolve_db_path
from metrics.format import fmt_datetime
from metrics.plain_text import md
from metrics.supervision import (
    CLOSED,
    COLOUR_MEANINGS,
    COLOURS,
    STATUSES,
    ledger_by_unit,
    ledger_counts,
    supervisable_lagging,
)

log = logging.getLogger(__name__)
FILE_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')  # not in a download's file name
NOT_SIGNED_IN = "需要民生办登录后才能下发督办、记录整改或销号"
WRITE_FAILED = "操作失败，督办台账未改变。请稍后再试；仍失败时请联系管理员查看服务器日志。"

LEDGER_TABLE = columns(
    "item_id", "colour", "status", "status_note", "region", "department", "item_label",
    "gap_opened_points", "latest_month", "gap_latest_points", "gap_change_points", "deadline_text",
    "days_left", "opened_month", "reason", "n_notes", "opened_by", "closed_by",
)  # fmt: skip
UNIT_COUNTS = columns("n_items_supervised", "n_open", "n_red", "n_blue", "n_yellow", "n_closable",
                      "n_closed")  # fmt: skip
HISTORY_TABLE = columns("when", "actor", "event", "status_after", "history_note",
                        "compared_month", "gap_points")  # fmt: skip
GAP_TABLE = columns("month", "completion_rate", "planned_rate", "gap_points", "is_lagging")


# --- handlers: each checks the role itself, at the moment of its write ---------------------------


def _write(operation, *args, user: str | None = None, **kwargs) -> bool:
    """Run an etl.writing.supervision write as `user` (default: the signed-in 民生办 user); say
    what happened. True only when the write was made."""
    if user is None:
        try:
            user = auth.require_admin()
        except auth.NotAuthorized:
            flash("error", NOT_SIGNED_IN)
            return False
    try:
        outcome = operation(resolve_db_path(), *args, by=user, **kwargs)
    except Exception:  # a sentence for the clerk; the details go to the server's log
        log.exception("督办台账: %s failed", operation.__name__)
        flash("error", WRITE_FAILED)
        return False
    flash("success" if outcome.ok else "error", outcome.message)
    return outcome.ok


def on_open_selected(year: int, month: int, options: dict) -> None:
    keys = [options[label] for label in st.session_state.get("sup_open_pick", [])]
    if not keys:
        flash("error", "请先选择要下发督办的滞后项")
        return
    deadline = st.session_state.get("sup_open_deadline")
    _write(writes.open_lagging, year, month, min_severity="黄", keys=keys, deadline=deadline)


def on_open_severe(year: int, month: int, keys: list) -> None:
    deadline = st.session_state.get("sup_open_deadline")
    _write(writes.open_lagging, year, month, min_severity="橙", keys=keys, deadline=deadline)


def on_open_manual(year: int, month: int) -> None:
    state = st.session_state
    _write(writes.open_manual, year, month, reason=state.get("sup_manual_reason"),
           region=state.get("sup_manual_region") or None,
           department=state.get("sup_manual_department") or None,
           deadline=state.get("sup_manual_deadline"))  # fmt: skip


# An item's forms, by the prefix of their widget keys: the write each one makes.
ITEM_WRITES = {"sup_note": writes.add_note, "sup_close": writes.close_item,
               "sup_reopen": writes.reopen_item}  # fmt: skip


def on_item(prefix: str, item_id: int) -> None:
    """A note, 销号 or reopening of one item, with the text typed in its form."""
    done = _write(ITEM_WRITES[prefix], item_id, st.session_state.get(f"{prefix}_{item_id}"))
    if done and prefix == "sup_close":  # the audit trail holds only what happened
        activity_log.record("销号", f"督办编号 {item_id}")


def on_unit_measure(item_id: int) -> None:
    """A county's or department's 整改措施 on its own open item (the 民生办 verifies, closes)."""
    try:
        identity = auth.require_unit()
    except auth.NotAuthorized:
        flash("error", NOT_SIGNED_IN)
        return
    owner = data.fetch("supervision_owner", item_id)
    if owner is None or not identity.reach().allows(*owner):
        flash("error", "该督办事项不属于本单位，不能填写。")
        return
    text = st.session_state.get(f"sup_measure_{item_id}")
    if _write(writes.add_note, item_id, text, user=identity.user):
        activity_log.record("记录整改措施", f"督办编号 {item_id}")


# --- sections ----------------------------------------------------------------------------------


def headline(items: pd.DataFrame) -> None:
    counts = ledger_counts(items)
    cards = st.columns(6)
    cards[0].metric("未销号", counts.n_open, border=True)
    for card, colour in zip(cards[1:4], COLOURS, strict=True):
        card.metric(md("{}（{}）", colour, COLOUR_MEANINGS[colour]), counts.by_colour[colour],
                    border=True)  # fmt: skip
    cards[4].metric("可销号（待复核）", counts.by_status["可销号"], border=True)
    cards[5].metric("已销号", counts.by_status[CLOSED], border=True)
    st.caption(
        "三色督办：红＝已过整改期限；蓝＝7天内到期；黄＝未到期限（按今天计算）。"
        "每次导入或撤销月报后自动复核：已赶上序时进度的事项变为“可销号”，由民生办复核后销号。"
    )


def for_people(items: pd.DataFrame) -> pd.DataFrame:
    return items.assign(deadline_text=pd.to_datetime(items["deadline"]).dt.strftime("%Y-%m-%d"))


OPEN_STATUSES = list(STATUSES[:3])  # the ledger's default view: every item not 已销号


def _status_from_url() -> None:
    """Seed the status filter from the link (?status=待整改,整改中); unknown words are named."""
    raw = st.query_params.get("status")
    if "sup_status" in st.session_state or raw is None:
        return
    wanted = [s.strip() for s in raw.split(",") if s.strip()]
    bad = [s for s in wanted if s not in STATUSES]
    if bad:
        st.toast(md("链接中的状态“{}”无效，已忽略", filters.quoted("、".join(bad))))
    st.session_state["sup_status"] = [s for s in STATUSES if s in wanted] or OPEN_STATUSES


def _item_from_url(ids: list[int]) -> None:
    """Seed the chosen item from the link (?item=12), if it is one of this view's items."""
    raw = st.query_params.get("item")
    if "sup_pick" in st.session_state or raw is None:
        return
    item = int(raw) if raw.isdigit() else None
    if item in ids:
        st.session_state["sup_pick"] = item
    else:
        st.toast(md("链接中的督办事项“{}”不在当前台账中", filters.quoted(raw)))


def _keep_in_url(key: str, value: str | None) -> None:
    if value is None:
        st.query_params.pop(key, None)
    elif st.query_params.get(key) != value:
        st.query_params[key] = value


def ledger_tab(items: pd.DataFrame, f) -> None:
    _status_from_url()
    if "sup_status" not in st.session_state:
        st.session_state["sup_status"] = list(OPEN_STATUSES)
    chosen = st.multiselect("状态", list(STATUSES), key="sup_status", placeholder="请选择状态")
    _keep_in_url("status", None if chosen == OPEN_STATUSES else ",".join(chosen))
    shown = items[items["status"].isin(chosen)] if chosen else items
    layout.data_table(for_people(shown), LEDGER_TABLE, key="supervision_items",
                      file_stem=f"督办台账_{f.year}年",
                      empty_sentence="没有符合所选状态的督办事项。")  # fmt: skip


def unit_tab(items: pd.DataFrame, by: str, label: str, f) -> None:
    layout.data_table(ledger_by_unit(items, by), [Col(by, label), *UNIT_COUNTS],
                      key=f"supervision_by_{by}", file_stem=f"督办台账_{f.year}年_按{label}")  # fmt: skip
    notice_downloads(items, by, label)


def _notice_docx(items: pd.DataFrame, by: str, unit: str) -> bytes:
    return notice.write_notice_docx(notice.build_notice(items, by, unit))


def notice_downloads(items: pd.DataFrame, by: str, label: str) -> None:
    """A 督办通知单 (.docx) per unit with open items; built only when clicked."""
    units = notice.notice_units(items, by)
    st.markdown(md("**督办通知单**（每个{}一份：未销号事项、整改期限和整改要求）", label))
    if not units:
        st.caption(md("没有未销号督办事项的{}。", label))
        return
    row = st.container(horizontal=True, gap="small", key=f"sup_notices_{by}")
    for index, unit in enumerate(units):
        name = f"{FILE_UNSAFE.sub('_', f'督办通知单_{unit}')}.docx"
        layout.file_download(
            f"{unit}通知单", lambda unit=unit: _notice_docx(items, by, unit), name,
            key=f"sup_notice_{by}_{index}", icon=":material/description:", where=row,
        )  # fmt: skip


def _item_label(row) -> str:
    unit = " · ".join(u for u in (row.region, row.department) if isinstance(u, str))
    colour = row.colour if isinstance(row.colour, str) else "—"
    return f"编号 {row.item_id}｜{colour}｜{row.status}｜{unit}｜{row.item_label}"


def detail_tab(items: pd.DataFrame, user: str | None) -> None:
    labels = {int(r.item_id): _item_label(r) for r in items.itertuples(index=False)}
    ids = list(labels)
    _item_from_url(ids)
    if st.session_state.get("sup_pick") not in ids:
        st.session_state["sup_pick"] = ids[0]
    item_id = st.selectbox(
        "督办事项", ids, format_func=labels.get, key="sup_pick", placeholder="请选择"
    )
    _keep_in_url("item", str(item_id))
    row = items[items["item_id"] == item_id].iloc[0]
    st.markdown(md("**{}**", labels[item_id]))
    st.caption(md("督办原因：{}", row["reason"]))
    when = f"{row['year']}年{row['month']}月"
    deadline = f"{pd.Timestamp(row['deadline']):%Y-%m-%d}"
    st.caption(md("下发：{}（{}，{}）　整改期限：{}　状态：{}（{}）", when, row["opened_by"],
                  fmt_datetime(row["opened_at"]), deadline, row["status"],
                  row["status_note"]))  # fmt: skip
    if pd.notna(row["indicator"]):
        st.markdown("**逐月对照序时进度**")
        layout.data_table(data.fetch("supervision_gaps", item_id), GAP_TABLE,
                          key="supervision_gaps", file_stem=f"督办{item_id}_逐月进度")  # fmt: skip
    st.markdown("**办理记录**")
    history = data.fetch("supervision_history", item_id)
    history = history.assign(when=history["happened_at"].map(fmt_datetime))
    layout.data_table(history, HISTORY_TABLE, key="supervision_history",
                      file_stem=f"督办{item_id}_办理记录")  # fmt: skip
    if user is not None:
        item_forms(item_id, row["status"])
    elif auth.current_identity().reports and row["status"] != CLOSED:
        unit_measure_form(item_id)


def unit_measure_form(item_id: int) -> None:
    with st.form(f"sup_measure_form_{item_id}", clear_on_submit=True):
        st.text_area("本单位的整改措施和进展（市民生办复核后销号）", key=f"sup_measure_{item_id}",
                     max_chars=writes.MAX_TEXT)  # fmt: skip
        st.form_submit_button("提交整改措施", on_click=on_unit_measure, args=(item_id,),
                              key=f"sup_measure_submit_{item_id}", type="primary")  # fmt: skip


def item_forms(item_id: int, status: str) -> None:
    if status == CLOSED:
        with st.form(f"sup_reopen_form_{item_id}", clear_on_submit=True):
            st.text_area("重新打开的原因", key=f"sup_reopen_{item_id}", max_chars=writes.MAX_TEXT)
            st.form_submit_button("重新打开", on_click=on_item, args=("sup_reopen", item_id),
                                  key=f"sup_reopen_submit_{item_id}")  # fmt: skip
        return
    note, close = st.columns(2)
    with note.form(f"sup_note_form_{item_id}", clear_on_submit=True):
        st.text_area("整改情况（单位报来的措施、进展）", key=f"sup_note_{item_id}",
                     max_chars=writes.MAX_TEXT)  # fmt: skip
        st.form_submit_button("记录整改情况", on_click=on_item, args=("sup_note", item_id),
                              key=f"sup_note_submit_{item_id}")  # fmt: skip
    with close.form(f"sup_close_form_{item_id}", clear_on_submit=True):
        st.text_area("销号说明（复核结论）", key=f"sup_close_{item_id}", max_chars=writes.MAX_TEXT)
        st.form_submit_button("销号", on_click=on_item, args=("sup_close", item_id), type="primary",
                              key=f"sup_close_submit_{item_id}")  # fmt: skip


def open_tab(items: pd.DataFrame, f, user: str | None) -> None:
    if user is None:
        st.info("下发督办、记录整改和销号需要民生办登录（在“数据管理”页登录）。")
        return
    st.caption(md("已登录：{}（民生办）。", user))
    st.subheader(md("为{}年{}月的滞后项下发督办", f.year, f.month))
    free = supervisable_lagging(data.fetch("lagging_items", f), items)
    options = {
        f"{r.region}｜{r.indicator}｜{r.severity}｜落后{r.gap_points:.1f}个百分点": (
            r.region, r.project_code, r.indicator,
        )
        for r in free.items.itertuples(index=False)
    }  # fmt: skip
    severe = free.severe_keys
    st.caption(md("本月滞后 {} 项，其中 {} 项已有未销号的督办。", free.n_lagging, free.n_taken))
    st.date_input("整改期限", value=writes.default_deadline(f.year, f.month),
                  key="sup_open_deadline")  # fmt: skip
    st.multiselect("选择滞后项", list(options), key="sup_open_pick", placeholder="请选择")
    left, right = st.columns(2)
    left.button("下发所选", key="sup_open_selected", on_click=on_open_selected,
                args=(f.year, f.month, options), type="primary")  # fmt: skip
    right.button(md("下发全部橙、红项（{} 项）", len(severe)), key="sup_open_severe",
                 on_click=on_open_severe, args=(f.year, f.month, severe),
                 disabled=not severe)  # fmt: skip
    st.subheader("督查发现（手工督办）")
    dims = data.fetch("dimensions", f.year)
    with st.form("sup_manual_form", clear_on_submit=True):
        st.selectbox("地区", ["", *dims.regions], key="sup_manual_region", placeholder="请选择")
        st.selectbox(
            "责任单位", ["", *dims.departments], key="sup_manual_department", placeholder="请选择"
        )
        st.text_area("督办原因", key="sup_manual_reason", max_chars=writes.MAX_TEXT)
        st.date_input("整改期限", value=writes.default_deadline(f.year, f.month),
                      key="sup_manual_deadline")  # fmt: skip
        st.form_submit_button("下发督办", on_click=on_open_manual, args=(f.year, f.month),
                              key="sup_manual_submit")  # fmt: skip


def unless_empty(items: pd.DataFrame, f, show) -> None:
    """A tab of the year's items: a sentence while there are none."""
    if items.empty:
        layout.empty_state(f"{f.year}年还没有督办事项。")
    else:
        show()


def main() -> None:
    f = layout.open_page("督办", note="督办台账（全年，三色按今天计算）")
    user = auth.admin_user()
    show_flash()
    items = data.fetch("supervision_ledger", f)
    headline(items)
    layout.tab_sections(
        {
            "督办台账": lambda: unless_empty(items, f, lambda: ledger_tab(items, f)),
            "按县区": lambda: unit_tab(items, "region", "县区", f),
            "按责任单位": lambda: unit_tab(items, "department", "责任单位", f),
            "事项详情": lambda: unless_empty(items, f, lambda: detail_tab(items, user)),
            "下发督办": lambda: open_tab(items, f, user),
        },
        key="supervision_tab",
    )


main()
