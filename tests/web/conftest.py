"""Fixtures for the web app and `stride serve` tests: one simulated run, written once."""

from __future__ import annotations

from pathlib import Path

import pytest

from stridekit.sim.gait import RunnerParams, simulate
from stridekit.sim.record import write_run


@pytest.fixture(scope="session")
def sim_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A short simulated run of both pods, exactly as `stride sim` writes it."""
    out = tmp_path_factory.mktemp("sim") / "run.strd"
    write_run(simulate(RunnerParams(seed=3, duration_s=20.0)), out)
    return out
