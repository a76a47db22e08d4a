"""The metrics layer stays below the pages: no Streamlit import, SQL only in .sql files."""

import ast
from pathlib import Path

import pytest

METRICS = Path(__file__).resolve().parents[2] / "metrics"


@pytest.mark.parametrize("module", sorted(METRICS.glob("*.py")), ids=lambda p: p.name)
def test_no_streamlit_import(module):
    tree = ast.parse(module.read_text(encoding="utf-8"))
    imported = [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (
            node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")]
        )
    ]
    assert not [name for name in imported if name.split(".")[0] == "streamlit"]


def test_every_query_used_exists():
    used = set()
    for module in METRICS.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "query"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                used.add(node.args[0].value)
    files = {p.stem for p in (METRICS / "sql").glob("*.sql")}
    assert used and used == files
