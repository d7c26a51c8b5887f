"""Flash per step and per raw sample in the pod's storage format, over several runners.

The pod's store (stridefw.store) frames Steps in StepBlocks and raw samples in
SampleBlocks. Here simulated runners (realistic sensor model; seeds other than the one
the block sizes were chosen on) are recorded through the same codec and the bytes a pod
would write are counted: frames as the store lays them out (consecutive frames share
their 0x00 delimiter), RefEvents (simulator ground truth) left out. Each figure is the
mean over runners with its 95 % bootstrap interval.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from stridefw import records as R
from stridekit.budget.sizes import pod_bytes

FS_BYTES = 2 * 1024 * 1024  # the file system a 4 MB ESP32 leaves beside the firmware
STRIDES_PER_MIN_PER_FOOT = 90  # the goal's pace: 90 steps of each foot a minute
# runners none of the format's choices were made on (version 2's on seed 3, versions
# 3's and 4's on seeds 11-14); 16 of them: one runner's figure moves by a point or more
SEEDS = tuple(range(19, 35))
RUN_S = 120.0
RATE_HZ = 100

Interval = tuple[float, float, float]  # mean, 95 % interval low, high


@dataclass
class StorageFigures:
    bytes_per_step: Interval  # steps-only recording: what grows with the run, per step
    bytes_per_step_single: Interval  # the same with one Step record per step (before)
    session_fixed_bytes: Interval  # SessionHeader, Notes, SessionEnd: once per session
    hours_steps: Interval  # FS_BYTES of steps-only recording at STRIDES_PER_MIN_PER_FOOT
    raw_pct: dict[int, Interval]  # SampleBlock bytes per sample, % of the Sample payload
    raw_bytes_per_sample: dict[int, Interval]
    # residual_entropy_bytes of the time (grid offsets), cell and IMU channels, % of the
    # Sample payload: what one code per channel cannot beat (no block or frame
    # overhead counted)
    raw_entropy_pct: dict[int, Interval]
    runners: int
    # the same on real recordings (gaitpdb control walks: 8 force cells, no IMU), when
    # the shared data are given: (figure, files, feet)
    raw_real_pct: tuple[Interval, int, int] | None = None


def mean_ci(x: list[float], n_boot: int = 4000, seed: int = 0) -> Interval:
    """Mean and its 95 % bootstrap percentile interval (fixed seed: reproducible)."""
    a = np.asarray(x, float)
    rng = np.random.default_rng(seed)
    boots = rng.choice(a, size=(n_boot, len(a)), replace=True).mean(axis=1)
    lo, hi = np.percentile(boots, [2.5, 97.5])
    return float(a.mean()), float(lo), float(hi)


def _second_difference(c: np.ndarray) -> np.ndarray:
    # the residual of the linear predictor 2 * previous - the one before
    return c[2:] - 2 * c[1:-1] + c[:-2]


def residual_entropy_bytes(channels: np.ndarray) -> float:
    """Bytes per sample of the order-0 entropy of per-channel prediction residuals.

    channels: samples x channels. Each channel is taken as it is, or predicted from
    the sample before (first difference) or the two before (second difference),
    whichever leaves the lower order-0 entropy over the whole run: the SampleBlock's
    predictors 0, 1 and 2. A coder with one code per channel cannot beat the sum; one
    that adapts within the run (swing and stance differ), as the SampleBlock's
    sub-blocks do, can beat it somewhat, so it is an estimate of what lossless coding
    of this kind needs, not a bound."""
    x = np.asarray(channels, np.int64)
    total_bits = 0.0
    for j in range(x.shape[1]):
        c = x[:, j]
        best = np.inf
        for r in (c, np.diff(c), _second_difference(c)):
            _, n = np.unique(r, return_counts=True)
            p = n / n.sum()
            best = min(best, float(-(p * np.log2(p)).sum()))
        total_bits += best
    return total_bits / 8


def _runner(seed: int, cells: int):  # -> SimRun
    from stridekit.sim.corpus import with_realistic_sensors
    from stridekit.sim.gait import RunnerParams, simulate

    rng = np.random.default_rng(seed)
    p = RunnerParams(
        duration_s=RUN_S,
        rate_hz=RATE_HZ,
        cells=cells,
        seed=seed,
        speed_m_s=float(rng.uniform(2.5, 4.5)),
        cadence_spm=float(rng.uniform(155.0, 185.0)),
    )
    return simulate(with_realistic_sensors(p, rng))


def sample_block_bytes(data: bytes) -> int:
    """Bytes a session file's SampleBlocks take in the pod's store: each frame, less the
    0x00 delimiter the frame before it supplies."""
    recs, _ = R.decode_all(data)
    enc = R.Encoder()
    return sum(
        len(enc.encode(r.rtype, r.seq, r.payload, r.version)) - 1
        for r in recs
        if r.rtype == R.REC_SAMPLE_BLOCK
    )


# gaitpdb control walks, in name order: both feet of each. Version 4's params code was
# chosen on the first 4 (it keeps them as small as version 3 did)
REAL_FILES = 12


def real_raw_pct(
    data_dir: Path, progress: Callable[[str], None] = lambda _: None
) -> tuple[Interval, int, int] | None:
    """SampleBlock bytes per sample, % of the Sample payload, over real recordings as
    `stride import` writes them (gaitpdb control walks, 8 force cells at 100 Hz, no
    IMU); None without the data."""
    from stridekit.importers import gaitpdb
    from stridekit.importers.common import header_for, record_foot

    root = data_dir / "gaitpdb"
    if not root.is_dir():
        return None
    files = [f for f in sorted(gaitpdb.find(root)) if "Co" in f.name][:REAL_FILES]
    pct: list[float] = []
    for f in files:
        progress(f"storage: real walk {f.name}")
        rec = gaitpdb.read(f)
        for foot in rec.feet:
            hdr = header_for(rec, foot, 1)
            data, _ = record_foot(rec, foot, hdr)
            has_imu = foot.imu is not None
            b_sample = sample_block_bytes(data) / len(foot.t_us)
            pct.append(100.0 * b_sample / R.sample_len(hdr.n_cells, has_imu))
    if not pct:
        return None
    return mean_ci(pct), len(files), len(pct)


def measure(
    progress: Callable[[str], None] = lambda _: None, real: Path | None = None
) -> StorageFigures:
    """The figures over len(SEEDS) simulated runners, 8 and 16 cells (and real walks
    from the shared data root `real`, when given)."""
    from stridekit.sim.record import record_foot

    per_step: list[float] = []
    per_step_single: list[float] = []
    fixed: list[float] = []
    hours: list[float] = []
    raw_pct: dict[int, list[float]] = {8: [], 16: []}
    raw_b: dict[int, list[float]] = {8: [], 16: []}
    raw_h: dict[int, list[float]] = {8: [], 16: []}
    for cells in (8, 16):
        for seed in SEEDS:
            progress(f"storage: {cells} cells, runner {seed}")
            run = _runner(seed, cells)
            foot = run.feet[0]
            if cells == 8:
                steps_only = record_foot(run, foot, 1, raw=False)
                b, fx, n = pod_bytes(steps_only)
                b1, _, _ = pod_bytes(steps_only, step_blocks=False)
                per_step.append(b / n)
                per_step_single.append(b1 / n)
                fixed.append(fx)
                # one session filling the file system (its fixed bytes once)
                hours.append((FS_BYTES - fx) / (b / n) / (STRIDES_PER_MIN_PER_FOOT * 60))
            b_sample = sample_block_bytes(record_foot(run, foot, 1, raw=True)) / len(foot.t_us)
            raw_b[cells].append(b_sample)
            raw_pct[cells].append(100.0 * b_sample / R.sample_len(cells, True))
            imu = foot.imu if foot.imu is not None else np.zeros((len(foot.t_us), 0))
            # the times as offsets from the sampling grid: their values are the
            # offsets (versions 3 and 4), their first differences the dt_us (version 2)
            t = foot.t_us.astype(np.int64)
            grid = t - t[0] - np.arange(len(t)) * (1_000_000 // RATE_HZ)
            channels = np.hstack([grid[:, None], foot.cells, imu])
            h = residual_entropy_bytes(channels)
            raw_h[cells].append(100.0 * h / R.sample_len(cells, True))
    return StorageFigures(
        mean_ci(per_step),
        mean_ci(per_step_single),
        mean_ci(fixed),
        mean_ci(hours),
        {c: mean_ci(v) for c, v in raw_pct.items()},
        {c: mean_ci(v) for c, v in raw_b.items()},
        {c: mean_ci(v) for c, v in raw_h.items()},
        len(SEEDS),
        real_raw_pct(real, progress) if real is not None else None,
    )


def lines(f: StorageFigures) -> list[str]:
    """The figures as text, each with its interval and goal."""

    def ci(v: Interval, fmt: str = "{:.1f}") -> str:
        return f"{fmt.format(v[0])} (95 % CI {fmt.format(v[1])}-{fmt.format(v[2])})"

    out = [
        f"Storage on the pod's flash, {f.runners} simulated runners x {RUN_S:.0f} s "
        f"(realistic sensors, {RATE_HZ} Hz):",
        f"  steps only: {ci(f.bytes_per_step)} B per step, everything that grows with the run "
        f"(one Step record each: {ci(f.bytes_per_step_single)}); goal <= 32",
        f"  plus once per session (header with calibration, notes, end): "
        f"{ci(f.session_fixed_bytes, '{:.0f}')} B",
        f"  steps in {FS_BYTES // (1024 * 1024)} MiB at {STRIDES_PER_MIN_PER_FOOT} strides/min "
        f"per foot: {ci(f.hours_steps)} h; goal >= 12",
    ]
    for c in sorted(f.raw_pct):
        out.append(
            f"  raw samples, {c} cells + IMU: {ci(f.raw_bytes_per_sample[c])} B per sample, "
            f"{ci(f.raw_pct[c])} % of the {R.sample_len(c, True)}-B Sample payload; goal <= 40 %"
        )
        out.append(
            f"    order-0 entropy of per-channel residuals, time included (each channel's "
            f"best of values, 1st, 2nd differences over the run; no block or frame "
            f"overhead): {ci(f.raw_entropy_pct[c])} %"
        )
    if f.raw_real_pct is not None:
        v, files, feet = f.raw_real_pct
        out.append(
            f"  raw samples, real walks ({feet} feet of {files} gaitpdb controls: 8 force cells, "
            f"no IMU, as `stride import` writes them): {ci(v)} % of the Sample payload"
        )
    return out


if __name__ == "__main__":
    import sys

    print("\n".join(lines(measure(print, Path(sys.argv[1]) if len(sys.argv) > 1 else None))))
