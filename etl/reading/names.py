"""Name cells (地区, 项目编号, 项目名称, 指标名称, 计量单位, 责任单位, 对象名称): characters that
make a name look like another one (名称规范化).

`clean_name` is what the loader stores: invisible characters (zero-width spaces, a BOM, soft
hyphens, direction marks, controls, variation selectors) and combining marks left over after NFC
(an accent on a Chinese character) are removed, and letters and digits with a compatibility form
(full-width `Ａ１`, Kangxi radicals `⾦`, compatibility ideographs) take their NFKC form.
Punctuation and symbols keep their form: `（二期）`, `m²` and `㎡` are written that way on purpose,
and folding them would split a project's name from its earlier months.

`name_skeleton` is what look-alike names are compared by: the cleaned name in NFKC, case-folded,
without whitespace and punctuation, with the few Cyrillic/Greek letters that look Latin mapped.

The common cell holds only characters that none of this changes (SAFE_RANGES); one regular
expression over a whole column finds the rare ones (SUSPECT, SUSPECT_RE2 for the fast path).
"""

from __future__ import annotations

import re
import unicodedata

# Characters clean_name leaves as they are (a test checks each): ASCII, the CJK ideographs,
# Chinese punctuation (full-width and general), and a few unit symbols. Any other character
# sends the name through clean_name.
SAFE_RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # ASCII printable
    (0x00B0, 0x00B3),  # ° ± ² ³
    (0x00B7, 0x00B7),  # ·
    (0x00B9, 0x00B9),  # ¹
    (0x00D7, 0x00D7),  # ×
    (0x00F7, 0x00F7),  # ÷
    (0x2010, 0x2027),  # dashes, quotes “” ‘’, …
    (0x2030, 0x205E),  # ‰ ※ and other punctuation
    (0x2103, 0x2103),  # ℃
    (0x2460, 0x2473),  # ① … ⑳
    (0x3000, 0x3029),  # ideographic space, 、。〈〉《》「」『』【】〒〔〕…
    (0x3030, 0x303F),
    (0x3380, 0x33FF),  # ㎡ ㎞ …
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xFF01, 0xFF0F),  # full-width punctuation ！＂＃…／
    (0xFF1A, 0xFF20),  # ：；＜＝＞？＠
    (0xFF3B, 0xFF40),  # ［＼］＾＿｀
    (0xFF5B, 0xFF5E),  # ｛｜｝～
    (0x20000, 0x2EBEF),  # CJK extensions B–F
    (0x30000, 0x3134F),  # CJK extension G
)


def _class(ranges: tuple[tuple[int, int], ...], escape) -> str:
    return "".join(f"{escape(a)}-{escape(b)}" for a, b in ranges)


# Python's re: a character outside SAFE_RANGES
SUSPECT = re.compile(f"[^{_class(SAFE_RANGES, lambda c: re.escape(chr(c)))}]")
# The same class for RE2 (pyarrow.compute): the fast path leaves such a column to the usual way
SUSPECT_RE2 = "[^" + _class(SAFE_RANGES, lambda c: "\\x{" + format(c, "x") + "}") + "]"

_NAMES = {
    0x00AD: "软连字符",
    0x034F: "组合用字形连接符",
    0x180E: "蒙古文元音分隔符",
    0x200B: "零宽空格",
    0x200C: "零宽不连字",
    0x200D: "零宽连字",
    0x200E: "从左到右标记",
    0x200F: "从右到左标记",
    0x2060: "零宽不换行空格",
    0xFEFF: "字节顺序标记 BOM",
}
_HANGUL_FILLERS = frozenset({0x115F, 0x1160, 0x3164, 0xFFA0})
# CJK radicals (category So): NFKC maps the Kangxi ones onto the ideographs they look like
_RADICALS = (0x2E80, 0x2FDF)
# Letters that look Latin in a name (a skeleton maps them): Cyrillic and Greek capitals/smalls
_CONFUSABLE = str.maketrans(
    "АВЕКМНОРСТУХаеорсухіјѕԁԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧον",
    "ABEKMHOPCTYXaeopcyxijsdqwABEZHIKMNOPTYXov",
)
_WHITESPACE_OR_PUNCTUATION = frozenset("PZ")


def _describe(code: int) -> str:
    name = _NAMES.get(code)
    if name is None and 0x2061 <= code <= 0x2064:
        name = "不可见运算符"
    elif name is None and (0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069):
        name = "文字方向控制符"
    elif name is None and (0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF):
        name = "变体选择符"
    elif name is None and unicodedata.category(chr(code)) == "Cc":
        name = "控制字符"
    return f"U+{code:04X}（{name}）" if name else f"U+{code:04X}"


def is_invisible(char: str) -> bool:
    """A character that shows nothing (or nothing of its own) in a name."""
    code = ord(char)
    category = unicodedata.category(char)
    return (
        category in ("Cf", "Cc")
        or code in _NAMES
        or code in _HANGUL_FILLERS
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
    )


def _compatible(char: str) -> str:
    """NFKC for letters, digits and radicals (full-width `Ａ１`, `⾦`, compatibility ideographs);
    punctuation and symbols as they are."""
    category = unicodedata.category(char)
    if category[0] == "L" or category == "Nd" or _RADICALS[0] <= ord(char) <= _RADICALS[1]:
        return unicodedata.normalize("NFKC", char)
    return char


def clean_name(text: str) -> tuple[str, list[str]]:
    """The name as stored, and what was changed in it (Chinese phrases; [] when nothing)."""
    if SUSPECT.search(text) is None:
        return text, []
    removed: list[str] = []
    kept = []
    for char in text:
        if is_invisible(char):
            removed.append(f"不可见字符 {_describe(ord(char))}")
        else:
            kept.append(char)
    composed = unicodedata.normalize("NFC", "".join(kept))
    rewritten: list[tuple[str, str]] = []
    out = []
    for char in composed:
        if unicodedata.category(char) in ("Mn", "Me"):
            removed.append(f"附加符号 {_describe(ord(char))}")
            continue
        folded = _compatible(char)
        if folded != char:
            rewritten.append((char, folded))
        out.append(folded)
    clean = "".join(out).strip()
    changes = []
    if removed:
        changes.append("去掉了" + "、".join(dict.fromkeys(removed)))
    if rewritten:
        pairs = dict.fromkeys(f"“{a}”改为“{b}”" for a, b in rewritten)
        changes.append("把" + "、".join(pairs))
    if not changes and clean != text:
        changes.append("去掉了首尾的空白")
    return clean, changes


def name_skeleton(text: str) -> str:
    """What look-alike names are compared by: the same for `东湖\\u200b区`, `东湖 区`, `东湖区`
    and `(东湖区)`, but not for `东湖区` and `西湖区` (other checks weigh near names). Only what
    looks alike is ignored: invisible characters, full/half width, spaces and punctuation,
    case, Cyrillic/Greek letters that look Latin."""
    clean, _ = clean_name(text)
    folded = unicodedata.normalize("NFKC", clean).casefold().translate(_CONFUSABLE)
    return "".join(
        c for c in folded if unicodedata.category(c)[0] not in _WHITESPACE_OR_PUNCTUATION
    )


def visible(text: str) -> str:
    """The name for a message, its invisible characters and combining marks spelled out
    (`东湖<U+200B>区`)."""
    if SUSPECT.search(text) is None:
        return text
    return "".join(
        f"<U+{ord(c):04X}>" if is_invisible(c) or unicodedata.category(c) in ("Mn", "Me") else c
        for c in text
    )
