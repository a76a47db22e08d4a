"""Pure number formatting for people: percent with one decimal, 万元/亿元, percentage points.

Missing values (None, NaN) show as an em dash so a table never reads "nan".
"""

from __future__ import annotations

import math

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


def fmt_number(value: float | None, decimals: int = 0) -> str:
    """A count or quantity with thousands separators: 1264.983 → '1,265' (decimals=0)."""
    if is_missing(value):
        return MISSING
    return f"{float(value):,.{decimals}f}"


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
