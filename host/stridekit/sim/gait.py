"""Synthetic runners with ground truth: raw insole ADC counts and shoe IMU per foot.

A first gait generator (the simulator issue grows it in place). Model choices:

* Stance time falls with speed (running: ~0.32 s - 0.03 s per m/s, in the range
  reported by Morin et al. 2005 and Weyand et al. 2000); walking stance is ~62 %
  of the stride (Perry, *Gait Analysis*).
* Running vertical force is a half-sine spring-mass pulse (Blickhan 1989), plus an
  impact transient for heel and midfoot strikers (Lieberman et al. 2010); walking
  is the classic double hump (a1 sin(pi s) + a3 sin(3 pi s)). Each pulse is scaled
  so the vertical impulse per step equals body weight x step time (Newton).
* The centre of pressure rolls heel to toe from the strike point; cells share the
  total force through a Gaussian footprint around the CoP, so cell forces sum to
  the true total force.
* FSR divider: ADC = 4095 F / (F + F_half) (stridefw.calib's nominal curve) plus
  Gaussian noise; per-sample clock jitter.
* Ground truth: contact and toe-off are the instants the true total force crosses
  20 N (the kernel's event level, force-plate practice), found on a 10 kHz grid.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from stridefw import calib as fw_calib
from stridefw import layouts as fw_layouts

G = 9.81
EVENT_LEVEL_N = 20.0
_FINE_HZ = 10_000


@dataclass
class RunnerParams:
    """What to simulate. Defaults: a 70 kg heel-striking runner at 3 m/s."""

    speed_m_s: float = 3.0
    cadence_spm: float = 170.0  # steps per minute, both feet
    mass_kg: float = 70.0
    gait: str = "run"  # "run" or "walk"
    strike: str = "heel"  # "heel", "mid" or "fore"
    duration_s: float = 60.0
    rate_hz: int = 100
    cells: int = 8
    has_imu: bool = True
    noise_counts: float = 2.0
    jitter_us: float = 200.0
    stride_cv: float = 0.02  # stride-to-stride variability (coefficient of variation)
    cop_ml_sd_mm: float = 2.5  # step-to-step SD of the stance-mean CoP x
    half_force_n: float = fw_calib.HALF_DN_DEFAULT / 10
    seed: int = 0


@dataclass
class StepTruth:
    contact_s: np.ndarray
    toe_off_s: np.ndarray
    peak_force_n: np.ndarray
    cop_x_offset_mm: np.ndarray


@dataclass
class SimFoot:
    """One foot's raw recording: times are microseconds from the session start."""

    foot: int  # 0 left, 1 right
    t_us: np.ndarray  # int64 (N,)
    cells: np.ndarray  # uint16 (N, n_cells)
    imu: np.ndarray | None  # int16 (N, 6): ax, ay, az mg; gx, gy, gz 0.1 deg/s
    force_n: np.ndarray  # true total vertical force at each sample
    truth: StepTruth


@dataclass
class SimRun:
    params: RunnerParams
    layout_id: int
    feet: list[SimFoot] = field(default_factory=list)


def _stance_s(p: RunnerParams, step_s: float) -> float:
    if p.gait == "walk":
        return 0.62 * 2 * step_s
    return float(np.clip(0.32 - 0.03 * p.speed_m_s, 0.12, 0.9 * step_s))


def _force_shape(s: np.ndarray, p: RunnerParams) -> np.ndarray:
    """Unit-impulse-free force shape over normalised stance time s in [0, 1]."""
    inside = (s >= 0) & (s <= 1)
    sc = np.clip(s, 0, 1)
    if p.gait == "walk":
        f = 1.165 * np.sin(np.pi * sc) + 0.465 * np.sin(3 * np.pi * sc)
        impact = 0.15 * np.exp(-0.5 * ((sc - 0.04) / 0.015) ** 2) if p.strike == "heel" else 0
    else:
        f = np.sin(np.pi * sc)
        # impact transient: rises from touchdown, peaks ~10 % into stance (~25 ms)
        amp = {"heel": 0.9, "mid": 0.4, "fore": 0.0}[p.strike]
        impact = amp * (sc / 0.1) * np.exp(1 - sc / 0.1)
    return np.where(inside, f + impact, 0.0)


def _shape_integral(p: RunnerParams) -> float:
    s = np.linspace(0, 1, 20001)
    return float(np.trapezoid(_force_shape(s, p), s))


def _cop_path_mm(
    s: np.ndarray, p: RunnerParams, foot_len_mm: float
) -> tuple[np.ndarray, np.ndarray]:
    y0 = {"heel": 0.12, "mid": 0.45, "fore": 0.68}[p.strike] * foot_len_mm
    y1 = 0.90 * foot_len_mm
    sc = np.clip(s, 0, 1)
    y = y0 + (y1 - y0) * sc**1.3
    x = 8.0 * np.sin(np.pi * sc) - 20.0 * sc**3  # lateral roll, then medial push-off
    return x, y


def _contact_times(
    p: RunnerParams, rng: np.random.Generator, t0: float, n: int, stride_s: float
) -> np.ndarray:
    strides = stride_s * (1 + p.stride_cv * rng.standard_normal(n))
    return t0 + np.concatenate([[0.0], np.cumsum(strides[:-1])])


def simulate(p: RunnerParams) -> SimRun:
    """Generate both feet; deterministic for a given seed."""
    layout = fw_layouts.INSOLE_16 if p.cells == 16 else fw_layouts.INSOLE_8
    step_s = 60.0 / p.cadence_spm
    stride_s = 2 * step_s
    stance_s = _stance_s(p, step_s)
    weight_n = p.mass_kg * G
    # impulse per step = BW * step time (each foot carries BW over half the stride)
    amp_n = weight_n * step_s / (stance_s * _shape_integral(p))
    n_strides = int(p.duration_s / stride_s) + 2
    run = SimRun(params=p, layout_id=layout.layout_id)
    foot_len_mm = layout.foot_length_dmm / 10
    cx = np.asarray(layout.x_dmm, float) / 10
    cy = np.asarray(layout.y_dmm, float) / 10
    for foot in (0, 1):
        frng = np.random.default_rng([p.seed, foot])
        t_first = 0.4 + foot * step_s + 0.05 * frng.random()
        contacts = _contact_times(p, frng, t_first, n_strides, stride_s)
        stances = stance_s * (1 + 0.03 * frng.standard_normal(n_strides))
        cop_off = p.cop_ml_sd_mm * frng.standard_normal(n_strides)
        keep = contacts + stances < p.duration_s - 0.2
        contacts, stances, cop_off = contacts[keep], stances[keep], cop_off[keep]

        n = int(p.duration_s * p.rate_hz)
        t_nom = np.arange(n) / p.rate_hz
        t = t_nom + frng.normal(0, p.jitter_us * 1e-6, n)
        t[0] = 0.0
        t = np.maximum.accumulate(t)  # jitter never reorders samples
        idx = np.searchsorted(contacts, t, side="right") - 1
        valid = idx >= 0
        ci = np.where(valid, idx, 0)
        s = np.where(valid, (t - contacts[ci]) / stances[ci], -1.0)
        force = amp_n * _force_shape(s, p)
        x_mm, y_mm = _cop_path_mm(s, p, foot_len_mm)
        x_mm = x_mm + np.where(valid, cop_off[ci], 0.0)
        # Gaussian footprint around the CoP distributes force over the cells
        w = np.exp(
            -0.5
            * (
                ((cx[None, :] - x_mm[:, None]) / 30.0) ** 2
                + ((cy[None, :] - y_mm[:, None]) / 40.0) ** 2
            )
        )
        w /= np.maximum(w.sum(axis=1, keepdims=True), 1e-12)
        cell_n = force[:, None] * w
        adc = 4095.0 * cell_n / (cell_n + p.half_force_n)
        adc += frng.normal(0, p.noise_counts, adc.shape)
        cells = np.clip(np.rint(adc), 0, 4095).astype(np.uint16)

        imu = _imu(p, t, contacts, stances, stride_s, frng) if p.has_imu else None
        truth = _truth(p, contacts, stances, amp_n, cop_off)
        t_us = np.rint(t * 1e6).astype(np.int64)
        run.feet.append(SimFoot(foot, t_us, cells, imu, force, truth))
    return run


def _truth(
    p: RunnerParams, contacts: np.ndarray, stances: np.ndarray, amp_n: float, cop_off: np.ndarray
) -> StepTruth:
    s = np.linspace(0, 1, max(int(_FINE_HZ * stances.max()), 100))
    f = amp_n * _force_shape(s, p)
    above = np.nonzero(f > EVENT_LEVEL_N)[0]
    i_on, i_off = above[0], above[-1]

    # linear interpolation of the 20 N crossings on the fine grid
    def cross(i0: int, i1: int) -> float:
        return float(s[i0] + (EVENT_LEVEL_N - f[i0]) / (f[i1] - f[i0]) * (s[i1] - s[i0]))

    s_on = cross(i_on - 1, i_on)
    s_off = cross(i_off, i_off + 1)
    return StepTruth(
        contact_s=contacts + s_on * stances,
        toe_off_s=contacts + s_off * stances,
        peak_force_n=np.full(len(contacts), float(f.max())),
        cop_x_offset_mm=cop_off,
    )


def _imu(
    p: RunnerParams,
    t: np.ndarray,
    contacts: np.ndarray,
    stances: np.ndarray,
    stride_s: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """Shoe-mounted IMU: 1 g in stance, an impact spike after contact, swing motion."""
    n = len(t)
    idx = np.clip(np.searchsorted(contacts, t, side="right") - 1, 0, len(contacts) - 1)
    dt_c = t - contacts[idx]
    in_stance = (dt_c >= 0) & (dt_c <= stances[idx])
    swing_len = stride_s - stances[idx]
    ph = np.clip((dt_c - stances[idx]) / swing_len, 0, 1)
    peak_g = {"heel": 8.0, "mid": 5.5, "fore": 4.0}[p.strike] if p.gait == "run" else 2.5
    # impact shock at the shoe lasts ~20-30 ms (Lafortune 1991): sigma 8 ms
    spike = peak_g * 1000 * np.exp(-0.5 * ((dt_c - 0.010) / 0.008) ** 2) * (dt_c >= -0.01)
    az = 1000.0 + spike + np.where(in_stance, 0.0, 1500 * np.sin(2 * np.pi * ph))
    ax = np.where(in_stance, 0.0, 2000 * np.sin(np.pi * ph)) + 0.2 * spike
    ay = np.zeros(n)
    gy = np.where(in_stance, 0.0, -4000 * np.sin(2 * np.pi * ph) + 2000 * np.sin(np.pi * ph))
    gx = np.where(in_stance, 0.0, 300 * np.sin(np.pi * ph))
    gz = np.zeros(n)
    imu = np.stack([ax, ay, az, gx, gy, gz], axis=1) + rng.normal(0, 15, (n, 6))
    return np.clip(np.rint(imu), -32768, 32767).astype(np.int16)
