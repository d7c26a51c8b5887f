"""hardware/: the pin map obeys the chip rules, layouts fit the insole, docs match a build.

Every checker here is also run against a deliberately broken input, so a check that
silently passes everything would fail its own test.
"""

from __future__ import annotations

import csv
import importlib
import importlib.util
import io
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from stridefw import board as fw_board
from stridefw import layouts as fw_layouts

REPO = Path(__file__).resolve().parents[2]
HARDWARE = REPO / "hardware"
GENERATED = HARDWARE / "generated"
SVG_NS = "{http://www.w3.org/2000/svg}"


def _load_build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("stridekit_hardware_build", HARDWARE / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # puts hardware/ on sys.path for stridehw
    return module


build: Any = _load_build()
fw: Any = importlib.import_module("stridehw.fw")
outline: Any = importlib.import_module("stridehw.outline")
parts: Any = importlib.import_module("stridehw.parts")
templates: Any = importlib.import_module("stridehw.templates")

BOARD_CONFIGS = [(b.key, c) for b in fw.BOARDS for c in b.configs]
BUILDS = {bld.slug: bld for bld in parts.builds()}


# ----------------------------------------------------------------------------- pins


def pin_problems(b: Any, config: str) -> list[str]:
    """Every rule a pin assignment breaks (empty when the assignment is legal)."""
    used: dict[str, int] = b.pins_by_config[config]
    problems: list[str] = []
    forbidden = {
        "strapping": set(b.strapping_pins),
        "flash": set(b.flash_pins),
        "psram": set(b.psram_pins),
        "avoid": set(b.avoid_pins),
    }
    for role, gpio in used.items():
        for why, pins in forbidden.items():
            if gpio in pins:
                problems.append(f"{role}=GPIO{gpio} is a {why} pin")
        if role in fw.ANALOG_ROLES and gpio not in b.adc1_channel:
            problems.append(f"{role}=GPIO{gpio} is not an ADC1 pin")
        if role in fw.OUTPUT_ROLES and gpio in b.input_only_pins:
            problems.append(f"{role}=GPIO{gpio} is input-only")
        if role in fw.PULLUP_ROLES and gpio in b.input_only_pins:
            problems.append(f"{role}=GPIO{gpio} has no internal pull-up")
        if role in fw.WAKE_ROLES and gpio not in b.rtc_pins:
            problems.append(f"{role}=GPIO{gpio} cannot wake from deep sleep (not RTC)")
    by_pin: dict[int, list[str]] = {}
    for role, gpio in used.items():
        by_pin.setdefault(gpio, []).append(role)
    for gpio, roles in sorted(by_pin.items()):
        if len(roles) > 1:
            problems.append(f"GPIO{gpio} used twice: {', '.join(sorted(roles))}")
    return problems


@pytest.mark.parametrize(("key", "config"), BOARD_CONFIGS)
def test_pins_obey_chip_rules(key: str, config: str) -> None:
    b = next(b for b in fw.BOARDS if b.key == key)
    assert pin_problems(b, config) == []


def test_pin_checker_catches_bad_assignments() -> None:
    b = next(b for b in fw.BOARDS if b.key == "esp32s3")
    used = dict(b.pins_by_config["direct"])
    used["cell3"] = 3  # ADC1_CH2 but a strapping pin
    used["cell4"] = 11  # ADC2
    used["led"] = used["button"]  # twice
    used["imu_int"] = 40  # not an RTC GPIO
    broken = type("B", (), {**vars(b), "pins_by_config": {"direct": used}})
    problems = pin_problems(broken, "direct")
    assert "cell3=GPIO3 is a strapping pin" in problems
    assert "cell4=GPIO11 is not an ADC1 pin" in problems
    assert f"GPIO{b.button} used twice: button, led" in problems
    assert "imu_int=GPIO40 cannot wake from deep sleep (not RTC)" in problems
    classic = next(b for b in fw.BOARDS if b.key == "esp32")
    used = dict(classic.pins_by_config["mux"])
    used["led"] = 34
    used["mux_s0"] = 7
    broken = type("B", (), {**vars(classic), "pins_by_config": {"mux": used}})
    problems = pin_problems(broken, "mux")
    assert "led=GPIO34 is input-only" in problems
    assert "mux_s0=GPIO7 is a flash pin" in problems


def test_adc1_tables_match_the_datasheets() -> None:
    # ESP32-S3 Series Datasheet, Table 2-8; ESP32 Series Datasheet, RTC_MUX pin list
    # (GPIO37/38 are not on WROOM-32, so they are not in the module table).
    s3 = fw_board.BOARDS["esp32s3"]
    assert s3.adc1_channel == {g: g - 1 for g in range(1, 11)}
    assert fw_board.BOARDS["esp32"].adc1_channel == {36: 0, 39: 3, 32: 4, 33: 5, 34: 6, 35: 7}
    assert s3.strapping_pins == (0, 3, 45, 46)
    assert fw_board.BOARDS["esp32"].strapping_pins == (0, 2, 5, 12, 15)
    assert set(range(26, 33)) <= set(s3.flash_pins) | set(s3.psram_pins)
    assert set(range(33, 38)) <= set(s3.psram_pins)
    assert set(range(6, 12)) <= set(fw_board.BOARDS["esp32"].flash_pins)


def test_the_only_pin_shared_between_configurations_is_cell0_and_mux_sig() -> None:
    for b in fw.BOARDS:
        roles: dict[int, set[str]] = {}
        for c in b.configs:
            for role, gpio in b.pins_by_config[c].items():
                roles.setdefault(gpio, set()).add(role)
        shared = {g: r for g, r in roles.items() if len(r) > 1}
        if b.key == "esp32s3":
            assert shared == {1: {"cell0", "mux_sig"}}
        else:
            assert shared == {}


def test_wiring_configuration_per_insole() -> None:
    s3, classic = fw_board.BOARDS["esp32s3"], fw_board.BOARDS["esp32"]
    assert fw_board.config_for(s3, 8) == "direct"
    assert fw_board.config_for(s3, 16) == "mux"
    assert fw_board.config_for(classic, 8) == "mux"  # six ADC1 pins on WROOM-32
    assert fw_board.config_for(classic, 1) == "mux"
    assert classic.cells_direct is None and classic.configs() == ("mux",)
    assert fw_board.cell_route(s3, "direct", 2) == (4, -1)
    assert fw_board.cell_route(classic, "mux", 13) == (34, 13)
    with pytest.raises(ValueError):
        fw_board.config_for(s3, 17)
    with pytest.raises(ValueError):
        fw_board.pins_used(classic, "direct")


def test_board_key_from_the_micropython_machine_string() -> None:
    assert fw_board.key_for_machine("Generic ESP32S3 module with ESP32S3") == "esp32s3"
    assert fw_board.key_for_machine("Generic ESP32 module with ESP32") == "esp32"
    with pytest.raises(ValueError):
        fw_board.key_for_machine("ESP32C3 module with ESP32C3")


def test_board_module_compiles_for_the_esp32(mpy_cross: str, tmp_path: Path) -> None:
    out = tmp_path / "board.mpy"
    src = REPO / "firmware" / "stridefw" / "board.py"
    subprocess.run([mpy_cross, "-march=xtensawin", "-o", str(out), str(src)], check=True)
    assert out.stat().st_size > 0


# ------------------------------------------------------------------------- layouts


def cell_problems(layout: Any, eu_size: int) -> list[str]:
    """Cells whose sensing disc is not wholly inside the insole outline at a size."""
    poly = outline.scaled_outline(eu_size)
    bad: list[str] = []
    for k, (x, y) in enumerate(layout.scaled(eu_size)):
        if not outline.point_in_polygon(x, y, poly):
            bad.append(f"{layout.name} cell {k} outside at EU {eu_size}")
        elif outline.distance_to_polygon(x, y, poly) < outline.CELL_ACTIVE_RADIUS_DMM:
            bad.append(f"{layout.name} cell {k} disc crosses the outline at EU {eu_size}")
    return bad


@pytest.mark.parametrize("eu_size", list(range(36, 47)))
def test_layout_cells_lie_inside_the_insole_outline(eu_size: int) -> None:
    for layout in fw.ALL_LAYOUTS:
        assert cell_problems(layout, eu_size) == []


def test_cell_checker_catches_a_cell_off_the_insole() -> None:
    stray = fw.LayoutView(99, "stray", (0, 500, 300), (1350, 1350, 500), (1, 1, 0))
    assert cell_problems(stray, 42) == [
        "stray cell 1 outside at EU 42",
        "stray cell 2 disc crosses the outline at EU 42",
    ]


def test_layout_views_copy_the_firmware_tables() -> None:
    assert outline.REF_FOOT_DMM == fw_layouts.FOOT_LENGTH_DMM
    for view, raw in zip(
        fw.ALL_LAYOUTS,
        (fw_layouts.INSOLE_8, fw_layouts.INSOLE_16, fw_layouts.FOOTSWITCH_1),
        strict=True,
    ):
        assert (view.x_dmm, view.y_dmm, view.zone) == (raw.x_dmm, raw.y_dmm, raw.zone)


def test_eu_size_to_foot_length() -> None:
    # Paris point: last = size * 20/3 mm; foot = last - 10 mm.
    assert outline.foot_length_dmm(42) == 2700
    assert outline.foot_length_dmm(36) == 2300
    assert outline.foot_length_dmm(46) == 2967
    lengths = [outline.foot_length_dmm(s) for s in range(36, 47)]
    assert lengths == sorted(lengths) and len(set(lengths)) == len(lengths)
    ys = [p[1] for p in outline.OUTLINE_EU42_DMM]
    assert (min(ys), max(ys)) == (0, 2700)  # heel origin to the longest toe


def _circles(svg_path: Path) -> tuple[dict[str, tuple[float, float]], dict[str, float]]:
    root = ET.parse(svg_path).getroot()
    cells = {
        c.get("id", ""): (float(c.get("cx", "nan")), float(c.get("cy", "nan")))
        for c in root.iter(f"{SVG_NS}circle")
        if c.get("id", "").startswith("cell-")
    }
    axes = {
        ln.get("id", "")[-1]: float(ln.get("x1", "nan"))
        for ln in root.iter(f"{SVG_NS}line")
        if ln.get("id", "").startswith("axis-")
    }
    return cells, axes


def mirror_problems(svg_path: Path, layout: Any) -> list[str]:
    """Left and right drawings must be mirror images, medial side toward the middle."""
    cells, axes = _circles(svg_path)
    problems: list[str] = []
    for k in range(layout.n_cells):
        (lx, ly), (rx, ry) = cells[f"cell-L-{k}"], cells[f"cell-R-{k}"]
        dl, dr = lx - axes["L"], rx - axes["R"]
        if ly != ry or dl != -dr:
            problems.append(f"cell {k} not mirrored: L {dl:+} R {dr:+}")
        x = layout.x_dmm[k]
        if x != 0 and (dr > 0) != (x > 0):  # right foot from above: lateral to the right
            problems.append(f"cell {k} on the wrong side of the right foot")
    if not axes["L"] < axes["R"]:
        problems.append("left foot is not on the left")
    return problems


@pytest.mark.parametrize("layout_name", ["insole-8", "insole-16"])
@pytest.mark.parametrize("eu_size", [36, 42, 46])
def test_templates_mirror_left_and_right(layout_name: str, eu_size: int) -> None:
    layout = next(lay for lay in fw.INSOLES if lay.name == layout_name)
    path = GENERATED / f"template-{layout_name}-eu{eu_size}.svg"
    assert mirror_problems(path, layout) == []
    cells, axes = _circles(path)
    # Cell 0 of the 16-cell insole is medial heel (x < 0): seen from above it lies to
    # the viewer's left on the right foot and to the viewer's right on the left foot.
    if layout_name == "insole-16":
        assert cells["cell-R-0"][0] < axes["R"] and cells["cell-L-0"][0] > axes["L"]
    # 1:1 scale, user units 0.1 mm: cell 7 sits its scaled y above the heel origin.
    right = templates.template_placements(eu_size)[1]
    assert cells["cell-R-7"][1] == right.base_y - layout.scaled(eu_size)[7][1]


def test_mirror_checker_catches_an_unmirrored_drawing(tmp_path: Path) -> None:
    good = GENERATED / "template-insole-16-eu42.svg"
    cells, axes = _circles(good)
    (lx, _), (rx, _) = cells["cell-L-0"], cells["cell-R-0"]
    wrong = 2 * axes["L"] - lx  # left cell 0 drawn on the lateral side, like the right foot
    lines = [
        re.sub(r' cx="\d+"', f' cx="{wrong:.0f}"', ln) if 'id="cell-L-0"' in ln else ln
        for ln in good.read_text().splitlines(keepends=True)
    ]
    bad = tmp_path / "bad.svg"
    bad.write_text("".join(lines))
    assert mirror_problems(bad, fw.INSOLES[1]) == [
        f"cell 0 not mirrored: L {wrong - axes['L']:+} R {rx - axes['R']:+}"
    ]


# ------------------------------------------------------------------------ BOM, wiring

DESIGNATOR = re.compile(r"^(?:U|R|C|D|SW|BT|FSR)\d+$")


def svg_designators(svg: str) -> set[str]:
    root = ET.fromstring(svg)
    words: set[str] = set()
    for t in root.iter(f"{SVG_NS}text"):
        for chunk in t.itertext():
            words.update(w for w in chunk.split() if DESIGNATOR.match(w))
    return words


def bom_refs(csv_text: str) -> list[str]:
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    refs = [r for row in rows for r in row["refs"].split()]
    for row in rows:
        assert int(row["qty"]) == len(row["refs"].split())
    return refs


@pytest.mark.parametrize("slug", sorted(BUILDS))
def test_every_bom_part_is_on_the_wiring_diagram_and_back(slug: str) -> None:
    svg = (GENERATED / f"wiring-{slug}.svg").read_text()
    refs = bom_refs((GENERATED / f"bom-{slug}.csv").read_text())
    assert len(refs) == len(set(refs)), "a designator appears twice in the BOM"
    assert set(refs) == svg_designators(svg)
    bld = BUILDS[slug]
    n = bld.layout.n_cells
    assert sum(r.startswith("FSR") for r in refs) == n
    if bld.config == "direct":
        assert {f"R{k}" for k in range(1, n + 1)} <= set(refs) and "U2" not in refs
    else:
        assert {"U2", "C1", "R1"} <= set(refs) and "R2" not in refs
    # Every pin the firmware uses appears on the MCU with its net.
    for role, gpio in bld.board.pins_by_config[bld.config].items():
        assert f"GPIO{gpio}" in svg
        assert f">{fw.net_name(role)}<" in svg


def test_bom_checker_catches_a_part_missing_from_the_drawing() -> None:
    slug = "esp32s3-insole-8"
    svg = (GENERATED / f"wiring-{slug}.svg").read_text().replace(">SW1<", "><")
    refs = bom_refs((GENERATED / f"bom-{slug}.csv").read_text())
    assert set(refs) - svg_designators(svg) == {"SW1"}


def test_pin_tables_list_the_firmware_pins() -> None:
    s3 = (GENERATED / "pins-esp32s3.md").read_text()
    assert "| cell 0 (heel) | CELL0 | 1 | CH0 | direct |" in s3
    assert "| mux SIG (common) -> ADC | MUX_SIG | 1 | CH0 | mux |" in s3
    assert "| battery sense (divider midpoint) | VBAT_SENSE | 10 | CH9 | all |" in s3
    classic = (GENERATED / "pins-esp32.md").read_text()
    assert "| mux SIG (common) -> ADC | MUX_SIG | 34 | CH6 | all |" in classic
    assert "| 8 | 23 | 8 (forefoot) | not connected |" in classic
    for b in fw.BOARDS:
        text = (GENERATED / f"pins-{b.key}.md").read_text()
        for pins in b.pins_by_config.values():
            for role, gpio in pins.items():
                assert f"| {fw.net_name(role)} | {gpio} |" in text


# ------------------------------------------------------------------ generated files


def test_generated_files_equal_a_fresh_build(tmp_path: Path) -> None:
    fresh = {p.name: p.read_bytes() for p in build.build(tmp_path / "fresh")}
    committed = {p.name: p.read_bytes() for p in GENERATED.iterdir() if p.is_file()}
    assert sorted(committed) == sorted(fresh), "run: python hardware/build.py"
    stale = [name for name in sorted(fresh) if fresh[name] != committed[name]]
    assert stale == [], f"stale generated files {stale}; run: python hardware/build.py"


def test_a_rebuild_is_byte_identical(tmp_path: Path) -> None:
    first = {p.name: p.read_bytes() for p in build.build(tmp_path / "a")}
    second = {p.name: p.read_bytes() for p in build.build(tmp_path / "b")}
    assert first == second
    assert not any(re.search(rb"20\d\d-\d\d-\d\d", data) for data in first.values())


def test_check_reports_a_drifted_file(tmp_path: Path) -> None:
    copy = tmp_path / "generated"
    shutil.copytree(GENERATED, copy)
    assert build.check(copy) == []
    (copy / "pins-esp32.md").write_text("edited by hand\n")
    (copy / "stray.txt").write_text("x\n")
    assert build.check(copy) == ["pins-esp32.md", "stray.txt"]
    assert build.main(["--check", "--out", str(copy)]) == 1


def test_power_budget_adds_up() -> None:
    power: Any = importlib.import_module("stridehw.power")
    table = {name: loads for name, loads in power.scenarios()}
    radio_off = sum(ld.ma for ld in table["100 Hz, recording, radio off"])
    assert 30 < radio_off < 50  # ESP32-S3 at 80 MHz dominates (Table 5-9)
    text = (GENERATED / "power-budget.md").read_text()
    assert f"| 100 Hz, recording, radio off | {radio_off:.1f} | {425 / radio_off:.1f} |" in text
    assert all(ld.basis for loads in table.values() for ld in loads)


def test_power_doc_quotes_the_generated_table() -> None:
    doc = (HARDWARE / "POWER.md").read_text()
    table = (GENERATED / "power-budget.md").read_text()
    rows = [ln for ln in doc.splitlines() if re.match(r"\| \d+ Hz, ", ln)]
    assert len(rows) >= 8 and any("| 200 Hz, " in r for r in rows)
    assert [r for r in rows if r not in table] == [], "copy the rows from generated/power-budget.md"


def test_build_runs_as_a_script(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    subprocess.run([sys.executable, str(HARDWARE / "build.py"), "--out", str(out)], check=True)
    assert (out / "README.md").is_file()
    assert len(list(out.iterdir())) == len(list(GENERATED.iterdir()))
