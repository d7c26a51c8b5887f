"""The one event matcher (stridekit.eval.matching) against brute force."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from stridekit.eval.matching import EventStats, match, score


def test_order_preserving_matching_keeps_both_pairs() -> None:
    # nearest-first pairs 0.10 with 0.06 and leaves two events unmatched
    sc = score([0.0, 0.1], [0.06, 0.15], 0.1)
    assert (sc.tp, sc.fn, sc.fp) == (2, 0, 0)
    assert np.allclose(sc.errors_s, [0.06, 0.05])


def test_unsorted_inputs_give_indices_into_the_arrays_as_given() -> None:
    assert match(np.array([1.0, 0.0]), np.array([0.02, 1.05, 7.0]), 0.1) == [(0, 1), (1, 0)]


def _brute(ref: list[float], found: list[float], tol: float) -> tuple[int, float]:
    """Most pairs, then least total error, over every order-preserving pairing."""
    best = (0, 0.0)
    n, m = len(ref), len(found)
    for k in range(1, min(n, m) + 1):
        for ri in itertools.combinations(range(n), k):
            for fi in itertools.combinations(range(m), k):
                errs = [abs(ref[a] - found[b]) for a, b in zip(ri, fi, strict=True)]
                if max(errs) <= tol and (k, -sum(errs)) > (best[0], -best[1]):
                    best = (k, sum(errs))
    return best


times = st.lists(st.integers(0, 60).map(lambda x: x / 100), max_size=5)


@given(times, times)
def test_matches_brute_force(ref: list[float], found: list[float]) -> None:
    ref, found = sorted(ref), sorted(found)
    pairs = match(np.array(ref), np.array(found), 0.1)
    n, err = _brute(ref, found, 0.1)
    assert len(pairs) == n
    assert abs(sum(abs(ref[i] - found[j]) for i, j in pairs) - err) < 1e-9
    # one-to-one, within tolerance, order-preserving
    assert len({i for i, _ in pairs}) == len({j for _, j in pairs}) == n
    assert all(abs(ref[i] - found[j]) <= 0.1 for i, j in pairs)
    assert [j for _, j in pairs] == sorted(j for _, j in pairs)


@given(times, times)
def test_counts_add_up(ref: list[float], found: list[float]) -> None:
    sc = score(ref, found, 0.1)
    assert sc.tp + sc.fn == len(ref) and sc.tp + sc.fp == len(found)
    tot = EventStats()
    tot.add(sc)
    tot.add(sc)
    assert (tot.n_ref, tot.tp, len(tot.errors_s)) == (2 * len(ref), 2 * sc.tp, 2 * sc.tp)
