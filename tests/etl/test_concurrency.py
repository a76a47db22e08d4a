"""Loading while the dashboard reads: readers never error and only ever see whole files.

A reader thread opens the warehouse the reader way (fresh in-memory instance, ATTACH READ_ONLY)
over and over, while `python -m etl load` runs in other processes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

import warehouse.connection
from etl.writing.warehouse import load_paths
from metrics.schema import read_only_connection
from tests.etl.fixtures import progress_row, progress_workbook

REPO_ROOT = Path(__file__).resolve().parents[2]


def month_file(path: Path, month: int, regions: list[str], indicators: int) -> Path:
    rows = [progress_row("13", f"指标{i}", 100, 50, month=month, region=region)
            for region in regions for i in range(indicators)]  # fmt: skip
    return progress_workbook(path, rows)


def wait_until(condition, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("超时")
        time.sleep(0.01)


def read_counts(db: Path, stop: threading.Event, counts: list[int], errors: list[str]) -> None:
    # The project's reader (read_only_connection: ATTACH READ_ONLY in a fresh in-memory
    # instance). A bare ATTACH can fail now and then: DuckDB opens the file twice while
    # attaching, and a swap between the two pairs old headers with new blocks.
    while not stop.is_set():
        try:
            con = read_only_connection(db)
        except Exception as exc:  # noqa: BLE001 - any error is the failure being tested
            errors.append(repr(exc))
            continue
        try:
            counts.append(con.execute("SELECT count(*) FROM v_progress").fetchone()[0])
        except Exception as exc:  # noqa: BLE001
            errors.append(repr(exc))
        finally:
            con.close()
        time.sleep(0.01)  # leave the 2-core CI machine to the writer now and then


def test_reader_sees_only_whole_loads(tmp_path):
    regions = [f"县{i}" for i in range(10)]
    january = month_file(tmp_path / "1月.xlsx", 1, regions, 1)  # 10 rows
    february = month_file(tmp_path / "2月.xlsx", 2, regions, 2)  # +20 rows
    county0 = month_file(tmp_path / "县0-1月更正.xlsx", 1, ["县0"], 3)  # 县0's 1 row → 3 rows
    db = tmp_path / "wh.duckdb"
    load_paths([january], db)
    # row totals after each load below: 30, 32, 30 (县0 back to 1 row), 30 (unchanged)
    whole = {10, 30, 32}
    stop, counts, errors = threading.Event(), [], []
    reader = threading.Thread(target=read_counts, args=(db, stop, counts, errors))
    reader.start()
    # One writer process runs the CLI's load four times (one interpreter start keeps the test
    # short on a 2-core machine; each load is a full lock-copy-swap of its own). After each
    # load it waits until the reader has read the new file twice, so every state is seen
    # however busy the machine is; during the loads the reader keeps reading.
    writer = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from etl.cli import main\n"
        "db, steps, paths = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]\n"
        "for k, path in enumerate(paths):\n"
        "    if main(['load', path, '--db', db, '--yes']) != 0: sys.exit(1)\n"
        "    (steps / f'loaded{k}').touch()\n"
        "    deadline = time.monotonic() + 60\n"
        "    while not (steps / f'seen{k}').exists():\n"
        "        if time.monotonic() > deadline: sys.exit(2)\n"
        "        time.sleep(0.01)\n"
    )
    steps = tmp_path / "steps"
    steps.mkdir()
    loads = (february, county0, january, january)
    try:
        process = subprocess.Popen(
            [sys.executable, "-c", writer, str(db), str(steps), *map(str, loads)],
            cwd=REPO_ROOT, env=dict(os.environ), stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        for k in range(len(loads)):
            wait_until(lambda k=k: (steps / f"loaded{k}").exists() or process.poll() is not None)
            after = len(counts)
            wait_until(lambda after=after: len(counts) >= after + 2)  # reads begun after the load
            (steps / f"seen{k}").touch()
        output, _ = process.communicate(timeout=60)
        assert process.returncode == 0, output
    finally:
        stop.set()
        reader.join(timeout=10)
    assert errors == []
    assert len(counts) > 5  # the loads are quick: how many reads fit in depends on the machine
    assert set(counts) <= whole, sorted(set(counts) - whole)
    assert {10, 32} <= set(counts)  # the reader did run across the loads
    assert counts[-1] == 30  # what a user sees now


def test_attach_is_made_again_when_the_file_is_swapped_meanwhile(tmp_path, monkeypatch):
    """A swap during ATTACH (DuckDB opens the file twice) is seen by the file's identity."""
    db, newer = tmp_path / "wh.duckdb", tmp_path / "newer.duckdb"
    load_paths([month_file(tmp_path / "1月.xlsx", 1, ["县0"], 1)], db)
    load_paths([month_file(tmp_path / "2月.xlsx", 2, ["县0"], 2)], newer)
    real, calls = warehouse.connection.identity, []

    def swap_during_first_attach(path):
        calls.append(path)
        if len(calls) == 2:  # after the first ATTACH: the loader swapped the file in
            os.replace(newer, db)
        return real(path)

    monkeypatch.setattr(warehouse.connection, "identity", swap_during_first_attach)
    con = read_only_connection(db)
    try:
        assert con.execute("SELECT count(*) FROM v_progress").fetchone()[0] == 2
    finally:
        con.close()
    assert len(calls) == 4  # two attachments, each between two looks at the file


def test_attach_error_is_retried_only_when_the_file_changed(tmp_path, monkeypatch):
    db, good = tmp_path / "wh.duckdb", tmp_path / "good.duckdb"
    db.write_bytes(b"half written" * 100)
    with pytest.raises(duckdb.Error):  # the same file before and after: its own error
        read_only_connection(db)
    load_paths([month_file(tmp_path / "1月.xlsx", 1, ["县0"], 1)], good)
    real, calls = warehouse.connection.identity, []

    def swap_after_the_failed_attach(path):
        calls.append(path)
        if len(calls) == 2:
            os.replace(good, db)
        return real(path)

    monkeypatch.setattr(warehouse.connection, "identity", swap_after_the_failed_attach)
    con = read_only_connection(db)
    con.close()
    assert len(calls) == 4
