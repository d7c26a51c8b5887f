"""Walking or running: each step's duty factor (stance over stride), per foot.

Running has a flight phase, so a foot is on the ground for less than half of its
stride (duty factor ~0.2-0.45); walking has double support, so it is on the ground
for more than half (~0.58-0.67; Perry & Burnfield, *Gait Analysis*; the walk-run
transition is defined by the loss of double support, Novacheck 1998, Gait Posture
7:77). The duty factor needs no clock alignment between the pods, so it works on
one foot too. Each finding is judged against the healthy baseline of the mode it
saw; a run of mixed modes is judged on the steps of its main mode.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stridekit.analysis.steps import FootSteps

DUTY_SPLIT = 0.5  # below: flight phase (running); above: double support (walking)
MODE_SHARE = 0.8  # share of steps in one mode to call the whole run that mode
MAX_STRIDE_S = 2.5  # a longer gap between two contacts of one foot is a pause, not a stride

RUNNING = "running"
WALKING = "walking"
MIXED = "mixed"
UNKNOWN = "unknown"


@dataclass
class GaitMode:
    mode: str  # RUNNING, WALKING, MIXED or UNKNOWN
    running_share: float  # share of steps with a flight phase (NaN when unknown)
    duty_factor: float  # median stance / stride over both feet
    n_steps: int  # steps whose duty factor could be measured
    text: str

    @property
    def main(self) -> str:
        """The mode whose steps the findings use (RUNNING or WALKING), or UNKNOWN."""
        if self.mode in (RUNNING, WALKING):
            return self.mode
        if self.mode == MIXED:
            return RUNNING if self.running_share >= 0.5 else WALKING
        return UNKNOWN


def step_duty(fs: FootSteps) -> np.ndarray:
    """Duty factor of each step of one foot (NaN where the next contact is missing or far)."""
    duty = np.full(len(fs), np.nan)
    if len(fs) < 2:
        return duty
    stride = np.diff(fs.t_s)
    ok = (stride > 0) & (stride < MAX_STRIDE_S)
    duty[:-1][ok] = fs["stance_us"][:-1][ok] * 1e-6 / stride[ok]
    return duty


def running_steps(fs: FootSteps, mode: str) -> np.ndarray:
    """Mask of one foot's steps that belong to `mode` (steps without a duty factor excluded)."""
    d = step_duty(fs)
    return d < DUTY_SPLIT if mode == RUNNING else d >= DUTY_SPLIT


def gait_mode(feet: list[FootSteps]) -> GaitMode:
    """The gait mode of a run from the feet available (one or two)."""
    d = np.concatenate([step_duty(f) for f in feet]) if feet else np.zeros(0)
    d = d[np.isfinite(d)]
    if len(d) < 20:
        return GaitMode(UNKNOWN, float("nan"), float("nan"), len(d), "too few strides to tell")
    share = float(np.mean(d < DUTY_SPLIT))
    med = float(np.median(d))
    if share >= MODE_SHARE:
        mode = RUNNING
    elif share <= 1 - MODE_SHARE:
        mode = WALKING
    else:
        mode = MIXED
    what = {
        RUNNING: "running (a flight phase in",
        WALKING: "walking (double support in",
        MIXED: "walking and running mixed (a flight phase in",
    }[mode]
    pct = share if mode != WALKING else 1 - share
    text = f"{what} {pct:.0%} of strides; median duty factor {med:.2f})"
    if mode == MIXED:
        main = RUNNING if share >= 0.5 else WALKING
        text += f"; findings use the {main} strides"
    return GaitMode(mode, share, med, len(d), text)
