"""`stride calibrate PORT`: the per-cell calibration procedure over the pod's console;
and the runner's stride length for RSC speed and distance from a run of known distance.

The procedure of hardware/README.md: with the foot lifted, tare every cell
(`cal zero`, and its unloaded reading becomes the 0 N point); then put each known
mass, centred on each cell's disc, and read the raw counts (`cal raw`, the median
of several reads); the pod builds each cell's table from those (raw, force) points
with stridefw.calib.from_points (`cal set`), stores it, and every later session
header carries it, so replays use exactly the tables the pod used.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from statistics import median
from typing import Protocol

from stridekit.session import Session

G = 9.80665


class Console(Protocol):
    def command(self, line: str) -> str: ...


@dataclass
class CalibrationResult:
    points: list[list[tuple[int, int]]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_raw(pod: Console, reads: int = 5) -> list[int]:
    """Median raw counts per cell over `reads` readings (`cal raw`)."""
    rows = []
    for _ in range(reads):
        parts = pod.command("cal raw").split()
        if parts[:2] != ["cal", "raw"]:
            raise ValueError(f"unexpected reply to cal raw: {' '.join(parts)}")
        rows.append([int(x) for x in parts[2:]])
    return [round(median(col)) for col in zip(*rows, strict=True)]


def calibrate(
    pod: Console,
    masses_kg: list[float],
    ask: Callable[[str], None],
    reads: int = 5,
) -> CalibrationResult:
    """Run the procedure; `ask` shows an instruction and waits until it is done."""
    if not masses_kg or any(m <= 0 for m in masses_kg):
        raise ValueError("give one or more positive masses in kg")
    res = CalibrationResult()
    ask("Lift the foot: nothing may touch the insole.")
    pod.command("cal zero")
    unloaded = read_raw(pod, reads)
    for cell, raw0 in enumerate(unloaded):
        pts = [(raw0, 0)]
        for m in sorted(masses_kg):
            ask(
                f"Put {m:g} kg centred on cell {cell} (see the insole template), nothing else loaded."
            )
            raw = read_raw(pod, reads)[cell]
            force_dn = round(m * G * 10)
            if raw <= pts[-1][0]:
                res.warnings.append(
                    f"cell {cell}: {m:g} kg read {raw} counts, not above {pts[-1][0]}; point skipped "
                    "(cell dead, mass off the disc, or saturated?)"
                )
                continue
            pts.append((raw, force_dn))
        if len(pts) < 2:
            res.warnings.append(f"cell {cell}: no usable point, table left as it was")
            res.points.append(pts)
            continue
        spec = ",".join(f"{r}:{f}" for r, f in pts if r > 0)
        pod.command(f"cal set {cell} {spec}")
        res.points.append(pts)
    return res


@dataclass
class StrideCalibration:
    """The runner's stride length for the pod's RSC, from a run of known distance."""

    stride_mm: int
    strides: dict[str, int]  # per foot: strides the pod's RSC counts in the run
    warnings: list[str] = field(default_factory=list)


def stride_for_distance(sessions: Sequence[Session], distance_m: float) -> StrideCalibration:
    """`stride calibrate --distance M`: the stride length that makes the pod's RSC
    distance of this run equal M (a watch's foot-pod calibration factor).

    Strides are counted exactly as stridefw.rsc counts them (a step with a swing and a
    stride time of 0.25-3 s), so the calibrated pod sums this run's strides to M.

    Raises:
        ValueError: no distance, or no foot with strides to count.
    """
    from stridefw import rsc

    if not distance_m > 0 or distance_m > 1_000_000:
        raise ValueError("give the run's distance in metres (> 0)")
    res = StrideCalibration(0, {})
    for s in sessions:
        r = rsc.Rsc()
        n = sum(1 for st in s.steps if r.step(st.stance_us, st.swing_us))
        if n:
            res.strides[s.foot] = n
        else:
            res.warnings.append(f"{s.foot}: no strides the pod would count")
    if not res.strides:
        raise ValueError("no strides in these sessions: record a run first")
    n_mean = sum(res.strides.values()) / len(res.strides)
    counts = sorted(res.strides.values())
    if counts[-1] - counts[0] > 2:
        res.warnings.append(
            f"the feet counted {counts[0]} and {counts[-1]} strides: a pod missed part of the run"
        )
    stride_mm = round(1000 * distance_m / n_mean)
    if not 300 <= stride_mm <= 4000:
        raise ValueError(
            f"{distance_m:g} m over {n_mean:.0f} strides is {stride_mm} mm a stride: "
            "not a run of that distance"
        )
    res.stride_mm = stride_mm
    return res
