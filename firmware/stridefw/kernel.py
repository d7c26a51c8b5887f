# StepKernel: per-sample, fixed-point processing of one foot's insole and IMU.
#
# push(tick_us, cells, imu) per sample; no allocation on the hot path (checked in
# tests/mpy with gc.mem_alloc()). Every intermediate stays within +-2**30 so it is
# a small int on MicroPython's 32-bit ports (the per-cell stance sums of a contact
# held ~24 min at full load wrap instead, alike in viper and the twin; such a
# contact is never a step). Q-formats are stated where used.
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
# interpolation between samples; a contact counts only once force also clears an
# arm level relative to body weight (hysteresis against noise). Body weight is
# estimated per stride from impulse: in steady gait the vertical impulse of one
# foot's step equals BW * stride_time / 2 (Newton's second law over a stride).
#
# Stages, each allocation-free: push() (the per-sample flow, the per-cell pass, the
# swing floor and the contact/toe-off state machine: stridefw.kernel_vp in viper on
# the pod, its twin stridefw.kernel_py elsewhere), cell faults (stridefw.cells), one
# stance's summary and the session statistics (stridefw.steps), the IMU-only
# fallback (stridefw.imu_gait). The kernel's per-sample integers live in one array
# (_s, at the _S_* indices below) so that push() reads and writes them as machine
# words, not as instance attributes (a map lookup each on MicroPython); the
# attributes other code reads are properties over it. This module keeps the
# configuration and what runs per step or per event (a step's summary, the Flag
# record, the IMU fallback): ~500 lines, most of them the state list and the
# properties that name it.
import array

from stridefw import records as R
from stridefw.calib import TABLE_LEN
from stridefw.cells import CellHealth, SwingFloor
from stridefw.compat import const

# Config names are imported one by one: a module attribute (C.X) costs two
# dictionary lookups per use on MicroPython, a global one.
from stridefw.config import (
    ARM_BW_DIV,
    ARM_MIN_DN,
    BW_DEFAULT_DN,
    BW_MAX_DN,
    BW_MIN_DN,
    DEAD_DN,
    EVENT_LEVEL_DN,
    FLAG_DEGRADED,
    FLAG_SENSOR_FAULT,
    FLAG_UNEVEN_LOAD,
    IMPACT_MIN_MG,
    INSOLE_SILENT_US,
    STEP_GAP,
    STEP_IMU_CONFIRMED,
    STEP_NO_IMPACT,
    STEP_NO_RATE,
    TICKS_MASK,
)
from stridefw.imu_gait import ImuGait
from stridefw.layouts import LAYOUT_NONE
from stridefw.steps import (
    SUM_CX_N,
    SUM_CX_SUM,
    SUM_CY_MAX,
    SUM_FLAGS,
    SUM_IMPACT2,
    SUM_N_LOADED,
    SUM_SHOCK2,
    SUM_STRIKE_Y,
    UNSTABLE_REF_NOTE,  # noqa: F401  (the host reads it here)
    StepStats,
    StepSummary,
    clamp16,
    isqrt,
    put16,
    put32,
    put_time,
)

EV_STEP = const(1)
EV_FLAG = const(2)

# StepKernel._s indices (kernel_py.py and kernel_vp.py repeat the list: a const is
# folded only inside its own module; tests/mpy/test_mpy_kernel.py checks they agree)
_S_TICK = const(0)  # the last sample's tick, mod 2**30
_S_T = const(1)  # session time (us mod 2**30) and its wraps
_S_WRAPS = const(2)
_S_STARTED = const(3)
_S_STATE = const(4)  # _SWING, _PENDING, _STANCE
_S_F_PREV = const(5)  # force above the floor, one and two samples back
_S_F_PP = const(6)
_S_DT_PREV = const(7)
_S_REFINE = const(8)  # refine the contact time at this sample, from:
_S_R_DT01_US = const(9)
_S_R_F1 = const(10)
_S_R_OFF_US = const(11)
_S_TOTAL = const(12)  # total_dn, cop_x_dmm, cop_y_dmm
_S_COPX = const(13)
_S_COPY = const(14)
_S_C_T = const(15)  # the contact: time and wraps
_S_C_W = const(16)
_S_PC_T = const(17)  # the previous contact
_S_HAVE_PC = const(18)
_S_HAVE_TOE = const(19)
_S_SINCE_TOE_US = const(20)
_S_BW = const(21)  # body weight estimate (dn) and the arm level from it
_S_ARM = const(22)
_S_MOTION_US = const(23)
_S_IMU_MISS_US = const(24)
_S_IMU_BACK_US = const(25)
_S_IMU_OK = const(26)
_S_IMU_MISSING = const(27)
_S_IMU_MODE = const(28)
_S_IMU_STEPS = const(29)
_S_SILENT_US = const(30)
_S_STEPS = const(31)
_S_REJECTED = const(32)
_S_GAPS = const(33)
_S_BAD_TICKS = const(34)
_S_FLAGS = const(35)
_S_SENT_FLAGS = const(36)
_S_SENT_MASK = const(37)
_S_SENT_IMU = const(38)
_S_ZR = const(39)
_S_ZERO_ACC = const(40)
_S_CHECK_ACC = const(41)
_S_N_FAULTS = const(42)  # CellHealth's n_faults and mask, copied at each change
_S_MASK = const(43)
_S_N_CELLS = const(44)  # fixed at construction:
_S_HAS_IMU = const(45)
_S_NO_INSOLE = const(46)
_S_QUIET_RAW = const(47)
_N_S = const(48)

_SWING = const(0)
_CHECK_US = const(20000)  # one cell's fault check per 20 ms (every other sample at 100 Hz)


def _force_at(tab, off, raw):
    # The ADC -> force lookup (calib.py: 65 entries per cell, one per 64 counts,
    # linear in between; Q0 dn) for a cell whose table starts at tab[off]. push()
    # inlines it: a call per cell would cost more.
    if raw > 4095:
        raw = 4095
    j = off + (raw >> 6)
    t0 = tab[j]
    return t0 + (((tab[j + 1] - t0) * (raw & 63)) >> 6)


# push() and the helpers it calls: viper in stridefw.kernel_vp (the pod), plain
# Python in stridefw.kernel_py (CPython replay, the WebAssembly test build), chosen
# here at import; the pod never loads the twins.
try:  # the pod: viper (stridefw.kernel_vp says why it is a module of its own)
    from stridefw.kernel_vp import push as _push
    from stridefw.kernel_vp import set_quiet1 as _set_quiet1

    CELL_PASS = "viper"
except (ImportError, SyntaxError):  # CPython, or a port without the viper emitter
    from stridefw.kernel_py import push as _push
    from stridefw.kernel_py import set_quiet1 as _set_quiet1

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
        # the per-sample integers (_S_*): machine words for the viper push(); a list
        # for its Python twin, which CPython indexes without making an int per read
        # (the same values: the kernel keeps them within +-2**30)
        if CELL_PASS == "viper":
            self._s = array.array("i", bytes(4 * _N_S))
        else:
            self._s = [0] * _N_S
        # own copy of the tables plus one all-zero segment for excluded cells
        self._tab = array.array("H", bytes(2 * (n + 1) * TABLE_LEN))
        for i in range(n * TABLE_LEN):
            self._tab[i] = calib.table[i]
        # Largest raw reading at which every cell's table force is at most
        # EVENT_LEVEL / (2 n): below it the swing loop can be skipped.
        lim = EVENT_LEVEL_DN // (2 * n)
        q = 4095
        for i in range(n):
            r = 0
            while r < 4095 and _force_at(self._tab, i * TABLE_LEN, r + 1) <= lim:
                r += 1
            if r < q:
                q = r
        self._quiet_raw = q
        self._x = array.array("h", layout.x_dmm)
        self._y = array.array("h", layout.y_dmm)
        self.force = array.array("i", bytes(4 * n))  # last per-cell force, dn
        self._base = array.array("i", bytes(4 * n))  # auto-zero baseline, dn
        self._koff = array.array("h", bytes(2 * n))  # table offset of each cell
        # per cell: 1 + the highest reading whose force is at most the baseline (and
        # so is every lower one): below it the cell pass needs no table lookup
        self._quiet1 = array.array("H", bytes(2 * n))
        self.health = CellHealth(n)
        self._hfault = self.health.fault  # auto-zero skips excluded cells
        self.floor = SwingFloor()
        self.summary = StepSummary(layout, self._x, self._y)
        # the arrays of other stages that push() reads and writes, by direct reference
        self._fst = self.floor.state
        self._sacc = self.summary.acc
        self._csum = self.summary.csum
        self._trf = self.summary.trace_f
        self._trt = self.summary.trace_t
        self.stats = StepStats()
        self.has_ref = False  # the runner's UNSTABLE reference is set (see below)
        self.step = bytearray(R.STEP_LEN)
        self.flag = bytearray(R.FLAGREC_LEN)
        self.reset()

    def reset(self):
        """Start a new session: forget time, steps, baselines and statistics."""
        n = self.n_cells
        self.health.reset()
        for i in range(n):
            self.force[i] = 0
            self._base[i] = 0
            self._koff[i] = i * TABLE_LEN
            _set_quiet1(self, i)
        s = self._s
        for i in range(_N_S):
            s[i] = 0
        s[_S_N_CELLS] = n
        s[_S_HAS_IMU] = 1 if self.has_imu else 0
        s[_S_NO_INSOLE] = 1 if self.no_insole else 0
        s[_S_QUIET_RAW] = self._quiet_raw
        s[_S_SENT_IMU] = 1
        # half a period in: the first sample (dt 0) checks nothing, the first check
        # comes ~10 ms later (at 100 Hz: samples 1, 3, 5, ...)
        s[_S_CHECK_ACC] = _CHECK_US >> 1
        self.stats.reset()
        self.floor.reset()
        s[_S_STATE] = _SWING
        s[_S_BW] = self._bw0
        s[_S_ARM] = self._arm_level()  # cached: changes only with the body weight
        s[_S_IMU_OK] = 1
        s[_S_SILENT_US] = INSOLE_SILENT_US  # the session starts with no insole evidence
        self._ig.reset()
        self.summary.start(0)

    # The per-sample integers others read, as properties (a property would cost the
    # hot path dearly were push() storing kernel attributes; it stores none).
    @property
    def t(self):
        """Session time, us mod 2**30 (wraps counts the 2**30 wraps)."""
        return self._s[_S_T]

    @property
    def wraps(self):
        return self._s[_S_WRAPS]

    @property
    def total_dn(self):
        """The last sample's total force (dn, before the swing floor)."""
        return self._s[_S_TOTAL]

    @property
    def cop_x_dmm(self):
        return self._s[_S_COPX]

    @property
    def cop_y_dmm(self):
        return self._s[_S_COPY]

    @property
    def steps(self):
        return self._s[_S_STEPS]

    @property
    def rejected(self):
        """Stances outside STANCE_MIN_US..STANCE_MAX_US."""
        return self._s[_S_REJECTED]

    @property
    def gaps(self):
        """Sample gaps over DT_MAX_US."""
        return self._s[_S_GAPS]

    @property
    def bad_ticks(self):
        """Samples dropped for a tick that went backwards or repeated."""
        return self._s[_S_BAD_TICKS]

    @property
    def flags(self):
        """The session flags (FLAG_*)."""
        return self._s[_S_FLAGS]

    @property
    def imu_ok(self):
        return self._s[_S_IMU_OK] != 0

    @property
    def imu_missing(self):
        """Samples without an IMU packet (has_imu only)."""
        return self._s[_S_IMU_MISSING]

    @property
    def imu_mode(self):
        """The insole is silent or every cell faulty: the IMU detector runs."""
        return self._s[_S_IMU_MODE] != 0

    @property
    def imu_steps(self):
        """Steps found from the IMU since the mode began."""
        return self._s[_S_IMU_STEPS]

    @property
    def _state(self):
        return self._s[_S_STATE]

    # ------------------------------------------------------------------ hot path
    # push(tick_us, cells, imu): one sample. cells: raw ADC counts (array 'H');
    # imu: array 'h' [ax, ay, az mg, gx, gy, gz 0.1 deg/s] or None. Returns a bitmask
    # of EV_STEP (self.step holds a new Step payload) and EV_FLAG (self.flag holds a
    # new Flag payload). stridefw.kernel_vp.push on the pod, kernel_py.push elsewhere.
    push = _push

    # ------------------------------------------------------------- IMU fallback
    def _push_imu_only(self, dt, imu):
        # no insole at all (layout LAYOUT_NONE): the cells are not read
        s = self._s
        ev = 0
        if self.has_imu and self._ig.push(dt, imu):
            ev = self._imu_step()
        fl = s[_S_FLAGS] & ~(FLAG_SENSOR_FAULT | FLAG_DEGRADED)
        fl |= FLAG_DEGRADED
        if not s[_S_IMU_OK] or not self.has_imu:
            fl |= FLAG_SENSOR_FAULT
        s[_S_FLAGS] = fl
        if fl != s[_S_SENT_FLAGS] or s[_S_IMU_OK] != s[_S_SENT_IMU]:
            self._write_flag()
            ev |= EV_FLAG
        return ev

    def _imu_fallback(self, dt, imu, ev):
        # while the insole is silent or every cell is faulty; the insole keeps being
        # read, and the first step it finds (ev) ends the fallback's stance
        s = self._s
        if not s[_S_IMU_MODE]:
            s[_S_IMU_MODE] = 1
            s[_S_IMU_STEPS] = 0
            self._ig.reset()
        if ev & EV_STEP:
            self._ig.drop_contact()
        elif self._ig.push(dt, imu):
            ev |= self._imu_step()
        return ev

    def _imu_step(self):
        # A Step from the IMU detector: times only; force, CoP and shares are 0.
        s = self._s
        g = self._ig
        back = g.contact_back_us
        t = s[_S_T]
        if back > t:
            s[_S_C_T] = (t - back) & TICKS_MASK
            s[_S_C_W] = s[_S_WRAPS] - 1
        else:
            s[_S_C_T] = t - back
            s[_S_C_W] = s[_S_WRAPS]
        s[_S_STEPS] += 1
        s[_S_IMU_STEPS] += 1
        fl = FLAG_DEGRADED | STEP_NO_RATE
        if g.step_gap:
            fl |= STEP_GAP
        buf = self.step
        for i in range(R.STEP_LEN):
            buf[i] = 0
        put32(buf, R.STEP_INDEX, s[_S_STEPS] - 1)
        put_time(buf, R.STEP_CONTACT_US, s[_S_C_T], s[_S_C_W])
        put32(buf, R.STEP_STANCE_US, g.stance_us)
        put32(buf, R.STEP_SWING_US, g.swing_us)
        put16(buf, R.STEP_FLAGS, fl | (s[_S_FLAGS] & 0xFF))
        put16(buf, R.STEP_BW_DN, clamp16(s[_S_BW]))
        return EV_STEP

    # ------------------------------------------------------------------- cells
    def _faults_changed(self):
        # stuck or saturated cells read the all-zero segment after the tables
        h = self.health
        h.recount(self._koff, TABLE_LEN)
        self._s[_S_N_FAULTS] = h.n_faults
        self._s[_S_MASK] = h.mask
        for i in range(self.n_cells):
            _set_quiet1(self, i)

    # ------------------------------------------------------------------ events
    def _arm_level(self):
        a = self._s[_S_BW] // ARM_BW_DIV
        return a if a > ARM_MIN_DN else ARM_MIN_DN

    # -------------------------------------------------------------- per step
    def _finish_step(self, stance_us):
        s = self._s
        sm = self.summary
        s[_S_STEPS] += 1
        steps = s[_S_STEPS]
        imp = sm.impulse_dnms()
        c_t = s[_S_C_T]
        # body weight from this stride's impulse (see header)
        stride_us = 0
        if s[_S_HAVE_PC]:
            stride_ms = ((c_t - s[_S_PC_T]) & TICKS_MASK) // 1000
            if 200 <= stride_ms <= 3000:
                stride_us = (c_t - s[_S_PC_T]) & TICKS_MASK
                bw = (2 * imp) // stride_ms
                if BW_MIN_DN <= bw <= BW_MAX_DN:
                    s[_S_BW] += (bw - s[_S_BW]) >> 3
                    s[_S_ARM] = self._arm_level()
        s[_S_PC_T] = c_t
        s[_S_HAVE_PC] = 1
        bw = s[_S_BW]
        lr = sm.loading_rate(stance_us, bw)
        a = sm.acc
        fl = a[SUM_FLAGS]
        if lr <= 0:
            # not measured: stored as 0 and said so, never averaged in as a rate
            lr = 0
            fl |= STEP_NO_RATE
        shock = 0
        if s[_S_IMU_OK] and self.has_imu and a[SUM_SHOCK2] > 0:
            shock = isqrt(a[SUM_SHOCK2]) << 1  # (2 mg)^2 -> mg
            if a[SUM_IMPACT2] >= (IMPACT_MIN_MG >> 1) * (IMPACT_MIN_MG >> 1):
                fl |= STEP_IMU_CONFIRMED
            else:
                fl |= STEP_NO_IMPACT
        cx_n = a[SUM_CX_N]
        cx_mean = a[SUM_CX_SUM] // cx_n if cx_n > 0 else 0
        quiet = DEAD_DN * a[SUM_N_LOADED]  # a mean below DEAD_DN over the stance
        if self.health.step_end(
            sm.csum, quiet, self._x, self._y, cx_mean, a[SUM_STRIKE_Y], a[SUM_CY_MAX]
        ):
            self._faults_changed()
        # running statistics -> UNSTABLE, HARD_IMPACT
        flags = self.stats.add_step(
            stride_us, cx_n > 0, cx_mean, stance_us, shock, lr, bw, steps, s[_S_FLAGS]
        )
        s[_S_FLAGS] = flags
        sm.write(
            self.step,
            steps - 1,
            c_t,
            s[_S_C_W],
            stance_us,
            lr,
            imp,
            cx_mean,
            shock,
            fl | (flags & 0xFF),
            bw,
        )

    def _write_flag(self):
        s = self._s
        buf = self.flag
        m = s[_S_MASK]
        fl = s[_S_FLAGS]
        put_time(buf, R.FLAGREC_T_US, s[_S_T], s[_S_WRAPS])
        put16(buf, R.FLAGREC_FLAGS, fl)
        put16(buf, R.FLAGREC_CHANGED, fl ^ s[_S_SENT_FLAGS])
        put16(buf, R.FLAGREC_FAULT_CELLS, m)
        buf[R.FLAGREC_IMU_OK] = s[_S_IMU_OK]
        s[_S_SENT_FLAGS] = fl
        s[_S_SENT_MASK] = m
        s[_S_SENT_IMU] = s[_S_IMU_OK]

    # ------------------------------------------------------------ public API
    def set_uneven(self, on):
        """UNEVEN_LOAD comes from stridefw.balance (it needs both feet); the next
        push() reports the change as a Flag record like any other flag."""
        if on:
            self._s[_S_FLAGS] |= FLAG_UNEVEN_LOAD
        else:
            self._s[_S_FLAGS] &= ~FLAG_UNEVEN_LOAD

    # The runner's UNSTABLE reference lives in StepStats; has_ref mirrors its
    # has_ref for the app and the host.
    def set_reference_note(self, text):
        """The runner's UNSTABLE reference from a Note's text; False if it is not one."""
        ok = self.stats.set_reference_note(text)
        self.has_ref = self.stats.has_ref
        return ok

    def reference_note(self):
        """The reference in use as a Note text (the pod writes it at the session start)."""
        return self.stats.reference_note()

    def learn_reference(self):
        """At a session's end: fold this session into the reference (StepStats)."""
        ok = self.stats.learn_reference(self.flags)
        self.has_ref = self.stats.has_ref
        return ok
