"""The layers below the pages (metrics, bulletin, etl, warehouse, charts) never import Streamlit:
the CLI, the bulletin and the loader run without it. SQL of the metrics layer only in .sql files."""

import ast
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
METRICS = REPO_ROOT / "metrics"
BELOW_THE_PAGES = ("metrics", "bulletin", "etl", "warehouse", "charts")
MODULES = sorted(p for package in BELOW_THE_PAGES for p in (REPO_ROOT / package).rglob("*.py"))


def test_every_layer_is_checked():
    assert {p.relative_to(REPO_ROOT).parts[0] for p in MODULES} == set(BELOW_THE_PAGES)


@pytest.mark.parametrize(
    "module", MODULES, ids=lambda p: str(p.relative_to(REPO_ROOT)).replace("/", ".")
)
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


def test_every_admin_query_used_exists():
    """The 数据管理 page's queries (metrics/sql/admin, read by metrics/admin.py): every file is
    named there, and every name there is a file."""
    tree = ast.parse((METRICS / "admin.py").read_text(encoding="utf-8"))
    named = {
        node.value.removesuffix(".sql")
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    used = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "_sql"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }
    files = {p.stem for p in (METRICS / "sql" / "admin").glob("*.sql")}
    assert used and used <= files
    assert files <= named
