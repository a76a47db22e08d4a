"""The packages import each other only along the allowed edges, and never in a circle.

Every import counts, also one inside a function (a lazy import is still an edge). The table:

| from        | may import                                            | why |
|-------------|-------------------------------------------------------|-----|
| app, pages  | dashboard, metrics, bulletin, etl, warehouse, charts  | the Streamlit app puts everything on screen |
| dashboard   | metrics, etl, bulletin, warehouse, charts             | page helpers: figures to show, uploads to load, the 通报 to download |
| metrics     | warehouse                                             | figures are read from the warehouse file, nothing else |
| etl         | metrics, warehouse                                    | the loader writes the file and applies the metrics-owned views |
| bulletin    | metrics, warehouse, charts                            | the 通报 is figures in words, tables and pictures |
| charts      | metrics                                               | chart labels are the metrics layer's plain text |
| warehouse   | (nothing)                                             | the neutral floor everyone stands on |

Nothing imports app or pages, and nothing but app and pages imports dashboard.

Inside etl, `etl.reading` (a report file → a checked `ParsedFile`) touches no database: it never
imports `etl.writing` (the warehouse and the activity file) nor a database driver.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("pages", "dashboard", "metrics", "etl", "bulletin", "warehouse", "charts")
_APP = frozenset({"dashboard", "metrics", "bulletin", "etl", "warehouse", "charts"})
ALLOWED: dict[str, frozenset[str]] = {
    "app": _APP,
    "pages": _APP,
    "dashboard": frozenset({"metrics", "etl", "bulletin", "warehouse", "charts"}),
    "metrics": frozenset({"warehouse"}),
    "etl": frozenset({"metrics", "warehouse"}),
    "bulletin": frozenset({"metrics", "warehouse", "charts"}),
    "charts": frozenset({"metrics"}),
    "warehouse": frozenset(),
}
# Single imports allowed beside the table, each with its reason: (file, imported package).
EXCEPTIONS: dict[tuple[str, str], str] = {
    # `python -m etl bulletin` is the documented alias of `python -m bulletin` (README, CLI
    # tests); imported lazily inside the command, and bulletin imports nothing of etl.
    ("etl/cli.py", "bulletin"): "the `python -m etl bulletin` alias",
}


def package_of(relative: Path) -> str:
    """The package a source file belongs to (app.py is `app`)."""
    return "app" if relative == Path("app.py") else relative.parts[0]


def source_files(root: Path = REPO_ROOT) -> list[Path]:
    files = [root / "app.py"] if (root / "app.py").is_file() else []
    for package in PACKAGES:
        files += sorted((root / package).rglob("*.py"))
    return files


def imported_modules(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, module) of every absolute import anywhere in the file (relative ones stay inside
    their own package)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def package_edges(root: Path, files: Iterable[Path]) -> Iterator[tuple[str, int, str, str]]:
    """(file, line, from package, to package) of every import of another project package."""
    known = set(ALLOWED)
    for path in files:
        relative = path.relative_to(root)
        source = package_of(relative)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(relative))
        for line, module in imported_modules(tree):
            target = module.split(".")[0]
            if target in known and target != source:
                yield relative.as_posix(), line, source, target


def forbidden_edges(root: Path = REPO_ROOT, files: Iterable[Path] | None = None) -> list[str]:
    """Every import outside the table and its exceptions, as `file:line: a → b`."""
    files = source_files(root) if files is None else files
    return [
        f"{file}:{line}: {source} → {target} is not an allowed package edge"
        for file, line, source, target in package_edges(root, files)
        if target not in ALLOWED[source] and (file, target) not in EXCEPTIONS
    ]


READING = Path("etl", "reading")
# What reading must not import: the writing side and the database drivers it would need.
NOT_FOR_READING = ("etl.writing", "duckdb", "sqlite3")


def reading_touches_database(
    root: Path = REPO_ROOT, files: Iterable[Path] | None = None
) -> list[str]:
    """Every import in etl/reading of the writing side or a database driver, as `file:line: module`."""
    files = sorted((root / READING).rglob("*.py")) if files is None else files
    problems = []
    for path in files:
        relative = path.relative_to(root)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(relative))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == "etl":
                modules = [f"etl.{alias.name}" for alias in node.names]  # from etl import writing
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            problems += [
                f"{relative.as_posix()}:{node.lineno}: etl.reading imports {module}"
                for module in modules
                if any(module == bad or module.startswith(f"{bad}.") for bad in NOT_FOR_READING)
            ]
    return problems


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A circle of packages (first one repeated at the end), or None."""
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str] | None:
        if node in path:
            return path[path.index(node) :] + [node]
        if node in done:
            return None
        for nxt in sorted(graph.get(node, ())):
            cycle = visit(nxt, [*path, node])
            if cycle:
                return cycle
        done.add(node)
        return None

    for start in sorted(graph):
        cycle = visit(start, [])
        if cycle:
            return cycle
    return None


def edge_graph(root: Path = REPO_ROOT) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for _, _, source, target in package_edges(root, source_files(root)):
        graph.setdefault(source, set()).add(target)
    return graph


def test_every_import_follows_the_table():
    problems = forbidden_edges()
    assert not problems, "\n".join(problems)


def test_no_cycle_among_packages():
    assert find_cycle(edge_graph()) is None


def test_the_table_itself_has_no_cycle_and_keeps_app_and_dashboard_on_top():
    assert find_cycle({k: set(v) for k, v in ALLOWED.items()}) is None
    assert all("app" not in v and "pages" not in v for v in ALLOWED.values())
    assert {k for k, v in ALLOWED.items() if "dashboard" in v} == {"app", "pages"}


def test_every_exception_is_still_needed():
    used = {(file, target) for file, _, _, target in package_edges(REPO_ROOT, source_files())}
    assert set(EXCEPTIONS) <= used


def test_a_forbidden_edge_is_named_with_file_and_line(tmp_path):
    (tmp_path / "metrics").mkdir()
    (tmp_path / "warehouse").mkdir()
    (tmp_path / "metrics" / "figures.py").write_text(
        "import os\nfrom warehouse import sql\n\n\ndef late():\n    from etl.model import Finding\n",
        encoding="utf-8",
    )
    (tmp_path / "warehouse" / "files.py").write_text("import dashboard.data\n", encoding="utf-8")
    assert forbidden_edges(tmp_path) == [
        "metrics/figures.py:6: metrics → etl is not an allowed package edge",
        "warehouse/files.py:1: warehouse → dashboard is not an allowed package edge",
    ]


def test_a_cycle_is_found():
    assert find_cycle({"etl": {"bulletin"}, "bulletin": {"warehouse", "etl"}}) == [
        "bulletin",
        "etl",
        "bulletin",
    ]
    assert find_cycle({"etl": {"metrics"}, "metrics": {"warehouse"}}) is None


def test_reading_never_touches_the_database():
    assert (REPO_ROOT / READING).is_dir() and (REPO_ROOT / "etl" / "writing").is_dir()
    problems = reading_touches_database()
    assert not problems, "\n".join(problems)


def test_reading_importing_writing_is_named_with_file_and_line(tmp_path):
    (tmp_path / READING).mkdir(parents=True)
    (tmp_path / READING / "parse.py").write_text(
        "from etl.model import ParsedFile\nfrom etl.reading import sheets\n\n\n"
        "def late():\n    from etl.writing.db_write import named_queries\n"
        "    from etl import writing\n    import duckdb\n",
        encoding="utf-8",
    )
    assert reading_touches_database(tmp_path) == [
        "etl/reading/parse.py:6: etl.reading imports etl.writing.db_write",
        "etl/reading/parse.py:7: etl.reading imports etl.writing",
        "etl/reading/parse.py:8: etl.reading imports duckdb",
    ]
