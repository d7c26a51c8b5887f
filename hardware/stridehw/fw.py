# pyright: strict
"""Typed, read-only views of firmware/stridefw/board.py and layouts.py.

The firmware modules are plain MicroPython-compatible Python without annotations;
everything the generator needs is copied here once, with types.
"""

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

try:  # installed (pip install -e .) or run from a checkout
    from stridefw import board as fw_board
    from stridefw import layouts as fw_layouts
except ImportError:  # pragma: no cover - plain checkout without the package
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "firmware"))
    from stridefw import board as fw_board
    from stridefw import layouts as fw_layouts

from .outline import scale_for

# The firmware modules are unannotated; read them through Any, convert once, below.
_board: Any = fw_board
_layouts: Any = fw_layouts

ZONE_NAMES = ("heel", "midfoot", "forefoot")
ZONE_COLOURS = ("#e66101", "#5e3c99", "#1b9e77")  # ColorBrewer PuOr/Dark2, colour-blind safe


@dataclass(frozen=True)
class LayoutView:
    """Typed copy of a stridefw.layouts.Layout."""

    layout_id: int
    name: str
    x_dmm: tuple[int, ...]
    y_dmm: tuple[int, ...]
    zone: tuple[int, ...]

    @property
    def n_cells(self) -> int:
        return len(self.x_dmm)

    def scaled(self, eu_size: int) -> list[tuple[int, int]]:
        """Cell centres at a size, integer 0.1 mm."""
        s = scale_for(eu_size)
        return [(round(x * s), round(y * s)) for x, y in zip(self.x_dmm, self.y_dmm, strict=True)]


def _layout_view(raw: Any) -> LayoutView:
    return LayoutView(
        layout_id=int(raw.layout_id),
        name=str(raw.name),
        x_dmm=tuple(int(v) for v in raw.x_dmm),
        y_dmm=tuple(int(v) for v in raw.y_dmm),
        zone=tuple(int(v) for v in raw.zone),
    )


INSOLES: tuple[LayoutView, ...] = (
    _layout_view(_layouts.INSOLE_8),
    _layout_view(_layouts.INSOLE_16),
)
ALL_LAYOUTS: tuple[LayoutView, ...] = (*INSOLES, _layout_view(_layouts.FOOTSWITCH_1))


@dataclass(frozen=True)
class BoardView:
    """Typed copy of a stridefw.board.Board plus the firmware's helper results."""

    key: str
    name: str
    chip: str
    adc1_channel: dict[int, int]
    strapping_pins: tuple[int, ...]
    flash_pins: tuple[int, ...]
    psram_pins: tuple[int, ...]
    input_only_pins: tuple[int, ...]
    rtc_pins: tuple[int, ...]
    avoid_pins: dict[int, str]
    cells_direct: tuple[int, ...] | None
    mux_sig: int
    mux_select: tuple[int, ...]
    mux_en: int
    battery_adc: int
    battery_divider: tuple[int, int]
    i2c_sda: int
    i2c_scl: int
    imu_int: int
    button: int
    led: int
    configs: tuple[str, ...]
    pins_by_config: dict[str, dict[str, int]]

    def config_for(self, n_cells: int) -> str:
        return str(_board.config_for(_board.BOARDS[self.key], n_cells))


def _ints(values: Any) -> tuple[int, ...]:
    return tuple(int(v) for v in values)


def _board_view(raw: Any) -> BoardView:
    configs = tuple(str(c) for c in raw.configs())
    pins_by_config: dict[str, dict[str, int]] = {}
    for c in configs:
        used: Any = _board.pins_used(raw, c)
        pins_by_config[c] = {str(k): int(v) for k, v in used.items()}
    adc1: Any = raw.adc1_channel
    avoid: Any = raw.avoid_pins
    r_top, r_bottom = _ints(raw.battery_divider)
    return BoardView(
        key=str(raw.key),
        name=str(raw.name),
        chip=str(raw.chip),
        adc1_channel={int(k): int(v) for k, v in adc1.items()},
        strapping_pins=_ints(raw.strapping_pins),
        flash_pins=_ints(raw.flash_pins),
        psram_pins=_ints(raw.psram_pins),
        input_only_pins=_ints(raw.input_only_pins),
        rtc_pins=_ints(raw.rtc_pins),
        avoid_pins={int(k): str(v) for k, v in avoid.items()},
        cells_direct=None if raw.cells_direct is None else _ints(raw.cells_direct),
        mux_sig=int(raw.mux_sig),
        mux_select=_ints(raw.mux_select),
        mux_en=int(raw.mux_en),
        battery_adc=int(raw.battery_adc),
        battery_divider=(r_top, r_bottom),
        i2c_sda=int(raw.i2c_sda),
        i2c_scl=int(raw.i2c_scl),
        imu_int=int(raw.imu_int),
        button=int(raw.button),
        led=int(raw.led),
        configs=configs,
        pins_by_config=pins_by_config,
    )


BOARDS: tuple[BoardView, ...] = tuple(_board_view(_board.BOARDS[k]) for k in ("esp32s3", "esp32"))
CONFIG_DIRECT = str(_board.CONFIG_DIRECT)
CONFIG_MUX = str(_board.CONFIG_MUX)
CELL_DIVIDER_OHM = int(_board.CELL_DIVIDER_OHM)
IMU_ADDR_LSM6DSOX = int(_board.IMU_ADDR_LSM6DSOX)
IMU_ADDR_MPU6050 = int(_board.IMU_ADDR_MPU6050)
ROLES: tuple[str, ...] = tuple(str(r) for r in _board.ROLES)
ANALOG_ROLES: tuple[str, ...] = tuple(str(r) for r in _board.ANALOG_ROLES)
OUTPUT_ROLES: tuple[str, ...] = tuple(str(r) for r in _board.OUTPUT_ROLES)
WAKE_ROLES: tuple[str, ...] = tuple(str(r) for r in _board.WAKE_ROLES)
PULLUP_ROLES: tuple[str, ...] = tuple(str(r) for r in _board.PULLUP_ROLES)

# CD74HC4067 DIP/SOIC-24 pin numbers (TI SCHS209, "Pin Configuration and Functions").
MUX_PIN_CHANNEL = (9, 8, 7, 6, 5, 4, 3, 2, 23, 22, 21, 20, 19, 18, 17, 16)  # I0..I15
MUX_PIN = {"SIG": 1, "S0": 10, "S1": 11, "GND": 12, "S3": 13, "S2": 14, "E": 15, "VCC": 24}


def ohms(value: int) -> str:
    """10000 -> '10 kΩ'."""
    if value >= 1000 and value % 1000 == 0:
        return f"{value // 1000} kΩ"
    return f"{value} Ω"


NET_NAME: dict[str, str] = {
    "mux_sig": "MUX_SIG",
    "mux_s0": "MUX_S0",
    "mux_s1": "MUX_S1",
    "mux_s2": "MUX_S2",
    "mux_s3": "MUX_S3",
    "mux_en": "MUX_EN",
    "battery_adc": "VBAT_SENSE",
    "i2c_sda": "SDA",
    "i2c_scl": "SCL",
    "imu_int": "IMU_INT",
    "button": "BTN",
    "led": "LED",
}


def net_name(role: str) -> str:
    """Net name of a pin role on the wiring diagrams: cell3 -> CELL3, i2c_sda -> SDA."""
    if role.startswith("cell"):
        return "CELL" + role[4:]
    return NET_NAME[role]
