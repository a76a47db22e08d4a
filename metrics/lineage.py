"""数据溯源: from a figure back to the row it was loaded from, and its history month by month.

A figure on any page is one current row of progress_report (进度: year, month, region,
project_code, indicator) or funding_report (资金: year, month, region, project_code). Its source
is the file, sheet and spreadsheet row of that row, with the load's id, time and loader. Its
history lists every month of the year: the current value and file, and each earlier row of the
month that a later file replaced, as a sentence ("6月数据于7月3日被《X.xlsx》（张三导入）替换").
Replaced rows are kept by the loader (superseded_by), so nothing here is reconstructed.
"""

from __future__ import annotations

import pandas as pd

from metrics.db import Warehouse
from metrics.filters import Filters
from metrics.format import fmt_percent
from warehouse.model import DEMO_LOADED_BY

SOURCE_COLUMNS = [
    "source_file", "source_sheet", "source_row", "load_id", "loaded_at", "loaded_by",
]  # fmt: skip
PROGRESS_VALUES = ["target", "actual", "completion_rate"]
FUNDING_VALUES = ["budget", "arrived", "disbursed", "arrived_rate", "disbursed_rate"]
HISTORY_TAIL = [*SOURCE_COLUMNS, "replacement", "n_replaced"]
# loaded_by as the loader records it: 'cli' and 'demo' are not people
LOADER_NAMES = {"cli": "命令行", DEMO_LOADED_BY: "示例数据"}
ITEM_KEYS = ["region", "project_code", "project_name", "indicator", "unit", "department"]


def loader_name(loaded_by: object) -> str:
    if loaded_by is None or pd.isna(loaded_by) or not str(loaded_by).strip():
        return "未记录"
    return LOADER_NAMES.get(str(loaded_by), str(loaded_by))


def _day(when: object, year: int) -> str:
    """7月3日, or 2026年1月3日 when the load was in another year than the data's."""
    stamp = pd.Timestamp(when)
    prefix = "" if stamp.year == year else f"{stamp.year}年"
    return f"{prefix}{stamp.month}月{stamp.day}日"


def _place(row) -> str:
    sheet = row.source_sheet if isinstance(row.source_sheet, str) else "-"
    line = "-" if pd.isna(row.source_row) else int(row.source_row)
    return f"《{row.source_file}》{sheet}表第{line}行"


def replacement_sentence(row, values: str) -> str:
    """One replaced row as people say it, with what it said before it was replaced."""
    return (
        f"{int(row.month)}月数据于{_day(row.replaced_at, int(row.year))}被《{row.replaced_by_file}》"
        f"（{loader_name(row.replaced_by_user)}导入）替换；原为{_place(row)}：{values}"
    )


def _progress_values(row) -> str:
    unit = row.unit if isinstance(row.unit, str) else ""
    return (
        f"累计完成 {row.actual:g}{unit}，年度目标 {row.target:g}{unit}，"
        f"完成率 {fmt_percent(row.completion_rate)}。"
    )


def _funding_values(row) -> str:
    return f"计划投入 {row.budget:g}万元，到位 {row.arrived:g}万元，拨付 {row.disbursed:g}万元。"


def _history(rows: pd.DataFrame, values: list[str], describe) -> pd.DataFrame:
    """One row per month: the current row's values and source, and the replaced rows' sentences.
    A month whose rows were all replaced without a successor (a later file of the region left
    the item out) keeps its sentences with no current value."""
    keys = [c for c in ITEM_KEYS if c in rows.columns]
    out = []
    for month, group in rows.groupby("month", sort=True):
        current = group[group["is_current"].astype(bool)]
        replaced = group[~group["is_current"].astype(bool)].sort_values("superseded_by")
        base = current.iloc[0] if not current.empty else group.iloc[-1]
        record = {"month": int(month), **{k: base[k] for k in keys}}
        for name in [*values, *SOURCE_COLUMNS]:
            record[name] = base[name] if not current.empty else None
        record["loaded_by"] = loader_name(record["loaded_by"]) if not current.empty else None
        sentences = [replacement_sentence(r, describe(r)) for r in replaced.itertuples()]
        record["replacement"] = "\n".join(sentences)
        record["n_replaced"] = len(sentences)
        out.append(record)
    columns = ["month", *keys, *values, *HISTORY_TAIL]
    return pd.DataFrame(out, columns=columns)


def _source(rows: pd.DataFrame, month: int, values: list[str]) -> pd.DataFrame:
    keys = [c for c in ITEM_KEYS if c in rows.columns]
    current = rows[(rows["month"] == month) & rows["is_current"].astype(bool)]
    frame = current[["year", "month", *keys, *values, *SOURCE_COLUMNS]].reset_index(drop=True)
    frame["loaded_by"] = frame["loaded_by"].map(loader_name)
    return frame


def _progress_rows(wh: Warehouse, year: int, region, project_code, indicator) -> pd.DataFrame:
    params = {
        "year": int(year), "region": region, "project_code": str(project_code),
        "indicator": indicator,
    }  # fmt: skip
    return wh.query("lineage_progress", params)


def _funding_rows(wh: Warehouse, year: int, region, project_code) -> pd.DataFrame:
    params = {"year": int(year), "region": region, "project_code": str(project_code)}
    return wh.query("lineage_funding", params)


def item_source(
    wh: Warehouse, year: int, month: int, region: str, project_code: str, indicator: str
) -> pd.DataFrame:
    """The current 进度 row of the item in the month (0 or 1 row): its values, source_file,
    source_sheet, source_row, load_id, loaded_at and loaded_by (a person's name, 命令行, 示例数据)."""
    rows = _progress_rows(wh, year, region, project_code, indicator)
    return _source(rows, int(month), PROGRESS_VALUES)


def item_history(
    wh: Warehouse, year: int, region: str, project_code: str, indicator: str
) -> pd.DataFrame:
    """The item month by month: target, actual, completion_rate, the file each month came from,
    `replacement` (one sentence per replaced row of the month, newline-separated) and n_replaced."""
    rows = _progress_rows(wh, year, region, project_code, indicator)
    return _history(rows, PROGRESS_VALUES, _progress_values)


def funding_source(
    wh: Warehouse, year: int, month: int, region: str, project_code: str
) -> pd.DataFrame:
    """The current 资金 row of the project in the region and month (0 or 1 row), as item_source."""
    return _source(_funding_rows(wh, year, region, project_code), int(month), FUNDING_VALUES)


def funding_history(wh: Warehouse, year: int, region: str, project_code: str) -> pd.DataFrame:
    """The project's funding in the region month by month, as item_history."""
    rows = _funding_rows(wh, year, region, project_code)
    return _history(rows, FUNDING_VALUES, _funding_values)


def lineage_items(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """The month's region × indicator items of the filtered view, to pick one to trace: region,
    project_code, project_name, indicator, department (in the 进度 page's order)."""
    params = {**f.params(), "project_code": None, "only_lagging": False}
    rows = wh.query("region_items", params)
    return rows[ITEM_KEYS].drop_duplicates().reset_index(drop=True)
