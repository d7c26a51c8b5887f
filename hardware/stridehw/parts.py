# pyright: strict
"""Builds (board x insole) and the parts each wiring diagram shows: the BOM."""

import csv
import io
from dataclasses import dataclass

from .fw import (
    BOARDS,
    CELL_DIVIDER_OHM,
    CONFIG_DIRECT,
    IMU_ADDR_LSM6DSOX,
    IMU_ADDR_MPU6050,
    INSOLES,
    BoardView,
    LayoutView,
    ohms,
)


@dataclass(frozen=True)
class Part:
    """One BOM line: the same part at every designator in refs."""

    refs: tuple[str, ...]
    part: str
    manufacturer: str
    mpn: str
    unit_eur_cents: int  # rough single-unit price, EUR cents
    notes: str

    @property
    def qty(self) -> int:
        return len(self.refs)


@dataclass(frozen=True)
class Build:
    """One pod build: a board wired for one insole."""

    board: BoardView
    layout: LayoutView
    config: str

    @property
    def slug(self) -> str:
        return f"{self.board.key}-{self.layout.name}"


def builds() -> list[Build]:
    """Every (board, insole) pod the generated docs cover."""
    out: list[Build] = []
    for b in BOARDS:
        for lay in INSOLES:
            out.append(Build(b, lay, b.config_for(lay.n_cells)))
    return out


def eur(cents: int) -> str:
    """1234 -> '12.34'."""
    return f"{cents // 100}.{cents % 100:02d}"


def _refs(prefix: str, first: int, count: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{first + i}" for i in range(count))


def parts_for(bld: Build) -> list[Part]:
    """Every part on the wiring diagram of one build (the BOM is exactly this)."""
    n = bld.layout.n_cells
    direct = bld.config == CONFIG_DIRECT
    if bld.board.key == "esp32s3":
        mcu = Part(
            ("U1",),
            "MCU board ESP32-S3-DevKitC-1 (ESP32-S3-WROOM-1, 8 MB flash, 2 MB PSRAM)",
            "Espressif",
            "ESP32-S3-DEVKITC-1-N8R2",
            1500,
            "N8 or N8R8 work too (octal PSRAM: flash the SPIRAM_OCT image); "
            "powered on its 3V3 pin, not 5V",
        )
    else:
        mcu = Part(
            ("U1",),
            "MCU board ESP32-DevKitC V4 (ESP32-WROOM-32E, 4 MB flash)",
            "Espressif",
            "ESP32-DEVKITC-32E",
            1000,
            "any WROOM-32/32E DevKitC; powered on its 3V3 pin, not 5V",
        )
    parts = [
        mcu,
        Part(
            _refs("FSR", 1, n),
            "Insole cell: piezoresistive force sensor, 9.53 mm sensing disc, 445 N range",
            "Tekscan",
            "FlexiForce A201-100",
            2000,
            "order the tail length that reaches the pod; see README 'Cells'",
        ),
    ]
    if direct:
        parts.append(
            Part(
                _refs("R", 1, n),
                f"Resistor {ohms(CELL_DIVIDER_OHM)} 1% 0.25 W (cell divider to GND)",
                "Yageo",
                "MFR-25FBF52-10K",
                10,
                "R_m of calib.py's nominal curve; change only with a recalibration",
            )
        )
    else:
        parts += [
            Part(
                ("R1",),
                f"Resistor {ohms(CELL_DIVIDER_OHM)} 1% 0.25 W (mux SIG divider to GND)",
                "Yageo",
                "MFR-25FBF52-10K",
                10,
                "R_m of calib.py's nominal curve, shared by all cells via the mux",
            ),
            Part(
                ("U2",),
                "16-channel analog multiplexer CD74HC4067, DIP-24",
                "Texas Instruments",
                "CD74HC4067E",
                150,
                "or the SparkFun BOB-09056 breakout (same chip); VCC = 3V3",
            ),
            Part(
                ("C1",),
                "Capacitor 100 nF ceramic X7R 50 V (U2 decoupling)",
                "KEMET",
                "C322C104K5R5TA",
                20,
                "next to U2 pins 24/12",
            ),
        ]
    parts += [
        Part(
            ("U3",),
            "IMU breakout LSM6DSOX 6-DoF, I2C, with pull-ups",
            "Adafruit",
            "4438",
            1200,
            f"address 0x{IMU_ADDR_LSM6DSOX:02X}; alternative GY-521 MPU-6050 board at 0x{IMU_ADDR_MPU6050:02X} (firmware probes both)",
        ),
        Part(
            ("R9", "R10"),
            "Resistor 100 kΩ 1% 0.25 W (battery sense divider)",
            "Yageo",
            "MFR-25FBF52-100K",
            10,
            "4.2 V battery -> 2.1 V at the ADC",
        ),
        Part(
            ("C2",),
            "Capacitor 100 nF ceramic X7R 50 V (battery sense filter)",
            "KEMET",
            "C322C104K5R5TA",
            20,
            "low source impedance for the ADC sample",
        ),
        Part(
            ("SW1",),
            "Tactile switch 6 mm, normally open (pairing button)",
            "Omron",
            "B3F-1000",
            30,
            "to GND; firmware enables the internal pull-up",
        ),
        Part(("D1",), "LED 3 mm red (status)", "Kingbright", "WP710A10ID", 20, ""),
        Part(
            ("R11",),
            "Resistor 1 kΩ 1% 0.25 W (LED series)",
            "Yageo",
            "MFR-25FBF52-1K",
            10,
            "about 1.3 mA at 3.3 V",
        ),
        Part(
            ("BT1",),
            "LiPo cell 3.7 V 500 mAh with protection circuit, JST-PH 2-pin",
            "Adafruit",
            "1578",
            900,
            "check polarity against U4 before plugging in",
        ),
        Part(
            ("U4",),
            "LiPo charger board, USB-C, MCP73831",
            "Adafruit",
            "4410",
            700,
            "charge current jumper: 100 mA default (0.2 C), 500 mA max for 500 mAh",
        ),
        Part(
            ("SW2",),
            "Slide switch SPDT (power)",
            "C&K",
            "OS102011MS2QN1",
            50,
            "off = no drain at all in storage",
        ),
        Part(
            ("U5",),
            "LDO regulator 3.3 V 600 mA, 55 uA quiescent, SOT-23-5",
            "Diodes Inc.",
            "AP2112K-3.3TRG1",
            40,
            "solder on a SOT-23 adapter; feeds the 3V3 rail",
        ),
        Part(
            ("C3", "C4"),
            "Capacitor 1 uF ceramic X7R 25 V (LDO input/output)",
            "TDK",
            "FG28X7R1E105KRT06",
            30,
            "AP2112 needs >= 1 uF on both sides",
        ),
    ]
    return parts


def bom_csv(bld: Build) -> str:
    """BOM of one build as CSV (LF line ends, fixed column order)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(
        ["refs", "part", "manufacturer", "mpn", "qty", "unit_price_eur", "total_eur", "notes"]
    )
    for p in parts_for(bld):
        w.writerow(
            [
                " ".join(p.refs),
                p.part,
                p.manufacturer,
                p.mpn,
                p.qty,
                eur(p.unit_eur_cents),
                eur(p.unit_eur_cents * p.qty),
                p.notes,
            ]
        )
    return buf.getvalue()


def bom_total_cents(bld: Build) -> int:
    return sum(p.unit_eur_cents * p.qty for p in parts_for(bld))
