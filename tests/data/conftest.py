"""Real recordings from ../shared/data: skipped with a reason only where the folder is missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import IN_CI, SHARED_DATA


def data_dir(sub: str) -> Path:
    """SHARED_DATA/sub, or skip (outside CI) / fail (in CI) when it is missing."""
    p = SHARED_DATA / sub
    if not p.is_dir():
        msg = f"{p} is missing: the real gait recordings (../shared/data) are not on this machine"
        if IN_CI:
            pytest.fail(f"{msg}, but CI must have them")
        pytest.skip(msg)
    return p


@pytest.fixture(scope="session")
def gaitpdb_dir() -> Path:
    return data_dir("gaitpdb")


@pytest.fixture(scope="session")
def gaitndd_dir() -> Path:
    return data_dir("gaitndd")


@pytest.fixture(scope="session")
def ipol_dir() -> Path:
    return data_dir("ipol-gait-imu")


@pytest.fixture(scope="session")
def gaitmap_dir() -> Path:
    return data_dir("gaitmap-example")
