# Viper versions of StepKernel's per-sample work: push() (the per-sample flow, the
# per-cell pass, the swing floor, a loaded sample's step figures and the
# contact/toe-off state machine), the cell checks and auto-zero.
#
# Each function here has a plain-Python twin of the same name in stridefw.kernel_py,
# which the host replay and every port without the viper emitter (the WebAssembly
# test build, mpy-cross without -march) use. They live in their own module because a
# viper decorator is a compile-time error where the emitter is missing: kernel.py
# imports this module inside try/except and falls back to the twins.
# tests/mpy/test_unix32_viper.py runs both in micropython-unix32 (x86 viper) and
# requires the same Step and Flag records, bit for bit, as CPython.
#
# Arithmetic: viper ints are 32-bit machine words on the ESP32 and on unix32; every
# value stays within +-2**30 (the kernel's rule), so nothing wraps, except the
# per-cell stance sums of a contact held ~24 min at full load (never a step; the
# plain twin wraps them the same way). ptr16 reads are
# unsigned: the signed 'h' arrays (cell x/y in dmm, the IMU packet) are
# sign-extended by hand. An attribute read returns an object (int() converts it).
# push() reads and writes the kernel's integers in StepKernel._s (machine words,
# no attribute lookups) and calls bytecode only for what happens per step or per
# event (a step's summary, a Flag record, the IMU fallback, a floor block).
#
# Measured in x86 instructions per push() (valgrind in micropython-unix32, the
# deploy build, 16 / 8 cells, samples 1,000-3,000 of a realistic 100 Hz run;
# load-independent; `stride bench --chip` turns them into an ESP32 estimate):
# 14.3k / 12.0k (the bytecode twins: 111.2k / 73.7k; with only the per-cell pass,
# floor, checks and auto-zero in viper and the state machine in bytecode, 49.9k /
# 47.8k: the state machine's attribute lookups were most of the cost).
# Calls cost more than arithmetic on MicroPython (a call boxes its int arguments;
# a method call looks the name up in the instance first), so push() inlines what
# runs per sample and calls out only per event.
# Over 500 lines for that reason: push() is one function, and it follows its twin
# step for step (a split would make the two harder to hold side by side).
# ptr16 / ptr32 are viper built-ins: they exist only inside a viper function.
# ruff: noqa: F821
import micropython
from micropython import const

# StepKernel._s indices (the list in stridefw.kernel_py, which says what each holds)
_S_TICK = const(0)
_S_T = const(1)
_S_WRAPS = const(2)
_S_STARTED = const(3)
_S_STATE = const(4)
_S_F_PREV = const(5)
_S_F_PP = const(6)
_S_DT_PREV = const(7)
_S_REFINE = const(8)
_S_R_DT01_US = const(9)
_S_R_F1 = const(10)
_S_R_OFF_US = const(11)
_S_TOTAL = const(12)
_S_COPX = const(13)
_S_COPY = const(14)
_S_C_T = const(15)
_S_C_W = const(16)
_S_PC_T = const(17)
_S_HAVE_PC = const(18)
_S_HAVE_TOE = const(19)
_S_SINCE_TOE_US = const(20)
_S_BW = const(21)
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
_S_N_FAULTS = const(42)
_S_MASK = const(43)
_S_N_CELLS = const(44)
_S_HAS_IMU = const(45)
_S_NO_INSOLE = const(46)
_S_QUIET_RAW = const(47)

# stridefw.config's numbers, folded here (viper needs machine-word constants; a
# name imported from another module is an object; tests/mpy/test_mpy_kernel.py
# checks that these equal config's)
_TICKS_MASK = const(0x3FFFFFFF)
_DT_MAX_US = const(50000)
_EVENT_LEVEL_DN = const(200)
_STANCE_MIN_US = const(60000)
_STANCE_MAX_US = const(2500000)
_SWING_MAX_US = const(3000000)
_ZERO_AFTER_SWING_US = const(60000)
_ZERO_SHIFT = const(3)
_ZERO_PERIOD_US = const(10000)
_ZERO_MAX_DN = const(1500)
_SWING_GYRO_MIN = const(500)
_IMPACT_WINDOW_US = const(80000)
_INSOLE_SILENT_US = const(2000000)
_FLAG_SENSOR_FAULT = const(0x0008)
_FLAG_DEGRADED = const(0x0010)
_STEP_SATURATED = const(0x0800)
_STEP_GAP = const(0x1000)
# and stridefw.kernel's / stridefw.cells' (the same in kernel_py)
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


@micropython.viper
def frac_us(dt: int, num: int, den: int) -> int:
    """stridefw.steps.frac_us (kernel_py.frac_us)."""
    while den > 16384:
        num >>= 2
        den >>= 2
    if den <= 0:
        return 0
    return (dt * num) // den


@micropython.viper
def ext_us(dt: int, num: int, den: int, cap: int) -> int:
    """kernel_py.ext_us: an extrapolated time, capped."""
    while num > 16384 or den > 16384:
        num >>= 2
        den >>= 2
    if den <= 0:
        return cap
    v = (dt * num) // den
    if v > cap:
        return cap
    return v


@micropython.viper
def push(k, tick_us: int, cells, imu) -> int:
    """StepKernel.push (kernel_py.push, step for step)."""
    s = ptr32(k._s)
    tick = tick_us & _TICKS_MASK
    first = 0
    dt = 0
    if not s[_S_STARTED]:
        s[_S_STARTED] = 1
        s[_S_TICK] = tick
        first = 1
    else:
        dt = (tick - s[_S_TICK]) & _TICKS_MASK
        if dt >= _HALF or dt == 0:
            s[_S_BAD_TICKS] = s[_S_BAD_TICKS] + 1
            return 0
        s[_S_TICK] = tick
        t = s[_S_T]
        room = _TICKS_MASK - t
        if dt > room:
            s[_S_T] = dt - room - 1
            s[_S_WRAPS] = s[_S_WRAPS] + 1
        else:
            s[_S_T] = t + dt
    state = s[_S_STATE]
    a = ptr32(k._sacc)
    dti = dt
    if dt > _DT_MAX_US:
        dti = _DT_MAX_US
        s[_S_GAPS] = s[_S_GAPS] + 1
        if state != _SWING:
            a[5] = a[5] | _STEP_GAP

    has_imu = s[_S_HAS_IMU]
    since_toe = s[_S_SINCE_TOE_US]
    gyro = 0
    acc2 = 0
    have_imu = 0  # imu is not None (an IMU packet is an array of 6, never empty)
    if imu:
        have_imu = 1
    if not have_imu:
        if has_imu:
            s[_S_IMU_MISSING] = s[_S_IMU_MISSING] + 1
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
        if state == _SWING and since_toe >= _ZERO_AFTER_SWING_US:
            im = ptr16(imu)  # int16 read unsigned: sign-extended by hand
            g = int(im[3])
            if g & 0x8000:
                g -= 0x10000
            if g < 0:
                g = -g
            gyro = g
            g = int(im[4])
            if g & 0x8000:
                g -= 0x10000
            if g < 0:
                g = -g
            gyro += g
            g = int(im[5])
            if g & 0x8000:
                g -= 0x10000
            if g < 0:
                g = -g
            gyro += g

    if s[_S_NO_INSOLE]:
        return int(k._push_imu_only(dt, imu))

    zero = 0
    if state == _SWING and since_toe >= _ZERO_AFTER_SWING_US and s[_S_F_PREV] < s[_S_ARM]:
        if (not have_imu) or gyro >= _SWING_GYRO_MIN:
            zero = 1

    n = s[_S_N_CELLS]
    force = ptr32(k.force)
    raw_in = ptr16(cells)
    total = 0
    quiet = 0
    if state == _SWING:
        q = s[_S_QUIET_RAW]
        i = 0
        while i < n and int(raw_in[i]) <= q:
            i += 1
        if i == n:
            quiet = 1
    if quiet:
        i = 0
        while i < n:
            force[i] = 0
            i += 1
        if s[_S_SILENT_US] < _INSOLE_SILENT_US:
            s[_S_SILENT_US] = s[_S_SILENT_US] + dti
    else:
        s[_S_SILENT_US] = 0
        tab = ptr16(k._tab)
        base = ptr32(k._base)
        koff = ptr16(k._koff)
        quiet1 = ptr16(k._quiet1)
        if state == _SWING:
            i = 0
            while i < n:
                raw = int(raw_in[i])
                if raw > 4095:
                    raw = 4095
                if raw < int(quiet1[i]):
                    force[i] = 0
                else:
                    j = int(koff[i]) + (raw >> 6)
                    t0 = int(tab[j])
                    f = t0 + (((int(tab[j + 1]) - t0) * (raw & 63)) >> 6) - base[i]
                    if f > 0:
                        force[i] = f
                        total += f
                    else:
                        force[i] = 0
                i += 1
        else:
            xs = ptr16(k._x)
            ys = ptr16(k._y)
            csum = ptr32(k._csum)
            sx = 0
            sy = 0
            i = 0
            while i < n:
                raw = int(raw_in[i])
                if raw > 4095:
                    raw = 4095
                if raw < int(quiet1[i]):
                    force[i] = 0
                else:
                    j = int(koff[i]) + (raw >> 6)
                    t0 = int(tab[j])
                    f = t0 + (((int(tab[j + 1]) - t0) * (raw & 63)) >> 6) - base[i]
                    if f > 0:
                        force[i] = f
                        total += f
                        x = int(xs[i])
                        if x & 0x8000:
                            x -= 0x10000
                        y = int(ys[i])
                        if y & 0x8000:
                            y -= 0x10000
                        sx += f * x
                        sy += f * y
                        csum[i] = csum[i] + f
                    else:
                        force[i] = 0
                i += 1
            a[21] = a[21] + 1
            if total > 0:
                s[_S_COPX] = sx // total
                s[_S_COPY] = sy // total
    if zero:
        acc = s[_S_ZERO_ACC] + dti
        while acc >= _ZERO_PERIOD_US - (_ZERO_PERIOD_US >> 3):
            acc -= _ZERO_PERIOD_US
            i = s[_S_ZR]
            if i + 1 < n:
                s[_S_ZR] = i + 1
            else:
                s[_S_ZR] = 0
            zero_cell(k, cells, i, _ZERO_SHIFT, _ZERO_MAX_DN)
        s[_S_ZERO_ACC] = acc
    else:
        s[_S_ZERO_ACC] = 0
    if total > _TOTAL_MAX_DN:
        total = _TOTAL_MAX_DN
    s[_S_TOTAL] = total

    st = ptr32(k._fst)
    if total < st[0]:
        st[0] = total
        if total < st[3]:
            st[3] = total
    if total > st[1]:
        st[1] = total
    st[2] = st[2] + dti
    if st[2] >= st[4]:
        k.floor.close_block()
    fl0 = st[3]
    if fl0:
        if total > fl0:
            total = total - fl0
        else:
            total = 0

    fp = s[_S_F_PREV]
    d = (total - fp) * 10000
    lim = _MOTION_DN * dti
    if d > lim or d < -lim:
        s[_S_MOTION_US] = (s[_S_MOTION_US] + dti) & _TICKS_MASK
    acc = s[_S_CHECK_ACC] + dti
    while acc >= _CHECK_US - (_CHECK_US >> 3):
        acc -= _CHECK_US
        r = int(check_cell(k.health, cells, s[_S_T], s[_S_MOTION_US], k.force, state))
        if r & _STEP_SATURATED:
            a[5] = a[5] | _STEP_SATURATED
        if r & _CELLS_CHANGED:
            k._faults_changed()
    s[_S_CHECK_ACC] = acc
    if have_imu and (total > _EVENT_LEVEL_DN or state != _SWING):
        im = ptr16(imu)
        ax = int(im[0])
        if ax & 0x8000:
            ax -= 0x10000
        ay = int(im[1])
        if ay & 0x8000:
            ay -= 0x10000
        az = int(im[2])
        if az & 0x8000:
            az -= 0x10000
        ax = ax >> 1
        ay = ay >> 1
        az = az >> 1
        acc2 = ax * ax + ay * ay + az * az
    if first:
        fp = total

    lvl = _EVENT_LEVEL_DN
    ev = 0
    if state == _SWING:
        since_toe += dti
        if since_toe > _SWING_MAX_US:
            since_toe = _SWING_MAX_US
        s[_S_SINCE_TOE_US] = since_toe
        if total > lvl and fp <= lvl:
            off = int(frac_us(dti, lvl - fp, total - fp))
            back = dti - off
            t = s[_S_T]
            if back > t:
                s[_S_C_T] = (t - back) & _TICKS_MASK
                s[_S_C_W] = s[_S_WRAPS] - 1
            else:
                s[_S_C_T] = t - back
                s[_S_C_W] = s[_S_WRAPS]
            sw = since_toe - back
            if not s[_S_HAVE_TOE] or sw <= 0 or since_toe >= _SWING_MAX_US:
                sw = 0
            k.summary.start(sw)
            csum = ptr32(k._csum)
            xs = ptr16(k._x)
            ys = ptr16(k._y)
            sx = 0
            sy = 0
            i = 0
            while i < n:
                f = force[i]
                if f:
                    x = int(xs[i])
                    if x & 0x8000:
                        x -= 0x10000
                    y = int(ys[i])
                    if y & 0x8000:
                        y -= 0x10000
                    sx += f * x
                    sy += f * y
                    csum[i] = csum[i] + f
                i += 1
            a[21] = a[21] + 1
            f = s[_S_TOTAL]
            if f > 0:
                s[_S_COPX] = sx // f
                s[_S_COPY] = sy // f
            trf = ptr32(k._trf)
            trt = ptr32(k._trt)
            trf[0] = fp
            trt[0] = -off
            trf[1] = total
            trt[1] = back
            a[4] = 2
            v = fp + total
            v = v * (dti // 100) + (v * (dti % 100)) // 100
            lo = a[0] + v
            while lo >= a[20]:
                lo -= a[20]
                a[1] = a[1] + 1
            a[0] = lo
            if acc2 > a[2]:
                a[2] = acc2
            if back <= _IMPACT_WINDOW_US and acc2 > a[3]:
                a[3] = acc2
            if fp * 4 <= lvl:
                s[_S_REFINE] = 1
            else:
                s[_S_REFINE] = 0
            s[_S_R_DT01_US] = dti
            s[_S_R_F1] = total
            s[_S_R_OFF_US] = off
            s[_S_STATE] = _PENDING
            if total >= s[_S_ARM]:
                s[_S_STATE] = _STANCE
                a[6] = total
                a[7] = back
                a[23] = s[_S_COPY]
    else:
        if s[_S_REFINE]:
            s[_S_REFINE] = 0
            f1 = s[_S_R_F1]
            if total > f1:
                cap = s[_S_R_DT01_US]
                ext = int(ext_us(dti, f1 - lvl, total - f1, cap))
                delta = ext - (cap - s[_S_R_OFF_US])
                back = dti + ext
                t = s[_S_T]
                if back > t:
                    s[_S_C_T] = (t - back) & _TICKS_MASK
                    s[_S_C_W] = s[_S_WRAPS] - 1
                else:
                    s[_S_C_T] = t - back
                    s[_S_C_W] = s[_S_WRAPS]
                sw = a[22]
                if sw > 0:
                    sw -= delta
                    if sw < 0:
                        sw = 0
                    a[22] = sw
                trt = ptr32(k._trt)
                trt[0] = ext - cap
                trt[1] = ext
                if ext < cap:
                    trf = ptr32(k._trf)
                    trf[0] = f1 - int(ext_us(total - f1, cap, dti, _TOTAL_MAX_DN))
        since_c = (s[_S_T] - s[_S_C_T]) & _TICKS_MASK
        if total <= lvl:
            if state == _STANCE:
                f_pp = s[_S_F_PP]
                if total * 4 <= lvl and f_pp > fp:
                    off = int(ext_us(s[_S_DT_PREV], fp - lvl, f_pp - fp, dti))
                else:
                    off = int(frac_us(dti, fp - lvl, fp - total))
                back = dti - off
                stance_us = since_c - back
                v = fp + total
                v = v * (dti // 100) + (v * (dti % 100)) // 100
                lo = a[0] + v
                while lo >= a[20]:
                    lo -= a[20]
                    a[1] = a[1] + 1
                a[0] = lo
                s[_S_SINCE_TOE_US] = back
                if _STANCE_MIN_US <= stance_us and stance_us <= _STANCE_MAX_US:
                    k._finish_step(stance_us)
                    ev = _EV_STEP
                else:
                    s[_S_REJECTED] = s[_S_REJECTED] + 1
                s[_S_HAVE_TOE] = 1
            else:
                since_toe += dti
                if since_toe > _SWING_MAX_US:
                    since_toe = _SWING_MAX_US
                s[_S_SINCE_TOE_US] = since_toe
            s[_S_STATE] = _SWING
        else:
            v = fp + total
            v = v * (dti // 100) + (v * (dti % 100)) // 100
            lo = a[0] + v
            while lo >= a[20]:
                lo -= a[20]
                a[1] = a[1] + 1
            a[0] = lo
            if acc2 > a[2]:
                a[2] = acc2
            if since_c <= a[19] and acc2 > a[3]:
                a[3] = acc2
            nt = a[4]
            if nt < a[17]:
                trf = ptr32(k._trf)
                trt = ptr32(k._trt)
                trf[nt] = total
                trt[nt] = since_c
                a[4] = nt + 1
            else:
                a[5] = a[5] | a[18]
            if state == _PENDING:
                since_toe += dti
                if since_toe > _SWING_MAX_US:
                    since_toe = _SWING_MAX_US
                s[_S_SINCE_TOE_US] = since_toe
                if total >= s[_S_ARM]:
                    s[_S_STATE] = _STANCE
                    a[6] = total
                    a[7] = since_c
                    a[23] = s[_S_COPY]
            else:
                if total > a[6]:
                    a[6] = total
                    a[7] = since_c
                if total >= s[_S_BW] // 10:
                    cx = s[_S_COPX]
                    cy = s[_S_COPY]
                    if cx < a[8]:
                        a[8] = cx
                    if cx > a[9]:
                        a[9] = cx
                    a[10] = a[10] + cx
                    a[11] = a[11] + 1
                    if cy > a[12]:
                        a[12] = cy
                    if a[16]:
                        dx = cx - a[14]
                        dy = cy - a[15]
                        if dx < 0:
                            dx = -dx
                        if dy < 0:
                            dy = -dy
                        if dx > dy:
                            a[13] = a[13] + dx + ((3 * dy) >> 3)
                        else:
                            a[13] = a[13] + dy + ((3 * dx) >> 3)
                    a[14] = cx
                    a[15] = cy
                    a[16] = 1
                if since_c > _STANCE_MAX_US:
                    s[_S_STATE] = _PENDING
                    a[6] = 0
    s[_S_F_PP] = fp
    s[_S_F_PREV] = total
    s[_S_DT_PREV] = dti

    n_faults = s[_S_N_FAULTS]
    if has_imu and (s[_S_SILENT_US] >= _INSOLE_SILENT_US or n_faults == n):
        ev = int(k._imu_fallback(dt, imu, ev))
    elif s[_S_IMU_MODE]:
        s[_S_IMU_MODE] = 0
        s[_S_IMU_STEPS] = 0
    fl = s[_S_FLAGS] & ~(_FLAG_SENSOR_FAULT | _FLAG_DEGRADED)
    imu_ok = s[_S_IMU_OK]
    if n_faults or not imu_ok:
        fl |= _FLAG_SENSOR_FAULT | _FLAG_DEGRADED
    if s[_S_IMU_STEPS]:
        fl |= _FLAG_DEGRADED
    s[_S_FLAGS] = fl
    if fl != s[_S_SENT_FLAGS] or s[_S_MASK] != s[_S_SENT_MASK] or imu_ok != s[_S_SENT_IMU]:
        k._write_flag()
        ev |= _EV_FLAG
    return ev


@micropython.viper
def set_quiet1(k, i: int):
    """Cell i's quiet level (kernel_py.set_quiet1 says how) into k._quiet1[i]."""
    tab = ptr16(k._tab)
    koff = ptr16(k._koff)
    base = ptr32(k._base)
    quiet1 = ptr16(k._quiet1)
    off = int(koff[i])
    b = int(base[i])
    q1 = 0
    seg = 0
    while seg < 64:
        t0 = int(tab[off + seg])
        if t0 > b:
            break
        d = int(tab[off + seg + 1]) - t0
        if d <= 0 or t0 + ((d * 63) >> 6) <= b:
            q1 = (seg << 6) + 64
            seg += 1
            continue
        fr = ((b - t0) << 6) // d
        while fr < 63 and t0 + ((d * (fr + 1)) >> 6) <= b:
            fr += 1
        while fr >= 0 and t0 + ((d * fr) >> 6) > b:
            fr -= 1
        q1 = (seg << 6) + fr + 1
        break
    quiet1[i] = q1


@micropython.viper
def check_cell(h, cells, t: int, motion_us: int, force, stance: int) -> int:
    """One cell's stuck and saturated check (kernel_py.check_cell says how)."""
    w = ptr32(h.words)
    mask = w[7]
    n = w[11]
    i = w[10]
    if i + 1 < n:
        w[10] = i + 1
    else:
        w[10] = 0
    sat = 12 + i
    st0 = 12 + n + i
    smo = 12 + 2 * n + i
    raw = int(ptr16(cells)[i])
    fault = ptr8(h.fault)
    old = int(fault[i])
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
    ref = ptr16(h._stuck_ref)
    r0 = int(ref[i])
    if r0 & 0x8000:  # 'h' array: sign-extend (-1: no reference yet)
        r0 -= 0x10000
    d = raw - r0
    if -w[2] <= d and d <= w[2]:
        if (
            int(fault[i]) == 0
            and raw > w[3]
            and int(ptr32(force)[i]) > w[4]
            and ((t - w[st0]) & mask) >= w[5]
            and ((motion_us - w[smo]) & mask) >= w[6]
        ):
            fault[i] = 1
    else:
        ref[i] = raw
        w[st0] = t
        w[smo] = motion_us
        if int(fault[i]) == 1:
            fault[i] = 0
    if int(fault[i]) != old:
        res |= w[9]
    return res


@micropython.viper
def zero_cell(k, cells, i: int, shift: int, max_dn: int):
    """Auto-zero of cell i (kernel_py.zero_cell says how)."""
    f = int(ptr8(k._hfault)[i])
    if f == 1 or f == 2:
        return
    raw = int(ptr16(cells)[i])
    if raw > 4095:
        raw = 4095
    tab = ptr16(k._tab)
    base = ptr32(k._base)
    j = int(ptr16(k._koff)[i]) + (raw >> 6)
    t0 = int(tab[j])
    f = t0 + (((int(tab[j + 1]) - t0) * (raw & 63)) >> 6)
    b0 = base[i]
    b = b0 + ((f - b0) >> shift)
    if b > max_dn:
        b = max_dn
    if b != b0:
        base[i] = b
        set_quiet1(k, i)
