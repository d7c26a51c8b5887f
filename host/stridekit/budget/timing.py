"""Time per sample on the chip: an estimate, and how it is made.

Method (reproducible with `stride deploy --dry-run --board NAME`):
1. Measure the recording App turn (sampling, kernel, store, console and BLE
   polls) in ../shared/tools/micropython-unix32 on this host, over 2,000 samples,
   with the modules built as deploy builds them (x86 code for native modules).
   Sleeps the firmware asks for (mux settling) are counted, not slept.
2. Scale the interpreter time by the ratio of CPU throughput, host to chip:
   host MHz (/proc/cpuinfo) x HOST_COREMARK_PER_MHZ over chip MHz x the chip's
   CoreMark/MHz from Espressif's datasheets (ESP32: 504.85 CoreMark at 240 MHz
   = 2.10/MHz; ESP32-S3: 613.86 = 2.56/MHz, one core). The chip's clock is the
   one hardware/POWER.md sets: 80 MHz at 100 Hz, 160 MHz at 200 Hz.
3. Add the sleeps unscaled.
The fake pins and ADC the script gives the App are interpreted Python here and C
on the chip, so wirings through the multiplexer (16 cells; every cell on the
ESP32) come out too slow by their pin calls.
Not in the estimate: ADC conversion time, flash-cache misses (the ESP32 runs
MicroPython from flash through a cache, so this errs fast), BLE and Wi-Fi
interrupts. An estimate: replace it with `stride bench` on a pod.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# x86-64 cores of the last decade score about 5 to 7 CoreMark/MHz per core on
# EEMBC's published list; the middle is taken (an assumption: part of the estimate).
HOST_COREMARK_PER_MHZ = 6.0
CHIP_MHZ = {100: 80, 200: 160}  # hardware/POWER.md, "Firmware settings"


def host_mhz() -> float:
    """This host's CPU clock from /proc/cpuinfo (0 when unknown)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("cpu MHz"):
                return float(line.split(":")[1])
    except (OSError, ValueError):
        pass
    return 0.0


@dataclass
class SampleTime:
    n_cells: int
    rate_hz: int
    host_us: float  # interpreter work per sample on this host
    sleep_us: float
    chip_mhz: int
    chip_us: float  # estimate

    @property
    def period_us(self) -> float:
        return 1e6 / self.rate_hz

    @property
    def cpu_share(self) -> float:
        return self.chip_us / self.period_us


def chip_estimate(
    host_us: float, sleep_us: float, rate_hz: int, coremark_per_mhz: float, mhz: float
) -> float:
    """µs per sample on the chip (see the module docstring); 0 when the host clock is unknown."""
    if mhz <= 0:
        return 0.0
    ratio = (mhz * HOST_COREMARK_PER_MHZ) / (CHIP_MHZ[rate_hz] * coremark_per_mhz)
    return host_us * ratio + sleep_us
