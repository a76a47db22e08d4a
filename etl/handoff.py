"""Quick hand-over of the GIL between the loader's threads (线程切换).

A load runs Python on one thread (checking cells) while helper threads wait in python-calamine
and DuckDB, which work without the GIL. Each of their calls takes the GIL back to start and to
return, and CPython hands it over only every `sys.getswitchinterval()` (5 ms by default): a
helper then idles for up to 5 ms behind the checking code, many times per load. Beside a busy
Python thread, opening a half-sheet workbook took 16 ms at 5 ms and 1.6 ms at 0.5 ms; a province
month loaded after another in one process took 165–178 ms instead of 224–249 ms. A fresh
process gains less, a few per cent: there both cores are busy anyway. The interval is lowered
for the duration of a load only, then put back.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

HANDOFF_SECONDS = 0.0005
_lock = threading.Lock()
_depth = 0  # loads (or parses) running in this process: the last one to end restores
_saved = 0.0


@contextmanager
def quick_handoff() -> Iterator[None]:
    """Lower the switch interval to HANDOFF_SECONDS (never raise it) while the block runs."""
    global _depth, _saved
    with _lock:
        if _depth == 0:
            _saved = sys.getswitchinterval()
            sys.setswitchinterval(min(_saved, HANDOFF_SECONDS))
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                sys.setswitchinterval(_saved)
