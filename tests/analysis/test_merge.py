"""Merge: clock alignment on simulated drift, pairing, and the fallbacks."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stridefw import records as R
from stridekit.merge import MergeError, fit_clock, merge_run, one_foot_run, pair_sessions
from stridekit.session import Session
from stridekit.sim.gait import RunnerParams, SimRun, simulate
from stridekit.sim.record import record_foot
from tests.analysis.helpers import sessions_of

PPM = 50.0
OFFSET_S = 0.3


def _drift_run() -> tuple[list[Session], SimRun]:
    p = RunnerParams(duration_s=120, seed=3, clock_ppm=(0.0, PPM), clock_offset_s=(0.0, OFFSET_S))
    run = simulate(p)
    data = b"".join(record_foot(run, f, i + 1) for i, f in enumerate(run.feet))
    return sessions_of(data), run


def test_drift_aligned_to_truth_and_steps_alternate() -> None:
    ss, sim = _drift_run()
    m = merge_run(ss[0], ss[1])
    assert m.right_clock is not None and m.left_clock is not None
    assert m.right_clock.drift_ppm == pytest.approx(PPM, abs=0.5)
    errs = []
    for s, c, foot in ((ss[0], m.left_clock, sim.feet[0]), (ss[1], m.right_clock, sim.feet[1])):
        ref = s.ref_times_s(R.REF_CONTACT)
        host_s = c.host_us(ref * 1e6) / 1e6 - s.header.epoch_s
        errs.append(np.abs(host_s - foot.truth.contact_s).max() * 1e6)
    print(f"\nmerge alignment error vs truth (50 ppm, 0.3 s): max {max(errs):.1f} us")
    assert max(errs) < 100.0
    # without alignment the right pod would be 0.3 s late: steps would not alternate
    assert m.alternation_pct > 99.0
    feet = [s.foot for s in m.steps[2:-2]]
    assert all(a != b for a, b in itertools.pairwise(feet))


def test_least_squares_residual_with_many_syncs() -> None:
    ss, sim = _drift_run()
    right = ss[1]
    foot = sim.feet[1]
    rng = np.random.default_rng(1)
    jitter_us = 300.0  # a BLE time write lands within a connection interval or so
    dev_us = np.linspace(0, foot.t_us[-1], 12).astype(np.int64)
    true_s = foot.to_true_s(dev_us / 1e6)
    right.syncs = [
        R.Sync(int(d), int(right.header.epoch_s * 1e6 + t * 1e6 + rng.normal(0, jitter_us)), 1)
        for d, t in zip(dev_us, true_s, strict=True)
    ]
    c = fit_clock(right)
    assert c.method == "least-squares" and c.residual_us is not None
    print(
        f"\nleast-squares residual, 12 Syncs with {jitter_us:.0f} us jitter: {c.residual_us:.0f} us RMS"
    )
    assert 0.3 * jitter_us < c.residual_us < 2 * jitter_us
    assert c.drift_ppm == pytest.approx(PPM, abs=10)


def test_missing_foot_and_too_few_syncs_are_marked() -> None:
    ss, _ = _drift_run()
    with pytest.raises(MergeError, match="left and a right"):
        merge_run(ss[0], ss[0])
    one = one_foot_run(ss[0])
    assert not one.both_feet and "no right session" in one.issues[0]
    ss[1].syncs = ss[1].syncs[:1]
    m = merge_run(ss[0], ss[1])
    assert m.right_clock is not None and m.right_clock.method == "offset-only"
    assert any("offset only" in i for i in m.issues)
    ss[1].syncs = []
    m = merge_run(ss[0], ss[1])
    assert any("no Sync records" in i for i in m.issues)


def test_pairing_by_overlap() -> None:
    a = sessions_of(
        b"".join(
            record_foot(r, f, i + 1)
            for r in (simulate(RunnerParams(duration_s=20, seed=1, start_epoch_s=1_780_000_000)),)
            for i, f in enumerate(r.feet)
        )
    )
    b = sessions_of(
        b"".join(
            record_foot(r, f, i + 1)
            for r in (simulate(RunnerParams(duration_s=20, seed=2, start_epoch_s=1_780_090_000)),)
            for i, f in enumerate(r.feet)
        )
    )
    runs = pair_sessions([b[1], a[0], b[0], a[1], a[0]])
    both = [r for r in runs if r.both_feet]
    assert len(both) == 2 and both[0].start_unix_s < both[1].start_unix_s
    assert sum(not r.both_feet for r in runs) == 1


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 2**32 - 1), st.integers(-(2**62), 2**62)), min_size=0, max_size=6
    )
)
def test_fit_clock_never_crashes(syncs: list[tuple[int, int]]) -> None:
    ss, _ = _CACHE
    s = ss[0]
    s.syncs = [R.Sync(t, h, 0) for t, h in syncs]
    c = fit_clock(s)
    assert c.method in ("least-squares", "two-point", "offset-only", "header-epoch")


_FOOT = simulate(RunnerParams(duration_s=5)).feet[0]
_CACHE = (
    sessions_of(
        record_foot(
            simulate(RunnerParams(duration_s=5)), simulate(RunnerParams(duration_s=5)).feet[0], 1
        )
    ),
    None,
)
