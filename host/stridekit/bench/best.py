"""Best-of-N time: a busy machine only ever makes a run slower."""

from __future__ import annotations

import time
from collections.abc import Callable

REPEATS = 5


def best_s(
    fn: Callable[[], object],
    repeats: int = REPEATS,
    clock: Callable[[], float] = time.perf_counter,
) -> float:
    """The fastest of `repeats` runs of fn, seconds of `clock` (wall time by default;
    time.process_time for this process's CPU time, what "per core" figures mean:
    other processes on the machine then cost it far less)."""
    best = float("inf")
    for _ in range(repeats):
        t0 = clock()
        fn()
        best = min(best, clock() - t0)
    return best
