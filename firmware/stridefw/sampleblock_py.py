# Plain-Python twins of sampleblock_vp's viper functions (stridefw.sampleblock_fmt's
# format): what CPython, the host's session writer (lists) and every port without
# the viper emitter run; never loaded on the pod. tests/mpy/test_unix32_sampleblock.py
# requires the same payloads, byte for byte, from both.
from stridefw.sampleblock_fmt import (
    ESC_BITS,
    HEAD_BYTES,
    IMU_N,
    K_MAX,
    QMAX,
    SUB,
)


def add_sample_py(e, dt_us, cells, imu):
    """Plain twin of sampleblock_vp.add_sample: one sample's values into e.buf, each
    as 16 bits at e.vbase + 2 * (channel * e.nmax + index); any ints, checked."""
    b = e.buf
    nc = e.n_cells
    n = e.n
    e._dt[n] = dt_us
    for j in range(nc):
        v = cells[j]
        if not 0 <= v <= 0xFFFF:
            raise ValueError("SampleBlock cell value outside 0..65535")
        o = e.vbase + 2 * (j * e.nmax + n)
        b[o] = v & 0xFF
        b[o + 1] = v >> 8
    if imu is not None:
        m = e._imu_n
        for j in range(IMU_N):
            v = imu[j]
            if not -0x8000 <= v <= 0x7FFF:
                raise ValueError("SampleBlock IMU value outside int16")
            o = e.vbase + 2 * ((nc + j) * e.nmax + m)
            b[o] = v & 0xFF
            b[o + 1] = (v >> 8) & 0xFF


def _param_bits(f, prev, s):
    # what sub-block s's params f (pred | k << 3) cost after the one before's (prev)
    if s and f == prev:
        return 1
    if s and (f ^ prev) & 7 == 0 and (f >> 3) - (prev >> 3) in (1, -1):
        return 3
    return (2 if s else 0) + (10 if f & 7 > 3 else 6)


def _tried(t, f):
    # whether f (pred | k << 3) is t's pred with t's k0 - 1, k0 or k0 + 1 (t: pred |
    # k0 << 3, or 255: none)
    return t != 255 and (t ^ f) & 7 == 0 and (t >> 3) - 1 <= f >> 3 <= (t >> 3) + 1


def encode_block_py(e):
    """Plain twin of sampleblock_vp.encode_block: the same choices and the same bytes
    (the viper takes other steps to them); returns the length."""
    b = e.buf
    x = e._x
    xn = e._xn  # the neighbour's values (sampleblock_fmt's pred 4): the channel before
    init_n = 0
    init = 0
    zs = e._zs
    sums = e._sums
    zc = e._zc
    par = e._par
    n = e.n
    m = e._imu_n
    nc = e.n_cells
    period = e.period_us
    dts = e._dt
    dts[0] = period
    # a time channel when some dt differs from the period; as grid offsets (into x,
    # the time channel's values) when every one fits int16
    flags = 0
    fits = 1
    g = 0
    for i in range(1, n):
        d = dts[i] - period
        if d:
            flags = 1
        g += d
        x[i - 1] = g
        if g < -0x8000 or g > 0x7FFF:
            fits = 0
    if flags and fits:
        flags = 9
    o = HEAD_BYTES
    if m == n:
        flags |= 2
    elif m:
        flags |= 4
        o += (n + 7) >> 3
    b[8] = flags
    acc = 0  # bits not yet written, LSB first; nb of them (< 8 between values)
    nb = 0
    ch = 0 if flags & 1 else 1  # 0: time, 1..nc: cells, then IMU axes
    last = nc + (IMU_N if m else 0)
    while ch <= last:
        # the values the channel codes into x (before anything is written over them),
        # and init, what predicts the first of them
        if ch == 0:
            c = n - 1
            if flags & 8:  # x holds the grid offsets already
                init = 0
                signed = 1
            else:
                init = period
                signed = 0
                for i in range(c):
                    x[i] = dts[i + 1]
        else:
            imu_axis = ch > nc
            c = (m if imu_axis else n) - 1
            signed = 1 if imu_axis else 0
            x, xn = xn, x  # the channel before's values become the neighbour's
            init_n = init
            at = e.vbase + 2 * (ch - 1) * e.nmax
            init = b[at] | (b[at + 1] << 8)  # the first value
            z = init
            if signed:
                if init & 0x8000:
                    init -= 0x10000
                z = (init << 1) if init >= 0 else ((-init << 1) - 1)
            w = 0  # its bit length, in 5 bits, then its bits
            while z >> w:
                w += 1
            acc |= (w | (z << 5)) << nb
            nb += 5 + w
            while nb >= 8:
                b[o] = acc & 0xFF
                acc >>= 8
                nb -= 8
                o += 1
            for i in range(c):
                v = b[at + 2 * i + 2] | (b[at + 2 * i + 3] << 8)
                if signed and v & 0x8000:
                    v -= 0x10000
                x[i] = v
        nsub = (c + SUB - 1) // SUB
        # pred 4 where the channel has a neighbour: cells 1.., IMU axes 1..
        has_nbr = ch >= 2 and ch != nc + 1
        # each sub-block's (pred, k). The pred with the least sum of z (as FLAC picks
        # a fixed predictor) among 0-2, and among 4-5; of each, k near the mean; the
        # sub-block before's (pred, k) and pred 3: the one whose bits and params'
        # bits (_param_bits) are fewest. Taking the least sum over all five would
        # pick 4 or 5 where they fit a little better but cost more to code (their
        # params are longer): on real walks, whose cells move together less than
        # the simulator's, that lost more than it won. zs: the sub-block's z under
        # each pred; zc: the chosen z of every value
        for s in range(nsub):
            s0 = s * SUB
            s1 = min(s0 + SUB, c)
            cnt = s1 - s0
            prev = par[s - 1] if s else 255
            # each pred's sum of z (sums[p]), of those whose z all fit an escape
            # (bad: a bit per pred that does not, or has no neighbour)
            bad = 0 if has_nbr else 16
            for p in (0, 1, 2, 4, 5):
                if bad >> p & 1:
                    continue
                a = 0
                p1 = x[s0 - 1] if s0 >= 1 else init
                p2 = x[s0 - 2] if s0 >= 2 else init
                p3 = x[s0 - 3] if s0 >= 3 else init
                # the neighbour's values at s0 - 1 and s0 - 2
                b1 = xn[s0 - 1] if s0 >= 1 else init_n
                b2 = xn[s0 - 2] if s0 >= 2 else init_n
                for i in range(s0, s1):
                    v = x[i]
                    if p == 0:
                        r = v
                    elif p == 1:
                        r = v - p1
                    elif p == 2:
                        r = v - 2 * p1 + p2
                    elif p == 4:
                        b0 = xn[i]
                        r = v - 2 * p1 + p2 - b0 + 2 * b1 - b2
                        b2 = b1
                        b1 = b0
                    else:
                        r = v - 3 * p1 + 3 * p2 - p3
                    p3 = p2
                    p2 = p1
                    p1 = v
                    z = r if p == 0 and not signed else ((r << 1) if r >= 0 else ((-r << 1) - 1))
                    if z >> ESC_BITS:
                        bad |= 1 << p
                    zs[p * SUB + i - s0] = z
                    a += z
                sums[p] = a
            bf = 3
            bits = 16 * cnt
            best = bits + _param_bits(3, prev, s)
            # the candidates: the least sum of 0-2, then of 4-5 (the first on a tie).
            # k0: the least k with cnt << k >= the sum. At k0 no value escapes
            # (z <= the sum <= cnt << k0, and cnt <= SUB < QMAX). A Rice choice over
            # 16 bits a value is never taken, even when its params are cheaper than
            # pred 3's: that bound is _values_at's.
            t0 = 255  # the two tried, as pred | k0 << 3 (255: none)
            t1 = 255
            for g in (0, 1):
                bp = 255
                for p in range(4 * g, 3 + 3 * g):  # 0-2, then 4-5
                    if not bad >> p & 1 and (bp == 255 or sums[p] < sums[bp]):
                        bp = p
                if bp == 255:
                    continue
                k0 = 0
                while k0 < K_MAX and (cnt << k0) < sums[bp]:
                    k0 += 1
                if g:
                    t1 = bp | k0 << 3
                else:
                    t0 = bp | k0 << 3
                # the bits under k0 - 1, k0 and k0 + 1, in one pass (an escape: QMAX +
                # 1 + ESC_BITS; no tuple from a helper: a bytecode encode allocates
                # nothing)
                lo = 0
                mid = 0
                hi = 0
                for i in range(bp * SUB, bp * SUB + cnt):
                    q = zs[i] >> k0
                    mid += q + 1 + k0 if q < QMAX else QMAX + 1 + ESC_BITS
                    if k0:
                        q = zs[i] >> (k0 - 1)
                        lo += q + k0 if q < QMAX else QMAX + 1 + ESC_BITS
                    q = zs[i] >> (k0 + 1)
                    hi += q + 2 + k0 if q < QMAX else QMAX + 1 + ESC_BITS
                if k0 and lo <= bits and lo + _param_bits(bp | (k0 - 1) << 3, prev, s) < best:
                    bf = bp | (k0 - 1) << 3
                    best = lo + _param_bits(bf, prev, s)
                if mid <= bits and mid + _param_bits(bp | k0 << 3, prev, s) < best:
                    bf = bp | k0 << 3
                    best = mid + _param_bits(bf, prev, s)
                if (
                    k0 < K_MAX
                    and hi <= bits
                    and hi + _param_bits(bp | (k0 + 1) << 3, prev, s) < best
                ):
                    bf = bp | (k0 + 1) << 3
                    best = hi + _param_bits(bf, prev, s)
            # the sub-block before's (pred, k), when it is none of those and its z fit:
            # 1 bit of params
            pp = prev & 7
            if (
                s
                and pp != 3
                and not bad >> pp & 1
                and not _tried(t0, prev)
                and not _tried(t1, prev)
            ):
                k = prev >> 3
                a = 0
                for i in range(pp * SUB, pp * SUB + cnt):
                    q = zs[i] >> k
                    a += q + 1 + k if q < QMAX else QMAX + 1 + ESC_BITS
                if a <= bits and a + 1 < best:
                    bf = prev
            bp = bf & 7
            for i in range(s0, s1):
                zc[i] = x[i] & 0xFFFF if bp == 3 else zs[bp * SUB + i - s0]
            f = bf
            if s and f == par[s - 1]:
                nb += 1  # 0: as the sub-block before
            elif s and (f ^ par[s - 1]) & 7 == 0 and (f >> 3) - (par[s - 1] >> 3) in (1, -1):
                acc |= (1 | (0 if f > par[s - 1] else 4)) << nb
                nb += 3  # 10 then 0: k + 1, 1: k - 1 (the same pred)
            else:
                # F (6 bits): pred | k << 2 for preds 0-3; 3 | (pred - 3) << 2 then k
                # (4 bits) for preds 4 and 5
                p = f & 7
                w = 6 if p < 4 else 10
                v = (p | (f >> 3) << 2) if p < 4 else (3 | (p - 3) << 2 | (f >> 3) << 6)
                if s:
                    acc |= (3 | v << 2) << nb  # 11 then F
                    nb += 2 + w
                else:
                    acc |= v << nb
                    nb += w
            par[s] = f
            while nb >= 8:
                b[o] = acc & 0xFF
                acc >>= 8
                nb -= 8
                o += 1
        for i in range(c):  # unary
            f = par[i // SUB]
            if f & 7 == 3:
                continue
            q = zc[i] >> (f >> 3)
            if q > QMAX:
                q = QMAX
            acc |= ((1 << q) - 1) << nb
            nb += q + 1
            while nb >= 8:
                b[o] = acc & 0xFF
                acc >>= 8
                nb -= 8
                o += 1
        for i in range(c):  # tails
            f = par[i // SUB]
            k = f >> 3
            v = zc[i]
            if f & 7 == 3:
                w = 16
            elif v >> k >= QMAX:
                w = ESC_BITS
            else:
                w = k
                v &= (1 << k) - 1
            acc |= v << nb
            nb += w
            while nb >= 8:
                b[o] = acc & 0xFF
                acc >>= 8
                nb -= 8
                o += 1
        ch += 1
    if nb:
        b[o] = acc & 0xFF
        o += 1
    return o
