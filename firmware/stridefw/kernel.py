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
# interpolation between samples; a contact counts only once force also clears an
# arm level relative to body weight (hysteresis against noise). Body weight is
# estimated per stride from impulse: in steady gait the vertical impulse of one
# foot's step equals BW * stride_time / 2 (Newton's second law over a stride).
#
# Stages, each allocation-free: the per-cell pass (below, viper on the pod), the
# swing floor and cell faults (stridefw.cells), one stance's summary and the
# session statistics (stridefw.steps), the IMU-only fallback (stridefw.imu_gait).
# push() keeps the per-sample flow and the contact/toe-off state machine (~700
# lines with its configuration: the state machine reads and writes most of the
# kernel's fields on every sample, and on MicroPython a field of another object
# costs a further attribute lookup per use).
import array

from stridefw import records as R
from stridefw.calib import TABLE_LEN
from stridefw.cells import CELLS_CHANGED, TOTAL_MAX_DN, CellHealth, SwingFloor
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
    DT_MAX_US,
    EVENT_LEVEL_DN,
    FLAG_DEGRADED,
    FLAG_SENSOR_FAULT,
    FLAG_UNEVEN_LOAD,
    IMPACT_MIN_MG,
    INSOLE_SILENT_US,
    STANCE_MAX_US,
    STANCE_MIN_US,
    STEP_GAP,
    STEP_IMU_CONFIRMED,
    STEP_NO_IMPACT,
    STEP_NO_RATE,
    STEP_SATURATED,
    SWING_GYRO_MIN,
    SWING_MAX_US,
    TICKS_MASK,
    ZERO_AFTER_SWING_US,
    ZERO_MAX_DN,
    ZERO_PERIOD_US,
    ZERO_SHIFT,
)
from stridefw.imu_gait import ImuGait
from stridefw.layouts import LAYOUT_NONE
from stridefw.steps import (
    SUM_CX_N,
    SUM_CX_SUM,
    SUM_CY_MAX,
    SUM_FLAGS,
    SUM_IMPACT2,
    SUM_PEAK,
    SUM_SHOCK2,
    UNSTABLE_REF_NOTE,  # noqa: F401  (the host reads it here)
    StepStats,
    StepSummary,
    clamp16,
    frac_us,
    isqrt,
    put16,
    put32,
    put_time,
)

EV_STEP = const(1)
EV_FLAG = const(2)

_SWING = const(0)
_PENDING = const(1)
_STANCE = const(2)

_HALF = const(0x20000000)
_IMU_LOST_US = const(500000)
_IMU_BACK_US = const(1000000)
_MOTION_DN = const(500)  # total-force change per 10 ms that counts as movement (5 kN/s)
_CHECK_US = const(20000)  # one cell's fault check per 20 ms (every other sample at 100 Hz)


def _ext_us(dt, num, den, cap):
    # dt * num / den for an extrapolation (num may exceed den), capped at cap
    while num > 16384 or den > 16384:
        num >>= 2
        den >>= 2
    if den <= 0:
        return cap
    v = (dt * num) // den
    return cap if v > cap else v


def _force_at(tab, off, raw):
    # The ADC -> force lookup (calib.py: 65 entries per cell, one per 64 counts,
    # linear in between; Q0 dn) for a cell whose table starts at tab[off]. The hot
    # twins (cells_force, zero_cell) inline it: a call per cell would cost more.
    if raw > 4095:
        raw = 4095
    j = off + (raw >> 6)
    t0 = tab[j]
    return t0 + (((tab[j + 1] - t0) * (raw & 63)) >> 6)


# The hot per-sample functions (the per-cell pass, the swing floor, the cell checks,
# a loaded sample's step figures, auto-zero): viper in
# stridefw.kernel_vp (the pod), plain Python in stridefw.kernel_py (CPython replay,
# the WebAssembly test build), chosen here at import; the pod never loads the twins.
try:  # the pod: viper (stridefw.kernel_vp says why it is a module of its own)
    from stridefw.kernel_vp import cells_force as _cells_force
    from stridefw.kernel_vp import check_cell as _check_cell
    from stridefw.kernel_vp import floor_above as _floor_above
    from stridefw.kernel_vp import set_quiet1 as _set_quiet1
    from stridefw.kernel_vp import stance_sample as _stance_sample
    from stridefw.kernel_vp import zero_cell as _zero_cell

    CELL_PASS = "viper"
except (ImportError, SyntaxError):  # CPython, or a port without the viper emitter
    from stridefw.kernel_py import cells_force as _cells_force
    from stridefw.kernel_py import check_cell as _check_cell
    from stridefw.kernel_py import floor_above as _floor_above
    from stridefw.kernel_py import set_quiet1 as _set_quiet1
    from stridefw.kernel_py import stance_sample as _stance_sample
    from stridefw.kernel_py import zero_cell as _zero_cell

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
        self._acc = array.array("i", bytes(8))  # CoP force-moment sums of a sample
        # per cell: 1 + the highest reading whose force is at most the baseline (and
        # so is every lower one): below it the cell pass needs no table lookup
        self._quiet1 = array.array("H", bytes(2 * n))
        self.health = CellHealth(n)
        self.floor = SwingFloor()
        self.summary = StepSummary(layout, self._x, self._y)
        self._csum = self.summary.csum  # the cell pass adds stance sums to it
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
        self._sent_mask = 0
        self._sent_imu = True
        self._sent_flags = 0
        self._zr = 0
        self._zero_acc = 0  # us of swing owed to auto-zero (ZERO_PERIOD_US per cell)
        # half a period in: the first sample (dt 0) checks nothing, the first check
        # comes ~10 ms later (at 100 Hz: samples 1, 3, 5, ...)
        self._check_acc = _CHECK_US >> 1
        self.stats.reset()
        self.floor.reset()
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
        self.summary.start(0)

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
                self.summary.acc[SUM_FLAGS] |= STEP_GAP

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

        # Cells: table lookup (Q0 dn) and baseline: the hot path (_cells_force;
        # `stride bench` has the figures). Excluded (stuck, saturated) cells read
        # the all-zero table segment.
        if self._state != _SWING:
            self._silent_us = 0
            total = _cells_force(self, cells, 1)
            self.summary.n_loaded += 1
            if total > 0:
                self.cop_x_dmm = self._acc[0] // total
                self.cop_y_dmm = self._acc[1] // total
        else:
            total = _cells_force(self, cells, 0)
            if total >= 0:
                self._silent_us = 0
            else:
                # Swing fast path: every cell reads so little that the total is
                # certainly below half the event level (bound _quiet_raw, set in __init__)
                total = 0
                if self._silent_us < INSOLE_SILENT_US:
                    self._silent_us += dti
        if zero:
            # one cell per ZERO_PERIOD_US on average, whatever the rate (a sample
            # up to 1/8 period early still counts: pod timing jitters)
            acc = self._zero_acc + dti
            while acc >= ZERO_PERIOD_US - (ZERO_PERIOD_US >> 3):
                acc -= ZERO_PERIOD_US  # below 100 Hz: more than one cell per sample
                # drift is slow: each baseline revisited every n_cells periods is plenty
                i = self._zr
                self._zr = i + 1 if i + 1 < self.n_cells else 0
                _zero_cell(self, cells, i, ZERO_SHIFT, ZERO_MAX_DN)
            self._zero_acc = acc
        else:
            self._zero_acc = 0
        if total > TOTAL_MAX_DN:
            total = TOTAL_MAX_DN
        self.total_dn = total
        # swing floor: events see the force above it (0 for an insole auto-zero has
        # already taken to ~0 in swing, so then nothing changes)
        total = _floor_above(self.floor, total, dti)
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
            # (the state is nonzero, "in a stance", outside swing)
            r = _check_cell(self.health, cells, self.t, self._motion, self.force, self._state)
            if r & STEP_SATURATED:
                self.summary.acc[SUM_FLAGS] |= STEP_SATURATED
            if r & CELLS_CHANGED:
                self._faults_changed()
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
        n_faults = self.health.n_faults
        if self.has_imu and (self._silent_us >= INSOLE_SILENT_US or n_faults == self.n_cells):
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
        if n_faults or not self.imu_ok:
            fl |= FLAG_SENSOR_FAULT | FLAG_DEGRADED
        if self.imu_steps:
            fl |= FLAG_DEGRADED  # steps from the IMU alone (silent insole)
        self.flags = fl
        # a Flag record also when only the faulty cells or the IMU state change,
        # so which cell failed is never lost behind an already-raised bit
        if (
            fl != self._sent_flags
            or self.health.mask != self._sent_mask
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
        fl = FLAG_DEGRADED | STEP_NO_RATE
        if g.step_gap:
            fl |= STEP_GAP
        buf = self.step
        for i in range(R.STEP_LEN):
            buf[i] = 0
        put32(buf, R.STEP_INDEX, self.steps - 1)
        put_time(buf, R.STEP_CONTACT_US, self._c_t, self._c_w)
        put32(buf, R.STEP_STANCE_US, g.stance_us)
        put32(buf, R.STEP_SWING_US, g.swing_us)
        put16(buf, R.STEP_FLAGS, fl | (self.flags & 0xFF))
        put16(buf, R.STEP_BW_DN, clamp16(self._bw))
        return EV_STEP

    # ------------------------------------------------------------------- cells
    def _faults_changed(self):
        # stuck or saturated cells read the all-zero segment after the tables
        self.health.recount(self._koff, TABLE_LEN)
        for i in range(self.n_cells):
            _set_quiet1(self, i)

    # ------------------------------------------------------------------ events
    def _arm_level(self):
        a = self._bw // ARM_BW_DIV
        return a if a > ARM_MIN_DN else ARM_MIN_DN

    def _events(self, total, dti, acc2):
        lvl = EVENT_LEVEL_DN
        fp = self._f_prev
        state = self._state
        s = self.summary
        ev = 0
        if state == _SWING:
            self._since_toe_us += dti
            if self._since_toe_us > SWING_MAX_US:
                self._since_toe_us = SWING_MAX_US
            if total > lvl and fp <= lvl:
                # upward crossing: candidate contact between previous and this sample
                off = frac_us(dti, lvl - fp, total - fp)
                back = dti - off
                self._set_contact(back)
                # the swing since the last toe-off (0: none, or not a swing)
                sw = self._since_toe_us - back
                if not self._have_toe or sw <= 0 or self._since_toe_us >= SWING_MAX_US:
                    sw = 0
                s.start(sw)
                # CoP (dmm) and per-cell stance sums of this sample (the swing pass read it)
                force = self.force
                csum = self._csum
                sx = 0
                sy = 0
                for i in range(self.n_cells):
                    f = force[i]
                    if f:
                        sx += f * self._x[i]  # <= 16 * 15000 * 300
                        sy += f * self._y[i]  # <= 16 * 15000 * 2450 < 2**30
                        csum[i] += f  # <= 15000 * 500 samples
                s.n_loaded += 1
                f = self.total_dn
                if f > 0:
                    self.cop_x_dmm = sx // f
                    self.cop_y_dmm = sy // f
                s.trace_add(fp, -off)  # the unloaded sample, before the contact
                s.trace_add(total, back)
                s.integrate(fp, total, dti)
                s.track_shock(acc2, back)
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
                    self._state = _STANCE
                    s.arm(total, back, self.cop_y_dmm)
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
                if s.swing_us > 0:
                    s.swing_us -= delta
                    if s.swing_us < 0:
                        s.swing_us = 0
                s.trace_t[0] = ext - cap
                s.trace_t[1] = ext
                if ext < cap:
                    # nor is the unloaded sample on the edge: the trace starts from
                    # the edge's line at its time (the 20 % level is timed on it)
                    s.trace_f[0] = f1 - _ext_us(total - f1, cap, dti, TOTAL_MAX_DN)
        # PENDING or STANCE: time since the candidate contact
        since_c = (self.t - self._c_t) & TICKS_MASK
        if total <= lvl:
            if state == _STANCE:
                if total * 4 <= lvl and self._f_pp > fp:
                    # unloaded now: extrapolate the falling edge of the last two
                    # loaded samples instead of interpolating towards ~0 N
                    off = _ext_us(self._dt_prev, fp - lvl, self._f_pp - fp, dti)
                else:
                    off = frac_us(dti, fp - lvl, fp - total)
                back = dti - off
                stance_us = since_c - back
                s.integrate(fp, total, dti)
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
        # loaded: impulse, shock, trace; in stance also peak and CoP (once the force
        # is enough for a meaningful CoP)
        _stance_sample(
            s,
            fp,
            total,
            dti,
            acc2,
            since_c,
            state == _STANCE,
            self.cop_x_dmm,
            self.cop_y_dmm,
            self._bw // 10,
        )
        if state == _PENDING:
            self._since_toe_us += dti
            if total >= self._arm_dn:
                self._state = _STANCE
                s.arm(total, since_c, self.cop_y_dmm)
            return ev
        if since_c > STANCE_MAX_US:
            # standing, not stepping: drop this contact, wait for the foot to lift
            self._state = _PENDING
            s.acc[SUM_PEAK] = 0
        return ev

    def _set_contact(self, back):
        if back > self.t:
            self._c_t = (self.t - back) & TICKS_MASK
            self._c_w = self.wraps - 1
        else:
            self._c_t = self.t - back
            self._c_w = self.wraps

    # -------------------------------------------------------------- per step
    def _finish_step(self, stance_us):
        s = self.summary
        self.steps += 1
        imp = s.impulse_dnms()
        # body weight from this stride's impulse (see header)
        stride_us = 0
        if self._have_pc:
            stride_ms = ((self._c_t - self._pc_t) & TICKS_MASK) // 1000
            if 200 <= stride_ms <= 3000:
                stride_us = (self._c_t - self._pc_t) & TICKS_MASK
                bw = (2 * imp) // stride_ms
                if BW_MIN_DN <= bw <= BW_MAX_DN:
                    self._bw += (bw - self._bw) >> 3
                    self._arm_dn = self._arm_level()
        self._pc_t = self._c_t
        self._have_pc = True
        lr = s.loading_rate(stance_us, self._bw)
        a = s.acc
        fl = a[SUM_FLAGS]
        if lr <= 0:
            # not measured: stored as 0 and said so, never averaged in as a rate
            lr = 0
            fl |= STEP_NO_RATE
        shock = 0
        if self.imu_ok and self.has_imu and a[SUM_SHOCK2] > 0:
            shock = isqrt(a[SUM_SHOCK2]) << 1  # (2 mg)^2 -> mg
            if a[SUM_IMPACT2] >= (IMPACT_MIN_MG >> 1) * (IMPACT_MIN_MG >> 1):
                fl |= STEP_IMU_CONFIRMED
            else:
                fl |= STEP_NO_IMPACT
        cx_n = a[SUM_CX_N]
        cx_mean = a[SUM_CX_SUM] // cx_n if cx_n > 0 else 0
        quiet = DEAD_DN * s.n_loaded  # a mean below DEAD_DN over the stance
        if self.health.step_end(
            s.csum, quiet, self._x, self._y, cx_mean, s.strike_y, a[SUM_CY_MAX]
        ):
            self._faults_changed()
        # running statistics -> UNSTABLE, HARD_IMPACT
        self.flags = self.stats.add_step(
            stride_us, cx_n > 0, cx_mean, stance_us, shock, lr, self._bw, self.steps, self.flags
        )
        s.write(
            self.step,
            self.steps - 1,
            self._c_t,
            self._c_w,
            stance_us,
            lr,
            imp,
            cx_mean,
            shock,
            fl | (self.flags & 0xFF),
            self._bw,
        )

    def _write_flag(self):
        buf = self.flag
        m = self.health.mask
        put_time(buf, R.FLAGREC_T_US, self.t, self.wraps)
        put16(buf, R.FLAGREC_FLAGS, self.flags)
        put16(buf, R.FLAGREC_CHANGED, self.flags ^ self._sent_flags)
        put16(buf, R.FLAGREC_FAULT_CELLS, m)
        buf[R.FLAGREC_IMU_OK] = 1 if self.imu_ok else 0
        self._sent_flags = self.flags
        self._sent_mask = m
        self._sent_imu = self.imu_ok

    # ------------------------------------------------------------ public API
    def set_uneven(self, on):
        """UNEVEN_LOAD comes from stridefw.balance (it needs both feet); the next
        push() reports the change as a Flag record like any other flag."""
        if on:
            self.flags |= FLAG_UNEVEN_LOAD
        else:
            self.flags &= ~FLAG_UNEVEN_LOAD

    # The runner's UNSTABLE reference lives in StepStats; has_ref mirrors its
    # has_ref for the app and the host. (A property would be simpler, but a class
    # with one makes every attribute store on the kernel look in the class first
    # on MicroPython: ~30 % more instructions per sample.)
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
