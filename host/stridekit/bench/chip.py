"""`stride bench --chip`: the kernel's time per sample on an ESP32, estimated.

Method. There is no board in the loop, so the kernel's time in micropython-unix32 (a
32-bit MicroPython on this host) is converted into pystones: the same interpreter runs
pystone_lowmem.py in the same run, and

    chip us/sample = unix32 us/sample x (unix32 pystones/s) / (ESP32 pystones/s)

with the ESP32's published pystone_lowmem rates at 240 MHz (ESP32_PYSTONES, cited).
The file itself is not shipped (micropython-lib's, removed there in 2022; PyPI
micropython-pystone_lowmem has it): pass it with --pystone. The published figures
were measured with that file, so any other benchmark would not match them.

Uncertainty, stated with the figure: the two published rates differ by 1.5x
(firmware versions and builds); on top, pystone measures the bytecode interpreter,
while viper code is machine code whose speed follows the CPU (x86 vs Xtensa LX6)
rather than the interpreter, and the ESP32 runs from external flash through a cache.
Take the range as good to about a factor of 2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
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


@dataclass
class ChipEstimate:
    cells: int
    build: str  # "bytecode", "viper" or "deploy build"
    unix32_us: float
    low_us: float  # with the faster published rate
    high_us: float  # with the slower one


def host_pystones(pystone_file: Path, repeats: int = 3) -> float:
    """pystones/s of micropython-unix32 on this host: best of `repeats` runs."""
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


def estimate(rows: list[BenchRow], host_rate: float) -> list[ChipEstimate]:
    fast = max(r for r, _ in ESP32_PYSTONES)
    slow = min(r for r, _ in ESP32_PYSTONES)
    out: list[ChipEstimate] = []
    for r in rows:
        for build, us in (
            ("bytecode", r.u32_bytecode_us),
            ("viper", r.u32_viper_us),
            ("deploy build", r.u32_deploy_us),
        ):
            if us is not None:
                out.append(
                    ChipEstimate(r.cells, build, us, us * host_rate / fast, us * host_rate / slow)
                )
    return out


def print_estimate(console: Console, rows: list[BenchRow], pystone_file: Path | None) -> None:
    if pystone_file is None:
        console.print(
            "[yellow]--chip needs --pystone PATH: micropython-lib's pystone_lowmem.py, the "
            "benchmark the published ESP32 rates were measured with (not shipped here).[/]"
        )
        return
    if not any(r.u32_viper_us for r in rows):
        console.print("[yellow]--chip needs ../shared/tools/micropython-unix32 (not found).[/]")
        return
    host = host_pystones(pystone_file)
    t = Table(title=f"ESP32 estimate, us per sample (budget {BUDGET_US:.0f} us = 10 % at 200 Hz)")
    for col in ("cells", "build", "unix32 us", "ESP32 us", "in budget"):
        t.add_column(col, justify="right")
    for e in estimate(rows, host):
        ok = "yes" if e.high_us <= BUDGET_US else "no" if e.low_us > BUDGET_US else "maybe"
        t.add_row(
            str(e.cells), e.build, f"{e.unix32_us:.1f}", f"{e.low_us:.0f}-{e.high_us:.0f}", ok
        )
    console.print(t)
    console.print(
        f"unix32 on this host: {host:,.0f} pystones/s (best of 3, {_LOOPS} loops). ESP32 at "
        "240 MHz: "
        + "; ".join(f"{r:,.0f}/s ({src})" for r, src in ESP32_PYSTONES)
        + ". Range = the two published rates; trust it to about 2x (see "
        "stridekit/bench/chip.py: viper code follows the CPU, not the interpreter; flash cache)."
    )
