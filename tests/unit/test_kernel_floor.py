"""The swing floor: steps on an insole whose swing reads a preload (PhysioNet gaitndd's
park11/park5/park3 footswitches), never steps from standing.

Synthetic one-cell walks on the nominal FSR curve, so the true contacts are known.
"""

from __future__ import annotations

import array

import numpy as np
import pytest

from stridefw import calib, config, kernel, layouts
from stridefw import records as R

RATE_HZ = 100
STRIDE_S = 1.1
STANCE_S = 0.66
HALF_N = calib.HALF_DN_DEFAULT / 10


def _raw(force_n: np.ndarray) -> np.ndarray:
    """ADC counts of the nominal divider curve (calib.py): a = 4095 F / (F + F_half)."""
    a = 4095 * force_n / (force_n + HALF_N)
    return np.clip(np.rint(a), 0, 4095).astype(np.uint16)


def _walk(
    seconds: float, preload_n: float, peak_n: float = 700.0, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Force (N) at RATE_HZ: half-sine stances on a preload, with sensor noise.

    Returns sample times (us), force, and the true stance starts (s).
    """
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE_HZ)) / RATE_HZ
    starts = np.arange(0.4, seconds - STRIDE_S, STRIDE_S) + rng.uniform(-0.03, 0.03)
    f = np.full(len(t), preload_n)
    for s in starts:
        m = (t >= s) & (t < s + STANCE_S)
        f[m] += peak_n * np.sin(np.pi * (t[m] - s) / STANCE_S)
    f += rng.normal(0, 2, len(t))
    return (t * 1e6).astype(np.int64), np.maximum(f, 0), starts


def _contacts(t_us: np.ndarray, force_n: np.ndarray) -> tuple[np.ndarray, kernel.StepKernel]:
    k = kernel.StepKernel(layouts.FOOTSWITCH_1, calib.nominal(1), has_imu=False)
    raw = _raw(force_n)
    buf = array.array("H", [0])
    out = []
    for tick, r in zip(t_us.tolist(), raw.tolist(), strict=True):
        buf[0] = r
        if k.push(tick, buf, None) & kernel.EV_STEP:
            out.append(R.Step.from_bytes(bytes(k.step)).contact_us / 1e6)
    return np.array(out), k


@pytest.mark.parametrize("preload_n", [0.0, 60.0, 120.0, 200.0])
def test_preloaded_footswitch_finds_every_step(preload_n: float) -> None:
    """Preloads above the arm level (58 N) and above auto-zero's cap (150 N) included
    (below a quarter of the stance peak: see config FLOOR_SWING_DIV)."""
    t, f, starts = _walk(60.0, preload_n)
    found, k = _contacts(t, f)
    assert len(found), "no steps found"
    # after the floor window has seen a few strides, every stride is one step
    late = starts[starts > config.FLOOR_BLOCKS * config.FLOOR_BLOCK_US / 1e6 + 1]
    err = np.array([np.min(np.abs(found - s)) for s in late])
    # a 20 N rise on a 700 N half-sine of 0.66 s takes ~6 ms: contacts within 20 ms
    assert np.all(err < 0.020), err.max()
    in_late = found[found > late[0] - 0.1]
    assert len(in_late) == len(late)
    assert k.floor.dn() <= preload_n * 10 + 100


def test_standing_never_raises_the_floor_nor_makes_steps() -> None:
    """20 s of walking, 20 s standing (~BW/2 with sway), walking again."""
    t1, f1, _ = _walk(20.0, 100.0)
    rng = np.random.default_rng(1)
    n = 20 * RATE_HZ
    stand = 100.0 + 350.0 + 30.0 * np.sin(np.arange(n) / RATE_HZ * 2 * np.pi * 0.3)
    stand += rng.normal(0, 3, n)
    t2, f2, s2 = _walk(20.0, 100.0, seed=2)
    t = np.concatenate([t1, t1[-1] + 10_000 + np.arange(n) * 10_000, t1[-1] + n * 10_000 + t2])
    f = np.concatenate([f1, stand, f2])
    found, k = _contacts(t, f)
    stand_s = (20.0, 40.0)
    # the stance the walk ends in may count; nothing else while standing
    assert np.count_nonzero((found > stand_s[0] + 0.5) & (found < stand_s[1])) == 0
    late = s2 + 40.0
    late = late[late > 40.0 + config.FLOOR_BLOCKS * config.FLOOR_BLOCK_US / 1e6 + 1]
    assert all(np.min(np.abs(found - s)) < 0.020 for s in late)
    assert k.floor.dn() <= 1100
