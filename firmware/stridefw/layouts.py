# Insole cell layouts.
# Positions in 0.1 mm (dmm) for a reference insole of EU size 42 (foot length
# 270 mm), origin at the heel centre, x medial-lateral (+ lateral), y heel to toe.
# x is foot-relative, so one table serves both feet: mirroring is only a drawing
# matter (hardware/build.py). Zones: 0 heel, 1 midfoot, 2 forefoot (incl. toes).
# The 8-cell layout follows the Infotronic insole of the PhysioNet gaitpdb set
# (format.txt): 1 heel, 2 rear-midfoot, 2 midfoot, 2 metatarsal heads, 1 hallux.
from stridefw.compat import const

ZONE_HEEL = const(0)
ZONE_MID = const(1)
ZONE_FORE = const(2)

FOOT_LENGTH_DMM = const(2700)  # EU 42 reference
LAYOUT_NONE = const(0)
LAYOUT_1 = const(1)
LAYOUT_8 = const(8)
LAYOUT_16 = const(16)


class Layout:
    """Cell positions and zones; plain tuples so it runs unchanged on MicroPython."""

    def __init__(self, layout_id, name, x_dmm, y_dmm, zone, foot_length_dmm=FOOT_LENGTH_DMM):
        if not (len(x_dmm) == len(y_dmm) == len(zone)):
            raise ValueError("layout tables differ in length")
        self.layout_id = layout_id
        self.name = name
        self.n_cells = len(x_dmm)
        self.x_dmm = x_dmm
        self.y_dmm = y_dmm
        self.zone = zone
        self.foot_length_dmm = foot_length_dmm


# gaitpdb sensor k (1..8) -> cell k-1. X -700/-300 map to +240/-240 dmm
# (lateral/medial), Y -800..800 to 400..2400 dmm along the foot.
INSOLE_8 = Layout(
    LAYOUT_8,
    "insole-8",
    (0, 240, -240, 240, -240, 240, -240, 0),
    (400, 900, 900, 1400, 1400, 1900, 1900, 2400),
    (ZONE_HEEL, ZONE_MID, ZONE_MID, ZONE_MID, ZONE_MID, ZONE_FORE, ZONE_FORE, ZONE_FORE),
)

# 16 cells: 3 heel, 5 midfoot/lateral column, 5 metatarsal heads, 3 toes
# (regions after the masks used in plantar-pressure studies, e.g. Cavanagh 1987).
INSOLE_16 = Layout(
    LAYOUT_16,
    "insole-16",
    (-180, 180, 0, 250, 260, -200, 260, -200, -300, -100, 100, 300, 0, -250, -30, 180),
    (300, 300, 550, 650, 1000, 1000, 1350, 1350, 1900, 1950, 1930, 1800, 1650, 2400, 2450, 2350),
    (
        ZONE_HEEL,
        ZONE_HEEL,
        ZONE_HEEL,
        ZONE_MID,
        ZONE_MID,
        ZONE_MID,
        ZONE_MID,
        ZONE_MID,
        ZONE_FORE,
        ZONE_FORE,
        ZONE_FORE,
        ZONE_FORE,
        ZONE_FORE,
        ZONE_FORE,
        ZONE_FORE,
        ZONE_FORE,
    ),
)

# One cell under the whole foot: footswitch recordings (e.g. PhysioNet gaitndd).
# CoP is meaningless with one cell and reported as its fixed position.
FOOTSWITCH_1 = Layout(LAYOUT_1, "footswitch-1", (0,), (1350,), (ZONE_MID,))

# No insole fitted (an IMU-only pod): the kernel finds steps from the IMU alone
# (stridefw.imu_gait) from the first sample, without waiting to find the insole
# silent. One placeholder cell keeps the Sample format; it is never read.
NO_INSOLE = Layout(LAYOUT_NONE, "no-insole", (0,), (1350,), (ZONE_MID,))

_LAYOUTS = (INSOLE_8, INSOLE_16, FOOTSWITCH_1, NO_INSOLE)


def by_id(layout_id):
    """The layout a SessionHeader names; raises ValueError for an unknown id."""
    for layout in _LAYOUTS:
        if layout.layout_id == layout_id:
            return layout
    raise ValueError("unknown layout id %d" % layout_id)
