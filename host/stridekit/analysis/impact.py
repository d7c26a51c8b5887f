"""Impact: loading rate (body weights per second), shoe shock and strike pattern.

Strike pattern by the strike index (CoP at contact, % of foot length from the
heel): rearfoot < 33 %, midfoot 33-67 %, forefoot > 67 % (Cavanagh & Lafortune
1980, J Biomech 13:397). High loading uses the kernel's own HARD_IMPACT limits
(stridefw.config: mean loading rate > 100 BW/s or shoe shock > 10 g; Milner et
al. 2006 report ~80-100 BW/s in runners with tibial stress fractures), so the
report and the pod agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stridefw import config as fw_config
from stridekit.analysis.steps import FootSteps, body_weight_n

MIN_STEPS = 20


@dataclass
class FootImpact:
    foot: int
    loading_rate_bw_s: float
    shock_g: float  # NaN without an IMU
    strike_pct: float
    pattern: str  # rearfoot / midfoot / forefoot
    hard: bool


@dataclass
class Impact:
    judged: bool
    reason: str
    feet: list[FootImpact]
    hard: bool = False
    text: str = ""


def strike_pattern(strike_pct: float) -> str:
    if strike_pct < 100 / 3:
        return "rearfoot (heel)"
    if strike_pct <= 200 / 3:
        return "midfoot"
    return "forefoot"


def impact(feet: list[FootSteps]) -> Impact:
    out: list[FootImpact] = []
    for fs in feet:
        if len(fs) < MIN_STEPS:
            continue
        bw = body_weight_n(fs)
        # the kernel writes 0 when a step's force trace had no usable rise: not a rate
        rates = fs["loading_rate_n_s"][fs["loading_rate_n_s"] > 0]
        lr = float(np.mean(rates)) / bw if bw > 0 and len(rates) else float("nan")
        sh = fs["shock_mg"]
        shock = float(np.mean(sh)) / 1000 if np.any(sh > 0) else float("nan")
        strike = float(np.mean(fs["strike_pm"])) / 10
        hard = (lr == lr and lr > fw_config.HARD_LR_BW_S) or (
            shock == shock and shock * 1000 > fw_config.HARD_SHOCK_MG
        )
        out.append(FootImpact(fs.foot, lr, shock, strike, strike_pattern(strike), hard))
    if not out:
        return Impact(False, f"too few usable steps (need {MIN_STEPS})", [])
    hard = any(f.hard for f in out)
    lr = np.mean([f.loading_rate_bw_s for f in out])
    pat = out[0].pattern
    text = f"loading rate {lr:.0f} BW/s, {pat} strike" + (
        ", hard impact loading (beyond the pod's HARD_IMPACT limits)" if hard else ", within limits"
    )
    return Impact(True, "", out, hard, text)
