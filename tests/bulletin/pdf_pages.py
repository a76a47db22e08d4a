"""The 通报 rendered by LibreOffice and read back with poppler: pages, and where table text sits.

Helpers for test_pdf_pages (no test here). A cell is looked for in its own column: words are
put into the table's columns by their x position (the tables have fixed widths) and read top
to bottom, so a name wrapped over three lines reads as one string.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

XHTML = "{http://www.w3.org/1999/xhtml}"
MM = 72 / 25.4  # PDF points per millimetre
LEFT_MARGIN_MM = 28


def tools_missing() -> str | None:
    """Why the PDF tests cannot run here, or None."""
    for tool in ("libreoffice", "pdftotext"):
        if shutil.which(tool) is None:
            return f"没有 {tool}（Debian: libreoffice-writer-nogui, poppler-utils）"
    return None


def to_pdf(docx: Path) -> Path:
    """LibreOffice headless conversion; its own profile dir so parallel runs do not collide."""
    profile = docx.parent / "lo-profile"
    subprocess.run(
        ["libreoffice", f"-env:UserInstallation=file://{profile}", "--headless",
         "--convert-to", "pdf", "--outdir", str(docx.parent), str(docx)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    return docx.with_suffix(".pdf")


@dataclass(frozen=True)
class Word:
    text: str
    x: float  # centre, points from the page's left edge
    y: float  # top, points from the page's top edge


def page_words(pdf: Path) -> list[list[Word]]:
    """Words of each page (pdftotext -bbox)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", html))
    return [
        [Word(w.text or "", (float(w.get("xMin")) + float(w.get("xMax"))) / 2,
              float(w.get("yMin"))) for w in page.iter(f"{XHTML}word")]
        for page in root.iter(f"{XHTML}page")
    ]  # fmt: skip


def page_texts(pages: list[list[Word]]) -> list[str]:
    """All text of each page, whitespace dropped, in reading order."""
    return [
        "".join(w.text for w in sorted(page, key=lambda w: (round(w.y), w.x))) for page in pages
    ]


def column_texts(page: list[Word], widths_mm: tuple[float, ...]) -> list[str]:
    """The page's text in each table column (x between the column's borders), top to bottom."""
    edges = [LEFT_MARGIN_MM * MM]
    for width in widths_mm:
        edges.append(edges[-1] + width * MM)
    columns = []
    for left, right in zip(edges, edges[1:], strict=False):
        words = sorted((w for w in page if left < w.x < right), key=lambda w: (round(w.y), w.x))
        columns.append("".join(w.text for w in words))
    return columns


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def split_rows(
    pages: list[list[Word]], rows: list[list[str]], widths_mm: tuple[float, ...]
) -> list[list[str]]:
    """Rows of a table that no single page shows whole: on every page at least one of the row's
    cells is missing from its column (a row broken over two pages has a cell in two parts)."""
    per_page = [column_texts(page, widths_mm) for page in pages]
    broken = []
    for row in rows:
        cells = [squeeze(c) for c in row]
        if not any(all(c in col for c, col in zip(cells, cols, strict=True)) for cols in per_page):
            broken.append(row)
    return broken
