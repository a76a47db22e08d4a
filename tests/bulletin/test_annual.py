"""年度总结 (.docx and its figures): a year with one finished project and one still going, funds
against plan; the document says the counts, names the unfinished indicator with its 责任单位, and
renders to PDF (LibreOffice, when installed) with its Chinese text."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from docx import Document

from bulletin.annual import write_annual_docx
from bulletin.form import DocumentForm
from metrics.annual import annual_summary
from metrics.db import Warehouse
from tests.metrics.conftest import build_db

ROWS = [
    # project 1 finished: both indicators at or above target (岗位 100/100, 见习 60/50)
    {"project_code": "1", "project_name": "就业创业", "indicator": "公益性岗位开发",
     "target": 100, "actual": 100, "department": "市人社局"},
    {"project_code": "1", "project_name": "就业创业", "indicator": "就业见习",
     "target": 50, "actual": 60, "department": "市人社局"},
    # project 13 still going: 完工 7 of 10 公里
    {"project_code": "13", "project_name": "农村公路", "indicator": "农村公路完工",
     "target": 10, "actual": 7, "unit": "公里", "department": "市交通局", "category": "工程类"},
]  # fmt: skip
FUNDS = [
    {"project_code": "1", "project_name": "就业创业", "budget": 600, "arrived": 500, "disbursed": 400},
    {"project_code": "13", "project_name": "农村公路", "budget": 400, "arrived": 300, "disbursed": 200},
]  # fmt: skip


@pytest.fixture
def summary(tmp_path):
    progress = [{**row, "year": 2025, "month": 12} for row in ROWS]
    funding = [{**row, "year": 2025, "month": 12} for row in FUNDS]
    wh = Warehouse(build_db(tmp_path / "minsheng.duckdb", progress, funding))
    return annual_summary(wh, 2025, 12)


def test_the_counts_and_the_unfinished_indicator(summary):
    assert (summary.n_projects, summary.n_finished, summary.n_going) == (2, 1, 1)
    [row] = summary.unfinished.itertuples()
    assert (row.indicator, row.department) == ("农村公路完工", "市交通局")
    assert row.completion_rate == pytest.approx(0.7)


def test_the_document_says_what_the_page_says(summary):
    document = Document(io.BytesIO(write_annual_docx(summary)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "2025年民生工程实施情况报告" in text
    assert "全市2项民生工程中，1项已完成年度目标任务，1项仍在推进。" in text
    # 到位 800 of 1,000 万元; 拨付 600: 60% of plan, 75% of what arrived
    assert "计划投入1,000.0万元，到位800.0万元（到位率80.0%），拨付600.0万元" in text
    assert "（占计划的60.0%，占到位的75.0%）" in text
    projects, unfinished, funds = document.tables
    cells = [[c.text for c in r.cells] for r in unfinished.rows]
    assert cells[1] == [
        "13 农村公路",
        "农村公路完工",
        "市交通局",
        "10公里",
        "7公里",
        "70.0%",
        "100.0%",
    ]
    assert [r.cells[5].text for r in projects.rows[1:]] == ["已完成", "推进中"]
    assert [c.text for c in funds.rows[1].cells][:3] == ["1,000.0万元", "800.0万元", "80.0%"]


def test_the_document_renders_to_pdf_with_its_chinese_text(summary, tmp_path):
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice 或 pdftotext 未安装")
    source = tmp_path / "年度总结.docx"
    source.write_bytes(write_annual_docx(summary))
    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    pdf = tmp_path / "年度总结.pdf"
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "1项已完成年度目标任务" in "".join(text.split())  # line breaks and spacing vary
    assert "市交通局" in text


def test_the_configured_issuer_signs_else_the_office(summary):
    def signed(form) -> tuple[str, str]:
        document = Document(io.BytesIO(write_annual_docx(summary, form=form)))
        last = [p.text for p in document.paragraphs if p.text.strip()][-1]
        return last, document.core_properties.author

    issuer = "示例市民生工程工作领导小组办公室"
    assert signed(DocumentForm(issuer=issuer)) == (issuer, issuer)
    assert signed(None) == ("市民生工程工作领导小组办公室",) * 2
