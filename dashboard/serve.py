"""Start the dashboard and give its memory back when nobody uses it: `python -m dashboard.serve`.

A Streamlit process grows as pages are opened (the data and figures caches, pandas, plotly,
DuckDB's buffers) and Python does not hand that memory back to the system: after 30 sessions
it stayed at 340 MB with nobody connected. Started through this supervisor, the server watches
itself (dashboard/recycle.py); once no session has been open for MINSHENG_RECYCLE_IDLE_S
seconds (default 15) while it holds more than MINSHENG_RECYCLE_ABOVE_MB (default 200), it exits
with RECYCLE_EXIT and this loop starts a fresh one (about 70 MB until the first visit), as
uWSGI's reload-on-rss or gunicorn's max_requests do for their workers. MINSHENG_RECYCLE_IDLE_S=0
turns it off. The cost: the first visit after a restart imports the libraries and fills the
caches again (a cold start), and a page requested in the second or two of the restart is
refused once (the browser's reload, or Streamlit's reconnect, finds the new server).

Arguments are handed to `streamlit run app.py`. Ctrl-C or SIGTERM stop the server and the loop;
any other exit of the server ends the loop with its exit code.

Kept free of Streamlit and the project's other modules: this process stays small.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
RECYCLE_EXIT = 75  # EX_TEMPFAIL: "try again", the server's way to ask for a fresh process
IDLE_ENV = "MINSHENG_RECYCLE_IDLE_S"
ABOVE_ENV = "MINSHENG_RECYCLE_ABOVE_MB"
SUPERVISOR_ENV = "MINSHENG_SUPERVISOR_PID"  # the watcher acts only under its own supervisor
DEFAULT_IDLE_S = "15"
DEFAULT_ABOVE_MB = "200"


def server_command(args: list[str]) -> list[str]:
    return [sys.executable, "-m", "streamlit", "run", str(REPO_ROOT / "app.py"), *args]


def supervise(command: list[str], env: dict[str, str]) -> int:
    """Run `command` again each time it exits with RECYCLE_EXIT; return its other exit code."""
    stopping = False
    child: subprocess.Popen | None = None

    def stop(signum, _frame) -> None:
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    env = {**env, SUPERVISOR_ENV: str(os.getpid())}
    try:
        while True:
            child = subprocess.Popen(command, cwd=REPO_ROOT, env=env)
            code = child.wait()
            if stopping or code != RECYCLE_EXIT:
                return code
            print(
                f"{time.strftime('%H:%M:%S')} 看板空闲，已重启服务进程以归还内存"
                f"（{IDLE_ENV}=0 可关闭）",
                flush=True,
            )
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def main(argv: list[str] | None = None) -> int:
    env = dict(os.environ)
    env.setdefault(IDLE_ENV, DEFAULT_IDLE_S)
    env.setdefault(ABOVE_ENV, DEFAULT_ABOVE_MB)
    return supervise(server_command(sys.argv[1:] if argv is None else argv), env)


if __name__ == "__main__":
    sys.exit(main())
