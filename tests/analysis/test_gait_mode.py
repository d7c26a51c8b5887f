"""Walking vs running from the duty factor, on simulated runs recorded through the kernel."""

from __future__ import annotations

import pytest

from stridekit.analysis.gait_mode import RUNNING, UNKNOWN, WALKING, gait_mode
from stridekit.analysis.steps import foot_steps
from tests.analysis.helpers import merged


@pytest.mark.parametrize(
    ("gait", "speed", "cadence", "want"),
    [("run", 3.0, 170.0, RUNNING), ("run", 4.5, 180.0, RUNNING), ("walk", 1.3, 110.0, WALKING)],
)
def test_mode_of_simulated_runs_and_walks(
    gait: str, speed: float, cadence: float, want: str
) -> None:
    run = merged(gait=gait, speed_m_s=speed, cadence_spm=cadence, duration_s=40.0, seed=3)
    feet = [foot_steps(run, 0), foot_steps(run, 1)]
    m = gait_mode(feet)
    assert m.mode == want, m.text
    assert m.main == want
    # one foot alone tells the same
    assert gait_mode(feet[:1]).mode == want


def test_too_few_strides_is_unknown() -> None:
    run = merged(gait="run", duration_s=4.0, seed=3)
    m = gait_mode([foot_steps(run, 0)])
    assert m.mode == UNKNOWN
    assert m.main == UNKNOWN
