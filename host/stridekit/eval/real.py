"""Validation of the firmware kernel on real recordings, against independent references.

`collect(root)` imports every record found under the shared data root (the
folders gaitpdb/, gaitndd/, ipol-gait-imu/, gaitmap-example/), runs the firmware
StepKernel over it exactly as a pod would (stridekit.importers.record), compares the
kernel's events with the reference each dataset offers and prints one table per
dataset, each naming its reference:

* gaitpdb -- the offline reference detector (stridekit.importers.refdetect, RefEvent source 4):
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

Thresholds and goals were set before the data were seen; nothing here is fitted to them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path

import numpy as np

from stridefw import records as R
from stridekit.eval.goals import goals, group_effects, walk_balance
from stridekit.eval.matching import EventStats, in_spans, score
from stridekit.eval.results import (
    IMU_COVER_GAP_S,
    SOURCE,
    SOURCE_RATE_HZ,
    TOL_S,
    FootResult,
    RealReport,
)
from stridekit.importers import FORMATS
from stridekit.importers.common import ImportedRecord, RawFoot, header_for
from stridekit.replay import KernelOutput, kernel_for, run_kernel
from stridekit.session import unwrap_u32


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


def collect(
    root: Path,
    workers: int = 0,
    datasets: Sequence[str] | None = None,
    mpy_records: int = 1,
    on_record: Callable[[int, int], None] | None = None,
) -> RealReport:
    """Import and evaluate every record found under root (no printing).

    The first `mpy_records` records of each dataset also run inside MicroPython.
    `datasets` names FORMATS keys, and `NAME@source` for the source-rate pass of a
    dataset in SOURCE_RATE_HZ (None: every dataset, both passes). `on_record(done,
    total)` is called after each record (a progress bar: the whole run takes minutes).
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
    if on_record is not None:
        on_record(0, len(jobs))
    if n > 1 and len(jobs) > 1:
        # fork: the workers need nothing but this module (no main-module guard needed)
        method = "fork" if "fork" in get_all_start_methods() else "spawn"
        with ProcessPoolExecutor(n, mp_context=get_context(method)) as pool:
            outs = pool.map(_eval_path, jobs, chunksize=1)
            _gather(rep, keys, outs, on_record)
    else:
        _gather(rep, keys, (_eval_path(j) for j in jobs), on_record)
    rep.goals = goals(rep.results)
    if "gaitpdb" in rep.results:
        rep.balance = walk_balance(rep.results["gaitpdb"])
        rep.effects = group_effects(rep.balance)
    return rep


def _gather(
    rep: RealReport,
    keys: list[str],
    outs: Iterable[list[FootResult]],
    on_record: Callable[[int, int], None] | None,
) -> None:
    for done, (key, res) in enumerate(zip(keys, outs, strict=True), 1):
        rep.results.setdefault(key, []).extend(res)
        if on_record is not None:
            on_record(done, len(keys))
