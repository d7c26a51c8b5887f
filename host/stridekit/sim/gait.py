"""Synthetic runners with ground truth: raw insole ADC counts and shoe IMU per foot.

The model, its numbers and their sources are in host/stridekit/sim/MODEL.md; in short:

* One alternating sequence of steps (left, right, left, ...) in true time. Each
  step has a stance time (running: ~0.32 s - 0.03 s per m/s; walking: a duty
  factor of the stride) and a step time (60 / cadence), with step-to-step noise;
  running: stance-time noise carries into the step time, flight-time noise is its
  own; walking: step and stance times vary independently (double support).
* Vertical impulse of a step = body weight x step time (Newton: over a steady
  stride the ground returns the body's weight; the momentum balance is applied
  per step). Running force = half-sine body pulse (spring-mass, Blickhan 1989)
  plus, for heel and midfoot strikes, an impact transient from the lower limb's
  collision (two-mass idea of Clark, Ryan & Weyand 2014/2017) sized to published
  impact peaks; walking = the double hump a1 sin(pi s) + a3 sin(3 pi s).
* Conditions (stridekit.sim.conditions) change a limb's step time, stance time,
  impact peak, loading rate, shock, strike point and CoP; each from the literature.
* The centre of pressure rolls heel to toe from the strike point; cells share the
  total force through a Gaussian footprint around the CoP (cell forces sum to the
  true total). The cells are FSRs in a divider (stridekit.sim.sensor).
* Each pod samples on its own clock (offset, ppm drift, jitter); physics is
  evaluated at the true instants, the recording carries device time.
* Ground truth, in TRUE time: contact and toe-off are where the true total force
  crosses 20 N (the kernel's event level, force-plate practice), found on a fine
  grid per step; loading rate follows the kernel's definition (20-80 % of the
  impact peak, else of the force at 13 % of stance).

Defaults are a clean, symmetric, healthy 70 kg heel striker at 3 m/s with ideal
sensors and clocks; every condition and sensor reality is off until asked for.

Why ~700 lines in one module: the step sequence, the force model and the per-block
signal generation share one run's random stream, whose draw order seeds every
golden case; conditions, sensors and the foot path already live apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from stridefw import calib as fw_calib
from stridefw import config as fw_config
from stridefw import layouts as fw_layouts
from stridekit.sim import conditions as C
from stridekit.sim import foot_path as FP
from stridekit.sim import sensor as S

G = 9.81
# contact and toe-off: where force crosses the kernel's level (the event's definition)
EVENT_LEVEL_N = fw_config.EVENT_LEVEL_DN / 10
_FINE_N = 2001  # grid points per stance for the ground truth

GAITS = ("run", "walk")
STRIKES = ("heel", "mid", "fore")
# CoP at touchdown as a fraction of foot length (strike index), by strike pattern:
# rearfoot < 1/3, midfoot 1/3-2/3, forefoot > 2/3 (Cavanagh & Lafortune 1980).
STRIKE_Y = {"heel": 0.12, "mid": 0.45, "fore": 0.68}
# Impact transient relative to a heel strike: forefoot strikes show none, midfoot
# strikes a smaller one (Lieberman et al. 2010, Nature 463:531-535). The 0.4 is ASSUMED.
STRIKE_IMPACT = {"heel": 1.0, "mid": 0.4, "fore": 0.0}
# Rise-time exponent that makes a condition's loading-rate factor come out as that
# factor in the 20-80 % loading rate (the body pulse also rises under the impact;
# found numerically for 2-4.5 m/s: d ln LR / d ln t_ip = -1.15 heel, -0.59 midfoot).
# Forefoot strikes have no transient to steepen: their loading rate follows stance.
STRIKE_LR_GAMMA = {"heel": 0.87, "mid": 1.7, "fore": 0.0}
# Time to the impact peak as a fraction of stance (~25 ms at 230 ms; the impact
# peak falls in the first 10-15 % of stance).
IMPACT_FRAC = 0.11
# Step-to-step CVs of the impact peak and of its rise time (together ~8 % CV of the
# loading rate: ASSUMED, see conditions.MODEL_STEP_CV).
IMPACT_PEAK_CV = 0.03
IMPACT_TIME_CV = 0.075
# Unstable soles make within-step variables vary more from step to step at the same
# cycle-level variability (Stöggl 2010): stance-time noise scales with Effect.var
# (flight noise shrinks to keep the step time's), and the force pulse gets a
# zero-impulse shape noise sized so the peak-force SD also scales with var (the
# default runner's peak CV is ~2.7 %, from stance and flight noise): SD of mu =
# 3 x 0.027 x sqrt(var^2 - 1), none at var = 1.
PEAK_SHAPE_SD = 3 * 0.027
# Peak shoe acceleration is proportional to the vertical loading rate (Hennig,
# Milani & Lafortune 1993, J Appl Biomech 9:306-314, r ~ 0.9 for tibial
# acceleration); scaled so that the default 3 m/s heel striker sees ~8 g at the
# shoe (5-12 g reported for running; walking heel strikes ~2-4 g).
SHOCK_G_PER_BW_S = 0.112
WALK_SHOCK_G = 2.5


@dataclass
class RunnerParams:
    """What to simulate. Defaults: a clean, symmetric 70 kg heel striker at 3 m/s."""

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
    stance_cv: float = 0.03  # step-to-step CV of stance time
    # --- conditions (stridekit.sim.conditions) ---
    lld_cm: float = 0.0  # leg-length difference, 0-3 cm
    lld_side: str = "left"  # the LONGER limb
    instability: float = 0.0  # unstable "toning" sole: 0 stable, 1 MBT at first use
    cushioning: str = "conventional"  # or "maximal"
    fatigue: float = 0.0  # fatigue level reached at the end of the run, 0..1
    fatigue_start: float = 0.0  # level at the start (simulate a late window of a run)
    asym_stance: float = 0.0  # the runner's own left/right asymmetry, + = left larger
    asym_step: float = 0.0
    asym_loading_rate: float = 0.0
    # --- sensor realities (stridekit.sim.sensor) ---
    half_force_cv: float = 0.0  # per-cell F_half spread (FSR 400: 0.06)
    preload_n: float = 0.0  # max standing load per cell from lacing and insole
    hysteresis: float = 0.0  # (R_F+ - R_F-) / R_F+ (FSR 400: 0.10)
    creep: float = 0.0  # conductance gain per log10(s) under load (FSR 400: < 0.05)
    drift: float = 0.0  # conductance gain over the session (warming shoe)
    sample_drop_prob: float = 0.0  # chance that the pod skips a sample
    imu_dropout_rate_hz: float = 0.0  # IMU read failures start this often
    imu_dropout_s: float = 0.3  # mean length of an IMU dropout
    fault_kind: str = ""  # "", stuck, open, saturated, imu_lost
    fault_foot: int = 0
    fault_cell: int = 0
    fault_onset_s: float = 0.0  # true session time
    fault_value: int = -1  # stuck level in counts (-1: the cell's median loaded reading)
    clock_offset_s: tuple[float, float] = (0.0, 0.0)  # true time each pod's session starts
    clock_ppm: tuple[float, float] = (0.0, 0.0)  # each pod's clock rate error
    tick_offset_us: tuple[int, int] = (0, 0)  # raw ticks_us() at each session start
    start_epoch_s: int | None = None  # wall-clock session start (training plans)

    @property
    def toning(self) -> bool:
        return self.instability > 0

    @property
    def short_side(self) -> str:
        return "right" if self.lld_side == "left" else "left"


@dataclass
class StepTruth:
    """Ground truth per step of one foot, in true session time (s)."""

    contact_s: np.ndarray
    toe_off_s: np.ndarray
    peak_force_n: np.ndarray
    cop_x_offset_mm: np.ndarray  # the step's random medial-lateral CoP offset
    stance_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    swing_s: np.ndarray = field(default_factory=lambda: np.zeros(0))  # NaN: no next contact
    stride_s: np.ndarray = field(default_factory=lambda: np.zeros(0))  # to this foot's next
    impulse_ns: np.ndarray = field(default_factory=lambda: np.zeros(0))  # whole stance
    loading_rate_n_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    impact_peak_n: np.ndarray = field(default_factory=lambda: np.zeros(0))  # NaN: none
    strike_index: np.ndarray = field(default_factory=lambda: np.zeros(0))  # CoP y / foot length
    cop_x_mean_mm: np.ndarray = field(default_factory=lambda: np.zeros(0))  # while F >= BW/10
    shock_g: np.ndarray = field(default_factory=lambda: np.zeros(0))  # peak shoe accel
    fatigue: np.ndarray = field(default_factory=lambda: np.zeros(0))  # level at the step

    def __len__(self) -> int:
        return len(self.contact_s)


@dataclass
class SimFoot:
    """One foot's raw recording: times are device microseconds from the pod's session start."""

    foot: int  # 0 left, 1 right
    t_us: np.ndarray  # int64 (N,)
    cells: np.ndarray  # uint16 (N, n_cells)
    imu: np.ndarray | None  # int16 (N, 6): ax, ay, az mg; gx, gy, gz 0.1 deg/s
    force_n: np.ndarray  # true total vertical force at each sample
    truth: StepTruth
    imu_present: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    t_true_s: np.ndarray = field(default_factory=lambda: np.zeros(0))  # true time per sample
    clock_offset_s: float = 0.0
    clock_ppm: float = 0.0
    tick_offset_us: int = 0
    fault: S.Fault | None = None
    fault_index: int = -1  # first sample with the fault, -1: none
    partial_start: bool = False  # recording began inside a stance (not in truth)

    def __post_init__(self) -> None:
        n = len(self.t_us)
        if len(self.imu_present) != n:  # default: every IMU row present
            self.imu_present = np.full(n, self.imu is not None)
        if len(self.t_true_s) != n:
            self.t_true_s = S.device_to_true_s(self.t_us / 1e6, self.clock_offset_s, self.clock_ppm)

    def device_ticks(self) -> np.ndarray:
        """Raw ticks_us() values as the pod read them (wrap at 2**30)."""
        return (self.t_us + self.tick_offset_us) & S.TICKS_MASK

    def to_true_s(self, device_s: np.ndarray) -> np.ndarray:
        """Device session seconds (e.g. a kernel's contact_us / 1e6) -> true session seconds."""
        return S.device_to_true_s(device_s, self.clock_offset_s, self.clock_ppm)

    def to_device_s(self, true_s: np.ndarray) -> np.ndarray:
        return S.true_to_device_s(true_s, self.clock_offset_s, self.clock_ppm)


@dataclass
class SimRun:
    params: RunnerParams
    layout_id: int
    feet: list[SimFoot] = field(default_factory=list)


def check_params(p: RunnerParams) -> None:
    """Raise ValueError for a parameter set the model does not cover."""
    if p.gait not in GAITS:
        raise ValueError(f"gait must be one of {GAITS}")
    if p.strike not in STRIKES:
        raise ValueError(f"strike must be one of {STRIKES}")
    if p.cells not in (8, 16):
        raise ValueError("cells must be 8 or 16")
    if p.lld_side not in C.SIDES:
        raise ValueError("lld_side must be 'left' or 'right'")
    if not 0 <= p.lld_cm <= 5:
        raise ValueError("lld_cm must be within 0-5 cm")
    if p.cushioning not in C.CUSHIONING:
        raise ValueError(f"cushioning must be one of {C.CUSHIONING}")
    if p.fault_kind and p.fault_kind not in S.FAULT_KINDS:
        raise ValueError(f"fault_kind must be one of {S.FAULT_KINDS}")
    if p.fault_kind and not 0 <= p.fault_cell < p.cells:
        raise ValueError("fault_cell out of range")
    if p.speed_m_s <= 0 or p.cadence_spm <= 0 or p.mass_kg <= 0 or p.duration_s <= 0:
        raise ValueError("speed, cadence, mass and duration must be positive")


def run_stance_s(speed_m_s: float, step_s: float) -> float:
    """Running contact time (Morin et al. 2005, Weyand et al. 2000 ranges)."""
    return float(np.clip(0.32 - 0.03 * speed_m_s, 0.12, 0.9 * step_s))


def walk_duty(speed_m_s: float) -> float:
    """Walking stance as a fraction of the stride: ~62 % at 1.3 m/s (Perry), less when faster."""
    return float(np.clip(0.62 - 0.04 * (speed_m_s - 1.3), 0.57, 0.67))


@dataclass
class _Steps:
    """The whole alternating step sequence, both feet, in true time."""

    foot: np.ndarray
    contact: np.ndarray  # model touchdown (force starts rising)
    stance: np.ndarray
    step: np.ndarray  # to the other foot's next touchdown
    a2: np.ndarray  # body pulse amplitude (run) / walking shape amplitude, N
    a1: np.ndarray  # impact transient amplitude, N (run)
    t_ip: np.ndarray  # time to the impact peak, s (run)
    wa: np.ndarray  # walking weight-acceptance change (impact factor - 1)
    mu: np.ndarray  # peakiness of the body pulse at equal impulse (0: half-sine)
    y0: np.ndarray  # CoP y at contact, mm
    cop_off: np.ndarray  # random ML offset of the step, mm
    cop_dx: np.ndarray  # condition ML shift, mm
    shock: np.ndarray  # shock factor (beyond loading rate)
    fatigue: np.ndarray

    def take(self, sel: np.ndarray) -> _Steps:
        return _Steps(**{k: getattr(self, k)[sel] for k in self.__dataclass_fields__})


def _stream(p: RunnerParams, *tag: int) -> np.random.Generator:
    # one independent stream per purpose, so that switching one condition on does
    # not reshuffle the random numbers of everything else
    return np.random.default_rng([p.seed & 0xFFFFFFFF, *tag])


def _walk_integral(wa: np.ndarray | float, heel: bool) -> np.ndarray:
    base = 1.165 * 2 / math.pi + 0.465 * 2 / (3 * math.pi)
    transient = 0.15 * 0.015 * math.sqrt(2 * math.pi) if heel else 0.0
    return np.asarray(base + transient + 1.1 * 0.2 * np.asarray(wa))


def _step_sequence(p: RunnerParams, t_end: float, bw: float, foot_len_mm: float) -> _Steps:
    step0 = 60.0 / p.cadence_spm
    walk = p.gait == "walk"
    stance0 = walk_duty(p.speed_m_s) * 2 * step0 if walk else run_stance_s(p.speed_m_s, step0)
    limb = [
        a * b
        for a, b in zip(
            C.lld_effects(p.lld_cm, p.lld_side, p.gait),
            C.natural_asym_effects(p.asym_stance, p.asym_step, p.asym_loading_rate),
            strict=True,
        )
    ]
    shoe = C.instability_effect(p.instability) * C.cushioning_effect(p.cushioning, p.speed_m_s)
    n = int(t_end / (0.6 * step0)) + 8
    eps = [_stream(p, 1, j).standard_normal(n) for j in range(6)]
    t_first = 0.4 + 0.05 * float(_stream(p, 1, 99).random())
    # flight-time noise: what the step-time variability needs beyond the stance noise
    sd_step = math.sqrt(2) * p.stride_cv * step0
    sd_stance = p.stance_cv * stance0
    sd_flight = math.sqrt(max(sd_step**2 - sd_stance**2, (0.3 * sd_step) ** 2))
    kappa = STRIKE_IMPACT[p.strike]
    ip0 = C.impact_peak_bw(p.speed_m_s) * bw
    cols: dict[str, list[float]] = {k: [] for k in _Steps.__dataclass_fields__}
    t = t_first
    k = 0
    while t < t_end and k < n:
        f = k % 2
        level = p.fatigue_start + (p.fatigue - p.fatigue_start) * min(max(t / p.duration_s, 0), 1)
        e = limb[f] * shoe * C.fatigue_effect(level)
        step_nom = step0 * e.step
        stance_nom = (walk_duty(p.speed_m_s) * 2 * step_nom if walk else stance0) * e.stance
        # within-step variability (stance) scales with e.var; the flight noise
        # shrinks to match, so cycle-level variability stays (Stöggl 2010)
        sd_st = sd_stance * e.var
        sd_fl = (
            math.sqrt(max(sd_step**2 - sd_st**2, (0.3 * sd_step) ** 2)) if e.var != 1 else sd_flight
        )
        stance = stance_nom * (1 + p.stance_cv * e.var * eps[0][k])
        if walk:
            # double support: the next foot's landing is not tied to this toe-off
            step = max(step_nom + sd_step * eps[1][k], 0.5 * stance)
        else:
            # running: a longer stance delays the next landing unless flight shortens
            step = max(stance + (step_nom - stance_nom) + sd_fl * eps[1][k], 0.6 * stance)
        j = bw * step  # vertical impulse of this step (momentum balance)
        a1 = 0.0
        t_ip = 0.0
        wa = 0.0
        if walk:
            wa = e.impact - 1
            a2 = j / (stance * float(_walk_integral(wa, p.strike == "heel")))
        else:
            # rise time: the step's own stance (with its noise, without the
            # condition's stance factor, so that a condition's loading-rate factor is
            # its whole effect), scaled so that the loading rate changes by e.loading_rate
            t_ip = IMPACT_FRAC * stance / e.stance * e.impact
            t_ip *= e.loading_rate ** -STRIKE_LR_GAMMA[p.strike]
            t_ip *= max(1 + IMPACT_TIME_CV * e.var * eps[2][k], 0.3)
            ip = ip0 * e.impact * (1 + IMPACT_PEAK_CV * e.var * eps[3][k])
            sig = math.sin(math.pi * t_ip / stance)
            c2 = 2 * stance / math.pi
            cb = t_ip * (2 / math.pi + 0.5)
            a2 = (j - kappa * ip * cb) / (c2 - kappa * sig * cb)
            a1 = kappa * (ip - a2 * sig)
            if a1 < 0:
                a1 = 0.0
                a2 = j / c2
        y0 = (STRIKE_Y[p.strike] + e.strike_dy) * foot_len_mm
        for name, v in (
            ("foot", f),
            ("contact", t),
            ("stance", stance),
            ("step", step),
            ("a2", a2),
            ("a1", a1),
            ("t_ip", t_ip),
            ("wa", wa),
            ("mu", PEAK_SHAPE_SD * math.sqrt(max(e.var**2 - 1, 0.0)) * eps[5][k]),
            ("y0", y0),
            ("cop_off", p.cop_ml_sd_mm * e.var * eps[4][k]),
            ("cop_dx", e.cop_dx_mm),
            ("shock", e.shock),
            ("fatigue", level),
        ):
            cols[name].append(float(v))
        t += step
        k += 1
    arr = {name: np.asarray(v) for name, v in cols.items()}
    arr["foot"] = arr["foot"].astype(np.int64)
    return _Steps(**arr)


def _impact_shape(tau: np.ndarray, t_ip: np.ndarray) -> np.ndarray:
    """Impact transient, unit peak at t_ip: quarter-sine rise, raised-cosine fall, 0 after 2 t_ip."""
    tip = np.maximum(t_ip, 1e-6)
    rise = np.sin(0.5 * np.pi * np.clip(tau / tip, 0, 1))
    fall = 0.5 * (1 + np.cos(np.pi * np.clip((tau - tip) / tip, 0, 1)))
    return np.where(tau <= tip, rise, fall) * ((tau >= 0) & (tau <= 2 * tip))


def _peaky(sc: np.ndarray) -> np.ndarray:
    """Zero-impulse change of pulse shape: + raises the mid-stance peak by 1/3 per unit."""
    b = np.sin(np.pi * sc)
    return b**3 - (2 / 3) * b


def _force(tau: np.ndarray, st: _Steps, idx: np.ndarray, p: RunnerParams) -> np.ndarray:
    """True vertical force at times tau after the touchdown of steps idx (any shape)."""
    stance = st.stance[idx]
    s = tau / stance
    inside = (s >= 0) & (s <= 1)
    sc = np.clip(s, 0, 1)
    if p.gait == "walk":
        w = 1.165 * np.sin(np.pi * sc) + 0.465 * np.sin(3 * np.pi * sc)
        if p.strike == "heel":
            w = w + 0.15 * np.exp(-0.5 * ((sc - 0.04) / 0.015) ** 2)
        w = w + st.wa[idx] * 1.1 * np.sin(np.pi * np.clip(sc / 0.4, 0, 1)) ** 2
        f = st.a2[idx] * (w + st.mu[idx] * _peaky(sc))
    else:
        body = np.sin(np.pi * sc) + st.mu[idx] * _peaky(sc)
        f = st.a2[idx] * body + st.a1[idx] * _impact_shape(tau, st.t_ip[idx])
    return np.where(inside, np.maximum(f, 0.0), 0.0)


def _cop_mm(
    s: np.ndarray, st: _Steps, idx: np.ndarray, foot_len_mm: float
) -> tuple[np.ndarray, np.ndarray]:
    sc = np.clip(s, 0, 1)
    y0 = st.y0[idx]
    y = y0 + (0.90 * foot_len_mm - y0) * sc**1.3
    # lateral roll after contact, medial push-off, plus the step's offsets
    x = 8.0 * np.sin(np.pi * sc) - 20.0 * sc**3 + st.cop_off[idx] + st.cop_dx[idx]
    return x, y


def simulate(p: RunnerParams) -> SimRun:
    """Generate both feet; deterministic (bit for bit) for a given parameter set and seed."""
    check_params(p)
    layout = fw_layouts.INSOLE_16 if p.cells == 16 else fw_layouts.INSOLE_8
    foot_len_mm = layout.foot_length_dmm / 10
    bw = p.mass_kg * G
    t_end = p.duration_s * (1 + 1e-4) + max(p.clock_offset_s) + 1.0
    steps = _step_sequence(p, t_end, bw, foot_len_mm)
    run = SimRun(params=p, layout_id=layout.layout_id)
    cx = np.asarray(layout.x_dmm, float) / 10
    cy = np.asarray(layout.y_dmm, float) / 10
    fault = (
        S.Fault(p.fault_kind, p.fault_foot, p.fault_cell, p.fault_onset_s, p.fault_value)
        if p.fault_kind
        else None
    )
    for foot in (0, 1):
        st = steps.take(steps.foot == foot)
        t_dev = S.sample_times(
            p.duration_s, p.rate_hz, p.jitter_us, p.sample_drop_prob, _stream(p, 3, foot)
        )
        t = S.device_to_true_s(t_dev, p.clock_offset_s[foot], p.clock_ppm[foot])
        fsr = S.make_cells(
            p.cells,
            p.half_force_n,
            p.half_force_cv,
            p.preload_n,
            p.hysteresis,
            p.creep,
            p.drift,
            _stream(p, 4, foot),
        )
        truth_all = _truth(st, p, bw, foot_len_mm)
        present = S.imu_dropout_mask(t, p.imu_dropout_rate_hz, p.imu_dropout_s, _stream(p, 6, foot))
        # the per-sample signals block by block: each sample depends only on its own
        # time and the step sequence, the noise streams are drawn in order and the FSR
        # hysteresis carries its state, so the result is the same as in one piece while
        # the (N, cells) float intermediates stay the size of a block
        n = len(t)
        force = np.empty(n)
        cells = np.empty((n, p.cells), np.uint16)
        imu = np.empty((n, 6), np.int16) if p.has_imu else None
        rng_cells = _stream(p, 5, foot)
        rng_imu = _stream(p, 7, foot)
        carry = S.FsrCarry()
        for a in range(0, n, SAMPLE_BLOCK):
            b = slice(a, min(n, a + SAMPLE_BLOCK))
            force[b], cells[b] = _cells_block(
                t[b], t_dev[b], st, p, cx, cy, foot_len_mm, fsr, rng_cells, carry
            )
            if imu is not None:
                imu[b] = _imu(p, t[b], st, truth_all.shock_g, rng_imu, foot_len_mm)
        foot_fault = fault if fault is not None and fault.foot == foot else None
        fault_index = -1
        if foot_fault is not None:
            if foot_fault.kind == "imu_lost":
                fault_index = int(np.searchsorted(t, foot_fault.onset_s))
                present[fault_index:] = False
            else:
                fault_index = S.apply_cell_fault(cells, t, foot_fault)
        if imu is None:
            present[:] = False
        # truth: the steps whose contact and toe-off both fall inside this pod's
        # recording (exactly the steps a kernel can see whole); a recording that
        # starts inside a stance shows the kernel one truncated step first
        keep = (truth_all.contact_s > t[0]) & (truth_all.toe_off_s < t[-1])
        truth = _select(truth_all, keep)
        partial = bool(np.any((truth_all.contact_s <= t[0]) & (truth_all.toe_off_s > t[0])))
        t_us = np.rint(t_dev * 1e6).astype(np.int64)
        run.feet.append(
            SimFoot(
                foot,
                t_us,
                cells,
                imu,
                force,
                truth,
                imu_present=present,
                t_true_s=t,
                clock_offset_s=p.clock_offset_s[foot],
                clock_ppm=p.clock_ppm[foot],
                tick_offset_us=int(p.tick_offset_us[foot]) & S.TICKS_MASK,
                fault=foot_fault,
                fault_index=fault_index,
                partial_start=partial,
            )
        )
    return run


# Samples generated at a time (simulate): the float intermediates of a block are a few
# MB, so a five-hour run does not hold gigabytes of them; any size gives the same run.
SAMPLE_BLOCK = 65536


def _cells_block(
    t: np.ndarray,
    t_dev: np.ndarray,
    st: _Steps,
    p: RunnerParams,
    cx: np.ndarray,
    cy: np.ndarray,
    foot_len_mm: float,
    fsr: S.FsrCells,
    rng: np.random.Generator,
    carry: S.FsrCarry,
) -> tuple[np.ndarray, np.ndarray]:
    """True total force and raw cell counts of consecutive samples at true times t."""
    idx = np.searchsorted(st.contact, t, side="right") - 1
    valid = idx >= 0
    ci = np.where(valid, idx, 0)
    tau = np.where(valid, t - st.contact[ci], -1.0)
    force = _force(tau, st, ci, p)
    s = tau / st.stance[ci]
    x_mm, y_mm = _cop_mm(s, st, ci, foot_len_mm)
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
    loaded_s = np.where(force > 0, tau, np.nan)
    return force, S.fsr_counts(cell_n, t_dev, loaded_s, fsr, p.noise_counts, rng, carry)


def _select(tr: StepTruth, keep: np.ndarray) -> StepTruth:
    return StepTruth(**{k: getattr(tr, k)[keep] for k in tr.__dataclass_fields__})


def _first_crossing(t: np.ndarray, f: np.ndarray, level: float) -> float:
    i = int(np.argmax(f >= level))
    if i == 0 or f[i] < level:
        return float(t[i])
    return float(t[i - 1] + (level - f[i - 1]) / (f[i] - f[i - 1]) * (t[i] - t[i - 1]))


def _loading_rate(t: np.ndarray, f: np.ndarray, bw: float) -> tuple[float, float]:
    """(loading rate N/s, impact peak N or NaN), the kernel's definition on a fine trace.

    Reference: the first local maximum in the first 30 % of stance that is at least
    BW/2 (the impact peak), else the force at 13 % of stance (Ueda et al. 2016
    practice); average rate between 20 % and 80 % of the reference.
    """
    dur = t[-1]
    early = t <= 0.3 * dur
    fe = f[early]
    peaks = np.nonzero((fe[1:-1] >= fe[:-2]) & (fe[1:-1] > fe[2:]) & (fe[1:-1] >= bw / 2))[0]
    impact = math.nan
    if len(peaks):
        ref = float(fe[peaks[0] + 1])
        impact = ref
    else:
        ref = float(np.interp(0.13 * dur, t, f))
    if ref <= 0:
        return 0.0, impact
    t20 = _first_crossing(t, f, 0.2 * ref)
    t80 = _first_crossing(t, f, 0.8 * ref)
    if t80 <= t20:
        return 0.0, impact
    return 0.6 * ref / (t80 - t20), impact


# Steps per block of the ground-truth grid (_FINE_N points a step): every step is
# computed on its own row, so blocks give the same numbers and bound the memory
# (the whole grid of an hour's run at once was ~1.5 GB).
_TRUTH_BLOCK_STEPS = 256


def _truth(st: _Steps, p: RunnerParams, bw: float, foot_len_mm: float) -> StepTruth:
    """Ground truth of every step of one foot (computed in blocks of steps)."""
    k = len(st.contact)
    parts = [
        _truth_rows(st, np.arange(a, min(a + _TRUTH_BLOCK_STEPS, k)), p, bw, foot_len_mm)
        for a in range(0, k, _TRUTH_BLOCK_STEPS)
    ] or [_truth_rows(st, np.arange(0), p, bw, foot_len_mm)]
    contact, toe_off, peak, impulse, lr, impact, strike, cop_mean = (
        np.concatenate([part[i] for part in parts]) for i in range(8)
    )
    nxt = np.append(contact[1:], math.nan)
    lr_bw = lr / bw
    if p.gait == "walk":
        shock = WALK_SHOCK_G * st.shock * np.ones(k)
    else:
        shock = SHOCK_G_PER_BW_S * lr_bw * st.shock
    return StepTruth(
        contact_s=contact,
        toe_off_s=toe_off,
        peak_force_n=peak,
        cop_x_offset_mm=st.cop_off,
        stance_s=toe_off - contact,
        swing_s=nxt - toe_off,
        stride_s=nxt - contact,
        impulse_ns=impulse,
        loading_rate_n_s=lr,
        impact_peak_n=impact,
        strike_index=strike,
        cop_x_mean_mm=cop_mean,
        shock_g=shock,
        fatigue=st.fatigue,
    )


def _truth_rows(
    st: _Steps, rows_k: np.ndarray, p: RunnerParams, bw: float, foot_len_mm: float
) -> tuple[np.ndarray, ...]:
    """Per-step truth of steps rows_k on the fine grid: contact, toe-off, peak force,
    impulse, loading rate, impact peak, strike index, CoP x mean."""
    k = len(rows_k)
    s = np.linspace(0.0, 1.0, _FINE_N)
    tau = s[None, :] * st.stance[rows_k][:, None]
    rows = np.repeat(rows_k[:, None], _FINE_N, axis=1)
    f = _force(tau, st, rows, p)
    above = f > EVENT_LEVEL_N
    i_on = np.argmax(above, axis=1)
    i_off = _FINE_N - 1 - np.argmax(above[:, ::-1], axis=1)
    r = np.arange(k)

    def cross(i0: np.ndarray, i1: np.ndarray) -> np.ndarray:
        f0, f1 = f[r, i0], f[r, i1]
        return tau[r, i0] + (EVENT_LEVEL_N - f0) / (f1 - f0) * (tau[r, i1] - tau[r, i0])

    on = cross(np.maximum(i_on - 1, 0), i_on)
    off = cross(i_off, np.minimum(i_off + 1, _FINE_N - 1))
    contact = st.contact[rows_k] + on
    toe_off = st.contact[rows_k] + off
    impulse = np.trapezoid(f, tau, axis=1)
    lr = np.zeros(k)
    impact = np.full(k, math.nan)
    for i in range(k):
        sel = slice(int(i_on[i]), int(i_off[i]) + 1)
        lr[i], impact[i] = _loading_rate(tau[i, sel] - on[i], f[i, sel], bw)
    x, y = _cop_mm(s[None, :], st, rows, foot_len_mm)
    loaded = f >= bw / 10
    cop_mean = np.where(loaded, x, 0.0).sum(axis=1) / np.maximum(loaded.sum(axis=1), 1)
    strike = y[r, i_on] / foot_len_mm
    peak = f.max(axis=1) if k else np.zeros(0)
    return contact, toe_off, peak, impulse, lr, impact, strike, cop_mean


def _imu(
    p: RunnerParams,
    t: np.ndarray,
    st: _Steps,
    shock_g: np.ndarray,
    rng: np.random.Generator,
    foot_len_mm: float,
) -> np.ndarray:
    """Shoe-mounted IMU: the foot's path (sim.foot_path) plus the shake of each impact."""
    n = len(t)
    k = len(st.contact)
    idx = np.clip(np.searchsorted(st.contact, t, side="right") - 1, 0, k - 1)
    path = FP.foot_path(t, st.contact, st.stance, p.speed_m_s, p.gait, p.strike, foot_len_mm / 1000)
    acc_m_s2, gyr_rad_s = FP.sensor_signals(path)
    # impact shock at the shoe lasts ~20-30 ms (Lafortune 1991): a peak of sigma 8 ms,
    # 10 ms after contact. The path already brings the foot to rest at contact, so the
    # shock must not change its velocity or place: a broader dip (sigma 24 ms, same
    # area, around the same instant) balances it, read as the foot's late fall before
    # contact and its rebound after (a difference of Gaussians, peak scaled to shock).
    # shock_g is the peak the shoe's accelerometer reads (its calibration above), so the
    # shake tops up what the path's own motion (the heel rocker) reads at that instant
    t_peak = st.contact + 0.010
    at_peak, _ = FP.sensor_signals(
        FP.foot_path(
            t_peak, st.contact, st.stance, p.speed_m_s, p.gait, p.strike, foot_len_mm / 1000
        )
    )
    path_mg = at_peak[:, 2] / FP.STANDARD_GRAVITY_M_S2 * 1000 - 1000
    amp_mg = np.maximum(shock_g * 1000 - path_mg, 0.0)
    spike = np.zeros(n)
    # the contact before each sample and the one after (whose dip starts before it)
    for j, w in ((idx, 1.0), (np.minimum(idx + 1, k - 1), idx + 1 < k)):
        x = t - st.contact[j] - 0.010
        shake = np.exp(-0.5 * (x / 0.008) ** 2) - np.exp(-0.5 * (x / 0.024) ** 2) / 3
        spike += w * amp_mg[j] * 1.5 * shake
    acc_mg = acc_m_s2 / FP.STANDARD_GRAVITY_M_S2 * 1000
    # the shake is up and a little forward in the world, seen in the turning foot's frame
    c, s = np.cos(path.pitch_rad), np.sin(path.pitch_rad)
    acc_mg[:, 0] += (0.2 * c + s) * spike
    acc_mg[:, 2] += (c - 0.2 * s) * spike
    imu = np.hstack([acc_mg, np.degrees(gyr_rad_s) * 10]) + rng.normal(0, 15, (n, 6))
    return np.clip(np.rint(imu), -32768, 32767).astype(np.int16)
