"""Downloads: CSV (UTF-8 with BOM, formula-injection safe) and .xlsx, plus Chinese headers.

A text cell that starts with = + - @, a tab or a carriage return is prefixed with ' in CSV, so
Excel shows it as text instead of running it as a formula; numbers stay numbers (−5 is a number,
the text "-5" is escaped). The .xlsx writes strings as strings (never formulas) and numbers with
formats: the caller names its rate (0.0%) and money (#,##0.00) columns.
"""

from __future__ import annotations

import io
import math
import numbers
import re

import pandas as pd
import xlsxwriter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
PERCENT_FORMAT = "0.0%"
MONEY_FORMAT = "#,##0.00"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def escape_formula(value: object) -> object:
    """'=1+2' → "'=1+2"; any non-text value is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with BOM (Excel on Chinese Windows opens it right), formula-safe text."""
    safe = df.copy()
    safe.columns = [escape_formula(str(c)) for c in safe.columns]
    for column in safe.columns:
        series = safe[column]
        if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            safe[column] = series.map(escape_formula, na_action="ignore")
    # 12 significant digits: 0.1 + 0.2 reads 0.3, and 万元 amounts keep their cents.
    text = safe.to_csv(index=False, lineterminator="\r\n", float_format="%.12g")
    return text.encode("utf-8-sig")


def _sheet_title(name: str) -> str:
    return _BAD_SHEET_CHARS.sub("_", name)[:31] or "数据"


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def to_xlsx_bytes(
    df: pd.DataFrame,
    sheet_name: str = "数据",
    *,
    percent_columns: set[str] | frozenset[str] = frozenset(),
    money_columns: set[str] | frozenset[str] = frozenset(),
) -> bytes:
    """An .xlsx of the frame: bold header, frozen, `percent_columns` as 0.0% and
    `money_columns` as #,##0.00 (by header). Strings are written as strings, never as formulas.
    """
    percent, money = percent_columns, money_columns
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
            "money": book.add_format({"num_format": MONEY_FORMAT}),
        }
        for col, name in enumerate(df.columns):
            title = str(name)
            sheet.write_string(0, col, title, header)
            kind = "percent" if title in percent else "money" if title in money else None
            sheet.set_column(col, col, min(max(len(title) * 2, 10), 40), formats.get(kind))
            cell_format = formats.get(kind)
            for row, value in enumerate(df[name].tolist(), start=1):
                _write_cell(sheet, row, col, value, cell_format)
        sheet.freeze_panes(1, 0)
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
