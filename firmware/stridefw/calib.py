# Per-cell integer calibration: raw 12-bit ADC counts -> force in deci-newtons.
# An FSR's conductance grows roughly in proportion to force (Interlink FSR 400
# series integration guide), so in a divider (FSR to 3.3 V, R_m to ground) the ADC
# reads a = 4095 * F / (F + F_half), with F_half the force at which R_fsr == R_m.
# The kernel looks force up in a 65-entry table per cell, one entry every 64 counts
# (TABLE_SHIFT), with linear interpolation in between: O(1) per cell, 130 bytes per
# cell, integer only. Tables come from the nominal curve or from measured points
# (hardware/README.md, `stride calibrate`) and travel in the SessionHeader so a
# replay uses exactly what the device used.
import array
import struct

from stridefw.compat import const

TABLE_SHIFT = const(6)
TABLE_FRAC_MASK = const(63)
TABLE_LEN = const(65)  # 0, 64, ..., 4096
CELL_MAX_DN = const(15000)  # 1500 N per cell; keeps CoP sums below 2**30
HALF_DN_DEFAULT = const(4000)  # F_half = 400 N per cell with R_m = 10 kOhm


class Calibration:
    """Force tables for n_cells cells, packed in one array('H') (n_cells * 65)."""

    def __init__(self, n_cells, table=None):
        self.n_cells = n_cells
        if table is None:
            table = array.array("H", bytes(2 * n_cells * TABLE_LEN))
        if len(table) != n_cells * TABLE_LEN:
            raise ValueError("calibration table needs %d entries" % (n_cells * TABLE_LEN))
        self.table = table

    def force_dn(self, cell, raw):
        """Force for one reading (not used in the kernel's hot path, which inlines it)."""
        base = cell * TABLE_LEN + (raw >> TABLE_SHIFT)
        t0 = self.table[base]
        return t0 + (((self.table[base + 1] - t0) * (raw & TABLE_FRAC_MASK)) >> TABLE_SHIFT)

    def to_bytes(self):
        return struct.pack("<BB", self.n_cells, TABLE_LEN) + bytes(self.table)

    @classmethod
    def from_bytes(cls, data):
        if len(data) < 2:
            raise ValueError("calibration block truncated")
        n_cells, tlen = struct.unpack_from("<BB", data, 0)
        if tlen != TABLE_LEN:
            raise ValueError("calibration table length %d, expected %d" % (tlen, TABLE_LEN))
        need = 2 + 2 * n_cells * TABLE_LEN
        if len(data) < need:
            raise ValueError("calibration block truncated: %d of %d bytes" % (len(data), need))
        table = array.array("H", bytes(data[2:need]))
        return cls(n_cells, table)


def nominal_force_dn(raw, half_dn=HALF_DN_DEFAULT):
    """Inverse of the nominal divider curve, integer only: F = F_half * a / (4095 - a)."""
    if raw <= 0:
        return 0
    if raw >= 4095:
        return CELL_MAX_DN
    f = (half_dn * raw) // (4095 - raw)
    return CELL_MAX_DN if f > CELL_MAX_DN else f


def nominal(n_cells, half_dn=HALF_DN_DEFAULT):
    """Every cell on the nominal curve; what a pod uses before it is calibrated."""
    cal = Calibration(n_cells)
    for c in range(n_cells):
        for k in range(TABLE_LEN):
            cal.table[c * TABLE_LEN + k] = nominal_force_dn(k << TABLE_SHIFT, half_dn)
    return cal


def from_points(points_per_cell):
    """Tables from measured (raw, force_dn) points per cell, raw ascending.

    Between points the force is linear; below the first point it falls linearly to
    0 at raw 0, above the last it stays at the last force. Used by the calibration
    procedure: stand still, shift weight, known mass per cell.
    """
    n_cells = len(points_per_cell)
    cal = Calibration(n_cells)
    for c in range(n_cells):
        pts = points_per_cell[c]
        if not pts:
            raise ValueError("cell %d has no calibration points" % c)
        prev_raw = 0
        prev_f = 0
        for raw, f in pts:
            if raw <= prev_raw and prev_raw != 0:
                raise ValueError("cell %d: raw values must ascend" % c)
            if f < 0 or f > CELL_MAX_DN:
                raise ValueError("cell %d: force %d dn out of range" % (c, f))
            prev_raw = raw
        for k in range(TABLE_LEN):
            x = k << TABLE_SHIFT
            prev_raw = 0
            prev_f = 0
            val = pts[-1][1]
            for raw, f in pts:
                if x <= raw:
                    span = raw - prev_raw
                    val = prev_f + ((f - prev_f) * (x - prev_raw)) // span if span else f
                    break
                prev_raw = raw
                prev_f = f
            cal.table[c * TABLE_LEN + k] = val
    return cal
