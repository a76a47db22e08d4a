"""One call for the app and the CLI: a month's 通报 as .docx bytes and Markdown text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from bulletin.content import build_content, county_progress
from bulletin.docx_writer import write_docx
from bulletin.form import DocumentForm
from bulletin.markdown_writer import write_markdown
from bulletin.model import BulletinContent

CHART_CAPTION = "图：各县区指标平均完成率与序时进度"


@dataclass(frozen=True)
class RenderedBulletin:
    """The documents of one month; `notes` says why a requested chart is missing (Chinese)."""

    content: BulletinContent
    docx: bytes
    markdown: str
    chart_png: bytes | None = None
    notes: tuple[str, ...] = ()

    @property
    def file_stem(self) -> str:
        """A download name: 2020年9月份民生工程月度考评情况通报."""
        return f"{self.content.year}年{self.content.title}"


def county_chart_png(wh: Any, year: int, month: int) -> tuple[bytes | None, str | None]:
    """The county completion vs 序时进度 chart as PNG, or (None, why not)."""
    from charts.png import BULLETIN, ChartExportError, county_progress_figure, export_png

    regions, completion, planned = county_progress(wh, year, month)
    if not regions:
        return None, "该月没有分县区的进度数据，通报中不插图。"
    try:
        return export_png(county_progress_figure(regions, completion, planned), BULLETIN), None
    except ChartExportError as exc:
        return None, f"{exc} 通报中不插图。"


def render_bulletin(
    wh: Any,
    year: int,
    month: int,
    issued_on: dt.date | None = None,
    *,
    with_chart: bool = False,
    chart_file: str | None = None,
    form: DocumentForm | None = None,
) -> RenderedBulletin:
    """Build and write the 通报 of (year, month); raises `NoDataForMonth` for an empty month.

    `issued_on` defaults to the 通报's usual date (`form.issue_day` of the month after); `form`
    is the office's 文号 prefix, 红头 and 版记 (bulletin.form.read_form). `chart_file` is the
    name the Markdown links the chart PNG under (the caller saves it there).
    """
    form = form or DocumentForm()
    content = build_content(wh, year, month, issued_on, form=form)
    png, note = county_chart_png(wh, year, month) if with_chart else (None, None)
    return RenderedBulletin(
        content=content,
        docx=write_docx(content, form=form, chart_png=png, chart_caption=CHART_CAPTION),
        markdown=write_markdown(content, chart_file=chart_file if png else None, form=form),
        chart_png=png,
        notes=(note,) if note else (),
    )
