# Plain-Python twins of stridefw.kernel_vp: StepKernel's per-cell pass where the viper
# emitter is missing (CPython replay, the WebAssembly test build). A module of its
# own so that the pod, which runs the viper versions, never loads these.
# Both take the kernel and the raw cells and do exactly the same integer arithmetic;
# tests/mpy/test_unix32_viper.py holds them to the same records bit for bit.


def cells_force(k, cells, loaded):
    # force above baseline per cell (Q0 dn, 0 below it) into k.force; returns the
    # total, or -1 in swing (not loaded) when every cell is at most k._quiet_raw. A cell reading below its quiet level (k._quiet1, from its baseline) is
    # 0 without the table: the result is the same, the lookup is skipped. loaded
    # (1 in stance): also CoP sums into k._acc (<= 16 * 15000 * 2450 < 2**30) and
    # per-cell stance sums into k._csum (<= 15000 * 500 samples).
    tab = k._tab
    base = k._base
    force = k.force
    koff = k._koff
    quiet1 = k._quiet1
    xs = k._x
    ys = k._y
    csum = k._csum
    total = 0
    sx = 0
    sy = 0
    n = k.n_cells
    if not loaded and max(cells) <= k._quiet_raw:
        # every cell reads so little that the total is certainly below half the
        # event level (kernel: _quiet_raw): -1, the forces 0 without a lookup
        for i in range(n):
            force[i] = 0
        return -1
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
            if loaded:
                sx += f * xs[i]
                sy += f * ys[i]
                csum[i] += f
        else:
            force[i] = 0
    if loaded:
        acc = k._acc
        acc[0] = sx
        acc[1] = sy
    return total


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


def floor_above(fl, total, dti):
    # SwingFloor's per-sample part (stridefw.cells: fl.state holds block minimum,
    # maximum, us into the block, the floor, the block length): returns the force
    # above the floor
    st = fl.state
    if total < st[0]:
        st[0] = total
        if total < st[3]:
            st[3] = total
    if total > st[1]:
        st[1] = total
    st[2] += dti
    if st[2] >= st[4]:
        fl.close_block()
    f = st[3]
    if f:
        return total - f if total > f else 0
    return total


def check_cell(h, cells, t, motion_us, force, stance):
    # One cell of CellHealth h per visit: stuck (no change while the foot works) and
    # saturated (pinned at full scale). Elapsed times come from session time t, so
    # how often a cell is visited does not change the thresholds.
    # Stuck needs the cell to read load (above its swing baseline) when it is
    # flagged: a healthy cell also sits still at its unloaded reading, and with a
    # visit every n_cells * 20 ms (320 ms for 16 cells: ~5 in STUCK_US) a cell loaded
    # for ~100 ms of a 700 ms running stride is often never seen loaded. A cell
    # constant at no load is the dead rule's case (CellHealth.step_end).
    # h.rules: ADC_SATURATED, SATURATED_US, STUCK_BAND, DEAD_RAW, DEAD_DN, STUCK_US,
    # the motion needed (us), TICKS_MASK, STEP_SATURATED, CELLS_CHANGED. Faults: 0 ok,
    # 1 stuck, 2 saturated. Returns CELLS_CHANGED | STEP_SATURATED (in a stance) bits.
    lim = h.rules
    mask = lim[7]
    i = h._next
    h._next = i + 1 if i + 1 < h.n_cells else 0
    raw = cells[i]
    fault = h.fault
    old = fault[i]
    res = 0
    sat_t0 = h._sat_t0
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
    d = raw - h._stuck_ref[i]
    if -lim[2] <= d <= lim[2]:
        if (
            fault[i] == 0
            and raw > lim[3]
            and force[i] > lim[4]
            and ((t - h._stuck_t0[i]) & mask) >= lim[5]
            and ((motion_us - h._stuck_motion[i]) & mask) >= lim[6]
        ):
            fault[i] = 1
    else:
        h._stuck_ref[i] = raw
        h._stuck_t0[i] = t
        h._stuck_motion[i] = motion_us
        if fault[i] == 1:
            fault[i] = 0
    if fault[i] != old:
        res |= lim[9]
    return res


def stance_sample(s, fp, f, dti, acc2, since_c, armed, cx, cy, cop_min_dn):
    # A sample with the foot loaded (contact pending or, armed, stance), since_c us
    # after the contact, into StepSummary s (s.acc at stridefw.steps' SUM_* indices):
    # impulse (StepSummary.integrate), shock (track_shock) and the force trace; once
    # armed also the peak, and the CoP (dmm) excursion and path while the force is
    # enough (cop_min_dn) for a meaningful CoP.
    a = s.acc
    v = fp + f
    v = v * (dti // 100) + (v * (dti % 100)) // 100
    lo = a[0] + v
    while lo >= a[20]:
        lo -= a[20]
        a[1] += 1
    a[0] = lo
    if acc2 > a[2]:
        a[2] = acc2
    if since_c <= a[19] and acc2 > a[3]:
        a[3] = acc2
    n = a[4]
    if n < a[17]:
        s.trace_f[n] = f
        s.trace_t[n] = since_c
        a[4] = n + 1
    else:
        a[5] |= a[18]
    if not armed:
        return
    if f > a[6]:
        a[6] = f
        a[7] = since_c
    if f < cop_min_dn:
        return
    if cx < a[8]:
        a[8] = cx
    if cx > a[9]:
        a[9] = cx
    a[10] += cx
    a[11] += 1
    if cy > a[12]:
        a[12] = cy
    if a[16]:
        dx = cx - a[14]
        dy = cy - a[15]
        if dx < 0:
            dx = -dx
        if dy < 0:
            dy = -dy
        # octagonal approximation of sqrt(dx^2 + dy^2), error < 7 %
        if dx > dy:
            a[13] += dx + (3 * dy >> 3)
        else:
            a[13] += dy + (3 * dx >> 3)
    a[14] = cx
    a[15] = cy
    a[16] = 1


def zero_cell(k, cells, i, shift, max_dn):
    # Auto-zero of cell i (the kernel: one cell per ZERO_PERIOD_US of swing): its
    # baseline moves 1 / 2**shift of the way to this reading's table force, at most
    # max_dn; a stuck or saturated cell (fault 1, 2: excluded) keeps its baseline.
    f = k.health.fault[i]
    if f == 1 or f == 2:
        return
    raw = cells[i]
    if raw > 4095:
        raw = 4095
    tab = k._tab
    j = k._koff[i] + (raw >> 6)  # kernel._force_at, inlined
    t0 = tab[j]
    f = t0 + (((tab[j + 1] - t0) * (raw & 63)) >> 6)
    b = k._base[i]
    b += (f - b) >> shift
    if b > max_dn:
        b = max_dn
    k._base[i] = b
    set_quiet1(k, i)
