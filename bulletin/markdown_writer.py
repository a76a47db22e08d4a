"""The 通报 as Markdown: the same content as the .docx, for e-mail, chat and version control.

All content is plain text (names and reasons come from report files): every piece is escaped
(metrics.plain_text), and only the structure written here (headings, tables, lists) is Markdown.
"""

from __future__ import annotations

from bulletin.form import DocumentForm, signer
from bulletin.model import (
    ADJUSTMENT_HEADER,
    INDEX_NOTE,
    LAGGING_HEADER,
    BulletinContent,
    ranking_cells,
)
from bulletin.tables import LAGGING_NOTE, adjustment_cells, is_numeric_column, lagging_cells
from metrics.plain_text import Markdown, escape_markdown, md


def markdown_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    """A pipe table; columns of figures are right-aligned, text left-aligned."""
    lines = ["| " + " | ".join(escape_markdown(h) for h in header) + " |"]
    align = ["---:" if is_numeric_column(rows, i) else ":---" for i in range(len(header))]
    lines.append("|" + "|".join(align) + "|")
    lines += ["| " + " | ".join(escape_markdown(c) for c in row) + " |" for row in rows]
    return lines + [""]


def _masthead(content: BulletinContent, form: DocumentForm | None) -> list[str]:
    """标题, then the 文号 on its own line, as 公文 are shown on government websites; the
    发文机关标志 (红头), when set, above the title in bold."""
    if form is None:
        return [md("# {}", content.title), ""]
    red = [md("**{}**", form.red_header), ""] if form.red_header else []
    number = form.doc_number(content.year, content.month)
    return red + [md("# {}", content.title), "", escape_markdown(number), ""]


def _record(content: BulletinContent, form: DocumentForm | None) -> list[str]:
    """版记 below a rule: 抄送 and 印发机关 / 印发日期, when the office has set them."""
    if form is None or not form.has_record:
        return []
    record = form.record_lines(content.issuer, content.date_text, "　　")
    return ["---", "", *(md("{}  ", line) for line in record[:-1]), md("{}", record[-1]), ""]


def _cover_letter(content: BulletinContent, form: DocumentForm | None) -> list[str]:
    lines = _masthead(content, form) + [escape_markdown(content.salutation), ""]
    for paragraph in content.summary:
        lines += [escape_markdown(paragraph), ""]
    lines += ["附件：", ""]
    lines += [md("{}、{}  ", n, title) for n, title in enumerate(content.attachment_titles, 1)]
    lines += ["", md("{}  ", signer(form, content.issuer)), escape_markdown(content.date_text), ""]
    return lines


def _rankings(content: BulletinContent) -> list[str]:
    lines = [md("## 附件1　{}", content.attachment_titles[0]), ""]
    for caption, rows, by_scores in content.ranking_sections():
        lines += [md("### {}", caption), ""]
        if not rows:
            lines += [md("{}月份无{}考评数据。", content.month, caption[:-2]), ""]
            continue
        header = content.ranking_header(by_scores)
        lines += markdown_table(header, [ranking_cells(r) for r in rows])
        if not by_scores:
            lines += [escape_markdown(INDEX_NOTE), ""]
    return lines


def _lagging(content: BulletinContent) -> list[str]:
    lines = [md("## 附件2　{}", content.attachment_titles[1]), ""]
    if content.headline is None:
        return lines + [f"{content.month}月份无进度数据。", ""]
    if not content.lagging:
        return lines + [f"{content.month}月份各项目指标均达到序时进度。", ""]
    lines += markdown_table(LAGGING_HEADER, lagging_cells(content.lagging))
    return lines + [escape_markdown(LAGGING_NOTE), ""]


def _adjustments(content: BulletinContent) -> list[str]:
    lines = [md("## 附件3　{}", content.attachment_titles[2]), ""]
    if not content.adjustments:
        return lines + [f"{content.month}月份无加（扣）分。", ""]
    lines += markdown_table(ADJUSTMENT_HEADER, adjustment_cells(content.adjustments))
    return lines + ["注：加（扣）分已计入当月得分及排名。", ""]


def _supervision(content: BulletinContent) -> list[str]:
    if content.supervision is None:
        return []
    lines = [md("## 附件4　{}", content.attachment_titles[3]), ""]
    for caption, header, rows, empty in content.supervision_sections():
        lines += [md("### {}", caption), ""]
        lines += markdown_table(header, rows) if rows else [escape_markdown(empty), ""]
    return lines


def write_markdown(
    content: BulletinContent,
    *,
    chart_file: str | None = None,
    form: DocumentForm | None = None,
) -> Markdown:
    """The whole 通报 as Markdown text; `chart_file` (a PNG beside it) is linked under 附件2.
    With the office's `form`, the 文号 follows the title and the 版记 closes the text, as in
    the .docx; without it, the bare text."""
    lines = _cover_letter(content, form) + _rankings(content) + _lagging(content)
    if chart_file:
        lines += [f"![各县区完成率与序时进度]({chart_file})", ""]  # our own file name
    lines += _adjustments(content) + _supervision(content) + _record(content, form)
    return Markdown("\n".join(lines).rstrip("\n") + "\n")
