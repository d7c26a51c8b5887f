"""`stride bench`: kernel speed and memory, CPython and MicroPython, fixed vs float.

Figures, not tests: nothing here asserts a time. Allocation per sample on
MicroPython is measured with gc.mem_alloc() (the tests check it is exactly 0).
The input is a simulated run with the realistic sensor model of `stride sim
--realistic` (FSR spread, hysteresis, creep, drift, 2 N preload) plus ADC noise, so
the swing pass sees what a pod sees, not an ideal 0.
"""

from __future__ import annotations

import array
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from stridefw import layouts as fw_layouts
from stridekit import mpy
from stridekit.bench.best import best_s
from stridekit.replay import kernel_for, run_kernel
from stridekit.sim.gait import RunnerParams, SimFoot, simulate
from stridekit.sim.record import header_for

_HERE = Path(__file__).resolve().parent


# `stride sim --realistic` (cli/sim.py) plus the ADC noise of tests/golden's
# realistic case: with it no sample meets the swing pass's old fixed 7-count bound
REALISTIC_SENSOR: dict[str, float] = dict(
    half_force_cv=0.06, hysteresis=0.10, creep=0.03, drift=0.02, preload_n=2.0, noise_counts=3.0
)


@dataclass
class BenchRow:
    cells: int
    py_fixed_us: float
    py_float_us: float
    mpy_fixed_us: float | None
    mpy_float_us: float | None
    mpy_fixed_bytes_per_sample: float | None
    mpy_float_bytes_per_sample: float | None
    # micropython-unix32 (32-bit x86): the kernel with its bytecode per-cell twins,
    # with the viper ones, and the float kernel (None: the tool is not here)
    u32_bytecode_us: float | None = None
    u32_viper_us: float | None = None
    u32_float_us: float | None = None
    u32_deploy_us: float | None = None  # the .mpy build stride deploy makes (native + viper)


def _feed_cost_py(foot: SimFoot) -> float:
    """Seconds spent by run_kernel's own input copying, to subtract from timings."""

    class _Null:
        gaps = bad_ticks = rejected = 0

        def push(self, _t: int, _c: object, _i: object) -> int:
            return 0

    null = _Null()
    return best_s(lambda: run_kernel(null, foot.t_us, foot.cells, foot.imu))  # type: ignore[arg-type]


def _py_fixed(foot: SimFoot, run_hdr: object) -> float:
    el = best_s(
        lambda: run_kernel(kernel_for(run_hdr), foot.t_us, foot.cells, foot.imu)  # type: ignore[arg-type]
    )
    return (el - _feed_cost_py(foot)) / len(foot.t_us) * 1e6


def _py_float(foot: SimFoot, layout: fw_layouts.Layout) -> float:
    from stridekit.bench.float_kernel import FloatKernel

    n_cells = foot.cells.shape[1]
    cbuf = array.array("H", bytes(2 * n_cells))
    ibuf = array.array("h", bytes(12))
    rows = foot.cells.tolist()
    imu_rows = foot.imu.tolist() if foot.imu is not None else None
    ticks = foot.t_us.tolist()

    def one_pass() -> None:
        # a fresh kernel per pass, as for the fixed-point one: a reused kernel would
        # start with a backwards time step and its baselines already learnt
        fk = FloatKernel(
            [x / 10 for x in layout.x_dmm], [y / 10 for y in layout.y_dmm], layout.zone
        )
        for i, tick in enumerate(ticks):
            row = rows[i]
            for c in range(n_cells):
                cbuf[c] = row[c]
            m = None
            if imu_rows is not None:
                r = imu_rows[i]
                for c in range(6):
                    ibuf[c] = r[c]
                m = ibuf
            fk.push(tick, cbuf, m)

    el = best_s(one_pass) - _feed_cost_py(foot)
    return el / len(ticks) * 1e6


_MPY_FLOAT = r"""
import array, gc, struct, time
from float_kernel import FloatKernel
from stridefw import layouts
raw = open("/samples.bin", "rb").read()
n, nc, has_imu, layout_id, foot, bw = struct.unpack_from("<IBBBBH", raw, 0)
t = array.array("i", raw[10:10 + 4 * n])
o = 10 + 4 * n
cells_all = array.array("H", raw[o:o + 2 * n * nc])
o += 2 * n * nc
imu_all = array.array("h", raw[o:o + 12 * n])
imu = array.array("h", bytes(12))
lay = layouts.by_id(layout_id)
fk = FloatKernel([x / 10 for x in lay.x_dmm], [y / 10 for y in lay.y_dmm], lay.zone)
cells = array.array("H", bytes(2 * nc))
def feed(i):
    b = i * nc
    for c in range(nc):
        cells[c] = cells_all[b + c]
    b = i * 6
    for c in range(6):
        imu[c] = imu_all[b + c]
    return fk.push(t[i], cells, imu)

class _Null:
    def push(self, a, b, c):
        return 0

def one_pass(kern):
    global fk
    fk = kern
    t0 = time.ticks_us()
    for i in range(n):
        feed(i)
    return time.ticks_diff(time.ticks_us(), t0)

def fresh():
    return FloatKernel([x / 10 for x in lay.x_dmm], [y / 10 for y in lay.y_dmm], lay.zone)

best_k = best_n = 1 << 29
for rep in range(4):
    best_n = min(best_n, one_pass(_Null()))
    best_k = min(best_k, one_pass(fresh()))
print("float", best_k - best_n, n)
fk = fresh()
gc.collect()
gc.disable()
m0 = gc.mem_alloc()
k = min(200, n)  # a short --seconds run has fewer samples
for i in range(k):
    feed(i)
print("falloc", gc.mem_alloc() - m0, k)
gc.enable()
"""


def _u32_float(foot: SimFoot, hdr: object) -> float:
    from stridekit.bench import unix32
    from stridekit.mpy.kernel_run import pack_samples

    packed = pack_samples(hdr, foot.t_us, foot.cells, foot.imu)  # type: ignore[arg-type]
    out, _ = unix32.run(
        _MPY_FLOAT, {"/samples.bin": packed}, "python", modules=(_HERE / "float_kernel.py",)
    )
    us, n = (
        int(x) for x in next(ln for ln in out.splitlines() if ln.startswith("float")).split()[1:]
    )
    return us / n


def _u32_rows(row: BenchRow, foot: SimFoot, hdr: object) -> None:
    """Best of three runs each: the shared host's load only ever makes a run slower."""
    from stridekit.bench import unix32

    try:
        for _ in range(3):
            for emitter in (*unix32.EMITTERS, unix32.DEPLOY):
                us, used = unix32.time_us(hdr, foot.t_us, foot.cells, foot.imu, emitter)  # type: ignore[arg-type]
                if used != ("viper" if emitter == unix32.DEPLOY else emitter):
                    raise RuntimeError(f"unix32 ran the {used} pass for {emitter}")
                if emitter == "viper":
                    row.u32_viper_us = min(us, row.u32_viper_us or us)
                elif emitter == unix32.DEPLOY:
                    row.u32_deploy_us = min(us, row.u32_deploy_us or us)
                else:
                    row.u32_bytecode_us = min(us, row.u32_bytecode_us or us)
            fl = _u32_float(foot, hdr)
            row.u32_float_us = min(fl, row.u32_float_us or fl)
    except unix32.Unix32Unavailable:
        pass


def _mpy_float(foot: SimFoot, hdr: object) -> tuple[float, float]:
    from stridekit.mpy.kernel_run import pack_samples

    packed = pack_samples(hdr, foot.t_us, foot.cells, foot.imu)  # type: ignore[arg-type]
    res = mpy.run(_MPY_FLOAT, {"/samples.bin": packed}, extra_dirs=[_HERE])
    lines = {ln.split()[0]: ln.split()[1:] for ln in res.stdout.splitlines() if ln.strip()}
    us, n = (int(x) for x in lines["float"])
    nbytes, cnt = (int(x) for x in lines["falloc"])
    return us / n, nbytes / cnt


def measure(seconds: float = 20.0) -> list[BenchRow]:
    from stridekit.mpy.kernel_run import alloc_mpy, time_mpy

    rows: list[BenchRow] = []
    for n_cells in (8, 16):
        run = simulate(
            RunnerParams(duration_s=seconds, cells=n_cells, seed=7, **REALISTIC_SENSOR)  # type: ignore[arg-type]
        )
        foot = run.feet[0]
        hdr = header_for(run, foot, 1)
        layout = fw_layouts.by_id(run.layout_id)
        row = BenchRow(
            n_cells, _py_fixed(foot, hdr), _py_float(foot, layout), None, None, None, None
        )
        try:
            row.mpy_fixed_us = time_mpy(hdr, foot.t_us, foot.cells, foot.imu)
            warm = min(500, len(foot.t_us) // 4)
            nbytes, _ = alloc_mpy(hdr, foot.t_us, foot.cells, foot.imu, warm, len(foot.t_us) - warm)
            row.mpy_fixed_bytes_per_sample = nbytes / (len(foot.t_us) - warm)
            row.mpy_float_us, row.mpy_float_bytes_per_sample = _mpy_float(foot, hdr)
        except mpy.MicroPythonUnavailable:
            pass
        _u32_rows(row, foot, hdr)
        rows.append(row)
    return rows


def _f(v: float | None, fmt: str = "{:.1f}") -> str:
    return "n/a" if v is None else fmt.format(v)


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def _print_path_alloc(console: Console, seconds: float) -> None:
    """Bytes allocated on the pod's whole per-sample path (bench/alloc_path.py)."""
    from stridekit.bench import alloc_path, unix32

    with console.status("allocation on the whole per-sample path (micropython-unix32)..."):
        try:
            res = alloc_path.measure(count=max(500, int(seconds * 100)))
        except unix32.Unix32Unavailable:
            console.print("whole-path allocation: n/a (../shared/tools/micropython-unix32 missing)")
            return
    t = Table(
        title=f"Whole per-sample path, recording + BLE LIVE, 8 cells (unix32): "
        f"{res.bytes_per_sample:.1f} B/sample kept, {res.allocated_per_sample:.1f} B/sample "
        f"allocated and freed again (bytecode frames over 11 words), over {res.samples} "
        f"samples, {res.steps} steps"
    )
    for col in ("part", "calls", "bytes kept", "B/call", "bytes allocated"):
        t.add_column(col, justify="right")
    for name, (nbytes, calls) in res.parts.items():
        t.add_row(
            name,
            str(calls),
            str(nbytes),
            _f(nbytes / calls if calls else None),
            str(res.allocated.get(name, 0)),
        )
    console.print(t)
    first = res.first_locked_alloc.strip().splitlines()
    console.print("first allocation under micropython.heap_lock(): " + " | ".join(first[-3:]))


def _print_storage(console: Console, real: Path | None = None) -> None:
    """Bytes per step and per raw sample in the pod's storage format (bench/storage.py)."""
    from stridekit.bench import storage

    with console.status("storage in the pod's format...") as status:
        figures = storage.measure(lambda s: status.update(s), real)
    for line in storage.lines(figures):
        console.print(line)


def run_bench(
    console: Console,
    seconds: float = 20.0,
    chip: bool = False,
    pystone: Path | None = None,
    memory: bool = False,
    real: Path | None = None,
) -> list[BenchRow]:
    """The kernel tables, then stride replay's speed (and with memory=True its peak RSS)."""
    with console.status("benchmarking the kernel (CPython and MicroPython)..."):
        rows = measure(seconds)
    t = Table(title="StepKernel: us per sample (lower is better)")
    for col in (
        "cells",
        "CPython fixed",
        "CPython float",
        "ratio",
        "wasm fixed",
        "wasm float",
        "ratio",
        "wasm B/sample fixed",
        "float",
    ):
        t.add_column(col, justify="right")
    for r in rows:
        t.add_row(
            str(r.cells),
            _f(r.py_fixed_us),
            _f(r.py_float_us),
            _f(r.py_float_us / r.py_fixed_us, "{:.2f}x"),
            _f(r.mpy_fixed_us),
            _f(r.mpy_float_us),
            _f(_ratio(r.mpy_float_us, r.mpy_fixed_us), "{:.2f}x"),
            _f(r.mpy_fixed_bytes_per_sample, "{:.2f}"),
            _f(r.mpy_float_bytes_per_sample, "{:.1f}"),
        )
    console.print(t)
    u = Table(title="micropython-unix32 (32-bit x86, the build that runs viper): us per sample")
    for col in ("cells", "bytecode", "viper", "speed-up", "deploy build", "float", "float / viper"):
        u.add_column(col, justify="right")
    for r in rows:
        u.add_row(
            str(r.cells),
            _f(r.u32_bytecode_us),
            _f(r.u32_viper_us),
            _f(_ratio(r.u32_bytecode_us, r.u32_viper_us), "{:.2f}x"),
            _f(r.u32_deploy_us),
            _f(r.u32_float_us),
            _f(_ratio(r.u32_float_us, r.u32_viper_us), "{:.2f}x"),
        )
    console.print(u)
    console.print(
        "Input: a simulated run with the realistic sensor model (REALISTIC_SENSOR). fixed = "
        "stridefw.kernel.StepKernel; float = bench/float_kernel.py, the same work in floats "
        "(see its header for what differs). Ratio = float time / fixed time. wasm = the official "
        "WebAssembly build under node (bytecode twins: it has no viper). unix32 = "
        "../shared/tools/micropython-unix32; bytecode = the plain-Python per-cell twins, viper = "
        "stridefw.kernel_vp, deploy build = stride deploy's .mpy files for x86 (its native modules "
        "and kernel_vp). Timings on a shared machine: best of several passes."
    )
    _print_path_alloc(console, seconds)
    _print_storage(console, real)
    if chip:
        from stridekit.bench.chip import print_estimate

        print_estimate(console, rows, pystone, seconds)
    from stridekit.bench.replay import MEMORY_MINUTES, ULTRA_HOURS, print_replay_bench

    print_replay_bench(
        console,
        REPLAY_SECONDS_PER_SECOND * seconds,
        MEMORY_MINUTES if memory else (),
        ULTRA_HOURS if memory else 0.0,
    )
    return rows


# stride replay's speed is measured on a run this many times --seconds (20 s: 5 min)
REPLAY_SECONDS_PER_SECOND = 15
