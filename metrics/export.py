"""Downloads: CSV (UTF-8 with BOM, formula-injection safe) and .xlsx, plus Chinese headers.

A text cell that starts with = + - @, a tab or a carriage return is prefixed with ' in CSV, so
Excel shows it as text instead of running it as a formula; numbers stay numbers (−5 is a number,
the text "-5" is escaped).

A text cell that Excel would read as a number or a date (project codes 12-1 and 18-3 become
1 December and 18 March; 007 loses its zeros) gets an invisible leading tab in CSV. Excel's CSV
import types a field as a number or date only when the field starts like one; a field starting
with a tab is text, and the tab stays inside the cell, unseen. Other ways were weighed: quoting
does not help (Excel converts "12-1" too); ="12-1" is a formula, which our formula escaping
exists to keep out of files; a leading ' shows in the cell when Excel opens a CSV. The tab is
added after the formula escaping and only before digits and date punctuation, so it can never
start a formula. A plain whole number (33) is left bare: Excel shows its number the same.

The .xlsx writes strings as strings (never formulas), so 12-1 is text there without any guard;
numbers get formats: the caller names its rate columns (fractions, 0.0%), its percent columns
already ×100 (0.0"%"), and money (#,##0.00). The header row is bold, frozen and filtered.
"""

from __future__ import annotations

import io
import math
import numbers
import re
import unicodedata

import pandas as pd
import xlsxwriter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
PERCENT_FORMAT = "0.0%"
SHOWN_PERCENT_FORMAT = '0.0"%"'  # 50.0 shows as 50.0%: the value is already ×100
MONEY_FORMAT = "#,##0.00"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
TEXT_GUARD = "\t"
# Text Excel would turn into a number, date or time: digits with only the characters of
# numbers (sign . , % e), dates and times (- / : and 年 月 日 时 分 秒) and spaces between.
# 12-1, 18-3, 2025/5/1, 0012, 1.50, 1e5, 3%, 12:30, 5月1日. "1号楼" or "A-12" stay as they are.
_EXCEL_CONVERTS = re.compile(r"[\s+\-.,%eE/:年月日时分秒]*\d[\d\s+\-.,%eE/:年月日时分秒]*")
# A plain whole number (33, a row number) looks the same as Excel's number: no guard needed,
# and files read by other tools stay clean. Leading zeros and 16+ digits are guarded.
_SAME_AS_NUMBER = re.compile(r"0|[1-9]\d{0,14}")


def escape_formula(value: object) -> object:
    """'=1+2' → "'=1+2"; any non-text value is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def excel_text(value: object) -> object:
    """A text cell as Excel should read it from a CSV: formula-escaped, and a number- or
    date-like text (12-1, 007) behind an invisible tab so it stays text. Non-text unchanged."""
    escaped = escape_formula(value)
    if (
        escaped is value
        and isinstance(value, str)
        and _EXCEL_CONVERTS.fullmatch(value)
        and not _SAME_AS_NUMBER.fullmatch(value)
    ):
        return TEXT_GUARD + value
    return escaped


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with BOM (Excel on Chinese Windows opens it right), formula-safe text,
    codes like 12-1 kept as text (see the module's note)."""
    safe = df.copy()
    safe.columns = [excel_text(str(c)) for c in safe.columns]
    for column in safe.columns:
        series = safe[column]
        if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            safe[column] = series.map(excel_text, na_action="ignore")
    # 12 significant digits: 0.1 + 0.2 reads 0.3, and 万元 amounts keep their cents.
    text = safe.to_csv(index=False, lineterminator="\r\n", float_format="%.12g")
    return text.encode("utf-8-sig")


def _sheet_title(name: str) -> str:
    return _BAD_SHEET_CHARS.sub("_", name)[:31] or "数据"


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def _display_width(value: object) -> int:
    """Characters as Excel's column width counts them: a Chinese character takes two."""
    text = str(value)
    return len(text) + sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")


def _column_width(title: str, values: list, kind: str | None) -> float:
    widest = max((_display_width(v) for v in values[:WIDTH_SAMPLE] if v is not None), default=0)
    if kind in ("money", "percent", "shown_percent"):
        widest += 3  # thousands separators, % sign
    # The header wraps (text_wrap), so it needs about half its length; +2 for the filter arrow.
    return min(max(widest + 2, _display_width(title) / 2 + 3, 8), 40)


WIDTH_SAMPLE = 500  # rows looked at to size a column: enough, and fast for long tables


def to_xlsx_bytes(
    df: pd.DataFrame,
    sheet_name: str = "数据",
    *,
    percent_columns: set[str] | frozenset[str] = frozenset(),
    shown_percent_columns: set[str] | frozenset[str] = frozenset(),
    money_columns: set[str] | frozenset[str] = frozenset(),
) -> bytes:
    """An .xlsx of the frame: bold, frozen header row with filters, columns sized to their
    text, `percent_columns` (fractions) as 0.0%, `shown_percent_columns` (already ×100) as
    0.0"%" and `money_columns` as #,##0.00 (by header). Strings are written as strings, never
    as formulas.
    """
    percent, shown_percent, money = percent_columns, shown_percent_columns, money_columns
    buffer = io.BytesIO()
    options = {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
    }
    with xlsxwriter.Workbook(buffer, options) as book:
        sheet = book.add_worksheet(_sheet_title(sheet_name))
        header = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        formats = {
            "percent": book.add_format({"num_format": PERCENT_FORMAT}),
            "shown_percent": book.add_format({"num_format": SHOWN_PERCENT_FORMAT}),
            "money": book.add_format({"num_format": MONEY_FORMAT}),
        }
        for col, name in enumerate(df.columns):
            title = str(name)
            sheet.write_string(0, col, title, header)
            kind = (
                "percent" if title in percent
                else "shown_percent" if title in shown_percent
                else "money" if title in money
                else None
            )  # fmt: skip
            values = df[name].tolist()
            cell_format = formats.get(kind)
            sheet.set_column(col, col, _column_width(title, values, kind), cell_format)
            for row, value in enumerate(values, start=1):
                _write_cell(sheet, row, col, value, cell_format)
        sheet.freeze_panes(1, 0)
        if len(df.columns):
            sheet.autofilter(0, 0, len(df), len(df.columns) - 1)
    return buffer.getvalue()


def _write_cell(sheet, row: int, col: int, value: object, cell_format) -> None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        sheet.write_blank(row, col, None, cell_format)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif _is_number(value):
        sheet.write_number(row, col, float(value), cell_format)
    else:
        sheet.write_string(row, col, str(value))
