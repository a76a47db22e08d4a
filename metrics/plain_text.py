"""Untrusted text (from report files, the database, links and users) shown exactly as typed.

Streamlit renders Markdown in captions, notices, headings, labels and toasts, the 通报 preview is
Markdown, and plotly renders a little HTML (`<a href>`, `<b>`) in chart labels. A region named
`[点此核对](https://…)` must stay those characters, never become a link, an image or a heading.
So every such value passes through one of these functions at the place it meets the screen:

- `md(template, *values)`: the product's own Markdown template with each value escaped; the
  result is a `Markdown` string, which later escaping leaves as it is (as markupsafe's Markup);
- `escape_markdown(value)`: one value, or a sentence meant as plain text, for a Markdown context;
- `chart_label(value)` / `chart_labels(values)`: text for plotly labels, titles and hovers.

Pure functions (no streamlit), so the dashboard and the 通报 writer share them.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable

# Characters that start inline Markdown in CommonMark, GFM and Streamlit: emphasis, code, links,
# images, raw HTML, maths, strikethrough, tables, headings, and Streamlit's `:red[…]` directives
# and `:icon:` codes.
_INLINE_SPECIALS = str.maketrans({c: "\\" + c for c in "\\`*_[]<>$~|#!:@"})
_LINE_BREAKS = re.compile(r"[\r\n\t\f\v\u2028\u2029\x85]+")
# GFM's bare autolinks (https://…, www.…, x@y.z) and Streamlit's :icon: codes are found in the
# text after escapes are read (they rewrite text nodes), so no backslash stops them: an invisible
# WORD JOINER after every ":", inside "www." and before "@" does. The text reads the same.
WORD_JOINER = "\u2060"
_TEXT_NODE_SYNTAX = re.compile(r"(?<=\\:)|(?<=[wW]{3})(?=\.)|(?=\\@)")
# At the start of a block: list items ("- ", "+ ", "1. ", "1) "), rules and setext underlines
# ("---", "==="); block quotes and headings start with > and #, escaped above. "-0.05" stays.
_BLOCK_START = re.compile(r"^(\s*)(?:([-+=])(?=[\s=+-]|$)|(\d+)([.)])(?=\s|$))")


class Markdown(str):
    """Text already safe to render as Markdown: made by `md` from the product's template."""

    __slots__ = ()


def escape_markdown(value: object) -> str:
    """`value` as text that Markdown shows literally, on one line (line breaks become spaces).
    `Markdown` (already safe) is returned as it is."""
    if isinstance(value, Markdown):
        return value
    text = _LINE_BREAKS.sub(" ", str(value)).translate(_INLINE_SPECIALS)
    text = _TEXT_NODE_SYNTAX.sub(WORD_JOINER, text)
    return _BLOCK_START.sub(_escape_block_start, text, count=1)


def _escape_block_start(match: re.Match[str]) -> str:
    if match.group(2):
        return f"{match.group(1)}\\{match.group(2)}"
    return f"{match.group(1)}{match.group(3)}\\{match.group(4)}"


class _MarkdownFormatter(string.Formatter):
    """str.format that escapes every substituted value after applying its format spec."""

    def format_field(self, value: object, format_spec: str) -> str:
        if isinstance(value, Markdown) and not format_spec:
            return value
        return escape_markdown(super().format_field(value, format_spec))


_FORMATTER = _MarkdownFormatter()


def md(template: str, /, *args: object, **kwargs: object) -> Markdown:
    """The product's Markdown `template` (str.format syntax) with every value escaped:
    md("**{}**：第 {} 名", region, rank). The only way values reach a Markdown element.
    Without values the template is taken as it is (braces and all)."""
    if not args and not kwargs:
        return Markdown(template)
    return Markdown(_FORMATTER.format(template, *args, **kwargs))


def md_list(items: Iterable[object]) -> Markdown:
    """A Markdown bullet list, one escaped item a line."""
    return Markdown("\n".join(md("- {}", item) for item in items))


def chart_label(value: object) -> object:
    """Text for a plotly label: its HTML subset (<a>, <b>, <br>, entities) shown literally.
    A missing label (None, NaN) stays missing."""
    if not isinstance(value, str) and (value is None or value != value):
        return value
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def chart_labels(values: Iterable[object]) -> list[object]:
    return [chart_label(v) for v in values]
