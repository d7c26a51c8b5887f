"""UNSTABLE against the runner's own reference (stridefw.kernel, config UNSTABLE_*)."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from stridefw import config as fw_config
from stridefw import kernel as fw_kernel
from stridefw import layouts as fw_layouts
from stridefw import steps as fw_steps
from stridefw.calib import nominal
from stridekit.replay import kernel_for, replay, run_kernel
from stridekit.sim.gait import RunnerParams, simulate
from tests.analysis.unstable_eval import judge, learn, record, sim_feet

# One runner (corpus-like variability, not the simulator's defaults), 2.5 minutes per session.
RUNNER = RunnerParams(
    duration_s=150.0, stride_cv=0.018, stance_cv=0.025, cop_ml_sd_mm=2.0, seed=4242
)


@pytest.fixture(scope="module")
def usual_ref() -> list[str | None]:
    """What the pods learnt from an earlier session of RUNNER in usual shoes."""
    return learn(sim_feet(simulate(replace(RUNNER, seed=4243))))


def test_log2_q8_within_a_hundredth() -> None:
    for x in [1, 2, 3, 5, 7, 100, 255, 256, 257, 1000, 12345, 99999, 2**20 + 3, 2**29 - 1]:
        assert abs(fw_steps.log2_q8(x) - 256 * math.log2(x)) <= 0.01 * 256, x
    assert fw_steps.log2_q8(0) == 0


def test_reference_note_round_trip_and_rejects_others() -> None:
    k = fw_kernel.StepKernel(fw_layouts.INSOLE_8, nominal(8))
    assert not k.has_ref
    k.stats.set_reference(3100, 5, 2200)
    text = k.reference_note()
    assert text.startswith(fw_kernel.UNSTABLE_REF_NOTE)
    k2 = fw_kernel.StepKernel(fw_layouts.INSOLE_8, nominal(8))
    assert k2.set_reference_note(text) and k2.reference_note() == text
    k2.reset()  # a new session keeps the runner's reference
    assert k2.has_ref and k2.reference_note() == text
    bad_notes = ("raw capture stopped", fw_kernel.UNSTABLE_REF_NOTE + " 9 1 2 3", text + " 4")
    # out of log2_q8's range: a damaged note, not a reference (99999999999 would not
    # even fit the reference array)
    out_of_range = [
        fw_kernel.UNSTABLE_REF_NOTE + x for x in (" 1 99999999999 0 0", " 1 -5 0 0", " 1 0 8192 0")
    ]
    for bad in (*bad_notes, *out_of_range, fw_kernel.UNSTABLE_REF_NOTE + " 1 a b c"):
        k3 = fw_kernel.StepKernel(fw_layouts.INSOLE_8, nominal(8))
        assert not k3.set_reference_note(bad) and not k3.has_ref


def test_toning_flagged_against_own_reference_usual_shoes_not(usual_ref: list[str | None]) -> None:
    assert all(usual_ref)
    toning = judge(sim_feet(simulate(replace(RUNNER, instability=1.0))), usual_ref)
    usual = judge(sim_feet(simulate(RUNNER)), usual_ref)
    # the report's finding is the pod's flag, and replay reproduces both sessions
    assert toning.pod and toning.report and toning.host_flag and toning.replay_same
    assert not usual.pod and not usual.report and not usual.host_flag and usual.replay_same


def test_without_reference_only_gross_instability_counts() -> None:
    toning = judge(sim_feet(simulate(replace(RUNNER, instability=1.0))), [None, None])
    assert not toning.pod and not toning.report
    gross = judge(
        sim_feet(simulate(replace(RUNNER, cop_ml_sd_mm=15.0, duration_s=100.0))), [None, None]
    )
    assert gross.pod and gross.report


def test_replay_uses_the_recorded_reference(usual_ref: list[str | None]) -> None:
    feet = sim_feet(simulate(replace(RUNNER, instability=1.0)))
    sessions, last = record(feet, usual_ref)
    assert any(fl & fw_config.FLAG_UNSTABLE for fl in last)
    for s in sessions:
        assert any(n.text == usual_ref[s.header.foot] for n in s.notes)
        r = replay(s)
        assert r.steps_identical and r.flags_identical
        # the same samples without the reference give other records: the Note matters
        plain = run_kernel(kernel_for(s.header), s.sample_t_us, s.cells, s.imu, s.imu_present)
        assert plain.step_payloads != s.step_payloads


def test_a_flagged_or_short_session_teaches_nothing(usual_ref: list[str | None]) -> None:
    toning = sim_feet(simulate(replace(RUNNER, instability=1.0)))
    assert learn(toning, usual_ref) == usual_ref  # flagged: the reference stays
    short = sim_feet(simulate(replace(RUNNER, duration_s=20.0, seed=9)))
    assert learn(short) == [None, None]  # < UNSTABLE_MIN_STEPS steps


def test_scales_stay_small_ints_at_the_extremes() -> None:
    """Longest stance and stride, widest CoP swings: every state within +-2**30."""
    k = fw_kernel.StepKernel(fw_layouts.INSOLE_8, nominal(8))
    rng = np.random.default_rng(3)
    lim = 1 << 30
    for i in range(600):
        big = i % 7 == 0
        k.stats._rstat(0, (int(rng.integers(-3000, 3000)) if big else 5) << 10, False)
        k.stats._rstat(1, (25000 if big else 600) << 10, True)  # 2.5 s / 60 ms stance
        k.stats._rstat(2, (30000 if big else 2000) << 10, True)  # 3 s / 200 ms stride
        for arr in (k.stats._rs_m, k.stats._rs_a):
            assert all(-lim < v < lim for v in arr)
        for s in range(3):
            a = k.stats._rs_a[s]
            assert (a << 4) < lim
            assert 0 <= k.stats.session_scale(s) < 8000
