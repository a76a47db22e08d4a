"""A warehouse file written before the figures' rules became macros (views.sql) is still read
with this version's rules: the reader adds the missing macros in memory."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from metrics.db import Warehouse
from metrics.filters import Filters
from metrics.funding import funding_by_region
from metrics.lagging import lagging_items
from metrics.schema import contract_macros


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from etl.demo import build_demo_database

    db = tmp_path_factory.mktemp("upgrade") / "demo.duckdb"
    build_demo_database(db)
    return db


def _strip_rules(db) -> None:
    """Leave the file without the figures' rules (macros), as a file written before them; the
    metrics queries call the rules directly."""
    con = duckdb.connect(str(db))
    try:
        for name, _ in reversed(contract_macros()):
            con.execute(f"DROP MACRO TABLE IF EXISTS {name}")
            con.execute(f"DROP MACRO IF EXISTS {name}")
        # written by an older version: its schema mark is not this version's
        con.execute("UPDATE warehouse_meta SET value = 'older' WHERE key = 'schema_sha256'")
        con.execute("CHECKPOINT")
        left = con.execute(
            "SELECT count(*) FROM duckdb_functions() "
            "WHERE database_name = current_database() AND function_type IN ('macro', 'table_macro')"
        ).fetchone()[0]
    finally:
        con.close()
    assert left == 0


def test_a_file_without_the_rules_reads_the_same_figures(demo_db, tmp_path):
    june = Filters(2025, 6)
    before_lagging = lagging_items(Warehouse(demo_db), june)
    before_funding = funding_by_region(Warehouse(demo_db), june)
    assert len(before_lagging) > 10

    old = tmp_path / "old.duckdb"
    old.write_bytes(demo_db.read_bytes())
    _strip_rules(old)
    pd.testing.assert_frame_equal(lagging_items(Warehouse(old), june), before_lagging)
    pd.testing.assert_frame_equal(funding_by_region(Warehouse(old), june), before_funding)
