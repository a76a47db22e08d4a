"""Whole-column fast paths give exactly what the cell-by-cell parsers give, or defer to them."""

from __future__ import annotations

import math

import pytest

from etl.reading.columns import (
    SLOW,
    fast_choice,
    fast_code,
    fast_int,
    fast_number,
    fast_text,
    lowest,
)

S = SLOW


@pytest.mark.parametrize(
    ("fast", "raw", "expected", "clean"),
    [
        (fast_number, (1.0, 2.5), [1.0, 2.5], True),
        (fast_number, (1.0, "2", None), [1.0, S, S], False),
        (fast_number, (), [], True),
        (fast_text, ("铜官区", " 义安区\u3000"), ["铜官区", "义安区"], True),
        (fast_text, ("铜官区", "  ", 3.0), ["铜官区", S, S], False),
        (fast_code, ("13", "7"), ["13", "7"], True),
        (fast_code, (13.0, 7.0), ["13", "7"], True),
        (fast_code, ("13", ""), ["13", S], False),
        (fast_code, ("１３", "12-1"), [S, S], False),
        (fast_code, (13.5, 7.0), [S, "7"], False),
        (fast_int(1, 12), (6.0, 12.0), [6, 12], True),
        (fast_int(1, 12), (6.0, 13.0, 6.5, "6月"), [6, S, S, S], False),
        (fast_choice(("工程类", "其他")), ("工程类", "其他"), ["工程类", "其他"], True),
        (fast_choice(("工程类", "其他")), ("工程类", None, "工程 类"), ["工程类", S, S], False),
    ],
)
def test_fast_paths(fast, raw, expected, clean):
    assert fast(raw) == (expected, clean)


@pytest.mark.parametrize(
    ("values", "expected"),
    [([2.0, 1.0], 1.0), ([], math.inf), ([None], -math.inf), ([1.0, None], -math.inf)],
)
def test_lowest_defers_to_a_full_look_when_a_value_is_missing(values, expected):
    assert lowest(values) == expected
