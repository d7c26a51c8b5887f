"""Left + right: pair the two pods' sessions of one run and put them on one clock.

Each pod counts its own microseconds from its own session start, on a crystal
that runs a few ppm fast or slow (ESP32: +-10 ppm). A Sync record pairs a device
time with the host's wall clock (unix us). Per pod we fit

    host_us = offset_us + slope * device_us      (drift_ppm = (1 / slope - 1) * 1e6)

by least squares over its Sync records. With three or more records the fit has
a residual (RMS of host - fitted), which is the alignment error we report. Two
records fit exactly (offset and drift, no residual to measure); one record gives
the offset only (drift assumed 0, marked); none falls back to the header's
epoch (whole seconds, marked). Every fallback is named in `ClockFit.method` and
in `MergedRun.issues`, never silent.

A Sync record can be wrong (a host clock that jumped, a time write from a
central that should not have made one): with three or more records, a record
further from a robust line (Theil-Sen slope, median offset) than
max(OUTLIER_MADS x its scaled MAD, OUTLIER_FLOOR_US) is left out of the fit,
and the fit reports every record's residual and which it rejected. Two records
whose drift no crystal has (beyond MAX_DRIFT_PPM) cannot say which is wrong:
the first one (written when recording started) is kept, offset only, marked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from stridefw import records as R
from stridekit.errors import StrideError
from stridekit.session import Session, unwrap_u32

# Two pods' sessions belong to one run when their time spans overlap by at least
# this share of the shorter one.
MIN_OVERLAP_SHARE = 0.5

# A Sync lands within a BLE connection interval or a serial line time of the
# host's clock (tens of ms at worst); crystals drift +-10..50 ppm. Beyond these a
# record is a fault, not noise.
OUTLIER_MADS = 5.0
OUTLIER_FLOOR_US = 250_000.0
MAX_DRIFT_PPM = 1000.0


class MergeError(StrideError, ValueError):
    """The sessions cannot be merged into one run (a foot missing, two of one foot)."""


@dataclass(frozen=True)
class ClockFit:
    """One pod's device clock -> host clock, and how well we know it."""

    offset_us: float  # host unix us at device time 0
    slope: float  # host us per device us
    n_syncs: int
    residual_us: float | None  # RMS of the least-squares fit; None when not measurable
    method: str  # "least-squares", "two-point", "offset-only", "header-epoch"
    residuals_us: tuple[float, ...] = ()  # host - fitted, per Sync record (rejected ones too)
    rejected: tuple[int, ...] = ()  # indices of Sync records left out as outliers

    def host_us(self, device_us: np.ndarray) -> np.ndarray:
        return self.offset_us + self.slope * device_us.astype(np.float64)

    @property
    def drift_ppm(self) -> float:
        """Device clock rate error, ppm (+: the pod's clock runs fast)."""
        return (1.0 / self.slope - 1.0) * 1e6

    @property
    def degraded(self) -> bool:
        return self.method in ("offset-only", "header-epoch")


def _robust_line(dev: np.ndarray, hr: np.ndarray) -> tuple[float, float]:
    """Theil-Sen slope (median of pairwise slopes) and the median offset."""
    i, j = np.triu_indices(len(dev), 1)
    dd = dev[j] - dev[i]
    ok = dd != 0
    slope = float(np.median((hr[j] - hr[i])[ok] / dd[ok])) if ok.any() else 1.0
    return float(np.median(hr - slope * dev)), slope


def _outliers(dev: np.ndarray, hr: np.ndarray) -> np.ndarray:
    """Mask of Sync records too far from a robust line through all of them."""
    off, slope = _robust_line(dev, hr)
    r = hr - (off + slope * dev)
    mad = float(np.median(np.abs(r - np.median(r)))) * 1.4826
    return np.abs(r) > max(OUTLIER_MADS * mad, OUTLIER_FLOOR_US)


def fit_clock(session: Session) -> ClockFit:
    """Least-squares offset and drift of a pod's clock from its Sync records.

    Outlying records (module docstring) are left out and listed in `rejected`;
    `residuals_us` has every record's distance from the final fit.
    """
    syncs = session.syncs
    if not syncs:
        return ClockFit(float(session.header.epoch_s) * 1e6, 1.0, 0, None, "header-epoch")
    dev = unwrap_u32(np.array([s.t_us for s in syncs], dtype=np.int64)).astype(np.float64)
    host = np.array([s.host_unix_us for s in syncs], dtype=np.float64)
    # work relative to the first record so the float64 arithmetic keeps microseconds
    h0 = host[0]
    hr = host - h0
    n = len(syncs)
    keep = np.ones(n, dtype=bool)
    if n >= 3:
        keep = ~_outliers(dev, hr)
    elif n == 2 and np.ptp(dev) >= 1e6:
        slope = (hr[1] - hr[0]) / (dev[1] - dev[0])
        if slope <= 0 or abs(1.0 / slope - 1.0) * 1e6 > MAX_DRIFT_PPM:
            keep[1] = False  # which one is wrong is unknowable: keep the first
    rejected = tuple(int(i) for i in np.flatnonzero(~keep))
    d, h = dev[keep], hr[keep]
    if len(d) == 1 or np.ptp(d) < 1e6:
        off = float(np.mean(h - d))
        resid = hr - (off + dev)
        return ClockFit(
            off + h0, 1.0, n, None, "offset-only", tuple(float(x) for x in resid), rejected
        )
    a = np.stack([np.ones_like(d), d], axis=1)
    coef, *_ = np.linalg.lstsq(a, h, rcond=None)
    resid_kept = h - a @ coef
    resid = hr - (coef[0] + coef[1] * dev)
    rms = float(np.sqrt(np.mean(resid_kept**2))) if len(d) >= 3 else None
    return ClockFit(
        float(coef[0]) + h0,
        float(coef[1]),
        n,
        rms,
        "least-squares" if len(d) >= 3 else "two-point",
        tuple(float(x) for x in resid),
        rejected,
    )


@dataclass(frozen=True)
class MergedStep:
    foot: int  # 0 left, 1 right
    t_s: float  # contact, s from the run start (host clock)
    step: R.Step


@dataclass
class MergedRun:
    """One run: both feet's steps on the host clock (or one foot, marked)."""

    left: Session | None
    right: Session | None
    left_clock: ClockFit | None
    right_clock: ClockFit | None
    start_unix_s: float  # host time of the run start (earliest session start)
    duration_s: float
    steps: list[MergedStep] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    shoe: str = ""  # for A/B comparisons (library metadata, empty when unknown)
    runner: str = ""

    @property
    def both_feet(self) -> bool:
        return self.left is not None and self.right is not None

    def foot_steps(self, foot: int) -> list[MergedStep]:
        return [s for s in self.steps if s.foot == foot]

    @property
    def residual_us(self) -> float | None:
        """Combined alignment residual of both pods (RMS), None when not measurable."""
        r = [c.residual_us for c in (self.left_clock, self.right_clock) if c is not None]
        if len(r) < 1 or any(x is None for x in r):
            return None
        return float(np.sqrt(sum(float(x) ** 2 for x in r if x is not None)))

    @property
    def alternation_pct(self) -> float:
        """Share of consecutive merged steps that change foot (a running gait alternates)."""
        feet = np.array([s.foot for s in self.steps])
        if len(feet) < 2:
            return float("nan")
        return float(np.mean(feet[1:] != feet[:-1]) * 100)

    @property
    def damaged(self) -> bool:
        return any(s is not None and (s.issues or s.end is None) for s in (self.left, self.right))


def _span_us(s: Session, c: ClockFit) -> tuple[float, float]:
    if len(s.sample_t_us):
        t = np.array([s.sample_t_us[0], s.sample_t_us[-1]])
    else:
        contact, toe = s.step_times_s()
        t = np.array([contact[0] * 1e6, toe[-1] * 1e6]) if len(contact) else np.zeros(2)
    h = c.host_us(t)
    return float(h[0]), float(h[1])


def _issues_of(s: Session, c: ClockFit) -> list[str]:
    out: list[str] = []
    foot = s.foot
    if c.method == "offset-only":
        out.append(f"{foot}: {c.n_syncs} Sync record(s): clock offset only, drift not corrected")
    elif c.method == "header-epoch":
        out.append(f"{foot}: no Sync records: aligned on the header's epoch (whole seconds)")
    if c.rejected:
        worst = max(abs(c.residuals_us[i]) for i in c.rejected) / 1e6
        out.append(
            f"{foot}: {len(c.rejected)} of {c.n_syncs} Sync record(s) left out of the clock fit "
            f"as outliers (up to {worst:.1f} s off)"
        )
    for iss in s.issues:
        out.append(f"{foot}: damaged data: {iss.reason}")
    if s.end is None:
        out.append(f"{foot}: no SessionEnd (session cut short or only partly synced)")
    elif s.end.missed:
        out.append(f"{foot}: {s.end.missed} samples missed by the pod")
    return out


def _build(left: Session | None, right: Session | None) -> MergedRun:
    pods = [(0, left), (1, right)]
    clocks: dict[int, ClockFit] = {}
    spans: list[tuple[float, float]] = []
    issues: list[str] = []
    for foot, s in pods:
        if s is None:
            continue
        c = fit_clock(s)
        clocks[foot] = c
        spans.append(_span_us(s, c))
        issues += _issues_of(s, c)
    t0 = min(a for a, _ in spans)
    t1 = max(b for _, b in spans)
    steps: list[MergedStep] = []
    for foot, s in pods:
        if s is None or not s.steps:
            continue
        contact = unwrap_u32(np.array([x.contact_us for x in s.steps], dtype=np.int64))
        t_s = (clocks[foot].host_us(contact) - t0) / 1e6
        steps += [MergedStep(foot, float(t), x) for t, x in zip(t_s, s.steps, strict=True)]
    steps.sort(key=lambda m: m.t_s)
    return MergedRun(
        left,
        right,
        clocks.get(0),
        clocks.get(1),
        t0 / 1e6,
        (t1 - t0) / 1e6,
        steps,
        issues,
    )


def merge_run(left: Session, right: Session) -> MergedRun:
    """Both feet of one run on the host clock; MergeError when they are not a pair.

    Raises:
        MergeError: the two sessions are the same foot, or do not overlap in time.
    """
    if left.header.foot != 0 or right.header.foot != 1:
        raise MergeError(f"need a left and a right session, got {left.foot} and {right.foot}")
    run = _build(left, right)
    lc, rc = run.left_clock, run.right_clock
    assert lc is not None and rc is not None
    la, lb = _span_us(left, lc)
    ra, rb = _span_us(right, rc)
    overlap = min(lb, rb) - max(la, ra)
    shorter = min(lb - la, rb - ra)
    if shorter <= 0 or overlap < MIN_OVERLAP_SHARE * shorter:
        raise MergeError(
            f"left and right sessions overlap by {max(overlap, 0) / 1e6:.1f} s of "
            f"{shorter / 1e6:.1f} s: not the same run"
        )
    return run


def one_foot_run(session: Session) -> MergedRun:
    """A run with one pod only: analysed per foot, left/right comparisons marked unjudgeable."""
    run = _build(session, None) if session.header.foot == 0 else _build(None, session)
    missing = "right" if session.header.foot == 0 else "left"
    run.issues.insert(0, f"only the {session.foot} pod: no {missing} session for this run")
    return run


def pair_sessions(sessions: Sequence[Session]) -> list[MergedRun]:
    """Group sessions into runs by time overlap of their Sync-derived spans.

    Each left session is paired with the right session it overlaps most (at least
    MIN_OVERLAP_SHARE of the shorter one); the rest become one-foot runs. Runs are
    returned in time order.
    """
    spans = [(s, _span_us(s, fit_clock(s))) for s in sessions]
    lefts = [(s, sp) for s, sp in spans if s.header.foot == 0]
    rights = [(s, sp) for s, sp in spans if s.header.foot == 1]
    used: set[int] = set()
    runs: list[MergedRun] = []
    for ls, (la, lb) in lefts:
        best, best_ov = -1, 0.0
        for j, (_, (ra, rb)) in enumerate(rights):
            if j in used:
                continue
            ov = min(lb, rb) - max(la, ra)
            shorter = min(lb - la, rb - ra)
            if shorter > 0 and ov >= MIN_OVERLAP_SHARE * shorter and ov > best_ov:
                best, best_ov = j, ov
        if best >= 0:
            used.add(best)
            runs.append(merge_run(ls, rights[best][0]))
        else:
            runs.append(one_foot_run(ls))
    for j, (rs, _) in enumerate(rights):
        if j not in used:
            runs.append(one_foot_run(rs))
    runs.sort(key=lambda r: r.start_unix_s)
    return runs
