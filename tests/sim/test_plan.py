"""`stride plan` in bounded memory: the simulator's ground truth and the pod recording
work in blocks with the same results as in one piece; plans run in worker processes
and record steps only unless asked for raw samples."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest

from stridekit.session import read_sessions
from stridekit.sim import gait
from stridekit.sim.gait import RunnerParams, simulate
from stridekit.sim.plan import session_plan, write_plan
from stridekit.sim.record import record_foot


@pytest.mark.parametrize(
    "params",
    [
        RunnerParams(duration_s=60, seed=11),
        RunnerParams(duration_s=60, seed=12, gait="walk"),
        RunnerParams(duration_s=40, seed=13, strike="fore", lld_cm=2.0, instability=1.0),
    ],
)
def test_truth_in_blocks_is_the_truth_in_one_piece(
    params: RunnerParams, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gait, "_TRUTH_BLOCK_STEPS", 7)  # many blocks, a short last one
    small = simulate(params)
    monkeypatch.setattr(gait, "_TRUTH_BLOCK_STEPS", 10**9)
    whole = simulate(params)
    for a, b in zip(small.feet, whole.feet, strict=True):
        for f in dataclasses.fields(a.truth):
            x, y = getattr(a.truth, f.name), getattr(b.truth, f.name)
            assert np.array_equal(x, y, equal_nan=True), f.name


def test_recording_in_chunks_is_byte_identical() -> None:
    run = simulate(RunnerParams(duration_s=30, seed=14, imu_dropout_rate_hz=0.3))
    for i, foot in enumerate(run.feet):
        assert record_foot(run, foot, i + 1, chunk_samples=333) == record_foot(
            run, foot, i + 1, chunk_samples=10**9
        )


def test_plan_in_workers_matches_one_process_and_records_steps_only(tmp_path: Path) -> None:
    plan = session_plan(dt.date(2026, 3, 2), weeks_steady=1, weeks_after=0, sessions_per_week=3)
    runner = RunnerParams(seed=3)
    seen: list[tuple[int, int]] = []
    one = write_plan(tmp_path / "one", plan, runner, 1, sim_minutes=0.2, workers=1)
    two = write_plan(
        tmp_path / "two",
        plan,
        runner,
        1,
        sim_minutes=0.2,
        workers=2,
        progress=lambda d, n: seen.append((d, n)),
    )
    assert seen == [(1, 3), (2, 3), (3, 3)]
    files = json.loads(one.read_text())["files"]
    assert files == json.loads(two.read_text())["files"] and len(files) == 3
    for name in files:
        assert (one.parent / name).read_bytes() == (two.parent / name).read_bytes()
        sessions = read_sessions(one.parent / name)
        assert all(len(s.sample_t_us) == 0 and len(s.steps) > 0 for s in sessions)
    raw = write_plan(tmp_path / "raw", plan[:1], runner, 1, sim_minutes=0.2, raw=True)
    (s, *_) = read_sessions(raw.parent / "s00_2026-03-03.strd")
    assert len(s.sample_t_us) > 0 and s.steps


def test_plan_out_parent_must_exist(tmp_path: Path) -> None:
    plan = session_plan(dt.date(2026, 3, 2), weeks_steady=1, weeks_after=0, sessions_per_week=3)
    with pytest.raises(FileNotFoundError):
        write_plan(tmp_path / "missing" / "plan", plan, RunnerParams(), 1, sim_minutes=0.1)
