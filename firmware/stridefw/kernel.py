# StepKernel: per-sample, fixed-point processing of one foot's insole and IMU.
#
# push(tick_us, cells, imu) per sample; no allocation on the hot path (checked in
# tests/mpy with gc.mem_alloc()). Every intermediate stays within +-2**30 so it is
# a small int on MicroPython's 32-bit ports. Q-formats are stated where used.
#
# Units: force dn (0.1 N), CoP dmm (0.1 mm), shares per mille, accel mg,
# gyro 0.1 deg/s, time us. Session time is kept as (t, wraps): t in [0, 2**30)
# microseconds plus the number of 2**30 wraps, so the u32 microsecond timestamps
# of records are written byte by byte without ever forming a big int.
#
# Events follow force-plate practice: contact and toe-off where total vertical
# force crosses 20 N (EVENT_LEVEL_DN) above the swing floor (the lowest total over
# the last few strides: 0 N once auto-zero has learnt the cells, the preload of an
# insole pressed by its shoe otherwise; config FLOOR_*), timed by linear
# interpolation between samples; a contact counts only once force also clears an arm level relative to
# body weight (hysteresis against noise). Body weight is estimated per stride from
# impulse: in steady gait the vertical impulse of one foot's step equals
# BW * stride_time / 2 (Newton's second law over a stride).
import array

from stridefw import records as R
from stridefw.calib import TABLE_LEN
from stridefw.compat import const

# Config names are imported one by one: a module attribute (C.X) costs two
# dictionary lookups per use on MicroPython, a global one.
from stridefw.config import (
    ADC_SATURATED,
    ARM_BW_DIV,
    ARM_MIN_DN,
    BW_DEFAULT_DN,
    BW_MAX_DN,
    BW_MIN_DN,
    COVER_DMM,
    DEAD_DN,
    DEAD_RAW,
    DEAD_STEPS,
    DT_MAX_US,
    EVENT_LEVEL_DN,
    FLAG_DEGRADED,
    FLAG_HARD_IMPACT,
    FLAG_SENSOR_FAULT,
    FLAG_UNEVEN_LOAD,
    FLAG_UNSTABLE,
    FLOOR_BLOCK_US,
    FLOOR_BLOCKS,
    FLOOR_SWING_DIV,
    HARD_LR_BW_S,
    HARD_SHOCK_MG,
    IMPACT_MIN_MG,
    IMPACT_WINDOW_US,
    INSOLE_SILENT_US,
    SATURATED_US,
    STANCE_MAX_US,
    STANCE_MIN_US,
    STAT_MIN_STEPS,
    STAT_N_MAX,
    STEP_GAP,
    STEP_IMU_CONFIRMED,
    STEP_NO_IMPACT,
    STEP_NO_RATE,
    STEP_SATURATED,
    STEP_TRACE_FULL,
    STUCK_BAND,
    STUCK_US,
    SWING_GYRO_MIN,
    SWING_MAX_US,
    TICKS_MASK,
    TRACE_LEN,
    UNSTABLE_CLAMP,
    UNSTABLE_MIN_STEPS,
    UNSTABLE_N_MAX,
    UNSTABLE_RISE_L2Q8,
    UNSTABLE_SD_DMM,
    UNSTABLE_WARM,
    ZERO_AFTER_SWING_US,
    ZERO_MAX_DN,
    ZERO_PERIOD_US,
    ZERO_SHIFT,
)
from stridefw.imu_gait import ImuGait
from stridefw.layouts import LAYOUT_NONE

EV_STEP = const(1)
EV_FLAG = const(2)

_SWING = const(0)
_PENDING = const(1)
_STANCE = const(2)

_HALF = const(0x20000000)
_TOTAL_MAX_DN = const(40000)  # 4 kN per foot: arithmetic clamp (> 5 BW for 70 kg)
_IMP_BASE = const(20971520)  # 20 * 2**20: impulse accumulator carry (see _integrate)
_IMU_LOST_US = const(500000)
_IMU_BACK_US = const(1000000)
_MOTION_MIN_US = const(200000)  # time with movement before "stuck" counts
_MOTION_DN = const(500)  # total-force change per 10 ms that counts as movement (5 kN/s)
_CHECK_US = const(20000)  # one cell's fault check per 20 ms (every other sample at 100 Hz)
# The impact peak is a maximum over at least 10 ms (one sample at 100 Hz): at faster
# rates a one-sample bump of noise on the rising edge is not the impact peak.
_PEAK_HOLD_US = const(10000)

# The Step and Flag payloads are written at records.py's named offsets (STEP_*,
# FLAGREC_*), little endian, byte by byte (no struct, no allocation).

# Running statistics slots (exponentially weighted Welford, n capped at STAT_N_MAX)
_ST_COPX = const(0)  # per-step mean CoP x, mean Q4 and variance Q8 (dmm)
_ST_SHOCK = const(1)  # peak shock mg, mean Q4
_ST_LR = const(2)  # loading rate BW/s, mean Q4
_N_STATS = const(3)
# Robust scales for UNSTABLE (config UNSTABLE_*): EW mean and EW mean absolute
# deviation, both Q10, of the stance-mean CoP x (dmm), the stance time and the stride
# time (0.1 ms; stride <= 3 s is < 2**25 in Q10). Q10, with rounded division: over a
# 256-step window the floor of d // n would pull a Q4 mean down by ~1 unit per step.
_RS_COP = const(0)
_RS_STANCE = const(1)
_RS_STRIDE = const(2)
_N_RS = const(3)

# The runner's reference travels in the session as a Note (app.py writes it at the
# session start, stridekit.replay reads it back): UNSTABLE_REF_NOTE, a version, then
# the three log2 Q8 scales (CoP, stance, stride).
UNSTABLE_REF_NOTE = "unstable ref"
_REF_VERSION = const(1)


def _put16(buf, off, v):
    buf[off] = v & 0xFF
    buf[off + 1] = (v >> 8) & 0xFF


def _put32(buf, off, v):
    # v is a small non-negative int (< 2**30)
    buf[off] = v & 0xFF
    buf[off + 1] = (v >> 8) & 0xFF
    buf[off + 2] = (v >> 16) & 0xFF
    buf[off + 3] = (v >> 24) & 0xFF


def _put_time(buf, off, t, wraps):
    # u32 microseconds = wraps * 2**30 + t, modulo 2**32, written without big ints
    buf[off] = t & 0xFF
    buf[off + 1] = (t >> 8) & 0xFF
    buf[off + 2] = (t >> 16) & 0xFF
    buf[off + 3] = ((t >> 24) & 0x3F) | ((wraps & 3) << 6)


def _clamp16(v):
    if v < 0:
        return 0
    return 0xFFFF if v > 0xFFFF else v


def isqrt(n):
    """Integer square root, allocation-free for small ints."""
    if n <= 0:
        return 0
    x = n
    y = (x + 1) >> 1
    while y < x:
        x = y
        y = (x + n // x) >> 1
    return x


def _frac_us(dt, num, den):
    # dt * num / den with num <= den, scaled so the product stays below 2**30
    while den > 16384:
        num >>= 2
        den >>= 2
    if den <= 0:
        return 0
    return (dt * num) // den


def _ext_us(dt, num, den, cap):
    # dt * num / den for an extrapolation (num may exceed den), capped at cap
    while num > 16384 or den > 16384:
        num >>= 2
        den >>= 2
    if den <= 0:
        return cap
    v = (dt * num) // den
    return cap if v > cap else v


def log2_q8(x):
    """log2(x) in Q8 (256 per doubling) for x >= 1 (0 for x < 1), within 0.01.

    The mantissa f in [0, 1) uses log2(1 + f) ~ f + 0.3466 f (1 - f) (max error ~0.008).
    """
    if x < 1:
        return 0
    b = 0
    while (x >> b) > 1:
        b += 1
    if b >= 8:
        f = (x >> (b - 8)) - 256
    else:
        f = (x << (8 - b)) - 256
    return (b << 8) + f + ((f * (256 - f) * 89) >> 16)


# ------------------------------------------------------- per-cell passes
# The hot loop of every sample, twice: plain Python here (CPython replay, the
# WebAssembly test build) and viper in stridefw.kernel_vp (the pod), chosen at import.
# Both take the kernel and the raw cells and do exactly the same integer arithmetic;
# tests/mpy/test_unix32_viper.py holds them to the same records bit for bit.
def _cells_loaded_py(k, cells):
    # stance: force above baseline per cell (table lookup, Q0 dn), CoP sums into
    # k._acc (<= 16 * 15000 * 2450 < 2**30), per-cell stance sums; returns the total
    tab = k._tab
    base = k._base
    force = k.force
    koff = k._koff
    xs = k._x
    ys = k._y
    csum = k._csum
    total = 0
    sx = 0
    sy = 0
    for i in range(k.n_cells):
        raw = cells[i]
        if raw > 4095:
            raw = 4095
        j = koff[i] + (raw >> 6)
        t0 = tab[j]
        f = t0 + (((tab[j + 1] - t0) * (raw & 63)) >> 6) - base[i]
        if f > 0:
            force[i] = f
            total += f
            sx += f * xs[i]
            sy += f * ys[i]
            csum[i] += f  # <= 15000 * 500 samples
        else:
            force[i] = 0
    acc = k._acc
    acc[0] = sx
    acc[1] = sy
    return total


def _cells_swing_py(k, cells):
    # swing: force above baseline per cell, 0 below it; returns the total. A cell
    # reading below its quiet level (k._quiet1, from its baseline) is 0 without the
    # table: the result is the same, the lookup is skipped
    tab = k._tab
    base = k._base
    force = k.force
    koff = k._koff
    quiet1 = k._quiet1
    total = 0
    for i in range(k.n_cells):
        raw = cells[i]
        if raw > 4095:
            raw = 4095
        if raw < quiet1[i]:
            force[i] = 0
            continue
        j = koff[i] + (raw >> 6)
        t0 = tab[j]
        f = t0 + (((tab[j + 1] - t0) * (raw & 63)) >> 6) - base[i]
        if f < 0:
            f = 0
        force[i] = f
        total += f
    return total


def _set_quiet1_py(k, i):
    # Cell i's quiet level from its table segment and baseline: 1 + the highest raw
    # r with table(r') <= base for every r' <= r (0: none). Each 64-count table
    # step is linear in r, so it is solved step by step from r = 0; a baseline
    # (<= ZERO_MAX_DN) ends the walk within the first ~20 steps, usually in the
    # first one or two. Called when a baseline or a cell's table segment changes.
    tab = k._tab
    off = k._koff[i]
    b = k._base[i]
    q1 = 0
    for seg in range(64):
        t0 = tab[off + seg]
        if t0 > b:
            break
        d = tab[off + seg + 1] - t0
        if d <= 0 or t0 + ((d * 63) >> 6) <= b:
            q1 = (seg << 6) + 64  # the whole step is at or below the baseline
            continue
        fr = ((b - t0) << 6) // d  # highest fraction with t0 + (d * fr >> 6) <= b
        while fr < 63 and t0 + ((d * (fr + 1)) >> 6) <= b:
            fr += 1
        while fr >= 0 and t0 + ((d * fr) >> 6) > b:
            fr -= 1
        q1 = (seg << 6) + fr + 1
        break
    k._quiet1[i] = q1


try:  # the pod: viper (stridefw.kernel_vp says why it is a module of its own)
    from stridefw.kernel_vp import cells_loaded as _cells_loaded
    from stridefw.kernel_vp import cells_swing as _cells_swing
    from stridefw.kernel_vp import set_quiet1 as _set_quiet1

    CELL_PASS = "viper"
except (ImportError, SyntaxError):  # CPython, or a port without the viper emitter
    _cells_loaded = _cells_loaded_py
    _cells_swing = _cells_swing_py
    _set_quiet1 = _set_quiet1_py
    CELL_PASS = "python"


class StepKernel:
    """Finds steps in one foot's samples and summarises each as a Step payload."""

    def __init__(self, layout, calib, foot=0, has_imu=True, bw_dn=BW_DEFAULT_DN):
        n = layout.n_cells
        if calib.n_cells != n:
            raise ValueError("calibration has %d cells, layout %d" % (calib.n_cells, n))
        self.n_cells = n
        self.foot = foot
        self.has_imu = has_imu
        # IMU-only fallback (stridefw.imu_gait): always without an insole, else while
        # the insole is silent or every cell is faulty
        self.no_insole = layout.layout_id == LAYOUT_NONE
        self._ig = ImuGait()
        self._bw0 = bw_dn
        # own copy of the tables plus one all-zero segment for excluded cells
        self._tab = array.array("H", bytes(2 * (n + 1) * TABLE_LEN))
        for i in range(n * TABLE_LEN):
            self._tab[i] = calib.table[i]
        self._set_quiet_raw()
        self._x = array.array("h", layout.x_dmm)
        self._y = array.array("h", layout.y_dmm)
        self._zone = array.array("b", layout.zone)
        self._foot_len = layout.foot_length_dmm
        self.force = array.array("i", bytes(4 * n))  # last per-cell force, dn
        self._base = array.array("i", bytes(4 * n))  # auto-zero baseline, dn
        self._koff = array.array("h", bytes(2 * n))  # table offset of each cell
        for i in range(n):
            self._koff[i] = i * TABLE_LEN
        self._csum = array.array("i", bytes(4 * n))  # per-cell force sum this stance
        self._acc = array.array("i", bytes(8))  # CoP force-moment sums of a sample
        # per cell: 1 + the highest reading whose force is at most the baseline (and
        # so is every lower one): below it the swing pass needs no table lookup
        self._quiet1 = array.array("H", bytes(2 * n))
        self._stuck_ref = array.array("h", bytes(2 * n))
        self._stuck_t0 = array.array("i", bytes(4 * n))
        self._stuck_motion = array.array("i", bytes(4 * n))
        self._sat_t0 = array.array("i", bytes(4 * n))
        self._quiet_steps = array.array("h", bytes(2 * n))
        self.cell_fault = array.array("b", bytes(n))  # 0 ok, 1 stuck, 2 saturated, 3 dead
        self._trace_f = array.array("i", bytes(4 * TRACE_LEN))
        self._trace_t = array.array("i", bytes(4 * TRACE_LEN))
        self._fl_lo_r = array.array("i", bytes(4 * FLOOR_BLOCKS))  # block minima of total
        self._fl_hi_r = array.array("i", bytes(4 * FLOOR_BLOCKS))  # block maxima
        self._st_n = array.array("i", bytes(4 * _N_STATS))
        self._st_mean = array.array("i", bytes(4 * _N_STATS))
        self._st_var = array.array("i", bytes(4 * _N_STATS))
        self._rs_n = array.array("i", bytes(4 * _N_RS))
        self._rs_m = array.array("i", bytes(4 * _N_RS))
        self._rs_a = array.array("i", bytes(4 * _N_RS))
        # the runner's reference (log2 Q8 scales) survives reset(): it belongs to
        # the runner, not to a session; has_ref False until set_reference()
        self._ref = array.array("i", bytes(4 * _N_RS))
        self.has_ref = False
        self.step = bytearray(R.STEP_LEN)
        self.flag = bytearray(R.FLAGREC_LEN)
        self.reset()

    def reset(self):
        """Start a new session: forget time, steps, baselines and statistics."""
        n = self.n_cells
        for i in range(n):
            self.force[i] = 0
            self._base[i] = 0
            self._koff[i] = i * TABLE_LEN
            self._stuck_ref[i] = -1
            self._stuck_t0[i] = 0
            self._stuck_motion[i] = 0
            self._sat_t0[i] = -1
            self._quiet_steps[i] = 0
            self.cell_fault[i] = 0
        for i in range(n):
            _set_quiet1(self, i)
        self._n_faults = 0
        self._fault_mask = 0
        self._sent_mask = 0
        self._sent_imu = True
        self._sent_flags = 0
        self._rr = 0
        self._zr = 0
        self._zero_acc = 0  # us of swing owed to auto-zero (ZERO_PERIOD_US per cell)
        # half a period in: the first sample (dt 0) checks nothing, the first check
        # comes ~10 ms later (at 100 Hz: samples 1, 3, 5, ...)
        self._check_acc = _CHECK_US >> 1
        for s in range(_N_STATS):
            self._st_n[s] = 0
            self._st_mean[s] = 0
            self._st_var[s] = 0
        for s in range(_N_RS):
            self._rs_n[s] = 0
            self._rs_m[s] = 0
            self._rs_a[s] = 0
        for i in range(FLOOR_BLOCKS):
            self._fl_lo_r[i] = _TOTAL_MAX_DN
            self._fl_hi_r[i] = 0
        self._fl_i = 0
        self._fl_t = 0
        self._fl_lo = _TOTAL_MAX_DN
        self._fl_hi = 0
        self.floor_dn = 0  # swing floor (config FLOOR_*): levels are relative to it
        self._started = False
        self._tick = 0
        self.t = 0  # session time, us mod 2**30
        self.wraps = 0
        self._state = _SWING
        self._f_prev = 0
        self._f_pp = 0  # force two samples back
        self._dt_prev = 0
        self._refine = False
        self._r_dt01 = 0
        self._r_f1 = 0
        self._r_off = 0
        self.total_dn = 0
        self.cop_x_dmm = 0
        self.cop_y_dmm = 0
        self._c_t = 0  # contact time
        self._c_w = 0
        self._pc_t = 0  # previous contact
        self._have_pc = False
        self._have_toe = False
        self._since_toe_us = 0
        self._bw = self._bw0
        self._arm_dn = self._arm_level()  # cached: changes only with _bw
        self._motion = 0
        self._imu_missing_us = 0
        self._imu_back_us = 0
        self.imu_ok = True
        self.imu_missing = 0  # samples without an IMU packet (has_imu only)
        # imu_mode: the insole is silent or every cell faulty, the IMU detector runs;
        # imu_steps: steps found from the IMU since the mode began
        self.imu_mode = False
        self.imu_steps = 0
        self._silent_us = INSOLE_SILENT_US  # the session starts with no insole evidence
        self._ig.reset()
        self.steps = 0
        self.rejected = 0
        self.gaps = 0
        self.bad_ticks = 0
        self.flags = 0
        self._new_stance(0)

    def _new_stance(self, swing_us):
        self._swing_us = swing_us
        self._imp_hi = 0
        self._imp_lo = 0
        self._peak = 0
        self._peak_t = 0
        self._cx_min = 32767
        self._cx_max = -32768
        self._cx_sum = 0
        self._cx_n = 0
        self._cy_max = 0
        self._path = 0
        self._lcx = 0
        self._lcy = 0
        self._have_lc = False
        self._strike_y = -1
        self._n_trace = 0
        self._shock2 = 0
        self._impact2 = 0
        self._sflags = 0
        self._n_loaded = 0
        for i in range(self.n_cells):
            self._csum[i] = 0

    # ------------------------------------------------------------------ hot path
    def push(self, tick_us, cells, imu):
        """One sample. cells: raw ADC counts; imu: [ax, ay, az mg, gx, gy, gz 0.1 deg/s] or None.

        Returns a bitmask of EV_STEP (self.step holds a new Step payload) and EV_FLAG
        (self.flag holds a new Flag payload).
        """
        first = not self._started
        if first:
            self._started = True
            self._tick = tick_us
            dt = 0
        else:
            dt = (tick_us - self._tick) & TICKS_MASK
            if dt >= _HALF:  # tick went backwards: drop the sample
                self.bad_ticks += 1
                return 0
            if dt == 0:
                self.bad_ticks += 1
                return 0
            self._tick = tick_us
            room = TICKS_MASK - self.t
            if dt > room:
                self.t = dt - room - 1
                self.wraps += 1
            else:
                self.t += dt
        dti = dt
        if dt > DT_MAX_US:
            dti = DT_MAX_US
            self.gaps += 1
            if self._state != _SWING:
                self._sflags |= STEP_GAP

        # IMU: presence, swing rotation, shock
        gyro = 0
        acc2 = 0
        if imu is None:
            if self.has_imu:
                self.imu_missing += 1
                self._imu_missing_us += dti
                self._imu_back_us = 0
                if self.imu_ok and self._imu_missing_us >= _IMU_LOST_US:
                    self.imu_ok = False
        else:
            self._imu_missing_us = 0
            if not self.imu_ok:
                self._imu_back_us += dti
                if self._imu_back_us >= _IMU_BACK_US:
                    self.imu_ok = True
            if self._state == _SWING and self._since_toe_us >= ZERO_AFTER_SWING_US:
                g = imu[3]
                gyro = g if g >= 0 else -g
                g = imu[4]
                gyro += g if g >= 0 else -g
                g = imu[5]
                gyro += g if g >= 0 else -g

        if self.no_insole:
            return self._push_imu_only(dt, imu)

        # Auto-zero only well into swing, with the foot unloaded (and rotating,
        # when an IMU can tell): standing still never re-zeroes a loaded cell.
        # (swing only: learning while a contact is pending would absorb the first
        # load of the heel and time contacts late -- seen on PhysioNet gaitpdb)
        zero = (
            self._state == _SWING
            and self._since_toe_us >= ZERO_AFTER_SWING_US
            and self._f_prev < self._arm_dn
            and (imu is None or gyro >= SWING_GYRO_MIN)
        )

        # Cells: table lookup (Q0 dn) and baseline: the hot path (_cells_loaded,
        # _cells_swing; `stride bench` has the figures). Excluded (stuck,
        # saturated) cells read the all-zero table segment.
        if self._state != _SWING:
            self._silent_us = 0
            total = _cells_loaded(self, cells)
            self._n_loaded += 1
            if total > 0:
                self.cop_x_dmm = self._acc[0] // total
                self.cop_y_dmm = self._acc[1] // total
        elif max(cells) > self._quiet_raw:
            self._silent_us = 0
            total = _cells_swing(self, cells)
        else:
            # Swing fast path: every cell reads so little that the total is
            # certainly below half the event level (bound set in _set_quiet_raw).
            total = 0
            force = self.force
            for i in range(self.n_cells):
                force[i] = 0
            if self._silent_us < INSOLE_SILENT_US:
                self._silent_us += dti
        if zero:
            # one cell per ZERO_PERIOD_US on average, whatever the rate (a sample
            # up to 1/8 period early still counts: pod timing jitters)
            acc = self._zero_acc + dti
            while acc >= ZERO_PERIOD_US - (ZERO_PERIOD_US >> 3):
                acc -= ZERO_PERIOD_US  # below 100 Hz: more than one cell per sample
                self._auto_zero(cells)
            self._zero_acc = acc
        else:
            self._zero_acc = 0
        if total > _TOTAL_MAX_DN:
            total = _TOTAL_MAX_DN
        self.total_dn = total
        # swing floor: events see the force above it (0 for an insole auto-zero has
        # already taken to ~0 in swing, so then nothing changes)
        if total < self._fl_lo:
            self._fl_lo = total
            if total < self.floor_dn:
                self.floor_dn = total
        if total > self._fl_hi:
            self._fl_hi = total
        self._fl_t += dti
        if self._fl_t >= FLOOR_BLOCK_US:
            self._floor_block()
        if self.floor_dn:
            total = total - self.floor_dn if total > self.floor_dn else 0
        # movement: the total changing faster than 5 kN/s (rate, not per sample, so
        # it means the same at any sample rate); _motion counts its us. Per sample the
        # step shrinks with the rate (50 N at 100 Hz, 25 N at the pod's top 200 Hz,
        # 17 N in 300 Hz replays); a 1 kHz pod would need more, as 5 N is cell noise
        d = (total - self._f_prev) * 10000
        lim = _MOTION_DN * dti
        if d > lim or d < -lim:
            self._motion = (self._motion + dti) & TICKS_MASK
        # fault checks on one cell per _CHECK_US: the rules are time-based (>= 0.5 s),
        # so this only spreads their cost; visiting per unit of time, not per sample,
        # keeps how often a cell is seen the same at every rate
        acc = self._check_acc + dti
        while acc >= _CHECK_US - (_CHECK_US >> 3):
            acc -= _CHECK_US
            self._check_cell(cells)
        self._check_acc = acc
        if imu is not None and (total > EVENT_LEVEL_DN or self._state != _SWING):
            # shock only matters around and during stance; halving each axis
            # keeps the sum of squares below 2**30 for any int16 input
            ax = imu[0] >> 1
            ay = imu[1] >> 1
            az = imu[2] >> 1
            acc2 = ax * ax + ay * ay + az * az  # (2 mg)^2

        if first:
            # a recording that starts with the foot loaded has no contact to
            # time: wait for this stance to end instead of dating one at t = 0
            self._f_prev = total
        ev = self._events(total, dti, acc2)
        self._f_pp = self._f_prev
        self._f_prev = total
        self._dt_prev = dti
        # IMU fallback while the insole is silent or every cell is faulty; the
        # insole keeps being read, and the first step it finds ends the fallback
        if self.has_imu and (self._silent_us >= INSOLE_SILENT_US or self._n_faults == self.n_cells):
            if not self.imu_mode:
                self.imu_mode = True
                self.imu_steps = 0
                self._ig.reset()
            if ev & EV_STEP:
                self._ig.drop_contact()
            elif self._ig.push(dt, imu):
                ev |= self._imu_step()
        elif self.imu_mode:
            self.imu_mode = False
            self.imu_steps = 0

        # session flags from cells and IMU
        fl = self.flags & ~(FLAG_SENSOR_FAULT | FLAG_DEGRADED)
        if self._n_faults or not self.imu_ok:
            fl |= FLAG_SENSOR_FAULT | FLAG_DEGRADED
        if self.imu_steps:
            fl |= FLAG_DEGRADED  # steps from the IMU alone (silent insole)
        self.flags = fl
        # a Flag record also when only the faulty cells or the IMU state change,
        # so which cell failed is never lost behind an already-raised bit
        if (
            fl != self._sent_flags
            or self._fault_mask != self._sent_mask
            or self.imu_ok != self._sent_imu
        ):
            self._write_flag()
            ev |= EV_FLAG
        return ev

    # ------------------------------------------------------------- IMU fallback
    def _push_imu_only(self, dt, imu):
        # no insole at all (layout LAYOUT_NONE): the cells are not read
        ev = 0
        if self.has_imu and self._ig.push(dt, imu):
            ev = self._imu_step()
        fl = self.flags & ~(FLAG_SENSOR_FAULT | FLAG_DEGRADED)
        fl |= FLAG_DEGRADED
        if not self.imu_ok or not self.has_imu:
            fl |= FLAG_SENSOR_FAULT
        self.flags = fl
        if fl != self._sent_flags or self.imu_ok != self._sent_imu:
            self._write_flag()
            ev |= EV_FLAG
        return ev

    def _imu_step(self):
        # A Step from the IMU detector: times only; force, CoP and shares are 0.
        g = self._ig
        self._set_contact(g.contact_back_us)
        self.steps += 1
        self.imu_steps += 1
        buf = self.step
        for i in range(R.STEP_LEN):
            buf[i] = 0
        fl = FLAG_DEGRADED | STEP_NO_RATE
        if g.step_gap:
            fl |= STEP_GAP
        _put32(buf, R.STEP_INDEX, self.steps - 1)
        _put_time(buf, R.STEP_CONTACT_US, self._c_t, self._c_w)
        _put32(buf, R.STEP_STANCE_US, g.stance_us)
        _put32(buf, R.STEP_SWING_US, g.swing_us)
        _put16(buf, R.STEP_FLAGS, fl | (self.flags & 0xFF))
        _put16(buf, R.STEP_BW_DN, _clamp16(self._bw))
        return EV_STEP

    def _auto_zero(self, cells):
        # One cell per ZERO_PERIOD_US of swing: drift is slow, so each baseline
        # being revisited every n_cells periods is plenty. Excluded cells are skipped.
        i = self._zr
        self._zr = i + 1 if i + 1 < self.n_cells else 0
        if self.cell_fault[i] == 1 or self.cell_fault[i] == 2:
            return
        raw = cells[i]
        if raw > 4095:
            raw = 4095
        k = i * TABLE_LEN + (raw >> 6)
        t0 = self._tab[k]
        f = t0 + (((self._tab[k + 1] - t0) * (raw & 63)) >> 6)
        b = self._base[i]
        b += (f - b) >> ZERO_SHIFT
        if b > ZERO_MAX_DN:
            b = ZERO_MAX_DN
        self._base[i] = b
        _set_quiet1(self, i)

    def _floor_block(self):
        # close a block of the swing-floor window (see config FLOOR_*)
        i = self._fl_i
        lo_r = self._fl_lo_r
        hi_r = self._fl_hi_r
        lo_r[i] = self._fl_lo
        hi_r[i] = self._fl_hi
        self._fl_i = i + 1 if i + 1 < FLOOR_BLOCKS else 0
        self._fl_t = 0
        self._fl_lo = _TOTAL_MAX_DN
        self._fl_hi = 0
        lo = _TOTAL_MAX_DN
        hi = 0
        for j in range(FLOOR_BLOCKS):
            if lo_r[j] < lo:
                lo = lo_r[j]
            if hi_r[j] > hi:
                hi = hi_r[j]
        if lo * FLOOR_SWING_DIV <= hi or lo < self.floor_dn:
            self.floor_dn = lo

    def _set_quiet_raw(self):
        # Largest raw reading at which every cell's table force is at most
        # EVENT_LEVEL / (2 n): below it the swing loop can be skipped.
        lim = EVENT_LEVEL_DN // (2 * self.n_cells)
        q = 4095
        for i in range(self.n_cells):
            r = 0
            while r < 4095:
                k = i * TABLE_LEN + ((r + 1) >> 6)
                t0 = self._tab[k]
                if t0 + (((self._tab[k + 1] - t0) * ((r + 1) & 63)) >> 6) > lim:
                    break
                r += 1
            if r < q:
                q = r
        self._quiet_raw = q

    def _check_cell(self, cells):
        # One cell per visit (_CHECK_US): stuck (no change while the foot works) and
        # saturated (pinned at full scale). Elapsed times come from session time,
        # so the slower visiting rate does not change the thresholds.
        # Stuck needs the cell to read load (above its swing baseline) when it is
        # flagged: a healthy cell also sits still at its unloaded reading, and with
        # a visit every n_cells * 20 ms (320 ms for 16 cells: ~5 in STUCK_US) a cell
        # loaded for ~100 ms of a 700 ms running stride is often never seen loaded,
        # so it was called stuck (simulated corpus: 7 of 51 healthy runners). A cell
        # constant at no load is the dead rule's case.
        i = self._rr
        self._rr = i + 1 if i + 1 < self.n_cells else 0
        raw = cells[i]
        fault = self.cell_fault
        old = fault[i]
        if raw >= ADC_SATURATED:
            if self._state != _SWING:
                self._sflags |= STEP_SATURATED
            if self._sat_t0[i] < 0:
                self._sat_t0[i] = self.t
            elif old == 0 and ((self.t - self._sat_t0[i]) & TICKS_MASK) >= SATURATED_US:
                fault[i] = 2
        else:
            self._sat_t0[i] = -1
            if old == 2:
                fault[i] = 0
        d = raw - self._stuck_ref[i]
        if -STUCK_BAND <= d <= STUCK_BAND:
            if (
                fault[i] == 0
                and raw > DEAD_RAW
                and self.force[i] > DEAD_DN
                and ((self.t - self._stuck_t0[i]) & TICKS_MASK) >= STUCK_US
                and ((self._motion - self._stuck_motion[i]) & TICKS_MASK) >= _MOTION_MIN_US
            ):
                fault[i] = 1
        else:
            self._stuck_ref[i] = raw
            self._stuck_t0[i] = self.t
            self._stuck_motion[i] = self._motion
            if fault[i] == 1:
                fault[i] = 0
        if fault[i] != old:
            self._set_fault_count()

    def _set_fault_count(self):
        n = 0
        mask = 0
        for i in range(self.n_cells):
            f = self.cell_fault[i]
            # stuck or saturated cells read the all-zero segment after the tables
            self._koff[i] = self.n_cells * TABLE_LEN if f == 1 or f == 2 else i * TABLE_LEN
            _set_quiet1(self, i)
            if f:
                n += 1
                mask |= 1 << i
        self._n_faults = n
        self._fault_mask = mask

    def _loaded_pass(self):
        # CoP (dmm) and per-cell stance sums, only while the foot is loaded.
        force = self.force
        xs = self._x
        ys = self._y
        csum = self._csum
        sx = 0
        sy = 0
        for i in range(self.n_cells):
            f = force[i]
            if f:
                sx += f * xs[i]  # <= 16 * 15000 * 300
                sy += f * ys[i]  # <= 16 * 15000 * 2450 < 2**30
                csum[i] += f  # <= 15000 * 500 samples
        self._n_loaded += 1
        total = self.total_dn
        if total > 0:
            self.cop_x_dmm = sx // total
            self.cop_y_dmm = sy // total

    def _arm_level(self):
        a = self._bw // ARM_BW_DIV
        return a if a > ARM_MIN_DN else ARM_MIN_DN

    def _events(self, total, dti, acc2):
        lvl = EVENT_LEVEL_DN
        fp = self._f_prev
        state = self._state
        ev = 0
        if state == _SWING:
            self._since_toe_us += dti
            if self._since_toe_us > SWING_MAX_US:
                self._since_toe_us = SWING_MAX_US
            if total > lvl and fp <= lvl:
                # upward crossing: candidate contact between previous and this sample
                off = _frac_us(dti, lvl - fp, total - fp)
                back = dti - off
                self._set_contact(back)
                self._new_stance(self._swing_since_toe(back))
                self._loaded_pass()
                self._trace_add(fp, -off)  # the unloaded sample, before the contact
                self._trace_add(total, back)
                self._integrate(fp, total, dti)
                self._track_shock(acc2, back)
                # The sample before was unloaded: the edge started somewhere in
                # between, so interpolating from ~0 N would time contact early.
                # Refine at the next sample from the slope of the loaded edge.
                self._refine = fp * 4 <= lvl
                self._r_dt01 = dti
                self._r_f1 = total
                self._r_off = off
                self._state = _PENDING
                state = _PENDING
                if total >= self._arm_dn:
                    self._arm(total, back)
                    state = _STANCE
            return ev
        if self._refine:
            self._refine = False
            f1 = self._r_f1
            if total > f1:
                cap = self._r_dt01
                ext = _ext_us(dti, f1 - lvl, total - f1, cap)
                delta = ext - (cap - self._r_off)  # how much earlier contact moves
                self._set_contact(dti + ext)
                if self._swing_us > 0:
                    self._swing_us -= delta
                    if self._swing_us < 0:
                        self._swing_us = 0
                self._trace_t[0] = ext - cap
                self._trace_t[1] = ext
                if ext < cap:
                    # nor is the unloaded sample on the edge: the trace starts from
                    # the edge's line at its time (the 20 % level is timed on it)
                    self._trace_f[0] = f1 - _ext_us(total - f1, cap, dti, _TOTAL_MAX_DN)
        # PENDING or STANCE: time since the candidate contact
        since_c = (self.t - self._c_t) & TICKS_MASK
        if total <= lvl:
            if state == _STANCE:
                if total * 4 <= lvl and self._f_pp > fp:
                    # unloaded now: extrapolate the falling edge of the last two
                    # loaded samples instead of interpolating towards ~0 N
                    off = _ext_us(self._dt_prev, fp - lvl, self._f_pp - fp, dti)
                else:
                    off = _frac_us(dti, fp - lvl, fp - total)
                back = dti - off
                stance_us = since_c - back
                self._integrate(fp, total, dti)
                self._since_toe_us = back
                if STANCE_MIN_US <= stance_us <= STANCE_MAX_US:
                    self._finish_step(stance_us)
                    ev = EV_STEP
                else:
                    self.rejected += 1
                self._have_toe = True
            else:
                self._since_toe_us += dti
            self._state = _SWING
            return ev
        self._integrate(fp, total, dti)
        self._track_shock(acc2, since_c)
        if self._n_trace < TRACE_LEN:
            self._trace_add(total, since_c)
        else:
            self._sflags |= STEP_TRACE_FULL
        if state == _PENDING:
            self._since_toe_us += dti
            if total >= self._arm_dn:
                self._arm(total, since_c)
            return ev
        if total > self._peak:
            self._peak = total
            self._peak_t = since_c
        # CoP excursion and path while loaded enough for a meaningful CoP
        if total >= self._bw // 10:
            cx = self.cop_x_dmm
            cy = self.cop_y_dmm
            if cx < self._cx_min:
                self._cx_min = cx
            if cx > self._cx_max:
                self._cx_max = cx
            self._cx_sum += cx
            self._cx_n += 1
            if cy > self._cy_max:
                self._cy_max = cy
            if self._have_lc:
                dx = cx - self._lcx
                dy = cy - self._lcy
                if dx < 0:
                    dx = -dx
                if dy < 0:
                    dy = -dy
                # octagonal approximation of sqrt(dx^2 + dy^2), error < 7 %
                if dx > dy:
                    self._path += dx + (3 * dy >> 3)
                else:
                    self._path += dy + (3 * dx >> 3)
            self._lcx = cx
            self._lcy = cy
            self._have_lc = True
        if since_c > STANCE_MAX_US:
            # standing, not stepping: drop this contact, wait for the foot to lift
            self._state = _PENDING
            self._peak = 0
        return ev

    def _swing_since_toe(self, back):
        if not self._have_toe:
            return 0
        s = self._since_toe_us - back
        if s <= 0 or self._since_toe_us >= SWING_MAX_US:
            return 0
        return s

    def _set_contact(self, back):
        if back > self.t:
            self._c_t = (self.t - back) & TICKS_MASK
            self._c_w = self.wraps - 1
        else:
            self._c_t = self.t - back
            self._c_w = self.wraps

    def _arm(self, total, since_c):
        self._state = _STANCE
        self._peak = total
        self._peak_t = since_c
        self._strike_y = self.cop_y_dmm

    def _trace_add(self, f, t_rel):
        n = self._n_trace
        if n < TRACE_LEN:
            self._trace_f[n] = f
            self._trace_t[n] = t_rel
            self._n_trace = n + 1

    def _integrate(self, fp, f, dti):
        # trapezoid in dn * 0.1 ms * 2 (<= 80000 * 500 per sample); carried into
        # _imp_hi every _IMP_BASE so the sum never leaves small-int range.
        s = fp + f
        v = s * (dti // 100) + (s * (dti % 100)) // 100  # exact at rates not dividing 10 kHz
        lo = self._imp_lo + v
        while lo >= _IMP_BASE:
            lo -= _IMP_BASE
            self._imp_hi += 1
        self._imp_lo = lo

    def _track_shock(self, acc2, since_c):
        if acc2 > self._shock2:
            self._shock2 = acc2
        if since_c <= IMPACT_WINDOW_US and acc2 > self._impact2:
            self._impact2 = acc2

    def _loading_rate(self, stance_us):
        # Average loading rate 20-80 % of the impact peak (first local maximum in
        # the first 30 % of stance above BW/2), or of the force at 13 % of stance
        # when there is none (Ueda et al. 2016 practice). N/s, or -1 when the
        # stance shows no rise from 20 % to 80 % of that force to measure: the
        # trace begins at the unloaded sample before contact, so a force that was
        # already above 20 % there (a reference below ~5x the 20 N event level,
        # e.g. a heel that never loads) rose before the trace and is not measured.
        # The 20 % crossing may lie before contact (negative time): it is a time
        # like any other, not "none".
        n = self._n_trace
        if n < 3:
            return -1
        tf = self._trace_f
        tt = self._trace_t
        # the stance's span, also when a fast rate filled the trace before toe-off
        span = tt[n - 1] if n < TRACE_LEN else stance_us
        limit_t = span * 3 // 10
        ref = 0
        for i in range(1, n - 1):
            if tt[i] > limit_t:
                break
            fi = tf[i]
            if fi >= tf[i - 1] and fi > tf[i + 1] and fi >= self._bw // 2:
                j = i + 2
                while j < n and tt[j] - tt[i] < _PEAK_HOLD_US and tf[j] < fi:
                    j += 1
                if j >= n or tt[j] - tt[i] >= _PEAK_HOLD_US:
                    ref = fi
                    break
        if ref == 0:
            t13 = span * 13 // 100
            for i in range(1, n):
                if tt[i] >= t13:
                    ref = tf[i]
                    break
        lo = ref // 5
        hi = ref * 4 // 5
        if lo <= 0 or tf[0] >= lo:
            return -1
        t_lo = 0
        have_lo = False
        for i in range(1, n):
            a = tf[i - 1]
            b = tf[i]
            if not have_lo and a < lo <= b:
                t_lo = tt[i - 1] + _frac_us(tt[i] - tt[i - 1], lo - a, b - a)
                have_lo = True
            if a < hi <= b:
                if not have_lo:
                    return -1
                t_hi = tt[i - 1] + _frac_us(tt[i] - tt[i - 1], hi - a, b - a)
                dt100 = (t_hi - t_lo) // 100
                if dt100 < 1:
                    dt100 = 1
                return ((hi - lo) * 1000) // dt100  # dn * 1000 / (0.1 ms) = N/s
        return -1

    def _stat(self, s, x, var):
        n = self._st_n[s]
        if n < STAT_N_MAX:
            n += 1
            self._st_n[s] = n
        xq = x << 4
        m = self._st_mean[s]
        d = xq - m
        m += d // n
        self._st_mean[s] = m
        if var:
            v = self._st_var[s]
            self._st_var[s] = v + (d * (xq - m) - v) // n

    def _rstat(self, s, xq, rel):
        # one robust-scale update (config UNSTABLE_*); xq Q10, |xq| < 2**25
        n = self._rs_n[s]
        if n == 0:
            self._rs_n[s] = 1
            self._rs_m[s] = xq
            self._rs_a[s] = 0
            return
        if n < UNSTABLE_N_MAX:
            n += 1
            self._rs_n[s] = n
        m = self._rs_m[s]
        a = self._rs_a[s]
        d = xq - m
        if n > UNSTABLE_WARM:
            lim = UNSTABLE_CLAMP * a + 1024  # + 1 unit: a steady value is not stuck
        elif rel:
            lim = m >> 1
        else:
            lim = 1024000  # 100 mm in Q10 dmm
        if d > lim:
            d = lim
        elif d < -lim:
            d = -lim
        h = n >> 1
        self._rs_m[s] = m + (d + h) // n
        if d < 0:
            d = -d
        self._rs_a[s] = a + (d - a + h) // n

    def _rscale_l2(self, s, rel):
        # log2 Q8 of a robust scale: CoP in Q10 dmm, times relative to their mean
        # (Q14: 16384 a / m; a <= the largest value < 2**25, so a << 4 < 2**29)
        a = self._rs_a[s]
        if rel:
            m = self._rs_m[s] >> 10
            a = (a << 4) // m if m > 0 else 0
        return log2_q8(a)

    def set_reference(self, l_cop, l_stance, l_stride):
        """The runner's own UNSTABLE reference (log2 Q8 scales, see reference())."""
        self._ref[_RS_COP] = l_cop
        self._ref[_RS_STANCE] = l_stance
        self._ref[_RS_STRIDE] = l_stride
        self.has_ref = True

    def clear_reference(self):
        self.has_ref = False

    def set_reference_note(self, text):
        """Set the reference from a Note's text (reference_note()); False if it is not one."""
        if not text.startswith(UNSTABLE_REF_NOTE):
            return False
        f = text[len(UNSTABLE_REF_NOTE) :].split()
        if len(f) != 4:
            return False
        try:
            v = int(f[0])
            l_cop = int(f[1])
            l_st = int(f[2])
            l_sr = int(f[3])
        except ValueError:
            return False
        if v != _REF_VERSION:
            return False
        # log2_q8 of a 32-bit scale lies in 0..8191: anything else is a damaged note
        # (and would overflow the reference array or the rule's small-int arithmetic)
        for x in (l_cop, l_st, l_sr):
            if x < 0 or x >= 8192:
                return False
        self.set_reference(l_cop, l_st, l_sr)
        return True

    def reference_note(self):
        """The reference in use as a Note text (the pod writes it at the session start)."""
        r = self._ref
        return "%s %d %d %d %d" % (UNSTABLE_REF_NOTE, _REF_VERSION, r[0], r[1], r[2])

    def judged_unstable(self):
        """True once this session has enough steps for the UNSTABLE scales."""
        return self._rs_n[_RS_STRIDE] >= UNSTABLE_MIN_STEPS and self._rs_n[_RS_COP] > 0

    def session_scale(self, i):
        """This session's robust scale i (0 CoP, 1 stance, 2 stride) as log2 Q8."""
        return self._rscale_l2(i, i != _RS_COP)

    def learn_reference(self):
        """At a session's end: fold this session into the reference (the mean of the
        logs with the old reference, or the first reference) when it was long enough
        and not UNSTABLE. Returns True if the reference changed."""
        if not self.judged_unstable() or self.flags & FLAG_UNSTABLE:
            return False
        for i in range(_N_RS):
            v = self.session_scale(i)
            self._ref[i] = (self._ref[i] + v) // 2 if self.has_ref else v
        self.has_ref = True
        return True

    def _unstable_rule(self, was):
        # UNSTABLE against the reference (config UNSTABLE_RISE_L2Q8); was: the flag
        # is up, and stays while both rises exceed 3/4 of the threshold
        if not self.has_ref or not self.judged_unstable():
            return False
        r = self._ref
        w2 = self._rscale_l2(_RS_COP, False) - r[_RS_COP]
        w2 += self._rscale_l2(_RS_STANCE, True) - r[_RS_STANCE]
        c2 = 2 * (self._rscale_l2(_RS_STRIDE, True) - r[_RS_STRIDE])
        lim2 = 2 * UNSTABLE_RISE_L2Q8
        if was:
            lim2 = lim2 * 3 // 4
        return w2 > lim2 and w2 - c2 > lim2

    def _finish_step(self, stance_us):
        buf = self.step
        self.steps += 1
        imp = self._imp_hi * (_IMP_BASE // 20) + self._imp_lo // 20  # dn * ms
        # body weight from this stride's impulse (see header)
        if self._have_pc:
            stride_ms = ((self._c_t - self._pc_t) & TICKS_MASK) // 1000
            if 200 <= stride_ms <= 3000:
                self._rstat(
                    _RS_STRIDE, (((self._c_t - self._pc_t) & TICKS_MASK) // 100) << 10, True
                )
                bw = (2 * imp) // stride_ms
                if BW_MIN_DN <= bw <= BW_MAX_DN:
                    self._bw += (bw - self._bw) >> 3
                    self._arm_dn = self._arm_level()
        self._pc_t = self._c_t
        self._have_pc = True
        lr = self._loading_rate(stance_us)
        fl = self._sflags
        if lr <= 0:
            # not measured: stored as 0 and said so, never averaged in as a rate
            lr = 0
            fl |= STEP_NO_RATE
        shock = 0
        if self.imu_ok and self.has_imu and self._shock2 > 0:
            shock = isqrt(self._shock2) << 1  # (2 mg)^2 -> mg
            if self._impact2 >= (IMPACT_MIN_MG >> 1) * (IMPACT_MIN_MG >> 1):
                fl |= STEP_IMU_CONFIRMED
            else:
                fl |= STEP_NO_IMPACT
        cx_mean = 0
        cx_range = 0
        if self._cx_n > 0:
            cx_mean = self._cx_sum // self._cx_n
            cx_range = self._cx_max - self._cx_min
        # zone and medial shares from per-cell stance sums; open/dead cells
        zh = 0
        zm = 0
        zf = 0
        zmed = 0
        quiet = DEAD_DN * self._n_loaded  # mean below DEAD_DN over the stance
        zones = self._zone
        # An unloaded FSR and an open one both read ~0, so a cell is suspected
        # only if the CoP path (strike point to its most forward point, around
        # its mean x) passed within COVER_DMM of it and it still carried nothing.
        y_lo = self._strike_y - COVER_DMM
        y_hi = self._cy_max + COVER_DMM
        for i in range(self.n_cells):
            f = self._csum[i]
            z = zones[i]
            if z == 0:
                zh += f
            elif z == 1:
                zm += f
            else:
                zf += f
            if self._x[i] < 0:
                zmed += f
            dx = self._x[i] - cx_mean
            covered = y_lo <= self._y[i] <= y_hi and -COVER_DMM <= dx <= COVER_DMM
            if f < quiet and covered and self._strike_y >= 0:
                if self._quiet_steps[i] < DEAD_STEPS:
                    self._quiet_steps[i] += 1
                if self._quiet_steps[i] >= DEAD_STEPS and self.cell_fault[i] == 0:
                    self.cell_fault[i] = 3
                    self._set_fault_count()
            elif f >= quiet:
                self._quiet_steps[i] = 0
                if self.cell_fault[i] == 3:
                    self.cell_fault[i] = 0
                    self._set_fault_count()
        zs = (zh + zm + zf) // 1000
        heel = mid = fore = med = 0
        if zs > 0:
            heel = zh // zs
            mid = zm // zs
            fore = zf // zs
            med = zmed // zs
        strike = 0
        if self._strike_y >= 0:
            strike = (self._strike_y * 1000) // self._foot_len

        # running statistics -> UNSTABLE, HARD_IMPACT
        if self._cx_n > 0:
            self._stat(_ST_COPX, cx_mean, True)
            self._rstat(_RS_COP, cx_mean << 10, False)
        if stance_us <= STANCE_MAX_US:
            self._rstat(_RS_STANCE, (stance_us // 100) << 10, True)
        if shock > 0:
            self._stat(_ST_SHOCK, shock, False)
        if lr > 0 and self._bw > 0:
            self._stat(_ST_LR, (lr * 10) // self._bw, False)
        fl_s = self.flags & ~(FLAG_UNSTABLE | FLAG_HARD_IMPACT)
        if self.steps >= STAT_MIN_STEPS:
            sd_q4 = isqrt(self._st_var[_ST_COPX])  # sqrt(Q8) = Q4
            lim_q4 = UNSTABLE_SD_DMM << 4
            was = self.flags & FLAG_UNSTABLE
            if sd_q4 > lim_q4 or (was and 4 * sd_q4 > 3 * lim_q4) or self._unstable_rule(was):
                fl_s |= FLAG_UNSTABLE
            if (
                self._st_mean[_ST_SHOCK] > HARD_SHOCK_MG << 4
                or self._st_mean[_ST_LR] > HARD_LR_BW_S << 4
            ):
                fl_s |= FLAG_HARD_IMPACT
        self.flags = fl_s

        _put32(buf, R.STEP_INDEX, self.steps - 1)
        _put_time(buf, R.STEP_CONTACT_US, self._c_t, self._c_w)
        _put32(buf, R.STEP_STANCE_US, stance_us)
        _put32(buf, R.STEP_SWING_US, self._swing_us)
        _put16(buf, R.STEP_PEAK_FORCE_DN, _clamp16(self._peak))
        _put16(buf, R.STEP_TIME_TO_PEAK_MS, _clamp16(self._peak_t // 1000))
        _put32(buf, R.STEP_LOADING_RATE_N_S, lr)
        _put32(buf, R.STEP_IMPULSE_DNMS, imp)
        _put16(buf, R.STEP_STRIKE_PM, strike)
        _put16(buf, R.STEP_COP_X_MEAN_DMM, cx_mean)
        _put16(buf, R.STEP_COP_ML_RANGE_DMM, _clamp16(cx_range))
        _put16(buf, R.STEP_COP_PATH_DMM, _clamp16(self._path))
        _put16(buf, R.STEP_HEEL_PM, heel)
        _put16(buf, R.STEP_MID_PM, mid)
        _put16(buf, R.STEP_FORE_PM, fore)
        _put16(buf, R.STEP_MEDIAL_PM, med)
        _put16(buf, R.STEP_SHOCK_MG, _clamp16(shock))
        _put16(buf, R.STEP_FLAGS, fl | (self.flags & 0xFF))
        _put16(buf, R.STEP_BW_DN, _clamp16(self._bw))

    def _write_flag(self):
        buf = self.flag
        _put_time(buf, R.FLAGREC_T_US, self.t, self.wraps)
        _put16(buf, R.FLAGREC_FLAGS, self.flags)
        _put16(buf, R.FLAGREC_CHANGED, self.flags ^ self._sent_flags)
        self._sent_flags = self.flags
        _put16(buf, R.FLAGREC_FAULT_CELLS, self._fault_mask)
        buf[R.FLAGREC_IMU_OK] = 1 if self.imu_ok else 0
        self._sent_mask = self._fault_mask
        self._sent_imu = self.imu_ok

    def set_uneven(self, on):
        """UNEVEN_LOAD comes from stridefw.balance (it needs both feet); the next
        push() reports the change as a Flag record like any other flag."""
        if on:
            self.flags |= FLAG_UNEVEN_LOAD
        else:
            self.flags &= ~FLAG_UNEVEN_LOAD
