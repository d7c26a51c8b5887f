"""Files the host writes in the pod's format (SessionWriter's pod methods, as stride sim
and stride import use them): raw samples in SampleBlocks, Steps in StepBlocks when
asked, read back exactly, and a committed file of the first format (one Sample and one
Step record each) still reads."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from stridefw import records as R
from stridekit.replay import kernel_for, replay, run_kernel, write_recording
from stridekit.session import read_sessions, sessions_from_bytes
from stridekit.session_writer import SessionWriter
from stridekit.sim.gait import RunnerParams, simulate
from stridekit.sim.record import header_for

V1_FILE = Path(__file__).parent / "files" / "v1_session.strd"


def _recorded(step_blocks: bool, raw: bool = True) -> tuple[bytes, int]:
    run = simulate(RunnerParams(duration_s=20.0, rate_hz=100, cells=8, seed=8))
    foot = run.feet[0]
    hdr = header_for(run, foot, 1)
    out = run_kernel(kernel_for(hdr), foot.device_ticks(), foot.cells, foot.imu, foot.imu_present)
    w = SessionWriter(period_us=10_000, step_blocks=step_blocks)
    w.add(R.REC_HEADER, hdr.to_bytes())
    write_recording(w, foot.t_us, foot.cells, foot.imu, foot.imu_present, out, raw)
    w.add(R.REC_END, R.SessionEnd(steps=len(out.step_payloads)).to_bytes())
    return bytes(w.out), len(foot.t_us)


@pytest.mark.parametrize("step_blocks", [False, True])
def test_pod_format_reads_back_exactly_and_replays_bit_identical(step_blocks: bool) -> None:
    run = simulate(RunnerParams(duration_s=20.0, rate_hz=100, cells=8, seed=8))
    foot = run.feet[0]
    data, n = _recorded(step_blocks)
    (s,) = sessions_from_bytes(data)
    assert s.issues == []
    assert np.array_equal(s.sample_t_us, foot.t_us)
    assert np.array_equal(s.cells, foot.cells)
    present = foot.imu_present if foot.imu_present is not None else np.ones(n, bool)
    assert np.array_equal(s.imu_present, present)
    assert foot.imu is not None and np.array_equal(s.imu[present], foot.imu[present])
    res = replay(s)
    assert res.steps_identical and res.flags_identical and len(s.steps) > 10
    kinds = {r.rtype for r in R.decode_all(data)[0]}
    assert R.REC_SAMPLE not in kinds and R.REC_SAMPLE_BLOCK in kinds
    assert (R.REC_STEP_BLOCK in kinds) == step_blocks
    assert (R.REC_STEP in kinds) != step_blocks
    # one Sample record per sample was 47 B at 8 cells with an IMU
    assert len(data) / n < 25


def test_steps_only_in_step_blocks_cost_under_32_bytes_a_step() -> None:
    data, _ = _recorded(step_blocks=True, raw=False)
    (s,) = sessions_from_bytes(data)
    step_bytes = sum(
        len(R.Encoder().encode(r.rtype, r.seq, r.payload)) - 1
        for r in R.decode_all(data)[0]
        if r.rtype == R.REC_STEP_BLOCK
    )
    assert step_bytes / len(s.steps) <= 32


def test_a_committed_first_format_file_still_reads() -> None:
    """Sample and Step records one by one, as files were written before SampleBlocks
    and StepBlocks (the file is committed; nothing here writes it)."""
    (s,) = read_sessions(V1_FILE)
    kinds = {r.rtype for r in R.decode_all(V1_FILE.read_bytes())[0]}
    assert kinds == {R.REC_HEADER, R.REC_SAMPLE, R.REC_STEP, R.REC_END}
    assert s.issues == [] and len(s.sample_t_us) == 600 and len(s.steps) == 8
    assert hashlib.sha256(s.cells.tobytes()).hexdigest()[:16] == "686d727a591a1003"
    assert replay(s).steps_identical


def test_pod_bytes_counts_the_store_layout() -> None:
    from stridekit.budget.sizes import pod_bytes

    data, _ = _recorded(step_blocks=False, raw=False)
    (s,) = sessions_from_bytes(data)
    grow, fixed, steps = pod_bytes(data)
    grow1, fixed1, steps1 = pod_bytes(data, step_blocks=False)
    assert steps == steps1 == len(s.steps) and fixed == fixed1
    # no RefEvents in this file: one shared delimiter per frame, as in the store's file
    assert grow1 + fixed1 == len(data) - (len(R.decode_all(data)[0]) - 1)
    assert grow < grow1 / 2
