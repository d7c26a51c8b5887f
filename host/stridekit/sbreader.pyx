# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False, nonecheck=False, overflowcheck=False
"""SampleBlocks of versions 4, 3 and 2 read in C, a run at once: the host's replay reader.

Compiled by stridekit.native_build into build/native (never imported from this
folder: there is no pure-Python fallback of this file, the fallback is
stridekit.fastblocks.decode_blocks) and loaded by stridekit.native only while this
file hashes as it did at the build. A .pyx rather than Cython's pure-Python mode
because the file is C in all but syntax: uint64 bit windows, pointers into the
output arrays, an inline C helper; as plain Python it would be a reader nobody
should run, and ruff and pyright would check a dialect they do not know.

It mirrors stridefw.sampleblock_read (the format: stridefw.sampleblock_fmt) step by
step, block after block: the same fields in the same order and every check the
firmware's reader makes, with its two leniencies (an escape where the normal code
would fit; an IMU bitmap with every bit set or none), so it reads exactly the
blocks that reader reads, to the same samples, and refuses (None) the rest.
"""

from libc.stdint cimport int64_t, uint8_t, uint32_t, uint64_t

import numpy as np

from stridefw import sampleblock_fmt as _fmt

cdef extern from *:
    """
    /* 8 bytes at p, little endian (gcc and clang make it one load where they can) */
    static inline unsigned long long sbr_window(const unsigned char *p) {
        return (unsigned long long)p[0] | ((unsigned long long)p[1] << 8)
            | ((unsigned long long)p[2] << 16) | ((unsigned long long)p[3] << 24)
            | ((unsigned long long)p[4] << 32) | ((unsigned long long)p[5] << 40)
            | ((unsigned long long)p[6] << 48) | ((unsigned long long)p[7] << 56);
    }
    /* how many one bits w starts with (LSB first) */
    static inline int sbr_ones(unsigned long long w) {
    #if defined(__GNUC__) || defined(__clang__)
        return ~w ? __builtin_ctzll(~w) : 64;
    #else
        int q = 0;
        while (w & 1) { w >>= 1; q++; }
        return q;
    #endif
    }
    """
    uint64_t sbr_window(const uint8_t *p) noexcept nogil
    int sbr_ones(uint64_t w) noexcept nogil

# the format's numbers (checked against stridefw.sampleblock_fmt below)
cdef enum:
    HEAD = 9
    MAX_N = 104  # samples in a block: versions 3 and 4
    V2_MAX_N = 64  # version 2
    MAX_SUBS = 13  # sub-blocks of a channel's MAX_N - 1 coded values
    SUB = 8
    QMAX = 12
    ESC_BITS = 18
    K_MAX = 15
    IMU_N = 6
    PAD = 16  # zero bytes after the run: a window read at a block's last bit stays inside

VERSION = 4  # the newest version it reads (decode_blocks takes 3 and 2 too)
if (
    _fmt.SAMPLE_BLOCK_VERSION, _fmt.HEAD_BYTES, _fmt.BLOCK_MAX_SAMPLES, _fmt.V2_MAX_SAMPLES,
    _fmt.SUB, _fmt.QMAX, _fmt.ESC_BITS, _fmt.K_MAX, _fmt.IMU_N,
) != (VERSION, HEAD, MAX_N, V2_MAX_N, SUB, QMAX, ESC_BITS, K_MAX, IMU_N) or (
    MAX_SUBS * SUB < MAX_N - 1
):
    # another format would read wrong samples: refuse to load (stridekit.native
    # then keeps the numpy reader)
    raise ImportError("stridekit.sbreader reads another SampleBlock format than sampleblock_fmt")


ctypedef struct Bits:
    const uint8_t *buf  # the run's bytes, PAD zero bytes after
    int64_t pos  # the cursor, a bit offset in buf
    int64_t end  # the bit offset of the block's end


cdef inline int64_t take(Bits *b, int width) noexcept nogil:
    # width (<= 25) bits at the cursor, its bit 0 first; -1 past the block's end
    # (the firmware's _Bits.read: a width of 0 reads nothing and never fails)
    cdef int64_t p = b.pos
    if p + width > b.end:
        return -1
    b.pos = p + width
    return <int64_t>((sbr_window(b.buf + (p >> 3)) >> (p & 7)) & ((<uint64_t>1 << width) - 1))


cdef inline int64_t unzz(int64_t z) noexcept nogil:
    return (z >> 1) if not (z & 1) else -((z + 1) >> 1)


cdef int coded(
    Bits *bp, int c, int64_t *v, bint signed, bint wide, const int64_t *nb
) noexcept nogil:
    # sampleblock_read._coded: c values coded after init = v[0], into v[1..c]; -1 if
    # refused. wide: preds 4 and 5 are in the format (version 4); nb: the neighbour
    # channel's values nb[0..c] (pred 4), or NULL where there is none
    cdef Bits r = bp[0]  # the cursor a local: the stores to v then cannot move it
    cdef Bits *b = &r
    cdef int nsub = (c + SUB - 1) // SUB
    cdef int preds[MAX_SUBS]
    cdef int ks[MAX_SUBS]
    cdef int qs[MAX_N]
    cdef int s, i, p, k, q, avail
    cdef bint full
    cdef uint64_t w = 0
    cdef int64_t x, z, d, pred, val, lo, hi
    # sampleblock_read._params: each sub-block's (pred, k)
    p = 0
    k = 0
    for s in range(nsub):
        full = s == 0
        if not full:
            x = take(b, 1)
            if x < 0:
                return -1
            if x:  # else the sub-block before's
                x = take(b, 1)
                if x < 0:
                    return -1
                if x:
                    full = True
                else:
                    x = take(b, 1)
                    if x < 0:
                        return -1
                    k += -1 if x else 1
                    # k outside 0..15, or a step on a verbatim sub-block
                    if k < 0 or k > K_MAX or p == 3:
                        return -1
        if full:
            x = take(b, 6)  # F = pred | k << 2
            if x < 0:
                return -1
            p = <int>(x & 3)
            k = <int>(x >> 2)
            if p == 3 and k:
                # preds 4 and 5 (F = 3 | (pred - 3) << 2, then k in 4 bits); a verbatim
                # sub-block with a k where the version has no such preds
                if not wide or k > 2:
                    return -1
                p = 3 + k
                x = take(b, 4)
                if x < 0:
                    return -1
                k = <int>x
            if p == 4 and nb == NULL:
                return -1  # pred 4 on a channel without a neighbour
        preds[s] = p
        ks[s] = k
    # unary codes, q one bits then a zero, from a 64-bit window of the stream holding
    # at least QMAX + 1 bits from the cursor: q > QMAX shows as QMAX + 1 ones in it (the
    # firmware reads one bit at a time and fails at the bit that breaks a rule)
    avail = 0
    for i in range(c):
        qs[i] = 0
        if preds[i // SUB] != 3:
            if avail <= QMAX:
                w = sbr_window(r.buf + (r.pos >> 3)) >> (r.pos & 7)
                avail = 64 - <int>(r.pos & 7)
            q = sbr_ones(w)
            if q > QMAX or r.pos + q + 1 > r.end:
                return -1
            w >>= q + 1
            avail -= q + 1
            r.pos += q + 1
            qs[i] = q
    if signed:
        lo = -0x8000
        hi = 0x7FFF
    else:
        lo = 0
        hi = 0xFFFF
    for i in range(c):
        p = preds[i // SUB]
        k = ks[i // SUB]
        if p == 3:
            x = take(b, 16)
            if x < 0:
                return -1
            if signed and (x & 0x8000):
                x -= 0x10000
            val = x
        else:
            if qs[i] == QMAX:
                z = take(b, ESC_BITS)
                if z < 0:
                    return -1
            else:
                x = take(b, k)
                if x < 0:
                    return -1
                z = (<int64_t>qs[i] << k) | x
            if p == 0 and not signed:
                val = z
            else:
                d = unzz(z)
                # p1 = v[i], p2, p3 the values before it (v[0], init, where there is none)
                if p == 0:
                    pred = 0
                elif p == 1:
                    pred = v[i]
                elif p == 2:
                    pred = 2 * v[i] - v[i - 1 if i >= 1 else 0]
                elif p == 5:
                    pred = 3 * v[i] - 3 * v[i - 1 if i >= 1 else 0] + v[i - 2 if i >= 2 else 0]
                else:  # 4: linear, plus the neighbour's second difference at this sample
                    pred = (
                        2 * v[i] - v[i - 1 if i >= 1 else 0]
                        + nb[i + 1] - 2 * nb[i] + nb[i - 1 if i >= 1 else 0]
                    )
                val = pred + d
        if val < lo or val > hi:
            return -1
        v[i + 1] = val
    bp[0] = r
    return 0


cdef int channel(
    Bits *b, int c, int64_t *v, bint signed, bint wide, const int64_t *nb
) noexcept nogil:
    # sampleblock_read._channel: c (>= 1) values into v[0..c-1]; -1 if refused. nb:
    # the neighbour channel's c values, or NULL (coded)
    cdef int64_t w = take(b, 5)
    cdef int64_t z
    if w < 0 or w > 16:
        return -1
    z = take(b, <int>w)
    if z < 0:
        return -1
    if w and not (z >> (w - 1)):
        return -1  # the first value shorter than its bit length
    v[0] = unzz(z) if signed else z
    return coded(b, c - 1, v, signed, wide, nb)


cdef int block(
    const uint8_t *buf, int64_t base, int64_t size, int nc, int version,
    uint32_t *t_out, int64_t *cells_out, int64_t *imu_out, uint8_t *present_out,
) noexcept nogil:
    # sampleblock_read.decode_sample_block (version 4, 3 or 2) of the block at
    # buf[base:base + size] into the output rows from the pointers on; its n, or -1 if
    # refused
    cdef const uint8_t *pl = buf + base
    cdef int n = pl[7]
    cdef int flags = pl[8]
    cdef int64_t o = HEAD
    cdef int nbm, i, j, a, m, kk
    cdef uint32_t t
    cdef int64_t period = pl[4] | (pl[5] << 8)
    cdef int64_t off, prev, dt
    cdef int64_t vals[MAX_N]
    cdef int64_t cols[2][MAX_N]  # cell j's values in cols[j & 1]: the one before, its neighbour's
    cdef int64_t axes[IMU_N][MAX_N]
    cdef uint8_t present[MAX_N]
    cdef Bits b
    cdef const int64_t *nbp  # the neighbour channel's values (pred 4), or NULL
    cdef bint wide = version >= 4  # preds 4 and 5
    if n == 0 or n > (V2_MAX_N if version == 2 else MAX_N):
        return -1
    # flag bits it does not know (bit 3 not in version 2), IMU both everywhere and by
    # bitmap, grid offsets without a time channel
    if (flags & (0xF8 if version == 2 else 0xF0)) or (flags & 6) == 6 or (flags & 9) == 8:
        return -1
    for i in range(n):
        present[i] = 1 if (flags & 2) else 0
    if flags & 4:
        nbm = (n + 7) >> 3
        if size < o + nbm:
            return -1
        for i in range(n):
            present[i] = (pl[o + (i >> 3)] >> (i & 7)) & 1
        if pl[o + nbm - 1] >> (((n - 1) & 7) + 1):
            return -1  # bitmap bits past the samples
        o += nbm
    m = 0
    for i in range(n):
        m += present[i]
    b.buf = buf
    b.pos = 8 * (base + o)
    b.end = 8 * (base + size)
    # time: dts after period (vals[0] = period is the first sample's, unused)
    vals[0] = period
    if flags & 8:
        # grid offsets (int16, after init 0), each sample's dt from its offset and
        # the one before (o_0 = 0): sampleblock_read._dts_from_grid
        vals[0] = 0
        if coded(&b, n - 1, vals, True, wide, NULL) < 0:
            return -1
        prev = 0
        for i in range(1, n):
            off = vals[i]
            dt = period + off - prev
            if dt < 0 or dt > 0xFFFF:
                return -1
            vals[i] = dt
            prev = off
    elif flags & 1:
        if coded(&b, n - 1, vals, False, wide, NULL) < 0:
            return -1
    else:
        for i in range(1, n):
            vals[i] = period
    t = <uint32_t>(pl[0] | (pl[1] << 8) | (pl[2] << 16) | (<uint32_t>pl[3] << 24))
    t_out[0] = t
    for i in range(1, n):
        t = t + <uint32_t>vals[i]  # mod 2**32, as the firmware's & 0xFFFFFFFF
        t_out[i] = t
    for j in range(nc):
        nbp = &cols[(j - 1) & 1][0] if j else NULL
        if channel(&b, n, &cols[j & 1][0], False, wide, nbp) < 0:
            return -1
        for i in range(n):
            cells_out[i * nc + j] = cols[j & 1][i]
    if m:
        for a in range(IMU_N):
            nbp = &axes[a - 1][0] if a else NULL
            if channel(&b, m, &axes[a][0], True, wide, nbp) < 0:
                return -1
    # the stream ends in the block's last byte, zero bits after it
    if (b.pos + 7) >> 3 != base + size:
        return -1
    if (b.pos & 7) and (buf[base + size - 1] >> (b.pos & 7)):
        return -1
    kk = 0
    for i in range(n):
        present_out[i] = present[i]
        if present[i]:
            for a in range(IMU_N):
                imu_out[i * IMU_N + a] = axes[a][kk]
            kk += 1
        else:
            for a in range(IMU_N):
                imu_out[i * IMU_N + a] = 0
    return n


def decode_blocks(list payloads, int version=VERSION):
    """Consecutive SampleBlocks of one cell count and of the frames' version (4, 3 or
    2) decoded at once.

    Returns what stridekit.fastblocks.decode_blocks returns: (t_us uint32, cells
    (samples, n_cells) int64, imu (samples, 6) int64, imu_present bool), imu rows of
    samples without IMU zeros; None if any block is not read exactly as
    stridefw.sampleblock_read reads it at that version, the cell counts differ, or
    the version is another.
    """
    cdef Py_ssize_t nb = len(payloads)
    cdef Py_ssize_t i
    cdef int64_t total = 0
    cdef int64_t row = 0
    cdef int64_t base = 0
    cdef int nc = 0
    cdef int got = 0
    cdef int n_max = V2_MAX_N if version == 2 else MAX_N
    if nb == 0 or version < 2 or version > VERSION:
        return None
    sizes_arr = np.empty(nb, np.int64)
    cdef int64_t[::1] sizes = sizes_arr
    data = b"".join(payloads) + bytes(PAD)
    cdef const uint8_t[::1] buf = data
    for i in range(nb):
        sizes[i] = len(payloads[i])
    # the heads: every block long enough for one, one cell count, 1..n_max samples
    for i in range(nb):
        if sizes[i] < HEAD:
            return None
        if i == 0:
            nc = buf[6]
        elif buf[base + 6] != nc:
            return None
        if buf[base + 7] == 0 or buf[base + 7] > n_max:
            return None
        total += buf[base + 7]
        base += sizes[i]
    t_arr = np.empty(total, np.uint32)
    cells_arr = np.empty(total * nc, np.int64)
    imu_arr = np.empty(total * IMU_N, np.int64)
    present_arr = np.empty(total, np.uint8)
    cdef uint32_t[::1] t_v = t_arr
    cdef int64_t[::1] imu_v = imu_arr
    cdef uint8_t[::1] present_v = present_arr
    cdef int64_t[::1] cells_v = cells_arr
    cdef int64_t *cells_p = &cells_v[0] if nc else NULL
    base = 0
    with nogil:
        for i in range(nb):
            got = block(
                &buf[0], base, sizes[i], nc, version, &t_v[row],
                cells_p + row * nc if nc else NULL,
                &imu_v[row * IMU_N], &present_v[row],
            )
            if got < 0:
                break
            row += got
            base += sizes[i]
    if got < 0:
        return None
    return (
        t_arr,
        cells_arr.reshape(total, nc),
        imu_arr.reshape(total, IMU_N),
        present_arr.view(np.bool_),
    )
