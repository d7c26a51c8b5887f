# Viper versions of StepKernel's hot per-sample functions: the per-cell pass, the
# swing floor, the cell checks, a loaded sample's step figures and auto-zero.
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
# value stays within +-2**30 (the kernel's rule), so nothing wraps. ptr16 reads are
# unsigned: the signed 'h' arrays (cell x/y in dmm) are sign-extended by hand.
#
# Measured in x86 instructions per push() (valgrind in micropython-unix32, 16 cells,
# 2,000 samples of a realistic 100 Hz run; load-independent; `stride bench --chip`
# turns them into an ESP32 estimate): 62.6k with only the cell pass in viper, 60.2k
# with floor_above and the swing fast path inside cells_force, 58.6k with check_cell,
# 56.7k with stance_sample, 54.5k with zero_cell (8 cells: 58.1k -> 50.9k). Calls
# cost more than arithmetic on MicroPython (a method call misses the instance's
# attribute map first), so each of these replaces one or more bytecode calls.
# ptr16 / ptr32 are viper built-ins: they exist only inside a viper function.
# ruff: noqa: F821
import micropython


@micropython.viper
def cells_force(k, cells, loaded: int) -> int:
    """Per-cell force above baseline (0 below it, and below the cell's quiet level
    without a lookup), the total returned (-1: kernel_py.cells_force says when);
    loaded: also CoP sums and stance sums."""
    n = int(k.n_cells)
    tab = ptr16(k._tab)
    base = ptr32(k._base)
    force = ptr32(k.force)
    koff = ptr16(k._koff)
    quiet1 = ptr16(k._quiet1)
    xs = ptr16(k._x)
    ys = ptr16(k._y)
    csum = ptr32(k._csum)
    raw_in = ptr16(cells)
    total = 0
    sx = 0
    sy = 0
    i = 0
    if not loaded:
        q = int(k._quiet_raw)
        while i < n and int(raw_in[i]) <= q:
            i += 1
        if i == n:  # the swing fast path (kernel_py.cells_force says when)
            i = 0
            while i < n:
                force[i] = 0
                i += 1
            return -1
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
            f = t0 + (((int(tab[j + 1]) - t0) * (raw & 63)) >> 6) - int(base[i])
            if f > 0:
                force[i] = f
                total += f
                if loaded:
                    x = int(xs[i])
                    if x & 0x8000:
                        x -= 0x10000
                    y = int(ys[i])
                    if y & 0x8000:
                        y -= 0x10000
                    sx += f * x
                    sy += f * y
                    csum[i] = int(csum[i]) + f
            else:
                force[i] = 0
        i += 1
    if loaded:
        acc = ptr32(k._acc)
        acc[0] = sx
        acc[1] = sy
    return total


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
def floor_above(fl, total: int, dti: int) -> int:
    """SwingFloor's per-sample part (kernel_py.floor_above says how)."""
    st = ptr32(fl.state)
    if total < st[0]:
        st[0] = total
        if total < st[3]:
            st[3] = total
    if total > st[1]:
        st[1] = total
    st[2] = st[2] + dti
    if st[2] >= st[4]:
        fl.close_block()
    f = st[3]
    if f != 0:
        if total > f:
            return total - f
        return 0
    return total


@micropython.viper
def check_cell(h, cells, t: int, motion_us: int, force, stance: int) -> int:
    """One cell's stuck and saturated check (kernel_py.check_cell says how)."""
    lim = ptr32(h.rules)
    mask = lim[7]
    i = int(h._next)
    if i + 1 < int(h.n_cells):
        h._next = i + 1
    else:
        h._next = 0
    raw = int(ptr16(cells)[i])
    fault = ptr8(h.fault)
    sat_t0 = ptr32(h._sat_t0)
    stuck_ref = ptr16(h._stuck_ref)
    stuck_t0 = ptr32(h._stuck_t0)
    stuck_motion = ptr32(h._stuck_motion)
    old = int(fault[i])
    res = 0
    if raw >= lim[0]:
        if stance:
            res = lim[8]
        if sat_t0[i] < 0:
            sat_t0[i] = t
        elif old == 0 and ((t - sat_t0[i]) & mask) >= lim[1]:
            fault[i] = 2
    else:
        sat_t0[i] = -1
        if old == 2:
            fault[i] = 0
    ref = int(stuck_ref[i])
    if ref & 0x8000:  # 'h' array: sign-extend (-1: no reference yet)
        ref -= 0x10000
    d = raw - ref
    if -lim[2] <= d and d <= lim[2]:
        if (
            int(fault[i]) == 0
            and raw > lim[3]
            and int(ptr32(force)[i]) > lim[4]
            and ((t - stuck_t0[i]) & mask) >= lim[5]
            and ((motion_us - stuck_motion[i]) & mask) >= lim[6]
        ):
            fault[i] = 1
    else:
        stuck_ref[i] = raw
        stuck_t0[i] = t
        stuck_motion[i] = motion_us
        if int(fault[i]) == 1:
            fault[i] = 0
    if int(fault[i]) != old:
        res |= lim[9]
    return res


@micropython.viper
def stance_sample(
    s, fp: int, f: int, dti: int, acc2: int, since_c: int, armed: int, cx: int, cy: int, cop: int
):
    """A loaded sample's step figures (kernel_py.stance_sample says how)."""
    a = ptr32(s.acc)
    v = fp + f
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
    n = a[4]
    if n < a[17]:
        ptr32(s.trace_f)[n] = f
        ptr32(s.trace_t)[n] = since_c
        a[4] = n + 1
    else:
        a[5] = a[5] | a[18]
    if not armed:
        return
    if f > a[6]:
        a[6] = f
        a[7] = since_c
    if f < cop:
        return
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


@micropython.viper
def zero_cell(k, cells, i: int, shift: int, max_dn: int):
    """Auto-zero of cell i (kernel_py.zero_cell says how)."""
    f = int(ptr8(k.health.fault)[i])
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
    b = base[i]
    b += (f - b) >> shift
    if b > max_dn:
        b = max_dn
    base[i] = b
    set_quiet1(k, i)
