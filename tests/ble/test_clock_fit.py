"""A wrong Sync record (a bad Current Time write) does not move the host's clock fit."""

from __future__ import annotations

import numpy as np
import pytest

from stridefw import records as R
from stridekit.merge import fit_clock, merge_run
from stridekit.session import Session
from stridekit.sim.gait import RunnerParams, simulate
from stridekit.sim.record import record_foot
from tests.analysis.helpers import sessions_of

PPM = 30.0


def _sessions() -> list[Session]:
    p = RunnerParams(duration_s=120, seed=5, clock_ppm=(0.0, PPM), clock_offset_s=(0.0, 0.2))
    run = simulate(p)
    data = b"".join(record_foot(run, f, i + 1) for i, f in enumerate(run.feet))
    return sessions_of(data)


def _with_syncs(s: Session, n: int, jitter_us: float, seed: int) -> list[R.Sync]:
    """n honest Syncs on the session's own clock line (from its recorded Syncs), jittered."""
    c = fit_clock(s)
    rng = np.random.default_rng(seed)
    dev = np.linspace(0, 110e6, n)
    host = c.host_us(dev) + rng.normal(0, jitter_us, n)
    return [R.Sync(int(d), int(h), 1) for d, h in zip(dev, host, strict=True)]


def test_an_injected_sync_60_s_off_is_rejected_and_reported() -> None:
    ss = _sessions()
    right = ss[1]
    honest = _with_syncs(right, 8, 2000.0, 1)
    right.syncs = honest
    truth = fit_clock(right)
    bad = R.Sync(honest[4].t_us + 1_000_000, honest[4].host_unix_us + 1_000_000 + 60_000_000, 1)
    right.syncs = [*honest[:5], bad, *honest[5:]]
    c = fit_clock(right)
    assert c.rejected == (5,)
    assert len(c.residuals_us) == 9 and abs(c.residuals_us[5] - 60e6) < 1e5
    assert c.method == "least-squares" and c.residual_us is not None and c.residual_us < 5000
    mid = np.array([60e6])
    shift_us = float(abs(c.host_us(mid) - truth.host_us(mid))[0])
    assert shift_us < 5000
    assert c.drift_ppm == pytest.approx(truth.drift_ppm, abs=20)
    # what plain least squares over all nine would have done
    dev = np.array([s.t_us for s in right.syncs], dtype=np.float64)
    host = np.array([s.host_unix_us for s in right.syncs], dtype=np.float64)
    a = np.stack([np.ones_like(dev), dev], axis=1)
    coef, *_ = np.linalg.lstsq(a, host - host[0], rcond=None)
    naive_shift_us = abs(coef[0] + host[0] + coef[1] * mid[0] - float(truth.host_us(mid)[0]))
    print(
        f"\n60 s-off Sync: robust fit moves mid-run time by {shift_us / 1e3:.1f} ms "
        f"(plain least squares: {naive_shift_us / 1e6:.1f} s); residual {c.residual_us:.0f} us RMS"
    )
    assert naive_shift_us > 1e6  # the test can fail: the bad record matters without rejection
    m = merge_run(ss[0], right)
    assert any("left out of the clock fit" in i and "60.0 s" in i for i in m.issues)


def test_honest_syncs_are_all_kept() -> None:
    right = _sessions()[1]
    for seed in range(20):
        right.syncs = _with_syncs(right, 10, 20_000.0, seed)  # 20 ms BLE jitter
        assert fit_clock(right).rejected == ()


def test_two_syncs_that_no_crystal_explains_keep_the_first() -> None:
    right = _sessions()[1]
    good = _with_syncs(right, 2, 0.0, 0)
    bad = R.Sync(good[1].t_us, good[1].host_unix_us + 30_000_000, 1)
    right.syncs = [good[0], bad]
    c = fit_clock(right)
    assert c.rejected == (1,) and c.method == "offset-only" and c.degraded
    assert abs(c.residuals_us[0]) < 1.0
