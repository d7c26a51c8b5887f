"""The firmware kernel inside MicroPython: replay, allocation count and timing."""

from __future__ import annotations

import struct

import numpy as np

from stridefw import records as R
from stridefw.config import TICKS_MASK
from stridekit import mpy
from stridekit.replay import KernelOutput

# Runs inside MicroPython. Samples arrive as flat arrays so that feeding them
# allocates nothing; the kernel is built exactly as stridekit.replay.kernel_for does.
_SCRIPT = r"""
import array, gc, struct, time
from stridefw import calib, kernel, layouts, records

MODE = %(mode)r
WARMUP = %(warmup)d
COUNT = %(count)d
raw = open("/samples.bin", "rb").read()
n, nc, has_imu, layout_id, foot, bw = struct.unpack_from("<IBBBBH", raw, 0)
o = 10
t = array.array("i", raw[o:o + 4 * n]); o += 4 * n
cells_all = array.array("H", raw[o:o + 2 * n * nc]); o += 2 * n * nc
imu_all = array.array("h", raw[o:o + 12 * n]); o += 12 * n
present = raw[o:o + n]
raw = None
hdr = records.SessionHeader.from_bytes(open("/header.bin", "rb").read())
cal = calib.Calibration.from_bytes(hdr.calib) if hdr.calib else calib.nominal(nc)
k = kernel.StepKernel(layouts.by_id(layout_id), cal, foot, has_imu == 1, bw)
cells = array.array("H", bytes(2 * nc))
imu = array.array("h", bytes(12))
step_out = bytearray()
flag_out = bytearray()

def feed(i):
    b = i * nc
    for c in range(nc):
        cells[c] = cells_all[b + c]
    m = None
    if present[i]:
        b = i * 6
        for c in range(6):
            imu[c] = imu_all[b + c]
        m = imu
    return k.push(t[i], cells, m)

if MODE == "replay":
    for i in range(n):
        ev = feed(i)
        if ev & 1:
            step_out.extend(struct.pack("<I", i))
            step_out.extend(k.step)
        if ev & 2:
            flag_out.extend(struct.pack("<I", i))
            flag_out.extend(k.flag)
    open("/steps.bin", "wb").write(step_out)
    open("/flags.bin", "wb").write(flag_out)
    print("counters", k.gaps, k.bad_ticks, k.rejected)
elif MODE == "alloc":
    for i in range(WARMUP):
        feed(i)
    steps0 = k.steps
    i = WARMUP
    end = WARMUP + COUNT
    gc.collect()
    gc.disable()
    m0 = gc.mem_alloc()
    while i < end:
        feed(i)
        i += 1
    m1 = gc.mem_alloc()
    gc.enable()
    print("alloc", m1 - m0, COUNT, k.steps - steps0)
elif MODE == "time":
    # V8 tiers the interpreter's WebAssembly up while it runs, so warm up first
    # and take the best of several passes; input copying (a null kernel) is
    # measured the same way and subtracted.
    class _Null:
        def push(self, a, b, c):
            return 0

    def one_pass(kern):
        global k
        k = kern
        t0 = time.ticks_us()
        for i in range(n):
            feed(i)
        return time.ticks_diff(time.ticks_us(), t0)

    def fresh():
        return kernel.StepKernel(layouts.by_id(layout_id), cal, foot, has_imu == 1, bw)

    best_k = best_n = 1 << 29
    for rep in range(4):
        best_n = min(best_n, one_pass(_Null()))
        best_k = min(best_k, one_pass(fresh()))
    print("time", best_k, best_n, n)
"""


def pack_samples(
    header: R.SessionHeader,
    t_us: np.ndarray,
    cells: np.ndarray,
    imu: np.ndarray | None,
    imu_present: np.ndarray | None = None,
) -> bytes:
    n = len(t_us)
    present = np.ones(n, np.uint8) if imu_present is None else imu_present.astype(np.uint8)
    if imu is None:
        imu = np.zeros((n, 6), np.int16)
        present = np.zeros(n, np.uint8)
    head = struct.pack(
        "<IBBBBH", n, header.n_cells, header.has_imu, header.layout_id, header.foot, header.bw_dn
    )
    return b"".join(
        [
            head,
            (t_us.astype(np.int64) & TICKS_MASK).astype("<i4").tobytes(),
            cells.astype("<u2").tobytes(),
            imu.astype("<i2").tobytes(),
            present.tobytes(),
        ]
    )


def _inputs(header: R.SessionHeader, packed: bytes) -> dict[str, bytes]:
    return {"/samples.bin": packed, "/header.bin": header.to_bytes()}


def replay_mpy(
    header: R.SessionHeader,
    t_us: np.ndarray,
    cells: np.ndarray,
    imu: np.ndarray | None,
    imu_present: np.ndarray | None = None,
) -> KernelOutput:
    """Run the kernel inside MicroPython; same result type as stridekit.replay.run_kernel."""
    packed = pack_samples(header, t_us, cells, imu, imu_present)
    script = _SCRIPT % {"mode": "replay", "warmup": 0, "count": 0}
    res = mpy.run(script, _inputs(header, packed), outputs=["/steps.bin", "/flags.bin"])
    out = KernelOutput()
    for blob, size, payloads, at in (
        (res.outputs["/steps.bin"], 4 + 50, out.step_payloads, out.step_at),
        (res.outputs["/flags.bin"], 4 + 11, out.flag_payloads, out.flag_at),
    ):
        for o in range(0, len(blob), size):
            at.append(struct.unpack_from("<I", blob, o)[0])
            payloads.append(blob[o + 4 : o + size])
    counters = [ln for ln in res.stdout.splitlines() if ln.startswith("counters")]
    if counters:
        out.gaps, out.bad_ticks, out.rejected = (int(x) for x in counters[0].split()[1:])
    return out


def alloc_mpy(
    header: R.SessionHeader,
    t_us: np.ndarray,
    cells: np.ndarray,
    imu: np.ndarray | None,
    warmup: int,
    count: int,
) -> tuple[int, int]:
    """Bytes allocated by `count` push() calls after `warmup` samples; and steps emitted."""
    packed = pack_samples(header, t_us, cells, imu)
    script = _SCRIPT % {"mode": "alloc", "warmup": warmup, "count": count}
    res = mpy.run(script, _inputs(header, packed))
    line = next(ln for ln in res.stdout.splitlines() if ln.startswith("alloc"))
    _, nbytes, _, steps = line.split()
    return int(nbytes), int(steps)


def time_mpy(
    header: R.SessionHeader, t_us: np.ndarray, cells: np.ndarray, imu: np.ndarray | None
) -> float:
    """Microseconds per push() inside MicroPython (input copying subtracted)."""
    packed = pack_samples(header, t_us, cells, imu)
    res = mpy.run(_SCRIPT % {"mode": "time", "warmup": 0, "count": 0}, _inputs(header, packed))
    line = next(ln for ln in res.stdout.splitlines() if ln.startswith("time"))
    t_total, t_feed, n = (int(x) for x in line.split()[1:])
    return (t_total - t_feed) / n
