"""Giving memory back when idle: the server's watcher (dashboard.recycle) and the supervisor
that starts a fresh server when asked (dashboard.serve)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from dashboard import recycle, serve


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def run_watch(sessions: list[int], memory: float = 300.0, *, idle_s: float = 10.0):
    """Watch with one session count per poll (the last repeats); (exit code or None, time)."""
    clock, left, polls = Clock(), [], iter(sessions)
    last = [sessions[-1]]

    def count() -> int:
        last[0] = next(polls, last[0])
        return last[0]

    def leave(code: int) -> None:
        left.append(code)

    def sleep(seconds: float) -> None:
        if clock.now > 600:
            raise TimeoutError("never recycled")
        clock.sleep(seconds)

    try:
        recycle.watch(idle_s, 200, sessions=count, memory=lambda: memory, leave=leave,
                      clock=clock, sleep=sleep)  # fmt: skip
    except TimeoutError:
        return None, clock.now
    return (left[0] if left else None), clock.now


def test_recycles_after_the_idle_time_when_memory_is_high():
    code, at = run_watch([0])
    assert code == serve.RECYCLE_EXIT
    assert 10 <= at < 10 + recycle.POLL_S


def test_a_session_resets_the_idle_time():
    polls_busy = 6  # 12 s with someone connected, then nobody
    code, at = run_watch([1] * polls_busy + [0])
    assert code == serve.RECYCLE_EXIT
    assert at >= polls_busy * recycle.POLL_S + 10


def test_never_while_someone_is_connected():
    assert run_watch([2])[0] is None


def test_never_when_memory_is_already_low():
    assert run_watch([0], memory=150.0)[0] is None


def test_stops_quietly_when_streamlit_cannot_count_sessions():
    def broken() -> int:
        raise AttributeError("_session_mgr")

    recycle.watch(1, 0, sessions=broken, leave=lambda code: pytest.fail("left"))


def test_inactive_unless_started_by_its_own_supervisor(monkeypatch):
    monkeypatch.setenv(serve.IDLE_ENV, "20")
    monkeypatch.setenv(serve.ABOVE_ENV, "200")
    monkeypatch.delenv(serve.SUPERVISOR_ENV, raising=False)
    assert recycle.settings() is None  # plain `streamlit run`: never exits by itself
    monkeypatch.setenv(serve.SUPERVISOR_ENV, str(os.getppid() + 1))
    assert recycle.settings() is None  # a variable inherited from elsewhere
    monkeypatch.setenv(serve.SUPERVISOR_ENV, str(os.getppid()))
    assert recycle.settings() == (20.0, 200.0)
    monkeypatch.setenv(serve.IDLE_ENV, "0")
    assert recycle.settings() is None  # turned off


def test_supervisor_restarts_on_request_and_stops_on_any_other_exit(tmp_path: Path):
    runs = tmp_path / "runs"
    # exits "recycle me" twice, then 3; each run notes the supervisor it was told about
    script = tmp_path / "server.py"
    script.write_text(
        "import os, sys\n"
        f"runs = open({str(runs)!r}, 'a+'); runs.write(os.environ[{serve.SUPERVISOR_ENV!r}] + '\\n')\n"
        f"runs.seek(0); n = len(runs.readlines()); runs.close()\n"
        f"sys.exit({serve.RECYCLE_EXIT} if n < 3 else 3)\n",
        encoding="utf-8",
    )
    code = serve.supervise([sys.executable, str(script)], dict(os.environ))
    assert code == 3
    assert runs.read_text(encoding="utf-8").split() == [str(os.getpid())] * 3
