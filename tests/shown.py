"""What a reader sees of Markdown the product wrote: escapes taken out (AppTest gives the source).

The inverse of metrics.plain_text.escape_markdown for tests: a backslash before punctuation is
dropped (CommonMark shows the character) and the invisible word joiners go.
"""

from __future__ import annotations

import re

from metrics.plain_text import WORD_JOINER

_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def shown(markdown: str) -> str:
    return _ESCAPED.sub(r"\1", markdown).replace(WORD_JOINER, "")
