"""Fatigue drift within a run: how stance, cadence, loading rate and shock change from start to end.

With fatigue, contact time lengthens, cadence falls and loading rate and shock
rise (Mizrahi et al. 2000, Hum Mov Sci 19:139; Clansey et al. 2012, Med Sci
Sports Exerc 44:1917). We compare the first and last fifth of the run (after the
first minute, a warm-up) with a Welch interval; a drift counts when the change
is beyond 3 standard errors and beyond DRIFT_MIN_PCT in the fatigued direction.
Needs MIN_MINUTES of running: shorter runs barely fatigue.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from stridekit.analysis.steps import FootSteps

MIN_MINUTES = 10.0
DRIFT_MIN_PCT = 3.0
# name, Step field or "cadence", direction of fatigue (+1 rises, -1 falls)
MEASURES = (
    ("stance time", "stance_us", +1),
    ("cadence", "cadence", -1),
    ("loading rate", "loading_rate_n_s", +1),
    ("shoe shock", "shock_mg", +1),
)


@dataclass
class Drift:
    name: str
    change_pct: float
    se_pct: float
    fatigued: bool


@dataclass
class Fatigue:
    judged: bool
    reason: str
    drifts: list[Drift] = field(default_factory=list)
    drifting: bool = False
    text: str = ""


def _values(fs: FootSteps, key: str) -> tuple[np.ndarray, np.ndarray]:
    if key == "cadence":
        dt = np.diff(fs.t_s)
        ok = dt < 2 * np.median(dt)
        # steps/min of both feet = 2 x this foot's contacts per minute
        return fs.t_s[1:][ok], 120.0 / dt[ok]
    if key == "loading_rate_n_s":
        ok = fs[key] > 0  # 0: the kernel found no usable rise in that step, not a rate
        return fs.t_s[ok], fs[key][ok]
    return fs.t_s, fs[key]


def fatigue(feet: list[FootSteps], duration_s: float) -> Fatigue:
    if duration_s < MIN_MINUTES * 60 or not feet or min(len(f) for f in feet) < 100:
        return Fatigue(
            False, f"run shorter than {MIN_MINUTES:.0f} minutes: too short to show fatigue"
        )
    t0 = 60.0
    span = max(f.t_s[-1] for f in feet) - t0
    drifts: list[Drift] = []
    for name, key, direction in MEASURES:
        first: list[np.ndarray] = []
        last: list[np.ndarray] = []
        for fs in feet:
            t, v = _values(fs, key)
            first.append(v[(t >= t0) & (t < t0 + span / 5)])
            last.append(v[t >= t0 + 4 * span / 5])
        a = np.concatenate(first)
        b = np.concatenate(last)
        if len(a) < 10 or len(b) < 10 or a.mean() <= 0:
            continue
        ch = (b.mean() / a.mean() - 1) * 100
        se = 100 * math.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b)) / a.mean()
        fat = direction * ch >= DRIFT_MIN_PCT and abs(ch) >= 3 * se
        drifts.append(Drift(name, float(ch), float(se), bool(fat)))
    drifting = sum(d.fatigued for d in drifts) >= 2
    text = ", ".join(f"{d.name} {d.change_pct:+.1f} %" for d in drifts)
    text = ("fatigue drift from start to end: " if drifting else "no clear fatigue drift: ") + text
    return Fatigue(True, "", drifts, drifting, text)
