"""escape_markdown: text from uploaded files shows literally wherever Streamlit renders markdown."""

import pytest

from dashboard.text import escape_markdown


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("铜官区6月.xlsx", "铜官区6月.xlsx"),
        ("[x](http://e.com)", r"\[x\](http://e.com)"),
        ("**粗体** _斜_ `代码`", r"\*\*粗体\*\* \_斜\_ \`代码\`"),
        ("<b>html</b> $x$ ~删~ a|b # 标题", r"\<b\>html\</b\> \$x\$ \~删\~ a\|b \# 标题"),
        ("C:\\文件", "C:\\\\文件"),
        (42, "42"),
    ],
)
def test_escape_markdown(text, expected):
    assert escape_markdown(text) == expected
