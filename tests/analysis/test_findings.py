"""Findings on simulated runners: leg-length side and size, toning shoes, healthy controls, load jumps."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stridekit.analysis import MIN_RUN_S, analyse, judge
from stridekit.analysis.load import RunLoad, windows
from stridekit.merge import one_foot_run, pair_sessions
from stridekit.sim.gait import RunnerParams
from stridekit.sim.plan import session_params, session_plan
from tests.analysis.helpers import merged, recorded, sessions_of


@pytest.mark.parametrize(
    ("detected", "uneven", "seen"),
    [(True, False, True), (False, True, True), (True, True, True), (False, False, False)],
)
def test_leg_length_cause_is_seen_exactly_when_found(
    detected: bool, uneven: bool, seen: bool
) -> None:
    """The report's wiring, whatever the finding's sensitivity (tests/analysis/test_lld.py)."""
    a = analyse([merged(duration_s=120, seed=2)])
    lld = a.asymmetry.lld
    assert lld is not None and a.asymmetry.judged
    a.asymmetry = dataclasses.replace(
        a.asymmetry,
        lld=dataclasses.replace(
            lld,
            detected=detected,
            category="likely" if detected else "none",
            longer_side="left" if detected else "",
            shorter_side="right" if detected else "",
            magnitude_cm=float("nan"),
            text="the left leg appears longer" if detected else "no leg-length pattern",
        ),
        uneven=uneven,
        uneven_text="unequal loading beyond healthy people's range" if uneven else "",
    )
    judge(a)
    cause = next(c for c in a.causes if c.key == "lld")
    assert cause.seen == seen
    assert ("left leg" in cause.finding) == detected
    assert ("unequal loading" in cause.finding) == uneven
    assert cause.values["category"] == ("likely" if detected else "none")
    assert cause.values["magnitude_cm"] is None  # no NaN in the JSON
    assert a.level == ("1 seen" if seen else "none seen")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_healthy_runner_names_neither(seed: int) -> None:
    a = analyse([merged(duration_s=180, seed=seed)])
    assert a.asymmetry.lld is not None and not a.asymmetry.lld.detected
    assert not a.instability.flagged
    assert not any(c.seen for c in a.causes if c.key in ("lld", "shoes"))
    assert a.gait_mode is not None and a.gait_mode.mode == "running"


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
    assert shoes.seen and "toning" in shoes.finding


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
    # the last 7 days (23-29 March, the jump week) against the 7 before them; 27 days of
    # history: the ratio needs 28 and is not judged
    assert a.load.windows[-1].first == dt.date(2026, 3, 23)
    assert a.load.change_judged and a.load.change_pct > 30
    assert not a.load.acwr_judged and "span 27 days" in a.load.acwr_reason
    load_cause = next(c for c in a.causes if c.key == "load")
    assert load_cause.seen and "jump" in load_cause.finding


def test_rolling_windows_and_guideline() -> None:
    monday = dt.datetime(2026, 3, 2, 7, tzinfo=dt.UTC).timestamp()
    loads = [
        RunLoad(monday + 86400 * 7 * w + 3600 * d, 40.0, [40.0], 100, 170.0)
        for w in range(4)
        for d in range(4)
    ]
    loads.append(RunLoad(monday + 86400 * 29, 80.0, [5.0, 75.0], 100, 170.0))
    ws = windows(loads, dt.date(2026, 3, 31))
    # 7-day spans ending on Tuesday 31 March, not calendar weeks
    assert [(w.first, w.last) for w in ws[-2:]] == [
        (dt.date(2026, 3, 18), dt.date(2026, 3, 24)),
        (dt.date(2026, 3, 25), dt.date(2026, 3, 31)),
    ]
    assert [round(w.minutes) for w in ws] == [160, 160, 160, 160, 80]
    assert [w.covered for w in ws] == [False, True, True, True, True]
    assert ws[-1].guideline_minutes == 75.0  # the 5-min bout does not count
    # 80 min over the weekly mean of the 28 days (160 + 160 + 160 + 80) / 4
    assert ws[-1].acwr == pytest.approx(80 / 140)
    assert math.isnan(ws[0].acwr)


def test_could_not_judge_one_foot_short_and_damaged() -> None:
    run = merged(duration_s=120, seed=9)
    assert run.left is not None
    a = analyse([one_foot_run(run.left)])
    assert any("one foot only" in x for x in a.not_judged)
    short = merged(duration_s=40, seed=9)
    a = analyse([short])
    # the limit is MIN_RUN_S, said in seconds as the constant has it
    assert any("too short" in x and f"need at least {MIN_RUN_S:.0f} s" in x for x in a.not_judged)
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
    assert 0 <= a.factors_seen <= a.factors_measurable
    assert (a.level == "none seen") == (a.factors_seen == 0)
