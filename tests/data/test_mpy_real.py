"""One record of each dataset through the kernel inside MicroPython: bit-identical to CPython."""

from __future__ import annotations

from pathlib import Path

import pytest

from stridekit.importers import gaitmap, gaitndd, gaitpdb, ipol
from stridekit.importers.common import ImportedRecord, header_for
from stridekit.mpy.kernel_run import replay_mpy
from stridekit.replay import kernel_for, run_kernel

pytestmark = [pytest.mark.mpy, pytest.mark.usefixtures("micropython_available")]


def _check(rec: ImportedRecord, min_steps: int) -> None:
    for i, foot in enumerate(rec.feet):
        hdr = header_for(rec, foot, i + 1)
        py = run_kernel(kernel_for(hdr), foot.t_us, foot.cells, foot.imu, foot.imu_present)
        mp = replay_mpy(hdr, foot.t_us, foot.cells, foot.imu, foot.imu_present)
        assert len(py.step_payloads) >= min_steps
        assert mp.step_payloads == py.step_payloads
        assert mp.step_at == py.step_at
        assert mp.flag_payloads == py.flag_payloads
        assert (mp.gaps, mp.bad_ticks, mp.rejected) == (py.gaps, py.bad_ticks, py.rejected)


def test_gaitpdb_weak_sensor_walk(gaitpdb_dir: Path) -> None:
    _check(gaitpdb.read(gaitpdb_dir / "data" / "JuCo09_01.txt"), 70)


def test_gaitndd_record_with_invalid_samples(gaitndd_dir: Path) -> None:
    _check(gaitndd.read(gaitndd_dir / "data" / "als5"), 100)


def test_ipol_trial_with_dropped_packets(ipol_dir: Path) -> None:
    _check(ipol.read(ipol_dir / "GaitData" / "16-1"), 0)


def test_gaitmap_example(gaitmap_dir: Path) -> None:
    _check(gaitmap.read(gaitmap_dir / "imu_sample.csv"), 0)
