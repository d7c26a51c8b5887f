"""Per-foot step arrays from a merged run: the numbers every analysis starts from."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stridefw import config as fw_config
from stridekit.merge import MergedRun

# Steps whose numbers are not whole: stance longer than the trace buffer, a
# saturated cell, or a sample gap inside the stance (kernel step flags).
BAD_STEP_BITS = fw_config.STEP_TRACE_FULL | fw_config.STEP_SATURATED | fw_config.STEP_GAP

FIELDS = (
    "impulse_dnms",
    "peak_force_dn",
    "loading_rate_n_s",
    "stance_us",
    "cop_path_dmm",
    "cop_x_mean_dmm",
    "cop_ml_range_dmm",
    "strike_pm",
    "shock_mg",
    "bw_dn",
    "flags",
)


@dataclass
class FootSteps:
    """One foot's usable steps: t_s on the run clock, and each Step field as a float array."""

    foot: int
    t_s: np.ndarray
    f: dict[str, np.ndarray]
    n_dropped: int  # steps left out (first step, flagged as not whole)

    def __len__(self) -> int:
        return len(self.t_s)

    def __getitem__(self, name: str) -> np.ndarray:
        return self.f[name]


def foot_steps(run: MergedRun, foot: int) -> FootSteps:
    """Usable steps of one foot; the first step of a session may be cut by the start."""
    ms = run.foot_steps(foot)[1:]
    keep = [m for m in ms if not (m.step.flags & BAD_STEP_BITS)]
    dropped = len(run.foot_steps(foot)) - len(keep)
    t = np.array([m.t_s for m in keep], dtype=float)
    f = {k: np.array([getattr(m.step, k) for m in keep], dtype=float) for k in FIELDS}
    return FootSteps(foot, t, f, dropped)


def body_weight_n(fs: FootSteps) -> float:
    """The kernel's running body-weight estimate (median over the steps), N."""
    return float(np.median(fs["bw_dn"])) / 10 if len(fs) else float("nan")
