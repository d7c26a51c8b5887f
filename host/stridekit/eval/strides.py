"""Stride length and distance from foot IMUs (analysis.zupt) against real references.

References in ../shared/data (read their SOURCE.md):
* ipol-gait-imu: 19 healthy walkers, trial 1 each, Xsens foot IMUs at 100 Hz;
  the protocol is stand, walk 10 m, turn, walk back 10 m, stand: each foot
  travels the 20 m course. The course length is the reference; a foot's path
  around the turn adds to it (its strides in the turn sum to ~1.9 m per foot
  here), so this reference is good to about +-5 %, not better.
  Stances come from the data set's manually checked toe-off / heel-strike
  annotations, the way the pod has them from pressure.
* gaitmap-example imu_sample: one healthy walker, 2 x 20 m (40 m per foot),
  NilsPod at 204.8 Hz. imu_sample_ic_stride (4 x 10 m) is listed but not scored:
  its sensor never holds still in stance (least mean |gyro| per stance
  30-70 deg/s), so no zero-velocity method applies.

Per stride, one reference: gaitmap_mocap_strides.csv, next to this file, has the
motion-capture stride length of each of imu_sample's 57 strides (heel marker,
mid-stance to mid-stance), derived by tools/gaitmap_stride_lengths.py from
gaitmap's own example_data (MIT; provenance, sha256 and licence in its header).
It is the one reference here that does not come from ../shared/data or the
simulator: real stride lengths are the one thing ../shared/data lacks (it has
event times only), and a small derived table with its provenance is better than
no per-stride check.
Nothing in analysis.zupt was fitted on these files: its still-moment detectors
use gaitmap's published defaults (NormZuptDetector: 0.15 s windows, mean
|gyro| <= 15 deg/s; ShoeZuptDetector's noise variances for the stance's
stillest sample).
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from stridekit.analysis import zupt
from stridekit.eval.findings import wilson

GOAL_DISTANCE_PCT = 3.0
GOAL_STRIDE_PCT = 5.0


@dataclass
class Walk:
    """One foot's recording of one walk with a reference distance."""

    source: str
    name: str
    foot: str
    t_s: np.ndarray
    acc_m_s2: np.ndarray
    gyr_rad_s: np.ndarray
    ref_m: float
    contact_s: np.ndarray | None = None
    toe_off_s: np.ndarray | None = None
    skip: str = ""
    turn_s: tuple[float, float] | None = None  # the U-turn, from the data set


@dataclass
class WalkResult:
    source: str
    name: str
    foot: str
    method: str
    ref_m: float
    distance_m: float
    n_strides: int
    median_stride_m: float
    skip: str = ""

    @property
    def err_pct(self) -> float:
        return 100.0 * (self.distance_m - self.ref_m) / self.ref_m


def ipol_walks(root: Path) -> list[Walk]:
    """Both feet of every staged ipol-gait-imu trial (20 m course each)."""
    from stridekit.importers import ipol

    d = root / "ipol-gait-imu" / "GaitData"
    out: list[Walk] = []
    for meta_path in sorted(d.glob("*.json"), key=lambda p: ipol._key(p.stem)):  # pyright: ignore[reportPrivateUsage]
        meta = json.loads(meta_path.read_text())
        for suffix, key, foot in (
            ("lf", "LeftFootEvents", "left"),
            ("rf", "RightFootEvents", "right"),
        ):
            pc, acc, gyr, _ = ipol.read_foot_file(d / f"{meta_path.stem}_{suffix}.txt")
            t = (pc - pc[0]) / float(ipol.RATE_HZ)
            ev = np.array(meta[key], float).reshape(-1, 2) / ipol.RATE_HZ  # [toe-off, heel-strike]
            # standing before the first toe-off and after the last heel strike are stances too
            contact = np.concatenate([[t[0]], ev[:, 1]])
            toe_off = np.concatenate([ev[:, 0], [t[-1]]])
            turn = tuple(float(x) / ipol.RATE_HZ for x in meta["UTurnBoundaries"][:2])
            out.append(
                Walk("ipol", meta_path.stem, foot, t, acc, gyr, 20.0, contact, toe_off, turn_s=turn)  # type: ignore[arg-type]
            )
    return out


def gaitmap_walks(root: Path) -> list[Walk]:
    """The gaitmap example walks (40 m per foot each)."""
    from stridekit.importers import gaitmap

    d = root / "gaitmap-example"
    out: list[Walk] = []
    for name, rate, skip in (
        ("imu_sample", 204.8, ""),
        (
            "imu_sample_ic_stride",
            102.4,
            "sensor never still in stance (mean |gyro| 30-70 deg/s): no ZUPT possible",
        ),
    ):
        path = d / f"{name}.csv"
        if not path.is_file():
            continue
        for sensor, v in gaitmap.read_imu_csv(path).items():
            t = np.arange(len(v)) / rate
            foot = sensor.split("_")[0]
            out.append(
                Walk("gaitmap", name, foot, t, v[:, :3], np.radians(v[:, 3:]), 40.0, skip=skip)
            )
    return out


def _subset(st: zupt.Strides, keep: np.ndarray) -> zupt.Strides:
    return zupt.Strides(
        st.start[keep],
        st.end[keep],
        st.t_start_s[keep],
        st.t_end_s[keep],
        st.length_m[keep],
        st.rise_m[keep],
        st.max_height_m[keep],
    )


def evaluate(walks: list[Walk]) -> list[WalkResult]:
    """Each walk by each method it supports: gyro-norm still moments; stance still moments."""
    out: list[WalkResult] = []
    for w in walks:
        methods: list[tuple[str, zupt.Strides]] = []
        methods.append(("gyro norm", zupt.strides_from_imu(w.t_s, w.acc_m_s2, w.gyr_rad_s)))
        if w.contact_s is not None and w.toe_off_s is not None:
            still = zupt.still_from_stances(
                w.t_s, w.acc_m_s2, w.gyr_rad_s, w.contact_s, w.toe_off_s
            )
            st = zupt.integrate(w.t_s, w.acc_m_s2, w.gyr_rad_s, still)
            methods.append(("stance", st))
            if w.turn_s is not None:
                # the same strides less those touching the turn: a lower bound of the
                # path, as the whole path is an upper one (the course lies between)
                a, b = w.turn_s
                keep = (st.t_end_s <= a) | (st.t_start_s >= b)
                methods.append(("stance, no turn", _subset(st, keep)))
        for m, st in methods:
            med = float(np.median(st.length_m)) if len(st.length_m) else float("nan")
            out.append(
                WalkResult(
                    w.source,
                    w.name,
                    w.foot,
                    m,
                    w.ref_m,
                    st.distance_m,
                    len(st.length_m),
                    med,
                    w.skip,
                )
            )
    return out


def median_ci(x: np.ndarray, n_boot: int = 4000, seed: int = 0) -> tuple[float, float, float]:
    """Median and its 95 % bootstrap percentile interval (fixed seed: reproducible)."""
    x = np.asarray(x, float)
    if len(x) == 0:
        return float("nan"), float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    boots = np.median(rng.choice(x, size=(n_boot, len(x)), replace=True), axis=1)
    lo, hi = np.percentile(boots, [2.5, 97.5])
    return float(np.median(x)), float(lo), float(hi)


@dataclass
class Summary:
    source: str
    method: str
    n: int
    err: tuple[float, float, float]  # signed distance error %, median and 95 % CI
    abs_err: tuple[float, float, float]
    within: int  # walks within GOAL_DISTANCE_PCT

    @property
    def within_ci(self) -> tuple[float, float]:
        return wilson(self.within, self.n)


def summarise(results: list[WalkResult]) -> list[Summary]:
    out: list[Summary] = []
    keys = sorted({(r.source, r.method) for r in results if not r.skip})
    for src, m in keys:
        e = np.array(
            [r.err_pct for r in results if (r.source, r.method) == (src, m) and not r.skip]
        )
        within = int(np.count_nonzero(np.abs(e) <= GOAL_DISTANCE_PCT))
        out.append(Summary(src, m, len(e), median_ci(e), median_ci(np.abs(e)), within))
    return out


def fmt_ci(v: tuple[float, float, float]) -> str:
    m, lo, hi = v
    if math.isnan(m):
        return "-"
    return f"{m:+.1f} % [{lo:+.1f}, {hi:+.1f}]"


MOCAP_STRIDES = "gaitmap_mocap_strides.csv"
GAITMAP_RATE_HZ = 204.8
# an IMU stride belongs to the reference stride that holds this share of its time
MATCH_SHARE = 0.75


@dataclass
class RefStride:
    """One motion-capture stride: mid-stance to mid-stance, in IMU seconds."""

    s_id: int
    foot: str
    t_start_s: float
    t_end_s: float
    length_m: float


def mocap_strides() -> list[RefStride]:
    """The vendored per-stride reference of gaitmap's imu_sample (see its header)."""
    text = resources.files("stridekit.eval").joinpath(MOCAP_STRIDES).read_text()
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return [
        RefStride(
            int(r["s_id"]),
            r["foot"],
            int(r["start"]) / GAITMAP_RATE_HZ,
            int(r["end"]) / GAITMAP_RATE_HZ,
            float(r["stride_length_m"]),
        )
        for r in rows
    ]


@dataclass
class StrideMatch:
    """A reference stride and the IMU stride matched to it (None: unmatched)."""

    ref: RefStride
    method: str
    length_m: float | None

    @property
    def err_pct(self) -> float:
        if self.length_m is None:
            return float("nan")
        return 100.0 * (self.length_m - self.ref.length_m) / self.ref.length_m


def match_strides(
    refs: list[RefStride], st: zupt.Strides, method: str
) -> tuple[list[StrideMatch], int]:
    """Each reference stride with the IMU stride lying mostly inside it.

    An IMU stride matches the reference stride that holds at least MATCH_SHARE of
    its time (a stride merged over a missed still moment holds at most about half
    in either, so it matches none); of several, the one with most overlap. Returns
    one StrideMatch per reference stride and the number of IMU strides matched to
    none (extra strides: a false still moment splits a stride).
    """
    best: dict[int, tuple[float, float]] = {}  # ref index -> (overlap s, IMU length)
    extra = 0
    for s0, s1, length in zip(
        st.t_start_s.tolist(), st.t_end_s.tolist(), st.length_m.tolist(), strict=True
    ):
        dur = s1 - s0
        cands = [
            (min(s1, r.t_end_s) - max(s0, r.t_start_s), i) for i, r in enumerate(refs) if dur > 0
        ]
        ov, i = max(cands, default=(0.0, -1))
        if i < 0 or ov < MATCH_SHARE * dur:
            extra += 1
            continue
        if i in best:
            extra += 1
            if best[i][0] >= ov:
                continue
        best[i] = (ov, length)
    out = [StrideMatch(r, method, best[i][1] if i in best else None) for i, r in enumerate(refs)]
    return out, extra


def gaitmap_stances(root: Path, foot: str) -> tuple[np.ndarray, np.ndarray]:
    """Stances of one foot in imu_sample from the motion-capture events, seconds.

    Each stride's pre_ic..tc is a stance; the last stride's ic opens the final
    one, which runs to the end of the recording (the walker stands).
    """
    path = root / "gaitmap-example" / "stride_events_sample.csv"
    with path.open(newline="") as f:
        ev = [r for r in csv.DictReader(f) if r["foot"] == foot]
    contact = [float(r["pre_ic"]) for r in ev] + [float(ev[-1]["ic"])]
    toe_off = [float(r["tc"]) for r in ev] + [math.inf]
    return np.array(contact) / GAITMAP_RATE_HZ, np.array(toe_off) / GAITMAP_RATE_HZ


@dataclass
class PerStride:
    """Per-stride errors of one method against the motion-capture reference."""

    matches: list[StrideMatch]
    extra: dict[str, int]  # method -> IMU strides matched to no reference stride


def per_stride(root: Path) -> PerStride:
    """imu_sample's strides by each still-moment method, matched to the reference."""
    from stridekit.importers import gaitmap

    refs = mocap_strides()
    imu = gaitmap.read_imu_csv(root / "gaitmap-example" / "imu_sample.csv")
    matches: list[StrideMatch] = []
    extra: dict[str, int] = {}
    for sensor, v in imu.items():
        foot = sensor.split("_")[0]
        t = np.arange(len(v)) / GAITMAP_RATE_HZ
        acc, gyr = v[:, :3], np.radians(v[:, 3:])
        contact, toe_off = gaitmap_stances(root, foot)
        toe_off = np.minimum(toe_off, t[-1])
        by_method = {
            "gyro norm": zupt.strides_from_imu(t, acc, gyr),
            "stance": zupt.integrate(
                t, acc, gyr, zupt.still_from_stances(t, acc, gyr, contact, toe_off)
            ),
        }
        mine = [r for r in refs if r.foot == foot]
        for m, st in by_method.items():
            got, n_extra = match_strides(mine, st, m)
            matches += got
            extra[m] = extra.get(m, 0) + n_extra
    return PerStride(matches, extra)


@dataclass
class StrideSummary:
    method: str
    foot: str  # "left", "right" or "both"
    n_ref: int
    n_matched: int
    err: tuple[float, float, float]  # signed stride-length error %, median and 95 % CI
    abs_err: tuple[float, float, float]

    @property
    def goal(self) -> str:
        """'met' only when the whole 95 % interval of the |error| median is within the goal."""
        m, _, hi = self.abs_err
        if math.isnan(m) or m > GOAL_STRIDE_PCT:
            return "missed"
        return "met" if hi <= GOAL_STRIDE_PCT else "median met, interval crosses"


def summarise_strides(ps: PerStride) -> list[StrideSummary]:
    out: list[StrideSummary] = []
    for m in sorted({x.method for x in ps.matches}):
        for foot in ("left", "right", "both"):
            sel = [x for x in ps.matches if x.method == m and foot in ("both", x.ref.foot)]
            e = np.array([x.err_pct for x in sel if x.length_m is not None])
            out.append(StrideSummary(m, foot, len(sel), len(e), median_ci(e), median_ci(np.abs(e))))
    return out
