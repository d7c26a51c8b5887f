"""The one event matcher: detected gait events against reference events.

Every figure of `stride eval` (simulated corpus and real recordings) and of
`stride replay` comes from `score`, so recall and timing mean the same everywhere.

The pairing is one-to-one and order-preserving (the k-th matched reference event is
paired with an earlier detected event than the (k+1)-th), pairs are at most `tol_s`
apart, the number of pairs is the largest possible and, among pairings with that many,
the total |error| is the least. A greedy "nearest first" pairing can lose a pair:
references at 0.00 and 0.10 s, detections at 0.06 and 0.15 s, tolerance 0.10 s --
nearest first pairs 0.10 with 0.06 and leaves both ends unmatched; two pairs exist.

Within tolerance, references and detections form groups that are runs in time (an
event between two members of a group lies within tol of one of them), so each group
is solved exactly on its own by dynamic programming and the groups are joined.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np


@dataclass
class EventStats:
    """Detection and timing of one kind of event against its reference."""

    n_ref: int = 0
    n_found: int = 0
    tp: int = 0
    errors_s: list[float] = field(default_factory=list)  # found - ref, matched pairs

    @property
    def fn(self) -> int:
        return self.n_ref - self.tp

    @property
    def fp(self) -> int:
        return self.n_found - self.tp

    @property
    def recall(self) -> float:
        return self.tp / self.n_ref if self.n_ref else math.nan

    @property
    def precision(self) -> float:
        return self.tp / self.n_found if self.n_found else math.nan

    def median_ms(self) -> float:
        return abs_ms(self.errors_s, 50)

    def p95_ms(self) -> float:
        return abs_ms(self.errors_s, 95)

    def add(self, other: EventStats) -> None:
        self.n_ref += other.n_ref
        self.n_found += other.n_found
        self.tp += other.tp
        self.errors_s += other.errors_s


def match(ref_s: np.ndarray, found_s: np.ndarray, tol_s: float) -> list[tuple[int, int]]:
    """Pairs (ref index, found index) of the matching described in the module docstring.

    Indices refer to the arrays as given (they need not be sorted); the pairs come back
    sorted by reference index.
    """
    ref = np.asarray(ref_s, float)
    found = np.asarray(found_s, float)
    if not len(ref) or not len(found):
        return []
    r_order = np.argsort(ref, kind="stable")
    f_order = np.argsort(found, kind="stable")
    rs = ref[r_order].tolist()
    fs = found[f_order].tolist()
    pairs: list[tuple[int, int]] = []
    for r_lo, r_hi, f_lo, f_hi in _groups(rs, fs, tol_s):
        for i, j in _match_group(rs[r_lo:r_hi], fs[f_lo:f_hi], tol_s):
            pairs.append((int(r_order[r_lo + i]), int(f_order[f_lo + j])))
    return sorted(pairs)


def _groups(rs: list[float], fs: list[float], tol: float) -> list[tuple[int, int, int, int]]:
    """Index ranges [r_lo, r_hi) x [f_lo, f_hi) of the connected runs (both sorted)."""
    out: list[tuple[int, int, int, int]] = []
    i = j = 0
    n, m = len(rs), len(fs)
    while i < n and j < m:
        # skip events with no partner within tol (the one test, |a - b| <= tol, used
        # everywhere: `fs[j] < rs[i] - tol` rounds differently at the boundary)
        if abs(rs[i] - fs[j]) > tol:
            if fs[j] < rs[i]:
                j += 1
            else:
                i += 1
            continue
        r_lo, f_lo = i, j
        i += 1
        j += 1
        # grow while the next event of either side touches the run's other side
        while True:
            if i < n and j - 1 >= f_lo and abs(rs[i] - fs[j - 1]) <= tol:
                i += 1
            elif j < m and i - 1 >= r_lo and abs(fs[j] - rs[i - 1]) <= tol:
                j += 1
            else:
                break
        out.append((r_lo, i, f_lo, j))
    return out


def _match_group(rs: list[float], fs: list[float], tol: float) -> list[tuple[int, int]]:
    """Most pairs, then least total |error|, order-preserving, within one group."""
    if len(rs) == 1 and len(fs) == 1:
        return [(0, 0)]
    n, m = len(rs), len(fs)
    # best[i][j]: (pairs, -error) using rs[:i] and fs[:j]; step remembers the move
    best = [[(0, 0.0)] * (m + 1) for _ in range(n + 1)]
    step = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cand = best[i - 1][j]
            mv = 1
            if best[i][j - 1] > cand:
                cand, mv = best[i][j - 1], 2
            e = abs(rs[i - 1] - fs[j - 1])
            if e <= tol:
                p, neg = best[i - 1][j - 1]
                if (p + 1, neg - e) > cand:
                    cand, mv = (p + 1, neg - e), 3
            best[i][j] = cand
            step[i][j] = mv
    pairs: list[tuple[int, int]] = []
    i, j = n, m
    while i > 0 and j > 0:
        mv = step[i][j]
        if mv == 3:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif mv == 2:
            j -= 1
        else:
            i -= 1
    return pairs[::-1]


def in_spans(t_s: np.ndarray, spans: Sequence[tuple[float, float]], pad_s: float) -> np.ndarray:
    """Which times fall inside any span widened by pad_s."""
    t = np.asarray(t_s, float)
    m = np.zeros(len(t), bool)
    for a, b in spans:
        m |= (t >= a - pad_s) & (t <= b + pad_s)
    return m


def score(
    ref_s: Sequence[float] | np.ndarray,
    found_s: Sequence[float] | np.ndarray,
    tol_s: float,
    unscored: Sequence[tuple[float, float]] = (),
    first_sample_s: float = -1.0,
) -> EventStats:
    """Detection counts and timing errors, leaving out unscored spans on both sides.

    Found events at or before first_sample_s are always scored: an event dated at the
    session's first sample was never observed, whatever the reference says there.
    """
    ref = np.asarray(ref_s, float)
    found = np.asarray(found_s, float)
    if len(unscored):
        ref = ref[~in_spans(ref, unscored, 0.0)]
        found = found[~in_spans(found, unscored, tol_s) | (found <= first_sample_s)]
    pairs = match(ref, found, tol_s)
    return EventStats(
        len(ref), len(found), len(pairs), [float(found[j] - ref[i]) for i, j in pairs]
    )


def abs_ms(errors_s: Sequence[float], q: float) -> float:
    """Percentile q of |error| in ms (nan if empty)."""
    if not len(errors_s):
        return math.nan
    return float(np.percentile(np.abs(np.asarray(errors_s)) * 1000, q))


def bias_ms(errors_s: Sequence[float]) -> float:
    """Median signed error in ms (kernel - reference; nan if empty): a reference that
    marks its event at another point of the signal shows as a bias, not as scatter."""
    if not len(errors_s):
        return math.nan
    return float(np.median(np.asarray(errors_s)) * 1000)
