"""Real DuckDB warehouse files for metrics tests, built from the project's own schema and views.

Rows are given as dicts holding only what a test cares about; the rest comes from DEFAULTS.
All rows are current (superseded_by NULL) and belong to load 1.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from metrics.db import Warehouse

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMA_SQL = REPO_ROOT / "warehouse" / "sql" / "schema.sql"
VIEWS_SQL = REPO_ROOT / "metrics" / "sql" / "marts" / "views.sql"

DEFAULTS: dict[str, dict[str, object]] = {
    "progress_report": {
        "year": 2020, "month": 6, "region": "铜官区", "project_code": "13",
        "project_name": "就业创业促进工程", "indicator": "就业见习岗位开发", "target": 100.0,
        "actual": 50.0, "unit": "人", "department": "市人社局", "category": "补助类",
    },
    "funding_report": {
        "year": 2020, "month": 6, "region": "铜官区", "project_code": "13",
        "project_name": "就业创业促进工程", "budget": 100.0, "arrived": 50.0, "disbursed": 25.0,
    },
    "score_report": {
        "year": 2020, "month": 9, "unit_type": "县区", "unit": "铜官区", "base_score": 1.5,
        "adjustment": 0.0, "note": None,
    },
    "schedule_plan": {
        "year": 2020, "project_code": None, "category": None, "month": 6, "planned_rate": 0.5,
    },
}  # fmt: skip


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: Iterable[Mapping]) -> None:
    rows = [{**DEFAULTS[table], **row} for row in rows]
    if not rows:
        return
    unknown = set().union(*rows) - set(DEFAULTS[table])
    assert not unknown, f"unknown columns for {table}: {unknown}"
    columns = list(DEFAULTS[table])
    frame = pd.DataFrame([[row[c] for c in columns] for row in rows], columns=columns, dtype=object)
    con.register("new_rows", frame)
    # one set-based insert: executemany runs a statement per row and is slow in DuckDB
    con.execute(
        f"INSERT INTO {table} ({', '.join(columns)}, load_id, superseded_by) "
        "SELECT *, 1, NULL FROM new_rows"
    )
    con.unregister("new_rows")


def _empty_template() -> Path:
    """An empty warehouse (tables + views), built once per process and copied per test."""
    global _TEMPLATE
    if _TEMPLATE is None:
        folder = Path(tempfile.mkdtemp(prefix="metrics-template-"))
        path = folder / "empty.duckdb"
        con = duckdb.connect(str(path))
        try:
            con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
            con.execute(VIEWS_SQL.read_text(encoding="utf-8"))
            con.execute("CHECKPOINT")
        finally:
            con.close()
        _TEMPLATE = path
    return _TEMPLATE


_TEMPLATE: Path | None = None


def build_db(
    path: Path,
    progress: Iterable[Mapping] = (),
    funding: Iterable[Mapping] = (),
    scores: Iterable[Mapping] = (),
    schedules: Iterable[Mapping] = (),
) -> Path:
    """Write a complete warehouse file (tables + contract views) holding the given rows."""
    shutil.copyfile(_empty_template(), path)
    con = duckdb.connect(str(path))
    try:
        _insert(con, "progress_report", progress)
        _insert(con, "funding_report", funding)
        _insert(con, "score_report", scores)
        _insert(con, "schedule_plan", schedules)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


@pytest.fixture
def db_builder():
    """build_db itself, for tests that write and swap files."""
    return build_db


@pytest.fixture(scope="session")
def warehouse_factory(tmp_path_factory):
    """make(progress=[...], funding=[...], scores=[...], schedules=[...]) -> Warehouse.

    Session-scoped so that module-scoped fixtures can share one file between parametrized cases;
    every call writes a new file.
    """
    folder = tmp_path_factory.mktemp("warehouses")
    counter = itertools.count(1)

    def make(
        progress: Iterable[Mapping] = (),
        funding: Iterable[Mapping] = (),
        scores: Iterable[Mapping] = (),
        schedules: Iterable[Mapping] = (),
    ) -> Warehouse:
        path = folder / f"warehouse-{next(counter)}.duckdb"
        return Warehouse(build_db(path, progress, funding, scores, schedules))

    return make
