"""ZUPT strapdown integration (analysis/zupt.py): exact on a synthetic foot, figures on real walks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from stridekit.analysis import zupt
from stridekit.eval import strides as S

G = 9.80665
DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def synthetic_foot(
    lengths_m: list[float], rate_hz: float = 200.0, swing_s: float = 0.8, still_s: float = 0.4
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[tuple[float, float]]]:
    """A foot that rests, then swings forward each stride (pitching, lifting), then rests.

    Motion written in the world frame; the IMU's acc and gyro are derived from it
    exactly (rotation about the lateral axis only), so the true lengths are known.
    Returns t, acc (m/s^2, sensor frame), gyr (rad/s), and the stances (rest spans).
    """
    dt = 1 / rate_hz
    t_all, acc_all, gyr_all, rests = [], [], [], []
    t0 = 0.0
    for length in [None, *lengths_m]:
        if length is not None:
            n = round(swing_s * rate_hz)
            tau = np.arange(n) * dt / swing_s  # 0..1
            w = 2 * np.pi / swing_s
            # x = L (tau - sin(2 pi tau) / 2 pi): v = 0 at both ends
            ax = length * w / (2 * np.pi) * w * np.sin(2 * np.pi * tau)
            az = 0.06 * w * w / 2 * np.cos(2 * np.pi * tau)  # 6 cm lift
            theta = 0.5 * np.sin(2 * np.pi * tau) ** 2 * np.sign(np.sin(2 * np.pi * tau))
            dtheta = np.gradient(theta, dt)
            # sensor frame: rotate world specific force by -theta about y
            fx, fz = ax, az + G
            c, s = np.cos(theta), np.sin(theta)
            acc = np.stack([c * fx - s * fz, np.zeros(n), s * fx + c * fz], axis=1)
            gyr = np.stack([np.zeros(n), dtheta, np.zeros(n)], axis=1)
            t_all.append(t0 + np.arange(n) * dt)
            acc_all.append(acc)
            gyr_all.append(gyr)
            t0 += n * dt
        n = round(still_s * rate_hz)
        rests.append((t0, t0 + (n - 1) * dt))
        t_all.append(t0 + np.arange(n) * dt)
        acc_all.append(np.tile([0.0, 0.0, G], (n, 1)))
        gyr_all.append(np.zeros((n, 3)))
        t0 += n * dt
    return np.concatenate(t_all), np.vstack(acc_all), np.vstack(gyr_all), rests


def test_a_synthetic_foot_gives_its_stride_lengths() -> None:
    lengths = [1.2, 1.4, 2.6, 0.9]
    t, acc, gyr, rests = synthetic_foot(lengths)
    st_ = zupt.strides_from_imu(t, acc, gyr)
    np.testing.assert_allclose(st_.length_m, lengths, rtol=0.01)
    assert st_.distance_m == pytest.approx(sum(lengths), rel=0.01)
    np.testing.assert_allclose(st_.rise_m, 0.0, atol=0.01)
    # from stances (the pod's path) the same
    c = np.array([a for a, _ in rests])
    o = np.array([b for _, b in rests])
    st2 = zupt.integrate(t, acc, gyr, zupt.still_from_stances(t, acc, gyr, c, o))
    np.testing.assert_allclose(st2.length_m, lengths, rtol=0.01)


def test_a_sensor_that_never_rests_gives_no_strides() -> None:
    t, acc, gyr, _ = synthetic_foot([1.3, 1.3])
    gyr = gyr + np.radians(40.0)  # 40 deg/s on every axis: never still
    assert len(zupt.strides_from_imu(t, acc, gyr).length_m) == 0


@settings(max_examples=50, deadline=None)
@given(
    acc=hnp.arrays(np.float64, (300, 3), elements=st.floats(-200, 200)),
    gyr=hnp.arrays(np.float64, (300, 3), elements=st.floats(-40, 40)),
)
def test_any_imu_data_gives_finite_strides_or_none(acc: np.ndarray, gyr: np.ndarray) -> None:
    t = np.arange(300) / 100.0
    r = zupt.strides_from_imu(t, acc, gyr)
    assert np.all(np.isfinite(r.length_m)) and np.all(r.length_m >= 0)
    assert len(r.length_m) == len(r.t_start_s) == len(r.speed_m_s)


def test_time_that_does_not_increase_is_refused() -> None:
    with pytest.raises(ValueError, match="do not increase"):
        zupt.strides_from_imu(np.zeros(10), np.zeros((10, 3)), np.zeros((10, 3)))


@pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data is absent (CI has it)")
def test_real_walks_distance_against_their_courses() -> None:
    """The figures `stride eval --stride-length` prints, kept from sliding back."""
    from stridekit.eval import strides as S

    res = S.evaluate(S.ipol_walks(DATA) + S.gaitmap_walks(DATA))
    summ = {(x.source, x.method): x for x in S.summarise(res)}
    gm = summ[("gaitmap", "gyro norm")]
    assert gm.n == 2 and gm.abs_err[0] <= 3.0
    ip = summ[("ipol", "stance")]
    assert ip.n == 38
    # the course is 20 m; the feet's path around the turn adds to it (eval/strides.py)
    assert 0.0 <= ip.err[0] <= 8.0


def _ref(s_id: int, t0: float, t1: float, length: float) -> S.RefStride:
    return S.RefStride(s_id, "left", t0, t1, length)


def _strides(spans: list[tuple[float, float, float]]) -> zupt.Strides:
    a = np.array(spans, float).reshape(-1, 3)
    z = np.zeros(len(a))
    return zupt.Strides(z.astype(np.int64), z.astype(np.int64), a[:, 0], a[:, 1], a[:, 2], z, z)


def test_stride_matching_reports_merged_and_split_strides() -> None:
    refs = [_ref(0, 0.0, 1.0, 1.4), _ref(1, 1.0, 2.0, 1.4), _ref(2, 2.0, 3.0, 1.4)]
    # stride 0 found; 1 and 2 merged over a missed still moment; a split piece of 0
    imu = _strides([(0.2, 0.8, 1.47), (1.2, 2.8, 2.8), (0.05, 0.15, 0.1)])
    got, extra = S.match_strides(refs, imu, "m")
    assert [g.ref.s_id for g in got] == [0, 1, 2]
    assert got[0].length_m == 1.47 and got[0].err_pct == pytest.approx(5.0)
    assert got[1].length_m is None and got[2].length_m is None
    assert extra == 2  # the merged stride and the split piece


@pytest.mark.skipif(
    not (DATA / "gaitmap-example").is_dir(), reason="../shared/data is absent (CI has it)"
)
def test_per_stride_against_motion_capture() -> None:
    """Every reference stride matched or reported; the per-stride |error| median within 5 %.

    A broken integration (a lost axis, gravity left in, no dedrifting) gives errors
    of tens of per cent and fails here.
    """
    refs = S.mocap_strides()
    assert len(refs) == 57 and {r.foot for r in refs} == {"left", "right"}
    ps = S.per_stride(DATA)
    for m in ("gyro norm", "stance"):
        mine = [x for x in ps.matches if x.method == m]
        assert sorted(x.ref.s_id for x in mine) == [r.s_id for r in refs]
    summ = {(x.method, x.foot): x for x in S.summarise_strides(ps)}
    for m in ("gyro norm", "stance"):
        both = summ[(m, "both")]
        assert both.n_ref == 57 and both.n_matched >= 50
        assert summ[(m, "left")].n_ref + summ[(m, "right")].n_ref == 57
        med, lo, hi = both.abs_err
        assert lo <= med <= hi and med <= S.GOAL_STRIDE_PCT
        assert both.goal == "met"


def test_the_still_moment_of_a_stance_avoids_an_impact_the_gyro_does_not_see() -> None:
    t = np.arange(100) / 100.0
    acc = np.tile([0.0, 0.0, G], (100, 1))
    acc[10:14, 2] += [30.0, 60.0, 20.0, 5.0]  # impact: the accelerometer shakes
    gyr = np.full((100, 3), 0.02)
    gyr[12] = 0.0  # ... while the gyroscope happens to read least in it
    gyr[40] = 0.01
    (still,) = zupt.still_from_stances(t, acc, gyr, np.array([0.05]), np.array([0.6]))
    assert still == (40, 40)


@pytest.mark.skipif(
    not (DATA / "gaitmap-example").is_dir(), reason="../shared/data is absent (CI has it)"
)
def test_stride_eval_prints_the_per_stride_table() -> None:
    from rich.console import Console

    from stridekit.cli.stride import run_eval_stride_length

    con = Console(record=True, width=240)
    assert run_eval_stride_length(DATA, con) == 0
    text = con.export_text()
    assert "Stride length per stride vs motion capture" in text
    rows = [ln for ln in text.splitlines() if "<= 5 %:" in ln]
    # per foot and pooled, for both still-moment methods
    assert len(rows) == 6 and all(("met" in r) or ("missed" in r) for r in rows)
    assert any("both" in r and "57/57" in r for r in rows)
