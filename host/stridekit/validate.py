"""Validation of the firmware kernel on real recordings, against independent references.

`eval_real(root)` imports every record found under the shared data root (the
folders gaitpdb/, gaitndd/, ipol-gait-imu/, gaitmap-example/), runs the firmware
StepKernel over it exactly as a pod would (stridekit.importers.record), compares the
kernel's events with the reference each dataset offers and prints one table per
dataset, each naming its reference:

* gaitpdb -- the offline reference detector (stridekit.refdetect, RefEvent source 4):
  contact and toe-off |error|, step recall and precision; left/right load shares and
  symmetry indices per walk; Parkinson's vs control effect sizes (reported only);
* gaitndd -- the dataset authors' `.ts` (source 2): stride time |error| per foot
  (left strides end at column 1, the left heel strikes; the right stride of row k is
  the one whose heel strike falls inside that left stride -- the alignment the data
  show: 1-2 ms median |error| against 15-290 ms for the next stride), step recall
  and precision, and left contact/toe-off offsets against columns 1 and 1 - 4;
* ipol (events of two published IMU detectors, Barrois 2017 and Voisard 2023, each
  checked by hand: source 1) and gaitmap (motion capture, source 3) -- the
  kernel's IMU-only fallback (stridefw.imu_gait; these recordings have no insole, so
  the kernel finds it silent and steps come from the foot's pitch rate, DEGRADED):
  contact/toe-off |error|, recall and precision, IMU packets missing. Only stretches
  the reference annotates are scored (consecutive reference contacts at most
  IMU_COVER_GAP_S apart): gaitmap labels only some strides of its walks, and neither
  set labels the standing before and after. The last contact of a walk has no
  toe-off, so the kernel reports no step for it (a step ends at toe-off).

gaitndd (300 Hz) and gaitmap (204.8 Hz) are recorded faster than the pod's 100 Hz,
so they run twice: as the pod would read them (every third or second sample), and on
every source sample (results key `NAME@source`). The pod-rate figures say what a pod
would measure; the source-rate pass shows what the pod's rate costs, and that the
kernel behaves the same at another rate (it found auto-zero learning per sample, not
per unit of time: config ZERO_PERIOD_US); the sampling-rate table sets them side by side.

Matching is one-to-one, nearest first, within a tolerance per reference chosen from
how exact that reference is (not from the results): gaitpdb 100 ms (the same force
signal), gaitndd 200 ms (column 1 is an inferred heel strike, up to ~145 ms from the
force edge per SOURCE.md), ipol 150 ms (SOURCE.md: annotations ~0.1 s off the gyro
activity), gaitmap 100 ms (mocap +-5 ms). Errors are kernel minus reference. Spans a
reference cannot judge are unscored: gaitpdb stances too long to be a step (standing,
turning on a loaded foot), gaitndd strides whose samples the source marks invalid and
time outside the `.ts`, the ipol U-turn.

Robustness is reported beside the figures: sensor-fault flags and their cells (JuCo09's
dead sensor 5), invalid samples (gaitndd's -2048) and kernel steps inside them, dropped
IMU packets (ipol), and steps whose contact is the session's first sample (a foot
already loaded when recording starts: a contact that was never observed).

Thresholds and goals come from the issue; nothing here is fitted to the data.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from stridefw import balance as fw_balance
from stridefw import config as fw_config
from stridefw import records as R
from stridekit.importers import FORMATS
from stridekit.importers.common import SOURCE_NAMES, ImportedRecord, RawFoot, header_for
from stridekit.replay import KernelOutput, kernel_for, run_kernel
from stridekit.session import unwrap_u32

TOL_S = {"gaitpdb": 0.10, "gaitndd": 0.20, "ipol": 0.15, "gaitmap": 0.10}
REFERENCE = {
    "gaitpdb": "offline reference detector (stridekit.refdetect, source 4)",
    "gaitndd": "dataset authors' .ts stride times (source 2)",
    "ipol": "published IMU detectors' events, checked by hand (source 1)",
    "gaitmap": "motion capture (source 3)",
}
IMU_NOT_AVAILABLE = "not available: the kernel found no IMU-only steps"
# Datasets recorded faster than the pod samples are also run at their own rate (the
# same kernel, every source sample): the difference between the two passes is what
# the pod's sampling rate costs, the source-rate pass is the kernel's own accuracy.
SOURCE = "@source"
SOURCE_RATE_HZ = {"gaitndd": 300.0, "gaitmap": 204.8}
# gaitmap's second recording (imu_sample_ic_stride) is 102.4 Hz at the source: both
# passes read the same samples of it, so its share of the pool does not change
SOURCE_RATE_NOTE = {"gaitmap": " (imu_sample_ic_stride: 102.4 Hz, the same in both passes)"}
# A stretch between two reference contacts of one foot longer than this is not
# annotated walking (a stride of slow healthy walking takes ~1.4 s, of very slow
# pathological walking up to ~2 s): the kernel's steps there are not scored.
IMU_COVER_GAP_S = 2.5
FOOT = ("L", "R")


# ----------------------------------------------------------------- matching
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

    def add(self, other: EventStats) -> None:
        self.n_ref += other.n_ref
        self.n_found += other.n_found
        self.tp += other.tp
        self.errors_s += other.errors_s


def match(ref_s: np.ndarray, found_s: np.ndarray, tol_s: float) -> list[tuple[int, int]]:
    """One-to-one pairs (ref index, found index) within tol, closest pairs first."""
    ref = np.asarray(ref_s, float)
    found = np.asarray(found_s, float)
    cand: list[tuple[float, int, int]] = []
    if len(ref) and len(found):
        order = np.argsort(found)
        fs = found[order]
        for i, r in enumerate(ref.tolist()):
            lo = int(np.searchsorted(fs, r - tol_s, "left"))
            hi = int(np.searchsorted(fs, r + tol_s, "right"))
            for j in range(lo, hi):
                cand.append((abs(float(fs[j]) - r), i, int(order[j])))
    cand.sort()
    used_r: set[int] = set()
    used_f: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, i, j in cand:
        if i not in used_r and j not in used_f:
            used_r.add(i)
            used_f.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def in_spans(t_s: np.ndarray, spans: Sequence[tuple[float, float]], pad_s: float) -> np.ndarray:
    """Which times fall inside any span widened by pad_s."""
    t = np.asarray(t_s, float)
    m = np.zeros(len(t), bool)
    for a, b in spans:
        m |= (t >= a - pad_s) & (t <= b + pad_s)
    return m


def score(
    ref_s: np.ndarray,
    found_s: np.ndarray,
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


# ----------------------------------------------------------------- per foot
@dataclass
class FootResult:
    """Everything measured on one foot of one record (picklable, for a process pool)."""

    dataset: str
    record: str
    group: str
    foot: int
    n_samples: int
    n_steps: int
    contact: EventStats | None = None  # None: no reference event times for this foot
    toe_off: EventStats | None = None
    stride: EventStats | None = None  # gaitndd: strides (n_ref rows, errors stride time)
    flags: int = 0  # kernel session flags at the end
    fault_cells: int = 0  # cells ever reported faulty (bit i = cell i)
    invalid_samples: int = 0
    dropped_packets: int = 0
    steps_in_invalid: int = 0  # kernel contacts inside spans of invalid source samples
    start_steps: int = 0  # steps whose contact is the first sample (never observed)
    excluded_rows: int = 0  # reference rows left unscored (invalid source samples)
    impulse_dnms: list[int] = field(default_factory=list)
    peak_dn: list[int] = field(default_factory=list)
    loading_n_s: list[int] = field(default_factory=list)
    stance_us: list[int] = field(default_factory=list)
    raw_impulse_ns: float = math.nan  # gaitpdb: integral of the published total force
    notes: list[str] = field(default_factory=list)
    imu_missing: int = 0  # samples the kernel saw without an IMU packet
    # the same samples through the kernel inside MicroPython: Step/Flag records and
    # counters identical to CPython (None: not run; see mpy_error)
    mpy_identical: bool | None = None
    mpy_error: str = ""


def kernel_times(out: KernelOutput) -> tuple[np.ndarray, np.ndarray, list[R.Step]]:
    """Contact and toe-off times (s from the session start) of the kernel's steps."""
    steps = [R.Step.from_bytes(p) for p in out.step_payloads]
    c = unwrap_u32(np.array([s.contact_us for s in steps], np.int64))
    o = c + np.array([s.stance_us for s in steps], np.int64)
    return c / 1e6, o / 1e6, steps


def _base_result(rec: ImportedRecord, foot: RawFoot, out: KernelOutput) -> FootResult:
    c, _, steps = kernel_times(out)
    fault = 0
    flags = 0
    for p in out.flag_payloads:
        fl = R.Flag.from_bytes(p)
        fault |= fl.fault_cells
        flags = fl.flags
    res = FootResult(
        dataset=rec.dataset,
        record=rec.name,
        group=str(rec.meta.get("group", "")),
        foot=foot.foot,
        n_samples=len(foot.t_us),
        n_steps=len(steps),
        flags=flags,
        fault_cells=fault,
        invalid_samples=foot.invalid_samples,
        dropped_packets=foot.dropped_packets,
        impulse_dnms=[s.impulse_dnms for s in steps],
        peak_dn=[s.peak_force_dn for s in steps],
        loading_n_s=[s.loading_rate_n_s for s in steps],
        stance_us=[s.stance_us for s in steps],
    )
    if len(c):
        res.start_steps = int(np.count_nonzero(c <= _first_sample_s(foot)))
    if len(foot.invalid_t_us):
        spans = _spans_of(foot.invalid_t_us / 1e6, 0.1)
        res.steps_in_invalid = int(np.count_nonzero(in_spans(c, spans, 0.0)))
    return res


def _first_sample_s(foot: RawFoot) -> float:
    """Half a sample interval past the first sample: contacts up to here are unobserved."""
    if len(foot.t_us) < 2:
        return 0.0
    return float(foot.t_us[0] + (foot.t_us[1] - foot.t_us[0]) // 2) / 1e6


def _spans_of(t_s: np.ndarray, join_s: float) -> list[tuple[float, float]]:
    """Group sorted times into spans, joining neighbours closer than join_s."""
    if not len(t_s):
        return []
    t = np.sort(np.asarray(t_s, float))
    cut = np.flatnonzero(np.diff(t) > join_s)
    starts = np.concatenate([[0], cut + 1])
    ends = np.concatenate([cut, [len(t) - 1]])
    return [(float(t[a]), float(t[b])) for a, b in zip(starts, ends, strict=True)]


def eval_events(rec: ImportedRecord, foot: RawFoot, out: KernelOutput) -> FootResult:
    """Contact/toe-off against the foot's RefEvents (gaitpdb, ipol, gaitmap)."""
    res = _base_result(rec, foot, out)
    c, o, _ = kernel_times(out)
    tol = TOL_S[rec.dataset]
    uns = [(a / 1e6, b / 1e6) for a, b in foot.unscored]
    ref_c = foot.ref_times_s(R.REF_CONTACT)
    ref_o = foot.ref_times_s(R.REF_TOE_OFF)
    if rec.dataset in ("ipol", "gaitmap"):
        uns += _uncovered(ref_c, tol)
    first = _first_sample_s(foot)
    res.contact = score(ref_c, c, tol, uns, first)
    if len(ref_o):
        res.toe_off = score(ref_o, o, tol, uns)
    return res


def _uncovered(ref_c: np.ndarray, tol: float) -> list[tuple[float, float]]:
    """Spans the reference contacts do not annotate (see IMU_COVER_GAP_S).

    The spans stop 2 tol short of the covered stretches, since found events within
    tol of an unscored span are left out too.
    """
    if not len(ref_c):
        return [(-1e9, 1e9)]
    t = np.sort(ref_c)
    out = [(-1e9, float(t[0]) - 2 * tol)]
    for a, b in zip(t[:-1].tolist(), t[1:].tolist(), strict=True):
        if b - a > IMU_COVER_GAP_S:
            out.append((a + 2 * tol, b - 2 * tol))
    out.append((float(t[-1]) + 2 * tol, 1e9))
    return out


def eval_gaitndd(rec: ImportedRecord, foot: RawFoot, out: KernelOutput) -> FootResult:
    """Strides against the authors' .ts (see the module docstring for the alignment)."""
    res = _base_result(rec, foot, out)
    ts = rec.tables.get("ts")
    if ts is None or not len(ts):
        return res
    t0 = float(rec.meta.get(f"t0_s_{foot.foot}", 0.0))
    c, o, _ = kernel_times(out)
    tol = TOL_S["gaitndd"]
    t_end = ts[:, 0] - t0  # left heel strikes, session time of this foot
    t_start = t_end - ts[:, 1]
    bad = np.sort(foot.invalid_t_us / 1e6)
    if foot.foot == 0:
        lo, hi = t_start, t_end
    else:
        # right stride k ends inside left stride k and lasts column 3
        lo, hi = t_start - ts[:, 2], t_end
    has_bad = np.searchsorted(bad, hi, "right") > np.searchsorted(bad, lo, "left")
    res.excluded_rows = int(np.count_nonzero(has_bad))
    unscored = [(float(a), float(b)) for a, b in zip(lo[has_bad], hi[has_bad], strict=True)]
    # outside the .ts: unscored (found events are excluded within tol of a span, so
    # the spans stop 2 tol short of the first and last reference events)
    cover = (float(t_start[0]) - 2 * tol, float(t_end[-1]) + 2 * tol)
    unscored += [(-1e9, cover[0]), (cover[1], 1e9)]
    errors: list[float] = []
    n_rows = int(np.count_nonzero(~has_bad))
    n_ok = 0
    if foot.foot == 0:
        # the rows chain (each stride starts where the previous ended), so the left
        # heel strikes are the first row's start and every row's end
        ref_c = np.concatenate([t_start[:1], t_end])[np.concatenate([has_bad[:1], has_bad]) == 0]
        res.contact = score(ref_c, c, tol, unscored)
        ref_to = ts[:, 0] - ts[:, 3] - t0
        res.toe_off = score(ref_to[~has_bad], o, tol, unscored)
        for k in np.flatnonzero(~has_bad).tolist():
            j_end = _nearest(c, float(t_end[k]), tol)
            j_start = _nearest(c, float(t_start[k]), tol)
            if j_end is not None and j_start is not None and j_end == j_start + 1:
                errors.append(float(c[j_end] - c[j_start] - ts[k, 1]))
                n_ok += 1
        found = int(np.count_nonzero(~in_spans(c, unscored, 0.0)))
    else:
        # detection: each scored left stride holds exactly one right heel strike
        tp = fp = 0
        for k in np.flatnonzero(~has_bad).tolist():
            inside = np.flatnonzero((c > t_start[k]) & (c <= t_end[k]))
            if len(inside):
                tp += 1
                fp += len(inside) - 1
            if len(inside) == 1 and inside[0] > 0:
                j = int(inside[0])
                errors.append(float(c[j] - c[j - 1] - ts[k, 2]))
                n_ok += 1
        res.contact = EventStats(n_rows, tp + fp, tp, [])
        found = tp + fp
    res.stride = EventStats(n_rows, found, n_ok, errors)
    return res


def _nearest(t: np.ndarray, x: float, tol: float) -> int | None:
    if not len(t):
        return None
    j = int(np.argmin(np.abs(t - x)))
    return j if abs(float(t[j]) - x) <= tol else None


# ----------------------------------------------------------------- per record
def evaluate_record(rec: ImportedRecord, mpy: bool = False) -> list[FootResult]:
    """Run the kernel as a pod would and measure every foot of one record.

    With mpy, the kernel also runs inside the MicroPython interpreter on the same
    samples and FootResult.mpy_identical says whether its records match bit for bit.
    """
    out: list[FootResult] = []
    for i, foot in enumerate(rec.feet):
        # the same kernel run as `record` does, without framing a file
        hdr = header_for(rec, foot, i + 1)
        kern = kernel_for(hdr)
        ko = run_kernel(kern, foot.t_us, foot.cells, foot.imu, foot.imu_present)
        if rec.dataset == "gaitndd":
            res = eval_gaitndd(rec, foot, ko)
        else:
            res = eval_events(rec, foot, ko)
        if rec.dataset == "gaitpdb":
            total = rec.tables.get(f"total_n_{foot.foot}")
            if total is not None:
                res.raw_impulse_ns = float(np.trapezoid(total, foot.t_us / 1e6))
        res.notes = list(foot.notes) + list(foot.issues)
        res.imu_missing = kern.imu_missing
        if mpy:
            res.mpy_identical, res.mpy_error = _mpy_check(hdr, foot, ko)
        out.append(res)
    return out


def _mpy_check(hdr: R.SessionHeader, foot: RawFoot, ko: KernelOutput) -> tuple[bool | None, str]:
    from stridekit import mpy as mpy_mod
    from stridekit.mpy.kernel_run import replay_mpy

    try:
        mp = replay_mpy(hdr, foot.t_us, foot.cells, foot.imu, foot.imu_present)
    except mpy_mod.MicroPythonUnavailable as e:
        return None, str(e)
    same = (
        mp.step_payloads == ko.step_payloads
        and mp.step_at == ko.step_at
        and mp.flag_payloads == ko.flag_payloads
        and (mp.gaps, mp.bad_ticks, mp.rejected) == (ko.gaps, ko.bad_ticks, ko.rejected)
    )
    return same, ""


def _eval_path(args: tuple[str, str, bool, bool]) -> list[FootResult]:
    fmt, path, mpy, keep_rate = args
    return evaluate_record(FORMATS[fmt].read(Path(path), keep_rate), mpy)


def base_name(key: str) -> str:
    """The dataset of a results key ('gaitndd@source' -> 'gaitndd')."""
    return key.removesuffix(SOURCE)


def rate_label(key: str) -> str:
    if key.endswith(SOURCE):
        ds = base_name(key)
        return f"{SOURCE_RATE_HZ[ds]:g} Hz, the source's rate{SOURCE_RATE_NOTE.get(ds, '')}"
    return "100 Hz, the pod's rate"


# ----------------------------------------------------------------- report
@dataclass
class Goal:
    dataset: str
    name: str
    target: str
    value: float
    met: bool | None  # None: not measurable yet
    reference: str
    unit: str = ""


@dataclass
class GroupEffect:
    metric: str
    mean_pd: float
    sd_pd: float
    n_pd: int
    mean_co: float
    sd_co: float
    n_co: int
    hedges_g: float
    ci95: tuple[float, float]


@dataclass
class WalkBalance:
    record: str
    group: str
    usual: bool
    left_share_pm: float  # kernel impulses
    raw_left_share_pm: float  # published force integral
    si_pm: dict[str, int]


@dataclass
class RealReport:
    """All figures of one `eval_real` run."""

    results: dict[str, list[FootResult]] = field(default_factory=dict)
    goals: list[Goal] = field(default_factory=list)
    balance: list[WalkBalance] = field(default_factory=list)
    effects: list[GroupEffect] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def goals_met(self) -> bool:
        """True when every measurable goal is met and MicroPython matched where it ran."""
        mpy_ok = all(r.mpy_identical is not False for res in self.results.values() for r in res)
        return mpy_ok and all(g.met is not False for g in self.goals)


def collect(
    root: Path, workers: int = 0, datasets: Sequence[str] | None = None, mpy_records: int = 1
) -> RealReport:
    """Import and evaluate every record found under root (no printing).

    The first `mpy_records` records of each dataset also run inside MicroPython.
    `datasets` names FORMATS keys, and `NAME@source` for the source-rate pass of a
    dataset in SOURCE_RATE_HZ (None: every dataset, both passes).
    """
    rep = RealReport()
    jobs: list[tuple[str, str, bool, bool]] = []
    keys: list[str] = []
    for name, fmt in FORMATS.items():
        passes = [(name, False)]
        if name in SOURCE_RATE_HZ:
            passes.append((name + SOURCE, True))
        passes = [(k, keep) for k, keep in passes if datasets is None or k in datasets]
        if not passes:
            continue
        folder = root / fmt.folder
        if not folder.is_dir():
            rep.missing.append(name)
            continue
        for key, keep in passes:
            for i, p in enumerate(fmt.find(folder)):
                jobs.append((name, str(p), i < mpy_records and not keep, keep))
                keys.append(key)
    n = workers if workers > 0 else min(os.cpu_count() or 1, 8)
    if n > 1 and len(jobs) > 1:
        # fork: the workers need nothing but this module (no main-module guard needed)
        method = "fork" if "fork" in get_all_start_methods() else "spawn"
        with ProcessPoolExecutor(n, mp_context=get_context(method)) as pool:
            outs = list(pool.map(_eval_path, jobs, chunksize=1))
    else:
        outs = [_eval_path(j) for j in jobs]
    for key, res in zip(keys, outs, strict=True):
        rep.results.setdefault(key, []).extend(res)
    rep.goals = goals(rep.results)
    if "gaitpdb" in rep.results:
        rep.balance = walk_balance(rep.results["gaitpdb"])
        rep.effects = group_effects(rep.balance)
    return rep


def pooled(results: Sequence[FootResult], what: str) -> EventStats:
    tot = EventStats()
    for r in results:
        s: EventStats | None = getattr(r, what)
        if s is not None:
            tot.add(s)
    return tot


def _ratio(a: int, b: int) -> float:
    return a / b if b else math.nan


def goals(results: dict[str, list[FootResult]]) -> list[Goal]:
    """The issue's goals, measured."""
    g: list[Goal] = []
    for key in ("gaitndd", "gaitndd" + SOURCE):
        if key not in results:
            continue
        st = pooled(results[key], "stride")
        ref = f"{REFERENCE['gaitndd']}; {rate_label(key)}"
        med, p95 = abs_ms(st.errors_s, 50), abs_ms(st.errors_s, 95)
        g.append(Goal(key, "stride time |error| median", "<= 5 ms", med, med <= 5, ref, "ms"))
        g.append(Goal(key, "stride time |error| p95", "<= 20 ms", p95, p95 <= 20, ref, "ms"))
    for ds in ("gaitpdb", "gaitndd"):
        if ds not in results:
            continue
        c = pooled(results[ds], "contact")
        rec_ = _ratio(c.tp, c.n_ref)
        prec = _ratio(c.tp, c.n_found)
        g.append(Goal(ds, "step recall", ">= 99 %", 100 * rec_, rec_ >= 0.99, REFERENCE[ds], "%"))
        g.append(
            Goal(ds, "step precision", ">= 99 %", 100 * prec, prec >= 0.99, REFERENCE[ds], "%")
        )
        if ds == "gaitpdb":
            med = abs_ms(c.errors_s, 50)
            g.append(
                Goal(ds, "contact |error| median", "<= 10 ms", med, med <= 10, REFERENCE[ds], "ms")
            )
    for ds in ("ipol", "gaitmap", "gaitmap" + SOURCE):
        if ds not in results:
            continue
        c = pooled(results[ds], "contact")
        ref = REFERENCE[base_name(ds)]
        if ds.endswith(SOURCE):
            ref = f"{ref}; {rate_label(ds)}"
        if c.n_found == 0:
            g.append(
                Goal(
                    ds,
                    "IMU-only contact |error| median",
                    "<= 20 ms",
                    math.nan,
                    None,
                    ref,
                    "ms",
                )
            )
        else:
            med = abs_ms(c.errors_s, 50)
            g.append(
                Goal(
                    ds,
                    "IMU-only contact |error| median",
                    "<= 20 ms",
                    med,
                    med <= 20,
                    ref,
                    "ms",
                )
            )
    return g


_SI_METRICS: dict[str, Callable[[FootResult], list[int]]] = {
    "impulse": lambda r: r.impulse_dnms,
    "peak force": lambda r: r.peak_dn,
    "loading rate": lambda r: r.loading_n_s,
    "stance": lambda r: r.stance_us,
}


def walk_balance(results: Sequence[FootResult]) -> list[WalkBalance]:
    """Left/right shares and symmetry indices per gaitpdb walk, from the kernel's steps.

    SI = (L - R) / ((L + R) / 2) in per mille (Robinson et al. 1987), from the walk's
    per-foot means, computed by the firmware's own stridefw.balance.symmetry_pm.
    """
    by: dict[str, dict[int, FootResult]] = {}
    for r in results:
        by.setdefault(r.record, {})[r.foot] = r
    out: list[WalkBalance] = []
    for name, feet in sorted(by.items()):
        if 0 not in feet or 1 not in feet or not feet[0].n_steps or not feet[1].n_steps:
            continue
        left, right = feet[0], feet[1]
        si = {
            k: fw_balance.symmetry_pm(int(np.mean(f(left))), int(np.mean(f(right))))
            for k, f in _SI_METRICS.items()
        }
        li, ri = sum(left.impulse_dnms), sum(right.impulse_dnms)
        raw = left.raw_impulse_ns / (left.raw_impulse_ns + right.raw_impulse_ns)
        out.append(
            WalkBalance(
                name, left.group, name.endswith("_01"), 1000 * li / (li + ri), 1000 * raw, si
            )
        )
    return out


def hedges_g(a: Sequence[float], b: Sequence[float]) -> tuple[float, tuple[float, float]]:
    """Hedges' g of a - b with an approximate 95 % interval (Hedges & Olkin 1985)."""
    n1, n2 = len(a), len(b)
    if n1 < 2 or n2 < 2:
        return math.nan, (math.nan, math.nan)
    s = math.sqrt(((n1 - 1) * np.var(a, ddof=1) + (n2 - 1) * np.var(b, ddof=1)) / (n1 + n2 - 2))
    if s == 0:
        return math.nan, (math.nan, math.nan)
    d = (float(np.mean(a)) - float(np.mean(b))) / s
    g = d * (1 - 3 / (4 * (n1 + n2) - 9))
    se = math.sqrt((n1 + n2) / (n1 * n2) + g * g / (2 * (n1 + n2)))
    return g, (g - 1.96 * se, g + 1.96 * se)


def group_effects(walks: Sequence[WalkBalance]) -> list[GroupEffect]:
    """PD vs control on the usual walks (one per subject): |SI| and |left share - 50 %|."""
    usual = [w for w in walks if w.usual]
    metrics: dict[str, Callable[[WalkBalance], float]] = {
        f"|SI {k}| %": (lambda w, k=k: abs(w.si_pm[k]) / 10) for k in _SI_METRICS
    }
    metrics["|left share - 50| %"] = lambda w: abs(w.left_share_pm - 500) / 10
    out: list[GroupEffect] = []
    for name, f in metrics.items():
        pd = [f(w) for w in usual if w.group == "PD"]
        co = [f(w) for w in usual if w.group == "control"]
        g, ci = hedges_g(pd, co)
        out.append(
            GroupEffect(
                name,
                float(np.mean(pd)) if pd else math.nan,
                float(np.std(pd, ddof=1)) if len(pd) > 1 else math.nan,
                len(pd),
                float(np.mean(co)) if co else math.nan,
                float(np.std(co, ddof=1)) if len(co) > 1 else math.nan,
                len(co),
                g,
                ci,
            )
        )
    return out


# ----------------------------------------------------------------- printing
def _f(x: float, fmt: str = ".1f") -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else format(x, fmt)


def _pct(a: int, b: int) -> str:
    return "-" if not b else f"{100 * a / b:.1f}"


def _flag_names(bits: int) -> str:
    names = {
        fw_config.FLAG_SENSOR_FAULT: "SENSOR_FAULT",
        fw_config.FLAG_DEGRADED: "DEGRADED",
        fw_config.FLAG_UNSTABLE: "UNSTABLE",
        fw_config.FLAG_HARD_IMPACT: "HARD_IMPACT",
        fw_config.FLAG_UNEVEN_LOAD: "UNEVEN_LOAD",
    }
    return ",".join(n for b, n in names.items() if bits & b) or "-"


def _cells(mask: int) -> str:
    return ",".join(str(i + 1) for i in range(16) if mask >> i & 1) or "-"


def print_report(rep: RealReport, console: Console) -> None:
    """One table per dataset (each naming its reference), then balance and goals."""
    for name in rep.missing:
        console.print(f"[yellow]{name}: folder not found, skipped[/]")
    if "gaitpdb" in rep.results:
        _table_events(console, "gaitpdb", rep.results["gaitpdb"])
        _table_balance(console, rep)
    if "gaitndd" in rep.results:
        _table_gaitndd(console, rep.results["gaitndd"])
    for ds in ("ipol", "gaitmap"):
        if ds in rep.results:
            _table_imu(console, ds, rep.results[ds])
    _table_rates(console, rep)
    _table_mpy(console, rep)
    _table_goals(console, rep.goals)
    _bias_spread(console, rep)


def _table_mpy(console: Console, rep: RealReport) -> None:
    rows = [
        r for res in rep.results.values() for r in res if r.mpy_identical is not None or r.mpy_error
    ]
    if not rows:
        return
    t = Table(
        title="MicroPython (WebAssembly port, 32-bit like the ESP32): same samples, same kernel"
    )
    for col in (
        "dataset",
        "record",
        "foot",
        "samples",
        "steps",
        "records bit-identical to CPython",
    ):
        t.add_column(col, justify="right" if col in ("samples", "steps") else "left")
    for r in rows:
        if r.mpy_identical is None:
            verdict = f"not run: {r.mpy_error}"
        else:
            verdict = "[green]yes[/]" if r.mpy_identical else "[red]NO[/]"
        t.add_row(r.dataset, r.record, FOOT[r.foot], str(r.n_samples), str(r.n_steps), verdict)
    console.print(t)


def _table_events(console: Console, ds: str, results: list[FootResult]) -> None:
    t = Table(
        title=f"{ds}: kernel vs {REFERENCE[ds]}, tolerance {TOL_S[ds] * 1000:.0f} ms",
        caption="|err| in ms (kernel - reference); start: steps whose contact is the first "
        "sample (foot loaded when recording began); faults: cells the kernel flagged",
    )
    for col in (
        "record",
        "grp",
        "foot",
        "ref",
        "kernel",
        "missed",
        "extra",
        "recall %",
        "precision %",
        "contact med",
        "contact p95",
        "toe-off med",
        "toe-off p95",
        "start",
        "flags",
        "faults",
    ):
        t.add_column(col, justify="left" if col in ("record", "grp", "flags") else "right")
    for r in results:
        c = r.contact or EventStats()
        o = r.toe_off or EventStats()
        t.add_row(
            r.record,
            r.group,
            FOOT[r.foot],
            str(c.n_ref),
            str(c.n_found),
            str(c.fn),
            str(c.fp),
            _pct(c.tp, c.n_ref),
            _pct(c.tp, c.n_found),
            _f(abs_ms(c.errors_s, 50)),
            _f(abs_ms(c.errors_s, 95)),
            _f(abs_ms(o.errors_s, 50)),
            _f(abs_ms(o.errors_s, 95)),
            str(r.start_steps),
            _flag_names(r.flags),
            _cells(r.fault_cells),
        )
    c = pooled(results, "contact")
    o = pooled(results, "toe_off")
    t.add_section()
    t.add_row(
        "all",
        "",
        "",
        str(c.n_ref),
        str(c.n_found),
        str(c.fn),
        str(c.fp),
        _pct(c.tp, c.n_ref),
        _pct(c.tp, c.n_found),
        _f(abs_ms(c.errors_s, 50)),
        _f(abs_ms(c.errors_s, 95)),
        _f(abs_ms(o.errors_s, 50)),
        _f(abs_ms(o.errors_s, 95)),
        str(sum(r.start_steps for r in results)),
        "",
        "",
    )
    console.print(t)


def _table_balance(console: Console, rep: RealReport) -> None:
    t = Table(
        title="gaitpdb: left/right balance per walk (kernel steps; SI = (L-R)/((L+R)/2))",
        caption="left share: kernel step impulses; raw: integral of the published total forces "
        "(whole walk). SI in % (+: left larger), stridefw.balance.symmetry_pm",
    )
    for col in ("walk", "grp", "left share %", "raw %", *[f"SI {k} %" for k in _SI_METRICS]):
        t.add_column(col, justify="left" if col in ("walk", "grp") else "right")
    for w in rep.balance:
        t.add_row(
            w.record,
            w.group,
            f"{w.left_share_pm / 10:.1f}",
            f"{w.raw_left_share_pm / 10:.1f}",
            *[f"{w.si_pm[k] / 10:+.1f}" for k in _SI_METRICS],
        )
    console.print(t)
    e = Table(
        title="gaitpdb: Parkinson's vs control, usual walks (one per subject) -- reported, not tuned",
        caption="Hedges' g (PD - control) with an approximate 95 % interval; with groups this "
        "small the interval is wide. Not a diagnosis.",
    )
    for col in (
        "metric",
        "PD mean",
        "PD SD",
        "n",
        "control mean",
        "control SD",
        "n ",
        "g",
        "95 % CI",
    ):
        e.add_column(col, justify="left" if col == "metric" else "right")
    for x in rep.effects:
        e.add_row(
            x.metric,
            _f(x.mean_pd, ".2f"),
            _f(x.sd_pd, ".2f"),
            str(x.n_pd),
            _f(x.mean_co, ".2f"),
            _f(x.sd_co, ".2f"),
            str(x.n_co),
            _f(x.hedges_g, "+.2f"),
            f"{_f(x.ci95[0], '+.2f')} .. {_f(x.ci95[1], '+.2f')}",
        )
    console.print(e)


def _table_gaitndd(console: Console, results: list[FootResult]) -> None:
    t = Table(
        title=f"gaitndd: kernel (100 Hz) vs {REFERENCE['gaitndd']}, tolerance 200 ms",
        caption="stride |err| ms (kernel - .ts, columns 2/3); contact/toe-off: left only "
        "(.ts columns 1 and 1-4); right: one heel strike expected per left stride; "
        "excl: .ts rows unscored because the source marks samples invalid (-2048)",
    )
    for col in (
        "record",
        "grp",
        "foot",
        "rows",
        "kernel",
        "missed",
        "extra",
        "recall %",
        "precision %",
        "strides",
        "stride med",
        "stride p95",
        "contact med",
        "toe-off med",
        "excl",
        "invalid",
        "steps in invalid",
    ):
        t.add_column(col, justify="left" if col in ("record", "grp") else "right")
    for r in results:
        c = r.contact or EventStats()
        s = r.stride or EventStats()
        o = r.toe_off
        t.add_row(
            r.record,
            r.group,
            FOOT[r.foot],
            str(c.n_ref),
            str(c.n_found),
            str(c.fn),
            str(c.fp),
            _pct(c.tp, c.n_ref),
            _pct(c.tp, c.n_found),
            str(s.tp),
            _f(abs_ms(s.errors_s, 50)),
            _f(abs_ms(s.errors_s, 95)),
            _f(abs_ms(c.errors_s, 50)) if r.foot == 0 else "-",
            _f(abs_ms(o.errors_s, 50)) if o is not None else "-",
            str(r.excluded_rows),
            str(r.invalid_samples),
            str(r.steps_in_invalid),
        )
    c = pooled(results, "contact")
    s = pooled(results, "stride")
    t.add_section()
    t.add_row(
        "all",
        "",
        "",
        str(c.n_ref),
        str(c.n_found),
        str(c.fn),
        str(c.fp),
        _pct(c.tp, c.n_ref),
        _pct(c.tp, c.n_found),
        str(s.tp),
        _f(abs_ms(s.errors_s, 50)),
        _f(abs_ms(s.errors_s, 95)),
        _f(abs_ms(pooled([r for r in results if r.foot == 0], "contact").errors_s, 50)),
        _f(abs_ms(pooled(results, "toe_off").errors_s, 50)),
        str(sum(r.excluded_rows for r in results)),
        str(sum(r.invalid_samples for r in results)),
        str(sum(r.steps_in_invalid for r in results)),
    )
    console.print(t)


def _table_imu(console: Console, ds: str, results: list[FootResult]) -> None:
    c_all = pooled(results, "contact")
    available = c_all.n_found > 0
    t = Table(
        title=f"{ds}: IMU-only events (kernel fallback, no insole) vs {REFERENCE[ds]}, "
        f"tolerance {TOL_S[ds] * 1000:.0f} ms",
        caption=(
            "|err| and bias (median signed error) in ms, kernel - reference; scored only "
            "where the reference annotates "
            f"(reference contacts <= {IMU_COVER_GAP_S:g} s apart, U-turns left out); "
            "dropped IMU: samples the kernel got without an IMU packet"
        )
        if available
        else IMU_NOT_AVAILABLE + " (no insole in these recordings)",
    )
    for col in (
        "record",
        "foot",
        "samples",
        "dropped IMU",
        "ref contacts",
        "kernel steps",
        "scored",
        "recall %",
        "precision %",
        "contact med",
        "contact p95",
        "contact bias",
        "toe-off med",
        "toe-off p95",
        "toe-off bias",
        "flags",
    ):
        t.add_column(col, justify="left" if col == "record" else "right")
    for r in results:
        c = r.contact or EventStats()
        o = r.toe_off or EventStats()
        t.add_row(
            r.record,
            FOOT[r.foot],
            str(r.n_samples),
            f"{r.imu_missing} ({_pct(r.imu_missing, r.n_samples)} %)",
            str(c.n_ref),
            str(r.n_steps),
            str(c.n_found),
            _pct(c.tp, c.n_ref) if available else "-",
            _pct(c.tp, c.n_found) if available else "-",
            _f(abs_ms(c.errors_s, 50)) if available else "-",
            _f(abs_ms(c.errors_s, 95)) if available else "-",
            _f(bias_ms(c.errors_s), "+.1f") if available else "-",
            _f(abs_ms(o.errors_s, 50)) if available else "-",
            _f(abs_ms(o.errors_s, 95)) if available else "-",
            _f(bias_ms(o.errors_s), "+.1f") if available else "-",
            _flag_names(r.flags),
        )
    if available:
        o_all = pooled(results, "toe_off")
        t.add_section()
        t.add_row(
            "all",
            "",
            str(sum(r.n_samples for r in results)),
            str(sum(r.imu_missing for r in results)),
            str(c_all.n_ref),
            str(sum(r.n_steps for r in results)),
            str(c_all.n_found),
            _pct(c_all.tp, c_all.n_ref),
            _pct(c_all.tp, c_all.n_found),
            _f(abs_ms(c_all.errors_s, 50)),
            _f(abs_ms(c_all.errors_s, 95)),
            _f(bias_ms(c_all.errors_s), "+.1f"),
            _f(abs_ms(o_all.errors_s, 50)),
            _f(abs_ms(o_all.errors_s, 95)),
            _f(bias_ms(o_all.errors_s), "+.1f"),
            "",
        )
    console.print(t)


def _table_rates(console: Console, rep: RealReport) -> None:
    """The same kernel at the pod's rate and at the source's: what sampling costs."""
    rows = [k for k in rep.results if k.endswith(SOURCE) and base_name(k) in rep.results]
    if not rows:
        return
    t = Table(
        title="Sampling rate: the same kernel on every source sample vs the pod's 100 Hz",
        caption="gaitndd: stride |err| vs the authors' .ts; gaitmap: IMU-only contact |err| "
        "vs motion capture; ms",
    )
    for col in ("dataset", "rate", "events", "|err| median", "|err| p95", "> 20 ms", "recall %"):
        t.add_column(col, justify="left" if col in ("dataset", "rate") else "right")
    for src in rows:
        for key in (base_name(src), src):
            res = rep.results[key]
            what = "stride" if base_name(key) == "gaitndd" else "contact"
            e = pooled(res, what)
            c = pooled(res, "contact")
            n_over = int(np.count_nonzero(np.abs(np.asarray(e.errors_s)) > 0.020))
            t.add_row(
                base_name(key),
                rate_label(key),
                str(e.tp),
                _f(abs_ms(e.errors_s, 50)),
                _f(abs_ms(e.errors_s, 95)),
                f"{n_over} ({_pct(n_over, e.tp)} %)",
                _pct(c.tp, c.n_ref),
            )
    console.print(t)


def _bias_spread(console: Console, rep: RealReport) -> None:
    """A pooled median can hide a recording whose reference marks contact elsewhere."""
    for ds in ("ipol", "gaitmap"):
        biases = [
            (bias_ms(r.contact.errors_s), r.record, FOOT[r.foot])
            for r in rep.results.get(ds, [])
            if r.contact is not None and r.contact.errors_s
        ]
        if len(biases) < 2:
            continue
        lo, hi = min(biases), max(biases)
        console.print(
            f"{ds}: IMU-only contact bias per recording and foot from {lo[0]:+.1f} ms "
            f"({lo[1]} {lo[2]}) to {hi[0]:+.1f} ms ({hi[1]} {hi[2]}): not one constant "
            "offset, which the pooled median above does not show"
        )


def _table_goals(console: Console, gl: list[Goal]) -> None:
    t = Table(title="Goals (issue 8)")
    for col in ("dataset", "figure", "goal", "measured", "met", "reference"):
        t.add_column(col, justify="right" if col in ("measured",) else "left")
    for g in gl:
        if g.met is None:
            val, met = IMU_NOT_AVAILABLE, "-"
        else:
            val = f"{g.value:.1f} {g.unit}".strip()
            met = "[green]yes[/]" if g.met else "[red]NO[/]"
        t.add_row(g.dataset, g.name, g.target, val, met, g.reference)
    console.print(t)
    console.print(
        "References: " + "; ".join(f"source {k} = {v}" for k, v in SOURCE_NAMES.items() if k)
    )


def eval_real(
    path: Path,
    console: Console | None = None,
    workers: int = 0,
    datasets: Sequence[str] | None = None,
    mpy_records: int = 1,
) -> RealReport:
    """Validate the kernel on the real recordings under `path`; print and return the figures.

    Args:
        path: the shared data root holding gaitpdb/, gaitndd/, ipol-gait-imu/,
            gaitmap-example/ (any subset; missing folders are reported and skipped).
        console: where the tables go (a new rich Console if None).
        workers: processes for the per-record work (0: one per CPU, at most 8; 1: none).
        datasets: restrict to these dataset names (FORMATS keys).
        mpy_records: records per dataset also run inside MicroPython (bit-identity check;
            noted as not run when the interpreter is not installed).

    Returns:
        The figures; `RealReport.goals_met` says whether every measurable goal is met.
    """
    if not path.is_dir():
        raise FileNotFoundError(f"{path}: not a folder")
    rep = collect(path, workers, datasets, mpy_records)
    print_report(rep, console or Console())
    return rep
