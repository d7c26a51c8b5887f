"""`stride bench`: how fast a session file replays on the host, and in how much memory.

Speed is real time per foot stream per core (one process, one core): a 100 Hz foot
stream of D seconds replayed in T seconds is D / T x. Beside the total (stride
replay's windowed path) it shows the kernel alone (replay.run_kernel over arrays
already in memory) and the windowed path without the kernel (reading, framing,
decoding: replay_stream.decode_only). Memory is the peak resident set size of `stride sim` and of
`stride replay` run as child processes (each child's VmHWM), so nothing this
process holds counts. Figures, not tests: nothing here asserts a time.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from stridekit import native
from stridekit.bench.best import REPEATS, best_s
from stridekit.fastframes import FastFrameDecoder, iter_file_records
from stridekit.replay import kernel_for, run_kernel
from stridekit.replay_stream import decode_only, stream_replay
from stridekit.session import read_sessions
from stridekit.sim.gait import RunnerParams, simulate
from stridekit.sim.record import write_run

GOAL_X = 2000.0  # real time per foot stream per core
GOAL_RSS_MB = 500.0  # a 5 h two-foot 100 Hz run, simulated and replayed
MEMORY_MINUTES = (2.0, 20.0, 120.0)  # stride bench --memory: replays of these lengths
ULTRA_HOURS = 5.0  # and a run this long, simulated and replayed


@dataclass
class ReplaySpeed:
    foot_s: float  # seconds of foot streams replayed (both feet)
    framing_x: float  # reading the file and checking frames only
    decode_x: float  # the windowed path without the kernel
    kernel_x: float
    total_x: float  # stride replay's streamed path, end to end


@dataclass
class ReplayMemory:
    minutes: float
    sim_rss_mb: float | None  # None: not measured (the file was simulated here)
    replay_rss_mb: float
    file_mb: float
    streamed: bool


def measure_speed(seconds: float, workdir: Path) -> ReplaySpeed:
    """A simulated two-foot run of `seconds`, replayed as `stride replay` does."""
    path = workdir / "speed.strd"
    write_run(simulate(RunnerParams(duration_s=seconds, seed=11)), path)
    sessions = read_sessions(path)
    foot_s = sum(len(s.sample_t_us) for s in sessions) / 100.0

    def kernel_only() -> None:
        for s in sessions:
            run_kernel(kernel_for(s.header), s.sample_t_us, s.cells, s.imu, s.imu_present)

    def framing_only() -> None:
        for _ in iter_file_records(path, FastFrameDecoder()):
            pass

    t_kernel = best_s(kernel_only, clock=time.process_time)
    t_total = best_s(lambda: stream_replay(path), clock=time.process_time)
    t_decode = best_s(lambda: decode_only(path), clock=time.process_time)
    t_frames = best_s(framing_only, clock=time.process_time)
    return ReplaySpeed(
        foot_s,
        framing_x=foot_s / t_frames,
        decode_x=foot_s / t_decode,
        kernel_x=foot_s / t_kernel,
        total_x=foot_s / t_total,
    )


# Runs `stride` in the child and writes the child's own peak RSS (VmHWM, which starts
# afresh at exec; ru_maxrss would count the parent's pages copied by the fork) to a file
# as it exits.
_CHILD = """
import atexit, sys
peak_path = sys.argv[1]
def _peak():
    with open("/proc/self/status") as f:
        hwm = [line.split()[1] for line in f if line.startswith("VmHWM:")]
    with open(peak_path, "w") as out:
        out.write(hwm[0] if hwm else "")
atexit.register(_peak)
sys.argv = ["stride", *sys.argv[2:]]
from stridekit.cli import app
app()
"""


def _child_peak_mb(args: list[str], workdir: Path) -> tuple[float, str]:
    """Peak RSS in MB of `stride ARGS` in a child process, and what it printed."""
    out_path, err_path = workdir / "child.out", workdir / "child.err"
    hwm_path = workdir / "child.hwm"
    hwm_path.write_text("")
    with out_path.open("wb") as out, err_path.open("wb") as err:
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD, str(hwm_path), *args], stdout=out, stderr=err
        )
    if proc.returncode:
        tail = err_path.read_text(errors="replace")[-500:]
        raise RuntimeError(f"stride {' '.join(args)} failed ({proc.returncode}): {tail}")
    kib = hwm_path.read_text().strip()
    if not kib:
        raise RuntimeError("no /proc/self/status VmHWM: peak RSS is measured on Linux only")
    return int(kib) * 1024 / 1e6, out_path.read_text(errors="replace")


def measure_memory(minutes: float, workdir: Path, simulate_too: bool) -> ReplayMemory:
    """Peak RSS of `stride replay` on a two-foot 100 Hz run (and of `stride sim` making it)."""
    path = workdir / f"mem{minutes:g}.strd"
    sim_mb, _ = _child_peak_mb(["sim", "--minutes", f"{minutes:g}", "--out", str(path)], workdir)
    replay_mb, printed = _child_peak_mb(["replay", str(path), "--steps", "0"], workdir)
    size = path.stat().st_size / 1e6
    path.unlink()
    # stride replay says when it had to read a file whole (cli/main.py)
    streamed = "read whole" not in printed
    return ReplayMemory(minutes, sim_mb if simulate_too else None, replay_mb, size, streamed)


def print_replay_bench(
    console: Console, seconds: float, memory_minutes: tuple[float, ...], ultra_hours: float
) -> None:
    """The replay speed table, and (memory_minutes, ultra_hours) the peak-RSS table."""
    with tempfile.TemporaryDirectory(prefix="stride-bench-") as tmp:
        work = Path(tmp)
        with console.status("benchmarking stride replay..."):
            sp = measure_speed(seconds, work)
        t = Table(
            title=f"stride replay: x real time per foot stream per core (goal >= {GOAL_X:.0f}x)"
        )
        for col in ("foot s", "framing", "decode", "kernel", "total"):
            t.add_column(col, justify="right")
        t.add_row(
            f"{sp.foot_s:.0f}",
            f"{sp.framing_x:,.0f}x",
            f"{sp.decode_x:,.0f}x",
            f"{sp.kernel_x:,.0f}x",
            f"{sp.total_x:,.0f}x",
        )
        console.print(t)
        console.print(
            "framing = reading the file and checking every frame (stridekit.fastframes); "
            "decode = the windowed path without the kernel (replay_stream.decode_only); "
            "kernel = replay.run_kernel on samples in memory; total = stride replay's "
            "windowed path (stridekit.replay_stream). "
            f"Seconds of this process's CPU time (per core), best of {REPEATS}; "
            "a two-foot 100 Hz simulated run. "
            f"{native.status().describe()} (STRIDE_PURE_KERNEL=1: the pure modules)."
        )
        runs = [(m, False) for m in memory_minutes]
        if ultra_hours > 0:
            runs.append((ultra_hours * 60, True))
        if not runs:
            return
        m = Table(title="peak RSS, MB (child processes; two feet, 100 Hz, 8 cells, IMU)")
        for col in ("run", "file MB", "stride sim", "stride replay", "windowed"):
            m.add_column(col, justify="right")
        for minutes, ultra in runs:
            with console.status(f"stride sim + stride replay of a {minutes:g}-minute run..."):
                r = measure_memory(minutes, work, simulate_too=True)
            label = f"{minutes / 60:g} h" if ultra else f"{minutes:g} min"
            m.add_row(
                label,
                f"{r.file_mb:,.0f}",
                f"{r.sim_rss_mb:,.0f}" if r.sim_rss_mb is not None else "-",
                f"{r.replay_rss_mb:,.0f}",
                "yes" if r.streamed else "no",
            )
        console.print(m)
        console.print(
            f"Goal: a {ULTRA_HOURS:g} h two-foot 100 Hz run simulated and replayed in "
            f"< {GOAL_RSS_MB:.0f} MB each. windowed = replay read the file in windows "
            "(replay_stream); a damaged file is read whole. Peak RSS = the child's VmHWM."
        )
