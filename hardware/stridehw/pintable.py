# pyright: strict
"""Markdown pin table per board."""

from collections.abc import Sequence

from .fw import (
    CELL_DIVIDER_OHM,
    INSOLES,
    MUX_PIN,
    MUX_PIN_CHANNEL,
    ROLES,
    ZONE_NAMES,
    BoardView,
    net_name,
    ohms,
)

ROLE_TEXT: dict[str, str] = {
    "mux_sig": "mux SIG (common) -> ADC",
    "mux_s0": "mux select S0",
    "mux_s1": "mux select S1",
    "mux_s2": "mux select S2",
    "mux_s3": "mux select S3",
    "mux_en": "mux enable E (active low)",
    "battery_adc": "battery sense (divider midpoint)",
    "i2c_sda": "IMU I2C SDA",
    "i2c_scl": "IMU I2C SCL",
    "imu_int": "IMU interrupt (INT1 / INT)",
    "button": "pairing button to GND",
    "led": "status LED (through 1 kΩ)",
}

_R = ohms(CELL_DIVIDER_OHM)
CONNECTS_TO: dict[str, str] = {
    "mux_sig": f"U2 pin {MUX_PIN['SIG']} (SIG), R1 {_R} to GND",
    "mux_s0": f"U2 pin {MUX_PIN['S0']}",
    "mux_s1": f"U2 pin {MUX_PIN['S1']}",
    "mux_s2": f"U2 pin {MUX_PIN['S2']}",
    "mux_s3": f"U2 pin {MUX_PIN['S3']}",
    "mux_en": f"U2 pin {MUX_PIN['E']}",
    "battery_adc": "R9/R10 midpoint, C2",
    "i2c_sda": "U3 SDA",
    "i2c_scl": "U3 SCL",
    "imu_int": "U3 INT1 (LSM6DSOX) / INT (MPU-6050)",
    "button": "SW1 to GND",
    "led": "R11 -> D1 -> GND",
}


def _connects_to(role: str) -> str:
    if role.startswith("cell"):
        n = int(role[4:]) + 1
        return f"FSR{n} to 3V3, R{n} {_R} to GND"
    return CONNECTS_TO[role]


def _pin_list(pins: Sequence[int]) -> str:
    return ", ".join(f"GPIO{p}" for p in pins) if pins else "none"


def pin_table_md(b: BoardView) -> str:
    """Markdown pin table of one board: every role, the mux channels, the pins kept free."""
    configs = ", ".join(f"`{c}`" for c in b.configs)
    if b.cells_direct is not None:
        how = (
            "`direct`: the 8-cell insole, each cell on its own ADC1 pin. `mux`: the 16-cell"
            " insole through the CD74HC4067, SIG on the pin (and divider resistor) of cell 0."
        )
    else:
        how = (
            "Both insoles go through the CD74HC4067 mux (the 8-cell insole on channels 0-7):"
            " the module brings out only six ADC1 pins."
        )
    lines = [
        f"# Pin map: {b.name}",
        "",
        "Generated from `firmware/stridefw/board.py` by `hardware/build.py`; do not edit.",
        "",
        f"Wiring configurations: {configs}. {how}",
        "",
        "| Signal | Net | GPIO | ADC1 | Configuration | Connects to |",
        "|---|---|---|---|---|---|",
    ]
    seen: dict[str, list[str]] = {}
    for c in b.configs:
        for role in b.pins_by_config[c]:
            seen.setdefault(role, []).append(c)
    for role in ROLES:
        if role not in seen:
            continue
        cfgs = seen[role]
        gpio = b.pins_by_config[cfgs[0]][role]
        adc = f"CH{b.adc1_channel[gpio]}" if gpio in b.adc1_channel else ""
        if role.startswith("cell"):
            k = int(role[4:])
            text = f"cell {k} ({ZONE_NAMES[INSOLES[0].zone[k]]})"
        else:
            text = ROLE_TEXT[role]
        where = "all" if len(cfgs) == len(b.configs) else ", ".join(cfgs)
        lines.append(
            f"| {text} | {net_name(role)} | {gpio} | {adc} | {where} | {_connects_to(role)} |"
        )
    lines += [
        "| 3.3 V supply | 3V3 | 3V3 pin | | all | U5 output (LDO), cells, U2 VCC, U3 VIN |",
        "| ground | GND | GND pin | | all | everything |",
        "",
        "## Mux channels",
        "",
        "Cell k is on CD74HC4067 channel k (select S3..S0 = k in binary).",
        "The 8-cell insole uses channels 0-7 when it goes through the mux.",
        "",
        "| Channel | U2 pin | insole-16 cell (zone) | insole-8 cell (zone) |",
        "|---|---|---|---|",
    ]
    i8, i16 = INSOLES
    for ch in range(16):
        c8 = f"{ch} ({ZONE_NAMES[i8.zone[ch]]})" if ch < i8.n_cells else "not connected"
        c16 = f"{ch} ({ZONE_NAMES[i16.zone[ch]]})"
        lines.append(f"| {ch} | {MUX_PIN_CHANNEL[ch]} | {c16} | {c8} |")
    used = {g for pins in b.pins_by_config.values() for g in pins.values()}
    spare_adc = sorted(g for g in b.adc1_channel if g not in b.strapping_pins and g not in used)
    adc1 = ", ".join(f"GPIO{g} (CH{b.adc1_channel[g]})" for g in sorted(b.adc1_channel))
    lines += [
        "",
        "## Pins kept free",
        "",
        "| Why | GPIOs |",
        "|---|---|",
        f"| strapping (boot mode, sampled at reset) | {_pin_list(b.strapping_pins)} |",
        f"| SPI flash | {_pin_list(b.flash_pins)} |",
        f"| PSRAM (octal/WROVER modules) | {_pin_list(b.psram_pins)} |",
    ]
    lines += [f"| {b.avoid_pins[g]} | GPIO{g} |" for g in sorted(b.avoid_pins)]
    r_top, r_bottom = b.battery_divider
    lines += [
        "",
        f"ADC1 pins on this module: {adc1}. Spare ADC1 pins: {_pin_list(spare_adc)}.",
        "",
        f"Battery: {ohms(r_top)} over {ohms(r_bottom)}, so V_bat = V_adc x"
        f" {(r_top + r_bottom) / r_bottom:g} (4.2 V full -> {4.2 * r_bottom / (r_top + r_bottom):.2f} V).",
        "",
    ]
    return "\n".join(lines)
