"""Scoring detected gait events against reference events (ground truth)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class EventScore:
    """Detected vs reference events: |error| statistics and detection counts."""

    errors_s: np.ndarray  # signed, found - reference, for matched pairs
    missed: int
    extra: int

    @property
    def matched(self) -> int:
        return len(self.errors_s)

    @property
    def recall(self) -> float:
        n = self.matched + self.missed
        return self.matched / n if n else float("nan")

    @property
    def precision(self) -> float:
        n = self.matched + self.extra
        return self.matched / n if n else float("nan")

    def median_ms(self) -> float:
        return float(np.median(np.abs(self.errors_s)) * 1000) if self.matched else float("nan")

    def p95_ms(self) -> float:
        return (
            float(np.percentile(np.abs(self.errors_s), 95) * 1000) if self.matched else float("nan")
        )


def match_events(reference_s: np.ndarray, found_s: np.ndarray, tol_s: float = 0.1) -> EventScore:
    """Pair each reference event with the nearest unused detected event within tol_s."""
    found = np.sort(np.asarray(found_s, dtype=float))
    used = np.zeros(len(found), bool)
    errors: list[float] = []
    missed = 0
    for t in np.sort(np.asarray(reference_s, dtype=float)):
        if len(found) == 0:
            missed += 1
            continue
        j = int(np.searchsorted(found, t))
        best = -1
        for k in (j - 1, j):
            ok = 0 <= k < len(found) and not used[k] and abs(found[k] - t) <= tol_s
            if ok and (best < 0 or abs(found[k] - t) < abs(found[best] - t)):
                best = k
        if best < 0:
            missed += 1
        else:
            used[best] = True
            errors.append(float(found[best] - t))
    return EventScore(np.array(errors), missed, int((~used).sum()))
