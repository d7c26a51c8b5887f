"""Left/right symmetry with confidence intervals, the persistent side, and the leg-length finding.

Symmetry index (Robinson et al. 1987, J Manipulative Physiol Ther 10:172):
SI = (L - R) / ((L + R) / 2); positive: the left value is larger. The point value
is computed by `stridefw.balance.symmetry_pm`, the same integer code the pods run,
so device and host agree to the per mille. The 95 % interval is t-based (normal
approximation, >= MIN_STEPS_PER_FOOT steps per foot) by the delta method on the
two per-foot means. A side is *persistent* when the interval excludes 0 and at
least PERSIST_SHARE of the run's blocks (consecutive time slices) agree in sign.

Leg-length difference (LLD). Literature: the SHORT limb takes the larger
weight-acceptance force and loading rate; the LONG limb stays longer on the ground
(White, Gilchrist & Wilk 2004, Clin Orthop Relat Res 421:287; Azizan et al. 2018,
J Healthc Eng 2018:7815451); in running the changes become apparent only from
~2 cm (Korontzi, Kafetzakis & Mandalidis 2023, Sensors 23:9695). Physics: with the
same vertical impulse per step (body weight x step time), a shorter stance needs
a higher force: peak ~ impulse / stance, so the active-peak SI is minus the
stance SI. We take the between-limb differences at a 2 cm anchor
(LLD_ANCHOR_SI_PCT) and let them grow as (LLD / 2 cm)^1.5 (faster than linear:
nothing apparent at 1 cm, apparent at 2 cm, Korontzi 2023). Every number is an
assumption consistent with those papers, stated once here, used unchanged for
every record (no per-record fitting); tests/analysis checks that it is the same
relation the simulator (stridekit/sim/conditions.py, MODEL.md) uses.

Estimate: with the measured SIs d (stance, peak force, loading rate) and the
anchor pattern a, the signed scale s (+ = left limb longer) is the generalised
least-squares fit d = a * s with the covariance of the per-foot means (the three
metrics share steps, so they are not independent). LLD = 2 cm * |s|^(1/1.5).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np

from stridefw.balance import symmetry_pm
from stridekit.analysis.steps import FootSteps

MIN_STEPS_PER_FOOT = 60  # below this a per-foot mean is too noisy to compare
N_BLOCKS = 6  # time slices for the persistence check
PERSIST_SHARE = 0.8
Z95 = 1.96

# Metrics compared left vs right: (Step field, label, unit, scale to display unit)
METRICS: tuple[tuple[str, str, str, float], ...] = (
    ("impulse_dnms", "impulse", "N·s", 1e-4),
    ("peak_force_dn", "peak force", "N", 0.1),
    ("loading_rate_n_s", "loading rate", "N/s", 1.0),
    ("stance_us", "stance time", "ms", 1e-3),
    ("cop_path_dmm", "CoP path", "mm", 0.1),
)

# --- leg-length mapping ----------------------------------------------------------
LLD_ANCHOR_CM = 2.0
LLD_EXPONENT = 1.5
# SI (L - R, %) when the LEFT limb is longer by 2 cm (negate for the right).
# loading rate: short - long +10 % (White 2004 direction; magnitude ASSUMED within
# Korontzi 2023's "apparent at 2 cm"); stance: long - short +3 % (ASSUMED: the long
# limb stays longer on the ground); peak force: -3 % (physics: same impulse over
# a 3 % shorter stance).
LLD_ANCHOR_SI_PCT: dict[str, float] = {
    "stance_us": +3.0,
    "peak_force_dn": -3.0,
    "loading_rate_n_s": -10.0,
}
# A finding needs the combined evidence beyond this many standard errors: three
# metrics tested at once, and a false "leg-length difference" worries people.
LLD_MIN_Z = 3.0
# Below this the estimate is reported as "no meaningful difference" (Knutson 2005,
# Chiropr Osteopat 13:11: anatomic differences up to ~1-1.5 cm are common and
# usually of no clinical consequence; our resolution at short runs is ~0.3 cm).
LLD_MIN_CM = 0.5


@dataclass
class MetricSI:
    field: str
    label: str
    unit: str
    left_mean: float  # display unit
    right_mean: float
    si_pct: float  # from stridefw.balance.symmetry_pm (per mille / 10)
    ci_low: float
    ci_high: float
    se_pct: float
    n_left: int
    n_right: int
    block_agree: float  # share of time blocks with the same sign as the whole run
    side: str  # "left", "right" (larger on that side, persistent) or "" (none)


@dataclass
class LLDFinding:
    detected: bool
    longer_side: str  # "left" / "right" / ""
    shorter_side: str
    magnitude_cm: float
    ci_cm: tuple[float, float]
    z: float  # combined evidence, standard errors from no difference
    scale: float  # signed fit of the anchor pattern (+ left longer)
    scale_se: float
    text: str


@dataclass
class Asymmetry:
    judged: bool
    reason: str  # why not judged ("" when judged)
    metrics: list[MetricSI] = field(default_factory=list)
    lld: LLDFinding | None = None
    strike_diff_pct: float = float("nan")  # strike point L - R, % of foot length


def _si_pct(lm: float, rm: float) -> float:
    # the firmware's integer SI on integer means (values are non-negative)
    return symmetry_pm(max(round(lm), 0), max(round(rm), 0)) / 10.0


def _si_float(lm: float, rm: float) -> float:
    s = lm + rm
    return 200.0 * (lm - rm) / s if s > 0 else 0.0


def _block_agree(ls: FootSteps, rs: FootSteps, name: str, sign: float) -> float:
    t0 = min(ls.t_s[0], rs.t_s[0])
    t1 = max(ls.t_s[-1], rs.t_s[-1])
    edges = np.linspace(t0, t1 + 1e-9, N_BLOCKS + 1)
    agree = 0
    n = 0
    for a, b in itertools.pairwise(edges):
        lsel = ls[name][(ls.t_s >= a) & (ls.t_s < b)]
        rsel = rs[name][(rs.t_s >= a) & (rs.t_s < b)]
        if len(lsel) < 5 or len(rsel) < 5:
            continue
        n += 1
        agree += int(np.sign(_si_float(float(lsel.mean()), float(rsel.mean()))) == sign)
    return agree / n if n else float("nan")


def _gradient(lm: float, rm: float) -> tuple[float, float]:
    s = (lm + rm) ** 2
    return 400.0 * rm / s, -400.0 * lm / s


def symmetry(ls: FootSteps, rs: FootSteps) -> Asymmetry:
    """Symmetry indices of the step metrics, with 95 % intervals and the persistent side."""
    if len(ls) < MIN_STEPS_PER_FOOT or len(rs) < MIN_STEPS_PER_FOOT:
        return Asymmetry(
            False,
            f"too few usable steps to compare feet ({len(ls)} left, {len(rs)} right; "
            f"need {MIN_STEPS_PER_FOOT} each, about a minute of running)",
        )
    out = Asymmetry(True, "")
    for name, label, unit, scale in METRICS:
        lv, rv = ls[name], rs[name]
        lm, rm = float(lv.mean()), float(rv.mean())
        gl, gr = _gradient(lm, rm)
        se = math.sqrt(
            gl * gl * float(lv.var(ddof=1)) / len(lv) + gr * gr * float(rv.var(ddof=1)) / len(rv)
        )
        si = _si_pct(lm, rm)
        sign = float(np.sign(si)) if si != 0 else 0.0
        agree = _block_agree(ls, rs, name, sign) if sign else 0.0
        lo, hi = si - Z95 * se, si + Z95 * se
        persistent = (lo > 0 or hi < 0) and agree >= PERSIST_SHARE
        side = ("left" if si > 0 else "right") if persistent else ""
        out.metrics.append(
            MetricSI(
                name,
                label,
                unit,
                lm * scale,
                rm * scale,
                si,
                lo,
                hi,
                se,
                len(lv),
                len(rv),
                agree,
                side,
            )
        )
    out.strike_diff_pct = float(ls["strike_pm"].mean() - rs["strike_pm"].mean()) / 10
    out.lld = leg_length(ls, rs)
    return out


def lld_cm_from_scale(scale: float) -> float:
    """The documented mapping: effect scale (share of the 2 cm anchor) -> centimetres."""
    return LLD_ANCHOR_CM * abs(scale) ** (1 / LLD_EXPONENT)


def leg_length(ls: FootSteps, rs: FootSteps) -> LLDFinding:
    """GLS fit of the leg-length loading pattern to the measured symmetry indices."""
    names = list(LLD_ANCHOR_SI_PCT)
    a = np.array([LLD_ANCHOR_SI_PCT[n] for n in names])
    lm = np.array([ls[n].mean() for n in names])
    rm = np.array([rs[n].mean() for n in names])
    d = np.array([_si_float(float(x), float(y)) for x, y in zip(lm, rm, strict=True)])
    # covariance of the SIs: J_L C_L J_L^T / n_L + J_R C_R J_R^T / n_R (delta method)
    gl = np.array([_gradient(float(x), float(y))[0] for x, y in zip(lm, rm, strict=True)])
    gr = np.array([_gradient(float(x), float(y))[1] for x, y in zip(lm, rm, strict=True)])
    cl = np.cov(np.stack([ls[n] for n in names]))
    cr = np.cov(np.stack([rs[n] for n in names]))
    cov = np.outer(gl, gl) * cl / len(ls) + np.outer(gr, gr) * cr / len(rs)
    w = np.linalg.pinv(cov)
    info = float(a @ w @ a)
    s = float(a @ w @ d) / info
    se = 1.0 / math.sqrt(info)
    z = abs(s) / se
    cm = lld_cm_from_scale(s)
    lo_s = max(abs(s) - Z95 * se, 0.0)
    hi_s = abs(s) + Z95 * se
    ci = (lld_cm_from_scale(lo_s), lld_cm_from_scale(hi_s))
    longer = "left" if s > 0 else "right"
    shorter = "right" if s > 0 else "left"
    detected = z >= LLD_MIN_Z and cm >= LLD_MIN_CM
    if detected:
        text = (
            f"loading pattern of a leg-length difference: the {longer} leg appears longer by "
            f"about {cm:.1f} cm (95 % CI {ci[0]:.1f}-{ci[1]:.1f} cm); the {shorter} leg "
            f"lands harder (higher loading rate and peak force, shorter stance)"
        )
    else:
        text = (
            f"no leg-length loading pattern (evidence {z:.1f} standard errors, "
            f"estimate {cm:.1f} cm, below the {LLD_MIN_Z:.0f}-SE / {LLD_MIN_CM} cm bar)"
        )
    return LLDFinding(
        detected, longer if detected else "", shorter if detected else "", cm, ci, z, s, se, text
    )
