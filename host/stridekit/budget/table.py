"""One board's budget, measured: heap per phase, peak, code, native code, flash, time, battery.

`measure(board)` runs everything (about a minute: the peak is found by running
the firmware in smaller and smaller heaps); `render(report)` is the table that
`stride deploy --dry-run --board NAME` prints. A board keeps its place in the
supported list only when every measured figure is within its budget with
boards.MARGIN to spare; `Report.verdict` says which figure decides.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from stridefw.sampleblock import block_samples
from stridekit.budget import heap as H
from stridekit.budget import timing as T
from stridekit.budget.boards import BUDGETS, MARGIN, BoardBudget
from stridekit.budget.sizes import CodeSizes, FlashRates, code_sizes, flash_rates
from stridekit.budget.timing import SampleTime

KIB = 1024
ROOMY_KIB = 4096  # a heap no phase comes near: for figures when the budget's heap fails


@dataclass
class Check:
    name: str
    measured: float
    budget: float
    unit: str

    @property
    def within(self) -> bool:
        return self.measured <= self.budget

    @property
    def margin(self) -> float:
        return 1.0 - self.measured / self.budget if self.budget else 0.0

    @property
    def keeps(self) -> bool:
        return self.margin >= MARGIN


@dataclass
class Report:
    board: BoardBudget
    run: H.HeapRun  # the phases in a heap of the board's peak budget
    big_run: H.HeapRun | None  # the same in a roomy heap, when the budget's heap failed
    peak_kib: int  # smallest heap the run completes in
    code: CodeSizes
    flash: FlashRates
    times: list[SampleTime] = field(default_factory=list)
    romfs_run: H.HeapRun | None = None  # the modules in ROMFS (not a stock ESP32 image)
    battery_h: dict[str, float] = field(default_factory=dict)

    @property
    def checks(self) -> list[Check]:
        b = self.board
        r = self.phases
        live = max(r.live.values()) / KIB if r.live else float("inf")
        return [
            Check("heap live (worst phase)", live, b.heap_live_kib, "KiB"),
            Check(
                "heap peak (smallest heap that runs)", self.peak_kib or 1e9, b.heap_peak_kib, "KiB"
            ),
            Check("native code", self.code.native_bytes / KIB, b.native_kib, "KiB"),
        ]

    @property
    def phases(self) -> H.HeapRun:
        """The run whose phase figures the table shows."""
        return self.big_run if self.big_run is not None else self.run

    @property
    def fast_enough(self) -> list[SampleTime]:
        """Cell count and rate combinations whose estimated time keeps the margin."""
        return [t for t in self.times if t.cpu_share <= 1.0 - MARGIN]

    @property
    def supported(self) -> bool:
        return self.run.ok and all(c.keeps for c in self.checks)

    @property
    def verdict(self) -> str:
        if not self.run.ok:
            return f"does not run in {self.board.heap_peak_kib} KiB: {self.run.error}"
        bad = [c for c in self.checks if not c.keeps]
        if not bad:
            fits = f"fits, with >= {MARGIN:.0%} margin on every memory budget"
            if self.times and not self.fast_enough:
                # time is an estimate good to about 2x: it is said, it does not decide
                fits += (
                    f"; time per sample: no cell count and rate keeps {MARGIN:.0%} of the "
                    "sample period (estimate, above)"
                )
            return fits
        return "; ".join(
            f"{c.name} {c.measured:.0f} {c.unit} of {c.budget:.0f} {c.unit} "
            f"({'over' if not c.within else f'only {c.margin:.0%} margin'})"
            for c in bad
        )


def _battery() -> dict[str, float]:
    from stridekit.budget.plan import firmware_root

    hw = firmware_root().parent / "hardware"
    if not (hw / "stridehw" / "power.py").exists():
        return {}
    sys.path.insert(0, str(hw))
    try:
        from stridehw import power  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(hw))
    out: dict[str, float] = {}
    for name, loads in power.scenarios():
        if "BLE connected (live RSC)" in name or "radio off" in name:
            out[name] = float(power.hours(sum(x.ma for x in loads)))
    return out


def measure(key: str, progress: Callable[[str], None] | None = None) -> Report:
    """Measure one board (BUDGETS key). BudgetError when a tool is missing."""
    b = BUDGETS[key]
    say = progress or (lambda _s: None)
    with tempfile.TemporaryDirectory(prefix="stride-budget-") as tmp:
        stage = Path(tmp)
        say("building for x86 (the unix interpreter)")
        H.stage_x86(stage)
        say(f"phases in a {b.heap_peak_kib} KiB heap")
        run = H.run_phases(stage, b.heap_peak_kib, b.pins)
        big = None if run.ok else H.run_phases(stage, ROOMY_KIB, b.pins)
        say("smallest heap that runs (bisection)")
        live = (big or run).live
        lo = max(16, (max(live.values()) // KIB) if live else 16)
        peak = H.min_heap_kib(stage, b.pins, lo=lo, hi=max(4 * b.heap_peak_kib, 2 * lo))
        say("the same with the modules in a ROMFS image")
        romfs_run = H.run_phases(stage, ROOMY_KIB, b.pins, romfs=H.romfs_image(stage))
        times: list[SampleTime] = []
        # the recording turn in the heap the phases ran in (the board's, when it fits)
        turn_heap = b.heap_peak_kib if run.ok else ROOMY_KIB
        if T.have_valgrind():
            for cells in (8, 16):
                for rate in (100, 200):
                    say(f"time per sample, {cells} cells at {rate} Hz (valgrind counts)")
                    times.append(
                        T.sample_time(stage, b.pins, cells, rate, turn_heap, b.coremark_per_mhz)
                    )
    say("code sizes (ESP32 build)")
    code = code_sizes()
    say("flash per hour (a simulated run through the pod's codec)")
    flash = flash_rates()
    return Report(b, run, big, peak, code, flash, times, romfs_run, _battery())


def _stall(t: T.SampleTime, x86: float, b: BoardBudget) -> tuple[str, str, str]:
    """Work of x86 instructions on the chip as text: its ms, its sample periods, and
    the samples a turn doing it misses (_missed)."""
    us = T.chip_us(x86, t.chip_mhz, b.coremark_per_mhz)
    return (
        f"{us[0] / 1000:.0f}-{us[1] / 1000:.0f} ms",
        f"{us[0] / t.period_us:.1f}-{us[1] / t.period_us:.1f} sample periods",
        _missed(t, us),
    )


def _missed(t: T.SampleTime, extra_us: tuple[float, float]) -> str:
    """How many samples a turn that also does extra_us of work misses: the due times
    that pass during it, less the newest, which App.turn reads next (it counts the
    others missed; the ring of 8 due times keeps no sample)."""
    lo, hi = (
        max(0, int((base + extra) // t.period_us) - 1)
        for base, extra in ((t.low_us, extra_us[0]), (t.high_us, extra_us[1]))
    )
    return f"{lo}" if lo == hi else f"{lo}-{hi}"


def render(r: Report) -> str:
    """The budget table as text (each figure with what gave it)."""
    b = r.board
    lines = [f"Budget for {b.name}  [{b.key}]", f"  budget source: {b.source}", ""]
    shown_in = ROOMY_KIB if r.big_run is not None else b.heap_peak_kib
    lines.append(f"heap, live after gc.collect() (micropython-unix32 -X heapsize={shown_in}K):")
    if r.big_run is not None:
        lines.append(f"  (in the board's {b.heap_peak_kib} KiB it fails: {r.run.error})")
    for ph in H.PHASES:
        v = r.phases.live.get(ph)
        shown = f"{v / KIB:7.1f} KiB" if v is not None else "    n/a"
        lines.append(f"  {ph:<18} {shown}   budget {b.heap_live_kib} KiB")
    lines.append(f"  largest single allocation: {r.phases.largest[1]:,} B ({r.phases.largest[0]})")
    rr = r.romfs_run
    if rr is not None and rr.ok:
        shown = ", ".join(f"{ph} {rr.live[ph] / KIB:.0f}" for ph in H.PHASES if ph in rr.live)
        lines.append(
            f"  with the modules in ROMFS (bytecode used in place from flash; needs an image "
            f"built with MICROPY_VFS_ROM, which stock ESP32 images lack), KiB: {shown}"
        )
    lines.append("")
    for c in r.checks:
        lines.append(
            f"{c.name:<38} {c.measured:8.1f} {c.unit} of {c.budget:.0f} {c.unit}  "
            f"margin {c.margin:+.0%}"
        )
    for name, n in sorted(r.code.native_parts.items()):
        lines.append(f"  native: {name} {n:,} B (-march=xtensawin .mpy, upper bound)")
    lines.append("")
    fs = b.fs_bytes
    lines.append(f"flash: code {r.code.code_bytes / KIB:.0f} KiB (deploy's files, xtensawin build)")
    lines.append(
        f"  LittleFS partition {fs / KIB / KIB:.0f} MiB ({b.flash_mib} MB flash - 2 MiB image)"
    )
    lines.append(
        f"  steps only: {r.flash.steps_bytes_per_h / KIB:.0f} KiB/h -> {fs / r.flash.steps_bytes_per_h:.0f} h"
    )
    lines.append(
        f"  with raw samples (8 cells, 100 Hz): {r.flash.raw_bytes_per_h / KIB / KIB:.1f} MiB/h -> "
        f"{fs / r.flash.raw_bytes_per_h:.1f} h"
    )
    lines.append("")
    lines.append(
        "time per sample (ESTIMATE: the App's recording turn in counted instructions; "
        "stridekit/budget/timing.py):"
    )
    if not r.times:
        lines.append("  not estimated: valgrind is not installed (it counts the instructions)")
    for t in r.times:
        bare = T.chip_us(t.x86_per_sample - t.fakes_x86, t.chip_mhz, b.coremark_per_mhz)
        lines.append(
            f"  {t.n_cells:2d} cells {t.rate_hz} Hz @ {t.chip_mhz} MHz: "
            f"{t.low_us / 1000:.1f}-{t.high_us / 1000:.1f} ms of {t.period_us / 1000:.0f} ms "
            f"({t.low_us / t.period_us:.0%}-{t.cpu_share:.0%} CPU); "
            f"{t.x86_per_sample / 1000:.0f}k x86 instructions per turn "
            f"+ {t.sleep_us:.0f} us settling"
        )
        lines.append(
            f"      with C calls for the fake pins and ADC (Python here, C on the chip; "
            f"{t.fakes_x86 / 1000:.0f}k of the reads' {t.reads_x86 / 1000:.0f}k): "
            f"{(bare[0] + t.sleep_us) / 1000:.1f}-{(bare[1] + t.sleep_us) / 1000:.1f} ms"
        )
        if t.stepblock_x86:
            ms, periods, missed = _stall(t, t.stepblock_x86, b)
            lines.append(
                f"      not in the turn (the budget script makes no steps): 8 Steps into the "
                f"store, the 8th closing a StepBlock, {t.stepblock_x86 / 1e6:.1f}M: "
                f"{ms}, {periods}, nearly all in the turn that "
                f"encodes the block: {missed} samples missed there"
            )
        if t.sampleblock_x86:
            ms, periods, missed = _stall(t, t.sampleblock_x86, b)
            lines.append(
                f"      every block ({block_samples(t.n_cells)} samples, fewer at a 1-s commit), "
                f"in the turn that closes it: a SampleBlock encoded (Rice, viper), "
                f"{t.sampleblock_x86 / 1e6:.2f}M: {ms}, {periods}: "
                f"{missed} samples missed there"
            )
        if t.locked_x86 is not None:
            lk = T.chip_us(t.locked_x86 - t.fakes_x86, t.chip_mhz, b.coremark_per_mhz)
            lines.append(
                f"      and with every frame on the C stack (heap_lock: no heap search, which "
                f"moves with the heap's layout; {t.locked_x86 / 1000:.0f}k per turn with the "
                f"fakes): {(lk[0] + t.sleep_us) / 1000:.1f}-{(lk[1] + t.sleep_us) / 1000:.1f} ms"
            )
    if r.times:
        lines.append(f"  method: {T.method()}")
        lines.append(
            "  bytecode frames over 11 words are heap-allocated on every call (the ESP32 "
            "port too): the search for room depends on the heap's holes (timing.py)"
        )
        ok = ", ".join(f"{t.n_cells} cells at {t.rate_hz} Hz" for t in r.fast_enough) or "none"
        lines.append(
            f"  within {1 - MARGIN:.0%} of the sample period at the slower rate (estimate): {ok}"
        )

        def bare_share(t: SampleTime) -> float:
            high = T.chip_us(t.x86_per_sample - t.fakes_x86, t.chip_mhz, b.coremark_per_mhz)[1]
            return (high + t.sleep_us) / t.period_us

        bare_ok = (
            ", ".join(
                f"{t.n_cells} cells at {t.rate_hz} Hz"
                for t in r.times
                if bare_share(t) <= 1 - MARGIN
            )
            or "none"
        )
        lines.append(
            f"  the same with C calls for the fake pins and ADC (as on the chip): {bare_ok}"
        )
    if r.battery_h:
        lines.append("")
        lines.append("battery life, 500 mAh (hardware/stridehw/power.py, ESP32-S3 figures):")
        for name, h in r.battery_h.items():
            lines.append(f"  {name}: {h:.1f} h")
    lines.append("")
    lines.append(f"verdict: {'SUPPORTED' if r.supported else 'NOT SUPPORTED'}: {r.verdict}")
    return "\n".join(lines)
