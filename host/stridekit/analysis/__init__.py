"""Analysis of merged runs against the article's causes of back pain (numpy).

`analyse(runs)` takes the runner's runs in time order, the current run LAST; the
earlier ones are history for the training load and the A/B shoe comparison.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from stridekit.analysis import causes as C
from stridekit.analysis.asymmetry import Asymmetry, symmetry
from stridekit.analysis.fatigue import Fatigue, fatigue
from stridekit.analysis.gait_mode import GaitMode, gait_mode
from stridekit.analysis.impact import Impact, impact
from stridekit.analysis.instability import Instability, ShoeComparison, compare_shoes, instability
from stridekit.analysis.load import Load, dedupe_runs, load, run_key
from stridekit.analysis.steps import FootSteps, body_weight_n, foot_steps
from stridekit.errors import StrideError
from stridekit.merge import MergedRun

MIN_RUN_S = 90.0  # below this the report judges nothing about the run itself


@dataclass
class Analysis:
    run: MergedRun
    feet: list[FootSteps]  # usable steps of the feet present (left first)
    asymmetry: Asymmetry
    instability: Instability
    shoe_ab: ShoeComparison | None
    load: Load
    impact: Impact
    fatigue: Fatigue
    gait_mode: GaitMode | None = None
    duration_s: float = float("nan")  # the run's length (see run_duration_s)
    causes: list[C.Cause] = field(default_factory=list)
    not_judged: list[str] = field(default_factory=list)  # plain sentences for the report
    notes: list[str] = field(default_factory=list)  # data quality notes

    @property
    def risk_factors(self) -> list[C.Cause]:
        """The causes counted on the scale (measurable risk factors), in report order."""
        return [c for c in self.causes if c.risk_factor]

    @property
    def factors_seen(self) -> int:
        return sum(c.seen for c in self.risk_factors)

    @property
    def factors_judged(self) -> int:
        return sum(c.status == C.MEASURED for c in self.risk_factors)

    @property
    def factors_measurable(self) -> int:
        return len(C.FACTOR_RULES)

    @property
    def level(self) -> str:
        return C.level(self.factors_seen)

    @property
    def scale_text(self) -> str:
        """The count in one sentence, e.g. "Risk factors seen by the pods: none seen (...)"."""
        return (
            f"{C.SCALE_NAME}: {self.level} ({self.factors_seen} of the "
            f"{self.factors_measurable} they can measure; "
            f"{self.factors_judged} of {self.factors_measurable} judged in this run)"
        )


def run_duration_s(run: MergedRun) -> float:
    """The run's length: the latest of last sample, last step and SessionEnd over both pods.

    `MergedRun.duration_s` spans the raw samples, which stop early when a pod's raw
    capture stopped (flash full); the pod keeps recording steps, and
    `Session.duration_s` knows it.
    """
    ends = [run.duration_s]
    for s, c in ((run.left, run.left_clock), (run.right, run.right_clock)):
        if s is None or c is None:
            continue
        end_us = float(c.host_us(np.array([s.duration_s * 1e6]))[0])
        ends.append(end_us / 1e6 - run.start_unix_s)
    if run.steps:
        last = run.steps[-1]
        ends.append(last.t_s + last.step.stance_us / 1e6)
    return max(ends)


def _symmetry(ls: FootSteps, rs: FootSteps, mode: GaitMode) -> Asymmetry:
    # asymmetry.symmetry takes the gait mode once it judges each mode on its own
    # healthy baseline; until then it takes the two feet only.
    fn: Callable[..., Asymmetry] = symmetry
    if len(inspect.signature(fn).parameters) >= 3:
        return fn(ls, rs, mode.main)
    return fn(ls, rs)


def analyse(runs: Sequence[MergedRun]) -> Analysis:
    """Analyse the last run of `runs` (history before it). Never raises for bad data."""
    if not runs:
        raise StrideError("no runs to analyse")
    run = runs[-1]
    # the same sessions given twice (two copies of a file) count once
    runs = [*(r for r in dedupe_runs(runs[:-1]) if run_key(r) != run_key(run)), run]
    feet = [foot_steps(run, f) for f in (0, 1) if (run.left, run.right)[f] is not None]
    notes = list(run.issues)
    duration_s = run_duration_s(run)
    mode = gait_mode(feet)
    too_short = duration_s < MIN_RUN_S
    if too_short:
        short_reason = (
            f"run too short to judge ({duration_s:.0f} s; need at least {MIN_RUN_S:.0f} s)"
        )
        asym = Asymmetry(False, short_reason)
        inst = Instability(False, short_reason)
        imp = Impact(False, short_reason, [])
        fat = Fatigue(False, short_reason)
    else:
        if run.both_feet:
            asym = _symmetry(feet[0], feet[1], mode)
        else:
            present = "left" if run.left is not None else "right"
            asym = Asymmetry(
                False, f"one foot only (the {present} pod): left/right comparison impossible"
            )
        inst = instability(feet)
        imp = impact(feet)
        fat = fatigue(feet, duration_s)
    ab = _shoe_ab(runs)
    ld = load(runs)
    a = Analysis(run, feet, asym, inst, ab, ld, imp, fat, mode, duration_s, notes=notes)
    judge(a)
    return a


def _shoe_ab(runs: Sequence[MergedRun]) -> ShoeComparison | None:
    run = runs[-1]
    if not run.shoe:
        return None
    others = [
        r
        for r in runs[:-1]
        if r.shoe and r.shoe != run.shoe and (not run.runner or r.runner == run.runner)
    ]
    if not others:
        return None
    other = others[-1]

    def feet_of(r: MergedRun) -> list[FootSteps]:
        return [foot_steps(r, f) for f in (0, 1) if (r.left, r.right)[f] is not None]

    return compare_shoes((other.shoe, feet_of(other)), (run.shoe, feet_of(run)))


def num(x: float) -> float | None:
    """A float for JSON: None for NaN or infinity."""
    return float(x) if math.isfinite(x) else None


def _lld_cause(a: Analysis, nj: list[str]) -> C.Cause:
    name = "Leg-length difference (unequal stress through the limbs)"
    asym = a.asymmetry
    if not (asym.judged and asym.lld is not None):
        nj.append(f"Leg-length difference / left-right loading: {asym.reason}")
        return C.Cause("lld", name, C.NOT_JUDGED, asym.reason)
    lld = asym.lld
    uneven = bool(getattr(asym, "uneven", False))
    uneven_text = str(getattr(asym, "uneven_text", ""))
    category = str(getattr(lld, "category", "likely" if lld.detected else "none"))
    seen = bool(lld.detected or uneven)
    # one unit for loading rate in the whole report: body weights per second
    bw = float(np.mean([body_weight_n(f) for f in a.feet])) if a.feet else float("nan")
    ev: list[str] = []
    metrics: dict[str, object] = {}
    for m in asym.metrics:
        lm, rm, unit = m.left_mean, m.right_mean, m.unit
        if m.field == "loading_rate_n_s" and bw > 0:
            lm, rm, unit = lm / bw, rm / bw, "BW/s"
        ev.append(
            f"{m.label}: L {lm:.1f} / R {rm:.1f} {unit}, SI {m.si_pct:+.1f} % "
            f"(95 % CI {m.ci_low:+.1f} to {m.ci_high:+.1f})"
        )
        metrics[m.field] = {
            "label": m.label,
            "unit": unit,
            "left_mean": num(lm),
            "right_mean": num(rm),
            "si_pct": num(m.si_pct),
            "si_ci95_pct": [num(m.ci_low), num(m.ci_high)],
            "n_left": m.n_left,
            "n_right": m.n_right,
        }
    ev.append(f"strike point L - R {asym.strike_diff_pct:+.2f} % of foot length")
    if lld.detected:
        finding = lld.text + ("; " + uneven_text if uneven and uneven_text else "")
    else:
        finding = (uneven_text + "; " if uneven_text else "") + lld.text
    mag = num(lld.magnitude_cm)
    values: dict[str, object] = {
        "category": category,
        "detected": bool(lld.detected),
        "uneven": uneven,
        "longer_side": lld.longer_side or None,
        "shorter_side": lld.shorter_side or None,
        "magnitude_cm": mag,
        "evidence_z": num(float(getattr(lld, "z", float("nan")))),
        "strike_diff_pct": num(asym.strike_diff_pct),
        "metrics": metrics,
    }
    unc: dict[str, object] = {
        "magnitude_ci95_cm": [num(lld.ci_cm[0]), num(lld.ci_cm[1])],
        "si_ci95_pct": {m.field: [num(m.ci_low), num(m.ci_high)] for m in asym.metrics},
    }
    return C.Cause("lld", name, C.MEASURED, finding, ev, seen, "steps", "", values, unc)


def _shoes_cause(a: Analysis, nj: list[str]) -> C.Cause:
    name = "Toning / unstable-sole shoes"
    inst = a.instability
    ab = a.shoe_ab
    if not (inst.judged or (ab is not None and ab.significant)):
        nj.append(f"Footwear instability: {inst.reason}")
        return C.Cause("shoes", name, C.NOT_JUDGED, inst.reason)
    # the A/B comparison puts the current run's shoe second: ratio > 1 is this shoe less stable
    ab_worse = ab is not None and ab.significant and ab.ratio > 1
    seen = bool(inst.flagged or ab_worse)
    ev: list[str] = []
    if inst.judged:
        ev += [
            f"CoP medial-lateral SD {inst.cop_ml_sd_mm:.2f} mm",
            f"within-step / cycle variability {inst.within_cycle_ratio:.2f}",
        ]
    if ab is not None:
        ev.append("A/B: " + ab.text)
    finding = inst.text if inst.judged else "A/B only: " + (ab.text if ab else "")
    if ab is not None and ab.significant:
        finding += "; A/B: " + ab.text
    values: dict[str, object] = {
        "flagged": bool(inst.flagged),
        "cop_ml_sd_mm": num(inst.cop_ml_sd_mm),
        "within_cycle_ratio": num(inst.within_cycle_ratio),
        "ab": None
        if ab is None
        else {
            "shoe_other": ab.shoe_a,
            "shoe_this": ab.shoe_b,
            "sd_other_mm": num(ab.sd_a_mm),
            "sd_this_mm": num(ab.sd_b_mm),
            "ratio": num(ab.ratio),
            "z": num(ab.z),
            "significant": bool(ab.significant),
            "this_shoe_less_stable": bool(ab_worse),
        },
    }
    return C.Cause("shoes", name, C.MEASURED, finding, ev, seen, "cop", "", values)


def _load_values(ld: Load) -> dict[str, object]:
    return {
        "date_known": ld.dated,
        "day": ld.day.isoformat() if ld.day else None,
        "history_days": ld.history_days,
        "undated_runs": ld.undated_runs,
        "acute_7d_min": num(ld.acute_min),
        "previous_7d_min": num(ld.previous_min),
        "change_pct": num(ld.change_pct),
        "chronic_28d_weekly_min": num(ld.chronic_weekly_min),
        "acwr": num(ld.acwr),
        "acwr_judged": ld.acwr_judged,
        "change_judged": ld.change_judged,
        "guideline_7d_min": num(ld.guideline_min),
        "guideline_met": ld.guideline_met if ld.guideline_judged else None,
        "windows": [
            {
                "first": w.first.isoformat(),
                "last": w.last.isoformat(),
                "minutes": num(w.minutes),
                "guideline_minutes": num(w.guideline_minutes),
                "runs": w.runs,
                "covered": w.covered,
                "acwr": num(w.acwr),
            }
            for w in ld.windows
        ],
    }


def _window_lines(ld: Load, guideline: bool) -> list[str]:
    out: list[str] = []
    for w in ld.windows[-6:]:
        part = "" if w.covered else " (before the first recorded run: partly covered)"
        if guideline:
            out.append(
                f"{w.first} to {w.last}: {w.guideline_minutes:.0f} of {w.minutes:.0f} min "
                f"in bouts >= 10 min{part}"
            )
        else:
            out.append(
                f"{w.first} to {w.last}: {w.minutes:.0f} min, {C.plural(w.runs, 'run')}"
                + (f", acute:chronic {w.acwr:.2f}" if math.isfinite(w.acwr) else "")
                + part
            )
    return out


def _load_causes(a: Analysis, nj: list[str]) -> list[C.Cause]:
    ld = a.load
    out: list[C.Cause] = []
    name = "Overtraining or a drastic change in training"
    vals = _load_values(ld)
    unc: dict[str, object] = {}
    if ld.judged:
        out.append(
            C.Cause(
                "load",
                name,
                C.MEASURED,
                ld.text,
                _window_lines(ld, False),
                ld.jump,
                "load",
                "",
                vals,
                unc,
            )
        )
        if not ld.acwr_judged:
            nj.append(f"Acute:chronic workload ratio: {ld.acwr_reason}")
        if not ld.change_judged:
            nj.append(f"Week-to-week change: {ld.change_reason}")
    else:
        out.append(
            C.Cause(
                "load",
                name,
                C.NOT_JUDGED,
                ld.text,
                _window_lines(ld, False),
                False,
                "load",
                values=vals,
            )
        )
        why = (
            ld.change_reason
            if ld.change_reason == ld.acwr_reason
            else (f"week-to-week change {ld.change_reason}; acute:chronic ratio {ld.acwr_reason}")
        )
        nj.append(f"Training-load change: {why}")
    name = "150 minutes of aerobic activity a week in bouts of >= 10 minutes"
    if ld.guideline_judged:
        finding = (
            ("guideline met: " if ld.guideline_met else "below the guideline: ")
            + ld.guideline_text
            + " (shown for information, not counted as a risk factor)"
        )
        out.append(
            C.Cause(
                "aerobic",
                name,
                C.MEASURED,
                finding,
                _window_lines(ld, True),
                False,
                "minutes",
                "",
                vals,
            )
        )
    else:
        out.append(C.Cause("aerobic", name, C.NOT_JUDGED, ld.guideline_text, values=vals))
        nj.append(f"Aerobic minutes: {ld.guideline_text.removeprefix('could not judge: ')}")
    return out


def _impact_cause(a: Analysis, nj: list[str]) -> C.Cause:
    name = "Impact loading (loading rate, shock, heel striking)"
    imp = a.impact
    if not imp.judged:
        nj.append(f"Impact: {imp.reason}")
        return C.Cause("impact", name, C.NOT_JUDGED, imp.reason)
    ev = [
        f"{'left' if f.foot == 0 else 'right'}: loading rate {f.loading_rate_bw_s:.0f} BW/s, "
        + (f"shock {f.shock_g:.1f} g, " if math.isfinite(f.shock_g) else "no IMU shock, ")
        + f"strike index {f.strike_pct:.0f} % ({f.pattern})"
        for f in imp.feet
    ]
    values: dict[str, object] = {
        "hard": bool(imp.hard),
        "feet": [
            {
                "foot": "left" if f.foot == 0 else "right",
                "loading_rate_bw_s": num(f.loading_rate_bw_s),
                "shock_g": num(f.shock_g),
                "strike_pct": num(f.strike_pct),
                "pattern": f.pattern,
                "hard": bool(f.hard),
            }
            for f in imp.feet
        ],
    }
    return C.Cause("impact", name, C.MEASURED, imp.text, ev, bool(imp.hard), "impact", "", values)


def _fatigue_cause(a: Analysis, nj: list[str]) -> C.Cause:
    name = "Fatigue drift within the run (lower-limb endurance)"
    fat = a.fatigue
    if not fat.judged:
        nj.append(f"Fatigue drift: {fat.reason}")
        return C.Cause("fatigue", name, C.NOT_JUDGED, fat.reason)
    ev = [f"{d.name}: {d.change_pct:+.1f} % (SE {d.se_pct:.1f})" for d in fat.drifts]
    values: dict[str, object] = {
        "drifting": bool(fat.drifting),
        "drifts": {
            d.name: {"change_pct": num(d.change_pct), "fatigued": bool(d.fatigued)}
            for d in fat.drifts
        },
    }
    unc: dict[str, object] = {"se_pct": {d.name: num(d.se_pct) for d in fat.drifts}}
    return C.Cause(
        "fatigue", name, C.MEASURED, fat.text, ev, bool(fat.drifting), "fatigue", "", values, unc
    )


def judge(a: Analysis) -> None:
    """Set a.causes and a.not_judged from the analysis parts (analyse calls it)."""
    nj: list[str] = []
    causes = [_lld_cause(a, nj), _shoes_cause(a, nj)]
    causes += _load_causes(a, nj)
    causes += [_impact_cause(a, nj), _fatigue_cause(a, nj)]
    causes += C.not_measurable()
    if a.run.damaged:
        nj.append(
            "Damaged or partly synced data: findings use the intact records only ("
            + "; ".join(
                i for i in a.run.issues if "damaged" in i or "SessionEnd" in i or "missed" in i
            )
            + ")"
        )
    a.causes = causes
    a.not_judged = nj
