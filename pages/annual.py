"""年度总结: the year-end report to the 人大 (seed 001) — projects that finished their annual targets,
those still going and why, funds against plan — on the page and as Word, from the same figures.

For readers of the whole city only: it names every unit's unfinished items (like the 通报 draft).
"""

import streamlit as st

from bulletin.annual import signed_by, title, write_annual_docx
from dashboard import auth, data, filters, layout
from dashboard.columns import columns
from dashboard.office_form import office_form
from metrics.filters import Filters
from metrics.plain_text import escape_markdown, md

PROJECT_COLUMNS = columns("project_code", "project_name", "department", "n_indicators", "n_done",
                          "annual_status")  # fmt: skip
UNFINISHED_COLUMNS = columns(
    "project_code", "project_name", "indicator", "department", "unit", "target", "actual",
    "completion_rate", "planned_rate", "below_schedule",
)  # fmt: skip


def summary_cards(summary) -> None:
    cards = st.columns(4)
    cards[0].metric("民生工程项目", summary.n_projects, border=True)
    cards[1].metric("已完成年度目标", summary.n_finished, border=True)
    cards[2].metric("仍在推进", summary.n_going, border=True)
    cards[3].metric("未完成指标", len(summary.unfinished), border=True)
    with st.container(border=True, key="annual_text"):
        for paragraph in summary.sentences():
            st.markdown(escape_markdown(paragraph))


def word_download(f: Filters, summary) -> None:
    docx_name = f"{title(summary)}_截至{f.month}月底.docx"
    form = office_form()  # the 通报's issuer signs this report too
    layout.file_download("下载 Word（.docx）", lambda: write_annual_docx(summary, form=form),
                         docx_name, key="annual_docx", icon=":material/description:",
                         primary=True)  # fmt: skip
    st.caption(md("落款：{}", signed_by(form)))


def tables(f: Filters, summary) -> None:
    st.subheader("仍在推进的项目及原因")
    layout.data_table(
        summary.unfinished, UNFINISHED_COLUMNS, key="annual_unfinished",
        file_stem=f"年度总结_未完成指标_{f.year}年{f.month}月",
        empty_sentence="各项目指标均已完成年度目标任务。",
    )  # fmt: skip
    st.subheader("各项目年度目标完成情况")
    layout.data_table(
        summary.projects,
        PROJECT_COLUMNS,
        key="annual_projects",
        file_stem=f"年度总结_项目_{f.year}年{f.month}月",
    )


def main() -> None:
    f = filters.current()
    if not auth.current_reach().whole:
        # Names every unit's unfinished items: the menu leaves it out for units; this stops a link.
        layout.empty_state("年度总结含全市各单位的事项，本账号不能查看。请向市民生办索取。")
        return
    layout.page_header("年度总结", f, note="按全市范围，不受地区、责任单位、类别筛选影响")
    summary = data.fetch("annual_summary", f.year, f.month)
    if not summary.n_projects:
        layout.empty_state(md("{}年{}月没有已导入的进度数据，无法生成年度总结。", f.year, f.month))
        return
    if f.month != 12:
        st.caption(md("当前为截至{}月底的数字；向人大报告的年度总结请在左侧选择12月。", f.month))
    summary_cards(summary)
    word_download(f, summary)
    tables(f, summary)


main()
