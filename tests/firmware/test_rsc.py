"""RSC values of the pod (stridefw.rsc) fed with the kernel's Step records of a simulated run.

Cadence is steps of both feet per minute and both pods of a pair send the same
figure; an uncalibrated pod claims no speed, stride length or distance; a
calibrated one derives them from its calibrated stride and its own stride time
only (never from contact time, which is what the simulator's speed model uses).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import bluetooth_sig as bsig
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from stridefw import rsc
from stridefw.records import Step
from tests.conftest import run_foot, sim, steps_of

SIG = bsig.BluetoothSIGTranslator()


def _pod_values(steps: list[Step], stride_mm: int = 0) -> list[tuple[int, int, bytes]]:
    """(contact_us, cadence, measurement) after each Step that gave RSC values."""
    r = rsc.Rsc(stride_mm)
    out = []
    for s in steps:
        if r.step(s.stance_us, s.swing_us):
            out.append((s.contact_us, r.cadence_spm, bytes(r.measurement())))
    return out


@pytest.fixture(scope="module")
def pair_steps() -> tuple[list[Step], list[Step]]:
    run = sim(seed=23, duration_s=90.0, speed_m_s=3.2, cadence_spm=172.0)
    left, right = (steps_of(run_foot(run, f)[1]) for f in run.feet)
    return left, right


def test_cadence_is_steps_of_both_feet_and_the_two_pods_agree(
    pair_steps: tuple[list[Step], list[Step]],
) -> None:
    left, right = (_pod_values(s) for s in pair_steps)
    cad_l = np.array([c for _, c, _ in left])
    cad_r = np.array([c for _, c, _ in right])
    # the simulated runner's 172 steps/min of both feet, not 86 of one foot
    assert abs(np.median(cad_l) - 172) <= 2 and abs(np.median(cad_r) - 172) <= 2
    # at any moment the two pods' latest figures agree within a few steps/min
    t_l = np.array([t for t, _, _ in left])
    t_r = np.array([t for t, _, _ in right])
    idx = np.searchsorted(t_r, t_l, side="right") - 1
    ok = idx >= 0
    diff = np.abs(cad_l[ok] - cad_r[idx[ok]])
    assert np.median(diff) <= 1 and np.percentile(diff, 95) <= 4
    last = SIG.parse_characteristic("2A53", left[-1][2])
    assert last.instantaneous_cadence == left[-1][1]  # type: ignore[union-attr]
    assert last.is_running  # type: ignore[union-attr]


def test_uncalibrated_pod_claims_no_speed_stride_or_distance(
    pair_steps: tuple[list[Step], list[Step]],
) -> None:
    vals = _pod_values(pair_steps[0])
    assert vals and all(len(m) == 4 for _, _, m in vals)
    m = SIG.parse_characteristic("2A53", vals[-1][2])
    assert m.instantaneous_speed == 0  # type: ignore[union-attr]
    assert m.instantaneous_stride_length is None and m.total_distance is None  # type: ignore[union-attr]
    feat = SIG.parse_characteristic("2A54", rsc.feature())
    assert not feat.instantaneous_stride_length_supported  # type: ignore[union-attr]
    assert not feat.total_distance_supported  # type: ignore[union-attr]
    assert feat.walking_or_running_status_supported  # type: ignore[union-attr]


def test_calibrated_pods_agree_on_distance_and_speed_follows_stride_time_only(
    pair_steps: tuple[list[Step], list[Step]],
) -> None:
    stride_mm = 2200
    left, right = (_pod_values(s, stride_mm) for s in pair_steps)
    feat = SIG.parse_characteristic("2A54", rsc.feature(rsc.Rsc(stride_mm)))
    assert feat.instantaneous_stride_length_supported and feat.total_distance_supported  # type: ignore[union-attr]
    ml, mr = (SIG.parse_characteristic("2A53", v[-1][2]) for v in (left, right))
    assert ml.instantaneous_stride_length == pytest.approx(2.2)  # type: ignore[union-attr]
    # the same number of strides of the same calibrated length: one stride apart at most
    dl, dr = ml.total_distance, mr.total_distance  # type: ignore[union-attr]
    assert abs(dl - dr) <= stride_mm / 1000 + 0.1
    assert dl == pytest.approx(len(left) * stride_mm / 1000, abs=0.1)
    # speed = stride / stride time, agreeing with cadence x stride / 2
    cad = ml.instantaneous_cadence  # type: ignore[union-attr]
    assert ml.instantaneous_speed == pytest.approx(cad * 2.2 / 2 / 60, rel=0.02)  # type: ignore[union-attr]
    # contact time does not enter: the same stride time with other stances, the same speed
    a, b = rsc.Rsc(stride_mm), rsc.Rsc(stride_mm)
    a.step(200_000, 500_000)
    b.step(300_000, 400_000)
    assert a.speed_mm_s == b.speed_mm_s == round(2200 / 0.7)


@given(
    stance_us=st.integers(-(2**31), 2**32 - 1),
    swing_us=st.integers(-(2**31), 2**32 - 1),
    stride_mm=st.integers(0, 4000),
)
def test_any_step_values_encode_within_the_fields(
    stance_us: int, swing_us: int, stride_mm: int
) -> None:
    r = rsc.Rsc(stride_mm)
    r.step(stance_us, swing_us)
    m = bytes(r.measurement())
    _flags, speed, cad, stride, dist = rsc.decode_measurement(m)
    assert 0 <= cad <= 255 and 0 <= speed <= 0xFFFF
    assert (stride is None) == (stride_mm == 0) == (dist is None)
    assert len(m) == (10 if stride_mm else 4)


def test_an_absurd_calibration_is_refused() -> None:
    with pytest.raises(ValueError, match=r"0\.\.4000 mm"):
        rsc.Rsc(5000)
    with pytest.raises(ValueError):
        rsc.Rsc().calibrate(-1)


UNIX32 = Path(__file__).resolve().parents[2].parent / "shared" / "tools" / "micropython-unix32"
_MPY_SCRIPT = """
import sys, gc
sys.path.insert(0, "firmware")
from stridefw import rsc
r = rsc.Rsc(2200)
r.step(200000, 500000)
def run(n):
    for _ in range(n):
        r.step(210000, 480000)
run(1)
gc.collect()
a = gc.mem_alloc()
run(100)
print(gc.mem_alloc() - a, r.cadence_spm, r.speed_mm_s, bytes(r.measurement()).hex())
"""


@pytest.mark.skipif(not UNIX32.is_file(), reason="../shared/tools/micropython-unix32 is absent")
def test_on_32_bit_micropython_a_step_allocates_nothing_and_gives_cpython_s_bytes() -> None:
    out = subprocess.run(
        [str(UNIX32), "-c", _MPY_SCRIPT],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    ).stdout.split()
    r = rsc.Rsc(2200)
    r.step(200000, 500000)
    for _ in range(101):
        r.step(210000, 480000)
    assert int(out[0]) == 0  # per step, once per ~0.7 s: still no garbage
    assert out[1:] == [str(r.cadence_spm), str(r.speed_mm_s), bytes(r.measurement()).hex()]


def test_a_stride_calibrated_from_a_known_distance_gives_that_distance_on_both_pods(
    tmp_path: Path,
) -> None:
    from stridekit.calibrate import stride_for_distance
    from stridekit.session import read_sessions
    from stridekit.sim.record import write_run

    path = tmp_path / "run.strd"
    write_run(sim(seed=31, duration_s=60.0, speed_m_s=3.0), path)
    sessions = read_sessions(path)
    cal = stride_for_distance(sessions, 180.0)  # 60 s at 3 m/s
    assert cal.warnings == [] and set(cal.strides) == {"left", "right"}
    for s in sessions:
        r = rsc.Rsc(cal.stride_mm)
        for st_ in s.steps:
            r.step(st_.stance_us, st_.swing_us)
        # each pod sums this run's strides to the distance, within one stride
        assert abs(r.distance_mm - 180_000) <= cal.stride_mm
    with pytest.raises(ValueError, match="not a run of that distance"):
        stride_for_distance(sessions, 5.0)
    with pytest.raises(ValueError, match="metres"):
        stride_for_distance(sessions, 0.0)
