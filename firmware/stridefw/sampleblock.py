# SampleBlock: the pod's compressed raw samples, one wire format for both ends.
#
# Raw samples are stored as SampleBlock records (records.REC_SAMPLE_BLOCK, type 32,
# frame version 2; version 1, varints, still reads: sampleblock_v1). A block holds up
# to 64 consecutive samples and decodes on its own. Each channel (the time, each
# cell, each IMU axis) is predicted and its residuals Rice-coded in sub-blocks of 8
# values, each with its own predictor and Rice parameter k: a foot in swing (cells
# near 0, noise) and in stance (ramps, impacts) wants different ones within 0.1 s.
#
# Payload, little endian:
#   0 t0_us u32      session time of the first sample (us, like Sample.t_us)
#   4 period_us u16  nominal sample period
#   6 n_cells u8
#   7 n u8           samples in this block, 1..64
#   8 flags u8       bit 0: a time channel follows (else every dt_us is period_us);
#                    bits 1-2: IMU in no sample (0), in every sample (1), or in the
#                    samples a bitmap marks (2: ceil(n / 8) bytes from 9, bit i (LSB
#                    first) for sample i, bits past n 0); other bits 0
#   then one bit stream to the end: LSB first in each byte, a field's bit 0 first,
#   zero bits padding the last byte. Channel after channel:
#     time (if flags bit 0): dt_us of samples 1..n-1 coded after init = period_us
#     each cell, then each IMU axis (if any sample has IMU; its values are those
#     samples'): the first value as w (5 bits, 0..16) and w bits of z0 (the value
#     for a cell, zz(value) for an IMU axis; its top bit set unless w = 0), then
#     the other values coded after init = the first.
#   c values coded after init, in sub-blocks of SUB (the last may be shorter):
#     params: per sub-block f = pred | k << 2 (6 bits). The first sub-block's f in
#       6 bits; each later one: 0 = the previous f; 100 = k + 1, 101 = k - 1 (the
#       same pred); 11 then f in 6 bits.
#     unary: per value not in a pred-3 sub-block, q one bits then a zero bit:
#       q = z >> k, or QMAX when that is QMAX or more (an escape).
#     tails: per value: pred 3: its 16 bits (two's complement for IMU); an escape:
#       z in ESC_BITS bits; else the low k bits of z.
#   z = zz(value - prediction), zz(r) = 2r for r >= 0, -2r - 1 for r < 0; but pred 0
#   on an unsigned channel (time, cells): z = the value. p1, p2: the two values
#   before (init where there is none): pred 0: 0; pred 1: p1; pred 2: 2 * p1 - p2.
# Which pred and k the encoder picks is its own business (encode_block_py says
# how); a decoder needs only the fields above. Escapes and pred 3 keep
# every sub-block at or under 16 bits a value, which is what lets encode_block write
# the payload over the values it has read (_values_at).
import array

from stridefw.compat import const
from stridefw.sampleblock_v1 import decode_v1

SAMPLE_BLOCK_VERSION = const(2)

BLOCK_MAX_SAMPLES = const(64)
SUB = const(8)  # values per sub-block: one (pred, k) each
QMAX = const(12)  # a quotient of QMAX or more is an escape
ESC_BITS = const(18)  # every z fits: |residual| <= 3 * 65535 -> z < 2**18
K_MAX = const(15)
_IMU_N = const(6)
MAX_CELLS = const(16)  # the mux's most; keeps a block under records.MAX_PAYLOAD
_HEAD = const(9)
DT_MAX_US = const(65535)  # a larger gap starts a new block (dt is a 16-bit value)


def _values_at(n_cells):
    # Where add() puts the values in buf: after room for everything encode_block can
    # write before it reaches them. A channel of c values takes at most 16 c bits
    # (pred 3) + 5 (the first value's length) + its params (6 + 8 per later
    # sub-block); the time channel 16 bits per dt. So channel j's output never
    # passes the start of channel j + 1's values, the only ones not yet read.
    nsub = BLOCK_MAX_SAMPLES // SUB
    over = 5 + 6 + 8 * (nsub - 1)
    time_bits = 6 + 8 * (nsub - 1) + 16 * (BLOCK_MAX_SAMPLES - 1)
    return _HEAD + BLOCK_MAX_SAMPLES // 8 + (time_bits + (n_cells + _IMU_N) * over + 7) // 8 + 1


class SampleBlockEncoder:
    """Collects up to 64 samples, then compresses them in place into one payload.

    add() stores each value as 16 bits; encode() Rice-codes the block over the
    values it has read, so one buffer of 2 B a value holds both."""

    def __init__(self, n_cells, period_us):
        if not 0 <= n_cells <= MAX_CELLS:
            raise ValueError("SampleBlock of %d cells (0..16)" % n_cells)
        self.n_cells = n_cells
        self.period_us = period_us
        self.vbase = _values_at(n_cells)
        self.buf = bytearray(self.vbase + 2 * BLOCK_MAX_SAMPLES * (n_cells + _IMU_N))
        self._dt = array.array("H", bytes(2 * BLOCK_MAX_SAMPLES))
        self._x = array.array("i", bytes(4 * BLOCK_MAX_SAMPLES))  # one channel, for encode
        self._zc = array.array("i", bytes(4 * BLOCK_MAX_SAMPLES))  # its chosen residuals
        self._zs = array.array("i", bytes(4 * 3 * SUB))  # a sub-block's under pred 0, 1, 2
        self._par = bytearray(BLOCK_MAX_SAMPLES // SUB)  # its sub-blocks' pred | k << 2
        self.n = 0
        self.len = 0
        self._imu_n = 0
        self._vp_cells = None  # the arrays add() has checked for the viper loop
        self._vp_imu = None

    def start(self, t, wraps):
        """New block whose first sample is at session time wraps * 2**30 + t."""
        b = self.buf
        b[0] = t & 0xFF
        b[1] = (t >> 8) & 0xFF
        b[2] = (t >> 16) & 0xFF
        b[3] = ((t >> 24) & 0x3F) | ((wraps & 3) << 6)
        b[4] = self.period_us & 0xFF
        b[5] = (self.period_us >> 8) & 0xFF
        b[6] = self.n_cells
        b[7] = 0
        for i in range(_HEAD, _HEAD + BLOCK_MAX_SAMPLES // 8):
            b[i] = 0  # the IMU bitmap
        self.n = 0
        self._imu_n = 0
        self.len = 0

    def room(self):
        return self.n < BLOCK_MAX_SAMPLES

    def add(self, dt_us, cells, imu):
        """Append one sample (dt_us since the previous one; ignored for the first).

        ValueError on a full block (check room()), a dt_us outside 0..DT_MAX_US or a
        value outside 16 bits (cells unsigned, IMU signed)."""
        if self.n >= BLOCK_MAX_SAMPLES:
            raise ValueError("SampleBlock full: check room() before add()")
        if not 0 <= dt_us <= DT_MAX_US:
            if self.n:
                raise ValueError("SampleBlock dt_us outside 0..65535: start a new block")
            dt_us = self.period_us
        if cells is self._vp_cells and (imu is None or imu is self._vp_imu):
            _add_vp(self, dt_us, cells, imu)
        else:
            self._pick(cells, imu)(self, dt_us, cells, imu)
        if imu is not None:
            self.buf[_HEAD + (self.n >> 3)] |= 1 << (self.n & 7)
            self._imu_n += 1
        self.n += 1

    def _pick(self, cells, imu):
        # The viper loop only for the pod's own arrays: cells array('H'), imu
        # array('h'), whose values are 16-bit by type. Checked once per array object,
        # so the check's allocation (repr) is not per sample; lists and others: the
        # twin, which checks each value. Without the viper emitter the twin is all
        # there is.
        if (
            _add_vp is add_sample_py
            or not _typed(cells, "H", self.n_cells)
            or not (imu is None or _typed(imu, "h", _IMU_N))
        ):
            return add_sample_py
        self._vp_cells = cells
        if imu is not None:
            self._vp_imu = imu
        return _add_vp

    def encode(self):
        """Compress the block into buf[:len] (over the stored values) and return len.

        Call once, after the last add(); start() begins the next block."""
        if self.n == 0:
            raise ValueError("SampleBlock empty: nothing to encode")
        self.buf[7] = self.n
        self.len = _encode_vp(self)
        return self.len


def _typed(a, typecode, n):
    # repr is "array('H', [...])" on CPython and MicroPython alike; a MicroPython
    # array never shrinks, so its length need not be checked again
    return type(a) is array.array and len(a) >= n and repr(a)[7] == typecode


def add_sample_py(e, dt_us, cells, imu):
    """Plain twin of sampleblock_vp.add_sample: one sample's values into e.buf, each
    as 16 bits at e.vbase + 2 * (channel * 64 + index); any ints, checked."""
    b = e.buf
    nc = e.n_cells
    n = e.n
    e._dt[n] = dt_us
    for j in range(nc):
        v = cells[j]
        if not 0 <= v <= 0xFFFF:
            raise ValueError("SampleBlock cell value outside 0..65535")
        o = e.vbase + 2 * (j * BLOCK_MAX_SAMPLES + n)
        b[o] = v & 0xFF
        b[o + 1] = v >> 8
    if imu is not None:
        m = e._imu_n
        for j in range(_IMU_N):
            v = imu[j]
            if not -0x8000 <= v <= 0x7FFF:
                raise ValueError("SampleBlock IMU value outside int16")
            o = e.vbase + 2 * ((nc + j) * BLOCK_MAX_SAMPLES + m)
            b[o] = v & 0xFF
            b[o + 1] = (v >> 8) & 0xFF


def encode_block_py(e):
    """Plain twin of sampleblock_vp.encode_block, step for step; returns the length."""
    b = e.buf
    x = e._x
    zs = e._zs
    zc = e._zc
    par = e._par
    n = e.n
    m = e._imu_n
    nc = e.n_cells
    period = e.period_us
    dts = e._dt
    dts[0] = period
    flags = 0
    for i in range(1, n):
        if dts[i] != period:
            flags = 1
    o = _HEAD
    if m == n:
        flags |= 2
    elif m:
        flags |= 4
        o += (n + 7) >> 3
    b[8] = flags
    acc = 0  # bits not yet written, LSB first; nb of them (< 8 between values)
    nb = 0
    ch = 0 if flags & 1 else 1  # 0: time, 1..nc: cells, then IMU axes
    last = nc + (_IMU_N if m else 0)
    while ch <= last:
        # the values the channel codes into x (before anything is written over them),
        # and init, what predicts the first of them
        if ch == 0:
            c = n - 1
            init = period
            signed = 0
            for i in range(c):
                x[i] = dts[i + 1]
        else:
            imu_axis = ch > nc
            c = (m if imu_axis else n) - 1
            signed = 1 if imu_axis else 0
            at = e.vbase + 2 * (ch - 1) * BLOCK_MAX_SAMPLES
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
        # each sub-block's (pred, k), as FLAC picks a fixed predictor: the pred with
        # the least sum of z, then the cheapest k near its mean, else pred 3.
        # zs: the sub-block's z under each pred; zc: the chosen z of every value
        for s in range(nsub):
            s0 = s * SUB
            s1 = min(s0 + SUB, c)
            cnt = s1 - s0
            best = 16 * cnt
            bp = 3
            bk = 0
            # the pred whose residuals are smallest (sum of z; the first on a tie)
            pa = 0
            for p in range(3):
                a = 0
                p1 = x[s0 - 1] if s0 >= 1 else init
                p2 = x[s0 - 2] if s0 >= 2 else init
                for i in range(s0, s1):
                    v = x[i]
                    if p == 0:
                        r = v
                    elif p == 1:
                        r = v - p1
                    else:
                        r = v - 2 * p1 + p2
                    p2 = p1
                    p1 = v
                    z = r if p == 0 and not signed else ((r << 1) if r >= 0 else ((-r << 1) - 1))
                    zs[p * SUB + i - s0] = z
                    a += z
                if p == 0 or a < pa:
                    pa = a
                    bp = p
            # its Rice k: k0, the least with cnt << k0 >= the sum, or one either side,
            # whichever costs least, counted in one pass (an escape: QMAX + 1 +
            # ESC_BITS); 16 bits a value (pred 3) unless one is cheaper
            k0 = 0
            while k0 < K_MAX and (cnt << k0) < pa:
                k0 += 1
            lo = 0 if k0 else best
            mid = 0
            hi = 0 if k0 < K_MAX else best
            for i in range(bp * SUB, bp * SUB + cnt):
                q = zs[i] >> k0
                mid += q + 1 + k0 if q < QMAX else QMAX + 1 + ESC_BITS
                if k0:
                    q = zs[i] >> (k0 - 1)
                    lo += q + k0 if q < QMAX else QMAX + 1 + ESC_BITS
                q = zs[i] >> (k0 + 1)
                hi += q + 2 + k0 if q < QMAX else QMAX + 1 + ESC_BITS
            p = bp
            bp = 3
            if lo < best:
                best = lo
                bp = p
                bk = k0 - 1
            if mid < best:
                best = mid
                bp = p
                bk = k0
            if hi < best:
                best = hi
                bp = p
                bk = k0 + 1
            for i in range(s0, s1):
                zc[i] = x[i] & 0xFFFF if bp == 3 else zs[bp * SUB + i - s0]
            f = bp | (bk << 2)
            if s and f == par[s - 1]:
                nb += 1  # 0: as the sub-block before
            elif s and (f ^ par[s - 1]) & 3 == 0 and (f >> 2) - (par[s - 1] >> 2) in (1, -1):
                acc |= (1 | (0 if f > par[s - 1] else 4)) << nb
                nb += 3  # 10 then 0: k + 1, 1: k - 1 (the same pred)
            elif s:
                acc |= (3 | (f << 2)) << nb
                nb += 8  # 11 then the 6 bits
            else:
                acc |= f << nb
                nb += 6
            par[s] = f
            while nb >= 8:
                b[o] = acc & 0xFF
                acc >>= 8
                nb -= 8
                o += 1
        for i in range(c):  # unary
            f = par[i // SUB]
            if f & 3 == 3:
                continue
            q = zc[i] >> (f >> 2)
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
            k = f >> 2
            v = zc[i]
            if f & 3 == 3:
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


try:  # the pod: viper (sampleblock_vp says why it is a module of its own)
    from stridefw.sampleblock_vp import add_sample as _add_vp
    from stridefw.sampleblock_vp import encode_block as _encode_vp

    SAMPLE_LOOP = "viper"
except (ImportError, SyntaxError):  # CPython, or a port without the viper emitter
    _add_vp = add_sample_py
    _encode_vp = encode_block_py
    SAMPLE_LOOP = "python"


def decode_sample_block(payload, version):
    """(t_us list, cells list of tuples, imu list of tuples or None); ValueError if bad.

    version: the frame's (Record.version). Times are u32 session microseconds like
    Sample.t_us. Not for the hot path (stridekit.fastblocks reads many blocks at once).
    """
    if version == 1:
        return decode_v1(payload)
    if version != SAMPLE_BLOCK_VERSION:
        raise ValueError("SampleBlock version %d unknown" % version)
    end = len(payload)
    if end < _HEAD:
        raise ValueError("SampleBlock payload truncated")
    t = payload[0] | (payload[1] << 8) | (payload[2] << 16) | (payload[3] << 24)
    period = payload[4] | (payload[5] << 8)
    nc = payload[6]
    n = payload[7]
    flags = payload[8]
    if n == 0 or n > BLOCK_MAX_SAMPLES:
        raise ValueError("SampleBlock of %d samples" % n)
    if flags & 0xF8 or (flags & 6) == 6:
        raise ValueError("SampleBlock flags 0x%02x unknown" % flags)
    o = _HEAD
    present = [(flags & 2) != 0] * n
    if flags & 4:
        nbm = (n + 7) >> 3
        if end < o + nbm:
            raise ValueError("SampleBlock payload truncated in the IMU bitmap")
        for i in range(n):
            present[i] = ((payload[o + (i >> 3)] >> (i & 7)) & 1) == 1
        if payload[o + nbm - 1] >> (((n - 1) & 7) + 1):
            raise ValueError("SampleBlock IMU bitmap has bits beyond its samples")
        o += nbm
    m = sum(1 for p in present if p)
    rd = _Bits(payload, o)
    dts = [period] + (_coded(rd, n - 1, period, False) if flags & 1 else [period] * (n - 1))
    cols = [_channel(rd, n, False) for _ in range(nc)]
    axes = [_channel(rd, m, True) for _ in range(_IMU_N)] if m else []
    used = (rd.pos + 7) >> 3
    if used != end:
        raise ValueError("SampleBlock has %d bytes after its samples" % (end - used))
    if rd.pos & 7 and payload[end - 1] >> (rd.pos & 7):
        raise ValueError("SampleBlock padding bits are not zero")
    ts = []
    for i in range(n):
        if i:
            t = (t + dts[i]) & 0xFFFFFFFF
        ts.append(t)
    cells_out = [tuple(col[i] for col in cols) for i in range(n)]
    imu_out = []
    k = 0
    for i in range(n):
        if present[i]:
            imu_out.append(tuple(ax[k] for ax in axes))
            k += 1
        else:
            imu_out.append(None)
    return ts, cells_out, imu_out


class _Bits:
    """LSB-first bit reader over a payload; ValueError past its end."""

    def __init__(self, data, byte_at):
        self.data = data
        self.pos = 8 * byte_at

    def read(self, width):
        v = 0
        for k in range(width):
            p = self.pos
            if p >> 3 >= len(self.data):
                raise ValueError("SampleBlock payload truncated")
            v |= ((self.data[p >> 3] >> (p & 7)) & 1) << k
            self.pos = p + 1
        return v


def _channel(rd, c, signed):
    # a cell's or an IMU axis's c values: the first in 16 bits, then the coded rest
    w = rd.read(5)
    if w > 16:
        raise ValueError("SampleBlock first value of %d bits" % w)
    z = rd.read(w)
    if w and not z >> (w - 1):
        raise ValueError("SampleBlock first value shorter than its bit length")
    first = (-((z + 1) >> 1) if z & 1 else z >> 1) if signed else z
    return [first] + _coded(rd, c - 1, first, signed)


def _coded(rd, c, init, signed):
    # c values Rice-coded after init (the format at the top)
    nsub = (c + SUB - 1) // SUB
    par = []
    for s in range(nsub):
        if s == 0:
            par.append(rd.read(6))
        elif not rd.read(1):
            par.append(par[s - 1])
        elif not rd.read(1):
            f = par[s - 1] + (-4 if rd.read(1) else 4)
            if not 0 <= f >> 2 <= K_MAX or f & 3 == 3:
                raise ValueError("SampleBlock k step outside 0..15")
            par.append(f)
        else:
            par.append(rd.read(6))
    for f in par:
        if (f & 3) == 3 and f >> 2:
            raise ValueError("SampleBlock verbatim sub-block with k %d" % (f >> 2))
    qs = [0] * c
    for i in range(c):
        if (par[i // SUB] & 3) != 3:
            q = 0
            while rd.read(1):
                q += 1
                if q > QMAX:
                    raise ValueError("SampleBlock unary code longer than %d" % QMAX)
            qs[i] = q
    out = []
    lo, hi = (-0x8000, 0x7FFF) if signed else (0, 0xFFFF)
    for i in range(c):
        p = par[i // SUB] & 3
        k = par[i // SUB] >> 2
        if p == 3:
            v = rd.read(16)
            if signed and v & 0x8000:
                v -= 0x10000
        else:
            z = rd.read(ESC_BITS) if qs[i] == QMAX else (qs[i] << k) | rd.read(k)
            if p == 0 and not signed:
                v = z
            else:
                r = (z >> 1) if not (z & 1) else -((z + 1) >> 1)
                if p == 0:
                    pred = 0
                else:
                    p1 = out[i - 1] if i >= 1 else init
                    if p == 1:
                        pred = p1
                    else:
                        pred = 2 * p1 - (out[i - 2] if i >= 2 else init)
                v = pred + r
        if not lo <= v <= hi:
            raise ValueError("SampleBlock value %d outside %d..%d" % (v, lo, hi))
        out.append(v)
    return out
