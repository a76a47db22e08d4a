"""Text cells that must not become data (文本检查): formula-like text, over-long names.

A cell such as `=HYPERLINK(…)` or `cmd|' /C calc'!A0` stored as text would load as a region
and come back out in rankings, the 通报 and exports, where a spreadsheet may run it. Such text
is refused with its place. The shape is kept narrow so that real text passes: `-` alone (no
value), `12-1`, `-5`, `+5`, `@市民生办` are not formulas.

A formula is text (after trimming) that
- begins with `=` followed by anything;
- begins with `+`, `-` or `@` followed by a function call (`SUM(`), a parenthesis, a cell
  reference (`A1`, `$B$2`, `Sheet1!A1`) or a number followed by an operator and an operand
  (`1+1`, `2*A1`);
- is a DDE call: a program name, `|`, a topic and `!` (`cmd|' /C calc'!A0`), with or without a
  leading `= + - @`.
"""

from __future__ import annotations

import re

# Longest text of a name cell (地区, 项目编号, 项目名称, 指标名称, 计量单位, 责任单位, 对象名称, 类别):
# the longest real project name is about 40 characters; a page cannot show more than this.
MAX_NAME_LENGTH = 200
MAX_NOTE_LENGTH = 1_000  # 说明 (the reason of a bonus or deduction) is a sentence or two

_SIGN = r"[+\-@]\s*"
_CELL = r"(?:[A-Za-z_][\w.]*!|'[^']+'!)?\$?[A-Za-z]{1,3}\$?\d+"
_OPERAND = rf"(?:\d+(?:\.\d+)?|{_CELL}|\(|[A-Za-z_][\w.]*\s*\()"
FORMULA = re.compile(
    r"=."  # any text that Excel would evaluate
    rf"|{_SIGN}[A-Za-z_][\w.]*\s*\("  # +SUM(…), @HYPERLINK(…)
    rf"|{_SIGN}\("  # -(1+1)
    rf"|{_SIGN}{_CELL}(?:\s*$|\s*[:+\-*/^&=<>,])"  # +A1, -$B$2*3, @A1:B2
    rf"|{_SIGN}\d+(?:\.\d+)?\s*[+\-*/^&=<>]\s*{_OPERAND}"  # +1+1, -2*A1
    r"|[=+\-@]?\s*[A-Za-z0-9_.]+\s*\|.*!",  # DDE: cmd|' /C calc'!A0
    re.DOTALL,
)
# For whole columns (pyarrow.compute, RE2): text that may be a formula, looked at closer
# the usual way. Only a pre-filter: false alarms cost time, never a wrong answer.
MAY_BE_FORMULA_RE2 = r"^\s*[=+\-@]|\|"


def is_formula(text: str) -> bool:
    """Whether text (a cell as written) has the shape of a spreadsheet formula or a DDE call."""
    return FORMULA.match(text.strip()) is not None


def formula_message(text: str) -> str:
    return (
        f"“{_short(text)}”像是公式，不能作为数据导入；"
        "请填写实际内容（若确需以=、+、-、@开头，请在前面加中文说明）"
    )


def too_long_message(text: str, limit: int) -> str:
    return f"内容过长（{len(text)}个字符，上限{limit}个），请核对是否粘贴错了内容"


def text_problem(text: str, limit: int = MAX_NAME_LENGTH) -> str | None:
    """Why a text cell may not be loaded as it is, or None."""
    if len(text) > limit:
        return too_long_message(text, limit)
    if is_formula(text):
        return formula_message(text)
    return None


def _short(text: str, keep: int = 40) -> str:
    text = text.strip()
    return text if len(text) <= keep else f"{text[:keep]}…"


def column_problems(values: list, limit: int = MAX_NAME_LENGTH) -> list[tuple[int, str]]:
    """(position, message) of the cells of a converted text column that may not be loaded.
    Each distinct text is looked at once (names repeat down a column)."""
    verdicts: dict[str, str | None] = {}
    found = []
    for pos, value in enumerate(values):
        if type(value) is not str:
            continue
        if value not in verdicts:
            suspect = len(value) > limit or value[:1] in "=+-@" or "|" in value
            verdicts[value] = text_problem(value, limit) if suspect else None
        if verdicts[value] is not None:
            found.append((pos, verdicts[value]))
    return found
