"""Offline reference detector for insole force: contact and toe-off from total force.

The reference the kernel is measured against on gaitpdb, where the dataset has no
event labels. It is written apart from the kernel and shares none of its code or
state: it sees the whole walk at once (non-streaming), works in float newtons on
the dataset's own values (before any ADC model), and uses whole-walk statistics
where the kernel must use running estimates. What it shares with the kernel is
only the physical event definition, because timing can only be compared for the
same event: initial contact and toe-off are where the vertical force of one foot
crosses 20 N above its unloaded level (force-plate practice: 10-50 N thresholds,
20 N e.g. in Zeni et al. 2008).

Method, per foot:

1. Zero-phase low-pass: a 2nd-order Butterworth at 20 Hz run forward and backward
   (4th-order magnitude, no phase lag). Walking ground reaction force carries almost
   all of its power below 10-15 Hz (Antonsson & Mann 1985, "The frequency content of
   gait"), so this removes sensor noise and keeps the loading edges. The filtered signal is used to *find* stances.
2. Per-walk baseline: the 5th percentile of the filtered force. Swing is ~35-40 %
   of a walking stride (Perry, *Gait Analysis*), so this percentile is in swing.
3. Stance candidates: runs where filtered force exceeds baseline + 20 N. Runs
   separated by less than 100 ms are one stance (no swing is that short); a run
   counts as a step only if its peak clears baseline + max(50 N, 20 % of the
   walk's 95th-percentile load) -- a real step loads the foot, a scuff does not --
   and its length is 0.1-3 s (shorter is a bump). Two kinds of run have no single
   answer to "which step is this": one longer than 3 s (standing, or pivoting through
   a turn) and one whose force drops below the arm level between two loadings for at
   least 100 ms without reaching 20 N (a swing with residual load on the insole, or a
   foot resting lightly). They yield no reference event and are returned as unscored
   intervals, in which kernel events count neither as hits nor as false detections.
   A run loaded at the first or last sample is incomplete: no event (its contact or
   toe-off was never observable), and it is unscored too -- except that a contact
   dated at the very first sample is always false (the validation counts it).
4. Timing on the *raw* samples: each event is the crossing of baseline + 20 N
   between the two raw samples that bracket it (the one nearest the filtered
   crossing), placed by linear interpolation. Timing on the filtered signal would
   move the crossing of a steep edge earlier by up to the filter's half-width.

At 100 Hz an edge that rises from 0 N to hundreds of newtons within one sample
leaves the true crossing anywhere in that 10 ms interval; no method, this one or
the kernel's, can know where, so differences of a few ms are expected.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from stridefw import config as fw_config

# contact and toe-off: where force crosses the kernel's level (the event's definition)
EVENT_LEVEL_N = fw_config.EVENT_LEVEL_DN / 10
LOWPASS_HZ = 20.0
BASELINE_PERCENTILE = 5.0
MIN_SWING_S = 0.1
MIN_STANCE_S = 0.1
MAX_STANCE_S = 3.0
ARM_MIN_N = 50.0
ARM_FRACTION = 0.2
_SEARCH = 3  # raw samples either side of the filtered crossing searched for the raw one


@dataclass
class RefSteps:
    """Reference events of one foot, seconds on the input time axis."""

    contact_s: np.ndarray
    toe_off_s: np.ndarray
    baseline_n: float
    level_n: float
    arm_n: float
    unscored: list[tuple[float, float]]  # (start_s, end_s): no reference judgement here


def butter2_lowpass(
    fc_hz: float, fs_hz: float
) -> tuple[tuple[float, float, float], tuple[float, float]]:
    """2nd-order Butterworth low-pass by the bilinear transform with prewarping.

    Returns (b0, b1, b2), (a1, a2) for y = b0 x + b1 x' + b2 x'' - a1 y' - a2 y''.
    """
    if not 0 < fc_hz < fs_hz / 2:
        raise ValueError(f"cut-off {fc_hz} Hz must lie between 0 and {fs_hz / 2} Hz")
    k = math.tan(math.pi * fc_hz / fs_hz)
    q = math.sqrt(2.0)
    norm = 1.0 / (1.0 + q * k + k * k)
    b0 = k * k * norm
    return (b0, 2 * b0, b0), (2 * (k * k - 1) * norm, (1 - q * k + k * k) * norm)


def _biquad(x: list[float], b: tuple[float, float, float], a: tuple[float, float]) -> list[float]:
    # direct form II transposed, started in the steady state of x[0] (unity DC gain)
    b0, b1, b2 = b
    a1, a2 = a
    c = x[0]
    z2 = (b2 - a2) * c
    z1 = (b1 - a1) * c + z2
    y = [0.0] * len(x)
    for i, v in enumerate(x):
        o = b0 * v + z1
        z1 = b1 * v - a1 * o + z2
        z2 = b2 * v - a2 * o
        y[i] = o
    return y


def filtfilt(x: np.ndarray, fc_hz: float, fs_hz: float) -> np.ndarray:
    """Zero-phase low-pass: the biquad forward and backward over an odd extension."""
    n = len(x)
    if n == 0:
        return np.zeros(0)
    b, a = butter2_lowpass(fc_hz, fs_hz)
    pad = min(n - 1, round(3 * fs_hz / fc_hz))
    xs = np.asarray(x, dtype=float)
    if pad > 0:
        head = 2 * xs[0] - xs[pad:0:-1]
        tail = 2 * xs[-1] - xs[-2 : -pad - 2 : -1]
        xs = np.concatenate([head, xs, tail])
    y = _biquad(xs.tolist(), b, a)
    y = _biquad(y[::-1], b, a)[::-1]
    return np.array(y[pad : pad + n])


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    m = np.concatenate([[False], mask, [False]]).astype(np.int8)
    d = np.diff(m)
    return np.flatnonzero(d == 1), np.flatnonzero(d == -1)  # [start, end) sample indices


def _raw_crossing(t: np.ndarray, f: np.ndarray, i_f: int, level: float, rising: bool) -> float:
    """Crossing of `level` by the raw samples nearest sample i_f (first sample past it)."""
    best = -1
    for i in range(max(1, i_f - _SEARCH), min(len(f), i_f + _SEARCH + 1)):
        a, b = f[i - 1], f[i]
        hit = (a <= level < b) if rising else (a > level >= b)
        if hit and (best < 0 or abs(i - i_f) < abs(best - i_f)):
            best = i
    if best < 0:
        best = i_f
        if best <= 0 or best >= len(f):
            return float(t[min(max(best, 0), len(t) - 1)])
    a, b = float(f[best - 1]), float(f[best])
    frac = 0.0 if b == a else (level - a) / (b - a)
    frac = min(max(frac, 0.0), 1.0)
    return float(t[best - 1] + frac * (t[best] - t[best - 1]))


def _inner_unload(t: np.ndarray, run: np.ndarray, s: int, arm: float) -> bool:
    """Does the force fall below the arm level, between two loadings, for a swing's length?"""
    loaded = np.flatnonzero(run >= arm)
    if len(loaded) < 2:
        return False
    starts, ends = _runs(run[loaded[0] : loaded[-1] + 1] < arm)
    base = s + int(loaded[0])
    return any(
        t[base + b - 1] - t[base + a] >= MIN_SWING_S
        for a, b in zip(starts.tolist(), ends.tolist(), strict=True)
    )


def detect(t_s: np.ndarray, force_n: np.ndarray) -> RefSteps:
    """Reference contact and toe-off times of one foot's total vertical force (N)."""
    t = np.asarray(t_s, dtype=float)
    f = np.asarray(force_n, dtype=float)
    if len(t) != len(f):
        raise ValueError("time and force differ in length")
    if len(t) < 10:
        return RefSteps(np.zeros(0), np.zeros(0), 0.0, EVENT_LEVEL_N, ARM_MIN_N, [])
    fs = (len(t) - 1) / (t[-1] - t[0])
    ff = filtfilt(f, LOWPASS_HZ, fs)
    base = float(np.percentile(ff, BASELINE_PERCENTILE))
    level = base + EVENT_LEVEL_N
    load95 = float(np.percentile(ff, 95)) - base
    arm = base + max(ARM_MIN_N, ARM_FRACTION * load95)
    starts, ends = _runs(ff > level)
    # merge runs separated by less than MIN_SWING_S (no swing is that short)
    ms: list[int] = []
    me: list[int] = []
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        if ms and t[s] - t[me[-1] - 1] < MIN_SWING_S:
            me[-1] = e
        else:
            ms.append(s)
            me.append(e)
    contact: list[float] = []
    toe: list[float] = []
    unscored: list[tuple[float, float]] = []
    for s, e in zip(ms, me, strict=True):
        if float(ff[s:e].max()) < arm:
            continue
        c = float(t[0]) if s == 0 else _raw_crossing(t, f, s, level, rising=True)
        o = float(t[-1]) if e >= len(f) else _raw_crossing(t, f, e, level, rising=False)
        if s == 0 or e >= len(f):
            # loaded at the first or last sample: an incomplete stance with no
            # observable contact (or toe-off); steps merged into it cannot be judged
            unscored.append((c, o))
            continue
        if o - c > MAX_STANCE_S or _inner_unload(t, ff[s:e], s, arm):
            unscored.append((c, o))
        elif o - c >= MIN_STANCE_S:
            contact.append(c)
            toe.append(o)
    return RefSteps(np.array(contact), np.array(toe), base, level, arm, unscored)
