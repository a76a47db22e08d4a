"""Downloads: CSV (UTF-8 with BOM, formula-injection safe) and .xlsx, plus Chinese headers.

A text cell that starts with = + - @, a tab or a carriage return is prefixed with ' in CSV, so
Excel shows it as text instead of running it as a formula; numbers stay numbers (−5 is a number,
the text "-5" is escaped). The .xlsx writes strings as strings (never formulas) and numbers with
formats: rates 0.0%, money #,##0.00.
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

# Chinese headers with units for the metrics frames' columns. Columns named `unit` mean 计量单位
# here; ranking frames use RANKING_LABELS, where `unit` is the ranked 单位.
COLUMN_LABELS: dict[str, str] = {
    "year": "年份",
    "month": "月份",
    "region": "地区",
    "project_code": "项目编号",
    "project_name": "项目名称",
    "indicator": "指标名称",
    "unit": "计量单位",
    "category": "类别",
    "department": "责任单位",
    "target": "年度目标",
    "actual": "累计完成",
    "completion_rate": "完成率",
    "planned_rate": "序时进度",
    "gap": "与序时进度差（百分比）",
    "gap_points": "落后序时进度（个百分点）",
    "is_lagging": "是否滞后",
    "severity": "滞后程度",
    "months_behind": "连续滞后月数",
    "city_average_rate": "全市平均完成率",
    "below_city_average": "低于全市平均",
    "n_regions": "地区数",
    "n_projects": "项目数",
    "n_indicators": "指标数",
    "n_lagging": "滞后项数",
    "budget": "计划投入（万元）",
    "arrived": "到位资金（万元）",
    "disbursed": "拨付资金（万元）",
    "arrived_rate": "到位率（到位÷计划）",
    "disbursed_rate": "拨付率（拨付÷到位）",
    "disbursed_budget_rate": "拨付占计划（拨付÷计划）",
    "item": "工程内容",
    "start_rate": "开工率",
    "finish_rate": "完工率",
    "start_indicator": "开工指标",
    "finish_indicator": "完工指标",
}
RANKING_LABELS: dict[str, str] = {
    "unit": "单位",
    "score": "当月得分",
    "rank": "当月排名",
    "cumulative_score": "累计得分",
    "cumulative_rank": "累计排名",
    "previous_rank": "上月排名",
    "rank_change": "名次变化",
    "adjustment": "加扣分",
    "note": "说明",
}

PERCENT_COLUMNS = frozenset(
    c for c in COLUMN_LABELS if c.endswith("_rate") or c == "gap"
) | frozenset(COLUMN_LABELS[c] for c in COLUMN_LABELS if c.endswith("_rate") or c == "gap")
MONEY_COLUMNS = frozenset({"budget", "arrived", "disbursed"}) | frozenset(
    COLUMN_LABELS[c] for c in ("budget", "arrived", "disbursed")
)


def display_frame(df: pd.DataFrame, columns: dict[str, str] | None = None) -> pd.DataFrame:
    """Keep and rename the columns named in `columns` (English → Chinese header), in its order.

    Columns the frame lacks are skipped, so one label dict serves several frames. Without
    `columns`, every column is kept in the frame's order and those COLUMN_LABELS knows are
    renamed (a funding_matrix keeps its project columns). True/False become 是/否; numbers stay
    numbers (format them with the xlsx export or the page's column config).
    """
    if columns is None:
        out = df.rename(columns=COLUMN_LABELS)
    else:
        keep = [c for c in columns if c in df.columns]
        out = df[keep].rename(columns={c: columns[c] for c in keep})
    for column in out.columns:
        if out[column].dtype == bool or str(out[column].dtype) == "boolean":
            out[column] = out[column].map({True: "是", False: "否"})
    return out.reset_index(drop=True)


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
    percent_columns: set[str] | None = None,
    money_columns: set[str] | None = None,
) -> bytes:
    """An .xlsx of the frame: bold header, frozen, rates as 0.0%, money as #,##0.00.

    Percent and money columns default to the known rate and amount columns (English names or
    their COLUMN_LABELS headers). Strings are written as strings, never as formulas.
    """
    percent = PERCENT_COLUMNS if percent_columns is None else percent_columns
    money = MONEY_COLUMNS if money_columns is None else money_columns
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
