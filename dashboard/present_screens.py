"""The screens of 汇报模式, in meeting order: 总体进展 → 资金 → 滞后项目 → 县区排名 → 部门排名 →
督办逾期 (the last added at the end, so links to the first five keep their numbers).

Each screen lays out figures the metrics layer returns (via dashboard.data) for a 1920×1080
projector: a row of large headline figures and one chart, or a table in large type. Nothing is
computed here beyond choosing rows to show and formatting them for people. One module per
group of screens: dashboard.present_progress (1–3), present_rankings (4, 5), present_overdue (6);
what they share is dashboard.present_parts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dashboard.present_overdue import supervision_overdue
from dashboard.present_progress import LAGGING_ROWS as LAGGING_ROWS
from dashboard.present_progress import funding, lagging, overall
from dashboard.present_rankings import county_ranking, department_ranking
from dashboard.present_rankings import split_rows as split_rows
from metrics.filters import Filters


@dataclass(frozen=True)
class Screen:
    key: str
    title: str
    draw: Callable[[Filters], None]


SCREENS: tuple[Screen, ...] = (
    Screen("overall", "总体进展", overall),
    Screen("funding", "资金", funding),
    Screen("lagging", "滞后项目", lagging),
    Screen("county", "县区排名", county_ranking),
    Screen("department", "部门排名", department_ranking),
    Screen("overdue", "督办逾期", supervision_overdue),
)
