"""Findings on simulated runners: leg-length side and size, toning shoes, healthy controls, load jumps."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stridekit.analysis import analyse
from stridekit.analysis import asymmetry as A
from stridekit.analysis.load import RunLoad, weekly
from stridekit.merge import one_foot_run, pair_sessions
from stridekit.sim import conditions as SC
from stridekit.sim.gait import RunnerParams
from stridekit.sim.plan import session_params, session_plan
from tests.analysis.helpers import merged, recorded, sessions_of

LLD_CASES = [
    (1.5, "left", 0, 3, True),
    (1.5, "left", 1, 3, True),
    (1.5, "right", 2, 3, True),
    (1.5, "right", 3, 3, True),
    (2.0, "left", 4, 3, False),
    (2.0, "right", 5, 3, False),
    (1.0, "left", 6, 5, False),
    (1.0, "right", 7, 5, False),
]


@pytest.mark.parametrize(("lld", "side", "seed", "minutes", "toning"), LLD_CASES)
def test_lld_side_and_magnitude(
    lld: float, side: str, seed: int, minutes: float, toning: bool
) -> None:
    run = merged(
        duration_s=60 * minutes,
        seed=seed,
        lld_cm=lld,
        lld_side=side,
        instability=1.0 if toning else 0.0,
    )
    a = analyse([run])
    f = a.asymmetry.lld
    assert f is not None
    print(
        f"\nLLD {lld} cm {side} seed {seed}: found {f.detected} {f.longer_side} {f.magnitude_cm:.2f} cm z {f.z:.1f}"
    )
    assert f.detected and f.longer_side == side
    assert abs(f.magnitude_cm - lld) <= 0.5
    lld_cause = next(c for c in a.causes if c.key == "lld")
    assert lld_cause.points >= 1 and side in lld_cause.finding
    shoes = next(c for c in a.causes if c.key == "shoes")
    assert (shoes.points > 0) == toning


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_healthy_runner_names_neither(seed: int) -> None:
    a = analyse([merged(duration_s=180, seed=seed)])
    assert a.asymmetry.lld is not None and not a.asymmetry.lld.detected
    assert not a.instability.flagged
    assert all(c.points == 0 for c in a.causes if c.key in ("lld", "shoes"))
    assert a.band in ("Low", "Low-medium")


def test_lld_mapping_is_the_simulators() -> None:
    """The documented mapping and the simulator's model state the same relation."""
    assert A.LLD_ANCHOR_CM == SC.LLD_ANCHOR_CM and A.LLD_EXPONENT == SC.LLD_EXPONENT
    assert A.LLD_ANCHOR_SI_PCT["loading_rate_n_s"] == -100 * SC.LLD_LR_DIFF
    assert A.LLD_ANCHOR_SI_PCT["stance_us"] == 100 * SC.LLD_STANCE_DIFF
    for cm in (0.5, 1.0, 1.5, 2.0, 3.0):
        assert A.lld_cm_from_scale(SC.lld_scale(cm)) == pytest.approx(cm)


def test_shoe_ab_names_the_toning_shoe() -> None:
    a_run = merged(duration_s=120, seed=11)
    b_run = merged(duration_s=120, seed=12, instability=1.0)
    a_run.shoe, b_run.shoe = "daily trainer", "toning"
    try:
        res = analyse([a_run, b_run])
    finally:
        a_run.shoe = b_run.shoe = ""
    assert res.shoe_ab is not None and res.shoe_ab.significant and res.shoe_ab.ratio > 1
    shoes = next(c for c in res.causes if c.key == "shoes")
    assert shoes.points == 3 and "toning" in shoes.finding


def test_training_load_jump_from_plan() -> None:
    plan = session_plan(
        dt.date(2026, 3, 2),
        weeks_steady=3,
        weeks_after=1,
        sessions_per_week=3,
        week_minutes=1.5,
        jump_pct=60.0,
    )
    runner = RunnerParams(seed=5)
    runs = []
    for p in session_params(plan, runner):
        runs += pair_sessions(sessions_of(recorded(p)))
    a = analyse(runs)
    assert a.load.jump
    assert a.load.jump_week == dt.date(2026, 3, 23)
    load_cause = next(c for c in a.causes if c.key == "load")
    assert load_cause.points >= 2 and "jump" in load_cause.finding


def test_weekly_load_and_guideline() -> None:
    monday = dt.datetime(2026, 3, 2, 7, tzinfo=dt.UTC).timestamp()
    loads = [
        RunLoad(monday + 86400 * 7 * w + 3600 * d, 40.0, [40.0], 100, 170.0)
        for w in range(4)
        for d in range(4)
    ]
    loads.append(RunLoad(monday + 86400 * 29, 80.0, [5.0, 75.0], 100, 170.0))
    weeks = weekly(loads)
    assert [round(w.minutes) for w in weeks] == [160, 160, 160, 160, 80]
    assert weeks[3].acwr == pytest.approx(1.0)
    assert weeks[4].guideline_minutes == 75.0  # the 5-min bout does not count


def test_could_not_judge_one_foot_short_and_damaged() -> None:
    run = merged(duration_s=120, seed=9)
    assert run.left is not None
    a = analyse([one_foot_run(run.left)])
    assert any("one foot only" in x for x in a.not_judged)
    short = merged(duration_s=40, seed=9)
    a = analyse([short])
    assert any("too short" in x for x in a.not_judged)
    data = bytearray(recorded(RunnerParams(duration_s=150, seed=9)))
    mid = len(data) // 4
    data[mid : mid + 4000] = bytes(4000)  # a damaged span in the left session
    runs = pair_sessions(sessions_of(bytes(data)))
    a = analyse(runs)
    assert any("Damaged" in x for x in a.not_judged)


_BASE = recorded(RunnerParams(duration_s=70, seed=2))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(_BASE) - 1), st.integers(1, 20000), st.integers(0, 255))
def test_corrupt_files_never_crash(at: int, n: int, byte: int) -> None:
    data = bytearray(_BASE)
    data[at : at + n] = bytes([byte]) * min(n, len(data) - at)
    ss = sessions_of(bytes(data))
    if not ss:
        return
    a = analyse(pair_sessions(ss))
    assert a.band in ("Low", "Low-medium", "Medium", "Medium-high", "High")
