"""IMU-only gait events (stridefw.imu_gait) and the kernel's fallback, on a synthetic
foot pitch rate with known contact and toe-off times (shape after the foot-gyro
literature: heel-rocker dip after contact, push-off dip before swing, swing lobe)."""

from __future__ import annotations

import array

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stridefw import calib, layouts
from stridefw import config as C
from stridefw import records as R
from stridefw.kernel import EV_STEP, StepKernel

STRIDE_S, STANCE_S = 1.1, 0.66


def walk(
    rate_hz: int, n_strides: int = 15, seed: int = 1
) -> tuple[np.ndarray, np.ndarray, list[float], list[float]]:
    """(t_us, imu int16 (N, 6), contact times s, toe-off times s) of a steady walk."""
    rng = np.random.default_rng(seed)
    t = np.arange(int((n_strides * STRIDE_S + 1.0) * rate_hz)) / rate_hz
    p = np.zeros(len(t))  # pitch rate, deg/s (+: toes rising)
    ics = [0.5 + k * STRIDE_S for k in range(n_strides)]
    tos = [c + STANCE_S for c in ics]
    for c, o in zip(ics, tos, strict=True):
        up = o + 0.05
        nxt = c + STRIDE_S
        m = (t >= c) & (t < c + 0.12)
        p[m] = -150 * np.sin(np.pi * (t[m] - c) / 0.12)
        ho = o - 0.2
        m = (t >= ho) & (t < o)
        p[m] = -300 * np.sin(np.pi / 2 * (t[m] - ho) / (o - ho))
        m = (t >= o) & (t < up)
        p[m] = -300 * np.cos(np.pi / 2 * (t[m] - o) / (up - o))
        m = (t >= up) & (t < nxt)
        p[m] = 400 * np.sin(np.pi * (t[m] - up) / (nxt - up))
    p += rng.normal(0, 1.0, len(t))
    imu = np.zeros((len(t), 6), np.int16)
    imu[:, 2] = 1000
    imu[:, 4] = np.rint(-p * 10).astype(np.int16)  # ours: gy = -pitch rate
    return np.rint(t * 1e6).astype(np.int64), imu, ics, tos


def run(
    k: StepKernel,
    t_us: np.ndarray,
    cells: np.ndarray,
    imu: np.ndarray,
    present: np.ndarray | None = None,
) -> list[R.Step]:
    cb = array.array("H", bytes(2 * cells.shape[1]))
    ib = array.array("h", bytes(12))
    out = []
    for i in range(len(t_us)):
        for c in range(cells.shape[1]):
            cb[c] = int(cells[i, c])
        m = None
        if present is None or present[i]:
            for c in range(6):
                ib[c] = int(imu[i, c])
            m = ib
        if k.push(int(t_us[i]) & 0x3FFFFFFF, cb, m) & EV_STEP:
            out.append(R.Step.from_bytes(bytes(k.step)))
    return out


def imu_kernel(layout: layouts.Layout = layouts.NO_INSOLE) -> StepKernel:
    return StepKernel(layout, calib.nominal(layout.n_cells), has_imu=True)


def test_events_at_100_and_200_hz() -> None:
    for rate in (100, 200):
        t, imu, ics, tos = walk(rate)
        steps = run(imu_kernel(), t, np.zeros((len(t), 1), np.uint16), imu)
        # every stride but the first (no swing seen before it) is a step
        assert len(steps) == len(ics) - 1
        for s, c, o in zip(steps, ics[1:], tos[1:], strict=True):
            assert abs(s.contact_us / 1e6 - c) < 0.002
            # the push-off minimum is asymmetric (slow fall, fast rise): within ~1 sample
            assert abs((s.contact_us + s.stance_us) / 1e6 - o) < 0.012
            assert s.flags & C.FLAG_DEGRADED and s.peak_force_dn == 0
        assert all(abs(s.swing_us / 1e6 - (STRIDE_S - STANCE_S)) < 0.013 for s in steps)


def test_silent_footswitch_same_steps_as_no_insole() -> None:
    t, imu, _, _ = walk(100)
    cells = np.zeros((len(t), 1), np.uint16)
    a = run(imu_kernel(), t, cells, imu)
    b = run(imu_kernel(layouts.FOOTSWITCH_1), t, cells, imu)
    assert [(s.contact_us, s.stance_us) for s in a] == [(s.contact_us, s.stance_us) for s in b]


def test_all_cells_faulty_switches_to_imu_and_back() -> None:
    t, imu, ics, tos = walk(100, n_strides=30)
    ts = t / 1e6
    loaded = np.zeros(len(t), bool)
    for c, o in zip(ics, tos, strict=True):
        loaded |= (ts >= c) & (ts < o)
    cells = np.where(loaded[:, None], 2500, 0).astype(np.uint16).repeat(8, axis=1)
    bad = (ts >= 8.0) & (ts < 20.0)
    cells[bad] = 4095  # every cell saturated: SENSOR_FAULT on all cells
    k = StepKernel(layouts.INSOLE_8, calib.nominal(8), has_imu=True)
    steps = run(k, t, cells, imu)
    imu_steps = [s for s in steps if s.peak_force_dn == 0]
    ins = [s for s in steps if s.peak_force_dn > 0]
    assert len(imu_steps) >= 8
    assert all(s.flags & C.FLAG_DEGRADED and s.flags & C.FLAG_SENSOR_FAULT for s in imu_steps)
    assert all(8.0 < s.contact_us / 1e6 < 20.5 for s in imu_steps)
    assert any(s.contact_us / 1e6 > 21 for s in ins)  # the insole is back
    assert not any(s.flags & C.FLAG_DEGRADED for s in ins if s.contact_us / 1e6 > 22)
    # none invented (the insole's own step at the saturation onset is flagged SATURATED)
    assert all(min(abs(s.contact_us / 1e6 - x) for x in ics) < 0.005 for s in imu_steps)
    contacts = sorted(s.contact_us / 1e6 for s in steps)
    assert len(contacts) == len(set(np.round(contacts, 1)))  # none twice


def test_imu_missing_gives_no_steps() -> None:
    t, imu, _, _ = walk(100)
    k = imu_kernel()
    steps = run(k, t, np.zeros((len(t), 1), np.uint16), imu, np.zeros(len(t), bool))
    assert steps == [] and k.imu_missing == len(t) and k.flags & C.FLAG_SENSOR_FAULT


@settings(max_examples=40, deadline=None)
@given(
    runs=st.lists(st.tuples(st.integers(0, 1700), st.integers(1, 40)), max_size=12),
    garbage=st.lists(st.tuples(st.integers(0, 1700), st.integers(-32768, 32767)), max_size=20),
)
def test_dropouts_and_garbage_never_invent_steps(
    runs: list[tuple[int, int]], garbage: list[tuple[int, int]]
) -> None:
    t, imu, ics, _ = walk(100)
    present = np.ones(len(t), bool)
    for a, n in runs:
        present[a : a + n] = False
    cells = np.zeros((len(t), 1), np.uint16)
    k = imu_kernel()
    steps = run(k, t, cells, imu, present)
    assert k.imu_missing == int(np.count_nonzero(~present))
    assert len(steps) <= len(ics) - 1
    for s in steps:
        c = s.contact_us / 1e6
        assert min(abs(c - x) for x in ics) < 0.06  # a real contact, maybe less exact
        assert C.STANCE_MIN_US <= s.stance_us <= C.STANCE_MAX_US
        assert s.flags & C.FLAG_DEGRADED
    bad = imu.copy()
    for i, v in garbage:
        bad[i, :] = v
    steps = run(imu_kernel(), t, cells, bad, present)
    assert len(steps) <= len(ics) - 1
    assert all(C.STANCE_MIN_US <= s.stance_us <= C.STANCE_MAX_US for s in steps)


@pytest.mark.parametrize("gait", [{}, {"gait": "walk", "speed_m_s": 1.3}], ids=["run", "walk"])
def test_simulated_runner_with_a_silent_insole_keeps_its_steps_from_the_imu(
    gait: dict[str, object],
) -> None:
    """The simulator's foot pitch rate (sim/gait.py, the real gyro shape) with every cell
    reading 0: the kernel takes its steps from the IMU, DEGRADED, near the true events.
    (The simulated heel rocker starts at contact by construction, so this checks the
    plumbing and the timing arithmetic; the real-data figures are in tests/data.)"""
    from stridekit.eval.matching import match
    from stridekit.eval.real import kernel_times
    from stridekit.replay import kernel_for, run_kernel
    from stridekit.sim.gait import RunnerParams, simulate
    from stridekit.sim.record import header_for

    run = simulate(RunnerParams(seed=3, duration_s=30.0, **gait))  # type: ignore[arg-type]
    foot = run.feet[0]
    k = kernel_for(header_for(run, foot, 1))
    ko = run_kernel(k, foot.t_us, np.zeros_like(foot.cells), foot.imu, foot.imu_present)
    contact_s, toe_s, steps = kernel_times(ko)
    assert steps and all(s.flags & C.FLAG_DEGRADED for s in steps)
    for found, truth in ((contact_s, foot.truth.contact_s), (toe_s, foot.truth.toe_off_s)):
        pairs = match(np.asarray(truth), found, 0.1)
        assert len(pairs) >= 0.95 * len(truth) - 2
        err = np.array([found[j] - truth[i] for i, j in pairs])
        assert np.median(np.abs(err)) < 0.010
