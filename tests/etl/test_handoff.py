"""A load lowers CPython's thread switch interval while it runs (etl.handoff) and leaves the
process as it found it: the dashboard's server threads go back to the usual 5 ms."""

import sys
import threading

import pytest

import etl.handoff
import etl.reading.parse
from etl.handoff import HANDOFF_SECONDS, quick_handoff
from etl.writing.warehouse import load_paths
from tests.etl.fixtures import PROGRESS_HEADER, progress_row, write_workbook


@pytest.fixture
def usual_interval():
    before = sys.getswitchinterval()
    sys.setswitchinterval(0.005)
    yield 0.005
    sys.setswitchinterval(before)


def test_lowered_inside_and_restored_after_nested_blocks(usual_interval):
    with quick_handoff():
        assert sys.getswitchinterval() == pytest.approx(HANDOFF_SECONDS, rel=0.05)
        with quick_handoff():
            assert sys.getswitchinterval() == pytest.approx(HANDOFF_SECONDS, rel=0.05)
        assert sys.getswitchinterval() == pytest.approx(
            HANDOFF_SECONDS, rel=0.05
        )  # the outer still runs
    assert sys.getswitchinterval() == pytest.approx(usual_interval, rel=0.05)


def test_never_raises_a_lower_interval():
    before = sys.getswitchinterval()
    sys.setswitchinterval(HANDOFF_SECONDS / 5)
    try:
        with quick_handoff():
            assert sys.getswitchinterval() == pytest.approx(HANDOFF_SECONDS / 5, rel=0.05)
        assert sys.getswitchinterval() == pytest.approx(HANDOFF_SECONDS / 5, rel=0.05)
    finally:
        sys.setswitchinterval(before)


def test_overlapping_loads_in_two_threads_restore_once_both_end(usual_interval):
    first_in, second_done = threading.Event(), threading.Event()
    seen = []

    def first():
        with quick_handoff():
            first_in.set()
            second_done.wait(5)
            seen.append(sys.getswitchinterval())  # the second ended: still lowered for this one

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with quick_handoff():
        pass
    second_done.set()
    thread.join(5)
    assert seen == [pytest.approx(HANDOFF_SECONDS, rel=0.05)]
    assert sys.getswitchinterval() == pytest.approx(usual_interval, rel=0.05)


def test_a_load_runs_lowered_and_restores_even_when_parsing_fails(
    tmp_path, monkeypatch, usual_interval
):
    path = write_workbook(tmp_path / "芜湖6月.xlsx", {"进度": [PROGRESS_HEADER, progress_row()]})
    during = []
    real_read = etl.reading.parse._read_sheets

    def read(path, parsed, limits, *order):
        during.append(sys.getswitchinterval())
        return real_read(path, parsed, limits, *order)

    monkeypatch.setattr(etl.reading.parse, "_read_sheets", read)
    [result] = load_paths([path], tmp_path / "wh.duckdb")
    assert not result.refused and during == [pytest.approx(HANDOFF_SECONDS, rel=0.05)]
    assert sys.getswitchinterval() == pytest.approx(usual_interval, rel=0.05)

    def broken(path, parsed, limits, *order):
        raise KeyboardInterrupt  # not caught as a bad file: it ends the load

    monkeypatch.setattr(etl.reading.parse, "_read_sheets", broken)
    with pytest.raises(KeyboardInterrupt):
        load_paths([path], tmp_path / "wh.duckdb")
    assert sys.getswitchinterval() == pytest.approx(usual_interval, rel=0.05)
    assert etl.handoff._depth == 0
