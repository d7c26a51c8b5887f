# pyright: strict
"""EU sizes, foot length, and the insole outline polygon used for checks and drawings.

EU size to foot length (Paris point). One Paris point is 2/3 cm; a shoe of EU size
N has a last N Paris points long, ``N * 20 / 3`` mm. The foot is shorter than the
last by the toe allowance, taken here as 10 mm (1.5 Paris points) so that EU 42
gives the 270 mm foot of ``layouts.FOOT_LENGTH_DMM``::

    foot_length_mm = size * 20 / 3 - 10        # EU 36 -> 230 mm, EU 46 -> 296.7 mm

Cell positions and the outline scale uniformly with foot length about the heel
origin (x and y alike); the sensors themselves keep their size.
"""

import math
from collections.abc import Sequence
from fractions import Fraction

EU_SIZES = tuple(range(36, 47))
REF_SIZE = 42
REF_FOOT_DMM = 2700  # layouts.FOOT_LENGTH_DMM
TOE_ALLOWANCE_DMM = 100


def foot_length_dmm(eu_size: int) -> int:
    """Foot length in 0.1 mm for an EU (Paris point) size: size * 20/3 mm - 10 mm."""
    return round(Fraction(200 * eu_size, 3)) - TOE_ALLOWANCE_DMM


def scale_for(eu_size: int) -> Fraction:
    """Uniform scale from the EU 42 reference layout to a size."""
    return Fraction(foot_length_dmm(eu_size), REF_FOOT_DMM)


# Plantar outline of a right-or-left foot at EU 42 (foot length 270 mm), in 0.1 mm,
# in layout coordinates: origin at the heel centre (back of the heel on the foot
# axis), x medial-lateral (+ lateral, so medial is negative), y heel to toe.
# A simple polygon from common last-making proportions (e.g. ball width ~0.39 L
# with the 1st metatarsal head at ~0.72 L medially and the 5th at ~0.64 L
# laterally, heel width ~0.25 L, longest toe on the medial side of the axis).
# It is an approximation used to check that cells lie under the foot and to draw
# the templates; it is not a last or a size chart.
OUTLINE_EU42_DMM: tuple[tuple[int, int], ...] = (
    (0, 0),
    (150, 20),
    (260, 100),
    (320, 220),
    (340, 400),
    (350, 600),
    (360, 900),
    (400, 1200),
    (460, 1500),
    (500, 1720),  # 5th metatarsal head
    (510, 1900),
    (490, 2050),
    (440, 2200),
    (370, 2350),
    (280, 2480),
    (180, 2580),
    (60, 2660),
    (-80, 2700),  # tip of the longest toe
    (-220, 2680),
    (-330, 2610),
    (-410, 2500),
    (-460, 2350),
    (-500, 2150),
    (-520, 1960),  # 1st metatarsal head
    (-500, 1750),
    (-440, 1500),
    (-360, 1220),
    (-318, 1000),
    (-316, 750),
    (-330, 550),
    (-330, 380),
    (-300, 220),
    (-240, 100),
    (-140, 20),
)

# Sensing area of one cell: Tekscan FlexiForce A201, 9.53 mm diameter. Templates
# draw it to scale; tests require every cell's whole sensing disc inside the
# outline at every size.
CELL_ACTIVE_DIAMETER_DMM = 95
CELL_ACTIVE_RADIUS_DMM = 48


def scaled_outline(eu_size: int) -> list[tuple[int, int]]:
    """The outline polygon at a size, integer 0.1 mm."""
    s = scale_for(eu_size)
    return [(round(x * s), round(y * s)) for x, y in OUTLINE_EU42_DMM]


def point_in_polygon(x: float, y: float, poly: Sequence[tuple[int, int]]) -> bool:
    """Even-odd ray casting; points exactly on an edge count as outside or inside arbitrarily."""
    inside = False
    n = len(poly)
    for i in range(n):
        x1, y1 = poly[i]
        x2, y2 = poly[(i + 1) % n]
        if (y1 > y) != (y2 > y):
            xi = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if x < xi:
                inside = not inside
    return inside


def distance_to_polygon(x: float, y: float, poly: Sequence[tuple[int, int]]) -> float:
    """Shortest distance from a point to the polygon's edges."""
    best = math.inf
    n = len(poly)
    for i in range(n):
        x1, y1 = poly[i]
        x2, y2 = poly[(i + 1) % n]
        dx, dy = x2 - x1, y2 - y1
        t = ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)
        t = min(1.0, max(0.0, t))
        best = min(best, math.hypot(x - x1 - t * dx, y - y1 - t * dy))
    return best
