"""Conditions a simulated runner can have, and what each does to the gait.

Every number here is either taken from a published study or marked as an
assumption; host/stridekit/sim/MODEL.md gives the sources and the reasoning. The
effects are what the literature reports, not what would make a detector look good:
where the literature is thin (leg-length difference in running) the assumption is
stated and kept small.

An `Effect` is a set of multiplicative factors (and two offsets) on one limb's
nominal step quantities. Conditions combine by multiplying factors and adding
offsets, so a runner can have several at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

LEFT = 0
RIGHT = 1
SIDES = ("left", "right")


@dataclass(frozen=True)
class Effect:
    """Factors on one limb's nominal step quantities (1.0 / 0.0: no effect)."""

    step: float = 1.0  # step time (contact to the other foot's contact); 1/cadence
    stance: float = 1.0  # stance (contact) time at a given step time
    impact: float = 1.0  # impact-peak magnitude (heel/midfoot strike transient)
    loading_rate: float = 1.0  # average loading rate 20-80 % of the impact peak
    shock: float = 1.0  # peak shoe acceleration beyond what loading rate implies
    strike_dy: float = 0.0  # CoP at contact moves forward by this fraction of foot length
    cop_dx_mm: float = 0.0  # shift of the stance CoP medial-lateral position (+ lateral)
    var: float = 1.0  # scale of within-step step-to-step variability

    def __mul__(self, o: Effect) -> Effect:
        return Effect(
            step=self.step * o.step,
            stance=self.stance * o.stance,
            impact=self.impact * o.impact,
            loading_rate=self.loading_rate * o.loading_rate,
            shock=self.shock * o.shock,
            strike_dy=self.strike_dy + o.strike_dy,
            cop_dx_mm=self.cop_dx_mm + o.cop_dx_mm,
            var=self.var * o.var,
        )


NONE = Effect()

# --- leg-length difference (LLD) -----------------------------------------------
# Between-limb differences per cm of LLD while WALKING, as fractions of the two-limb
# mean, linear in size (the lift studies below step through 0.5-2 cm):
# * stance, long - short: +3.51 % at a 20 mm lift, the short limb's stance unchanged
#   (Pereiro-Buceta et al. 2021, Healthcare 9:932; 37 healthy adults, 5-20 mm lifts,
#   pressure platform) -> 1.75 % per cm.
# * weight-acceptance (impact) peak, short - long: the short limb takes the larger
#   weight-acceptance force (White, Gilchrist & Wilk 2004, Clin Orthop Relat Res
#   421:287, simulated 1.31 cm and anatomic 1-3 cm; Azizan et al. 2018, J Healthc Eng
#   2018:7815451, 0.5-4 cm lifts). Size: mean plantar pressure short +1.23 %, long
#   -5.89 % at 20 mm (Pereiro-Buceta 2021): ~7 % at 2 cm -> 3.5 % per cm. ASSUMED:
#   force follows pressure (the lift material may lower the long limb's pressure).
# * loading rate, short - long: higher on the short limb (White 2004); its size is
#   not reported: ASSUMED equal to the weight-acceptance peak's, 3.5 % per cm.
# * strike point: the short limb has a shorter heel contact and more forefoot
#   pressure (plantar-pressure study of 1.5-3 cm anatomic LLD, Tehran; authors not
#   verified): ASSUMED 1 % of foot length further forward per cm.
# RUNNING: changes became apparent from >= 1 cm walking but only from >= 2 cm running
# (Korontzi, Kafetzakis & Mandalidis 2023, Sensors 23:9695; 26 adults, 1/2/3 cm
# lifts, 5.6 km/h walking, 8.1 km/h running); no running magnitudes were found, so
# running effects are ASSUMED to be half the walking ones per cm (2 cm running looks
# like 1 cm walking). Kaufman, Miller & Sutherland 1996 (J Pediatr Orthop 16:144):
# asymmetry beyond the normal range above 2 cm (3.7 % of leg length), walking.
LLD_WALK_STANCE_PER_CM = 0.0175
LLD_WALK_IMPACT_PER_CM = 0.035
LLD_WALK_LR_PER_CM = 0.035
LLD_WALK_STRIKE_DY_PER_CM = 0.01
LLD_RUN_FACTOR = 0.5


def lld_scale(lld_cm: float, gait: str = "run") -> float:
    """Centimetres of walking-equivalent effect a difference of lld_cm produces."""
    if lld_cm <= 0:
        return 0.0
    return lld_cm * (LLD_RUN_FACTOR if gait == "run" else 1.0)


def lld_effects(lld_cm: float, long_side: str, gait: str = "run") -> tuple[Effect, Effect]:
    """(left, right) effects of a leg-length difference; long_side is 'left' or 'right'."""
    if long_side not in SIDES:
        raise ValueError(f"lld_side must be 'left' or 'right', not {long_side!r}")
    m = lld_scale(lld_cm, gait)
    if m == 0.0:
        return NONE, NONE
    short = Effect(
        stance=1 - LLD_WALK_STANCE_PER_CM * m / 2,
        impact=1 + LLD_WALK_IMPACT_PER_CM * m / 2,
        loading_rate=1 + LLD_WALK_LR_PER_CM * m / 2,
        strike_dy=LLD_WALK_STRIKE_DY_PER_CM * m,
    )
    long = Effect(
        stance=1 + LLD_WALK_STANCE_PER_CM * m / 2,
        impact=1 - LLD_WALK_IMPACT_PER_CM * m / 2,
        loading_rate=1 - LLD_WALK_LR_PER_CM * m / 2,
    )
    return (long, short) if long_side == "left" else (short, long)


# --- natural (healthy) left/right asymmetry --------------------------------------
# Healthy well-trained runners are not symmetric: Girard et al. 2019 (Front Sports
# Act Living 1:36; 9 runners, 10-25 km/h, 5 steps per side) report mean symmetry
# angles of 0.6 % (contact time), 0.7 % (step frequency) and 5.3 % (loading rate).
# A symmetry angle SA (%) corresponds to a left/right ratio 1 + d with
# |d| ~= SA / 31.83; for d ~ N(0, s), mean |d| = 0.798 s. The sampling noise of a
# 5-step mean per side (our own step-to-step CVs below) is removed in quadrature.
# Per runner: left factor 1 + a/2, right 1 - a/2, a ~ N(0, sd).
GIRARD_2019_SA_PCT = {"stance": 0.6, "step": 0.7, "loading_rate": 5.3}
# Step-to-step CVs of the model (gait.RunnerParams defaults): stance 3 %, step time
# sqrt(2) x 2 % stride CV, loading rate ~9 % (as simulated for a 3 m/s heel striker;
# the rise-time and impact-peak CVs behind it, gait.IMPACT_*_CV, are ASSUMED).
MODEL_STEP_CV = {"stance": 0.03, "step": 0.02 * math.sqrt(2), "loading_rate": 0.09}


def natural_asym_sd_from_sa(sa_pct: float, step_cv: float, n_steps: int = 5) -> float:
    """Systematic asymmetry SD implied by a mean |symmetry angle| (%), noise removed."""
    total = sa_pct / 31.83 / math.sqrt(2 / math.pi)
    noise = step_cv * math.sqrt(2 / n_steps)  # difference of two n-step means
    return math.sqrt(max(total * total - noise * noise, 0.0))


NATURAL_ASYM_SD = {
    k: natural_asym_sd_from_sa(sa, MODEL_STEP_CV[k]) for k, sa in GIRARD_2019_SA_PCT.items()
}


def natural_asym_effects(stance: float, step: float, loading_rate: float) -> tuple[Effect, Effect]:
    """(left, right) effects of a runner's own asymmetry (fractions, + = left larger)."""
    left = Effect(
        stance=1 + stance / 2,
        step=1 + step / 2,
        loading_rate=1 + loading_rate / 2,
    )
    right = Effect(
        stance=1 - stance / 2,
        step=1 - step / 2,
        loading_rate=1 - loading_rate / 2,
    )
    return left, right


# --- unstable ("toning") soles --------------------------------------------------
# Stöggl et al. 2010 (Clin Biomech 25:816-822): walking in MBT shoes, the SD over
# 15 cycles of within-gait variables (peak foot force, joint angles) was 35 % (SD
# 10 %) higher than in conventional shoes at first use; cycle-level variables
# (cycle rate, impulse) did not differ; after 10 weeks' use the excess fell by
# ~30 % to almost nothing. instability = 1 means that first-use MBT condition.
# Cadence: Romkes, Rudmann & Brunner 2006 (Clin Biomech 21:75-81) "walked slower
# with smaller steps"; Özdinç & Uluçam 2021 (J Am Podiatr Med Assoc) report lower
# cadence and a lower stance-phase ratio. Size of the cadence drop: ASSUMED 3 %.
# Stance time at a given step time: no change modelled (no running data found;
# the walking data point to a lower, not higher, stance ratio).
INSTABILITY_VAR = 0.35
INSTABILITY_CADENCE = 0.03


def instability_effect(instability: float) -> Effect:
    """Both limbs: more step-to-step variability of within-step variables, lower cadence."""
    u = min(max(instability, 0.0), 1.0)
    if u == 0.0:
        return NONE
    return Effect(step=1 / (1 - INSTABILITY_CADENCE * u), var=1 + INSTABILITY_VAR * u)


# --- fatigue over a run ------------------------------------------------------------
# fatigue = 1: the end of an exhausting run (Mizrahi et al. 2000, Hum Mov Sci 19:
# 139-151: 30 min above the anaerobic threshold).
# * cadence -4.8 %: Mizrahi 2000, stride rate 1.46 -> 1.39 strides/s;
# * stance +4 %: pooled SMD 0.52 for contact time at constant speed (Sports
#   Biomechanics 2024 meta-analysis, doi 10.1080/14763141.2024.2353390), times an
#   ASSUMED between-runner SD of ~20 ms at ~230 ms;
# * loading rate +10 %: Clansey et al. 2012 (Med Sci Sports Exerc 44:1917-1923)
#   found moderate-large increases in vertical loading rates with fatigue, impact
#   peak unchanged; the 10 % is ASSUMED (their effect sizes, not their means);
# * shoe shock +30 %: Mizrahi 2000 measured shank impact 6.9 -> 11.1 g (+61 %),
#   Clansey 2012 found no significant change; we take half of Mizrahi's;
# * CoP 2 mm medial: peak rearfoot eversion rose with fatigue (Clansey 2012); the
#   mapping to an in-shoe CoP shift is ASSUMED.
FATIGUE_CADENCE = 0.048
FATIGUE_STANCE = 0.04
FATIGUE_LR = 0.10
FATIGUE_SHOCK = 0.30
FATIGUE_COP_DX_MM = -2.0


def fatigue_effect(level: float) -> Effect:
    """Both limbs, at fatigue level 0..1."""
    u = min(max(level, 0.0), 1.0)
    if u == 0.0:
        return NONE
    return Effect(
        step=1 / (1 - FATIGUE_CADENCE * u),
        stance=1 + FATIGUE_STANCE * u,
        loading_rate=1 + FATIGUE_LR * u,
        shock=1 + FATIGUE_SHOCK * u,
        cop_dx_mm=FATIGUE_COP_DX_MM * u,
    )


# --- shoes ---------------------------------------------------------------------
# Kulmala et al. 2018 (Sci Rep 8:17496): a highly cushioned maximalist shoe vs a
# conventional one raised the impact peak by 6.4 % at 10 km/h (2.78 m/s) and by
# 10.7 % at 14.5 km/h (4.03 m/s), the loading rate by 12.3 % at 14.5 km/h (no
# significant change reported at 10 km/h). Linear in speed between, held outside.
CUSHIONING = ("conventional", "maximal")


def cushioning_effect(cushioning: str, speed_m_s: float) -> Effect:
    if cushioning not in CUSHIONING:
        raise ValueError(f"cushioning must be one of {CUSHIONING}, not {cushioning!r}")
    if cushioning == "conventional":
        return NONE
    u = min(max((speed_m_s - 2.78) / (4.03 - 2.78), 0.0), 1.0)
    return Effect(impact=1 + 0.064 + (0.107 - 0.064) * u, loading_rate=1 + 0.123 * u)


@dataclass(frozen=True)
class Shoe:
    """A shoe, for A/B comparisons of one runner: what the sole does to gait."""

    name: str = "conventional"
    instability: float = 0.0  # 0 stable; 1 unstable rocker sole (MBT) at first use
    cushioning: str = "conventional"  # or "maximal"


CONVENTIONAL = Shoe()
TONING = Shoe("toning", instability=1.0)
MAXIMAL = Shoe("maximal", cushioning="maximal")


def impact_peak_bw(speed_m_s: float) -> float:
    """Heel-strike impact peak in body weights at a running speed.

    Cavanagh & Lafortune 1980 (J Biomech 13:397-406) report ~2.2 BW for rearfoot
    strikers at 4.5 m/s; typical shod rearfoot values near 3 m/s are ~1.5-1.7 BW.
    Linear through 1.6 BW at 3 m/s and 2.2 BW at 4.5 m/s, clipped.
    """
    return min(max(1.6 + 0.4 * (speed_m_s - 3.0), 1.1), 2.8)
