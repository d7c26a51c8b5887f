"""Sensor realities: FSR curve and imperfections, faults at their onset, IMU dropout, clocks."""

from __future__ import annotations

import numpy as np
import pytest

from stridefw import calib
from stridekit.replay import kernel_for, run_kernel
from stridekit.sim import sensor as S
from stridekit.sim.gait import RunnerParams, simulate
from stridekit.sim.record import header_for
from tests.conftest import match_events, sim, steps_of


def _cells(
    preload_n: float = 0.0, hysteresis: float = 0.0, creep: float = 0.0, drift: float = 0.0
) -> S.FsrCells:
    rng = np.random.default_rng(0)
    return S.make_cells(4, 400.0, 0.0, preload_n, hysteresis, creep, drift, rng)


def test_fsr_divider_is_the_calibration_curve() -> None:
    force = np.array([0.0, 50.0, 400.0, 1200.0])
    load = force[:, None].repeat(4, 1)  # 4 samples x 4 cells
    adc = S.fsr_counts(load, np.zeros(4), np.zeros(4), _cells(), 0.0, np.random.default_rng(0))
    expect = np.rint(4095 * force / (force + 400)).astype(np.uint16)
    assert np.array_equal(adc[:, 0], expect)
    # the firmware's nominal table inverts it to within a few per cent
    for a, force in zip(adc[1:, 0], (50, 400, 1200), strict=True):
        assert calib.nominal_force_dn(int(a)) / 10 == pytest.approx(force, rel=0.03)


def test_fsr_imperfections_change_readings_the_documented_way() -> None:
    rng = np.random.default_rng(1)
    spread = S.make_cells(16, 400.0, 0.06, 0.0, 0.0, 0.0, 0.0, rng)
    assert 0.03 < np.std(np.log(spread.half_n)) < 0.09  # part-to-part +-6 %
    # a triangle load: hysteresis reads higher on the way down at the same force
    up = np.linspace(0, 600, 50)
    load = np.concatenate([up, up[::-1]])[:, None].repeat(4, 1)
    n = len(load)
    t = np.zeros(n)
    hyst = S.fsr_counts(load, t, np.full(n, np.nan), _cells(hysteresis=0.1), 0, rng)
    assert hyst[75, 0] > hyst[24, 0] and load[75, 0] == pytest.approx(load[24, 0], rel=0.05)
    # creep: same force, longer under load, higher reading
    const = np.full((n, 4), 300.0)
    crept = S.fsr_counts(const, t, np.linspace(0, 0.3, n), _cells(creep=0.05), 0, rng)
    assert crept[-1, 0] > crept[1, 0]
    # drift: a warming shoe raises the reading over the session
    drift = S.fsr_counts(
        const, np.linspace(0, 1200, n), np.full(n, np.nan), _cells(drift=0.03), 0, rng
    )
    assert drift[-1, 0] > drift[0, 0]
    # preload: a loaded cell reads above zero in swing
    pre = S.fsr_counts(
        np.zeros((3, 4)), np.zeros(3), np.full(3, np.nan), _cells(preload_n=3.0), 0, rng
    )
    assert pre.max() > 0


@pytest.mark.parametrize("kind", ["stuck", "open", "saturated", "imu_lost"])
def test_faults_appear_in_the_raw_data_at_onset_and_nowhere_else(kind: str) -> None:
    clean = sim(seed=31, duration_s=12.0)
    run = sim(
        seed=31, duration_s=12.0, fault_kind=kind, fault_foot=1, fault_cell=3, fault_onset_s=6.0
    )
    f, c = run.feet[1], clean.feet[1]
    i0 = f.fault_index
    assert f.fault is not None and f.fault.kind == kind
    assert f.t_true_s[i0] >= 6.0 > f.t_true_s[i0 - 1]
    # before the onset and on the other foot: bit-identical to the clean run
    assert np.array_equal(f.cells[:i0], c.cells[:i0])
    assert np.array_equal(run.feet[0].cells, clean.feet[0].cells)
    assert np.array_equal(f.imu_present[:i0], c.imu_present[:i0])
    cell = f.cells[i0:, 3]
    if kind == "stuck":
        assert len(np.unique(cell)) == 1 and cell[0] > 200
    elif kind == "open":
        assert not cell.any()
    elif kind == "saturated":
        assert np.all(cell == 4095)
    else:
        assert not f.imu_present[i0:].any() and np.array_equal(f.cells, c.cells)
    if kind != "imu_lost":
        others = [k for k in range(f.cells.shape[1]) if k != 3]
        assert np.array_equal(f.cells[:, others], c.cells[:, others])


def test_imu_dropouts_and_sample_drops() -> None:
    run = sim(
        seed=32, duration_s=60.0, imu_dropout_rate_hz=0.5, imu_dropout_s=0.2, sample_drop_prob=0.02
    )
    f = run.feet[0]
    missing = 1 - f.imu_present.mean()
    assert 0.03 < missing < 0.2  # ~ rate x mean length = 10 %
    dt = np.diff(f.t_us)
    assert np.all(dt > 0)
    assert 0.01 < np.mean(dt > 15_000) < 0.04  # dropped samples leave 20 ms gaps


def test_sample_jitter() -> None:
    f = sim(seed=33, duration_s=20.0, jitter_us=300.0).feet[0]
    dt = np.diff(f.t_us)
    assert np.mean(dt) == pytest.approx(10_000, abs=20)
    assert np.std(dt) == pytest.approx(300 * np.sqrt(2), rel=0.15)


def test_clock_offset_and_drift_map_device_time_to_true_time() -> None:
    """The kernel works in device time; mapping its events back gives the true events."""
    ppm = 400.0  # exaggerated so that the drift is visible within 40 s
    run = sim(seed=34, duration_s=40.0, clock_offset_s=(0.0, 0.35), clock_ppm=(0.0, ppm))
    f = run.feet[1]
    assert f.t_us[0] == 0 and f.t_true_s[0] == pytest.approx(0.35)
    assert np.allclose(f.to_device_s(f.t_true_s), f.t_us / 1e6, atol=1e-6)
    hdr = header_for(run, f, 1)
    found = (
        np.array(
            [s.contact_us for s in steps_of(run_kernel(kernel_for(hdr), f.t_us, f.cells, f.imu))]
        )
        / 1e6
    )
    err, missed, extra = match_events(f.truth.contact_s, f.to_true_s(found))
    assert missed == 0 and extra <= 1  # a recording may begin inside a stance
    assert np.median(np.abs(err)) < 0.003
    # read as true time without the mapping, the error grows with the drift
    naive = found + 0.35
    late = f.truth.contact_s > 30
    e_late, _, _ = match_events(f.truth.contact_s[late], naive[naive > 29.5])
    assert np.median(e_late) == pytest.approx(30 * ppm * 1e-6, abs=0.004)


def test_ticks_wrap_mid_run_and_the_kernel_does_not_notice() -> None:
    start = (1 << 30) - 5_000_000  # ticks_us wraps 5 s into the session
    run = sim(seed=35, duration_s=15.0, tick_offset_us=(start, start))
    f = run.feet[0]
    ticks = f.device_ticks()
    assert ticks[0] == start and ticks.max() < 1 << 30 and np.any(np.diff(ticks) < 0)
    hdr = header_for(run, f, 1)
    a = run_kernel(kernel_for(hdr), f.t_us, f.cells, f.imu)
    b = run_kernel(kernel_for(hdr), ticks, f.cells, f.imu)
    assert len(a.step_payloads) > 10 and a.step_payloads == b.step_payloads


def test_realistic_sensors_keep_kernel_timing() -> None:
    p = RunnerParams(
        seed=36,
        duration_s=30.0,
        half_force_cv=0.06,
        hysteresis=0.1,
        creep=0.05,
        drift=0.03,
        preload_n=3.0,
        noise_counts=3.0,
    )
    run = simulate(p)
    for f in run.feet:
        out = run_kernel(kernel_for(header_for(run, f, 1)), f.t_us, f.cells, f.imu)
        found = np.array([s.contact_us for s in steps_of(out)]) / 1e6
        err, missed, extra = match_events(f.truth.contact_s, found)
        assert missed == 0 and extra == 0 and np.median(np.abs(err)) < 0.003
