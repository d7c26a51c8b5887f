"""Simulator ground truth: consistent timing, alternating feet, physics, reproducibility."""

from __future__ import annotations

import numpy as np
import pytest

from stridekit.sim.gait import G, RunnerParams, SimRun, simulate
from tests.conftest import sim

CASES = [
    dict(seed=1, duration_s=20.0),
    dict(seed=2, duration_s=20.0, strike="mid", speed_m_s=4.5, cadence_spm=180),
    dict(seed=3, duration_s=20.0, strike="fore", speed_m_s=5.5, cadence_spm=190, cells=16),
    dict(seed=4, duration_s=20.0, gait="walk", speed_m_s=1.3, cadence_spm=110),
    dict(seed=5, duration_s=20.0, clock_offset_s=(0.0, 0.9), clock_ppm=(40.0, -40.0)),
]
IDS = ["heel", "mid", "fore-16c", "walk", "clocks"]


@pytest.mark.parametrize("kw", CASES, ids=IDS)
def test_truth_is_consistent_per_foot(kw: dict[str, object]) -> None:
    run = sim(**kw)
    for f in run.feet:
        tr = f.truth
        assert len(tr) > 10
        assert np.all(tr.contact_s < tr.toe_off_s)
        assert np.allclose(tr.stance_s, tr.toe_off_s - tr.contact_s)
        assert np.all(np.diff(tr.contact_s) > 0)
        ok = np.isfinite(tr.stride_s)
        assert ok[:-1].all()  # only the last step may lack a next contact
        # stance + swing = stride time, per foot
        assert np.allclose(tr.stance_s[ok] + tr.swing_s[ok], tr.stride_s[ok])
        assert np.allclose(tr.stride_s[:-1], np.diff(tr.contact_s))
        # every true step lies inside this pod's recording (true time)
        assert tr.contact_s[0] > f.t_true_s[0] and tr.toe_off_s[-1] < f.t_true_s[-1]
        # fields all have one entry per step
        for name in tr.__dataclass_fields__:
            assert len(getattr(tr, name)) == len(tr), name


@pytest.mark.parametrize("kw", CASES, ids=IDS)
def test_steps_alternate_feet_in_true_time(kw: dict[str, object]) -> None:
    run = sim(**kw)
    # true time, whatever each pod's clock did; over the span both pods recorded
    t0 = max(f.truth.contact_s[0] for f in run.feet)
    t1 = min(f.truth.contact_s[-1] for f in run.feet)
    events = sorted((c, f.foot) for f in run.feet for c in f.truth.contact_s if t0 <= c <= t1)
    feet = np.array([e[1] for e in events])
    assert len(feet) > 20 and np.all(feet[1:] != feet[:-1])


def test_running_physics_defaults() -> None:
    """Clean default runner: 3 m/s heel striker, numbers in the published ranges."""
    run = sim(seed=6, duration_s=30.0)
    p = run.params
    bw = p.mass_kg * G
    step_s = 60 / p.cadence_spm
    for f in run.feet:
        tr = f.truth
        assert 0.20 < np.mean(tr.stance_s) < 0.26  # contact time at 3 m/s
        assert np.mean(tr.stance_s) < step_s  # running: a flight phase
        assert 2.0 < np.mean(tr.peak_force_n) / bw < 2.8  # active peak, BW
        assert 1.4 < np.nanmean(tr.impact_peak_n) / bw < 1.9  # heel-strike impact peak
        assert 50 < np.mean(tr.loading_rate_n_s) / bw < 90  # average loading rate, BW/s
        # vertical impulse per step = body weight x step time (momentum balance)
        assert np.mean(tr.impulse_ns) == pytest.approx(bw * step_s, rel=0.01)
        assert np.mean(tr.strike_index) < 0.33  # rearfoot strike
        assert np.mean(tr.stride_s) == pytest.approx(2 * step_s, rel=0.01)
        assert 5 < np.mean(tr.shock_g) < 12


def test_walking_has_double_support_and_a_double_hump() -> None:
    run = sim(seed=4, duration_s=20.0, gait="walk", speed_m_s=1.3, cadence_spm=110)
    bw = run.params.mass_kg * G
    for f in run.feet:
        tr = f.truth
        duty = np.mean(tr.stance_s[:-1] / tr.stride_s[:-1])
        assert 0.58 < duty < 0.66  # ~62 % of the stride (Perry)
        assert 1.0 < np.mean(tr.peak_force_n) / bw < 1.3
        assert np.mean(tr.loading_rate_n_s) / bw < 20
    left, right = run.feet
    # double support: the next foot lands before this one leaves
    i = np.searchsorted(right.truth.contact_s, left.truth.contact_s[2])
    assert right.truth.contact_s[i] < left.truth.toe_off_s[2]


def test_strike_pattern_moves_strike_index_and_removes_impact_peak() -> None:
    idx = {}
    for strike in ("heel", "mid", "fore"):
        tr = sim(seed=7, duration_s=15.0, strike=strike).feet[0].truth
        idx[strike] = np.mean(tr.strike_index)
        if strike == "fore":
            assert np.all(np.isnan(tr.impact_peak_n))  # no impact transient
    assert idx["heel"] < 1 / 3 < idx["mid"] < 2 / 3 < idx["fore"]


def _arrays(run: SimRun) -> list[np.ndarray]:
    out: list[np.ndarray] = []
    for f in run.feet:
        out += [f.t_us, f.cells, f.force_n, f.imu_present, f.t_true_s]
        out += [getattr(f.truth, k) for k in f.truth.__dataclass_fields__]
        if f.imu is not None:
            out.append(f.imu)
    return out


def test_runs_are_bit_identical_from_the_seed_and_differ_between_seeds() -> None:
    kw = dict(
        duration_s=10.0,
        lld_cm=1.5,
        instability=0.5,
        half_force_cv=0.06,
        hysteresis=0.1,
        creep=0.03,
        drift=0.02,
        preload_n=2.0,
        clock_ppm=(10.0, -20.0),
        clock_offset_s=(0.0, 0.3),
        imu_dropout_rate_hz=0.5,
        sample_drop_prob=0.01,
        fault_kind="stuck",
        fault_cell=2,
        fault_onset_s=5.0,
    )
    a = simulate(RunnerParams(seed=42, **kw))  # type: ignore[arg-type]
    b = simulate(RunnerParams(seed=42, **kw))  # type: ignore[arg-type]
    c = simulate(RunnerParams(seed=43, **kw))  # type: ignore[arg-type]
    for x, y in zip(_arrays(a), _arrays(b), strict=True):
        assert x.dtype == y.dtype and np.array_equal(x, y, equal_nan=True)
    assert not np.array_equal(a.feet[0].cells[:900], c.feet[0].cells[:900])
    assert not np.array_equal(a.feet[0].truth.contact_s[:5], c.feet[0].truth.contact_s[:5])


def test_public_api_defaults() -> None:
    run = sim(seed=8, duration_s=5.0)
    f = run.feet[0]
    assert f.imu is not None and f.imu.dtype == np.int16 and f.imu.shape == (len(f.t_us), 6)
    assert f.cells.dtype == np.uint16 and f.t_us.dtype == np.int64
    assert f.imu_present.dtype == bool and f.imu_present.all()
    assert np.array_equal(f.device_ticks(), f.t_us)  # ideal clock: device = true time
    assert np.allclose(f.t_true_s, f.t_us / 1e6, rtol=0, atol=1e-6)
    no_imu = sim(seed=8, duration_s=5.0, has_imu=False).feet[0]
    assert no_imu.imu is None and not no_imu.imu_present.any()
