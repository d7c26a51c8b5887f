# Viper versions of the raw-sample encoder's two loops (SampleBlock version 3, the
# format in stridefw.sampleblock_fmt): add_sample stores one sample's values as 16
# bits each, and encode_block Rice-codes the block over them in place (the time
# channel's mode, each sub-block's pred and k, the params, the first values, unary
# codes and tails).
#
# Their plain-Python twins, sampleblock_py.add_sample_py and encode_block_py, are
# what CPython, the host's session writer (lists) and every port without the viper
# emitter use; sampleblock imports this module inside try/except (a viper decorator
# is a compile-time error where the emitter is missing, see kernel_vp.py).
# tests/mpy/test_unix32_sampleblock.py requires the same payloads, byte for byte,
# from both in micropython-unix32 and from CPython. encode_block follows its twin
# step for step but for two places: a sub-block's z under pred 0, 1 and 2 are
# computed in one pass over its values (the twin: a pass per pred; the sums, the
# pick (the first least) and zs are the same), and the twin's _param_bits is
# written out where it is used (a viper call costs more than the arithmetic).
#
# Why viper: as bytecode, encode_block_py costs 40.4M x86 instructions per full
# block (104 samples) at 8 cells + IMU and 49.1M at 16 (82 samples)
# (micropython-unix32, valgrind, a simulated run's block as stridekit.budget.timing
# counts it). Here: 1.20M and 1.46M, no allocation: on the chip at 80 MHz about
# 32-50 ms and 39-61 ms a block (`stride deploy --dry-run`). add_sample: one call,
# no bytecode loop over the cells (a whole add(): 10.4k x86 at 8 cells, 11.0k at 16;
# with the twin 46.6k and 66.0k).
#
# Types, checked by SampleBlockEncoder._pick before add_sample is used: cells
# array('H'), imu array('h') or None (its 16 bits are stored as they are, so ptr16's
# unsigned reads need no sign extension there). encode_block reads e.buf
# (bytearray), e._dt array('H'), e._x, e._zs and e._zc array('i') (ptr32 reads are
# signed machine words: IMU values are sign-extended by hand when read from buf) and
# e._par bytearray; e.nmax is each channel's stride in buf (values). Arithmetic: every
# value is 16-bit (a grid offset is coded only when all of them fit int16; their sum
# on the way, at most 103 * 65535, fits a 32-bit int), so a residual is within
# +-3 * 65535, z below 2**18 and a sub-block's sum of z below 2**21; zz(r) = (r << 1)
# ^ (r >> 31) on a 32-bit int (>> is arithmetic) is the twin's zigzag. The bit
# accumulator acc (a uint) is flushed to whole bytes after each field, so it holds
# at most 7 pending bits and the widest field (the first value's 5 + 16 bits), under
# 2**28. No bounds checks: SampleBlockEncoder.room() and sampleblock._values_at
# guarantee the space.
# ptr8 / ptr16 / ptr32 / uint are viper built-ins: they exist only inside a viper
# function.
# ruff: noqa: F821
import micropython
from micropython import const

# sampleblock_fmt's constants, copied: a const imported from another module would be
# a global lookup here, not a number folded into the code (the test checks they agree)
_IMU_N = const(6)
_HEAD = const(9)
_QMAX = const(12)
_ESC_BITS = const(18)
_K_MAX = const(15)
_ESC_COST = const(31)  # _QMAX + 1 + _ESC_BITS


@micropython.viper
def add_sample(e, dt_us: int, cells, imu):
    """One sample's values into e.buf, 16 bits each at e.vbase + 2 * (channel * e.nmax + index)."""
    b = ptr8(e.buf)
    d = ptr16(e._dt)
    c = ptr16(cells)
    nc = int(e.n_cells)
    n = int(e.n)
    vb = int(e.vbase)
    nm = int(e.nmax)
    d[n] = dt_us
    j = 0
    while j < nc:
        v = int(c[j])
        o = vb + 2 * (j * nm + n)
        b[o] = v & 0xFF
        b[o + 1] = v >> 8
        j += 1
    if imu:  # None, or the 6 IMU axes (viper cannot compare with None)
        im = ptr16(imu)
        o = vb + 2 * (nc * nm + int(e._imu_n))
        j = 0
        while j < _IMU_N:
            v = int(im[j])
            b[o] = v & 0xFF
            b[o + 1] = (v >> 8) & 0xFF
            o += 2 * nm
            j += 1


@micropython.viper
def encode_block(e) -> int:
    """Compress e's block into e.buf (over the stored values); the payload length."""
    b = ptr8(e.buf)
    x = ptr32(e._x)
    zs = ptr32(e._zs)
    zc = ptr32(e._zc)
    par = ptr8(e._par)
    dts = ptr16(e._dt)
    n = int(e.n)
    m = int(e._imu_n)
    nc = int(e.n_cells)
    period = int(e.period_us)
    vb = int(e.vbase)
    nm = int(e.nmax)
    dts[0] = period
    flags = 0
    i = 1
    while i < n:
        if int(dts[i]) != period:
            flags = 1
        i += 1
    if flags:  # the time as grid offsets, when every one fits int16
        flags = 9
        g = 0
        i = 1
        while i < n:
            g += int(dts[i]) - period
            if g < -0x8000 or g > 0x7FFF:
                flags = 1
                break
            i += 1
    o = _HEAD
    if m == n:
        flags |= 2
    elif m:
        flags |= 4
        o += (n + 7) >> 3
    b[8] = flags
    acc = uint(0)  # bits not yet written, LSB first; nb of them (< 8 between fields)
    nb = 0
    ch = 0 if flags & 1 else 1  # 0: time, 1..nc: cells, then IMU axes
    last = nc + (_IMU_N if m else 0)
    while ch <= last:
        # the channel's values into x before anything is written over them, and init
        if ch == 0:
            c = n - 1
            i = 0
            if flags & 8:
                init = 0
                signed = 1
                g = 0
                while i < c:
                    g += int(dts[i + 1]) - period
                    x[i] = g
                    i += 1
            else:
                init = period
                signed = 0
                while i < c:
                    x[i] = dts[i + 1]
                    i += 1
        else:
            signed = 1 if ch > nc else 0
            c = (m if signed else n) - 1
            at = vb + 2 * (ch - 1) * nm
            init = int(b[at]) | (int(b[at + 1]) << 8)  # the first value
            z = init
            if signed:
                if init & 0x8000:
                    init -= 0x10000
                z = (init << 1) if init >= 0 else ((-init << 1) - 1)
            w = 0  # its bit length, in 5 bits, then its bits
            while z >> w:
                w += 1
            acc |= uint(w | (z << 5)) << nb
            nb += 5 + w
            while nb >= 8:
                b[o] = acc & 0xFF
                acc = acc >> 8
                nb -= 8
                o += 1
            i = 0
            while i < c:
                v = int(b[at + 2 * i + 2]) | (int(b[at + 2 * i + 3]) << 8)
                if signed and (v & 0x8000):
                    v -= 0x10000
                x[i] = v
                i += 1
        nsub = (c + 7) >> 3  # sub-blocks of SUB = 8 values
        # each sub-block's (pred, k): the pred with the least sum of z (the first on
        # a tie), then of its k0 - 1, k0, k0 + 1, the sub-block before's (pred, k) and
        # pred 3, the one whose bits and params' bits are fewest (the first on a tie),
        # never a Rice choice over 16 bits a value. zs: the sub-block's z under each
        # pred; zc: the chosen z of every value
        s = 0
        while s < nsub:
            s0 = s << 3
            s1 = s0 + 8
            if s1 > c:
                s1 = c
            cnt = s1 - s0
            bits = cnt << 4  # pred 3's
            g = int(par[s - 1]) if s else 255  # the sub-block before's params
            pp = g & 3  # its pred
            pk = g >> 2  # and k
            # the three preds' z in one pass: zz(r) = (r << 1) ^ (r >> 31) on a
            # 32-bit int (>> is arithmetic), the twin's zigzag
            a0 = 0
            a1 = 0
            a2 = 0
            p1 = int(x[s0 - 1]) if s0 >= 1 else init  # the value before
            p2 = int(x[s0 - 2]) if s0 >= 2 else init  # and the one before it
            j = 0
            i = s0
            while i < s1:
                v = int(x[i])
                z = ((v << 1) ^ (v >> 31)) if signed else v
                zs[j] = z
                a0 += z
                r = v - p1
                z = (r << 1) ^ (r >> 31)
                zs[j + 8] = z
                a1 += z
                r = r - p1 + p2
                z = (r << 1) ^ (r >> 31)
                zs[j + 16] = z
                a2 += z
                p2 = p1
                p1 = v
                j += 1
                i += 1
            bp = 0
            pa = a0
            if a1 < pa:
                pa = a1
                bp = 1
            if a2 < pa:
                pa = a2
                bp = 2
            k0 = 0
            while k0 < _K_MAX and (cnt << k0) < pa:
                k0 += 1
            lo = 0  # the bits at k0 - 1, k0, k0 + 1
            mid = 0
            hi = 0
            j = bp << 3
            i = j + cnt
            while j < i:
                z = int(zs[j])
                q = z >> k0
                mid += (q + 1 + k0) if q < _QMAX else _ESC_COST
                if k0:
                    q = z >> (k0 - 1)
                    lo += (q + k0) if q < _QMAX else _ESC_COST
                q = z >> (k0 + 1)
                hi += (q + 2 + k0) if q < _QMAX else _ESC_COST
                j += 1
            # params' bits (the twin's _param_bits, inline: a viper call costs more):
            # 6 in sub-block 0; after it, 1 for the params before, 3 for their pred
            # with k one off, else 8. Pred 3 (k 0; g 3 or 7: pred 3, k 0 or 1) first,
            # then bp at k0 - 1, k0, k0 + 1; kb: the k before where its pred is bp
            bf = 3
            best = bits + (6 if not s else (1 if g == 3 else (3 if g == 7 else 8)))
            kb = pk if s and pp == bp else -2
            if k0 and lo <= bits:
                d = k0 - 1 - kb
                d = 6 if not s else (1 if d == 0 else (3 if d == 1 or d == -1 else 8))
                if lo + d < best:
                    bf = bp | ((k0 - 1) << 2)
                    best = lo + d
            if mid <= bits:
                d = k0 - kb
                d = 6 if not s else (1 if d == 0 else (3 if d == 1 or d == -1 else 8))
                if mid + d < best:
                    bf = bp | (k0 << 2)
                    best = mid + d
            if k0 < _K_MAX and hi <= bits:
                d = k0 + 1 - kb
                d = 6 if not s else (1 if d == 0 else (3 if d == 1 or d == -1 else 8))
                if hi + d < best:
                    bf = bp | ((k0 + 1) << 2)
                    best = hi + d
            # the sub-block before's (pred, k), when it is none of those: 1 bit
            if s and pp != 3 and (pp != bp or pk < k0 - 1 or pk > k0 + 1):
                a = 0
                j = pp << 3
                i = j + cnt
                while j < i:
                    q = int(zs[j]) >> pk
                    a += (q + 1 + pk) if q < _QMAX else _ESC_COST
                    j += 1
                if a <= bits and a + 1 < best:
                    bf = g
            bp = bf & 3
            j = bp << 3
            i = s0
            while i < s1:
                zc[i] = (int(x[i]) & 0xFFFF) if bp == 3 else int(zs[j])
                j += 1
                i += 1
            f = bf
            if s:
                dk = (f >> 2) - pk
                if f == g:
                    nb += 1  # 0: as the sub-block before
                elif (f ^ g) & 3 == 0 and (dk == 1 or dk == -1):
                    acc |= uint(1 if dk == 1 else 5) << nb
                    nb += 3  # 10 then 0: k + 1, 1: k - 1 (the same pred)
                else:
                    acc |= uint(3 | (f << 2)) << nb
                    nb += 8  # 11 then the 6 bits
            else:
                acc |= uint(f) << nb
                nb += 6
            par[s] = f
            while nb >= 8:
                b[o] = acc & 0xFF
                acc = acc >> 8
                nb -= 8
                o += 1
            s += 1
        i = 0
        while i < c:  # unary
            f = int(par[i >> 3])
            if f & 3 != 3:
                q = int(zc[i]) >> (f >> 2)
                if q > _QMAX:
                    q = _QMAX
                acc |= uint((1 << q) - 1) << nb
                nb += q + 1
                while nb >= 8:
                    b[o] = acc & 0xFF
                    acc = acc >> 8
                    nb -= 8
                    o += 1
            i += 1
        i = 0
        while i < c:  # tails
            f = int(par[i >> 3])
            k = f >> 2
            v = int(zc[i])
            if f & 3 == 3:
                w = 16
            elif v >> k >= _QMAX:
                w = _ESC_BITS
            else:
                w = k
                v &= (1 << k) - 1
            acc |= uint(v) << nb
            nb += w
            while nb >= 8:
                b[o] = acc & 0xFF
                acc = acc >> 8
                nb -= 8
                o += 1
            i += 1
        ch += 1
    if nb:
        b[o] = acc & 0xFF
        o += 1
    return o
