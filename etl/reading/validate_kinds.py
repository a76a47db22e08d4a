"""The per-kind checkers (校验) of etl.reading.validate: one function per sheet kind, in CHECKERS."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from etl.model import CATEGORIES, UNIT_TYPES, SheetKind
from etl.reading.columns import fast_choice, fast_code, fast_int, floats, positions
from etl.reading.magnitude import (
    COMPLETION_WARN_RATE,
    DISBURSED_TOLERANCE,
    HUGE_MONEY,
    HUGE_TARGET,
    completion_warning,
    disbursed_warning,
    huge_money_message,
    huge_positions,
    huge_target_message,
)
from etl.reading.normalise import parse_choice, parse_code
from etl.reading.validate_context import YEAR_RANGE, CheckContext, parse_category, parse_year

MONTH_FIELDS = tuple(f"m{m}" for m in range(1, 13))


def _progress(ctx: CheckContext) -> None:
    ctx.year_month()
    ctx.clean_names(
        "region", "project_name", "indicator", "project_code", "unit", "department", "category"
    )
    for name in ("region", "project_name", "indicator"):
        ctx.text(name, required=True)
    ctx.convert("project_code", parse_code, required=True, fast=fast_code)
    target = ctx.number("target", required=True)
    actual = ctx.number("actual", required=True)
    ctx.check_above("target", target, 0, "应大于0，实际为“{}”")
    ctx.check_at_least("actual", actual, 0, "不能为负数")
    for pos in huge_positions(target, HUGE_TARGET):
        ctx.warn(pos, "target", huge_target_message(target[pos]))
    ctx.text("unit", required=False)
    ctx.text("department", required=False)
    categories = ctx.convert(
        "category", parse_category, required=False, fast=fast_choice(CATEGORIES)
    )
    ctx.result.values["category"] = [c or "其他" for c in categories]
    goals, done_values = floats(target), floats(actual)
    with np.errstate(divide="ignore", invalid="ignore"):
        high = (goals > 0) & (done_values / goals > COMPLETION_WARN_RATE)
    for pos in positions(high):  # the usual file has none: the exact test runs on the few
        goal, done = target[pos], actual[pos]
        if goal and done is not None and goal > 0 and done / goal > COMPLETION_WARN_RATE:
            ctx.warn(pos, "actual", completion_warning(done, goal))


def _funding(ctx: CheckContext) -> None:
    ctx.year_month()
    ctx.clean_names("region", "project_name", "project_code")
    for name in ("region", "project_name"):
        ctx.text(name, required=True)
    ctx.convert("project_code", parse_code, required=True, fast=fast_code)
    money = {}
    for name in ("budget", "arrived", "disbursed"):
        money[name] = ctx.number(name, required=True, scale=ctx.header.scale.get(name, 1.0))
        ctx.check_at_least(name, money[name], 0, "不能为负数")
    for pos in huge_positions(money["budget"], HUGE_MONEY):
        ctx.warn(pos, "budget", huge_money_message(money["budget"][pos]))
    above = floats(money["disbursed"]) > floats(money["arrived"]) + DISBURSED_TOLERANCE
    for pos in positions(above):
        arrived, paid = money["arrived"][pos], money["disbursed"][pos]
        if arrived is not None and paid is not None and paid > arrived + DISBURSED_TOLERANCE:
            ctx.warn(pos, "disbursed", disbursed_warning(paid, arrived))


def _scores(ctx: CheckContext) -> None:
    ctx.year_month()
    ctx.clean_names("unit_type", "unit")
    ctx.convert(
        "unit_type",
        lambda v: parse_choice(v, UNIT_TYPES, label="对象类型"),
        required=True,
        fast=fast_choice(UNIT_TYPES),
    )
    ctx.text("unit", required=True)
    ctx.number("base_score", required=True)
    adjustment = ctx.number("adjustment", required=False)
    ctx.result.values["adjustment"] = [0.0 if a is None else a for a in adjustment]
    ctx.text("note", required=False)


def _schedule(ctx: CheckContext) -> None:
    ctx.convert("year", parse_year, required=True, fast=fast_int(*YEAR_RANGE))
    ctx.clean_names("project_code", "category")
    codes = ctx.convert("project_code", parse_code, required=False, fast=fast_code)
    categories = ctx.convert(
        "category", parse_category, required=False, fast=fast_choice(CATEGORIES)
    )
    for pos, (code, category) in enumerate(zip(codes, categories, strict=True)):
        if code is None and category is None and pos not in ctx.bad:
            ctx.error(pos, "project_code", "项目编号和类别不能都为空：计划须对应一个项目或一个类别")
    months = [ctx.number(name, required=True, percent=True) for name in MONTH_FIELDS]
    _schedule_percent(ctx, months)
    for pos in range(len(ctx.kept)):
        previous = None
        for month, name in enumerate(MONTH_FIELDS, start=1):
            value = months[month - 1][pos]
            if value is None:
                continue
            if not 0 <= value <= 100:
                ctx.error(pos, name, f"序时进度应在0到100之间（百分数），实际为“{value:g}”")
            elif previous is not None and value < previous[1]:
                ctx.error(pos, name, f"不能低于上月（{previous[0]}月为{previous[1]:g}）")
            previous = (month, value)
    for name, values in zip(MONTH_FIELDS, months, strict=True):
        ctx.result.values[name] = values


def _schedule_percent(ctx: CheckContext, months: list[list]) -> None:
    """Number cells Excel shows as percentages hold fractions (0.5 shown as 50%): scale ×100.

    With the sheet's number formats (openpyxl) exactly those cells are scaled. Without them
    (formats unreadable) a row whose twelve numeric values are all ≤ 1 is taken as fractions:
    a real plan in percent never stays at or below 1% all year.
    """
    cells = ctx.percent_cells
    cols = [ctx.header.index[name] for name in MONTH_FIELDS]
    for pos, (number, row) in enumerate(zip(ctx.numbers, ctx.kept, strict=True)):
        numeric = [
            i
            for i, col in enumerate(cols)
            if col < len(row) and type(row[col]) in (float, int) and months[i][pos] is not None
        ]
        if cells is None:
            scale = numeric and all(
                months[i][pos] <= 1 for i in range(12) if months[i][pos] is not None
            )
            chosen = numeric if scale else []
        else:
            chosen = [i for i in numeric if (number - 1, cols[i]) in cells]
        for i in chosen:
            months[i][pos] = months[i][pos] * 100


CHECKERS: dict[SheetKind, Callable[[CheckContext], None]] = {
    SheetKind.PROGRESS: _progress,
    SheetKind.FUNDING: _funding,
    SheetKind.SCORES: _scores,
    SheetKind.SCHEDULE: _schedule,
}
