"""Sensor realities: FSR cells, ADC, cell faults, IMU dropout, sampling and clocks.

What the pod's kernel sees is not the force on the insole but ADC counts from force
sensing resistors in a voltage divider, sampled on a jittery timer by a clock that
runs fast or slow. Sources for the numbers are in MODEL.md:

* Divider: a = 4095 F / (F + F_half) (stridefw.calib's nominal curve); an FSR's
  conductance is about proportional to force, so F / F_half is R_m / R_fsr.
* Interlink FSR 400 series data sheet (PDS-10004): part-to-part force
  repeatability +-6 % (one SD, single batch), hysteresis +10 % average
  (R_F+ - R_F-) / R_F+, long-term drift < 5 % per log10(time) under 1 kg,
  +85 C after 1 h: -15 % resistance.
* Clocks: the ESP32's 40 MHz crystal is specified to +-10 ppm (Espressif ESP32
  hardware design guidelines); ticks_us() wraps at 2**30 on MicroPython.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TICKS_PERIOD = 1 << 30
TICKS_MASK = TICKS_PERIOD - 1
ADC_MAX = 4095

FAULT_KINDS = ("stuck", "open", "saturated", "imu_lost")


@dataclass(frozen=True)
class FsrCells:
    """Per-cell FSR properties for one insole."""

    half_n: np.ndarray  # F_half per cell, N (force at which R_fsr == R_m)
    preload_n: np.ndarray  # standing load on each cell from lacing and the insole, N
    hysteresis: float  # (R_F+ - R_F-) / R_F+ ; 0.10 for the FSR 400 series
    creep: float  # conductance gain per log10(seconds under load) within a stance
    drift: float  # conductance gain over the session (warming shoe), fraction
    drift_tau_s: float = 300.0


def make_cells(
    n_cells: int,
    half_force_n: float,
    half_cv: float,
    preload_n: float,
    hysteresis: float,
    creep: float,
    drift: float,
    rng: np.random.Generator,
) -> FsrCells:
    """Draw one insole's cells: F_half lognormal around the nominal, preload uniform."""
    half = half_force_n * np.exp(half_cv * rng.standard_normal(n_cells))
    pre = preload_n * rng.random(n_cells)
    return FsrCells(half, pre, hysteresis, creep, drift)


@dataclass
class FsrCarry:
    """Hysteresis state from one block of samples to the next, so that a run simulated
    block by block reads exactly as one simulated whole (fsr_counts)."""

    last_n: np.ndarray | None = None  # the previous block's last row of cell forces
    state: np.ndarray | None = None  # its loading/unloading filter state per cell


def fsr_counts(
    cell_n: np.ndarray,
    t_s: np.ndarray,
    loaded_s: np.ndarray,
    cells: FsrCells,
    noise_counts: float,
    rng: np.random.Generator,
    carry: FsrCarry | None = None,
) -> np.ndarray:
    """Raw 12-bit ADC counts (N, n_cells) for true cell forces cell_n (N, n_cells).

    t_s: session time of each sample (drift); loaded_s: time since this stance's
    contact (creep), negative or NaN in swing. carry: for a run given in consecutive
    blocks, the same FsrCarry for each (the noise comes from rng in order either way).
    """
    force = cell_n + cells.preload_n[None, :]
    g = force / cells.half_n[None, :]  # conductance ratio R_m / R_fsr
    if cells.drift:
        g = g * (1 + cells.drift * (1 - np.exp(-t_s / cells.drift_tau_s)))[:, None]
    if cells.creep:
        ls = np.where(np.isfinite(loaded_s) & (loaded_s > 0), loaded_s, 0.0)
        g = g * (1 + cells.creep * np.log10(1 + ls / 0.1))[:, None]
    if cells.hysteresis:
        g = g * _hysteresis_gain(cell_n, cells.hysteresis, carry or FsrCarry())
    adc = ADC_MAX * g / (1 + g)
    if noise_counts:
        adc = adc + rng.normal(0, noise_counts, adc.shape)
    return np.clip(np.rint(adc), 0, ADC_MAX).astype(np.uint16)


def _hysteresis_gain(cell_n: np.ndarray, h: float, carry: FsrCarry) -> np.ndarray:
    """Conductance gain while unloading: R_F- = (1 - h) R_F+ at the same force.

    The state u (0 loading, 1 unloading) follows the sign of dF/dt through a
    one-sample-lag first-order filter so that it changes smoothly at the peak.
    """
    first = cell_n[:1] if carry.last_n is None else carry.last_n
    d = np.diff(cell_n, axis=0, prepend=first)
    target = (d < 0).astype(float)
    u = np.empty_like(target)
    state = np.zeros(cell_n.shape[1]) if carry.state is None else carry.state.copy()
    alpha = 0.5
    for i in range(len(target)):
        state += alpha * (target[i] - state)
        u[i] = state
    if len(cell_n):
        carry.last_n = cell_n[-1:].copy()
        carry.state = state
    return 1 + (1 / (1 - h) - 1) * u


@dataclass(frozen=True)
class Fault:
    """A failing sensor from `onset_s` (true session time) on one foot."""

    kind: str  # stuck, open, saturated, imu_lost
    foot: int
    cell: int = 0
    onset_s: float = 0.0
    value: int = -1  # stuck level, counts; -1: the cell's median loaded reading before onset

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"fault kind must be one of {FAULT_KINDS}, not {self.kind!r}")


def apply_cell_fault(cells: np.ndarray, t_true_s: np.ndarray, fault: Fault) -> int:
    """Overwrite one cell from the onset on; returns the first faulty sample index."""
    i0 = int(np.searchsorted(t_true_s, fault.onset_s))
    if fault.kind == "stuck":
        col = cells[:i0, fault.cell]
        loaded = col[col > 200]
        level = fault.value if fault.value >= 0 else int(np.median(loaded)) if loaded.size else 1500
        cells[i0:, fault.cell] = max(min(level, ADC_MAX), 0)
    elif fault.kind == "open":
        cells[i0:, fault.cell] = 0
    elif fault.kind == "saturated":
        cells[i0:, fault.cell] = ADC_MAX
    return i0


def imu_dropout_mask(
    t_s: np.ndarray, rate_hz: float, mean_s: float, rng: np.random.Generator
) -> np.ndarray:
    """True where an IMU row was read: dropouts start as a Poisson process, last ~Exp(mean_s)."""
    present = np.ones(len(t_s), bool)
    if rate_hz <= 0 or len(t_s) == 0:
        return present
    t_end = float(t_s[-1])
    t = float(rng.exponential(1 / rate_hz))
    while t < t_end:
        dur = float(rng.exponential(mean_s))
        present[(t_s >= t) & (t_s < t + dur)] = False
        t += dur + float(rng.exponential(1 / rate_hz))
    return present


def sample_times(
    duration_s: float, rate_hz: int, jitter_us: float, drop_prob: float, rng: np.random.Generator
) -> np.ndarray:
    """Device-clock sample instants (s from the pod's session start), increasing.

    Nominal grid plus Gaussian timer jitter (never reordering samples) and samples
    the pod dropped (busy, e.g. a flash write) with probability drop_prob each.
    """
    n = int(duration_s * rate_hz)
    t = np.arange(n) / rate_hz + rng.normal(0, jitter_us * 1e-6, n)
    t[0] = 0.0
    t = np.maximum.accumulate(t)
    if drop_prob > 0:
        keep = rng.random(n) >= drop_prob
        keep[0] = True
        t = t[keep]
    return t


def device_to_true_s(device_s: np.ndarray, offset_s: float, ppm: float) -> np.ndarray:
    """True time of device-clock instants: the clock reads 0 at true offset_s, runs ppm fast."""
    return offset_s + device_s / (1 + ppm * 1e-6)


def true_to_device_s(true_s: np.ndarray, offset_s: float, ppm: float) -> np.ndarray:
    return (true_s - offset_s) * (1 + ppm * 1e-6)
