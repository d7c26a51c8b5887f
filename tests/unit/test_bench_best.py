"""bench.best.best_s: the fastest of N runs, on the clock it is given."""

from __future__ import annotations

from stridekit.bench.best import best_s


def test_best_of_n_on_the_given_clock() -> None:
    ticks = iter([0.0, 5.0, 10.0, 12.0, 20.0, 29.0])  # runs of 5, 2 and 9 s
    calls: list[int] = []
    assert best_s(lambda: calls.append(1), repeats=3, clock=lambda: next(ticks)) == 2.0
    assert len(calls) == 3
