"""Footwear instability: step-to-step medial-lateral CoP variability, and A/B shoe comparison.

Unstable ("toning", rocker-sole) shoes raise the step-to-step variability of
within-step variables (peak foot force, joint angles) by ~35 % at first use while
cycle-level variables (cycle rate, impulse) stay the same (Stöggl et al. 2010,
Clin Biomech 25:816); standing studies show more CoP motion on them (Plom, Strike
& Taylor 2014, Gait Posture). We measure both sides of that:

* `cop_ml_sd_mm`: SD over steps of the stance-mean CoP x (kernel Step field);
* `within_cycle_ratio`: stance-time CV / stride-time CV (within-step over cycle
  variability; Stöggl's pattern raises it, a runner who is simply irregular
  raises both and not the ratio).

Single session: both must exceed their reference levels (REF_*) by the factor
FLAG_FACTOR. The references are the healthy level of this kernel on the 8-cell
insole (no published step-to-step in-shoe ML CoP SD for running exists; see
stridekit/sim/MODEL.md); PROVISIONAL and marked as such in the report. Runners
differ, so the decisive test is A/B: the same runner's sessions in two shoes,
compared with a variance-ratio test (log variance ratio, SE sqrt(2/(n1-1) +
2/(n2-1))).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from stridekit.analysis.steps import FootSteps

MIN_STEPS = 60
REF_COP_ML_SD_MM = 1.2  # PROVISIONAL healthy level (8-cell kernel, stable shoe)
REF_WITHIN_CYCLE = 1.5  # PROVISIONAL: stance CV 3 % over stride CV 2 %
FLAG_FACTOR = 1.17  # half of Stöggl's +35 % on each measure, both needed
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


def instability(feet: list[FootSteps]) -> Instability:
    """Single-session instability from the feet available (one or two)."""
    feet = [f for f in feet if len(f) >= MIN_STEPS]
    if not feet:
        return Instability(False, f"too few usable steps (need {MIN_STEPS} on a foot)")
    m = [_foot_measures(f) for f in feet]
    sd = float(np.mean([x[0] for x in m]))
    ratio = float(np.mean([x[1] for x in m]))
    flagged = sd > REF_COP_ML_SD_MM * FLAG_FACTOR and ratio > REF_WITHIN_CYCLE * FLAG_FACTOR
    if flagged:
        text = (
            f"unstable footwear pattern: CoP medial-lateral SD {sd:.2f} mm "
            f"({sd / REF_COP_ML_SD_MM - 1:+.0%} vs reference) with within-step variability "
            f"{ratio:.2f}x cycle variability ({ratio / REF_WITHIN_CYCLE - 1:+.0%}): within-step "
            f"wobble rose while the stride rhythm did not, as on toning/rocker soles"
        )
    else:
        text = (
            f"no footwear instability pattern (CoP ML SD {sd:.2f} mm, "
            f"within/cycle variability {ratio:.2f})"
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
