"""资金: 计划投入, 到位资金, 拨付资金 (万元) with both 拨付 rates, by project, by region, and as a
region × project matrix. All levels come from one grouped query, so they always add up.

Rates: arrived_rate = 到位 ÷ 计划 (到位率); disbursed_rate = 拨付 ÷ 到位 (拨付率, the usual one);
disbursed_budget_rate = 拨付 ÷ 计划 (seed 003's "占计划的73.25%"). NaN where the denominator is 0.
planned_rate is the 序时进度: a project's own plan (else month / 12); for a group of projects the
budget-weighted mean, i.e. the share of the group's planned funds due by the month end.
"""

from __future__ import annotations

import pandas as pd

from metrics.config import CITY_LABEL
from metrics.db import Warehouse
from metrics.filters import Filters
from metrics.format import project_labels

AMOUNTS = ["budget", "arrived", "disbursed"]
RATES = ["arrived_rate", "disbursed_rate", "disbursed_budget_rate", "planned_rate"]
PROJECT_COLUMNS = [
    "project_code", "project_name", "project_label", "department", "category", *AMOUNTS, *RATES, "n_regions",
]  # fmt: skip
REGION_COLUMNS = ["region", *AMOUNTS, *RATES, "n_projects"]
MATRIX_VALUES = (*AMOUNTS, *RATES)


def funding_levels(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """All grouping levels of the month's funding (flags all_regions, all_projects)."""
    return wh.query("funding", f.params())


def _level(levels: pd.DataFrame, *, all_regions: bool, all_projects: bool) -> pd.DataFrame:
    mask = (levels["all_regions"] == all_regions) & (levels["all_projects"] == all_projects)
    # Grouping sets return one empty-group row even without data; it carries no funds.
    return levels[mask & (levels["n_rows"] > 0)].reset_index(drop=True)


def funding_by_project(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """One row per project, summed over the filtered regions, in project-number order;
    project_label is "编号 名称"."""
    rows = _project_rows(funding_levels(wh, f))
    return rows[PROJECT_COLUMNS].astype({"n_regions": int})


def _project_rows(levels: pd.DataFrame) -> pd.DataFrame:
    rows = _level(levels, all_regions=True, all_projects=False)
    return rows.assign(project_label=project_labels(rows["project_code"], rows["project_name"]))


def funding_by_region(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """One row per region, summed over the filtered projects."""
    rows = _level(funding_levels(wh, f), all_regions=False, all_projects=True)
    return rows[REGION_COLUMNS].astype({"n_projects": int})


def funding_total(wh: Warehouse, f: Filters) -> dict[str, float | None]:
    """The filtered view's totals: budget, arrived, disbursed and the rates (None when empty)."""
    rows = _level(funding_levels(wh, f), all_regions=True, all_projects=True)
    if rows.empty:
        return {name: (0.0 if name in AMOUNTS else None) for name in (*AMOUNTS, *RATES)}
    first = rows.iloc[0]
    return {
        name: (None if pd.isna(first[name]) else float(first[name])) for name in (*AMOUNTS, *RATES)
    }


def funding_matrix(
    wh: Warehouse, f: Filters, value: str = "disbursed_budget_rate", *, with_total: bool = True
) -> pd.DataFrame:
    """Region × project table of one figure (县区×项目).

    Rows: a `region` column, one row per region, then a 全市 row (Σ over the regions, rates as
    Σ ÷ Σ) when `with_total`. Columns: one per project, labelled "编号 名称", in project order.
    A region without the project is NaN.
    """
    if value not in MATRIX_VALUES:
        raise ValueError(f"value must be one of {MATRIX_VALUES}, got {value!r}")
    levels = funding_levels(wh, f)
    cells = _level(levels, all_regions=False, all_projects=False)
    projects = _project_rows(levels)
    labels = dict(zip(projects["project_code"], projects["project_label"], strict=True))
    if cells.empty:
        return pd.DataFrame(columns=["region"])
    table = cells.pivot(index="region", columns="project_code", values=value)
    if with_total:
        table.loc[CITY_LABEL] = projects.set_index("project_code")[value]
    table = table.reindex(columns=list(labels)).rename(columns=labels)
    table.columns.name = None
    return table.rename_axis("region").reset_index()
