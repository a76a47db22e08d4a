"""The 公文 form of the 通报 (GB/T 9704-2012): 文号, 红头, 抄送/印发 and the usual 落款 date.

The office's settings come from `[minsheng.bulletin]` in `.streamlit/secrets.toml` or from the
environment (MINSHENG_BULLETIN_*); the page and the CLI read them and hand a `DocumentForm` to
`render_bulletin`. Nothing here imports streamlit.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENV_PREFIX = "MINSHENG_BULLETIN_"
DEFAULT_DOC_PREFIX = "民生办"
# The 通报 is usually dated the 10th of the month after the report month (the office collects
# the month's figures in the first days, scores them, then issues the 通报).
USUAL_ISSUE_DAY = 10


@dataclass(frozen=True)
class DocumentForm:
    """What an office prints around the 通报's text; empty fields are left out of the document.

    doc_prefix: the short name before the year in the 文号 (X民生办〔2025〕6号).
    red_header: 发文机关标志, printed in red with the red line when set.
    cc: 抄送机关; issuer: 印发机关 (also the 落款 when set). Either one prints the 版记.
    issue_day: the day of the month after the report month the 通报 is usually dated.
    number: the 文号's number; None for the default, the report month (the Nth 通报 of the year).
    """

    doc_prefix: str = DEFAULT_DOC_PREFIX
    red_header: str = ""
    cc: tuple[str, ...] = ()
    issuer: str = ""
    issue_day: int = USUAL_ISSUE_DAY
    number: int | None = None

    def doc_number(self, year: int, month: int) -> str:
        """发文字号: 民生办〔2025〕6号 (六角括号, no 第, no leading zeros)."""
        return f"{self.doc_prefix}〔{year}〕{self.number or month}号"

    @property
    def has_record(self) -> bool:
        """版记 (抄送 / 印发) is printed when either is configured."""
        return bool(self.cc or self.issuer)

    @property
    def cc_text(self) -> str:
        """抄送：市委办，市政府办。 — 机关之间用逗号, the last followed by 句号."""
        return "抄送：" + "，".join(self.cc) + "。" if self.cc else ""

    def record_lines(self, default_issuer: str, date_text: str, gap: str) -> list[str]:
        """The 版记's lines: 抄送 (when set), then 印发机关 `gap` 印发日期印发. The 印发机关 is
        the one who signs (`signer`): with only 抄送 configured, the document's own."""
        issued = f"{signer(self, default_issuer)}{gap}{date_text}印发"
        return [self.cc_text, issued] if self.cc else [issued]


def signer(form: DocumentForm | None, default: str) -> str:
    """Who signs a document (落款, and its author): the configured 印发机关, else `default`,
    the document's own (the 通报's 市民生办, the 年度总结's 领导小组办公室)."""
    return (form.issuer if form is not None else "") or default


def usual_issue_date(year: int, month: int, day: int = USUAL_ISSUE_DAY) -> dt.date:
    """The 通报's usual date: `day` of the month after the report month (December → January)."""
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dt.date(year, month, max(1, min(day, 28)))


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _names(value: Any) -> tuple[str, ...]:
    """抄送 as a TOML list or one string separated by 、，, or ;."""
    if value is None:
        return ()
    if isinstance(value, str):
        for sep in ("、", "，", ";", "；"):
            value = value.replace(sep, ",")
        value = value.split(",")
    return tuple(n for n in (_text(v).rstrip("。") for v in value) if n)


def _day(value: Any) -> int:
    try:
        day = int(_text(value))
    except ValueError:
        return USUAL_ISSUE_DAY
    return day if 1 <= day <= 28 else USUAL_ISSUE_DAY


def read_form(section: Mapping[str, Any] | None, environ: Mapping[str, str]) -> DocumentForm:
    """`[minsheng.bulletin]` keys doc_prefix, red_header, cc, issuer, issue_date (the usual day
    of the month after, default 10); each falls back to MINSHENG_BULLETIN_<KEY> in `environ`."""
    section = section or {}

    def get(key: str) -> Any:
        value = section.get(key)
        return environ.get(ENV_PREFIX + key.upper()) if value in (None, "") else value

    return DocumentForm(
        doc_prefix=_text(get("doc_prefix")) or DEFAULT_DOC_PREFIX,
        red_header=_text(get("red_header")),
        cc=_names(get("cc")),
        issuer=_text(get("issuer")),
        issue_day=_day(get("issue_date")),
    )


def secrets_file_section(path: Path) -> Mapping[str, Any]:
    """`[minsheng.bulletin]` of a secrets.toml for the command line ({} when absent or unreadable)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}
    section = (data.get("minsheng") or {}).get("bulletin")
    return section if isinstance(section, Mapping) else {}
