"""The demo city (示例市): a believable year of report files, loaded through the real loader.

`data/demo/` holds the generated files (see `etl.demo.generate`); `build_demo_database` loads
them into a fresh warehouse so the dashboard has something true-to-life to show on first start,
and `is_demo_database` tells the dashboard to mark what it shows as 示例数据.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

import duckdb

from etl.demo.story import DEMO_STORY
from warehouse import model
from warehouse.connection import read_only_connection
from warehouse.sql import sql_text

__all__ = ["DEMO_DIR", "DEMO_STORY", "build_demo_database", "demo_files", "is_demo_database"]

DEMO_DIR = Path(__file__).resolve().parents[2] / "data" / "demo"
DEMO_LOADED_BY = model.DEMO_LOADED_BY
IS_DEMO_SQL = sql_text(Path(__file__).resolve().parent, "is_demo.sql")


def demo_files(demo_dir: Path = DEMO_DIR) -> list[Path]:
    """The demo's report files in name order (months in order, the year's plan after them)."""
    return sorted(
        (p for p in demo_dir.iterdir() if p.suffix in (".xlsx", ".csv")), key=lambda p: p.name
    )


def build_demo_database(db_path: Path, *, overwrite: bool = False) -> list:
    """Build a fresh demo warehouse at db_path from DEMO_DIR; return the loader's LoadResults.

    The files load into a temporary database in the same folder, which then replaces db_path
    in one atomic step (readers see the old file or the new one, never half). A database that
    holds real data is not replaced unless overwrite=True.
    """
    # lazily: the loader is heavy and the CLI may not need it
    from etl.demo.ledger import write_demo_ledger
    from etl.writing.warehouse import load_paths
    from warehouse.writer import keep_file_mode

    db_path = Path(db_path)
    _refuse_real_data(db_path, overwrite)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    staging = db_path.with_name(f"{db_path.name}.demo-{os.getpid()}")
    try:
        results = load_paths(demo_files(), staging, loaded_by=DEMO_LOADED_BY, _demo=True)
        write_demo_ledger(staging)  # 督办台账: what the office did after each 通报, fixed times
        # The writers' lock of the real path, and the check again under it: a clerk's load
        # that landed while the demo files loaded must not be overwritten.
        with open(f"{db_path}.lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            _refuse_real_data(db_path, overwrite)
            keep_file_mode(db_path, staging)  # a 0600 warehouse stays 0600
            Path(f"{db_path}.wal").unlink(missing_ok=True)  # would replay onto the new file
            os.replace(staging, db_path)
    finally:
        for leftover in (staging, Path(f"{staging}.lock"), Path(f"{staging}.wal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    return results


def _refuse_real_data(db_path: Path, overwrite: bool) -> None:
    if db_path.exists() and not overwrite and not is_demo_database(db_path):
        raise FileExistsError(f"数据库 {db_path.name} 已有正式数据，不用示例数据覆盖")


def is_demo_database(db_path: Path) -> bool:
    """True when db_path exists and everything loaded into it (not refused) came from the demo."""
    db_path = Path(db_path)
    if not db_path.is_file():
        return False
    try:
        # the reader way: a load swapping the file in while attaching is retried, not misread
        con = read_only_connection(db_path)
    except duckdb.Error:
        return False  # not a DuckDB file at all
    try:
        loaded, foreign = con.execute(IS_DEMO_SQL, [DEMO_LOADED_BY]).fetchone()
    except duckdb.Error:
        return False  # not a warehouse (no load_log)
    finally:
        con.close()
    return bool(loaded) and not foreign
