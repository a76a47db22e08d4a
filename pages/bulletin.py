"""月度通报: the month's 通报 (the sidebar's year and month) as Word and Markdown, with a preview.

The documents come from bulletin.render_bulletin, cached on the database version, the month, the
落款日期, the 文号 and whether the county chart is embedded (that needs Chromium and takes a few
seconds). The office's 文号 prefix, 红头 and 抄送/印发 are `[minsheng.bulletin]` in the secrets
or MINSHENG_BULLETIN_* (dashboard.office_form, shared with the 年度总结).
"""

import dataclasses
import datetime as dt

import streamlit as st

from bulletin import NoDataForMonth, RenderedBulletin, render_bulletin
from bulletin.form import DocumentForm, usual_issue_date
from bulletin.markdown_writer import write_markdown
from dashboard import auth, data, filters, layout
from dashboard.office_form import office_form
from metrics.filters import Filters
from metrics.plain_text import escape_markdown, md


def chart_file_name(year: int, month: int) -> str:
    return f"{year}年{month}月_各县区完成率与序时进度.png"


@st.cache_data(ttl=3600, max_entries=24, show_spinner=False)
def rendered(
    path: str,
    version: object,
    year: int,
    month: int,
    issued_on: dt.date,
    with_chart: bool,
    form: DocumentForm,
) -> RenderedBulletin:
    # path and version are the cache key: a newly loaded file gives a new 通报.
    chart_file = chart_file_name(year, month) if with_chart else None
    return render_bulletin(data.warehouse(), year, month, issued_on, with_chart=with_chart,
                           chart_file=chart_file, form=form)  # fmt: skip


def intro(f: Filters) -> None:
    st.markdown(
        md(
            "生成 **{}年{}月** 的《民生工程月度考评情况通报》：摘要、县区和市直单位排名、"
            "进展滞后项目、加（扣）分情况。Word 版可直接修改后印发，Markdown 版便于粘贴到邮件或办公系统。"
            "换月份请用左侧的年份、月份。",
            f.year,
            f.month,
        )
    )


def document_settings(f: Filters) -> tuple[dt.date, bool, DocumentForm]:
    """落款日期, 文号 and the chart toggle: (issued_on, with_chart, form)."""
    form = office_form()
    left, middle, right = st.columns([1, 1, 2], vertical_alignment="bottom")
    issued_on = left.date_input(
        "落款日期",
        value=usual_issue_date(f.year, f.month, form.issue_day),
        key=f"bulletin_date_{f.year}_{f.month}",  # a new month starts from its own usual date
        format="YYYY-MM-DD",
        help="默认为通报的惯常日期：次月10日（可在配置 issue_date 中改日）",
    )
    number = middle.number_input(
        "文号序号", min_value=1, max_value=999, value=f.month, step=1, key=f"bulletin_no_{f.year}_{f.month}",
        help=md("文号：{}（默认为月份，即当年第几期通报）", form.doc_number(f.year, f.month)),
    )  # fmt: skip
    form = dataclasses.replace(form, number=int(number))
    with_chart = right.toggle(
        "插入“各县区完成率与序时进度”图（生成约需数秒）", key="bulletin_chart", value=False
    )
    return issued_on, with_chart, form


def downloads(f: Filters, doc: RenderedBulletin) -> None:
    for note in doc.notes:
        st.warning(escape_markdown(note), icon=":material/image_not_supported:")
    with st.container(horizontal=True, gap="small", key="bulletin_downloads"):
        layout.file_download(
            "下载 Word（.docx）",
            doc.docx,
            f"{doc.file_stem}.docx",
            key="bulletin_docx",
            icon=":material/description:",
            primary=True,
        )
        layout.file_download(
            "下载 Markdown（.md）",
            doc.markdown.encode("utf-8"),
            f"{doc.file_stem}.md",
            key="bulletin_md",
            icon=":material/article:",
        )
        if doc.chart_png:
            layout.file_download("下载插图（.png）", doc.chart_png, chart_file_name(f.year, f.month),
                                 key="bulletin_png", icon=":material/image:")  # fmt: skip


def preview(doc: RenderedBulletin, form: DocumentForm) -> None:
    """The Markdown text with its 文号 and 版记; the chart as an image instead of a file link."""
    st.subheader("预览")
    with st.container(border=True, key="bulletin_preview"):
        if doc.chart_png:
            st.image(doc.chart_png, caption="插图：各县区指标平均完成率与序时进度", width=720)
        st.markdown(write_markdown(doc.content, form=form))


def main() -> None:
    f = filters.current()
    if not auth.current_reach().whole:
        # The draft names every unit's lagging items: only for readers of the whole city. The menu
        # leaves this page out for units; this stops a direct link or a forged route as well.
        layout.empty_state(
            "月度通报草稿含全市各单位的事项，本账号不能查看。已印发的通报请向市民生办索取。"
        )
        return
    layout.page_header("月度通报", f, note="通报按全市范围，不受地区、责任单位、类别筛选影响")
    intro(f)
    issued_on, with_chart, form = document_settings(f)
    wh = data.warehouse()
    try:
        with st.spinner("正在生成通报…"):
            doc = rendered(str(wh.path), wh.version(), f.year, f.month, issued_on, with_chart, form)
    except NoDataForMonth:
        layout.empty_state(f"{f.year}年{f.month}月没有已导入的进度或考评数据，无法生成通报。")
        return
    downloads(f, doc)
    preview(doc, form)


main()
