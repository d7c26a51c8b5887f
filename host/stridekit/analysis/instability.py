"""Footwear instability: the pod's UNSTABLE flag (one session), and A/B shoe comparison.

Unstable ("toning", rocker-sole) shoes raise the step-to-step variability of
within-step variables by ~35 % at first use while cycle-level variables (cycle
rate, impulse) stay the same (Stöggl et al. 2010, Clin Biomech 25:816). Healthy
people differ far more than that in their own variability, so one session is
judged against the same runner's reference: the pod learns it from earlier sessions
(stridefw.kernel: robust step-to-step scales of the stance-mean CoP x, the stance
time and the stride time), writes the reference in use as a Note at the session
start, and raises UNSTABLE when the within-step scales rose by more than 17 % over
it and by more than the stride scale did (config UNSTABLE_*). Without a reference
only gross instability (CoP ML SD above config UNSTABLE_SD_DMM) is flagged.

The single-session finding here IS the pod's flag, read from the Step records (each
carries the session flags at that step), so the report and the pod agree on every
session; `stride replay` re-runs the kernel with the recorded reference. The figures
shown beside it (CoP ML SD, stance CV / stride CV) are for the reader, not the rule.
The A/B comparison of two shoes of the same runner is a separate, host-only test.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from stridefw import config as fw_config
from stridekit.analysis.steps import FootSteps

MIN_STEPS = fw_config.UNSTABLE_MIN_STEPS
AB_MIN_RATIO = 1.15  # SD ratio worth naming between two shoes
AB_MIN_Z = 3.0


@dataclass
class Instability:
    judged: bool
    reason: str
    cop_ml_sd_mm: float = float("nan")  # mean of the two feet (or the one foot)
    within_cycle_ratio: float = float("nan")
    flagged: bool = False
    per_foot_sd_mm: tuple[float, ...] = ()
    text: str = ""


def _foot_measures(fs: FootSteps) -> tuple[float, float]:
    sd = float(np.std(fs["cop_x_mean_dmm"], ddof=1)) / 10
    stance = fs["stance_us"]
    stride = np.diff(fs.t_s)
    ok = stride < 2 * np.median(stride)  # a pause is not a stride
    stride = stride[ok]
    cv_st = float(np.std(stance, ddof=1) / np.mean(stance))
    cv_sr = float(np.std(stride, ddof=1) / np.mean(stride)) if len(stride) > 2 else float("nan")
    return sd, cv_st / cv_sr if cv_sr > 0 else float("nan")


def pod_unstable(fs: FootSteps) -> bool:
    """The pod's UNSTABLE flag at this foot's last usable step."""
    return bool(len(fs)) and bool(int(fs["flags"][-1]) & fw_config.FLAG_UNSTABLE)


def instability(feet: list[FootSteps]) -> Instability:
    """Single-session instability: the pods' UNSTABLE flag (either foot) at the session's end."""
    feet = [f for f in feet if len(f) >= MIN_STEPS]
    if not feet:
        return Instability(False, f"too few usable steps (need {MIN_STEPS} on a foot)")
    m = [_foot_measures(f) for f in feet]
    sd = float(np.mean([x[0] for x in m]))
    ratio = float(np.mean([x[1] for x in m]))
    flagged = any(pod_unstable(f) for f in feet)
    figures = f"CoP medial-lateral SD {sd:.2f} mm, stance CV / stride CV {ratio:.2f}"
    if flagged:
        text = (
            f"unstable footwear pattern (the pod's UNSTABLE flag; {figures}): within-step "
            f"variability rose over this runner's own reference while the stride rhythm "
            f"did not, as on toning/rocker soles"
        )
    else:
        text = (
            f"no footwear instability pattern ({figures}); judged against the runner's "
            f"reference from earlier sessions when the pod has one"
        )
    return Instability(True, "", sd, ratio, flagged, tuple(x[0] for x in m), text)


@dataclass
class ShoeComparison:
    shoe_a: str
    shoe_b: str
    sd_a_mm: float
    sd_b_mm: float
    ratio: float  # b / a
    z: float
    significant: bool
    text: str


def compare_shoes(a: tuple[str, list[FootSteps]], b: tuple[str, list[FootSteps]]) -> ShoeComparison:
    """A/B: ML CoP variability of the same runner in shoe a vs shoe b (pooled over feet)."""

    def pooled(feet: list[FootSteps]) -> tuple[float, int]:
        x = [f["cop_x_mean_dmm"] - f["cop_x_mean_dmm"].mean() for f in feet if len(f) > 2]
        allx = np.concatenate(x) if x else np.zeros(0)
        n = len(allx) - len(x)
        return (float(np.sqrt(np.sum(allx**2) / n)) / 10 if n > 1 else float("nan")), n

    sa, na = pooled(a[1])
    sb, nb = pooled(b[1])
    if not (na > 10 and nb > 10):
        return ShoeComparison(a[0], b[0], sa, sb, float("nan"), 0.0, False, "too few steps")
    ratio = sb / sa
    z = abs(math.log(ratio**2)) / math.sqrt(2 / (na - 1) + 2 / (nb - 1))
    sig = z >= AB_MIN_Z and max(ratio, 1 / ratio) >= AB_MIN_RATIO
    worse = b[0] if ratio > 1 else a[0]
    text = f"{b[0]} vs {a[0]}: CoP ML SD {sb:.2f} vs {sa:.2f} mm ({ratio - 1:+.0%}, z {z:.1f})" + (
        f": {worse} is the less stable shoe" if sig else ": no clear difference"
    )
    return ShoeComparison(a[0], b[0], sa, sb, ratio, z, sig, text)
