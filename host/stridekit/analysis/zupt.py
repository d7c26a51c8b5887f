"""Stride length, speed and distance from a foot IMU by zero-velocity updates.

A foot is still for a moment in every stance. Between two such moments the
accelerometer, rotated into the world frame by the integrated gyroscope, minus
gravity, integrates to the foot's velocity and then to its displacement; the
velocity must be zero again at the end, so the integration drift is removed by a
linear correction over the stride (Foxlin 2005, IEEE CG&A 25(6):38; Skog et al.
2010, IEEE TBME 57(11):2657; Rampp et al. 2015, IEEE TBME 62(4):1089, whose
stride-wise "forward integration with linear dedrifting" this follows). The
stride length is the horizontal distance between the two still moments; the
distance of a run is the sum of its strides.

Still moments come from either
* the gyroscope norm: windows of 0.15 s (half overlapping) whose mean angular
  rate is at most 15 deg/s are still: the published defaults of gaitmap's
  NormZuptDetector (Küderle et al. 2024, IEEE OJEMB, the software of Rampp et
  al.'s group), not fitted to any data this project validates on; or
* the pod's own stance (pressure contact to toe-off): the still moment is the
  stance's sample of least motion ("min_vel", Rampp et al.) by Skog et al.'s
  SHOE statistic on single samples (acceleration off 1 g and angular rate,
  weighted by gaitmap's ShoeZuptDetector default noise variances): an impact
  shakes the accelerometer while the gyroscope may stay quiet, and a still
  moment inside it would tilt the whole stride.

Units: acceleration m/s^2, angular rate rad/s, time s. No parameter here was
tuned on the data of `stride eval --stride-length`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from stridekit.session import Session

WINDOW_S = 0.15  # gaitmap NormZuptDetector default
STILL_DEG_S = 15.0  # gaitmap NormZuptDetector default: mean |gyro| per window
# SHOE weights (gaitmap ShoeZuptDetector defaults): noise variances of the
# accelerometer, (m/s^2)^2, and of the gyroscope, (deg/s)^2
SHOE_ACC_VAR = 3.5e-9
SHOE_GYR_VAR = 1.3e-7
G_M_S2 = 9.80665
# a foot's movement between two still moments longer than this is no stride
# (standing, shuffling): half again the slowest walking strides (~1.6 s, Hausdorff)
MAX_MOVE_S = 2.5
MIN_MOVE_S = 0.15
# a stance longer than any walking stance (~0.8 s) is standing still
STANDING_S = 1.5
PART_S = 0.5


@dataclass
class Strides:
    """Strides of one foot: sample index of the still moment each starts and ends at."""

    start: np.ndarray  # int
    end: np.ndarray  # int
    t_start_s: np.ndarray
    t_end_s: np.ndarray
    length_m: np.ndarray  # horizontal displacement of the foot
    rise_m: np.ndarray  # vertical displacement (stairs, slopes)
    max_height_m: np.ndarray  # foot clearance above the start

    @property
    def distance_m(self) -> float:
        return float(self.length_m.sum())

    @property
    def speed_m_s(self) -> np.ndarray:
        """Per stride: length / time from one still moment to the next."""
        dt = self.t_end_s - self.t_start_s
        return np.divide(self.length_m, dt, out=np.zeros_like(self.length_m), where=dt > 0)


def still_by_gyro_norm(
    gyr_rad_s: np.ndarray,
    rate_hz: float,
    window_s: float = WINDOW_S,
    threshold_deg_s: float = STILL_DEG_S,
) -> np.ndarray:
    """Per sample: still (True) if a half-overlapping window around it has a low mean |gyro|."""
    n = len(gyr_rad_s)
    w = max(3, round(rate_hz * window_s))
    hop = max(1, w - round(w * 0.5))
    norm = np.degrees(np.linalg.norm(gyr_rad_s, axis=1))
    still = np.zeros(n, bool)
    if n < w:
        return still
    c = np.concatenate([[0.0], np.cumsum(norm)])
    starts = np.arange(0, n - w + 1, hop)
    mean = (c[starts + w] - c[starts]) / w
    for s in starts[mean <= threshold_deg_s]:
        still[s : s + w] = True
    return still


def still_runs(still: np.ndarray) -> list[tuple[int, int]]:
    """[first, last] sample of each run of still samples."""
    d = np.diff(np.concatenate([[0], still.astype(np.int8), [0]]))
    starts = np.flatnonzero(d == 1)
    ends = np.flatnonzero(d == -1) - 1
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def _quat_to_vertical(g: np.ndarray) -> tuple[float, float, float, float]:
    """Quaternion (w, x, y, z) rotating the unit vector g onto +z (least rotation)."""
    gx, gy, gz = (g / np.linalg.norm(g)).tolist()
    # axis = g x z, angle = acos(g . z)
    ax, ay = gy, -gx
    s = math.hypot(ax, ay)
    c = max(-1.0, min(1.0, gz))
    if s < 1e-12:
        return (1.0, 0.0, 0.0, 0.0) if c > 0 else (0.0, 1.0, 0.0, 0.0)
    half = math.acos(c) / 2
    k = math.sin(half) / s
    return (math.cos(half), ax * k, ay * k, 0.0)


def _rotate(q: tuple[float, float, float, float], v: Sequence[float]) -> tuple[float, float, float]:
    w, x, y, z = q
    vx, vy, vz = v
    # v' = v + 2w (r x v) + 2 r x (r x v), r = (x, y, z)
    cx = y * vz - z * vy
    cy = z * vx - x * vz
    cz = x * vy - y * vx
    return (
        vx + 2 * (w * cx + y * cz - z * cy),
        vy + 2 * (w * cy + z * cx - x * cz),
        vz + 2 * (w * cz + x * cy - y * cx),
    )


def _stride(
    t: np.ndarray, acc: np.ndarray, gyr: np.ndarray, s: int, e: int, g_sensor: np.ndarray
) -> tuple[float, float, float]:
    """Integrate samples s..e (still at both ends): (horizontal length, rise, max height)."""
    q = _quat_to_vertical(g_sensor)
    g = float(np.linalg.norm(g_sensor))
    n = e - s + 1
    rotated: list[tuple[float, float, float]] = []
    accs = acc[s : e + 1].tolist()
    gyrs = gyr[s : e + 1].tolist()
    dts = np.diff(t[s : e + 1]).tolist()
    for i in range(n):
        rotated.append(_rotate(q, accs[i]))
        if i < n - 1:
            # body-frame rotation over the interval, mean rate of its two samples
            wx = (gyrs[i][0] + gyrs[i + 1][0]) / 2 * dts[i]
            wy = (gyrs[i][1] + gyrs[i + 1][1]) / 2 * dts[i]
            wz = (gyrs[i][2] + gyrs[i + 1][2]) / 2 * dts[i]
            ang = math.sqrt(wx * wx + wy * wy + wz * wz)
            if ang > 0:
                k = math.sin(ang / 2) / ang
                dw, dx, dy, dz = math.cos(ang / 2), wx * k, wy * k, wz * k
            else:
                dw, dx, dy, dz = 1.0, 0.0, 0.0, 0.0
            w0, x0, y0, z0 = q
            q = (
                w0 * dw - x0 * dx - y0 * dy - z0 * dz,
                w0 * dx + x0 * dw + y0 * dz - z0 * dy,
                w0 * dy - x0 * dz + y0 * dw + z0 * dx,
                w0 * dz + x0 * dy - y0 * dx + z0 * dw,
            )
    a_world = np.array(rotated)
    a_world[:, 2] -= g
    tt = t[s : e + 1] - t[s]
    dt = np.diff(tt)[:, None]
    v = np.vstack([np.zeros((1, 3)), np.cumsum((a_world[1:] + a_world[:-1]) / 2 * dt, axis=0)])
    # zero velocity at both still moments: remove the drift linearly in time
    v -= (tt / tt[-1])[:, None] * v[-1]
    p = np.vstack([np.zeros((1, 3)), np.cumsum((v[1:] + v[:-1]) / 2 * dt, axis=0)])
    return float(math.hypot(p[-1, 0], p[-1, 1])), float(p[-1, 2]), float(p[:, 2].max())


def integrate(
    t_s: np.ndarray,
    acc_m_s2: np.ndarray,
    gyr_rad_s: np.ndarray,
    still: Sequence[tuple[int, int]],
) -> Strides:
    """Strides between consecutive still periods ([first, last] sample each).

    Each stride starts at the last still sample of one period, with the tilt from
    that period's mean acceleration, and ends at the first still sample of the next.
    Movements shorter than MIN_MOVE_S or longer than MAX_MOVE_S are not strides.
    """
    t = np.asarray(t_s, np.float64)
    acc = np.asarray(acc_m_s2, np.float64)
    gyr = np.asarray(gyr_rad_s, np.float64)
    cols: list[list[float]] = [[] for _ in range(7)]
    for (a0, a1), (b0, _b1) in itertools.pairwise(still):
        s, e = a1, b0
        move = t[e] - t[s]
        if e <= s + 1 or not MIN_MOVE_S <= move <= MAX_MOVE_S:
            continue
        g_sensor = acc[a0 : a1 + 1].mean(axis=0)
        if not np.all(np.isfinite(g_sensor)) or np.linalg.norm(g_sensor) < 1.0:
            continue
        length, rise, top = _stride(t, acc, gyr, s, e, g_sensor)
        for c, x in zip(cols, (s, e, t[s], t[e], length, rise, top), strict=True):
            c.append(float(x))
    a = [np.array(c) for c in cols]
    return Strides(a[0].astype(np.int64), a[1].astype(np.int64), *a[2:])


def strides_from_imu(t_s: np.ndarray, acc_m_s2: np.ndarray, gyr_rad_s: np.ndarray) -> Strides:
    """Strides of a foot IMU recording, still moments from the gyro norm detector."""
    t = np.asarray(t_s, np.float64)
    if len(t) < 2:
        return integrate(t, acc_m_s2, gyr_rad_s, [])
    rate = (len(t) - 1) / (t[-1] - t[0]) if t[-1] > t[0] else 0.0
    if rate <= 0:
        raise ValueError("time stamps do not increase")
    still = still_by_gyro_norm(np.asarray(gyr_rad_s, np.float64), rate)
    return integrate(t, acc_m_s2, gyr_rad_s, still_runs(still))


def shoe_statistic(acc_m_s2: np.ndarray, gyr_rad_s: np.ndarray) -> np.ndarray:
    """Per sample: Skog et al.'s SHOE statistic over one sample; low is still.

    (|a| - g)^2 / SHOE_ACC_VAR + |w|^2 / SHOE_GYR_VAR: how far the acceleration is
    from 1 g and the rotation from none, each against its sensor noise.
    """
    acc = np.asarray(acc_m_s2, np.float64)
    gyr = np.degrees(np.asarray(gyr_rad_s, np.float64))
    off_g = np.linalg.norm(acc, axis=1) - G_M_S2
    return off_g * off_g / SHOE_ACC_VAR + (gyr * gyr).sum(axis=1) / SHOE_GYR_VAR


def still_from_stances(
    t_s: np.ndarray,
    acc_m_s2: np.ndarray,
    gyr_rad_s: np.ndarray,
    contact_s: np.ndarray,
    toe_off_s: np.ndarray,
) -> list[tuple[int, int]]:
    """Still moments from stances (contact to toe-off): the sample of least SHOE statistic.

    A stance longer than STANDING_S is standing: its still period runs from the
    stillest sample of its first PART_S to that of its last PART_S, so the
    stride before ends where the foot settled and the one after starts where it
    leaves, not somewhere in the middle of the wait.
    """
    t = np.asarray(t_s, np.float64)
    stat = shoe_statistic(acc_m_s2, gyr_rad_s)
    stat = np.where(np.isfinite(stat), stat, np.inf)
    out: list[tuple[int, int]] = []

    def least(a: int, b: int) -> int:
        return int(a + np.argmin(stat[a:b]))

    for c, o in zip(contact_s.tolist(), toe_off_s.tolist(), strict=True):
        a, b = (int(x) for x in np.searchsorted(t, [c, o]))
        if b - a < 1:
            continue
        if o - c <= STANDING_S:
            i = least(a, b)
            out.append((i, i))
            continue
        a2 = max(a + 1, int(np.searchsorted(t, c + PART_S)))
        b1 = min(b - 1, int(np.searchsorted(t, o - PART_S)))
        out.append((least(a, a2), least(b1, b)))
    return out


def session_strides(s: Session) -> Strides | None:
    """Strides of a pod session from its raw IMU samples, still moments from its own stances.

    None when the session has no raw samples with IMU rows or no steps (steps-only
    sessions carry no motion to integrate). Samples without an IMU row are left
    out (the integration bridges them as one longer interval).
    """
    if not len(s.sample_t_us) or not s.steps or not np.any(s.imu_present):
        return None
    keep = np.asarray(s.imu_present, bool)
    t = np.asarray(s.sample_t_us, np.float64)[keep] / 1e6
    imu = np.asarray(s.imu, np.float64)[keep]
    acc = imu[:, :3] / 1000.0 * G_M_S2
    gyr = np.radians(imu[:, 3:] / 10.0)
    contact, toe_off = s.step_times_s()
    return integrate(t, acc, gyr, still_from_stances(t, acc, gyr, contact, toe_off))
