"""`stride bench --chip`: the kernel's time per sample on an ESP32, estimated.

Method. There is no board in the loop, so the kernel's work is expressed in pystones
on a 32-bit MicroPython (micropython-unix32) and scaled by the ESP32's published
pystone_lowmem rates at 240 MHz (ESP32_PYSTONES, cited):

    chip us/sample = (instructions per sample / instructions per pystone)
                     / (ESP32 pystones/s) x 1e6

Both instruction counts come from valgrind (callgrind) on the same interpreter, as
the difference of two runs (so start-up and input copying cancel): they do not
depend on how busy the machine is, and the same commit gives the same figure. The
pystone file is not shipped (micropython-lib's, removed there in 2022; PyPI
micropython-pystone_lowmem has it): pass it with --pystone. The published rates were
measured with that file, so any other benchmark would not match them. Without
valgrind, wall-clock times (best of several passes) stand in for the counts.

Uncertainty, stated with the figure: the two published rates differ by 1.5x
(firmware versions and builds); on top, pystone measures the bytecode interpreter,
while viper code is machine code whose speed follows the CPU (x86 vs Xtensa LX6)
rather than the interpreter, and the ESP32 runs from external flash through a cache.
Take the range as good to about a factor of 2.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from stridefw import records as R
    from stridekit.bench import BenchRow

# (pystones/s at 240 MHz, source) for pystone_lowmem on MicroPython/ESP32
ESP32_PYSTONES: tuple[tuple[float, str], ...] = (
    (
        1075.0,
        "github.com/v923z/micropython-ulab issue 296 (2021): ESP32, pystone_lowmem, "
        "firmware built without ulab",
    ),
    (
        1661.0,
        "github.com/micropython/micropython issue 5673 (2020): ESP32 at 240 MHz, "
        "MicroPython v1.12 release, pystone_lowmem",
    ),
)
BUDGET_US = 500.0  # 10 % of the 5 ms sample period at 200 Hz (RATE_HZ_MAX)
_LOOPS = 20000
_RATE = re.compile(r"benchmarks at ([0-9.]+) pystones/second")
_COLLECTED = re.compile(r"Collected : ([0-9]+)")
_CALLGRIND = ("valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null")

# Pushes the first COUNT samples through the kernel (or a kernel that does nothing,
# to take the input copying out), as stridekit.mpy.kernel_run builds it; MAKE is the
# kernel: StepKernel, or bench/float_kernel.py's FloatKernel (the same work in floats).
_FIXED = "kernel.StepKernel(layouts.by_id(layout_id), cal, foot, has_imu == 1, bw)"
_FLOAT = (
    "__import__('float_kernel').FloatKernel([x / 10 for x in layouts.by_id(layout_id).x_dmm], "
    "[y / 10 for y in layouts.by_id(layout_id).y_dmm], layouts.by_id(layout_id).zone)"
)
_PUSH = r"""
import array, struct
from stridefw import calib, kernel, layouts, records
raw = open("/samples.bin", "rb").read()
n, nc, has_imu, layout_id, foot, bw = struct.unpack_from("<IBBBBH", raw, 0)
o = 10
t = array.array("i", raw[o:o + 4 * n]); o += 4 * n
cells_all = array.array("H", raw[o:o + 2 * n * nc]); o += 2 * n * nc
imu_all = array.array("h", raw[o:o + 12 * n])
raw = None
hdr = records.SessionHeader.from_bytes(open("/header.bin", "rb").read())
cal = calib.Calibration.from_bytes(hdr.calib) if hdr.calib else calib.nominal(nc)
class Null:
    def push(self, a, b, c):
        return 0
k = Null() if %(null)d else %(make)s
cells = array.array("H", bytes(2 * nc))
imu = array.array("h", bytes(12))
def run(count):
    for i in range(count):
        b = i * nc
        for c in range(nc):
            cells[c] = cells_all[b + c]
        b = i * 6
        for c in range(6):
            imu[c] = imu_all[b + c]
        k.push(t[i], cells, imu)
run(%(count)d)
"""


@dataclass
class ChipEstimate:
    cells: int
    build: str  # "bytecode", "viper" or "deploy build"
    unix32_us: float  # wall clock on this host (for reference)
    pystones: float  # the kernel's work per sample, in pystone loops
    low_us: float  # with the faster published rate
    high_us: float  # with the slower one
    float_ratio: float | None = None  # float kernel's instructions / this build's (counted)


def have_valgrind() -> bool:
    return shutil.which("valgrind") is not None


def _instructions(
    script: str, inputs: dict[str, bytes], emitter: str, mods: tuple[Path, ...]
) -> int:
    from stridekit.bench import unix32

    out, _ = unix32.run(script, inputs, emitter, modules=mods, wrapper=_CALLGRIND)
    m = _COLLECTED.search(out)
    if m is None:
        raise RuntimeError(f"valgrind printed no instruction count: {out[-300:]!r}")
    return int(m.group(1))


def instructions_per_pystone(pystone_file: Path, loops: int = 1000) -> float:
    """x86 instructions of one pystone loop in micropython-unix32 (2L minus L loops)."""
    script = "import pystone_lowmem\npystone_lowmem.main(%d)\n"
    mods = (pystone_file,)
    a = _instructions(script % loops, {}, "python", mods)
    b = _instructions(script % (2 * loops), {}, "python", mods)
    return (b - a) / loops


def instructions_per_sample(
    header: R.SessionHeader,
    t_us: np.ndarray,
    cells: np.ndarray,
    imu: np.ndarray | None,
    emitter: str,
    warm: int = 1000,
    count: int = 2000,
    floats: bool = False,
) -> float:
    """x86 instructions of one push() in micropython-unix32, samples warm..warm+count,
    input copying taken out with a kernel that does nothing. floats: the float kernel
    (bench/float_kernel.py, bytecode) instead of StepKernel."""
    from stridekit.mpy.kernel_run import pack_samples

    end = warm + count
    if len(t_us) < end:
        raise ValueError(f"need {end} samples, have {len(t_us)}")
    packed = pack_samples(header, t_us[:end], cells[:end], imu[:end] if imu is not None else None)
    inputs = {"/samples.bin": packed, "/header.bin": header.to_bytes()}

    make = _FLOAT if floats else _FIXED
    mods = (Path(__file__).with_name("float_kernel.py"),) if floats else ()

    def n(null: int, upto: int) -> int:
        script = _PUSH % {"null": null, "count": upto, "make": make}
        return _instructions(script, inputs, emitter, mods)

    kernel = n(0, end) - n(0, warm)
    feed = n(1, end) - n(1, warm)
    return (kernel - feed) / count


def host_pystones(pystone_file: Path, repeats: int = 3) -> float:
    """pystones/s of micropython-unix32 on this host (wall clock): best of `repeats`."""
    from stridekit.bench import unix32

    script = f"import pystone_lowmem\npystone_lowmem.main({_LOOPS})\n"
    best = 0.0
    for _ in range(repeats):
        out, _ = unix32.run(script, {}, "python", modules=(pystone_file,))
        m = _RATE.search(out)
        if m is None:
            raise ValueError(f"{pystone_file}: no pystone rate in its output: {out[:200]!r}")
        best = max(best, float(m.group(1)))
    return best


def _range(pystones: float) -> tuple[float, float]:
    fast = max(r for r, _ in ESP32_PYSTONES)
    slow = min(r for r, _ in ESP32_PYSTONES)
    return pystones / fast * 1e6, pystones / slow * 1e6


def estimate(rows: list[BenchRow], host_rate: float) -> list[ChipEstimate]:
    """From wall-clock times: pystones per sample = us x host pystones/s / 1e6."""
    out: list[ChipEstimate] = []
    for r in rows:
        for build, us in (
            ("bytecode", r.u32_bytecode_us),
            ("viper", r.u32_viper_us),
            ("deploy build", r.u32_deploy_us),
        ):
            if us is not None:
                ps = us * host_rate / 1e6
                out.append(ChipEstimate(r.cells, build, us, ps, *_range(ps)))
    return out


def estimate_counted(
    rows: list[BenchRow], pystone_file: Path, seconds: float
) -> list[ChipEstimate]:
    """From valgrind instruction counts (see the module header)."""
    from stridekit.bench import REALISTIC_SENSOR, unix32
    from stridekit.sim.gait import RunnerParams, simulate
    from stridekit.sim.record import header_for

    per_pystone = instructions_per_pystone(pystone_file)
    out: list[ChipEstimate] = []
    for r in rows:
        run = simulate(
            RunnerParams(duration_s=max(seconds, 31.0), cells=r.cells, seed=7, **REALISTIC_SENSOR)  # type: ignore[arg-type]
        )
        foot = run.feet[0]
        hdr = header_for(run, foot, 1)
        flt = instructions_per_sample(hdr, foot.t_us, foot.cells, foot.imu, "python", floats=True)
        for build, emitter, us in (
            ("bytecode", "python", r.u32_bytecode_us),
            ("viper", "viper", r.u32_viper_us),
            ("deploy build", unix32.DEPLOY, r.u32_deploy_us),
        ):
            ins = instructions_per_sample(hdr, foot.t_us, foot.cells, foot.imu, emitter)
            ps = ins / per_pystone
            out.append(ChipEstimate(r.cells, build, us or float("nan"), ps, *_range(ps), flt / ins))
    return out


def print_estimate(
    console: Console, rows: list[BenchRow], pystone_file: Path | None, seconds: float = 20.0
) -> None:
    if pystone_file is None:
        console.print(
            "[yellow]--chip needs --pystone PATH: micropython-lib's pystone_lowmem.py, the "
            "benchmark the published ESP32 rates were measured with (not shipped here).[/]"
        )
        return
    if not any(r.u32_viper_us for r in rows):
        console.print("[yellow]--chip needs ../shared/tools/micropython-unix32 (not found).[/]")
        return
    counted = have_valgrind()
    with console.status("ESP32 estimate (valgrind instruction counts)..."):
        if counted:
            est = estimate_counted(rows, pystone_file, seconds)
            basis = "valgrind instruction counts in micropython-unix32 (load-independent)"
        else:
            host = host_pystones(pystone_file)
            est = estimate(rows, host)
            basis = f"wall clock (no valgrind): unix32 at {host:,.0f} pystones/s on this host"
    t = Table(title=f"ESP32 estimate, us per sample (budget {BUDGET_US:.0f} us = 10 % at 200 Hz)")
    cols = ["cells", "build", "unix32 us", "pystones/sample", "ESP32 us", "in budget"]
    if counted:
        cols.append("float / fixed")  # the "fixed >= 3x float" goal, in instructions
    for col in cols:
        t.add_column(col, justify="right")
    for e in est:
        ok = "yes" if e.high_us <= BUDGET_US else "no" if e.low_us > BUDGET_US else "maybe"
        row = [str(e.cells), e.build, f"{e.unix32_us:.1f}", f"{e.pystones:.3f}"]
        row += [f"{e.low_us:.0f}-{e.high_us:.0f}", ok]
        if counted:
            row.append(f"{e.float_ratio:.2f}x" if e.float_ratio else "-")
        t.add_row(*row)
    console.print(t)
    console.print(
        f"Basis: {basis}. ESP32 at 240 MHz: "
        + "; ".join(f"{r:,.0f}/s ({src})" for r, src in ESP32_PYSTONES)
        + ". Range = the two published rates; trust it to about 2x (stridekit/bench/chip.py: "
        "viper code follows the CPU, not the interpreter; flash cache)."
        + (
            " float / fixed: x86 instructions per sample of bench/float_kernel.py (the same "
            "work in floats, bytecode) over this build's, in the same interpreter (goal >= 3x)."
            if counted
            else ""
        )
    )
