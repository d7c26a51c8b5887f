"""A simulated foot that moves: its path over each gait cycle and what a shoe IMU feels.

The IMU's signals are derived from a trajectory of the foot, not drawn as
waveforms, so that integrating them (as zero-velocity-update analysis does)
gives back the distance the runner covered. The path, in the sagittal plane
(x forward, z up, pitch + toes up), follows the rockers of gait (Perry 1992,
Gait Analysis; Winter 1992, Phys Ther 72:45, foot trajectories; Novacheck 1998,
Gait Posture 7:77, running):

* heel rocker: from contact the foot turns about the heel (toes down) to foot
  flat; a forefoot strike instead turns about the ball of the foot (heel down);
* foot flat: the foot is still on the ground;
* forefoot rocker: from heel-off the foot turns about the ball of the foot,
  toes down ever faster until toe-off; the toes-down turn ends shortly after;
* swing: the foot travels forward to the next contact (position and its first
  two derivatives continuous at both ends: a quintic), lifted by a clearance
  bump, while it turns toes up in one lobe peaking in mid-swing (the shape foot
  gyroscopes record: Aminian et al. 2002, J Biomech 35:689; Salarian et al.
  2004, IEEE TBME 51:1434).

Between two foot-flat moments the foot moves exactly one stride, speed x
stride time, so the strides of a run sum to speed x time. Pitch rate follows
sin^2 lobes, so pitch is smooth to its second derivative and the sensor's
acceleration is continuous. Angles at contact and after toe-off are round
values inside published ranges (foot-strike angle: heel > 8 deg, forefoot
< -1.6 deg, Altman & Davis 2012, Gait Posture 35:298; foot pitch at toe-off
~60 deg toes down in walking, Mariani et al. 2010, J Biomech 43:2999): ASSUMED.
The sensor's specific force (gravity included) and angular rate in its own
frame come from the path by differentiation (analytic, at the sample instants).
Side-to-side motion and roll are left out: the foot moves in its plane.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

# 1 g as mg counts mean it (ISO 80000-3 standard gravity)
STANDARD_GRAVITY_M_S2 = 9.80665

# foot pitch at contact, by strike pattern (rad, + toes up): ASSUMED round values
STRIKE_PITCH_RAD = {"heel": math.radians(15.0), "mid": 0.0, "fore": math.radians(-8.0)}
# deepest toes-down pitch, just after toe-off (rad): ASSUMED round values
TOE_OFF_PITCH_RAD = {"walk": math.radians(-60.0), "run": math.radians(-55.0)}
ROCKER_S = 0.12  # heel rocker (loading response) ~10 % of a walking stride
ROCKER_MAX_SHARE = 0.3  # ... and at most this share of a (short, running) stance
HEEL_OFF_SHARE = 0.6  # heel-off at this share of stance
PUSH_TAIL_SHARE = 0.12  # the toes-down turn ends this share of swing after toe-off
# Where the sensor sits: ahead of the heel and above the ground, as shares of
# foot length and in metres; the ball of the foot (forefoot rocker) at 0.7 L.
SENSOR_AT_SHARE = 0.4
SENSOR_HEIGHT_M = 0.03
BALL_AT_SHARE = 0.7
# lift of the sensor in mid-swing above the straight path between toe-off and
# contact: ASSUMED, ~6 cm walking, more when running faster
CLEARANCE_WALK_M = 0.06
CLEARANCE_RUN_M_PER_M_S = 0.03


@dataclass
class FootPath:
    """Sensor position (m), pitch (rad) and their first two time derivatives per sample."""

    x_m: np.ndarray
    z_m: np.ndarray
    pitch_rad: np.ndarray
    vx: np.ndarray
    vz: np.ndarray
    ax: np.ndarray
    az: np.ndarray
    pitch_rate: np.ndarray
    pitch_acc: np.ndarray


def _lobe(tau: np.ndarray, dur: np.ndarray, delta: np.ndarray) -> tuple[np.ndarray, ...]:
    """Angle change, rate and rate's derivative of a sin^2 rate lobe turning delta in dur."""
    u = tau / dur
    ang = delta * (u - np.sin(2 * np.pi * u) / (2 * np.pi))
    rate = 2 * delta / dur * np.sin(np.pi * u) ** 2
    acc = 2 * delta / dur * np.pi / dur * np.sin(2 * np.pi * u)
    return ang, rate, acc


_H = [  # quintic Hermite basis, highest power first: p0, v0, a0, a1, v1, p1
    np.array([-6, 15, -10, 0, 0, 1.0]),
    np.array([-3, 8, -6, 0, 1, 0.0]),
    np.array([-0.5, 1.5, -1.5, 0.5, 0, 0.0]),
    np.array([0.5, -1, 0.5, 0, 0, 0.0]),
    np.array([-3, 7, -4, 0, 0, 0.0]),
    np.array([6, -15, 10, 0, 0, 0.0]),
]
_BUMP = np.array([-64, 192, -192, 64, 0, 0, 0.0])  # 64 u^3 (1-u)^3


def _hermite(u: np.ndarray, dur: np.ndarray, ends: list[np.ndarray]) -> tuple[np.ndarray, ...]:
    """Position, velocity, acceleration of the quintic through (p, v, a) at both ends."""
    p0, v0, a0, a1, v1, p1 = ends
    w = [p0, dur * v0, dur**2 * a0, dur**2 * a1, dur * v1, p1]
    pos = sum(wi * np.polyval(h, u) for wi, h in zip(w, _H, strict=True))
    vel = sum(wi * np.polyval(np.polyder(h), u) for wi, h in zip(w, _H, strict=True)) / dur
    acc = sum(wi * np.polyval(np.polyder(h, 2), u) for wi, h in zip(w, _H, strict=True))
    return np.asarray(pos), np.asarray(vel), np.asarray(acc) / dur**2


def foot_path(
    t_s: np.ndarray,
    contact_s: np.ndarray,
    stance_s: np.ndarray,
    speed_m_s: float,
    gait: str,
    strike: str,
    foot_length_m: float,
) -> FootPath:
    """The sensor's path at instants t_s for one foot's contacts and stance times.

    Before the first contact the foot stands flat; it lands flat on it. After
    the last contact it stays on the ground.
    """
    t = np.asarray(t_s, float)
    contact = np.asarray(contact_s, float)
    stance = np.asarray(stance_s, float)
    k = len(contact)
    n = len(t)
    out = FootPath(*(np.zeros(n) for _ in range(9)))
    if k == 0:
        return out
    heel_x = speed_m_s * (contact - contact[0])  # heel on the ground at each contact
    sx = SENSOR_AT_SHARE * foot_length_m
    bx = BALL_AT_SHARE * foot_length_m
    strike_th = np.full(k, STRIKE_PITCH_RAD[strike])
    strike_th[0] = 0.0  # from standing
    th_min = TOE_OFF_PITCH_RAD[gait]
    rocker = np.minimum(ROCKER_S, ROCKER_MAX_SHARE * stance)
    heel_off = HEEL_OFF_SHARE * stance
    nxt = np.append(contact[1:], np.inf)
    swing = nxt - contact - stance
    tail = PUSH_TAIL_SHARE * np.where(np.isfinite(swing), swing, 0.0)
    clearance = (
        CLEARANCE_WALK_M if gait == "walk" else CLEARANCE_RUN_M_PER_M_S * max(speed_m_s, 2.0)
    )

    idx = np.searchsorted(contact, t, side="right") - 1
    before = idx < 0
    i = np.maximum(idx, 0)
    tau = t - contact[i]
    out.x_m[:] = heel_x[i] + sx  # flat on the ground, unless a segment below moves it
    out.z_m[:] = SENSOR_HEIGHT_M

    def rocker_state(j: np.ndarray, tt: np.ndarray) -> tuple[np.ndarray, ...]:
        """Pitch and sensor state in stride j's rocker at tt after contact."""
        a, w, al = _lobe(tt, rocker[j], -strike_th[j])
        pitch = strike_th[j] + a
        on_ball = strike_th[j] < 0
        px = np.where(on_ball, heel_x[j] + bx, heel_x[j])
        rx = np.where(on_ball, sx - bx, sx)
        return (pitch, w, al, *_pivot(px, rx, pitch, w, al))

    def push_state(j: np.ndarray, tt: np.ndarray) -> tuple[np.ndarray, ...]:
        """Pitch (rate, its derivative) from heel-off, tt after heel-off."""
        t1 = stance[j] - heel_off[j]
        t2 = np.maximum(tail[j], 1e-6)
        # a rate lobe rising for t1 to its peak at toe-off, then falling for t2
        w_pk = -th_min * 2 / (t1 + t2)
        rising = tt <= t1
        a1, r1, c1 = _lobe(np.minimum(tt, t1), 2 * t1, -w_pk * t1)
        a2, r2, c2 = _lobe(np.clip(tt - t1, 0, t2) + t2, 2 * t2, -w_pk * t2)
        pitch = np.where(rising, a1, -w_pk * t1 / 2 + a2 + w_pk * t2 / 2)
        return pitch, np.where(rising, r1, r2), np.where(rising, c1, c2)

    seg_rocker = ~before & (tau < rocker[i])
    seg_push = ~before & (tau >= heel_off[i]) & (tau < stance[i]) & np.isfinite(nxt[i])
    seg_swing = ~before & (tau >= stance[i]) & np.isfinite(nxt[i])

    if np.any(seg_rocker):
        j, tt = i[seg_rocker], tau[seg_rocker]
        pitch, w, al, px_, pz_, vx_, vz_, ax_, az_ = rocker_state(j, tt)
        _put(out, seg_rocker, px_, pz_, pitch, vx_, vz_, ax_, az_, w, al)
    if np.any(seg_push):
        j, tt = i[seg_push], tau[seg_push] - heel_off[i[seg_push]]
        pitch, w, al = push_state(j, tt)
        st = _pivot(heel_x[j] + bx, sx - bx, pitch, w, al)
        _put(out, seg_push, *st[:2], pitch, *st[2:], w, al)
    if np.any(seg_swing):
        j, tt = i[seg_swing], tau[seg_swing] - stance[i[seg_swing]]
        t_sw = swing[j]
        # pitch: the toes-down turn ends, then one toes-up lobe to the next contact's pitch
        in_tail = tt < tail[j]
        pp, pw, pa = push_state(j, tt + stance[j] - heel_off[j])
        t_lobe = np.maximum(t_sw - tail[j], 1e-6)
        la, lw, lal = _lobe(np.clip(tt - tail[j], 0, None), t_lobe, strike_th[j + 1] - th_min)
        pitch = np.where(in_tail, pp, th_min + la)
        w = np.where(in_tail, pw, lw)
        al = np.where(in_tail, pa, lal)
        # position: from the state at toe-off to the state at the next contact
        zero = np.zeros(len(j))
        p_off, w_off, a_off = push_state(j, stance[j] - heel_off[j])
        s0 = _pivot(heel_x[j] + bx, sx - bx, p_off, w_off, a_off)
        s1 = rocker_state(j + 1, zero)[3:]
        u = tt / t_sw
        hx = _hermite(u, t_sw, [s0[0], s0[2], s0[4], s1[4], s1[2], s1[0]])
        hz = _hermite(u, t_sw, [s0[1], s0[3], s0[5], s1[5], s1[3], s1[1]])
        bump = clearance * np.polyval(_BUMP, u)
        bump_v = clearance * np.polyval(np.polyder(_BUMP), u) / t_sw
        bump_a = clearance * np.polyval(np.polyder(_BUMP, 2), u) / t_sw**2
        _put(
            out,
            seg_swing,
            hx[0],
            hz[0] + bump,
            pitch,
            hx[1],
            hz[1] + bump_v,
            hx[2],
            hz[2] + bump_a,
            w,
            al,
        )
    return out


def _pivot(
    px: np.ndarray, rx: np.ndarray | float, th: np.ndarray, w: np.ndarray, al: np.ndarray
) -> tuple[np.ndarray, ...]:
    """Sensor at body offset (rx, SENSOR_HEIGHT_M) from a pivot on the ground at x = px.

    Position, velocity and acceleration (x, z each) with the foot at pitch th
    turning at rate w, w changing at al.
    """
    rz = SENSOR_HEIGHT_M
    c, s = np.cos(th), np.sin(th)
    ox, oz = rx * c - rz * s, rx * s + rz * c  # R(th) r
    dx, dz = -oz, ox  # dR/dth r
    return (px + ox, oz, w * dx, w * dz, al * dx - w * w * ox, al * dz - w * w * oz)


def _put(out: FootPath, sel: np.ndarray, *cols: np.ndarray) -> None:
    for name, v in zip(
        ("x_m", "z_m", "pitch_rad", "vx", "vz", "ax", "az", "pitch_rate", "pitch_acc"),
        cols,
        strict=True,
    ):
        getattr(out, name)[sel] = v


def sensor_signals(path: FootPath) -> tuple[np.ndarray, np.ndarray]:
    """Specific force (m/s^2) and angular rate (rad/s) in the sensor's frame, (N, 3) each.

    Sensor axes: x toward the toes, y to the foot's left, z up from the sole.
    A toes-up turn is a negative rate about y (right-hand rule).
    """
    fx = path.ax
    fz = path.az + STANDARD_GRAVITY_M_S2
    c, s = np.cos(path.pitch_rad), np.sin(path.pitch_rad)
    n = len(fx)
    acc = np.stack([c * fx + s * fz, np.zeros(n), -s * fx + c * fz], axis=1)
    gyr = np.stack([np.zeros(n), -path.pitch_rate, np.zeros(n)], axis=1)
    return acc, gyr
