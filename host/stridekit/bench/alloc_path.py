"""Allocation on the pod's whole per-sample path, measured in micropython-unix32.

The App runs as in `stride budget` (stridekit.budget.phases: the same fake pins,
ADC, I2C, timer and the thin bluetooth.BLE stand-in), recording, with a bonded
central connected and LIVE on; its ADC serves a simulated run's raw cells in the
order the insole driver reads them, so steps, Flag records, RSC notifications and
store commits all happen. Reported: bytes per sample over the whole path
(gc.mem_alloc() with the collector off), the bytes inside each part of the path
(a wrapper per method; a part called from another counts in both), and the first
allocation under micropython.heap_lock() with its traceback.
"""

from __future__ import annotations

import array
from dataclasses import dataclass, field

import numpy as np

from stridekit.bench import unix32

_PARTS = (
    ("app._sample", "app", "_sample", 1),
    ("insole.read_into", "app.insole", "read_into", 1),
    ("kernel.push", "app.kernel", "push", 3),
    ("store.add_sample", "app.store", "add_sample", 5),
    ("store.add", "app.store", "add", 2),
    ("store.commit", "app.store", "commit", 0),
    ("store Encoder.encode_into", "app.store._enc", "encode_into", 7),
    ("balance_step", "app", "balance_step", 2),
    ("ble.on_step", "app.ble", "on_step", 1),
    ("ble.on_record", "app.ble", "on_record", 2),
    ("ble.poll", "app.ble", "poll", 0),
    ("rsc.measurement", "app.ble.rsc", "measurement", 0),
    ("console.poll", "app.console", "poll", 0),
    ("app._housekeeping", "app", "_housekeeping", 0),
    ("battery update", "app", "_read_battery", 0),
)
_ARGS = ("a0", "a1", "a2", "a3", "a4", "a5", "a6")


def _wrapper(arity: int) -> str:
    """A wrapper of exactly `arity` arguments (a *rest wrapper would allocate its tuple
    inside the part that calls the wrapped one). It calls the class's function with the
    object first: a bound method called with over 4 arguments copies them into a heap
    array (py/objboundmeth.c), which would count as the part's."""
    args = ", ".join(("o", *_ARGS[:arity]))
    return (
        f"    if arity == {arity}:\n"
        f"        def w({', '.join(_ARGS[:arity])}):\n"
        f"            m = gc.mem_alloc(); t = micropython.mem_total(); r = f({args})\n"
        f"            TOT[slot] += micropython.mem_total() - t; ACC[slot] += gc.mem_alloc() - m\n"
        f"            CNT[slot] += 1\n"
        f"            return r\n"
    )


_PROBE = (
    r"""
import array, gc, micropython
ACC = array.array('i', bytes(4 * %(n_parts)d))
TOT = array.array('i', bytes(4 * %(n_parts)d))
CNT = array.array('i', bytes(4 * %(n_parts)d))
def wrap(obj, name, slot, arity):
    f = getattr(type(obj), name)
    o = obj
"""
    + "".join(_wrapper(n) for n in range(len(_ARGS) + 1))
    + r"""    setattr(obj, name, w)

port.rx.extend(b'rec start\n')
tick(100)
srv = app.ble
ble.irq_fn(1, (0, 0, b'\x00' * 6))
ble.irq_fn(21, (0, 247))
ble.irq_fn(28, (0, 1, 0, 1, 16))
ble.values[srv.h_cp] = P.encode_request(P.OP_LIVE, 1, 1)
ble.irq_fn(3, (0, srv.h_cp))
tick(%(warm)d)
%(passes)s
for i in range(%(n_parts)d):
    print('part', i, ACC[i], TOT[i], CNT[i])
steps0 = app.kernel.steps
%(one_battery)st0 = t1 = m1 = 0  # new globals grow the module's dict: made before the window
gc.collect()
gc.disable()
m0 = gc.mem_alloc()
t0 = micropython.mem_total()
tick(%(count)d)
t1 = micropython.mem_total()
m1 = gc.mem_alloc()
gc.enable()
print('whole', m1 - m0, t1 - t0, %(count)d, app.kernel.steps - steps0)
import sys
def locked(n):
    # a function: its names are locals, so nothing here needs the heap
    micropython.heap_lock()
    try:
        tick(n)
    except MemoryError as ex:
        micropython.heap_unlock()
        return ex
    micropython.heap_unlock()
    return None
gc.collect()
err = locked(%(count)d)
if err is None:
    print('locked ok')
else:
    sys.print_exception(err)
"""
)
# one battery update (once a minute on the pod) falls inside a window of count samples
_ONE_BATTERY = "app._last_batt_ms = clock.ticks_ms() - 60000 + %d * 5\n"
# one part wrapped at a time: a part called inside another would otherwise put its
# wrapper's frame (heap-allocated when over 11 words) into the outer part's bytes
_PASS = """wrap({obj}, {name!r}, {slot}, {arity})
{force}gc.collect()
gc.disable()
tick({count})
gc.enable()
delattr({obj}, {name!r})
"""


# The fake ADC of stridekit.budget.phases, swapped for one that serves samples
_FEED_ADC = """class ADC:
    ATTN_11DB = 3; ATTN_0DB = 0
    FEED = None
    POS = [0]
    def __init__(self, pin, atten=0):
        self.v = 0
    def read_u16(self):
        p = ADC.POS[0]
        ADC.POS[0] = p + 1 if p + 1 < len(ADC.FEED) else 0
        return ADC.FEED[p] << 4
    def read_uv(self):
        return 1950000
ADC.FEED = array.array('H', open(FEED_PATH, 'rb').read())
"""


@dataclass
class PathAlloc:
    bytes_per_sample: float
    samples: int
    steps: int
    parts: dict[str, tuple[int, int]] = field(default_factory=dict)  # name: (bytes, calls)
    # bytes allocated and freed again included: bytecode frames over 11 words
    # (micropython.mem_total(), which counts every allocation)
    allocated_per_sample: float = 0.0
    allocated: dict[str, int] = field(default_factory=dict)  # name: bytes
    first_locked_alloc: str = ""  # traceback of the first allocation under heap_lock


def measure(n_cells: int = 8, warm: int = 1500, count: int = 3000) -> PathAlloc:
    from stridekit.budget.phases import SCRIPT
    from stridekit.sim.gait import RunnerParams, simulate

    run = simulate(RunnerParams(duration_s=(warm + 3 * count + 300) / 100, cells=n_cells, seed=5))
    # the ADC feed wraps around at the end: a stride may break there once
    feed = array.array("H", np.ascontiguousarray(run.feet[0].cells, "<u2").ravel().tolist())
    head, sep, _ = SCRIPT.partition("tick(200)\nphase('idle_advertising')")
    adc_start = head.index("class ADC:")
    adc_end = head.index("class I2C:")
    if not sep or adc_start < 0:
        raise RuntimeError("stridekit.budget.phases changed: update bench/alloc_path.py")
    head = head[:adc_start] + _FEED_ADC + head[adc_end:]
    # the pod's clock runs at the sample rate, not at the speed this loop runs
    real_clock = "        self.ticks_us = time.ticks_us\n        self.ticks_ms = time.ticks_ms\n"
    if real_clock not in head:
        raise RuntimeError("stridekit.budget.phases changed: update bench/alloc_path.py")
    head = head.replace(
        real_clock, "        self.ticks_us = sim_us\n        self.ticks_ms = sim_ms\n"
    )
    head = head.replace(
        "    for _ in range(n):\n        app._isr(None)",
        "    for _ in range(n):\n        SIM_T[0] = (SIM_T[0] + 10000) & 0x3FFFFFFF\n"
        "        app._isr(None)",
    )
    passes = "".join(
        _PASS.format(
            obj=obj,
            name=name,
            slot=i,
            arity=arity,
            count=count,
            force=_ONE_BATTERY % count if name == "_read_battery" else "",
        )
        for i, (_, obj, name, arity) in enumerate(_PARTS)
    )
    probe = _PROBE % {
        "n_parts": len(_PARTS),
        "warm": warm,
        "count": count,
        "passes": passes,
        "one_battery": _ONE_BATTERY % count,
    }
    board = "esp32s3" if n_cells == 16 else "esp32"
    prelude = (
        "import sys, os\n"
        "SCRATCH = os.getcwd()\n"
        "os.mkdir(SCRATCH + '/rec')\n"
        f"sys.argv[:] = ['probe', SCRATCH, '{n_cells}', '100', '{board}']\n"
        "FEED_PATH = SCRATCH + '/feed.bin'\n"
        "import array\n"
        "SIM_T = array.array('i', [0])\n"
        "def sim_us():\n    return SIM_T[0]\n"
        "def sim_ms():\n    return SIM_T[0] // 1000\n"
    )
    out, _ = unix32.run(prelude + head + probe, {"/feed.bin": feed.tobytes()}, "viper", heap="2M")
    res = PathAlloc(0.0, count, 0)
    lines = out.splitlines()
    tb: list[str] = []
    for i, ln in enumerate(lines):
        p = ln.split()
        if p and p[0] == "whole":
            res.bytes_per_sample = int(p[1]) / int(p[3])
            res.allocated_per_sample = int(p[2]) / int(p[3])
            res.steps = int(p[4])
        elif p and p[0] == "part":
            name = _PARTS[int(p[1])][0]
            res.parts[name] = (int(p[2]), int(p[4]))
            res.allocated[name] = int(p[3])
        elif ln.startswith("Traceback"):
            tb = lines[i:]
    res.first_locked_alloc = "\n".join(tb) if tb else "none: no allocation under heap_lock"
    return res
