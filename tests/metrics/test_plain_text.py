"""Untrusted text shows literally: escaping for Markdown and for plotly labels, and a scan that
every Markdown-rendering Streamlit call in the dashboard gets its values through `md`.

What the escaped text looks like on screen is checked in a real browser
(tests/browser/test_markup_injection.py); these tests pin the rules and the one way in.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from metrics.plain_text import chart_label, escape_markdown, md

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("铜官区6月.xlsx", "铜官区6月.xlsx"),
        ("1.498", "1.498"),
        ("[x](http://e.com)", "\\[x\\](http\\:\u2060//e.com)"),
        ("![图](http://e.com/a.png)", "\\!\\[图\\](http\\:\u2060//e.com/a.png)"),
        ("**粗体** _斜_ `代码`", r"\*\*粗体\*\* \_斜\_ \`代码\`"),
        ("<b>html</b> $x$ ~删~ a|b # 标题", r"\<b\>html\</b\> \$x\$ \~删\~ a\|b \# 标题"),
        ("C:\\文件", "C\\:\u2060\\\\文件"),
        # bare autolinks: an invisible word joiner breaks "://", "www." and "x@y"
        ("见 www.evil.example/x", "见 www\u2060.evil.example/x"),
        ("x@evil.example", "x\u2060\\@evil.example"),
        (":red[红] :material/home:", "\\:\u2060red\\[红\\] \\:\u2060material/home\\:\u2060"),
        ("- 列表", r"\- 列表"),
        ("1. 列表", r"1\. 列表"),
        ("第一行\n\n# 第二行\r\n===", r"第一行 \# 第二行 ==="),
        ("=== 标题线", r"\=== 标题线"),
        ("-0.05", "-0.05"),
        (42, "42"),
    ],
)
def test_escape_markdown(text, expected):
    assert escape_markdown(text) == expected


def test_md_escapes_values_not_the_template():
    assert md("**{}**：第 {rank} 名，完成率 {rate:.1%}", "[x](y)", rank=2, rate=0.5) == (
        r"**\[x\](y)**：第 2 名，完成率 50.0%"
    )


def test_markdown_made_by_md_is_not_escaped_twice():
    sentence = md("用 `{}` 载入", "python -m etl load")
    assert escape_markdown(sentence) == "用 `python -m etl load` 载入"
    assert md("{}。{}", sentence, "[x]") == r"用 `python -m etl load` 载入。\[x\]"


def test_chart_label_shows_plotly_html_literally():
    assert chart_label('<a href="https://e.com">x</a> & <b>') == (
        '&lt;a href="https://e.com"&gt;x&lt;/a&gt; &amp; &lt;b&gt;'
    )


# Streamlit calls whose text (first argument, label, body or help) is rendered as Markdown.
MARKDOWN_SINKS = {
    "markdown", "caption", "info", "warning", "error", "success", "toast", "title", "header",
    "subheader", "write", "metric", "button", "download_button", "popover", "expander",
    "checkbox", "toggle", "radio", "selectbox", "multiselect", "text_input", "number_input",
    "text_area", "file_uploader", "segmented_control", "pills", "slider", "link_button",
    "page_link", "form_submit_button", "date_input",
}  # fmt: skip
TEXT_KEYWORDS = ("body", "label", "help")
# md's template must be the product's own (a literal or a constant); the others escape all they get
# (write_markdown: the 通报, tested in tests/bulletin).
SAFE_CALLS = {"escape_markdown", "md_list", "write_markdown"}
UI_FILES = sorted(
    [
        REPO_ROOT / "app.py",
        *(REPO_ROOT / "pages").glob("*.py"),
        *(REPO_ROOT / "dashboard").glob("*.py"),
    ]
)


def _is_safe(node: ast.expr) -> bool:
    """A literal, a module constant (UPPER_CASE) or a value that went through md/escape_markdown."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Name):
        return node.id.isupper()
    if isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name == "md":
            template = node.args[0] if node.args else None
            return isinstance(template, ast.Constant) or (
                isinstance(template, ast.Name) and template.id.isupper()
            )
        return name in SAFE_CALLS
    if isinstance(node, ast.IfExp):
        return _is_safe(node.body) and _is_safe(node.orelse)
    return False


def unsafe_markdown_calls(source: str) -> list[int]:
    """Line numbers of Markdown-rendering calls whose text did not go through md()."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in MARKDOWN_SINKS:
            continue
        receiver = node.func.value
        if node.func.attr == "write" and not (
            isinstance(receiver, ast.Name) and receiver.id == "st"
        ):
            continue  # a file's write, not st.write
        texts = node.args[:1] + [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
        if not all(_is_safe(t) for t in texts):
            lines.append(node.lineno)
    return lines


def test_scan_finds_an_fstring_and_accepts_md():
    assert unsafe_markdown_calls('st.caption(f"{region}滞后")\ncol.info(x)') == [1, 2]
    assert unsafe_markdown_calls('st.caption(md("{}滞后", region))\nst.info("固定")') == []
    assert unsafe_markdown_calls("st.caption(md(region))") == [1]  # md's template is ours


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_every_markdown_call_gets_its_values_through_md(path):
    unsafe = unsafe_markdown_calls(path.read_text(encoding="utf-8"))
    assert not unsafe, (
        f"{path.name} 第 {unsafe} 行：文字直接交给会渲染 Markdown 的 Streamlit 调用；"
        "请用 metrics.plain_text.md(模板, 值…) 转义其中的值"
    )
