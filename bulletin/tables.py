"""Cell text of the 附件 tables, shared by the .docx and Markdown writers."""

from __future__ import annotations

import re

from bulletin.model import Adjustment, LaggingProject, fmt_adjustment
from metrics.format import MISSING, fmt_percent

_NUMBER = re.compile(r"^[+-]?\d[\d,]*(\.\d+)?%?$|^—$")

LAGGING_NOTE = "注：落后为序时进度减完成率（百分点）；标“*”的指标同时低于全市平均进度。"


def is_numeric_column(rows: list[tuple[str, ...]], index: int) -> bool:
    """A column of figures (or — for missing): right-aligned in both documents."""
    return bool(rows) and all(_NUMBER.match(row[index]) for row in rows)


def fmt_gap_points(value: float | None) -> str:
    """Points behind 序时进度 (metrics' gap_points, positive = behind): 35.0."""
    return MISSING if value is None else f"{value:.1f}"


def lagging_cells(projects: tuple[LaggingProject, ...]) -> list[tuple[str, ...]]:
    """One row per lagging 指标: 项目, 责任单位, 地区, 指标, 完成率, 序时进度, 落后."""
    rows = []
    for project in projects:
        for item in project.indicators:
            mark = "*" if item.below_city_average else ""
            rows.append(
                (
                    project.label,
                    project.department or MISSING,
                    item.region,
                    item.indicator + mark,
                    fmt_percent(item.completion_rate),
                    fmt_percent(item.planned_rate),
                    fmt_gap_points(item.gap_points),
                )
            )
    return rows


def adjustment_cells(adjustments: tuple[Adjustment, ...]) -> list[tuple[str, ...]]:
    """One row per unit with a 加扣分 or a reason: 类型, 单位, 加（扣）分, 原因."""
    return [
        (a.unit_type, a.unit, fmt_adjustment(a.adjustment), a.note or MISSING) for a in adjustments
    ]
