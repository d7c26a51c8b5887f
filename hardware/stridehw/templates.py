# pyright: strict
"""1:1 insole placement templates (plain SVG, user units 0.1 mm) and the layouts table.

Each template shows the left and the right foot seen from above (dorsal view, the
way an insole lies in the shoe). Layout x is foot-relative (+ lateral), so the right
foot draws x as is (lateral to the viewer's right) and the left foot mirrors it
(lateral to the viewer's left): both big toes point to the middle of the sheet.
"""

from dataclasses import dataclass

from .fw import ALL_LAYOUTS, ZONE_COLOURS, ZONE_NAMES, LayoutView
from .outline import (
    CELL_ACTIVE_DIAMETER_DMM,
    CELL_ACTIVE_RADIUS_DMM,
    EU_SIZES,
    REF_FOOT_DMM,
    REF_SIZE,
    foot_length_dmm,
    scale_for,
    scaled_outline,
)

MARGIN = 100  # 10 mm
GAP = 200  # between the feet


def mm(dmm: int) -> str:
    """0.1 mm integer -> '123.4' (mm, one decimal, sign kept)."""
    sign = "-" if dmm < 0 else ""
    whole, tenth = divmod(abs(dmm), 10)
    return f"{sign}{whole}.{tenth}"


@dataclass(frozen=True)
class FootPlacement:
    """Where one foot sits on the sheet: svg = (axis_x + sign * x, base_y - y)."""

    foot: str  # "L" or "R"
    axis_x: int
    sign: int  # -1 mirrors x (left foot)
    base_y: int  # svg y of the heel origin (y = 0)

    def to_svg(self, x: int, y: int) -> tuple[int, int]:
        return self.axis_x + self.sign * x, self.base_y - y


def template_placements(eu_size: int) -> tuple[FootPlacement, FootPlacement]:
    """(left, right) placements at a size: left foot on the left of the sheet."""
    outline = scaled_outline(eu_size)
    min_x = min(p[0] for p in outline)
    max_x = max(p[0] for p in outline)
    base_y = MARGIN + 160 + foot_length_dmm(eu_size)
    left = FootPlacement("L", MARGIN + max_x, -1, base_y)
    right = FootPlacement("R", MARGIN + (max_x - min_x) + GAP - min_x, 1, base_y)
    return left, right


def insole_svg(lay: LayoutView, eu_size: int) -> str:
    """1:1 placement template of one insole layout at one EU size."""
    outline = scaled_outline(eu_size)
    cells = lay.scaled(eu_size)
    length = foot_length_dmm(eu_size)
    left, right = template_placements(eu_size)
    foot_w = max(p[0] for p in outline) - min(p[0] for p in outline)
    width = 2 * MARGIN + 2 * foot_w + GAP
    base = left.base_y
    height = base + 300
    disc = mm(CELL_ACTIVE_DIAMETER_DMM)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{mm(width)}mm" height="{mm(height)}mm"'
        f' viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Arial, sans-serif">\n',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="white"/>\n',
        f'<text x="{MARGIN}" y="{MARGIN + 40}" font-size="50" font-weight="bold">StrideKit'
        f" {lay.name}, EU {eu_size}, foot length {mm(length)} mm</text>\n",
        f'<text x="{MARGIN}" y="{MARGIN + 95}" font-size="30">Print at 100 % (A3) and check'
        f" the 50 mm bar. Seen from above. Discs: {disc} mm sensing area; numbers: cell"
        " index.</text>\n",
    ]
    for pl in (left, right):
        pts = " ".join("{},{}".format(*pl.to_svg(x, y)) for x, y in outline)
        hx, hy = pl.to_svg(0, 0)
        tx, ty = pl.to_svg(0, length)
        med_x = pl.to_svg(-230, 0)[0]
        lat_x = pl.to_svg(230, 0)[0]
        name = "LEFT" if pl.foot == "L" else "RIGHT"
        out += [
            f'<polygon id="outline-{pl.foot}" points="{pts}" fill="#f4f1ea" stroke="black"'
            ' stroke-width="6"/>\n',
            f'<line id="axis-{pl.foot}" x1="{hx}" y1="{hy}" x2="{tx}" y2="{ty}" stroke="#888"'
            ' stroke-width="4" stroke-dasharray="30,20"/>\n',
            f'<path d="M {hx - 30} {hy} h 60 M {hx} {hy + 30} v -60" stroke="black"'
            ' stroke-width="5"/>\n',
            f'<text x="{med_x}" y="{hy + 55}" font-size="30" text-anchor="middle">medial</text>\n',
            f'<text x="{lat_x}" y="{hy + 55}" font-size="30" text-anchor="middle">lateral</text>\n',
            f'<text x="{hx}" y="{hy + 125}" font-size="56" font-weight="bold"'
            f' text-anchor="middle">{name}</text>\n',
        ]
        for k, (x, y) in enumerate(cells):
            cx, cy = pl.to_svg(x, y)
            zone = lay.zone[k]
            out += [
                f'<circle id="cell-{pl.foot}-{k}" data-x-dmm="{x}" data-y-dmm="{y}"'
                f' data-zone="{ZONE_NAMES[zone]}" cx="{cx}" cy="{cy}" r="{CELL_ACTIVE_RADIUS_DMM}"'
                f' fill="{ZONE_COLOURS[zone]}" stroke="black" stroke-width="4"/>\n',
                f'<text x="{cx}" y="{cy + 16}" font-size="46" font-weight="bold" fill="white"'
                f' text-anchor="middle">{k}</text>\n',
            ]
    # Legend and a 50 mm scale bar to check the print scale.
    ly = base + 200
    for i, zone_name in enumerate(ZONE_NAMES):
        lx = MARGIN + i * 300
        out += [
            f'<circle cx="{lx + 28}" cy="{ly}" r="28" fill="{ZONE_COLOURS[i]}" stroke="black"'
            ' stroke-width="4"/>\n',
            f'<text x="{lx + 70}" y="{ly + 12}" font-size="36">{zone_name}</text>\n',
        ]
    sx = width - MARGIN - 500
    out += [
        f'<path id="scale-50mm" d="M {sx} {ly} h 500 M {sx} {ly - 20} v 40 M {sx + 500}'
        f' {ly - 20} v 40" stroke="black" stroke-width="6"/>\n',
        f'<text x="{sx + 250}" y="{ly - 30}" font-size="32" text-anchor="middle">50 mm</text>\n',
        f'<text x="{MARGIN}" y="{ly + 70}" font-size="26">+ heel origin (0, 0); dashed: foot'
        f" axis x = 0; positions scaled from EU {REF_SIZE} by {mm(length)} /"
        f" {mm(REF_FOOT_DMM)} mm.</text>\n",
        "</svg>\n",
    ]
    return "".join(out)


def layouts_md() -> str:
    """Cell positions at EU 42 and the size scaling (generated/layouts.md)."""
    lines = [
        "# Insole layouts",
        "",
        "Generated from `firmware/stridefw/layouts.py` by `hardware/build.py`; do not edit.",
        "",
        f"Positions in mm at EU {REF_SIZE} (foot length {mm(REF_FOOT_DMM)} mm); origin at the"
        " heel centre, x medial-lateral (+ lateral), y heel to toe. One table serves both feet:"
        " the templates mirror x for the left foot.",
        "",
        "Size scaling (Paris point = 2/3 cm): foot length mm = EU size x 20/3 - 10; positions"
        f" scale by foot length / {mm(REF_FOOT_DMM)} mm about the heel origin.",
        "",
        "| EU size | foot length mm | scale |",
        "|---|---|---|",
    ]
    for s in EU_SIZES:
        lines.append(f"| {s} | {mm(foot_length_dmm(s))} | {float(scale_for(s)):.4f} |")
    for lay in ALL_LAYOUTS:
        lines += [
            "",
            f"## {lay.name} (layout id {lay.layout_id})",
            "",
            "| cell | zone | x mm | y mm | y / foot length |",
            "|---|---|---|---|---|",
        ]
        for k in range(lay.n_cells):
            x, y = lay.x_dmm[k], lay.y_dmm[k]
            lines.append(
                f"| {k} | {ZONE_NAMES[lay.zone[k]]} | {mm(x)} | {mm(y)} | {y / REF_FOOT_DMM:.3f} |"
            )
    lines.append("")
    return "\n".join(lines)
