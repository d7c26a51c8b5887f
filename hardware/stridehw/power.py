# pyright: strict
"""Current budget of the ESP32-S3 pod (8 direct cells); hardware/POWER.md explains it.

Every load names its basis: a datasheet table, Ohm's law, or "estimate". The table
is generated so the arithmetic (sums, hours) cannot drift from the numbers.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Load:
    """One current draw in a scenario."""

    name: str
    ma: float
    basis: str  # datasheet reference, "Ohm's law", or "estimate: ..."


CAPACITY_MAH = 500
USABLE_FRACTION = 0.85  # estimate: cut-off ~3.4 V under load (LDO dropout), ageing margin
V_RAIL = 3.3
R_CELL_OHM = 10_000
N_CELLS = 8

# ESP32-S3 Series Datasheet v2.2, section 5.6.2, Table 5-9 "Current Consumption in
# Modem-sleep Mode", column Typ2 (all peripheral clocks enabled, as MicroPython leaves
# them): (WAITI idle, one core running 32-bit data access) in mA per CPU clock.
CPU_MA = {80: (36.1, 42.6), 160: (42.3, 54.6), 240: (47.6, 65.9)}
# Table 5-10 "Current Consumption in Low-Power Modes": Light-sleep 240 uA; Deep-sleep
# 8 uA with RTC peripherals on (needed for ext0/ext1 wake), 7 uA without.
LIGHT_SLEEP_MA = 0.240
DEEP_SLEEP_MA = 0.008
# Busy fraction of one core per sample period: ADC reads, IMU FIFO read, StepKernel.push
# and storage. Estimate (3 ms per sample at 80 MHz at 100 Hz; 1.5 ms at 160 MHz at
# 200 Hz); measure on the device and update.
BUSY = 0.30


def _cpu(rate_hz: int, mhz: int) -> Load:
    idle, run = CPU_MA[mhz]
    return Load(
        f"ESP32-S3 at {mhz} MHz, {rate_hz} Hz sampling, {round(BUSY * 100)} % busy",
        idle + BUSY * (run - idle),
        "DS Table 5-9 (Typ2); busy fraction is an estimate",
    )


def _cpu_lightsleep(rate_hz: int) -> Load:
    idle, run = CPU_MA[80]
    del idle
    return Load(
        f"ESP32-S3 at 80 MHz, {rate_hz} Hz, light sleep between samples",
        BUSY * run + (1 - BUSY) * LIGHT_SLEEP_MA,
        "DS Tables 5-9 and 5-10; proposed, not implemented (wake overhead not counted)",
    )


# A loaded cell at R_fsr = R_m (half scale) draws V / (2 R_m); assume each cell is
# loaded about a quarter of the time (stance ~40 % of a running stride, not every
# cell loaded through stance).
_CELL_HALF_MA = V_RAIL / (2 * R_CELL_OHM) * 1000

COMMON: tuple[Load, ...] = (
    Load(
        "LSM6DSOX accelerometer + gyroscope, high-performance",
        0.55,
        "LSM6DSOX datasheet: 0.55 mA in combo high-performance mode",
    ),
    Load(
        f"{N_CELLS} cell dividers (10 kOhm), mean",
        N_CELLS * _CELL_HALF_MA * 0.25,
        f"Ohm's law: {_CELL_HALF_MA * 1000:.0f} uA per cell at half scale; estimate: loaded 25 %",
    ),
    Load("Battery divider 100k + 100k at 3.9 V", 3.9 / 200_000 * 1000, "Ohm's law"),
    Load("AP2112K-3.3 LDO quiescent", 0.055, "AP2112 datasheet: 55 uA typical"),
    Load("Status LED, 20 ms flash every 5 s", 1.3 * 0.02 / 5, "estimate: 1.3 mA x 0.4 %"),
)

BLE_ADV = Load(
    "BLE advertising, 1 s interval, 0 dBm",
    0.35,
    "estimate: ~2 ms radio per event at ~150 mA (DS Table 5-8: TX 176 mA at 0 dBm)",
)
BLE_CONN = Load(
    "BLE connected, 100 ms interval, RSC notify",
    2.0,
    "estimate: ~1.5 ms radio per event at ~130 mA (DS Table 5-8: TX 176 mA, RX 93 mA)",
)
ESPNOW_ALWAYS = Load(
    "ESP-NOW receiver always on",
    60.0,
    "DS Table 5-7: Wi-Fi RX 88 mA (CPU idle included); estimate: 60 mA above the CPU load",
)
ESPNOW_BURST = Load(
    "ESP-NOW bursts, 0.5 s every 60 s",
    0.8,
    "estimate: Wi-Fi start + exchange at ~100 mA for 0.5 s per minute",
)

SLEEP: tuple[Load, ...] = (
    Load("ESP32-S3 deep sleep, RTC peripherals on", DEEP_SLEEP_MA, "DS Table 5-10"),
    Load("LSM6DSOX wake-up detection, accelerometer low power", 0.005, "estimate"),
    Load("AP2112K-3.3 LDO quiescent", 0.055, "AP2112 datasheet"),
    Load("Battery divider 100k + 100k", 3.9 / 200_000 * 1000, "Ohm's law"),
    Load("MCP73831 battery drain without USB", 0.002, "MCP73831 datasheet, maximum"),
)


def scenarios() -> list[tuple[str, list[Load]]]:
    """(name, loads) of every running scenario in the table."""
    out: list[tuple[str, list[Load]]] = []
    for rate, mhz in ((100, 80), (200, 160)):
        base = [_cpu(rate, mhz), *COMMON]
        out += [
            (f"{rate} Hz, recording, radio off", base),
            (f"{rate} Hz, BLE advertising", [*base, BLE_ADV]),
            (f"{rate} Hz, BLE connected (live RSC)", [*base, BLE_CONN]),
            (f"{rate} Hz, BLE connected + ESP-NOW bursts", [*base, BLE_CONN, ESPNOW_BURST]),
            (f"{rate} Hz, BLE connected + ESP-NOW always on", [*base, BLE_CONN, ESPNOW_ALWAYS]),
        ]
    out.append(
        (
            "100 Hz, recording, light sleep between samples (proposed)",
            [_cpu_lightsleep(100), *COMMON],
        )
    )
    return out


def hours(total_ma: float) -> float:
    """Hours on the usable capacity of the 500 mAh cell."""
    return CAPACITY_MAH * USABLE_FRACTION / total_ma


def power_md() -> str:
    """The budget as Markdown (generated/power-budget.md)."""
    lines = [
        f"# Power budget: ESP32-S3 pod, {N_CELLS} direct cells, {CAPACITY_MAH} mAh",
        "",
        "Generated by `hardware/build.py` (`hardware/stridehw/power.py`); `hardware/POWER.md`"
        " explains the sources and the firmware settings. Usable capacity:"
        f" {CAPACITY_MAH} mAh x {USABLE_FRACTION:.2f} (estimate). Hours = usable mAh / total mA."
        " Module-level currents only: a DevKitC's power LED and USB bridge come on top.",
        "",
        f"| Scenario | Total mA | Hours on {CAPACITY_MAH} mAh |",
        "|---|---|---|",
    ]
    table = scenarios()
    for name, loads in table:
        total = sum(ld.ma for ld in loads)
        lines.append(f"| {name} | {total:.1f} | {hours(total):.1f} |")
    lines += ["", "## Loads", "", "| Load | mA | Basis |", "|---|---|---|"]
    seen: set[str] = set()
    for _, loads in table:
        for ld in loads:
            if ld.name not in seen:
                seen.add(ld.name)
                lines.append(f"| {ld.name} | {ld.ma:.3f} | {ld.basis} |")
    total_sleep = sum(ld.ma for ld in SLEEP)
    lines += [
        "",
        "## Deep sleep (pod switched on, not moving; wakes on button or motion)",
        "",
        "| Load | uA | Basis |",
        "|---|---|---|",
    ]
    lines += [f"| {ld.name} | {ld.ma * 1000:.1f} | {ld.basis} |" for ld in SLEEP]
    lines += [
        f"| **Total** | **{total_sleep * 1000:.1f}** | {hours(total_sleep) / 24:.0f} days |",
        "",
    ]
    return "\n".join(lines)
