"""Cell normalisers: messy spreadsheet cells (单元格) → clean values.

Each converter takes one raw cell as calamine or the csv module gives it (str, float, int,
bool, date/datetime, None) and returns the clean value, None for "no value", or raises
`CellError` with a message a clerk understands. Callers use the `fast_*` wrappers on whole
columns: the common case (a float in a number column, a clean str in a text column) costs one
type check.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

# Cells that mean "no value" (空值), compared after folding and removing whitespace.
NO_VALUE = frozenset({"", "—", "——", "-", "--", "/", "无", "…", "N/A", "n/a"})
_LONGEST_NO_VALUE = 8  # with spaces inside (`— —`): fold() removes them before comparing
TOTAL_WORDS = ("合计", "小计", "总计")
# Words a totals cell may begin with: `全市合计`, `本月小计`, `全县总计`.
TOTAL_PREFIXES = ("全市", "全县", "全区", "本市", "本县", "本区", "本月", "本年", "全年")

_WS = re.compile(r"\s+")
_TOTAL = re.compile(f"(?:{'|'.join(TOTAL_PREFIXES)})?(?:{'|'.join(TOTAL_WORDS)})[:：]?")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_MONTH_DAY_TEXT = re.compile(r"(\d{1,2})月(\d{1,2})日?")
_DATE_TEXT = re.compile(r"\d{4}[-/.](\d{1,2})[-/.](\d{1,2})(?:\s.*)?")
_INTEGRAL_TEXT = re.compile(r"[+-]?\d+\.0*")


class CellError(ValueError):
    """A cell whose value cannot be used; str(error) is the Chinese message."""


def fold(text: str) -> str:
    """Fold full-width forms (NFKC: `（１）` → `(1)`) and drop all whitespace, inner ones too."""
    return _WS.sub("", unicodedata.normalize("NFKC", text))


def shown(value: object) -> str:
    """The cell as a clerk would see it, for messages."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def is_blank(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def parse_number(value: object, *, allow_percent: bool = False) -> float | None:
    """A number cell: number or text (`１２３`, `1,264.983`, ` 12 `); `—` `-` `/` `无` → None.

    With allow_percent (序时计划 sheet) a trailing `%` is accepted: `50%` → 50.0.
    """
    if type(value) is float or type(value) is int:
        return _finite(float(value), value)
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(f"“{value}”不是数字")
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        raise CellError(f"“{shown(value)}”是日期，不是数字")
    text = fold(str(value)).replace(",", "")
    if text in NO_VALUE:
        return None
    if allow_percent and text.endswith("%"):
        text = text[:-1]
    elif text.endswith("%"):
        raise CellError(f"“{shown(value)}”不是数字，请去掉百分号（单位可写在计量单位列）")
    if not _NUMBER.fullmatch(text):
        raise CellError(f"“{shown(value)}”不是数字")
    return _finite(float(text), value)


def _finite(number: float, value: object) -> float:
    """A number no report can hold (inf, NaN: `1e999` written into the sheet) is refused."""
    if not math.isfinite(number):
        raise CellError(f"“{shown(value)}”不是有效的数字（超出范围）")
    return number


def parse_int(value: object, *, label: str, low: int, high: int) -> int | None:
    """年份/月份: an integer in [low, high]; text may end in 年/月/月份 (`6月` → 6)."""
    if value is None or (isinstance(value, str) and fold(value) in NO_VALUE):
        return None
    number: float | None = None
    if type(value) is float and value.is_integer() and low <= value <= high:
        return int(value)
    if type(value) is float or type(value) is int:
        number = float(value)
    elif isinstance(value, str):
        text = fold(value).removesuffix("份").removesuffix("年").removesuffix("月")
        if _NUMBER.fullmatch(text):
            number = float(text)
    if number is None or not number.is_integer() or not low <= number <= high:
        raise CellError(f"{label}应为{low}到{high}之间的整数，实际为“{shown(value)}”")
    return int(number)


def parse_code(value: object) -> str | None:
    """项目编号 as text: 13.0 → "13"; a date Excel made of "12-1" (1 December) → "12-1"."""
    if type(value) is str:
        if value.isascii() and value.isdigit():
            return value
        text = fold(value)
        if text in NO_VALUE:
            return None
        if _INTEGRAL_TEXT.fullmatch(text):
            return str(int(float(text)))
        match = _MONTH_DAY_TEXT.fullmatch(text) or _DATE_TEXT.fullmatch(text)
        if match:
            return f"{int(match.group(1))}-{int(match.group(2))}"
        return text
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(f"“{value}”不是有效的项目编号")
    if isinstance(value, float | int):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, dt.date):  # datetime is a date too
        return f"{value.month}-{value.day}"
    raise CellError(f"“{shown(value)}”不是有效的项目编号")


def is_no_value(text: str) -> bool:
    """Whether trimmed text is one of the "no value" marks (`—`, `无`, `/`, …): data contract §1."""
    return len(text) <= _LONGEST_NO_VALUE and fold(text) in NO_VALUE


def parse_text(value: object) -> str | None:
    """A text cell (names, 地区): ends trimmed (full-width space too); numbers shown plainly.
    A "no value" mark (`—`, `无`) is no value, as in a number cell: a required name that holds
    one is reported as missing, an optional one (计量单位, 类别 …) is empty."""
    if type(value) is str:
        text = value.strip()
        if not text or is_no_value(text):
            return None
        return text
    if value is None:
        return None
    if isinstance(value, float | int) and not isinstance(value, bool):
        return shown(float(value))
    return shown(value) or None


def parse_choice(value: object, choices: tuple[str, ...], *, label: str) -> str | None:
    """An enumerated cell (类别, 对象类型), compared without whitespace and full-width forms."""
    text = parse_text(value)
    if text is None or text in choices:
        return text
    folded = fold(text)
    if folded in choices:
        return folded
    raise CellError(f"未知{label}“{text}”，应为{'、'.join(choices[:-1])}或{choices[-1]}")


def is_total(value: object) -> bool:
    """合计/小计/总计 rows (also `合 计`, `合计：`, `全市合计`): the dashboard derives totals itself.

    Exactly the word after removing spaces, or the word after a place/period prefix
    (TOTAL_PREFIXES): an indicator named `拨付合计` or `资金小计` is data, not a total."""
    if type(value) is not str or "计" not in value:  # 合计, 小计, 总计 all contain 计
        return False
    return _TOTAL.fullmatch(fold(value)) is not None


FOOTER_PREFIXES = ("填报人", "审核人", "负责人", "填报日期", "联系电话", "备注", "注")


def is_footer(first_cell: object) -> bool:
    """Footer rows (填报人：…, 注：…) begin with one of FOOTER_PREFIXES."""
    return type(first_cell) is str and fold(first_cell).startswith(FOOTER_PREFIXES)
