"""Training load in rolling days: no calendar weeks, no judgement before the history covers
the windows, no date for runs without a wall clock, the same sessions counted once."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np

from stridekit.analysis import MIN_RUN_S, analyse, run_duration_s
from stridekit.analysis.load import dedupe_runs, load
from stridekit.merge import MergedRun, merge_run
from stridekit.sim.gait import RunnerParams
from tests.analysis.helpers import merged, recorded, sessions_of

# a Thursday: the calendar week (Monday to Sunday) holds only part of the history
TODAY = int(dt.datetime(2026, 3, 12, 7, tzinfo=dt.UTC).timestamp())


def _run(days_before: int, seconds: float, seed: int) -> MergedRun:
    return merged(duration_s=seconds, seed=seed, start_epoch_s=TODAY - 86400 * days_before)


def test_a_week_of_history_judges_no_jump() -> None:
    # the healthy demo's week: runs 6, 4 and 2 days before today, each longer than the
    # last; calendar weeks would compare this (Monday-Thursday) week with a partial one
    runs = [_run(6, 20, 31), _run(4, 30, 32), _run(2, 40, 33), _run(0, 50, 34)]
    ld = load(runs)
    assert ld.dated and ld.history_days == 7
    assert not ld.jump and not ld.judged
    assert "span 7 days" in ld.change_reason and "needs 14 days" in ld.change_reason
    assert "needs 28 days" in ld.acwr_reason and "span 7 days" in ld.acwr_reason
    # the guideline counts the last 7 days, recorded runs only
    assert "2026-03-06 to 2026-03-12" in ld.guideline_text
    assert "recorded runs only: other activity is not seen" in ld.guideline_text
    a = analyse(runs)
    cause = next(c for c in a.causes if c.key == "load")
    assert cause.status == "could not judge" and not cause.seen


def test_two_covered_weeks_compare_the_last_7_days_with_the_7_before() -> None:
    steady = [_run(13, 30, 41), _run(9, 30, 42)]  # 13 and 9 days before: the earlier window
    more = [_run(5, 40, 43), _run(0, 40, 44)]  # 80 s in the last 7 days vs 60 s before
    ld = load([*steady, *more])
    assert ld.history_days == 14 and ld.change_judged and not ld.acwr_judged
    assert ld.windows[-1].first == dt.date(2026, 3, 6)
    assert ld.previous_min > 0
    assert abs(ld.change_pct - (ld.acute_min / ld.previous_min - 1) * 100) < 1e-9
    assert ld.change_pct > 30 and ld.jump
    assert "training-load jump" in ld.text


def test_runs_without_a_wall_clock_have_no_date() -> None:
    run = dataclasses.replace(_run(0, 30, 51), start_unix_s=12.0)  # pod clock never set
    earlier = dataclasses.replace(_run(3, 30, 52), start_unix_s=3.0)
    ld = load([earlier, run])
    assert not ld.dated and not ld.judged and not ld.guideline_judged
    assert "1970" not in ld.text + ld.guideline_text
    assert "unknown" in ld.guideline_text
    a = analyse([earlier, run])
    assert all("1970" not in c.finding for c in a.causes)
    assert next(c for c in a.causes if c.key == "load").status == "could not judge"
    # a CRC-valid Sync far past any calendar is no date either (fromtimestamp would raise)
    absurd = dataclasses.replace(_run(0, 30, 51), start_unix_s=float(2**62) / 1e6)
    ld = load([absurd])
    assert not ld.dated and "unknown" in ld.guideline_text
    assert analyse([absurd]).run is absurd
    # a dated current run leaves the undated one out, and says so
    ld = load([earlier, _run(0, 30, 51)])
    assert ld.dated and ld.undated_runs == 1 and "without a date" in ld.text


def test_the_same_sessions_twice_count_once() -> None:
    a, b = _run(2, 30, 61), _run(0, 30, 62)
    once = load([a, b])
    twice = load([a, a, b, b])
    assert once.acute_min > 0 and twice.acute_min == once.acute_min
    assert len(dedupe_runs([a, a, b])) == 2
    # a copy read from a second file is a different object with the same sessions
    copy = dataclasses.replace(a)
    assert load([a, copy, b]).acute_min == once.acute_min


def test_run_length_does_not_stop_with_the_raw_samples() -> None:
    ss = sessions_of(recorded(RunnerParams(duration_s=150, seed=71)))
    cut = []
    for s in ss:
        n = len(s.sample_t_us) // 2  # raw capture stopped half way (flash full)
        cut.append(
            dataclasses.replace(
                s,
                sample_t_us=s.sample_t_us[:n],
                cells=s.cells[:n],
                imu=s.imu[:n],
                imu_present=s.imu_present[:n],
            )
        )
    run = merge_run(cut[0], cut[1])
    assert run.duration_s < 90  # the merge's span stops at the last raw sample
    full = run_duration_s(run)
    assert abs(full - 150) < 3, full
    assert np.isclose(full, max(s.duration_s for s in ss), atol=2)
    a = analyse([run])
    assert a.duration_s == full and a.duration_s >= MIN_RUN_S
    assert not any("too short to judge" in x for x in a.not_judged)
    assert a.asymmetry.judged and a.impact.judged
