"""Text from uploaded files (file names, regions, units, notices) shown as typed, not as markdown.

Streamlit renders markdown in st.write, st.markdown, st.caption, st.warning and friends, so a
county's file named `[x](http://e.com)` would become a link. Every such text goes through
`escape_markdown` first.
"""

from __future__ import annotations

# Characters that start markdown syntax (links, emphasis, code, html, maths, tables, headings).
_MARKDOWN_SPECIALS = str.maketrans({c: "\\" + c for c in "\\`*_[]<>$~|#"})


def escape_markdown(text: object) -> str:
    """`text` with every markdown special character backslash-escaped: shows literally."""
    return str(text).translate(_MARKDOWN_SPECIALS)
