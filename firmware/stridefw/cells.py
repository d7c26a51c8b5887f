# Two stages of StepKernel that watch the insole rather than the step: CellHealth
# (which cells are stuck, saturated or dead) and SwingFloor (the total force the
# insole reads with the foot in the air, which events are measured from).
#
# Integer arithmetic on preallocated arrays, no allocation per call; times are
# session microseconds modulo 2**30 (config.TICKS_MASK), forces dn (0.1 N).
# One module for both: a module of its own costs heap on the pod (config
# FLOOR_* and the fault rules in config say where the numbers come from).
import array

from stridefw.compat import const
from stridefw.config import (
    ADC_SATURATED,
    COVER_DMM,
    DEAD_DN,
    DEAD_RAW,
    DEAD_STEPS,
    FLOOR_BLOCK_US,
    FLOOR_BLOCKS,
    FLOOR_SWING_DIV,
    SATURATED_US,
    STEP_SATURATED,
    STUCK_BAND,
    STUCK_US,
    TICKS_MASK,
)

# cell faults, as CellHealth.fault holds them (and the Flag record's fault mask);
# check_cell (stridefw.kernel_vp in viper, stridefw.kernel_py in Python) judges the
# stuck and saturated ones, one cell per visit
_OK = const(0)
_STUCK = const(1)
_SATURATED = const(2)
_DEAD = const(3)
_MOTION_MIN_US = const(200000)  # time with movement before "stuck" counts
CELLS_CHANGED = const(1)  # check_cell() result bit: the set of faulty cells changed
# CellHealth.words: 0-9 the rules (check_cell's list), then
_W_NEXT = const(10)  # the cell the next check_cell() visits
_W_N = const(11)  # n_cells
_W_CELLS = const(12)  # then three blocks of n_cells
TOTAL_MAX_DN = const(40000)  # 4 kN per foot: arithmetic clamp (> 5 BW for 70 kg)


class CellHealth:
    """Per-cell faults: stuck and saturated from the readings (one cell per visit),
    dead from where the centre of pressure went while the cell carried nothing."""

    def __init__(self, n_cells):
        n = n_cells
        self.n_cells = n
        self.fault = array.array("b", bytes(n))  # 0 ok, 1 stuck, 2 saturated, 3 dead
        self._stuck_ref = array.array("h", bytes(2 * n))
        self._quiet_steps = array.array("h", bytes(2 * n))
        # check_cell's numbers and per-cell times in one array (its viper version then
        # converts one buffer, not five): the rules, the cell the next visit checks,
        # n_cells, then per cell the time it went saturated (-1: it is not), the time
        # its reading last moved and the movement time then (_W_* below)
        w = array.array("i", bytes(4 * (_W_CELLS + 3 * n)))
        rules = (
            ADC_SATURATED,
            SATURATED_US,
            STUCK_BAND,
            DEAD_RAW,
            DEAD_DN,
            STUCK_US,
            _MOTION_MIN_US,
            TICKS_MASK,
            STEP_SATURATED,
            CELLS_CHANGED,
        )
        for i in range(len(rules)):
            w[i] = rules[i]
        w[_W_N] = n
        self.words = w
        self.reset()

    def reset(self):
        n = self.n_cells
        w = self.words
        for i in range(n):
            self._stuck_ref[i] = -1
            w[_W_CELLS + i] = -1  # saturated since
            w[_W_CELLS + n + i] = 0  # reading unchanged since
            w[_W_CELLS + 2 * n + i] = 0  # the movement time then
            self._quiet_steps[i] = 0
            self.fault[i] = _OK
        self.n_faults = 0
        self.mask = 0  # bit i: cell i faulty
        w[_W_NEXT] = 0

    def step_end(self, csum, quiet, xs, ys, cx_mean, strike_y, cy_max):
        """The dead rule at a toe-off; True if a fault changed. An unloaded FSR and an
        open one both read ~0, so a cell is suspected only if the CoP path (strike
        point to its most forward point, around its mean x) passed within COVER_DMM
        of it and it still carried nothing (stance sum csum[i] below quiet) for
        DEAD_STEPS steps. strike_y < 0: no strike point, nothing covered."""
        qs = self._quiet_steps
        fault = self.fault
        y_lo = strike_y - COVER_DMM
        y_hi = cy_max + COVER_DMM
        changed = False
        for i in range(self.n_cells):
            if csum[i] >= quiet:
                qs[i] = 0
                if fault[i] == _DEAD:
                    fault[i] = _OK
                    changed = True
                continue
            dx = xs[i] - cx_mean
            if strike_y >= 0 and y_lo <= ys[i] <= y_hi and -COVER_DMM <= dx <= COVER_DMM:
                if qs[i] < DEAD_STEPS:
                    qs[i] += 1
                if qs[i] >= DEAD_STEPS and fault[i] == _OK:
                    fault[i] = _DEAD
                    changed = True
        return changed

    def recount(self, koff, table_len):
        """After a fault changed: the count, the mask, and each cell's table offset in
        koff (stuck and saturated cells read the all-zero segment after the tables)."""
        n = 0
        mask = 0
        zero = self.n_cells * table_len
        for i in range(self.n_cells):
            f = self.fault[i]
            koff[i] = zero if f == _STUCK or f == _SATURATED else i * table_len
            if f:
                n += 1
                mask |= 1 << i
        self.n_faults = n
        self.mask = mask


# SwingFloor.state: the per-sample part, read and written by StepKernel.push
# (stridefw.kernel_vp in viper, stridefw.kernel_py in Python) at these indices
_LO = const(0)  # lowest total of the current block (dn)
_HI = const(1)  # highest total of the current block (dn)
_T = const(2)  # us into the current block
_DN = const(3)  # the floor (dn): event levels are relative to it
_BLOCK = const(4)  # FLOOR_BLOCK_US


class SwingFloor:
    """The lowest total force over the last few strides (config FLOOR_*): 0 once
    auto-zero has learnt the cells, an insole's preload in its shoe otherwise.
    StepKernel.push() takes a sample's force above it (and calls close_block() at
    each block's end)."""

    def __init__(self):
        self._lo_r = array.array("i", bytes(4 * FLOOR_BLOCKS))  # block minima of total
        self._hi_r = array.array("i", bytes(4 * FLOOR_BLOCKS))  # block maxima
        self.state = array.array("i", bytes(4 * 5))
        self.reset()

    def reset(self):
        for i in range(FLOOR_BLOCKS):
            self._lo_r[i] = TOTAL_MAX_DN
            self._hi_r[i] = 0
        self._i = 0
        st = self.state
        st[_LO] = TOTAL_MAX_DN
        st[_HI] = 0
        st[_T] = 0
        st[_DN] = 0
        st[_BLOCK] = FLOOR_BLOCK_US

    def dn(self):
        """The floor (dn)."""
        return self.state[_DN]

    def close_block(self):
        # the floor is the lowest block minimum when the window held a swing (its
        # highest maximum at least FLOOR_SWING_DIV times it), or a new lowest
        st = self.state
        i = self._i
        lo_r = self._lo_r
        hi_r = self._hi_r
        lo_r[i] = st[_LO]
        hi_r[i] = st[_HI]
        self._i = i + 1 if i + 1 < FLOOR_BLOCKS else 0
        st[_T] = 0
        st[_LO] = TOTAL_MAX_DN
        st[_HI] = 0
        lo = TOTAL_MAX_DN
        hi = 0
        for j in range(FLOOR_BLOCKS):
            if lo_r[j] < lo:
                lo = lo_r[j]
            if hi_r[j] > hi:
                hi = hi_r[j]
        if lo * FLOOR_SWING_DIV <= hi or lo < st[_DN]:
            st[_DN] = lo
