"""The one SQL loader: each package keeps its .sql files in its own folder and reads them here.

A file is either one statement (`sql_text`) or several, each after a `-- name: x` line
(`named_queries`)."""

from __future__ import annotations

import functools
import re
from pathlib import Path

_NAME_LINE = re.compile(r"^-- name: (\w+)\s*$", re.MULTILINE)
_FILE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*\.sql$")
# One statement of a views file: "CREATE OR REPLACE VIEW <name> AS" … ";" at a line's end.
_VIEW_STATEMENT = re.compile(
    r"^CREATE OR REPLACE VIEW (\w+) AS\n(.*?);[ \t]*$", re.MULTILINE | re.DOTALL
)

# One macro of a views file (a figure's rule): "CREATE OR REPLACE MACRO <name>(" … ";" at a line's end.
_MACRO_STATEMENT = re.compile(
    r"^CREATE OR REPLACE MACRO (\w+)(\(.*?);[ \t]*$", re.MULTILINE | re.DOTALL
)


@functools.cache
def sql_text(folder: Path, file_name: str) -> str:
    """The text of `folder/file_name` (a plain file name, never a path)."""
    if not _FILE_NAME.match(file_name):
        raise ValueError(f"invalid query file name: {file_name!r}")
    path = Path(folder) / file_name
    if not path.is_file():
        raise ValueError(f"unknown query file: {file_name!r}")
    return path.read_text(encoding="utf-8")


@functools.cache
def named_queries(folder: Path, file_name: str) -> dict[str, str]:
    """The statements of a .sql file, each after its `-- name: x` line."""
    parts = _NAME_LINE.split(sql_text(folder, file_name))
    return {name: body.strip() for name, body in zip(parts[1::2], parts[2::2], strict=True)}


def definitions(text: str) -> tuple[tuple[str, str, str], ...]:
    """(kind, name, body) of every `CREATE OR REPLACE VIEW` ("view") and `… MACRO` ("macro") in a
    file's text, in file order: a definition comes after those it reads."""
    found = [(m.start(), "view", m[1], m[2]) for m in _VIEW_STATEMENT.finditer(text)]
    found += [(m.start(), "macro", m[1], m[2]) for m in _MACRO_STATEMENT.finditer(text)]
    return tuple((kind, name, body) for _, kind, name, body in sorted(found))
