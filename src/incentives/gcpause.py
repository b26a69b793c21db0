"""Pausing the cyclic garbage collector around allocation-heavy work.

Contract: inside :func:`collection_paused` the cyclic collector does not run;
on leaving (normally or by an exception) it is turned back on if, and only
if, it was on before. Loading a plan and running one allocate many small
objects that all stay alive until the result is built, so the collector's
passes find almost nothing to free and only cost time: pausing it halves the
time to load a large plan or to run a large ledger (benchmarks/parse_bench.py,
benchmarks/run_bench.py). Reference counting frees everything as usual; only
garbage in reference cycles waits until the collector runs again.

The collector is process-wide. Concurrent calls in several threads are safe:
each restores only what it found, so the collector ends up on if it was on
when the first of them started.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["collection_paused"]


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the ``with`` block."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
