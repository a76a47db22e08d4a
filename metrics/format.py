"""Pure number formatting for people: percent with one decimal, 万元/亿元, percentage points.

Missing values (None, NaN) show as an em dash so a table never reads "nan".
"""

from __future__ import annotations

import math
import re

import pandas as pd

MISSING = "—"
WAN_PER_YI = 10_000.0  # 1 亿元 = 10,000 万元


def is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def fmt_percent(rate: float | None, decimals: int = 1) -> str:
    """A fraction as a percent: 0.4859 → '48.6%'."""
    if is_missing(rate):
        return MISSING
    return f"{float(rate) * 100:.{decimals}f}%"


def fmt_money_wan(amount_wan: float | None) -> str:
    """An amount in 万元: '1.23亿元' from 10,000 万元 on, else '12,345.6万元'."""
    if is_missing(amount_wan):
        return MISSING
    amount = float(amount_wan)
    if abs(amount) >= WAN_PER_YI:
        return f"{amount / WAN_PER_YI:,.2f}亿元"
    return f"{amount:,.1f}万元"


def fmt_points(points: float | None) -> str:
    """Percentage points: -10.2 → '-10.2个百分点'."""
    if is_missing(points):
        return MISSING
    text = f"{float(points):.1f}"
    if text == "-0.0":
        text = "0.0"
    return f"{text}个百分点"


def fmt_score(score: float | None) -> str:
    """A 考评 score at the sheets' precision: 1.498 → '1.498'."""
    if is_missing(score):
        return MISSING
    return f"{float(score):.3f}"


def fmt_rank_change(change: float | None) -> str:
    """Places moved since last month, positive = up: 2 → '↑2', -1 → '↓1', 0 → '—'."""
    if is_missing(change) or int(change) == 0:  # type: ignore[arg-type]
        return MISSING
    step = int(change)  # type: ignore[arg-type]
    return f"↑{step}" if step > 0 else f"↓{-step}"


# --- changes since last month, as the 总览 cards show them (None = no card delta) --------------


def fmt_points_change(change: float | None) -> str | None:
    """A change of a rate (fraction) in percentage points: 0.052 → '+5.2个百分点'."""
    if is_missing(change):
        return None
    text = f"{float(change) * 100:+.1f}"
    return f"{'+0.0' if text == '-0.0' else text}个百分点"


def fmt_money_change(change_wan: float | None) -> str | None:
    """A change of an amount in 万元, signed: -1234.5 → '-1,234.5万元'.

    An ASCII minus: Streamlit reads a leading '-' to draw the card's arrow down.
    """
    if is_missing(change_wan):
        return None
    change = float(change_wan)
    return ("+" if change >= 0 else "-") + fmt_money_wan(abs(change))


def fmt_count_change(change: float | None) -> int | None:
    if is_missing(change):
        return None
    return int(change)  # type: ignore[arg-type]


def fmt_schedule_gap(gap: float | None) -> str | None:
    """完成率 − 序时进度 (fraction) in words: 0.193 → '完成率领先19.3个百分点'."""
    if is_missing(gap):
        return None
    word = "领先" if float(gap) >= 0 else "落后"
    return f"完成率{word}{abs(float(gap)) * 100:.1f}个百分点"


def fmt_datetime(value: object) -> str:
    """A time as the pages show it: 2025-07-03 14:05; blank when missing."""
    return "" if is_missing(value) else f"{pd.Timestamp(value):%Y-%m-%d %H:%M}"


def project_labels(codes: pd.Series, names: pd.Series) -> pd.Series:
    """A project as charts and menus name it, "编号 名称": '4 四好农村路'."""
    return codes.astype(str) + " " + names.astype(str)


def project_sort_key(code: str) -> tuple:
    """Natural order of 项目编号: 4 < 12-1 < 12-2 < 13 (text '12-1' would sort before '4'); the
    in-memory twin of views.sql's `project_order` macro, for frames already fetched."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.split(r"[-－.]", str(code))
    )


def project_ranks(codes: pd.Series) -> pd.Series:
    """Each code's place in natural order (project_sort_key), worked out once per distinct code:
    a national list has ninety thousand rows but a few hundred codes (per row, 0.9 s a sort)."""
    distinct = sorted(codes.dropna().unique(), key=project_sort_key)
    return codes.map({code: place for place, code in enumerate(distinct)})


def in_project_order(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` sorted by its project_code in natural order (project_sort_key)."""
    return frame.sort_values("project_code", key=project_ranks, kind="stable")
