# pyright: strict
"""Wiring diagrams of each build (schemdraw, SVG backend).

Style: each block (MCU, insole, IMU, button/LED, power) is drawn as a small circuit;
blocks join through net flags with the same name (as in KiCad), so 16 cells stay
readable. Designators match the BOM; numbers are rounded to 0.01 so the SVG is
byte-stable (no timestamps, no libm last-bit noise).
"""

import re
from collections.abc import Callable
from typing import Any

import schemdraw
import schemdraw.elements as elm

from .fw import (
    ANALOG_ROLES,
    CELL_DIVIDER_OHM,
    CONFIG_DIRECT,
    IMU_ADDR_LSM6DSOX,
    IMU_ADDR_MPU6050,
    MUX_PIN,
    MUX_PIN_CHANNEL,
    ROLES,
    ZONE_NAMES,
    net_name,
    ohms,
)
from .parts import Build

XY = tuple[float, float]


def _new(cls: Callable[..., elm.Element]) -> Callable[..., Any]:
    """schemdraw's chained methods are typed on the base Element (``.at()`` returns
    Element, whose ``left()`` takes no length); build elements as Any instead."""
    return cls


_NUM_ATTRS = frozenset(
    ("x", "y", "cx", "cy", "r", "width", "height", "viewBox", "points", "d", "dy", "transform")
)
_NUM = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")
_ATTR = re.compile(r'([\w:-]+)="([^"]*)"')


def _round_num(m: re.Match[str]) -> str:
    s = f"{round(float(m.group(0)), 2):.2f}".rstrip("0").rstrip(".")
    return "0" if s == "-0" else s


def stable_svg(svg: str) -> str:
    """Round every coordinate to 0.01 so the output never depends on libm last bits."""

    def attr(m: re.Match[str]) -> str:
        name, value = m.group(1), m.group(2)
        if name in _NUM_ATTRS:
            value = _NUM.sub(_round_num, value)
        return f'{name}="{value}"'

    svg = _ATTR.sub(attr, svg)
    return svg if svg.endswith("\n") else svg + "\n"


def _tag_width(text: str) -> float:
    return 0.7 + 0.2 * len(text)


class _Sheet:
    """A schemdraw drawing plus the designators placed on it."""

    def __init__(self) -> None:
        self.d = schemdraw.Drawing(show=False)
        self.d.config(unit=2.5, fontsize=11, font="sans-serif", lw=1.2)
        self.refs: list[str] = []

    def add(self, e: Any) -> Any:
        self.d.add(e)
        return e

    def ref(self, ref: str) -> str:
        """A designator shown on the sheet (recorded for the BOM cross-check)."""
        self.refs.append(ref)
        return ref

    def text(self, xy: XY, s: str, size: float = 11) -> None:
        self.add(_new(elm.Label)().at(xy).right().label(s, fontsize=size, halign="left"))

    def tag(self, xy: XY, net: str, side: str) -> None:
        """Net flag: a short wire from xy, then a flag with the net name."""
        line = _new(elm.Line)().at(xy)
        flag = _new(elm.Tag)(width=_tag_width(net))
        if side == "left":
            line.left(0.5)
            flag.left()
        else:
            line.right(0.5)
            flag.right()
        self.add(line)
        self.add(flag.label(net, fontsize=10))

    def vdd(self, xy: XY) -> None:
        self.add(_new(elm.Vdd)().at(xy).label("3V3", fontsize=10))

    def gnd(self, xy: XY) -> None:
        self.add(_new(elm.Ground)().at(xy))

    def dot(self, xy: XY) -> None:
        self.add(_new(elm.Dot)().at(xy))

    def reserve(self, xy: XY) -> None:
        """Grow the drawing's bounding box to xy (schemdraw underestimates some text)."""
        self.add(_new(elm.Gap)().at(xy).to(xy))


def _mcu_block(sh: _Sheet, bld: Build, origin: XY) -> None:
    b = bld.board
    used = b.pins_by_config[bld.config]
    analog = [r for r in ROLES if r in used and r in ANALOG_ROLES]
    digital = [r for r in ROLES if r in used and r not in ANALOG_ROLES]
    pins: list[elm.IcPin] = []
    for role in reversed(analog):  # schemdraw stacks side pins bottom-up
        g = used[role]
        pins.append(
            elm.IcPin(name=f"GPIO{g}  ADC1_CH{b.adc1_channel[g]}", side="left", anchorname=role)
        )
    for role in reversed(digital):
        pins.append(elm.IcPin(name=f"GPIO{used[role]}", side="right", anchorname=role))
    pins.append(elm.IcPin(name="3V3", side="top", anchorname="v33", slot="7/8"))
    pins.append(elm.IcPin(name="GND", side="bottom", anchorname="gnd", slot="7/8"))
    ic = _new(elm.Ic)(pins=pins, pinspacing=1.0, edgepadW=1.2, edgepadH=0.8, leadlen=0.6, lsize=10)
    sh.add(ic.at(origin).right())
    short = "ESP32-S3-DevKitC-1" if b.key == "esp32s3" else "ESP32-DevKitC V4"
    top = ic.absanchors["v33"][1] - 0.6
    sh.text((origin[0], top + 0.5), f"{sh.ref('U1')}  {short}", size=12)
    for role in analog:
        sh.tag(ic.absanchors[role], net_name(role), "left")
    for role in digital:
        sh.tag(ic.absanchors[role], net_name(role), "right")
    sh.vdd(ic.absanchors["v33"])
    sh.gnd(ic.absanchors["gnd"])


def _direct_insole_block(sh: _Sheet, bld: Build, origin: XY) -> None:
    """One divider per cell, side by side: 3V3 - FSRk - CELLk - Rk - GND."""
    x0, y0 = origin
    lay = bld.layout
    r_text = ohms(CELL_DIVIDER_OHM)
    for k in range(lay.n_cells):
        x = x0 + 4.5 * k
        sh.vdd((x, y0))
        fsr = _new(elm.ResistorVar)().at((x, y0)).down(2.5)
        sh.add(fsr.label(sh.ref(f"FSR{k + 1}"), loc="bottom", fontsize=10))
        node = fsr.end
        sh.dot(node)
        sh.tag(node, f"CELL{k}", "right")
        r = _new(elm.Resistor)().at(node).down(2.5)
        sh.add(r.label(f"{sh.ref(f'R{k + 1}')}\n{r_text}", loc="bottom", fontsize=10))
        sh.gnd(r.end)
        sh.text((x + 0.4, y0 - 6.3), f"cell {k}\n{ZONE_NAMES[lay.zone[k]]}", size=9)


def _mux_insole_block(sh: _Sheet, bld: Build, origin: XY) -> None:
    """CD74HC4067: cells from a 3V3 bus to I0..I(n-1); SIG to R1 and the ADC net."""
    lay = bld.layout
    pins = [
        elm.IcPin(name=f"I{ch}", pin=str(MUX_PIN_CHANNEL[ch]), side="left", anchorname=f"I{ch}")
        for ch in range(16)
    ]
    for name in ("SIG", "E", "S3", "S2", "S1", "S0"):  # bottom-up
        shown = "/E" if name == "E" else name
        pins.append(elm.IcPin(name=shown, pin=str(MUX_PIN[name]), side="right", anchorname=name))
    pins.append(elm.IcPin(name="VCC", pin=str(MUX_PIN["VCC"]), side="top", anchorname="VCC"))
    pins.append(elm.IcPin(name="GND", pin=str(MUX_PIN["GND"]), side="bottom", anchorname="GND"))
    ic = _new(elm.Ic)(pins=pins, pinspacing=1.3, edgepadW=1.0, edgepadH=0.5, leadlen=0.9, lsize=10)
    ic.at(origin).right().label(f"{sh.ref('U2')}\nCD74HC4067", loc="center", fontsize=12)
    sh.add(ic)
    i0 = ic.absanchors["I0"]
    bus_x = i0[0] - 3.5
    for ch in range(16):
        a = ic.absanchors[f"I{ch}"]
        if ch >= lay.n_cells:
            sh.add(_new(elm.NoConnect)().at(a))
            continue
        f = _new(elm.ResistorVar)().at(a).left(3.5)
        sh.add(f)
        sh.dot(f.end)
        text = f"{sh.ref(f'FSR{ch + 1}')}  cell {ch} {ZONE_NAMES[lay.zone[ch]]}"
        label = _new(elm.Label)().at((f.end[0] - 0.3, f.end[1])).right()
        sh.add(label.label(text, fontsize=9, halign="right"))
        sh.reserve((f.end[0] - 0.4 - 0.19 * len(text), f.end[1]))
    top = (bus_x, ic.absanchors[f"I{lay.n_cells - 1}"][1] + 1.2)
    sh.add(_new(elm.Line)().at((bus_x, i0[1])).to(top))
    sh.vdd(top)
    # SIG: the shared divider resistor to GND, and the net to the ADC pin.
    sig = ic.absanchors["SIG"]
    node = (sig[0] + 0.8, sig[1])
    sh.add(_new(elm.Line)().at(sig).to(node))
    sh.dot(node)
    r = _new(elm.Resistor)().at(node).down(2.5)
    sh.add(r.label(f"{sh.ref('R1')}\n{ohms(CELL_DIVIDER_OHM)}", loc="bottom", fontsize=10))
    sh.gnd(r.end)
    sh.tag(node, "MUX_SIG", "right")
    for name in ("S0", "S1", "S2", "S3"):
        sh.tag(ic.absanchors[name], f"MUX_{name}", "right")
    sh.tag(ic.absanchors["E"], "MUX_EN", "right")
    vcc = ic.absanchors["VCC"]
    sh.vdd(vcc)
    sh.add(_new(elm.Line)().at(vcc).right(1.8))
    c = _new(elm.Capacitor)().at((vcc[0] + 1.8, vcc[1])).down(1.6)
    sh.add(c.label(f"{sh.ref('C1')}\n100 nF", loc="bottom", fontsize=10))
    sh.gnd(c.end)
    sh.gnd(ic.absanchors["GND"])


def _imu_block(sh: _Sheet, origin: XY) -> None:
    pins = [
        elm.IcPin(name=n, side="left", anchorname=a)
        for n, a in (("INT1", "INT"), ("SCL", "SCL"), ("SDA", "SDA"))
    ]
    pins.append(elm.IcPin(name="VIN", side="top", anchorname="VIN"))
    pins.append(elm.IcPin(name="GND", side="bottom", anchorname="GND"))
    ic = _new(elm.Ic)(pins=pins, pinspacing=1.0, edgepadW=1.5, edgepadH=0.6, leadlen=0.8, lsize=10)
    sh.add(ic.at(origin).right())
    sh.vdd(ic.absanchors["VIN"])
    sh.gnd(ic.absanchors["GND"])
    sh.tag(ic.absanchors["SDA"], "SDA", "left")
    sh.tag(ic.absanchors["SCL"], "SCL", "left")
    sh.tag(ic.absanchors["INT"], "IMU_INT", "left")
    x_right = origin[0] + 4.2
    sh.text(
        (x_right, origin[1] + 2.2),
        f"{sh.ref('U3')} IMU breakout\nLSM6DSOX at 0x{IMU_ADDR_LSM6DSOX:02X}\n"
        f"or MPU-6050 at 0x{IMU_ADDR_MPU6050:02X}\n(I2C pull-ups on board)",
        size=10,
    )
    sh.reserve((x_right + 5.0, origin[1]))


def _ui_block(sh: _Sheet, origin: XY) -> None:
    x, y = origin
    # Pairing button: BTN - SW1 - GND (the MCU's internal pull-up holds BTN high).
    sh.add(_new(elm.Tag)(width=_tag_width("BTN")).at((x, y)).left().label("BTN", fontsize=10))
    sw = _new(elm.Button)().at((x, y)).right(2.5)
    sh.add(sw.label(sh.ref("SW1"), loc="top", fontsize=10))
    sh.gnd(sw.end)
    sh.text((x - 1.4, y - 1.1), "pairing button", size=9)
    # Status LED: LED - R11 - D1 - GND.
    y2 = y - 3.2
    sh.add(_new(elm.Tag)(width=_tag_width("LED")).at((x, y2)).left().label("LED", fontsize=10))
    r = _new(elm.Resistor)().at((x, y2)).right(2.5)
    sh.add(r.label(f"{sh.ref('R11')}\n1 kΩ", loc="bottom", fontsize=10, ofst=0.45))
    d = _new(elm.LED)().at(r.end).right(2.0)
    sh.add(d.label(sh.ref("D1"), loc="bottom", fontsize=10, ofst=0.45))
    sh.gnd(d.end)
    sh.text((x - 1.4, y2 - 1.8), "status LED", size=9)


def _power_block(sh: _Sheet, origin: XY) -> None:
    """BT1 + U4 charger -> VBAT -> SW2 -> VSYS -> U5 LDO -> 3V3; R9/R10/C2 sense VSYS."""
    x, y = origin
    vbat = (x + 1.5, y)
    bt = _new(elm.Battery)().at((x, y - 3.0)).up(3.0).reverse()  # long plate (+) on top
    sh.add(bt.label(f"{sh.ref('BT1')}\nLiPo 3.7 V\n500 mAh", loc="bottom", fontsize=10))
    sh.gnd((x, y - 3.0))
    sh.text((x - 0.75, y - 1.05), "+", size=11)
    sh.add(_new(elm.Line)().at(bt.end).to(vbat))
    sh.dot(vbat)
    chg_pins = [
        elm.IcPin(name="BAT", side="bottom", anchorname="BAT"),
        elm.IcPin(name="GND", side="right", anchorname="GND"),
    ]
    chg = _new(elm.Ic)(
        pins=chg_pins, pinspacing=1.0, edgepadW=1.8, edgepadH=0.5, leadlen=0.8, lsize=10
    )
    chg.at((vbat[0], vbat[1] + 1.4)).right().anchor("BAT")
    chg.label(f"{sh.ref('U4')} charger\nMCP73831\nUSB-C in", loc="center", fontsize=10)
    sh.add(chg)
    sh.add(_new(elm.Line)().at(vbat).to((vbat[0], vbat[1] + 1.4)))
    sh.gnd(chg.absanchors["GND"])
    sh.text((x + 0.1, y + 0.45), "VBAT", size=9)
    sw = _new(elm.Switch)().at(vbat).right(2.5)
    sh.add(sw.label(f"{sh.ref('SW2')}\npower", loc="top", fontsize=10))
    vsys = sw.end
    sh.dot(vsys)
    sh.text((vsys[0] + 0.2, vsys[1] + 0.5), "VSYS", size=9)
    n_in = (vsys[0] + 2.2, vsys[1])
    sh.add(_new(elm.Line)().at(vsys).to(n_in))
    sh.dot(n_in)
    c3 = _new(elm.Capacitor)().at(n_in).down(1.8)
    sh.add(c3.label(f"{sh.ref('C3')}\n1 µF", loc="bottom", fontsize=10))
    sh.gnd(c3.end)
    reg = _new(elm.VoltageRegulator)().at((n_in[0] + 1.2, n_in[1])).right().anchor("in")
    reg.label(f"{sh.ref('U5')}\nAP2112K-3.3", loc="top", fontsize=10)
    sh.add(_new(elm.Line)().at(n_in).right(1.2))
    sh.add(reg)
    sh.gnd(reg.absanchors["gnd"])
    out = reg.absanchors["out"]
    n_out = (out[0] + 1.4, out[1])
    sh.add(_new(elm.Line)().at(out).to(n_out))
    sh.dot(n_out)
    c4 = _new(elm.Capacitor)().at(n_out).down(1.8)
    sh.add(c4.label(f"{sh.ref('C4')}\n1 µF", loc="bottom", fontsize=10))
    sh.gnd(c4.end)
    sh.add(_new(elm.Line)().at(n_out).up(1.0))
    sh.vdd((n_out[0], n_out[1] + 1.0))
    # Battery sense: VSYS - R9 - VBAT_SENSE - R10 - GND, C2 across R10.
    sh.add(_new(elm.Line)().at(vsys).down(1.2))
    ra = _new(elm.Resistor)().at((vsys[0], vsys[1] - 1.2)).down(2.5)
    sh.add(ra.label(f"{sh.ref('R9')}\n100 kΩ", loc="bottom", fontsize=10))
    mid = ra.end
    sh.dot(mid)
    rb = _new(elm.Resistor)().at(mid).down(2.5)
    sh.add(rb.label(f"{sh.ref('R10')}\n100 kΩ", loc="bottom", fontsize=10))
    sh.gnd(rb.end)
    sh.add(_new(elm.Line)().at(mid).left(1.8))
    c2 = _new(elm.Capacitor)().at((mid[0] - 1.8, mid[1])).down(2.5)
    sh.add(c2.label(f"{sh.ref('C2')}\n100 nF", loc="top", fontsize=10))
    sh.gnd(c2.end)
    sh.tag(mid, "VBAT_SENSE", "right")


def wiring(bld: Build) -> tuple[str, list[str]]:
    """Schematic of one build as SVG text, and the designators drawn on it."""
    sh = _Sheet()
    direct = bld.config == CONFIG_DIRECT
    how = "direct to ADC1" if direct else "through CD74HC4067"
    title = (
        f"StrideKit pod: {bld.board.name}, {bld.layout.name} ({bld.layout.n_cells} cells, {how})"
    )
    _mcu_block(sh, bld, (0.0, 0.0))
    if direct:
        _direct_insole_block(sh, bld, (-16.0, 18.5))
    else:
        _mux_insole_block(sh, bld, (-17.0, -4.0))
    _imu_block(sh, (19.0, 2.0))
    _ui_block(sh, (19.0, -6.0))
    _power_block(sh, (1.0, -9.0))
    box: Any = sh.d.get_bbox()
    sh.text((box.xmin, box.ymax + 2.2), title, size=14)
    sh.text(
        (box.xmin, box.ymax + 1.0),
        "Generated from firmware/stridefw/board.py by hardware/build.py. Flags with the same"
        " name are one net; all ground symbols are one net; 3V3 is U5's output, wired to the"
        " board's 3V3 pin (not 5V).",
        size=9,
    )
    svg = sh.d.get_imagedata("svg").decode("utf-8")
    return stable_svg(svg), sh.refs
