"""Figures far out of scale (数量级): targets and budgets no report can mean, and readable
wording for them.

A 年度目标 of 1e15 or a 计划投入 of 9e307 is a typing or export slip, not a plan: it loads (the
contract refuses only impossible values) with a warning naming its place. Two bounds: an
absolute one that needs no history, and one against the largest figure the warehouse already
holds for the same indicator (年度目标) or project (计划投入): etl.writing.scale_warnings.
"""

from __future__ import annotations

import math

import numpy as np

HUGE_TARGET = 1e10  # 年度目标 in any unit: more than every person, household or 公里 of a province
HUGE_MONEY = 1e9  # 计划投入 in 万元: 10万亿元, above any province's whole budget
SCALE_FACTOR = 100  # a target or budget 100× the largest seen for its indicator or project
COMPLETION_WARN_RATE = 3.0  # 完成率 above 300% is possible (830% in seed 003) but worth a look
DISBURSED_TOLERANCE = 1e-9  # 拨付 above 到位 by more than float noise is worth a look
MAX_SHOWN_RATE = 100.0  # rates above 10000% are shown as "超过10000%", not in 300 digits
_LARGEST_SHOWN = 1e12


def readable(value: float) -> str:
    """A figure for a message, never in scientific notation nor hundreds of digits long."""
    if not math.isfinite(value) or abs(value) >= _LARGEST_SHOWN:
        return "超过1万亿" if value > 0 else "低于负1万亿"
    return f"{value:.4f}".rstrip("0").rstrip(".")


def rate_text(rate: float) -> str:
    """完成率 as a percentage; above MAX_SHOWN_RATE only the bound."""
    if not math.isfinite(rate) or rate > MAX_SHOWN_RATE:
        return f"超过{MAX_SHOWN_RATE:.0%}"
    return f"{rate:.0%}"


def huge_target_message(target: float) -> str:
    return f"年度目标（{readable(target)}）大得不合常理，请核实数值和计量单位"


def huge_money_message(budget: float) -> str:
    return f"计划投入（{readable(budget)}万元）大得不合常理，请核实数值和金额单位"


def completion_warning(done: float, goal: float) -> str:
    """完成率 above COMPLETION_WARN_RATE (both ways of reading word it so); 1e298
    reads "超过10000%", not 300 digits."""
    rate = done / goal
    if rate > MAX_SHOWN_RATE:
        return f"完成率{rate_text(rate)}，请核实年度目标和累计完成"
    return f"完成率{rate:.0%}超过{COMPLETION_WARN_RATE:.0%}，请核实年度目标和累计完成"


def disbursed_warning(paid: float, arrived: float) -> str:
    """拨付 above 到位, both in 万元."""
    if max(paid, arrived) >= 1e12:  # no 1e+300 in a clerk's message
        return f"拨付资金（{readable(paid)}万元）高于到位资金（{readable(arrived)}万元）"
    return f"拨付资金（{paid:g}万元）高于到位资金（{arrived:g}万元）"


def huge_positions(values: list, bound: float) -> list[int]:
    """Rows whose figure is above an absolute bound of etl.reading.magnitude (none in the usual file)."""
    return np.flatnonzero(np.array(values, dtype=float) > bound).tolist()  # None → NaN
