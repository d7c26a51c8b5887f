"""The golden cases: what the kernel is fed, exactly as the host replay feeds it.

Each case yields one `FootInput` per foot: the SessionHeader the pod would have
written (so `stridekit.replay.kernel_for` configures the kernel as on the device)
and the raw samples `stridekit.replay.run_kernel` pushes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from stridefw import records as R
from stridekit.importers import common as imp
from stridekit.importers import gaitmap, gaitndd, gaitpdb, ipol
from stridekit.importers.common import ImportedRecord
from stridekit.sim import record as sim_record
from tests.conftest import sim


@dataclass(frozen=True)
class FootInput:
    """One foot's kernel input: the header and the samples, as replay reads them."""

    foot: int
    header: R.SessionHeader
    t_us: np.ndarray
    cells: np.ndarray
    imu: np.ndarray | None
    imu_present: np.ndarray | None


@dataclass(frozen=True)
class Case:
    """A named golden case; `data` names the ../shared/data folder it needs, if any."""

    name: str
    about: str
    load: Callable[[Path | None], list[FootInput]]
    data: str | None = None


# ------------------------------------------------------------------ simulated runs
# Short seeded runs (numpy's seeded Generator: the same samples every time).
SIM_S = 30.0

# The FSR 400 data-sheet sensor model of `stride sim --realistic` (cli/sim.py),
# with fixed values instead of the corpus's random draws, plus pod realities.
REALISTIC: dict[str, object] = dict(
    half_force_cv=0.06,
    hysteresis=0.10,
    creep=0.03,
    drift=0.02,
    preload_n=2.0,
    noise_counts=3.0,
    jitter_us=300.0,
    sample_drop_prob=0.001,
    imu_dropout_rate_hz=0.1,
    imu_dropout_s=0.1,
    clock_ppm=(10.0, -20.0),
)


def _sim(**kw: object) -> Callable[[Path | None], list[FootInput]]:
    """RunnerParams(duration_s=SIM_S, **kw); silent_insole=True zeroes every cell."""
    silent_insole = bool(kw.pop("silent_insole", False))

    def load(_: Path | None) -> list[FootInput]:
        run = sim(duration_s=SIM_S, **kw)
        feet: list[FootInput] = []
        for foot in run.feet:
            hdr = sim_record.header_for(run, foot, foot.foot + 1)
            # a silent insole: every cell reads 0 (an unplugged or broken insole)
            cells = np.zeros_like(foot.cells) if silent_insole else foot.cells
            feet.append(FootInput(foot.foot, hdr, foot.t_us, cells, foot.imu, foot.imu_present))
        return feet

    return load


# ------------------------------------------------------------------ real records
def _imported(read: Callable[[Path], ImportedRecord]) -> Callable[[Path | None], list[FootInput]]:
    def load(d: Path | None) -> list[FootInput]:
        assert d is not None
        rec = read(d)
        return [
            FootInput(
                foot.foot,
                imp.header_for(rec, foot, i + 1),
                foot.t_us,
                foot.cells,
                foot.imu,
                foot.imu_present,
            )
            for i, foot in enumerate(rec.feet)
        ]

    return load


CASES: list[Case] = [
    Case("sim_run_heel_8cell_100hz", "default heel striker, 8 cells, 100 Hz", _sim(seed=101)),
    Case(
        "sim_run_16cell_200hz",
        "heel striker, 16 cells, 200 Hz",
        _sim(seed=102, cells=16, rate_hz=200),
    ),
    Case(
        "sim_walk",
        "walk at 1.3 m/s, 110 steps/min",
        _sim(seed=103, gait="walk", speed_m_s=1.3, cadence_spm=110.0),
    ),
    Case("sim_run_forefoot", "forefoot striker", _sim(seed=104, strike="fore")),
    Case(
        "sim_lld_toning_realistic",
        "1.5 cm leg-length difference (left longer), toning shoes (instability 0.8), "
        "realistic FSR model, sample drops, IMU dropouts, clock drift",
        _sim(seed=105, lld_cm=1.5, lld_side="left", instability=0.8, **REALISTIC),
    ),
    Case(
        "sim_unstable_cop",
        "step-to-step CoP medial-lateral SD 15 mm: UNSTABLE is raised",
        _sim(seed=111, cop_ml_sd_mm=15.0),
    ),
    Case(
        "sim_hard_impact",
        "90 kg heel striker at 5 m/s: HARD_IMPACT is raised",
        _sim(seed=112, speed_m_s=5.0, mass_kg=90.0),
    ),
    Case(
        "sim_fault_stuck_cell",
        "right foot cell 3 stuck from 10 s",
        _sim(seed=106, fault_kind="stuck", fault_foot=1, fault_cell=3, fault_onset_s=10.0),
    ),
    Case(
        "sim_fault_open_cell",
        "left foot cell 2 open (dead) from 10 s",
        _sim(seed=107, fault_kind="open", fault_foot=0, fault_cell=2, fault_onset_s=10.0),
    ),
    Case(
        "sim_fault_imu_lost",
        "left foot IMU lost from 10 s",
        _sim(seed=108, fault_kind="imu_lost", fault_foot=0, fault_onset_s=10.0),
    ),
    Case(
        "sim_imu_only_silent_insole",
        "every cell reads 0: steps from the IMU alone (DEGRADED)",
        _sim(seed=109, silent_insole=True),
    ),
    Case("sim_insole_only_no_imu", "pods without an IMU", _sim(seed=110, has_imu=False)),
    Case(
        "gaitpdb_GaCo01_01",
        "PhysioNet gaitpdb GaCo01_01 (8 force sensors per foot, 100 Hz)",
        _imported(lambda d: gaitpdb.read(d / "data" / "GaCo01_01.txt")),
        "gaitpdb",
    ),
    Case(
        "gaitpdb_JuCo09_01",
        "PhysioNet gaitpdb JuCo09_01",
        _imported(lambda d: gaitpdb.read(d / "data" / "JuCo09_01.txt")),
        "gaitpdb",
    ),
    Case(
        "gaitndd_control1",
        "PhysioNet gaitndd control1 (one foot switch per foot), read at 100 Hz",
        _imported(lambda d: gaitndd.read(d / "data" / "control1")),
        "gaitndd",
    ),
    Case(
        "ipol_1-1",
        "IPOL gait IMU record 1-1 (IMU only, dropped packets)",
        _imported(lambda d: ipol.read(d / "GaitData" / "1-1")),
        "ipol-gait-imu",
    ),
    Case(
        "gaitmap_imu_sample",
        "gaitmap example imu_sample.csv (IMU only, 102.4 Hz)",
        _imported(lambda d: gaitmap.read(d / "imu_sample.csv")),
        "gaitmap-example",
    ),
]
