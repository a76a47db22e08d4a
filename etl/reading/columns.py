"""Whole columns of a sheet at C speed (列处理): the usual clean column never loops in Python.

A sheet arrives as rows of cells; etl.reading.validate works column by column. The functions here
take the fast road when a whole column is clean (floats in a number column, trimmed text in a
text column, …) and otherwise mark the cells that need etl.reading.normalise's full parsers with SLOW.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from operator import itemgetter

import numpy as np

from etl.reading.normalise import is_no_value

# Whole-column fast paths: (values, clean). Where a column holds only clean cells (floats in a
# number column, trimmed text in a text column) it is converted at C speed and clean is True;
# otherwise the list holds SLOW where a cell needs the full parser of etl.reading.normalise.
SLOW = object()
FastResult = tuple[list, bool]


def fast_number(raw: tuple) -> FastResult:
    # a number the sheet's XML spells out of range (1e999) arrives as inf: parse_number refuses it
    if set(map(type, raw)) <= {float} and all(map(math.isfinite, raw)):
        return list(raw), True
    return [v if type(v) is float and math.isfinite(v) else SLOW for v in raw], False


def fast_text(raw: tuple) -> FastResult:
    """Trimmed text; empty cells and "no value" marks (`—`, `无`) go to parse_text."""
    if set(map(type, raw)) <= {str}:
        stripped = list(map(str.strip, raw))
        if "" not in stripped and not any(map(is_no_value, set(stripped))):
            return stripped, True
    return [_plain_text(v) if type(v) is str else SLOW for v in raw], False


def _plain_text(value: str):
    text = value.strip()
    return SLOW if not text or is_no_value(text) else text


def fast_code(raw: tuple) -> FastResult:
    types = set(map(type, raw))
    if types <= {str}:
        joined = "".join(raw)
        if joined.isascii() and joined.isdigit() and "" not in raw:
            return list(raw), True
    elif types == {float} and all(map(float.is_integer, raw)):
        return list(map(str, map(int, raw))), True
    return [
        (v if v.isascii() and v.isdigit() else SLOW)
        if type(v) is str
        else (str(int(v)) if type(v) is float and v.is_integer() else SLOW)
        for v in raw
    ], False


def fast_int(low: int, high: int) -> Callable[[tuple], FastResult]:
    def fast(raw: tuple) -> FastResult:
        if (
            set(map(type, raw)) == {float}
            and low <= min(raw)
            and max(raw) <= high
            and all(map(float.is_integer, raw))
        ):
            return list(map(int, raw)), True
        return [
            int(v) if type(v) is float and v.is_integer() and low <= v <= high else SLOW
            for v in raw
        ], False

    return fast


def fast_choice(choices: tuple[str, ...]) -> Callable[[tuple], FastResult]:
    allowed = frozenset(choices)

    def fast(raw: tuple) -> FastResult:
        if set(raw) <= allowed:  # unhashable cells never come from a sheet
            return list(raw), True
        return [v if type(v) is str and v in allowed else SLOW for v in raw], False

    return fast


_first = itemgetter(0)


def all_start_with_number(rows: list[list]) -> bool:
    """Every row starts with a number cell (so none is blank, a footer or a repeated header)."""
    if not rows or not min(map(len, rows)):
        return False
    types = list(map(type, map(_first, rows)))
    return types.count(float) + types.count(int) == len(rows)


def transpose(rows: list[list]) -> list[tuple]:
    """Rows → columns (tuples), short rows padded with None; C-speed zip in the usual case."""
    if not rows:
        return []
    width = max(map(len, rows))
    if min(map(len, rows)) != width:
        rows = [row if len(row) == width else [*row, *[None] * (width - len(row))] for row in rows]
    return list(zip(*rows, strict=True))


def lowest(values: list) -> float:
    """The smallest number (inf for none); -inf when a None makes min() fail: look at each."""
    try:
        low = min(values, default=math.inf)
    except TypeError:
        return -math.inf
    return -math.inf if low is None else low  # min() of [None] compares nothing


def positions(mask: np.ndarray) -> list[int]:
    return np.flatnonzero(mask).tolist()


def floats(values: list) -> np.ndarray:
    return np.array(values, dtype=float)  # None → NaN, which compares False
