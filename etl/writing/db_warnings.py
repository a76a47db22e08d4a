"""Warnings (警告) that depend on what the warehouse already holds.

They never refuse a file. The parsed file's rows must be registered first
(`db_write.register_incoming`); the connection may be read-only.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable
from functools import partial

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from etl.model import Finding, ParsedFile
from etl.reading.incoming import parsed_table
from etl.reading.names import name_skeleton, visible
from etl.writing.db_write import named_queries
from etl.writing.scale_warnings import scale_warnings

_MIN_EDIT_LENGTH = 4  # one edit apart flags only names this long: 东湖区/西湖区 are both real
PROJECT_SIMILARITY = 0.8  # project names are long; a lower bar would match unrelated projects
_ADMIN_SUFFIX = re.compile(r"[县区市]$")


def database_warnings(con: duckdb.DuckDBPyConnection, parsed: ParsedFile) -> list[Finding]:
    """Cumulative drops, city-wide mixed with county rows, new names close to known ones."""
    return [finding for check in warning_checks(parsed) for finding in check(con)]


def warning_checks(parsed: ParsedFile) -> list[Callable[[duckdb.DuckDBPyConnection], list]]:
    """The database warnings as independent checks, in the order their findings are listed.
    Each takes a connection of its own: the loader runs them in parallel with its writes."""
    return [
        partial(_cumulative_drop_check, parsed),
        partial(_name_checks, parsed),
        partial(scale_warnings, parsed),
    ]


def _cumulative_drop_check(parsed: ParsedFile, con: duckdb.DuckDBPyConnection) -> list[Finding]:
    queries = named_queries("warnings.sql")
    progress = parsed_table(parsed, "progress")
    if not progress.num_rows:
        return []
    several_months = pc.count_distinct(progress["month"]).as_py() > 1
    query = "cumulative_drops" if several_months else "cumulative_drops_one_month"
    return _cumulative_drops(con, parsed, queries[query])


def _name_checks(parsed: ParsedFile, con: duckdb.DuckDBPyConnection) -> list[Finding]:
    """City-wide rows beside county rows, and new names close to known ones."""
    queries = named_queries("warnings.sql")
    known: dict[str, set[str]] = {
        "region": set(), "project": set(), "unit": set(), "department": set()
    }  # fmt: skip
    for kind, name in con.execute(queries["known_names"]).fetchall():
        if name:
            known[kind].add(name)
    findings: list[Finding] = []
    progress = parsed_table(parsed, "progress")
    if progress.num_rows:
        # the city-wide check runs its SQL only when the names say it could find something
        regions = known["region"] | set(pc.unique(progress["region"]).drop_null().to_pylist())
        if any(map(is_city_wide, regions)) and not all(map(is_city_wide, regions)):
            findings += _city_and_county(con, parsed, queries["city_and_county_rows"])
    return findings + _near_names(parsed, known)


def is_city_wide(region: str) -> bool:
    """A city-wide figure (全市): the region is the city itself, a name ending in 市, or 全市.
    (A county-level 市 counts as city-wide too: the warning asks to check, it never refuses.)"""
    return region.endswith("市") or region == "全市"


@functools.lru_cache(maxsize=4096)
def _skeleton(name: str) -> str:
    return name_skeleton(name)


def is_close_name(
    new: str, known: str, threshold: float | None = None, *, loose: bool = True
) -> bool:
    """Whether a new name looks like a variant of a known one.

    Every kind: the same skeleton (etl.reading.names.name_skeleton: the same after removing invisible
    characters, spaces and punctuation and folding full-width forms, case and Latin look-alike
    letters: `东湖\u200b区`, `东湖 区`, `(东湖区)`). With `loose` also, for region and unit names
    (no threshold): the same after removing a trailing 县/区/市 (`铜官县`, `铜官区`, `铜官`), or,
    for names of four or more characters, one edit apart. Three-character names differing in a
    character are real, different places (东湖区/西湖区, 弋江区/鸠江区). Project names (a
    threshold): difflib ratio ≥ threshold, as long names share many characters by chance.
    Departments are compared by skeleton only (市教育局/市体育局 are both real)."""
    a, b = _skeleton(new), _skeleton(known)
    if a == b:
        return new != known
    if not loose or min(len(a), len(b)) < 2:
        return False
    a_stem, b_stem = _ADMIN_SUFFIX.sub("", a), _ADMIN_SUFFIX.sub("", b)
    if a_stem and a_stem == b_stem:
        return True
    if threshold is not None:
        return difflib.SequenceMatcher(None, a, b).ratio() >= threshold
    return min(len(a), len(b)) >= _MIN_EDIT_LENGTH and _one_edit_apart(a, b)


def _one_edit_apart(a: str, b: str) -> bool:
    """Levenshtein distance exactly 1 (one character replaced, inserted or deleted)."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((i for i, (x, y) in enumerate(zip(short, long, strict=False)) if x != y), len(short))
    return short[i:] == long[i + 1 :]


def _cumulative_drops(con, parsed: ParsedFile, sql: str) -> list[Finding]:
    def say(sheet, row, _month, actual, prev_month, prev_actual):
        return sheet, row, (
            f"累计完成 {_number(actual)} 低于 {prev_month}月的 {_number(prev_actual)}，"
            "累计数一般不会减少，请核对"
        )  # fmt: skip

    return _row_warnings(con, parsed, sql, "累计完成", say)


def _city_and_county(con, parsed: ParsedFile, sql: str) -> list[Finding]:
    def say(year, month, indicator, cities, sheet, row):
        return sheet, row, (
            f"{year}年{month}月 指标“{indicator}”既有全市数据（{'、'.join(sorted(cities))}）"
            "又有县区数据，汇总时会重复计算"
        )  # fmt: skip

    return _row_warnings(con, parsed, sql, "地区", say)


def _row_warnings(con, parsed: ParsedFile, sql: str, column: str, say: Callable) -> list[Finding]:
    """One warning per row of `sql`; `say(*row)` gives the row's (sheet, source row, message)."""
    findings = []
    for found in con.execute(sql).fetchall():
        sheet, row, message = say(*found)
        findings.append(Finding(parsed.name, sheet, row, column, message, is_warning=True))
    return findings


def _near_names(parsed: ParsedFile, known: dict[str, set[str]]) -> list[Finding]:
    progress, funding = parsed_table(parsed, "progress"), parsed_table(parsed, "funding")
    scores = parsed_table(parsed, "scores")
    checks = [
        ("region", [(progress, "region"), (funding, "region")], "地区", None, True),
        ("project", [(progress, "project_name"), (funding, "project_name")], "项目名称",
         PROJECT_SIMILARITY, True),
        ("unit", [(scores, "unit")], "对象名称", None, True),
        ("department", [(progress, "department")], "责任单位", None, False),
    ]  # fmt: skip
    findings: list[Finding] = []
    for kind, sources, column, threshold, loose in checks:
        first_seen = _first_rows(sources)
        if first_seen:
            findings += _name_findings(
                parsed.name, first_seen, known[kind], column, threshold, loose
            )
    return findings


def _name_findings(file_name, first_seen, known, column, threshold, loose) -> list[Finding]:
    findings = []
    seen_forms: dict[str, str] = {}  # skeleton → first name of the file with it
    for name, (sheet, row) in first_seen.items():
        message = None
        if name not in known:
            match = next(
                (k for k in sorted(known) if is_close_name(name, k, threshold, loose=loose)), None
            )
            if match is not None:
                message = f"{column}“{visible(name)}”在数据库中没有，与已有的“{visible(match)}”相似"
        form = _skeleton(name)
        if message is None and seen_forms.get(form, name) != name:
            # `铜官 区` and `铜官区` in one file
            message = f"{column}“{visible(name)}”与本文件中的“{visible(seen_forms[form])}”相似"
        seen_forms.setdefault(form, name)
        if message is not None:
            findings.append(
                Finding(file_name, sheet, row, column, f"{message}，请确认是否为同一个", True)
            )
    return findings


def _first_rows(sources: list[tuple[pa.Table, str]]) -> dict[str, tuple[str, int]]:
    """Each distinct name with the sheet and row where it first appears."""
    first: dict[str, tuple[str, int]] = {}
    for table, column in sources:
        if not table.num_rows:
            continue
        names = table[column].to_pylist()
        places = {}  # name → position of its first row: dict keeps the first one set
        for position, name in enumerate(names):
            places.setdefault(name, position)
        sheets, rows = table["source_sheet"], table["source_row"]
        for name, position in places.items():
            if isinstance(name, str) and name not in first:
                first[name] = (sheets[position].as_py(), rows[position].as_py())
    return first


def _number(value: float) -> str:
    return f"{value:.10g}"
