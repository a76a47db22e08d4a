"""年度总结 as a Word document, laid out like the 通报 (bulletin.docx_writer's styles and tables):
the summary paragraphs, the projects and whether each finished its annual target, the indicators
still going with their 责任单位, and the funds against plan."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

# The 通报's form (bulletin.docx_form, docx_tables) and paragraph helper serve this document too.
from bulletin.docx_form import setup_page, setup_styles
from bulletin.docx_tables import add_table
from bulletin.docx_writer import _body
from bulletin.form import DocumentForm, signer
from metrics.annual import AnnualSummary
from metrics.format import fmt_money_wan, fmt_percent

# Who signs without a configured issuer ([minsheng.bulletin] issuer, as the 通报 reads it).
DEFAULT_ISSUER = "市民生工程工作领导小组办公室"
PROJECT_HEADER = ("项目编号", "项目名称", "责任单位", "指标数", "已完成指标", "年度目标")
UNFINISHED_HEADER = ("项目", "指标", "责任单位", "年度目标", "累计完成", "完成率", "序时进度")
FUNDS_HEADER = ("计划投入", "到位资金", "到位率", "拨付资金", "拨付占计划", "拨付占到位")


def title(summary: AnnualSummary) -> str:
    return f"{summary.year}年民生工程实施情况报告"


def _number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def project_cells(summary: AnnualSummary) -> list[tuple[str, ...]]:
    return [
        (str(r.project_code), str(r.project_name), r.department or "—", str(r.n_indicators),
         str(r.n_done), r.status)
        for r in summary.projects.itertuples()
    ]  # fmt: skip


def unfinished_cells(summary: AnnualSummary) -> list[tuple[str, ...]]:
    rows = []
    for r in summary.unfinished.itertuples():
        unit = r.unit if isinstance(r.unit, str) else ""
        department = r.department if isinstance(r.department, str) else "—"
        rows.append(
            (f"{r.project_code} {r.project_name}", str(r.indicator), department,
             f"{_number(r.target)}{unit}", f"{_number(r.actual)}{unit}",
             fmt_percent(r.completion_rate), fmt_percent(r.planned_rate))
        )  # fmt: skip
    return rows


def funds_cells(summary: AnnualSummary) -> list[tuple[str, ...]]:
    f = summary.funds
    return [
        (fmt_money_wan(f["budget"]), fmt_money_wan(f["arrived"]), fmt_percent(f["arrived_rate"]),
         fmt_money_wan(f["disbursed"]), fmt_percent(f["disbursed_budget_rate"]),
         fmt_percent(f["disbursed_rate"]))
    ]  # fmt: skip


def signed_by(form: DocumentForm | None) -> str:
    """The 年度总结's 落款: the office's configured issuer (`form`, the 通报's; bulletin.form.
    read_form), else DEFAULT_ISSUER."""
    return signer(form, DEFAULT_ISSUER)


def write_annual_docx(summary: AnnualSummary, *, form: DocumentForm | None = None) -> bytes:
    issuer = signed_by(form)
    document = Document()
    setup_styles(document)
    setup_page(document)
    document.core_properties.title = title(summary)
    document.core_properties.author = issuer
    document.add_heading(title(summary), level=1)
    for paragraph in summary.sentences():
        _body(document, paragraph)
    document.add_heading("一、年度目标完成情况", level=2)
    _body(
        document,
        f"共{summary.n_projects}项，已完成年度目标{summary.n_finished}项，"
        f"仍在推进{summary.n_going}项（项目的全部指标完成率均达到100%即为完成）。",
    )
    if summary.n_projects:
        add_table(document, PROJECT_HEADER, project_cells(summary))
    document.add_heading("二、仍在推进的项目及原因", level=2)
    if summary.unfinished.empty:
        _body(document, "各项目指标均已完成年度目标任务。")
    else:
        _body(
            document,
            "以下指标尚未达到年度目标，按完成率由低到高排列，请责任单位说明原因并加快推进。",
        )
        add_table(document, UNFINISHED_HEADER, unfinished_cells(summary))
    document.add_heading("三、资金执行情况", level=2)
    add_table(document, FUNDS_HEADER, funds_cells(summary))
    document.add_paragraph()
    _body(document, issuer, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
