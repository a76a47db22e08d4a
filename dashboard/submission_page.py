"""报送: a county's or department's own month file, and the 民生办's review of what units sent.

A unit (县区, 市直单位) uploads its month's file; the loader's check runs at once and a file with
errors, or with rows of another unit, is refused on the spot (the unit fixes and sends again).
A file that passes waits as 待审核 (etl.writing.submission) until the 民生办 accepts it — it then loads
through the one writer — or returns it (退回) with a note. Every handler checks the role itself
(dashboard.auth.require_unit / require_admin); drawing a button is never the check.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import activity_log, admin_page, auth, layout
from dashboard.admin_actions import CONFIRM_LABEL
from dashboard.columns import columns
from etl.writing import activity as store
from metrics.format import fmt_datetime
from metrics.plain_text import escape_markdown, md, md_list
from metrics.reach import Identity

log = logging.getLogger(__name__)

UNIT_UPLOAD_KEY = "unit_upload"
UNIT_ROUND_KEY = "_unit_upload_round"
REFUSAL_KEY = "_unit_refusal"
MAX_SHOWN_ERRORS = 50

SUBMISSION_TABLE = columns("submission_unit", "period", "file_name", "submission_status",
                           "submitted", "submitted_by", "reviewed", "reviewed_by",
                           "review_note")  # fmt: skip
STATUS_TABLE = columns("unit_kind", "unit_name", "reporting_status", "submitted", "reviewed",
                       "on_time", "returns")  # fmt: skip
AUDIT_TABLE = columns("when", "user", "role", "unit_name", "action", "detail")


def submissions_frame(rows: list) -> pd.DataFrame:
    """Submissions as the tables show them (newest first)."""
    return pd.DataFrame(
        [
            {
                "id": s.id,
                "unit": s.unit,
                "period": f"{s.year}年{s.month}月",
                "file_name": s.file_name,
                "status": s.status,
                "submitted": fmt_datetime(s.submitted_at),
                "submitted_by": s.submitted_by,
                "reviewed": fmt_datetime(s.reviewed_at),
                "reviewed_by": s.reviewed_by or "",
                "note": s.note or "",
            }
            for s in rows
        ],
        columns=["id", *[c.key for c in SUBMISSION_TABLE]],
    )


# --- the unit's side ---------------------------------------------------------------------------


def _uploader_key() -> str:
    return f"{UNIT_UPLOAD_KEY}_{st.session_state.get(UNIT_ROUND_KEY, 0)}"


def on_submit() -> None:
    try:
        identity = auth.require_unit()
    except auth.NotAuthorized as exc:
        admin_page.flash("error", str(exc))
        return
    uploaded = st.session_state.get(_uploader_key())
    st.session_state.pop(REFUSAL_KEY, None)
    if uploaded is None:
        admin_page.flash("warning", "请先选择本单位本月的月报文件。")
        return
    try:
        sent = store.submit(
            admin_page.db_path(),
            unit_kind=identity.role,
            unit=str(identity.unit),
            file_name=uploaded.name,
            content=uploaded.getvalue(),
            by=identity.user,
            max_bytes=admin_page.limits().max_file_bytes,
        )
    except store.SubmissionRefused as exc:
        st.session_state[REFUSAL_KEY] = (uploaded.name, list(exc.errors))
        activity_log.record("报送被拒", f"{uploaded.name}：{len(exc.errors)} 处错误")
        return
    except Exception:  # a sentence for the unit; the details go to the server's log
        log.exception("报送失败")
        admin_page.flash("error", "报送失败，未保存。请稍后再试；仍失败时请联系市民生办。")
        return
    admin_page.flash(
        "success",
        f"已报送 {sent.file_name}（{sent.year}年{sent.month}月），等待市民生办审核。",
    )
    st.session_state[UNIT_ROUND_KEY] = st.session_state.get(UNIT_ROUND_KEY, 0) + 1


def unit_section(path: Path, identity: Identity) -> None:
    """What a 县区 or 市直单位 account sees on its 报送 page."""
    st.subheader(md("报送本单位月报（{}）", identity.unit))
    st.caption(
        md(
            "只能报送{}自己的数据：文件中每一行的{}都必须是“{}”。报送后先由系统检查，"
            "通过的文件等待市民生办审核入库；有错误的文件不会保存，请修改后重新报送。"
            "每月 {} 日前报送上月数据。",
            identity.unit,
            "地区" if identity.role == "县区" else "责任单位",
            identity.unit,
            store.REPORT_DUE_DAY,
        )
    )
    limits = admin_page.limits()
    # The size limit is said here: Streamlit's own line under the box is English and hidden.
    st.file_uploader(md("选择月报文件（.xlsx / .csv，不超过 {} MB）", limits.max_file_mb),
                     type=["xlsx", "csv"], key=_uploader_key(),
                     max_upload_size=limits.max_file_mb)  # fmt: skip
    st.button("报送", key="unit_submit", type="primary", on_click=on_submit)
    refusal = st.session_state.get(REFUSAL_KEY)
    if refusal:
        name, errors = refusal
        st.error(md("{} 未通过检查，没有保存（{} 处错误），请修改后重新报送：", name, len(errors)))
        st.markdown(md_list(errors[:MAX_SHOWN_ERRORS]))
        if len(errors) > MAX_SHOWN_ERRORS:
            st.caption(md("只显示前 {} 处。", MAX_SHOWN_ERRORS))
    st.subheader("本单位的报送记录")
    rows = store.submissions(path, unit=identity.unit)
    if not rows:
        st.info("还没有报送记录。")
        return
    latest: dict[tuple[int, int], object] = {}
    for s in rows:  # newest first: the first of each month is where that month stands
        latest.setdefault((s.year, s.month), s)
    returned = [s for s in latest.values() if s.status == "已退回"]
    for s in returned[:3]:
        st.warning(md("{}年{}月的 {} 被退回：{}", s.year, s.month, s.file_name, s.note or ""))
        if s.errors:
            st.markdown(md_list(s.errors[:MAX_SHOWN_ERRORS]))
    layout.data_table(submissions_frame(rows), SUBMISSION_TABLE, key="unit_submissions",
                      file_stem="本单位报送记录")  # fmt: skip


# --- the 民生办's side -------------------------------------------------------------------------


def _review_user() -> str | None:
    try:
        return auth.require_admin()
    except auth.NotAuthorized as exc:
        admin_page.flash("error", str(exc))
        return None


def on_accept(submission_id: int) -> None:
    user = _review_user()
    if user is None:
        return
    try:
        result = store.accept(
            admin_page.db_path(), int(submission_id), by=user, approve=_approval(submission_id)
        )
    except store.SubmissionRefused as exc:
        admin_page.flash("error", "；".join(exc.errors))
        return
    except Exception:
        log.exception("接收报送失败")
        admin_page.flash("error", "入库失败，数据未改变。请稍后再试；仍失败时请查看服务器日志。")
        return
    if result.refused:
        admin_page.flash("error", "；".join([result.summary(), *map(str, result.errors[:5])]))
        return
    admin_page.flash("success", f"报送编号 {submission_id} 已入库。{result.summary()}")


@st.cache_data(ttl=600, max_entries=50, show_spinner=False)
def _plan(path: str, submission_id: int, version: object):
    # A plan reads the whole file: once per submission and warehouse version, not every run.
    return store.submission_plan(Path(path), submission_id)


def _current_plan(submission_id: int):
    path = admin_page.db_path()
    version = path.stat().st_mtime_ns if path.exists() else None
    return _plan(str(path), int(submission_id), version)


def _approval(submission_id: int):
    """approve(plan) for the load: rows that would vanish (a department's file replaces the
    whole region-month, data contract §2) or a new region need the tick, checked here again."""
    confirmed = bool(st.session_state.get(f"review_confirm_{submission_id}"))
    shown = _current_plan(submission_id).flags() if confirmed else frozenset()

    def approve(plan) -> str | None:
        unconfirmed = plan.flags() - shown if plan.needs_confirmation else frozenset()
        if not unconfirmed:
            return None
        lines = "；".join(plan.flagged_lines(unconfirmed))
        return f"需要确认：{lines}。未入库，请核对后勾选“{CONFIRM_LABEL}”再接收"

    return approve


def on_return(submission_id: int) -> None:
    user = _review_user()
    if user is None:
        return
    note = str(st.session_state.get(f"review_note_{submission_id}", "")).strip()
    if not note:
        admin_page.flash("error", "退回时请写明退回意见。")
        return
    try:
        store.return_submission(admin_page.db_path(), int(submission_id), by=user, note=note)
    except store.SubmissionRefused as exc:
        admin_page.flash("error", "；".join(exc.errors))
        return
    admin_page.flash("success", f"报送编号 {submission_id} 已退回，单位登录后可看到退回意见。")


def review_section(path: Path) -> None:
    """The queue of files units sent that wait for the 民生办 (待审核)."""
    waiting = store.submissions(path, status="待审核")
    st.subheader(md("待审核的报送（{} 份）", len(waiting)))
    if not waiting:
        st.caption("各单位报送的文件通过检查后在这里等待审核。")
        return
    for s in waiting:
        with st.container(border=True):
            st.markdown(md("**编号 {}：{}**（{}，{}年{}月）", s.id, s.file_name, s.unit,
                           s.year, s.month))  # fmt: skip
            st.caption(md("{} 报送于 {}{}", s.submitted_by, fmt_datetime(s.submitted_at),
                          "" if s.on_time else "（逾期）"))  # fmt: skip
            _plan_lines(s.id)
            note, accept = st.columns([3, 1], vertical_alignment="bottom")
            note.text_input("退回意见（退回时必填）", key=f"review_note_{s.id}", max_chars=500)
            accept.button("接收入库", key=f"review_accept_{s.id}", type="primary",
                          on_click=on_accept, args=(s.id,))  # fmt: skip
            accept.button("退回", key=f"review_return_{s.id}", on_click=on_return,
                          args=(s.id,))  # fmt: skip


def _plan_lines(submission_id: int) -> None:
    """What accepting would replace; flagged lines in a warning with the tick they need."""
    try:
        plan = _current_plan(submission_id)
    except Exception:  # the file can no longer be read: accepting will say why
        log.exception("报送 %s: 替换核对失败", submission_id)
        return
    flagged = plan.flagged_lines()
    if flagged:
        st.warning(md("**接收前请核对：**\n\n{}", md_list(flagged)))
        st.checkbox(CONFIRM_LABEL, key=f"review_confirm_{submission_id}")
    for line in plan.lines():
        if line not in flagged:
            st.caption(escape_markdown(line))


def unit_status_section(path: Path, year: int, month: int) -> None:
    """报送情况 per unit: 未报送 / 待审核 / 已退回 / 已入库, with times and on-time record."""
    status = reporting_status(path, year, month)
    st.markdown(md("**各单位报送情况（{}年{}月，截止每月 {} 日）**", year, month,
                   store.REPORT_DUE_DAY))  # fmt: skip
    if status.empty:
        st.caption("还没有报送单位。")
        return
    late = status[status["on_time"] == "逾期"]["unit"].tolist()
    if late:
        st.warning(md("逾期报送（考评时扣分参考）：{}", "、".join(late)))
    status = status.assign(submitted=status["submitted_at"].map(fmt_datetime),
                           reviewed=status["reviewed_at"].map(fmt_datetime))  # fmt: skip
    layout.data_table(status, STATUS_TABLE, key="unit_status", file_stem="各单位报送情况")


def audit_section(path: Path) -> None:
    """审计记录, newest first, for the 民生办."""
    st.subheader("审计记录")
    events = store.audit_events(path, limit=500)
    if events.empty:
        st.caption("还没有记录。")
        return
    st.caption(escape_markdown("最近 500 条：谁下载了什么、谁报送、接收、退回、销号。"))
    events = events.assign(when=events["at"].map(fmt_datetime))
    layout.data_table(events, AUDIT_TABLE, key="audit_events", file_stem="审计记录")


def _stamp(path: Path) -> int | None:
    return path.stat().st_mtime_ns if path.exists() else None


@st.cache_data(ttl=600, max_entries=50, show_spinner=False)
def _status(
    path: str, year: int, month: int, versions: tuple, today: object, accounts: tuple
) -> pd.DataFrame:
    # Keyed on the warehouse's and the activity file's versions and the day (逾期 moves at
    # midnight): the ranking page shows it on every run.
    db = Path(path)
    return store.reporting_status(db, year, month, reporting_units(db, year, accounts))


def reporting_units(db: Path, year: int, accounts: tuple) -> list[tuple[str, str]]:
    """Who is expected to report: the units with an account (they send their own files), else
    the counties of the warehouse (whose files the 民生办 loads). A department that has no
    account does not report a file of its own, so it is never 逾期."""
    if accounts:
        return list(accounts)
    return [(kind, unit) for kind, unit in store.units_in_warehouse(db, year) if kind == "县区"]


def reporting_status(path: Path, year: int, month: int) -> pd.DataFrame:
    """报送情况 of every reporting unit for one month (cached until a write or the next day)."""
    activity = store.activity_path(path)
    # SQLite in WAL mode writes to the -wal file first: both stamps make the version.
    versions = (_stamp(path), _stamp(activity), _stamp(Path(f"{activity}-wal")))
    accounts = tuple(sorted({(a.role, a.unit) for a in auth.current_config().accounts.values()
                             if a.unit}))  # fmt: skip
    return _status(str(path), year, month, versions, dt.date.today(), accounts)


def county_on_time(path: Path, year: int, month: int) -> dict[str, str]:
    """是否按时 of each reporting 县区 (按时 / 逾期 / 未到期 / 民生办导入), from reporting_status:
    the one judgement of lateness on the page, so the region table agrees with the unit table."""
    status = reporting_status(path, year, month)
    counties = status[status["unit_kind"] == "县区"]
    return dict(zip(counties["unit"], counties["on_time"], strict=True))


def scorer_note(path: Path, year: int, month: int) -> None:
    """For the 考评: which units sent the month late or had it returned (报送情况)."""
    if not path.exists():
        return
    status = reporting_status(path, year, month)
    if status.empty:
        return
    late = status[status["on_time"] == "逾期"]["unit"].tolist()
    returned = status[status["returns"] > 0]
    parts = []
    if late:
        parts.append("逾期或未报送：" + "、".join(late))
    if not returned.empty:
        pairs = zip(returned["unit"], returned["returns"], strict=True)
        parts.append("被退回：" + "、".join(f"{u}（{n}次）" for u, n in pairs))
    if parts:
        st.caption(md("{}年{}月报送情况（考评扣分参考）：{}", year, month, "；".join(parts)))
