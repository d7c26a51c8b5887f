"""The kernel's IMU-only fallback on the real IMU recordings (no insole: the kernel
finds it silent and takes steps from the foot's pitch rate), against their references."""

from __future__ import annotations

from pathlib import Path

import pytest

from stridefw import config as C
from stridekit.eval.goals import pooled
from stridekit.eval.matching import abs_ms
from stridekit.eval.real import evaluate_record
from stridekit.eval.results import FootResult
from stridekit.importers import gaitmap, ipol
from stridekit.importers.common import header_for


def _all(results: list[FootResult]) -> None:
    for r in results:
        assert r.n_steps > 0 and r.flags & C.FLAG_DEGRADED


def test_gaitmap_contact_median_within_goal(gaitmap_dir: Path) -> None:
    res = [r for p in gaitmap.find(gaitmap_dir) for r in evaluate_record(gaitmap.read(p))]
    _all(res)
    c, o = pooled(res, "contact"), pooled(res, "toe_off")
    assert abs_ms(c.errors_s, 50) <= 20  # issue 8 goal (motion capture)
    assert abs_ms(o.errors_s, 50) <= 20
    assert c.tp >= 0.95 * c.n_ref and c.tp >= 0.95 * c.n_found


@pytest.mark.xfail(
    strict=True,
    reason="measured 28.3 ms, a bias: the ipol annotations sit ~28 ms after the pitch-rate "
    "sign change, which matches gaitmap's first mocap subject within 5 ms but is 60-80 ms "
    "before the second's (at its impact): where IC sits in the foot's IMU signal differs "
    "by subject and mounting, and no one rule meets all three (not fitted away)",
)
def test_ipol_contact_median_within_goal(ipol_dir: Path) -> None:
    res = [r for p in ipol.find(ipol_dir) for r in evaluate_record(ipol.read(p))]
    _all(res)
    assert sum(r.imu_missing for r in res) == sum(r.dropped_packets for r in res)
    assert abs_ms(pooled(res, "contact").errors_s, 50) <= 20


@pytest.mark.mpy
@pytest.mark.usefixtures("micropython_available")
def test_imu_mode_bit_identical_in_micropython(ipol_dir: Path, gaitmap_dir: Path) -> None:
    from stridekit.mpy.kernel_run import replay_mpy
    from stridekit.replay import kernel_for, run_kernel

    for rec in (
        ipol.read(ipol_dir / "GaitData" / "16-1"),
        gaitmap.read(gaitmap_dir / "imu_sample.csv"),
    ):
        for i, foot in enumerate(rec.feet):
            hdr = header_for(rec, foot, i + 1)
            py = run_kernel(kernel_for(hdr), foot.t_us, foot.cells, foot.imu, foot.imu_present)
            mp = replay_mpy(hdr, foot.t_us, foot.cells, foot.imu, foot.imu_present)
            assert len(py.step_payloads) >= 10
            assert mp.step_payloads == py.step_payloads and mp.step_at == py.step_at
            assert mp.flag_payloads == py.flag_payloads
