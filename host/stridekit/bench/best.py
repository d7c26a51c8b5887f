"""Best-of-N wall time: a busy machine only ever makes a run slower."""

from __future__ import annotations

import time
from collections.abc import Callable

REPEATS = 5


def best_s(fn: Callable[[], object], repeats: int = REPEATS) -> float:
    """The fastest of `repeats` runs of fn, seconds."""
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best
