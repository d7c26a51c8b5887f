"""The simulator generates samples block by block (bounded memory); any block size, the same run."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from stridekit.sim import gait
from stridekit.sim.gait import RunnerParams, simulate

CASES: list[dict[str, Any]] = [
    dict(duration_s=20.0, imu_dropout_rate_hz=0.3),
    # the realistic sensor: FSR hysteresis carries its state across blocks
    dict(
        duration_s=20.0,
        seed=4,
        half_force_cv=0.06,
        hysteresis=0.10,
        creep=0.03,
        drift=0.02,
        preload_n=2.0,
        noise_counts=3.0,
    ),
    dict(duration_s=20.0, cells=16, gait="walk", speed_m_s=1.4, cadence_spm=110.0, rate_hz=200),
    dict(duration_s=20.0, fault_kind="stuck", fault_onset_s=8.0, sample_drop_prob=0.01),
]


@pytest.mark.parametrize("kw", CASES)
def test_any_block_size_gives_the_same_run(
    kw: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = simulate(RunnerParams(**kw))
    assert len(whole.feet[0].t_us) <= gait.SAMPLE_BLOCK  # in one block
    monkeypatch.setattr(gait, "SAMPLE_BLOCK", 777)
    blocks = simulate(RunnerParams(**kw))
    for a, b in zip(whole.feet, blocks.feet, strict=True):
        assert np.array_equal(a.t_us, b.t_us)
        assert np.array_equal(a.cells, b.cells)
        assert np.array_equal(a.force_n, b.force_n)
        assert np.array_equal(a.imu_present, b.imu_present)
        if a.imu is None or b.imu is None:
            assert a.imu is None and b.imu is None
        else:
            assert np.array_equal(a.imu, b.imu)
        assert a.fault_index == b.fault_index
