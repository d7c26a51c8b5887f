"""Analysis of merged runs against the article's causes of back pain (numpy).

`analyse(runs)` takes the runner's runs in time order, the current run LAST; the
earlier ones are history for the training load and the A/B shoe comparison.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from stridekit.analysis import causes as C
from stridekit.analysis.asymmetry import Asymmetry, symmetry
from stridekit.analysis.fatigue import Fatigue, fatigue
from stridekit.analysis.impact import Impact, impact
from stridekit.analysis.instability import Instability, ShoeComparison, compare_shoes, instability
from stridekit.analysis.load import Load, load
from stridekit.analysis.steps import FootSteps, foot_steps
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
    causes: list[C.Cause] = field(default_factory=list)
    points: int = 0
    band: str = "Low"
    not_judged: list[str] = field(default_factory=list)  # plain sentences for the report
    notes: list[str] = field(default_factory=list)  # data quality notes


def analyse(runs: Sequence[MergedRun]) -> Analysis:
    """Analyse the last run of `runs` (history before it). Never raises for bad data."""
    if not runs:
        raise StrideError("no runs to analyse")
    run = runs[-1]
    feet = [foot_steps(run, f) for f in (0, 1) if (run.left, run.right)[f] is not None]
    notes = list(run.issues)
    too_short = run.duration_s < MIN_RUN_S
    if too_short:
        short_reason = (
            f"run too short to judge ({run.duration_s:.0f} s; need {MIN_RUN_S / 60:.0f} min)"
        )
        asym = Asymmetry(False, short_reason)
        inst = Instability(False, short_reason)
        imp = Impact(False, short_reason, [])
        fat = Fatigue(False, short_reason)
    else:
        if run.both_feet:
            asym = symmetry(feet[0], feet[1])
        else:
            present = "left" if run.left is not None else "right"
            asym = Asymmetry(
                False, f"one foot only (the {present} pod): left/right comparison impossible"
            )
        inst = instability(feet)
        imp = impact(feet)
        fat = fatigue(feet, run.duration_s)
    ab = _shoe_ab(runs)
    ld = load(runs)
    a = Analysis(run, feet, asym, inst, ab, ld, imp, fat, notes=notes)
    _judge(a)
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


def _judge(a: Analysis) -> None:
    causes: list[C.Cause] = []
    nj: list[str] = []

    # leg-length difference / unequal limb loading
    asym = a.asymmetry
    if asym.judged and asym.lld is not None:
        lld = asym.lld
        pts = 0
        persistent = [
            m for m in asym.metrics if m.side and m.field in ("impulse_dnms", "peak_force_dn")
        ]
        if lld.detected:
            pts = 3 if lld.magnitude_cm >= 2.0 else 2 if lld.magnitude_cm >= 1.0 else 1
        elif persistent:
            pts = 1
        ev = [
            f"{m.label}: L {m.left_mean:.1f} / R {m.right_mean:.1f} {m.unit}, SI {m.si_pct:+.1f} % "
            f"(95 % CI {m.ci_low:+.1f} to {m.ci_high:+.1f})"
            + (f", larger on the {m.side}" if m.side else "")
            for m in asym.metrics
        ]
        ev.append(f"strike point L - R {asym.strike_diff_pct:+.2f} % of foot length")
        finding = (
            lld.text
            if lld.detected
            else (
                "unequal loading: "
                + ", ".join(f"{m.label} larger on the {m.side}" for m in persistent)
                + "; "
                + lld.text
                if persistent
                else "left and right load evenly; " + lld.text
            )
        )
        causes.append(
            C.Cause(
                "lld",
                "Leg-length difference (unequal stress through the limbs)",
                C.MEASURED,
                finding,
                ev,
                pts,
                "steps",
            )
        )
    else:
        causes.append(
            C.Cause(
                "lld",
                "Leg-length difference (unequal stress through the limbs)",
                C.NOT_JUDGED,
                asym.reason,
            )
        )
        nj.append(f"Leg-length difference / left-right loading: {asym.reason}")

    # toning / unstable shoes
    inst = a.instability
    ab = a.shoe_ab
    if inst.judged or (ab is not None and ab.significant):
        pts = 0
        ab_worse = ab is not None and ab.significant and ab.ratio > 1
        if inst.flagged and ab_worse:
            pts = 3
        elif inst.flagged or ab_worse:
            pts = 2
        ev = [
            f"CoP medial-lateral SD {inst.cop_ml_sd_mm:.2f} mm (provisional reference 1.2 mm)",
            f"within-step / cycle variability {inst.within_cycle_ratio:.2f} (provisional reference 1.5)",
        ]
        if ab is not None:
            ev.append("A/B: " + ab.text)
        finding = inst.text if inst.judged else "A/B only: " + (ab.text if ab else "")
        if ab is not None and ab.significant:
            finding += "; A/B: " + ab.text
        causes.append(
            C.Cause("shoes", "Toning / unstable-sole shoes", C.MEASURED, finding, ev, pts, "cop")
        )
    else:
        causes.append(C.Cause("shoes", "Toning / unstable-sole shoes", C.NOT_JUDGED, inst.reason))
        nj.append(f"Footwear instability: {inst.reason}")

    # training load
    ld = a.load
    if ld.weeks and (ld.acwr_judged or len(ld.weeks) >= 2):
        pts = 3 if ld.danger else 2 if ld.jump else 0
        ev = [
            f"week of {w.monday}: {w.minutes:.0f} min, {w.runs} run(s)"
            + (f", {w.change_pct:+.0f} % vs previous" if w.change_pct == w.change_pct else "")
            + (f", ACWR {w.acwr:.2f}" if w.acwr == w.acwr else "")
            for w in ld.weeks[-6:]
        ]
        causes.append(
            C.Cause(
                "load",
                "Overtraining or a drastic change in training",
                C.MEASURED,
                ld.text,
                ev,
                pts,
                "load",
            )
        )
        if not ld.acwr_judged:
            nj.append(f"Acute:chronic workload ratio: {ld.reason}")
    else:
        reason = ld.reason or "only one week of sessions"
        causes.append(
            C.Cause("load", "Overtraining or a drastic change in training", C.NOT_JUDGED, reason)
        )
        nj.append(f"Training-load change: {reason}")

    # aerobic guideline
    if ld.weeks:
        cur = ld.weeks[-1]
        causes.append(
            C.Cause(
                "aerobic",
                "150 minutes of aerobic activity a week in bouts of >= 10 minutes",
                C.MEASURED,
                ld.guideline_text
                + (": guideline met" if ld.guideline_met else ": below the guideline"),
                [
                    f"week of {w.monday}: {w.guideline_minutes:.0f} of {w.minutes:.0f} min in bouts >= 10 min"
                    for w in ld.weeks[-6:]
                ],
                0 if ld.guideline_met else 1,
                "minutes",
            )
        )
        if cur.runs and cur.minutes == 0:
            nj.append("Aerobic minutes: no stepping found in this week's runs")
    else:
        causes.append(
            C.Cause(
                "aerobic",
                "150 minutes of aerobic activity a week in bouts of >= 10 minutes",
                C.NOT_JUDGED,
                "no runs",
            )
        )

    # impact (not in the article's list; the DESIGN report adds it as a loading cause)
    imp = a.impact
    if imp.judged:
        ev = [
            f"{'left' if f.foot == 0 else 'right'}: loading rate {f.loading_rate_bw_s:.0f} BW/s, "
            f"shock {f.shock_g:.1f} g, strike index {f.strike_pct:.0f} % ({f.pattern})"
            for f in imp.feet
        ]
        causes.append(
            C.Cause(
                "impact",
                "Impact loading (loading rate, shock, heel striking)",
                C.MEASURED,
                imp.text,
                ev,
                1 if imp.hard else 0,
                "impact",
            )
        )
    else:
        causes.append(
            C.Cause(
                "impact",
                "Impact loading (loading rate, shock, heel striking)",
                C.NOT_JUDGED,
                imp.reason,
            )
        )
        nj.append(f"Impact: {imp.reason}")

    fat = a.fatigue
    if fat.judged:
        ev = [f"{d.name}: {d.change_pct:+.1f} % (SE {d.se_pct:.1f})" for d in fat.drifts]
        causes.append(
            C.Cause(
                "fatigue",
                "Fatigue drift within the run (lower-limb endurance)",
                C.MEASURED,
                fat.text,
                ev,
                1 if fat.drifting else 0,
                "fatigue",
            )
        )
    else:
        causes.append(
            C.Cause(
                "fatigue",
                "Fatigue drift within the run (lower-limb endurance)",
                C.NOT_JUDGED,
                fat.reason,
            )
        )
        nj.append(f"Fatigue drift: {fat.reason}")

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
    a.points = sum(c.points for c in causes)
    a.band = C.band_for(a.points)
    a.not_judged = nj
