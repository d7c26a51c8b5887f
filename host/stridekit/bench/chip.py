"""`stride bench --chip`: the kernel's time per sample on an ESP32, estimated.

The method is stridekit.budget.timing's (the deploy table uses it too): x86
instructions counted by valgrind in micropython-unix32, divided by the
instructions of one pystone_lowmem loop in the same binary, divided by the ESP32's
published pystone rates. Here the work counted is StepKernel.push() alone, on the
simulator's realistic sensor data, for three builds: bytecode (the plain-Python
twins), viper (stridefw.kernel_vp, compiled from source by unix32) and the deploy
build (the .mpy files `stride deploy` copies, built for x86). Each count is the
difference of two runs, samples warm..warm+count, input copying taken out with a
kernel that does nothing.

The heap is collected (gc.collect()) just before the counted samples. Bytecode
functions whose frame is over 11 words take it from the GC heap on every call, and
the allocator searches from the lowest free block, so the count depends on where
earlier allocations left holes, not only on the kernel. push() itself is viper
(stridefw.kernel_vp) and makes bytecode calls only at events, so that effect is
small for the kernel. Counted 2026-12-05 (16 / 8 cells, x86 instructions per sample,
after gc.collect()): deploy build 14.3k / 12.0k, viper 14.3k / 12.1k, bytecode
111.2k / 73.7k. The deploy table counts the App's whole turn in the heap the budget phases
reach instead (stridekit.budget.timing).

--pystone FILE counts a pystone loop again (the constant in timing.py was counted
with micropython-lib's last version of the file: timing.PYSTONE_COMMIT, PYSTONE_PATH)
and the table uses that count; without it the constant is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from stridefw import records as R
    from stridekit.bench import BenchRow

from stridekit.budget.timing import (
    PYSTONE_COMMIT,
    PYSTONE_PATH,
    PYSTONE_REPO,
    UNIX32_X86_PER_PYSTONE,
    chip_us,
    have_valgrind,
    method,
)

BUDGET_US = 500.0  # 10 % of the 5 ms sample period at 200 Hz (RATE_HZ_MAX)
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
import gc
gc.collect()
run(%(count)d)
"""


@dataclass
class ChipEstimate:
    cells: int
    build: str  # "bytecode", "viper" or "deploy build"
    x86_per_sample: float  # counted in unix32
    pystones: float  # the kernel's work per sample, in pystone loops
    low_us: float  # with the faster published rate
    high_us: float  # with the slower one
    float_ratio: float | None = None  # float kernel's instructions / this build's (counted)


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


def estimate_counted(
    rows: list[BenchRow], seconds: float, x86_per_pystone: float = UNIX32_X86_PER_PYSTONE
) -> list[ChipEstimate]:
    """Per cell count of `rows`, each build's counted instructions per sample as µs on
    an ESP32 at 240 MHz (see the module header)."""
    from stridekit.bench import REALISTIC_SENSOR, unix32
    from stridekit.sim.gait import RunnerParams, simulate
    from stridekit.sim.record import header_for

    out: list[ChipEstimate] = []
    for r in rows:
        run = simulate(
            RunnerParams(duration_s=max(seconds, 31.0), cells=r.cells, seed=7, **REALISTIC_SENSOR)  # type: ignore[arg-type]
        )
        foot = run.feet[0]
        hdr = header_for(run, foot, 1)
        flt = instructions_per_sample(hdr, foot.t_us, foot.cells, foot.imu, "python", floats=True)
        for build, emitter in (
            ("bytecode", "python"),
            ("viper", "viper"),
            ("deploy build", unix32.DEPLOY),
        ):
            ins = instructions_per_sample(hdr, foot.t_us, foot.cells, foot.imu, emitter)
            low, high = chip_us(ins, x86_per_pystone=x86_per_pystone)
            out.append(
                ChipEstimate(r.cells, build, ins, ins / x86_per_pystone, low, high, flt / ins)
            )
    return out


def print_estimate(
    console: Console, rows: list[BenchRow], pystone_file: Path | None, seconds: float = 20.0
) -> None:
    if not any(r.u32_viper_us for r in rows):
        console.print("[yellow]--chip needs ../shared/tools/micropython-unix32 (not found).[/]")
        return
    if not have_valgrind():
        console.print("[yellow]--chip needs valgrind (it counts the instructions).[/]")
        return
    per_pystone = UNIX32_X86_PER_PYSTONE
    with console.status("ESP32 estimate (valgrind instruction counts)..."):
        if pystone_file is not None:
            per_pystone = instructions_per_pystone(pystone_file)
        est = estimate_counted(rows, seconds, per_pystone)
    t = Table(title=f"ESP32 estimate, us per sample (budget {BUDGET_US:.0f} us = 10 % at 200 Hz)")
    cols = ["cells", "build", "x86/sample", "pystones/sample", "ESP32 us", "in budget"]
    cols.append("float / fixed")  # the "fixed >= 3x float" goal, in instructions
    for col in cols:
        t.add_column(col, justify="right")
    for e in est:
        ok = "yes" if e.high_us <= BUDGET_US else "no" if e.low_us > BUDGET_US else "maybe"
        row = [str(e.cells), e.build, f"{e.x86_per_sample:,.0f}", f"{e.pystones:.3f}"]
        row += [f"{e.low_us:.0f}-{e.high_us:.0f}", ok]
        row.append(f"{e.float_ratio:.2f}x" if e.float_ratio else "-")
        t.add_row(*row)
    console.print(t)
    if pystone_file is not None:
        pp = (
            f"{per_pystone:,.1f} x86 per pystone loop counted with {pystone_file} "
            f"(timing.py's constant: {UNIX32_X86_PER_PYSTONE:,.1f})"
        )
    else:
        pp = (
            f"no --pystone: the constant {UNIX32_X86_PER_PYSTONE:,.1f} x86 per pystone loop; "
            f"count it again with {PYSTONE_REPO}/blob/{PYSTONE_COMMIT}/{PYSTONE_PATH}"
        )
    console.print(
        f"Method: {method()}. Kernel push() alone, realistic sensor data, heap collected "
        f"before the counted samples (stridekit/bench/chip.py). {pp}. float / fixed: x86 "
        "instructions per sample of bench/float_kernel.py (the same work in floats, "
        "bytecode) over this build's, in the same interpreter (goal >= 3x)."
    )
