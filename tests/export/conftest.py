"""A short simulated run for the export tests (both feet, raw samples and steps)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stridekit.sim.record import write_run
from tests.conftest import sim


@pytest.fixture(scope="package")
def run_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "run.strd"
    write_run(sim(seed=61, duration_s=12.0), path)
    return path
