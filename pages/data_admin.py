"""数据管理: month intake (upload → check → load), 报送情况, 数据质量, 导入记录 with 撤销.

Anyone may browse 报送情况, 数据质量 and 导入记录. Uploading, loading and undoing need the 民生办
role (dashboard.auth): those widgets are drawn only for the role, and every handler
(dashboard/admin_page.py) checks the role again itself, so a visitor cannot reach a write action
by any route to this page.

The check step shows what each file would replace (etl.writing.replacement_plan). When a file would make
rows vanish, brings rows from a hidden sheet or a region the database never had, the 导入 button
waits for the tick “我已核对，确认替换”; admin_actions.load_passed checks that confirmation again
against the plan worked out inside the load. Text from files goes through metrics.plain_text.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import admin_actions, auth, layout, submission_page
from dashboard.admin_actions import CONFIRM_LABEL
from dashboard.admin_page import (
    BATCH_KEY,
    RESULTS_KEY,
    UNDO_PENDING_KEY,
    current,
    db_path,
    limits,
    on_check,
    on_load,
    on_undo_cancel,
    on_undo_confirm,
    on_undo_request,
    show_flash,
    uploader_key,
)
from dashboard.admin_warnings import month_warnings
from dashboard.router import ensure_routed
from dashboard.sign_in import access_panel
from etl.template import write_template
from metrics.admin import (
    findings_frame,
    history_for_people,
    holds_demo_data,
    load_history,
    region_sheets,
    report_months,
)
from metrics.db import WarehouseUnavailable
from metrics.export import to_csv_bytes
from metrics.filters import Filters
from metrics.format import fmt_datetime
from metrics.plain_text import escape_markdown, md, md_list

MAX_SHOWN_FINDINGS = 200


def intake_section(history: pd.DataFrame) -> None:
    st.subheader("导入月报")
    if holds_demo_data(history):
        st.warning(
            "当前数据库含示例数据（示例市）。导入的真实月报会与示例数据并存；"
            "正式使用前请由管理员用 MINSHENG_DB 指定正式数据库（见 README）。"
        )
    sizes = limits()
    st.caption(
        md(
            "可一次选择多个 .xlsx / .csv 文件，单个不超过 {:g} MB，合计不超过 {:g} MB。"
            "先检查，再导入通过检查的文件。",
            sizes.max_file_bytes / 2**20,
            sizes.max_batch_bytes / 2**20,
        )
    )
    st.file_uploader(
        "选择月报文件",
        type=["xlsx", "csv"],
        accept_multiple_files=True,
        key=uploader_key(),
        max_upload_size=sizes.max_file_mb,
    )
    st.button("检查文件", key="admin_check", type="primary", on_click=on_check)
    batch = st.session_state.get(BATCH_KEY)
    if isinstance(batch, admin_actions.CheckedBatch):
        show_batch(batch)
    results = st.session_state.get(RESULTS_KEY)
    if results:
        show_results(results)


def _findings_table(findings: list, label: str) -> None:
    st.markdown(md("**{}（{} 条）**", label, len(findings)))
    st.table(findings_frame(findings[:MAX_SHOWN_FINDINGS]))
    if len(findings) > MAX_SHOWN_FINDINGS:
        st.caption(md("只显示前 {} 条，完整列表请下载。", MAX_SHOWN_FINDINGS))


def _mark(checked: admin_actions.CheckedFile) -> str:
    if not checked.passed:
        return md(":red[:material/error: 有错误，不能导入]")
    if checked.needs_confirmation:
        return md(":orange[:material/warning: 通过，导入前请核对替换情况]")
    return md(":green[:material/check_circle: 通过]")


def show_plan(checked: admin_actions.CheckedFile) -> None:
    """What loading the file would replace (etl.writing.replacement_plan): the flagged items in a
    warning, the rest as captions. Every line quotes the file: escaped, never markdown."""
    plan = checked.plan
    if plan is None or not plan.lines():
        return
    flagged = plan.flagged_lines()
    if flagged:
        st.warning(md("**导入前请核对：**\n\n{}", md_list(flagged)))
    for line in plan.lines():
        if line not in flagged:
            st.caption(escape_markdown(line))


def _on_confirm(key: str, token: str) -> None:
    """The tick, recorded on the checked batch itself (admin_actions.load_passed checks it)."""
    batch = st.session_state.get(BATCH_KEY)
    if isinstance(batch, admin_actions.CheckedBatch) and batch.token == token:
        batch.confirmed = bool(st.session_state.get(key))


def show_batch(batch: admin_actions.CheckedBatch) -> None:
    st.markdown(
        md("**检查结果：{} 个文件通过，{} 个文件有错误。**", len(batch.passed), len(batch.refused))
    )
    for checked in batch.files:
        with st.container(border=True):
            st.markdown(md("**{}** — {}", checked.name, _mark(checked)))
            if checked.rows:
                st.caption(
                    escape_markdown("　".join(f"{k} {n} 行" for k, n in checked.rows.items() if n))
                )
            show_plan(checked)
            if checked.errors:
                _findings_table(checked.errors, "错误")
            if checked.warnings:
                _findings_table(checked.warnings, "警告（不阻止导入）")
            for notice in checked.notices:
                st.caption(escape_markdown(notice))
    if batch.refused:
        layout.file_download(
            "下载退回意见（CSV，发回县区修改）", lambda: to_csv_bytes(batch.return_list()),
            "退回意见.csv", key="admin_return_list",
        )  # fmt: skip
    if batch.passed:
        waiting = batch.needs_confirmation and not batch.confirmed
        if batch.needs_confirmation:
            key = f"admin_confirm_{batch.token}"
            st.checkbox(
                CONFIRM_LABEL,
                key=key,
                on_change=_on_confirm,
                args=(key, batch.token),
                help="上面黄色框中的替换会让已导入的数据减少、来自隐藏工作表或带来从未有过的地区。",
            )
        st.button(
            md("导入通过检查的 {} 个文件", len(batch.passed)),
            key="admin_load",
            type="primary",
            on_click=on_load,
            disabled=waiting,
        )
        if waiting:
            st.caption(md("请先核对上面的替换情况，勾选“{}”后才能导入。", CONFIRM_LABEL))


def show_results(results: list) -> None:
    loaded = [r for r in results if not r.refused]
    st.success(
        md("导入完成：{} 个文件已导入，{} 个被拒绝。", len(loaded), len(results) - len(loaded))
    )
    for result in results:
        (st.error if result.refused else st.write)(escape_markdown(result.summary()))
        if result.errors:
            _findings_table(result.errors, "错误")
        for notice in result.notices:
            st.caption(escape_markdown(notice))


def month_choice(months: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The month of 报送情况/数据质量: the sidebar's (inside app.py), else a choice here."""
    if not months:
        return None
    shared = st.session_state.get("_filters")
    if isinstance(shared, Filters) and (shared.year, shared.month) in months:
        st.caption("月份随左侧筛选。")
        return shared.year, shared.month
    return st.selectbox(
        "月份",
        months,
        format_func=lambda ym: f"{ym[0]}年{ym[1]}月",
        key="admin_month",
        placeholder="请选择",
    )


def reporting_section(db_path: Path, year: int, month: int) -> None:
    st.subheader(md("报送情况（{}年{}月）", year, month))
    sheets = current(region_sheets, db_path, year, month)
    if sheets.regions.empty:
        st.info("该月还没有任何地区的数据。")
        return
    if sheets.incomplete:
        names = "、".join(sheets.incomplete)
        st.warning(md("进度或资金未报齐（{} 个地区）：{}", len(sheets.incomplete), names))
    else:
        st.success("本年已报送过的地区，本月进度和资金均已报送。")
    # 按时/逾期 as the unit table below judges it (by the due day): one answer on the page
    on_time = submission_page.county_on_time(db_path, year, month)
    frame = sheets.regions.rename(
        columns={
            "region": "地区",
            "has_progress": "进度已报",
            "has_funding": "资金已报",
            "progress_loaded_at": "进度最近导入",
            "funding_loaded_at": "资金最近导入",
        }
    )
    for column in ("进度已报", "资金已报"):
        frame[column] = frame[column].map({True: "已报", False: "未报"})
    frame.insert(3, "是否按时", frame["地区"].map(on_time).fillna("—"))
    st.dataframe(frame, hide_index=True, key="admin_reporting_table")


def quality_section(db_path: Path, year: int, month: int) -> None:
    st.subheader(md("数据质量（{}年{}月）", year, month))
    warnings = current(month_warnings, db_path, year, month)
    if warnings.empty:
        st.info("本月数据导入时没有警告。")
        return
    st.caption(md("导入时的警告 {} 条（不阻止导入，请核实）。", len(warnings)))
    st.dataframe(
        warnings,
        hide_index=True,
        key="admin_quality_table",
        column_config={
            "查看": st.column_config.LinkColumn("查看", display_text="查看图表"),
            "溯源": st.column_config.LinkColumn("溯源", display_text="溯源"),
        },
    )


def _load_label(load) -> str:
    when = fmt_datetime(load.loaded_at)
    return f"编号 {load.load_id}：{load.file_name}（{when}，{load.loaded_by}）"


def history_section(history: pd.DataFrame, user: str | None) -> None:
    st.subheader("导入记录")
    if history.empty:
        st.info("还没有导入记录。")
        return
    st.dataframe(history_for_people(history), hide_index=True, key="admin_history_table")
    if user is None:
        return
    undoable = history[history["can_undo"].astype(bool)]
    if undoable.empty:
        return
    labels = {int(r.load_id): _load_label(r) for r in undoable.itertuples()}
    pending = st.session_state.get(UNDO_PENDING_KEY)
    if pending in labels:
        st.warning(
            md(
                "确认撤销导入 {}？它导入的数据将删除，它替换掉的数据原样恢复；"
                "撤销本身也会记入导入记录。",
                labels[pending],
            )
        )
        yes, no = st.columns(2)
        yes.button("确认撤销", key="admin_undo_confirm", type="primary", on_click=on_undo_confirm)
        no.button("取消", key="admin_undo_cancel", on_click=on_undo_cancel)
        return
    left, right = st.columns([4, 1], vertical_alignment="bottom")
    # Keyed on the newest load: after a load or an undo the choice starts at the newest again,
    # never at a load picked before (the browser would otherwise keep the old pick).
    chosen = left.selectbox(
        "撤销一次导入",
        list(labels),
        format_func=labels.get,
        key=f"admin_undo_choice_{max(labels)}",
        placeholder="请选择",
    )
    right.button("撤销…", key="admin_undo", on_click=on_undo_request, args=(chosen,))


def template_download() -> None:
    st.download_button(
        "下载空白月报模板（.xlsx）",
        data=_template_bytes(),
        file_name="民生工程月报模板.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="admin_template",
    )


@st.cache_data(show_spinner=False)
def _template_bytes() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "template.xlsx"
        write_template(out)
        return out.read_bytes()


def main() -> None:
    ensure_routed()
    config = auth.current_config()
    identity = auth.current_identity(config)
    st.title("报送" if identity.reports else "数据管理")
    path = db_path()
    try:
        months = current(report_months, path)
    except WarehouseUnavailable as exc:
        # A damaged or 0-byte file: one sentence, the template still offered, nothing else read.
        st.error(escape_markdown(str(exc)))
        template_download()
        return
    if months:
        st.caption(md("数据库中最新的月报：截至{}年{}月底累计", months[0][0], months[0][1]))
    access_panel(config, identity)
    show_flash()
    if identity.reports:  # a county or department: its own 报送, nothing of other units
        submission_page.unit_section(path, identity)
        template_download()
        return
    user = identity.user if identity.writes else None
    history = current(load_history, path)  # after this run's callbacks (a load, an undo)
    if user is not None:
        intake_section(history)
        submission_page.review_section(path)
    template_download()
    st.divider()
    chosen = month_choice(months)
    if chosen is None:
        st.info("数据库中还没有月报数据。")
    else:
        reporting_section(path, *chosen)
        submission_page.unit_status_section(path, *chosen)
        quality_section(path, *chosen)
    st.divider()
    history_section(history, user)
    if user is not None:
        st.divider()
        submission_page.audit_section(path)


main()
