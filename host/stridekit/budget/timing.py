"""Time per sample on the chip: one estimate, from counted instructions.

`stride deploy --dry-run --board NAME` and `stride bench --chip` both use it.
1. Count the x86 instructions the work takes in ../shared/tools/micropython-unix32
   with valgrind (callgrind), as the difference of two runs that differ only in
   the number of samples, so start-up cancels. The same binary and commit give
   the same count however busy the machine is.
2. Divide by UNIX32_X86_PER_PYSTONE, the x86 instructions one loop of
   micropython-lib's pystone_lowmem takes in the same binary: the work in pystones.
3. Divide by the ESP32's published pystone_lowmem rates at 240 MHz
   (ESP32_PYSTONES) and scale to the clock the firmware sets (CPU-bound code
   scales with the clock) and, for other chips, by CoreMark per MHz from
   Espressif's datasheets (ESP32 2.10, ESP32-S3 2.56).

The pystone file is not shipped (micropython-lib removed it in 2022; its last
version: github.com/micropython/micropython-lib, commit PYSTONE_COMMIT, path
PYSTONE_PATH). The constant was counted with that file; `stride bench --chip
--pystone FILE` counts it again. No file is needed for the estimate itself.

Uncertainty: the two published rates differ by 1.5x (firmware versions and
builds), and the range printed is theirs. On top: viper code is machine code whose
speed follows the CPU, not the interpreter pystone measures; the ESP32 runs from
flash through a cache; pystone allocates, so its rate includes garbage collection
in the chip's heap. Trust the range to about 2x.

The heap matters. A bytecode function whose frame is over 11 words (locals plus
stack, a try adds 3) gets it from the GC heap on every call (MicroPython's
py/objfun.c, fun_bc_call; the ESP32 port does not enable MICROPY_ENABLE_PYSTACK
either) and frees it on return. The allocator searches from the lowest free block,
so in a heap holed by earlier work each such call pays a long search (~9k
instructions measured), and the count moves with the heap's layout. Under
heap_lock the frames fall back to the C stack (which is also why heap_lock does not
show them; micropython.mem_total() does, stridekit.bench.alloc_path). The App's
per-sample methods keep their frames at 11 words or less and the kernel's push is
viper, so the two counts agree (8 cells, 100 Hz, esp32s3 heap, 2026-12-05: 111k
per turn, 111k under heap_lock; 16 cells 187k / 187k); what still takes heap frames
is per step or per block (Balance, RSC, the store's framing; the StepBlock
encoder's packing is viper, stridefw.stepblock_vp). The deploy table prints both: the turn in the heap the budget
phases reach (the board's heap, after boot and advertising), as on the pod, and
the layout-free count under heap_lock.
Not in the estimate: ADC conversion time, BLE and Wi-Fi interrupts. The phase
script's pins and ADC are Python here and C on the chip: the reads are counted
again with builtins (C functions) in their place ("creads"), and the table shows
the turn with what the fakes add taken out beside the turn as counted. Replace it
with `stride bench` on a pod.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from stridekit import mpy
from stridekit.budget.heap import BudgetError
from stridekit.budget.phases import RECORDING, SCRIPT

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
PYSTONE_MHZ = 240
ESP32_COREMARK_PER_MHZ = 2.10  # ESP32 datasheet: 504.85 CoreMark at 240 MHz, one core
# x86 instructions per pystone_lowmem loop in micropython-unix32 (sha256 a6f57aac...),
# counted 2026-12-05 as (2,000 loops - 1,000 loops) / 1,000 and (4,000 - 2,000) / 2,000:
# 55,057.9 and 55,058.0
UNIX32_X86_PER_PYSTONE = 55_058.0
PYSTONE_REPO = "github.com/micropython/micropython-lib"
PYSTONE_COMMIT = "fa13cbbc8b53e2ec6abbb1b0fa33d085582f3c54"  # 2021-05-27, the last change
PYSTONE_PATH = "python-stdlib/pystone_lowmem/pystone_lowmem.py"
CHIP_MHZ = {100: 80, 200: 160}  # hardware/POWER.md, "Firmware settings"
# recording turns per counted run: the estimate is (long - short) / (LONG - SHORT)
TURNS_SHORT = 200
TURNS_LONG = 1200

_COLLECTED = re.compile(r"Collected : ([0-9]+)")
_CALLGRIND = ("valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null")


def have_valgrind() -> bool:
    return shutil.which("valgrind") is not None


def count_x86(argv: list[str], env: dict[str, str], cwd: str) -> tuple[int, str]:
    """x86 instructions valgrind counts for one run of argv (a unix32 command line),
    and the run's stdout."""
    if not have_valgrind():
        raise BudgetError("valgrind is not installed: the time estimate counts instructions")
    proc = subprocess.run(
        [*_CALLGRIND, *argv], capture_output=True, text=True, env=env, cwd=cwd, timeout=1800
    )
    m = _COLLECTED.search(proc.stderr)
    if proc.returncode != 0 or m is None:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        raise BudgetError(f"counting instructions failed: {' / '.join(tail)}")
    return int(m.group(1)), proc.stdout


def chip_us(
    x86_per_sample: float,
    mhz: float = PYSTONE_MHZ,
    coremark_per_mhz: float = ESP32_COREMARK_PER_MHZ,
    x86_per_pystone: float = UNIX32_X86_PER_PYSTONE,
) -> tuple[float, float]:
    """(low, high) µs per sample on the chip from unix32 x86 instructions per sample:
    the faster and the slower published ESP32 pystone rate."""
    pystones = x86_per_sample / x86_per_pystone
    scale = (PYSTONE_MHZ / mhz) * (ESP32_COREMARK_PER_MHZ / coremark_per_mhz)
    fast = max(r for r, _ in ESP32_PYSTONES)
    slow = min(r for r, _ in ESP32_PYSTONES)
    return pystones / fast * 1e6 * scale, pystones / slow * 1e6 * scale


def method() -> str:
    """One line saying how the figures were made, for the tables that print them."""
    rates = "; ".join(f"{r:,.0f}/s ({src})" for r, src in ESP32_PYSTONES)
    return (
        f"x86 instructions counted by valgrind in micropython-unix32 (load-independent), "
        f"/ {UNIX32_X86_PER_PYSTONE:,.0f} per pystone_lowmem loop ({PYSTONE_REPO} "
        f"{PYSTONE_COMMIT[:12]} {PYSTONE_PATH}), / ESP32 pystones/s at {PYSTONE_MHZ} MHz: "
        f"{rates}. Range = the two rates; trust it to about 2x (stridekit/budget/timing.py)"
    )


@dataclass
class SampleTime:
    n_cells: int
    rate_hz: int
    x86_per_sample: float  # counted in unix32: the App's recording turn
    reads_x86: float  # of which the sensor reads (fake pins and ADC: Python here, C on the chip)
    locked_x86: float | None  # the same turn under heap_lock: frames on the C stack, no search
    sleep_us: float  # sleeps the firmware asked for per sample, added unscaled
    chip_mhz: int
    low_us: float  # estimate with the faster published rate, sleeps included
    high_us: float  # with the slower one
    fakes_x86: float = 0.0  # of the reads, what the fakes' Python adds over C calls (builtins)
    stepblock_x86: float = 0.0  # eight Step records into the store, one StepBlock framed
    sampleblock_x86: float = 0.0  # one full SampleBlock encoded (its close)

    @property
    def period_us(self) -> float:
        return 1e6 / self.rate_hz

    @property
    def cpu_share(self) -> float:
        """The slower end's share of the sample period (the one a budget must meet)."""
        return self.high_us / self.period_us


# The phase script's clock is the host's: under valgrind (about 50x slower) its
# time-driven work (flushes, battery, advertising) would run more often per sample.
# Here the clock is virtual, one sample period per tick, so the count is the same
# on any machine.
_EDITS = (
    (
        "clock = Clock()\n",
        "class VClock(Clock):\n"
        "    def __init__(self):\n"
        "        Clock.__init__(self)\n"
        "        self.now = 0\n"
        "        self.ticks_us = lambda: self.now\n"
        "        self.ticks_ms = lambda: self.now // 1000\n"
        "clock = VClock()\n",
    ),
    ("    for _ in range(n):\n", "    for _ in range(n):\n        clock.now += 1000000 // RATE\n"),
)
_READS = (
    "for _ in range({turns}):\n"
    "    app.insole.read_into(app.cells)\n"
    "    if app.imu is not None:\n"
    "        app.imu.read_into(app.imu_buf)\n"
)


# The same reads with builtins (C functions, as machine.Pin and ADC are on the chip)
# in place of the phase script's Python pins and ADC; the driver's own Python
# (the mux select, the loop) stays. reads - creads is what the fakes add.
_C_PARTS = (
    "class _C:\n    pass\n"
    "_adc = _C()\n_adc.read_u16 = gc.isenabled\n"
    "_ins = app.insole\n"
    "if _ins._adcs is not None:\n    _ins._adcs = [_adc] * len(_ins._adcs)\n"
    "else:\n    _ins._sig = _adc\n    _ins._sel = [id] * len(_ins._sel)\n"
    "_ins._wait = id\n"
)
_LOCKED = "import micropython\nmicropython.heap_lock()\ntick({turns})\nmicropython.heap_unlock()\n"
# The budget script's fake ADC makes no steps, so its turns hold no step work: this
# counts it apart, as eight Step records (from the kernel on a simulated run) into
# the recording store, the eighth closing and framing the StepBlock, {turns} times.
_STEPBLOCK = (
    "from stridefw import records as _R\n"
    "_raw = open(SCRATCH + '/steps.bin', 'rb').read()\n"
    "_P = [_raw[50 * k:50 * k + 50] for k in range(8)]\n"
    "def _block():\n    for k in range(8):\n        app.store.add(_R.REC_STEP, _P[k])\n"
    "for _ in range({turns}):\n    _block()\n"
)
# Every block (block_samples(N_CELLS) samples, or fewer at a commit) the store
# closes a SampleBlock: encode() Rice-codes it in one turn. The turns above hold it
# spread over a block; this counts one close apart, on a full block of a simulated
# run (its jittered times too): BLOCKS_LONG fills of the store's encoder in both
# runs, {turns} of them encoded, so the difference of two runs is encode() alone.
_SAMPLEBLOCK = (
    "import array\n"
    "from stridefw import sampleblock as _SB\n"
    "_raw = open(SCRATCH + '/block.bin', 'rb').read()\n"
    "_enc = _SB.SampleBlockEncoder(N_CELLS, 1000000 // RATE)\n"
    "_c = array.array('H', bytes(2 * N_CELLS))\n"
    "_m = array.array('h', bytes(12))\n"
    "_w = 2 * N_CELLS + 14\n"
    "def _fill():\n"
    "    _enc.start(0, 0)\n"
    "    for s in range(_enc.nmax):\n"
    "        o = s * _w\n"
    "        for j in range(N_CELLS):\n"
    "            _c[j] = _raw[o + 2 * j] | (_raw[o + 2 * j + 1] << 8)\n"
    "        o += 2 * N_CELLS\n"
    "        for j in range(6):\n"
    "            v = _raw[o + 2 * j] | (_raw[o + 2 * j + 1] << 8)\n"
    "            _m[j] = v - 65536 if v & 32768 else v\n"
    "        o += 12\n"
    "        _enc.add(_raw[o] | (_raw[o + 1] << 8), _c, _m)\n"
    "for i in range(%d):\n"
    "    _fill()\n"
    "    if i < {turns}:\n"
    "        _enc.encode()\n"
)
MODES = ("turns", "reads", "locked", "creads", "stepblock", "sampleblock")
BLOCKS_SHORT = 5  # StepBlocks per counted run (stepblock mode)
BLOCKS_LONG = 25


def _turn_script(turns: int, mode: str = "turns") -> str:
    """The phase script up to recording, then `turns` recording turns ("turns"), the
    same under heap_lock ("locked"), or only the sensor reads of as many samples
    ("reads"; "creads" with builtins for the fake pins and ADC), on the virtual clock."""
    if SCRIPT.count(RECORDING) != 1 or any(SCRIPT.count(old) != 1 for old, _ in _EDITS):
        raise RuntimeError("stridekit.budget.phases' script changed: update timing.py")
    head = SCRIPT.split(RECORDING)[0] + "clock.slept_us = 0\n"
    for old, new in _EDITS:
        head = head.replace(old, new)
    body = {
        "turns": "tick({turns})\n",
        "reads": _READS,
        "locked": _LOCKED,
        "creads": _C_PARTS + _READS,
        "stepblock": _STEPBLOCK,
        "sampleblock": _SAMPLEBLOCK % BLOCKS_LONG,
    }[mode]
    return head + body.format(turns=turns) + "print('slept_us', clock.slept_us)\nprint('done')\n"


@functools.cache
def sim_steps(n_cells: int, rate_hz: int) -> bytes:
    """Eight Step payloads (50 B each) the kernel emits on a simulated run (CPython:
    the same kernel code), from its steady part."""
    from stridekit.replay import kernel_for, run_kernel
    from stridekit.sim.gait import RunnerParams, simulate
    from stridekit.sim.record import header_for

    run = simulate(RunnerParams(duration_s=20.0, cells=n_cells, rate_hz=rate_hz, seed=5))
    foot = run.feet[0]
    k = kernel_for(header_for(run, foot, 1))
    out = run_kernel(k, foot.t_us, foot.cells, foot.imu, foot.imu_present)
    if len(out.step_payloads) < 16:
        raise BudgetError(f"the simulated run gave {len(out.step_payloads)} steps, need 16")
    return b"".join(out.step_payloads[8:16])


@functools.cache
def sim_block(n_cells: int, rate_hz: int) -> bytes:
    """A full SampleBlock's samples of a simulated run with the realistic sensor model,
    from its steady part: per sample the cells (u16), the IMU (i16), then dt_us (u16,
    the jittered sample times), little endian."""
    import numpy as np

    from stridefw.sampleblock import block_samples
    from stridekit.sim.corpus import with_realistic_sensors
    from stridekit.sim.gait import RunnerParams, simulate

    p = RunnerParams(duration_s=20.0, cells=n_cells, rate_hz=rate_hz, seed=5)
    foot = simulate(with_realistic_sensors(p, np.random.default_rng(5))).feet[0]
    at = len(foot.t_us) // 2
    if foot.imu is None:
        raise BudgetError("the simulated run has no IMU")
    dt = np.diff(foot.t_us.astype(np.int64))
    rows = [
        np.asarray(foot.cells[at + k], "<u2").tobytes()
        + np.asarray(foot.imu[at + k], "<i2").tobytes()
        + np.asarray(dt[at + k - 1], "<u2").tobytes()
        for k in range(block_samples(n_cells))
    ]
    return b"".join(rows)


def _count(
    stage: Path, board: str, n_cells: int, rate_hz: int, heap_kib: int, turns: int, mode: str
) -> tuple[int, int]:
    """(x86 instructions, µs of sleeps asked for) of one run of the turn script."""
    exe = mpy.unix32_path()
    if not exe.exists():
        raise BudgetError(f"{exe} not found (../shared/tools is needed for the estimate)")
    with tempfile.TemporaryDirectory(prefix="stride-timing-") as scratch:
        Path(scratch, "rec").mkdir()
        script = Path(scratch) / "turns.py"
        script.write_text(_turn_script(turns, mode))
        if mode == "stepblock":
            Path(scratch, "steps.bin").write_bytes(sim_steps(n_cells, rate_hz))
        if mode == "sampleblock":
            Path(scratch, "block.bin").write_bytes(sim_block(n_cells, rate_hz))
        argv = [str(exe), "-X", f"heapsize={heap_kib}K", str(script), scratch]
        argv += [str(n_cells), str(rate_hz), board]
        count, out = count_x86(argv, {"MICROPYPATH": str(stage)}, scratch)
    line = next((ln for ln in out.splitlines() if ln.startswith("slept_us")), None)
    if line is None:
        raise BudgetError(f"the turn script printed no sleeps: {out[-300:]!r}")
    return count, int(line.split()[1])


def sample_time(
    stage: Path,
    board: str,
    n_cells: int,
    rate_hz: int,
    heap_kib: int,
    coremark_per_mhz: float,
) -> SampleTime:
    """The App's recording turn in unix32 over the staged deploy build (stage/), in a
    heap of heap_kib after the budget phases' boot and advertising, counted; as µs on
    the chip at the clock hardware/POWER.md sets for this rate."""
    from concurrent.futures import ThreadPoolExecutor

    def one(job: tuple[int, str]) -> tuple[int, int] | None:
        try:
            return _count(stage, board, n_cells, rate_hz, heap_kib, *job)
        except BudgetError:
            if job[1] == "locked":  # the turn allocated: no figure without heap frames
                return None
            raise

    jobs = [
        (turns, mode)
        for mode in MODES
        for turns in (
            (BLOCKS_SHORT, BLOCKS_LONG)
            if mode in ("stepblock", "sampleblock")
            else (TURNS_SHORT, TURNS_LONG)
        )
    ]
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(one, jobs))

    n = TURNS_LONG - TURNS_SHORT
    blocks = BLOCKS_LONG - BLOCKS_SHORT

    def per_turn(i: int, what: int = 0, turns: int = n) -> float | None:
        # the long run less the short one, per turn (or per block) it has more
        a, b = runs[i], runs[i + 1]
        return None if a is None or b is None else (b[what] - a[what]) / turns

    x86, reads_x86, sleep_us = per_turn(0), per_turn(2), per_turn(0, 1)
    if x86 is None or reads_x86 is None or sleep_us is None:
        raise BudgetError("the turn script failed")
    mhz = CHIP_MHZ[rate_hz]
    low, high = chip_us(x86, mhz, coremark_per_mhz)
    creads_x86 = per_turn(6)
    stepblock_x86 = per_turn(8, turns=blocks) or 0.0
    sampleblock_x86 = per_turn(10, turns=blocks) or 0.0
    return SampleTime(
        n_cells,
        rate_hz,
        x86,
        reads_x86,
        per_turn(4),
        sleep_us,
        mhz,
        low + sleep_us,
        high + sleep_us,
        reads_x86 - creads_x86 if creads_x86 is not None else 0.0,
        stepblock_x86,
        sampleblock_x86,
    )
