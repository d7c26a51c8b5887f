# Plain-Python twins of stridefw.kernel_vp: StepKernel.push() and the helpers it
# calls, where the viper emitter is missing (CPython replay, the WebAssembly test
# build). A module of its own so that the pod, which runs the viper versions, never
# loads these. Both do exactly the same integer arithmetic on the same state;
# tests/mpy/test_unix32_viper.py holds them to the same state after every sample
# and the same records, bit for bit.
#
# StepKernel._s holds the kernel's per-sample integers at the _S_* indices below
# (kernel.py and kernel_vp.py repeat the list: a const is only folded inside its own
# module; tests/mpy/test_mpy_kernel.py checks that the three lists agree).
# StepSummary.acc holds one stance's figures at stridefw.steps' SUM_* indices, used
# here by number with the name beside it.
#
# Over 500 lines: push() is one function on purpose (on MicroPython a call costs
# more than most of the stages it would wrap), and it mirrors kernel_vp.push step
# for step, which a split would make harder to check.
from stridefw.compat import const
from stridefw.config import (
    DT_MAX_US,
    EVENT_LEVEL_DN,
    FLAG_DEGRADED,
    FLAG_SENSOR_FAULT,
    IMPACT_WINDOW_US,
    INSOLE_SILENT_US,
    STANCE_MAX_US,
    STANCE_MIN_US,
    STEP_GAP,
    STEP_SATURATED,
    SWING_GYRO_MIN,
    SWING_MAX_US,
    TICKS_MASK,
    ZERO_AFTER_SWING_US,
    ZERO_MAX_DN,
    ZERO_PERIOD_US,
    ZERO_SHIFT,
)
from stridefw.steps import frac_us

# StepKernel._s indices
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

_SWING = const(0)
_PENDING = const(1)
_STANCE = const(2)
_HALF = const(0x20000000)
_IMU_LOST_US = const(500000)
_IMU_BACK_US = const(1000000)
_MOTION_DN = const(500)
_CHECK_US = const(20000)
_TOTAL_MAX_DN = const(40000)
_CELLS_CHANGED = const(1)
_EV_STEP = const(1)
_EV_FLAG = const(2)


def ext_us(dt, num, den, cap):
    # dt * num / den for an extrapolation (num may exceed den), capped at cap
    while num > 16384 or den > 16384:
        num >>= 2
        den >>= 2
    if den <= 0:
        return cap
    v = (dt * num) // den
    return cap if v > cap else v


def _wrap32(v):
    # v as the pod's signed 32-bit array element holds it (mod 2**32)
    return ((v + 0x80000000) & 0xFFFFFFFF) - 0x80000000


def push(k, tick_us, cells, imu):
    """StepKernel.push (stridefw.kernel says what it does)."""
    s = k._s
    tick = tick_us & TICKS_MASK
    first = 0
    dt = 0
    if not s[_S_STARTED]:
        s[_S_STARTED] = 1
        s[_S_TICK] = tick
        first = 1
    else:
        dt = (tick - s[_S_TICK]) & TICKS_MASK
        if dt >= _HALF or dt == 0:  # backwards or repeated: drop the sample
            s[_S_BAD_TICKS] += 1
            return 0
        s[_S_TICK] = tick
        t = s[_S_T]
        room = TICKS_MASK - t
        if dt > room:
            s[_S_T] = dt - room - 1
            s[_S_WRAPS] += 1
        else:
            s[_S_T] = t + dt
    state = s[_S_STATE]
    a = k._sacc  # StepSummary.acc
    dti = dt
    if dt > DT_MAX_US:
        dti = DT_MAX_US
        s[_S_GAPS] += 1
        if state != _SWING:
            a[5] |= STEP_GAP  # SUM_FLAGS

    # IMU: presence, swing rotation, shock
    has_imu = s[_S_HAS_IMU]
    since_toe = s[_S_SINCE_TOE_US]
    gyro = 0
    acc2 = 0
    if imu is None:
        if has_imu:
            s[_S_IMU_MISSING] += 1
            m = s[_S_IMU_MISS_US] + dti
            if m > _IMU_LOST_US:
                m = _IMU_LOST_US
            s[_S_IMU_MISS_US] = m
            s[_S_IMU_BACK_US] = 0
            if s[_S_IMU_OK] and m >= _IMU_LOST_US:
                s[_S_IMU_OK] = 0
    else:
        s[_S_IMU_MISS_US] = 0
        if not s[_S_IMU_OK]:
            m = s[_S_IMU_BACK_US] + dti
            s[_S_IMU_BACK_US] = m
            if m >= _IMU_BACK_US:
                s[_S_IMU_OK] = 1
        if state == _SWING and since_toe >= ZERO_AFTER_SWING_US:
            g = imu[3]
            gyro = g if g >= 0 else -g
            g = imu[4]
            gyro += g if g >= 0 else -g
            g = imu[5]
            gyro += g if g >= 0 else -g

    if s[_S_NO_INSOLE]:
        return k._push_imu_only(dt, imu)

    # auto-zero only well into swing, the foot unloaded (and rotating, when an IMU
    # can tell): stridefw.kernel's header says why
    zero = 0
    if state == _SWING and since_toe >= ZERO_AFTER_SWING_US and s[_S_F_PREV] < s[_S_ARM]:
        if imu is None or gyro >= SWING_GYRO_MIN:
            zero = 1

    # Cells: force above baseline per cell (Q0 dn, 0 below it) into k.force. A cell
    # reading below its quiet level (k._quiet1, from its baseline) is 0 without the
    # table lookup: the result is the same. Loaded (not in swing): also the CoP
    # force-moment sums (<= 16 * 15000 * 2450 < 2**30) and the per-cell stance sums
    # (<= 15000 * 500 samples). In swing, when every cell reads at most
    # k._quiet_raw the total is certainly below half the event level: 0 without a
    # lookup (the swing fast path).
    n = s[_S_N_CELLS]
    force = k.force
    total = 0
    if state == _SWING and max(cells) <= s[_S_QUIET_RAW]:
        for i in range(n):
            force[i] = 0
        if s[_S_SILENT_US] < INSOLE_SILENT_US:
            s[_S_SILENT_US] += dti
    else:
        s[_S_SILENT_US] = 0
        tab = k._tab
        base = k._base
        koff = k._koff
        quiet1 = k._quiet1
        if state == _SWING:
            for i in range(n):
                raw = cells[i]
                if raw > 4095:
                    raw = 4095
                if raw < quiet1[i]:
                    force[i] = 0
                    continue
                j = koff[i] + (raw >> 6)  # kernel._force_at, inlined
                t0 = tab[j]
                f = t0 + (((tab[j + 1] - t0) * (raw & 63)) >> 6) - base[i]
                if f > 0:
                    force[i] = f
                    total += f
                else:
                    force[i] = 0
        else:
            xs = k._x
            ys = k._y
            csum = k._csum
            sx = 0
            sy = 0
            for i in range(n):
                raw = cells[i]
                if raw > 4095:
                    raw = 4095
                if raw < quiet1[i]:
                    force[i] = 0
                    continue
                j = koff[i] + (raw >> 6)
                t0 = tab[j]
                f = t0 + (((tab[j + 1] - t0) * (raw & 63)) >> 6) - base[i]
                if f > 0:
                    force[i] = f
                    total += f
                    sx += f * xs[i]
                    sy += f * ys[i]
                    try:
                        csum[i] += f
                    except OverflowError:  # CPython: wrap as the pod's 32-bit word does
                        csum[i] = _wrap32(csum[i] + f)
                else:
                    force[i] = 0
            a[21] += 1  # SUM_N_LOADED
            if total > 0:
                s[_S_COPX] = sx // total
                s[_S_COPY] = sy // total
    if zero:
        # one cell per ZERO_PERIOD_US on average, whatever the rate (a sample up to
        # 1/8 period early still counts: pod timing jitters); below 100 Hz more
        # than one cell per sample
        acc = s[_S_ZERO_ACC] + dti
        while acc >= ZERO_PERIOD_US - (ZERO_PERIOD_US >> 3):
            acc -= ZERO_PERIOD_US
            i = s[_S_ZR]
            s[_S_ZR] = i + 1 if i + 1 < n else 0
            zero_cell(k, cells, i, ZERO_SHIFT, ZERO_MAX_DN)
        s[_S_ZERO_ACC] = acc
    else:
        s[_S_ZERO_ACC] = 0
    if total > _TOTAL_MAX_DN:
        total = _TOTAL_MAX_DN
    s[_S_TOTAL] = total

    # swing floor (stridefw.cells.SwingFloor.state: block minimum, maximum, us into
    # the block, the floor, the block length): events see the force above it
    st = k._fst
    if total < st[0]:
        st[0] = total
        if total < st[3]:
            st[3] = total
    if total > st[1]:
        st[1] = total
    st[2] += dti
    if st[2] >= st[4]:
        k.floor.close_block()
    fl0 = st[3]
    if fl0:
        total = total - fl0 if total > fl0 else 0

    # movement: the total changing faster than 5 kN/s (stridefw.kernel says why)
    fp = s[_S_F_PREV]
    d = (total - fp) * 10000
    lim = _MOTION_DN * dti
    if d > lim or d < -lim:
        s[_S_MOTION_US] = (s[_S_MOTION_US] + dti) & TICKS_MASK
    # fault checks on one cell per _CHECK_US (stridefw.kernel says why)
    acc = s[_S_CHECK_ACC] + dti
    while acc >= _CHECK_US - (_CHECK_US >> 3):
        acc -= _CHECK_US
        r = check_cell(k.health, cells, s[_S_T], s[_S_MOTION_US], force, state)
        if r & STEP_SATURATED:
            a[5] |= STEP_SATURATED  # SUM_FLAGS
        if r & _CELLS_CHANGED:
            k._faults_changed()
    s[_S_CHECK_ACC] = acc
    if imu is not None and (total > EVENT_LEVEL_DN or state != _SWING):
        # shock only matters around and during stance; halving each axis keeps the
        # sum of squares below 2**30 for any int16 input
        ax = imu[0] >> 1
        ay = imu[1] >> 1
        az = imu[2] >> 1
        acc2 = ax * ax + ay * ay + az * az  # (2 mg)^2
    if first:
        # a recording that starts with the foot loaded has no contact to time:
        # wait for this stance to end instead of dating one at t = 0
        fp = total

    # The contact / toe-off state machine (stridefw.kernel's header: the event
    # rules); a is StepSummary.acc
    lvl = EVENT_LEVEL_DN
    ev = 0
    if state == _SWING:
        since_toe += dti
        if since_toe > SWING_MAX_US:
            since_toe = SWING_MAX_US
        s[_S_SINCE_TOE_US] = since_toe
        if total > lvl and fp <= lvl:
            # upward crossing: candidate contact between previous and this sample
            off = frac_us(dti, lvl - fp, total - fp)
            back = dti - off
            t = s[_S_T]  # the contact: back us before now
            if back > t:
                s[_S_C_T] = (t - back) & TICKS_MASK
                s[_S_C_W] = s[_S_WRAPS] - 1
            else:
                s[_S_C_T] = t - back
                s[_S_C_W] = s[_S_WRAPS]
            # the swing since the last toe-off (0: none, or not a swing)
            sw = since_toe - back
            if not s[_S_HAVE_TOE] or sw <= 0 or since_toe >= SWING_MAX_US:
                sw = 0
            k.summary.start(sw)
            # CoP (dmm) and per-cell stance sums of this sample (the swing pass read it)
            csum = k._csum
            xs = k._x
            ys = k._y
            sx = 0
            sy = 0
            for i in range(n):
                f = force[i]
                if f:
                    sx += f * xs[i]  # <= 16 * 15000 * 300
                    sy += f * ys[i]  # <= 16 * 15000 * 2450 < 2**30
                    try:
                        csum[i] += f  # <= 15000 * 500 samples in a stance
                    except OverflowError:  # a contact held for ~24 min or more
                        csum[i] = _wrap32(csum[i] + f)
            a[21] += 1  # SUM_N_LOADED
            f = s[_S_TOTAL]
            if f > 0:
                s[_S_COPX] = sx // f
                s[_S_COPY] = sy // f
            # the force trace: the unloaded sample before the contact, this one
            trf = k._trf
            trt = k._trt
            trf[0] = fp
            trt[0] = -off
            trf[1] = total
            trt[1] = back
            a[4] = 2  # SUM_N_TRACE
            # impulse (the trapezoid, stridefw.steps' _IMP_BASE says how) and shock
            v = fp + total
            v = v * (dti // 100) + (v * (dti % 100)) // 100
            lo = a[0] + v
            while lo >= a[20]:
                lo -= a[20]
                a[1] += 1
            a[0] = lo
            if acc2 > a[2]:
                a[2] = acc2
            if back <= IMPACT_WINDOW_US and acc2 > a[3]:
                a[3] = acc2
            # The sample before was unloaded: the edge started somewhere in
            # between, so interpolating from ~0 N would time contact early.
            # Refine at the next sample from the slope of the loaded edge.
            if fp * 4 <= lvl:
                s[_S_REFINE] = 1
            else:
                s[_S_REFINE] = 0
            s[_S_R_DT01_US] = dti
            s[_S_R_F1] = total
            s[_S_R_OFF_US] = off
            s[_S_STATE] = _PENDING
            if total >= s[_S_ARM]:
                # armed: the peak starts here, the strike point is this CoP
                s[_S_STATE] = _STANCE
                a[6] = total  # SUM_PEAK and its time
                a[7] = back
                a[23] = s[_S_COPY]  # SUM_STRIKE_Y
    else:
        if s[_S_REFINE]:
            s[_S_REFINE] = 0
            f1 = s[_S_R_F1]
            if total > f1:
                cap = s[_S_R_DT01_US]
                ext = ext_us(dti, f1 - lvl, total - f1, cap)
                delta = ext - (cap - s[_S_R_OFF_US])  # how much earlier contact moves
                back = dti + ext
                t = s[_S_T]
                if back > t:
                    s[_S_C_T] = (t - back) & TICKS_MASK
                    s[_S_C_W] = s[_S_WRAPS] - 1
                else:
                    s[_S_C_T] = t - back
                    s[_S_C_W] = s[_S_WRAPS]
                sw = a[22]  # SUM_SWING
                if sw > 0:
                    sw -= delta
                    if sw < 0:
                        sw = 0
                    a[22] = sw
                trt = k._trt
                trt[0] = ext - cap
                trt[1] = ext
                if ext < cap:
                    # nor is the unloaded sample on the edge: the trace starts from
                    # the edge's line at its time (the 20 % level is timed on it)
                    trf = k._trf
                    trf[0] = f1 - ext_us(total - f1, cap, dti, _TOTAL_MAX_DN)
        # PENDING or STANCE: time since the candidate contact
        since_c = (s[_S_T] - s[_S_C_T]) & TICKS_MASK
        if total <= lvl:
            if state == _STANCE:
                f_pp = s[_S_F_PP]
                if total * 4 <= lvl and f_pp > fp:
                    # unloaded now: extrapolate the falling edge of the last two
                    # loaded samples instead of interpolating towards ~0 N
                    off = ext_us(s[_S_DT_PREV], fp - lvl, f_pp - fp, dti)
                else:
                    off = frac_us(dti, fp - lvl, fp - total)
                back = dti - off
                stance_us = since_c - back
                v = fp + total  # the impulse's last trapezoid
                v = v * (dti // 100) + (v * (dti % 100)) // 100
                lo = a[0] + v
                while lo >= a[20]:
                    lo -= a[20]
                    a[1] += 1
                a[0] = lo
                s[_S_SINCE_TOE_US] = back
                if STANCE_MIN_US <= stance_us <= STANCE_MAX_US:
                    k._finish_step(stance_us)
                    ev = _EV_STEP
                else:
                    s[_S_REJECTED] += 1
                s[_S_HAVE_TOE] = 1
            else:
                since_toe += dti  # capped as in swing: a count past 2**31 would wrap on the pod
                if since_toe > SWING_MAX_US:
                    since_toe = SWING_MAX_US
                s[_S_SINCE_TOE_US] = since_toe
            s[_S_STATE] = _SWING
        else:
            # Loaded: impulse, shock and the force trace; once armed (in stance)
            # also the peak and, while the force is enough for a meaningful CoP
            # (BW / 10), the CoP (dmm) range, mean, most forward point and path.
            v = fp + total
            v = v * (dti // 100) + (v * (dti % 100)) // 100
            lo = a[0] + v
            while lo >= a[20]:  # _IMP_BASE: SUM_IMP_LO carries into SUM_IMP_HI
                lo -= a[20]
                a[1] += 1
            a[0] = lo
            if acc2 > a[2]:  # SUM_SHOCK2
                a[2] = acc2
            if since_c <= a[19] and acc2 > a[3]:  # IMPACT_WINDOW_US, SUM_IMPACT2
                a[3] = acc2
            nt = a[4]  # SUM_N_TRACE
            if nt < a[17]:  # TRACE_LEN
                trf = k._trf
                trt = k._trt
                trf[nt] = total
                trt[nt] = since_c
                a[4] = nt + 1
            else:
                a[5] |= a[18]  # SUM_FLAGS |= STEP_TRACE_FULL
            if state == _PENDING:
                since_toe += dti  # capped as in swing: a count past 2**31 would wrap on the pod
                if since_toe > SWING_MAX_US:
                    since_toe = SWING_MAX_US
                s[_S_SINCE_TOE_US] = since_toe
                if total >= s[_S_ARM]:
                    s[_S_STATE] = _STANCE
                    a[6] = total
                    a[7] = since_c
                    a[23] = s[_S_COPY]
            else:
                if total > a[6]:  # SUM_PEAK and its time
                    a[6] = total
                    a[7] = since_c
                if total >= s[_S_BW] // 10:
                    cx = s[_S_COPX]
                    cy = s[_S_COPY]
                    if cx < a[8]:  # CoP x range
                        a[8] = cx
                    if cx > a[9]:
                        a[9] = cx
                    a[10] += cx  # SUM_CX_SUM, SUM_CX_N
                    a[11] += 1
                    if cy > a[12]:  # SUM_CY_MAX
                        a[12] = cy
                    if a[16]:  # the path from the last CoP (14, 15)
                        dx = cx - a[14]
                        dy = cy - a[15]
                        if dx < 0:
                            dx = -dx
                        if dy < 0:
                            dy = -dy
                        # octagonal approximation of sqrt(dx^2 + dy^2), error < 7 %
                        if dx > dy:
                            a[13] += dx + ((3 * dy) >> 3)
                        else:
                            a[13] += dy + ((3 * dx) >> 3)
                    a[14] = cx
                    a[15] = cy
                    a[16] = 1
                if since_c > STANCE_MAX_US:
                    # standing, not stepping: drop this contact, wait for the foot
                    # to lift
                    s[_S_STATE] = _PENDING
                    a[6] = 0  # SUM_PEAK
    s[_S_F_PP] = fp
    s[_S_F_PREV] = total
    s[_S_DT_PREV] = dti

    # IMU fallback while the insole is silent or every cell is faulty
    n_faults = s[_S_N_FAULTS]
    if has_imu and (s[_S_SILENT_US] >= INSOLE_SILENT_US or n_faults == n):
        ev = k._imu_fallback(dt, imu, ev)
    elif s[_S_IMU_MODE]:
        s[_S_IMU_MODE] = 0
        s[_S_IMU_STEPS] = 0
    # session flags from cells and IMU
    fl = s[_S_FLAGS] & ~(FLAG_SENSOR_FAULT | FLAG_DEGRADED)
    imu_ok = s[_S_IMU_OK]
    if n_faults or not imu_ok:
        fl |= FLAG_SENSOR_FAULT | FLAG_DEGRADED
    if s[_S_IMU_STEPS]:
        fl |= FLAG_DEGRADED  # steps from the IMU alone (silent insole)
    s[_S_FLAGS] = fl
    # a Flag record also when only the faulty cells or the IMU state change
    if fl != s[_S_SENT_FLAGS] or s[_S_MASK] != s[_S_SENT_MASK] or imu_ok != s[_S_SENT_IMU]:
        k._write_flag()
        ev |= _EV_FLAG
    return ev


def set_quiet1(k, i):
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


def check_cell(h, cells, t, motion_us, force, stance):
    # One cell of CellHealth h per visit: stuck (no change while the foot works) and
    # saturated (pinned at full scale). Elapsed times come from session time t, so
    # how often a cell is visited does not change the thresholds.
    # Stuck needs the cell to read load (above its swing baseline) when it is
    # flagged: a healthy cell also sits still at its unloaded reading, and with a
    # visit every n_cells * 20 ms (320 ms for 16 cells: ~5 in STUCK_US) a cell loaded
    # for ~100 ms of a 700 ms running stride is often never seen loaded. A cell
    # constant at no load is the dead rule's case (CellHealth.step_end).
    # h.words (stridefw.cells): 0-9 ADC_SATURATED, SATURATED_US, STUCK_BAND,
    # DEAD_RAW, DEAD_DN, STUCK_US, the motion needed (us), TICKS_MASK,
    # STEP_SATURATED, CELLS_CHANGED; 10 the cell to visit, 11 n_cells, then per cell
    # the saturated-since, unchanged-since and motion-then times. Faults: 0 ok,
    # 1 stuck, 2 saturated. Returns CELLS_CHANGED | STEP_SATURATED (in a stance) bits.
    w = h.words
    mask = w[7]
    n = w[11]
    i = w[10]
    w[10] = i + 1 if i + 1 < n else 0
    sat = 12 + i
    st0 = 12 + n + i
    smo = 12 + 2 * n + i
    raw = cells[i]
    fault = h.fault
    old = fault[i]
    res = 0
    if raw >= w[0]:
        if stance:
            res = w[8]
        if w[sat] < 0:
            w[sat] = t
        elif old == 0 and ((t - w[sat]) & mask) >= w[1]:
            fault[i] = 2
    else:
        w[sat] = -1
        if old == 2:
            fault[i] = 0
    ref = h._stuck_ref
    d = raw - ref[i]
    if -w[2] <= d <= w[2]:
        if (
            fault[i] == 0
            and raw > w[3]
            and force[i] > w[4]
            and ((t - w[st0]) & mask) >= w[5]
            and ((motion_us - w[smo]) & mask) >= w[6]
        ):
            fault[i] = 1
    else:
        ref[i] = raw
        w[st0] = t
        w[smo] = motion_us
        if fault[i] == 1:
            fault[i] = 0
    if fault[i] != old:
        res |= w[9]
    return res


def zero_cell(k, cells, i, shift, max_dn):
    # Auto-zero of cell i (the kernel: one cell per ZERO_PERIOD_US of swing): its
    # baseline moves 1 / 2**shift of the way to this reading's table force, at most
    # max_dn; a stuck or saturated cell (fault 1, 2: excluded) keeps its baseline.
    # The quiet level follows the baseline (it depends on nothing else that changes
    # here), so an unchanged baseline keeps it.
    f = k._hfault[i]
    if f == 1 or f == 2:
        return
    raw = cells[i]
    if raw > 4095:
        raw = 4095
    tab = k._tab
    j = k._koff[i] + (raw >> 6)  # kernel._force_at, inlined
    t0 = tab[j]
    f = t0 + (((tab[j + 1] - t0) * (raw & 63)) >> 6)
    base = k._base
    b0 = base[i]
    b = b0 + ((f - b0) >> shift)
    if b > max_dn:
        b = max_dn
    if b != b0:
        base[i] = b
        set_quiet1(k, i)
