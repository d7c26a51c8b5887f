"""What `stride eval --real` measures: per-foot results, goals and walk balance.

Plain dataclasses, picklable (the per-record work runs in a process pool), shared by
the evaluation (eval.real), the goals (eval.goals) and the tables (eval.real_tables).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from stridekit.eval.matching import EventStats

# matching tolerance per reference, from how exact that reference is (eval.real)
TOL_S = {"gaitpdb": 0.10, "gaitndd": 0.20, "ipol": 0.15, "gaitmap": 0.10}
REFERENCE = {
    "gaitpdb": "offline reference detector (stridekit.importers.refdetect, source 4)",
    "gaitndd": "dataset authors' .ts stride times (source 2)",
    "ipol": "published IMU detectors' events, checked by hand (source 1)",
    "gaitmap": "motion capture (source 3)",
}
IMU_NOT_AVAILABLE = "not available: the kernel found no IMU-only steps"
# Datasets recorded faster than the pod samples are also run at their own rate (the
# same kernel, every source sample): the difference between the two passes is what
# the pod's sampling rate costs, the source-rate pass is the kernel's own accuracy.
SOURCE = "@source"
SOURCE_RATE_HZ = {"gaitndd": 300.0, "gaitmap": 204.8}
# gaitmap's second recording (imu_sample_ic_stride) is 102.4 Hz at the source: both
# passes read the same samples of it, so its share of the pool does not change
SOURCE_RATE_NOTE = {"gaitmap": " (imu_sample_ic_stride: 102.4 Hz, the same in both passes)"}
# A stretch between two reference contacts of one foot longer than this is not
# annotated walking (a stride of slow healthy walking takes ~1.4 s, of very slow
# pathological walking up to ~2 s): the kernel's steps there are not scored.
IMU_COVER_GAP_S = 2.5
FOOT = ("L", "R")


def base_name(key: str) -> str:
    """The dataset of a results key ('gaitndd@source' -> 'gaitndd')."""
    return key.removesuffix(SOURCE)


def rate_label(key: str) -> str:
    if key.endswith(SOURCE):
        ds = base_name(key)
        return f"{SOURCE_RATE_HZ[ds]:g} Hz, the source's rate{SOURCE_RATE_NOTE.get(ds, '')}"
    return "100 Hz, the pod's rate"


@dataclass
class FootResult:
    """Everything measured on one foot of one record (picklable, for a process pool)."""

    dataset: str
    record: str
    group: str
    foot: int
    n_samples: int
    n_steps: int
    contact: EventStats | None = None  # None: no reference event times for this foot
    toe_off: EventStats | None = None
    stride: EventStats | None = None  # gaitndd: strides (n_ref rows, errors stride time)
    flags: int = 0  # kernel session flags at the end
    fault_cells: int = 0  # cells ever reported faulty (bit i = cell i)
    invalid_samples: int = 0
    dropped_packets: int = 0
    steps_in_invalid: int = 0  # kernel contacts inside spans of invalid source samples
    start_steps: int = 0  # steps whose contact is the first sample (never observed)
    excluded_rows: int = 0  # reference rows left unscored (invalid source samples)
    impulse_dnms: list[int] = field(default_factory=list)
    peak_dn: list[int] = field(default_factory=list)
    loading_n_s: list[int] = field(default_factory=list)
    stance_us: list[int] = field(default_factory=list)
    raw_impulse_ns: float = math.nan  # gaitpdb: integral of the published total force
    notes: list[str] = field(default_factory=list)
    imu_missing: int = 0  # samples the kernel saw without an IMU packet
    # the same samples through the kernel inside MicroPython: Step/Flag records and
    # counters identical to CPython (None: not run; see mpy_error)
    mpy_identical: bool | None = None
    mpy_error: str = ""


@dataclass
class Goal:
    dataset: str
    name: str
    target: str
    value: float
    met: bool | None  # None: not measurable yet
    reference: str
    unit: str = ""


@dataclass
class GroupEffect:
    metric: str
    mean_pd: float
    sd_pd: float
    n_pd: int
    mean_co: float
    sd_co: float
    n_co: int
    hedges_g: float
    ci95: tuple[float, float]


@dataclass
class WalkBalance:
    record: str
    group: str
    usual: bool
    left_share_pm: float  # kernel impulses
    raw_left_share_pm: float  # published force integral
    si_pm: dict[str, int]


@dataclass
class RealReport:
    """All figures of one `eval_real` run."""

    results: dict[str, list[FootResult]] = field(default_factory=dict)
    goals: list[Goal] = field(default_factory=list)
    balance: list[WalkBalance] = field(default_factory=list)
    effects: list[GroupEffect] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def goals_met(self) -> bool:
        """True when every measurable goal is met and MicroPython matched where it ran."""
        mpy_ok = all(r.mpy_identical is not False for res in self.results.values() for r in res)
        return mpy_ok and all(g.met is not False for g in self.goals)
