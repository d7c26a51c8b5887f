# SampleBlock reader: payload -> samples, every version; hosts only (the pod writes
# blocks, it never reads them). Versions 4, 3 and 2: sampleblock_fmt; version 1:
# sampleblock_v1. Plain and sequential: the one definition the host's numpy reader
# (stridekit.fastblocks) is held to.
from stridefw.sampleblock_fmt import (
    BLOCK_MAX_SAMPLES,
    ESC_BITS,
    HEAD_BYTES,
    IMU_N,
    K_MAX,
    QMAX,
    SAMPLE_BLOCK_VERSION,
    SUB,
    V2_MAX_SAMPLES,
)
from stridefw.sampleblock_v1 import decode_v1


def decode_sample_block(payload, version):
    """(t_us list, cells list of tuples, imu list of tuples or None); ValueError if bad.

    version: the frame's (Record.version). Times are u32 session microseconds like
    Sample.t_us. Not for the hot path (stridekit.fastblocks reads many blocks at once).
    """
    if version == 1:
        return decode_v1(payload)
    if not 2 <= version <= SAMPLE_BLOCK_VERSION:
        raise ValueError("SampleBlock version %d unknown" % version)
    n_max = V2_MAX_SAMPLES if version == 2 else BLOCK_MAX_SAMPLES
    end = len(payload)
    if end < HEAD_BYTES:
        raise ValueError("SampleBlock payload truncated")
    t = payload[0] | (payload[1] << 8) | (payload[2] << 16) | (payload[3] << 24)
    period = payload[4] | (payload[5] << 8)
    nc = payload[6]
    n = payload[7]
    flags = payload[8]
    if n == 0 or n > n_max:
        raise ValueError("SampleBlock of %d samples" % n)
    known = 0x07 if version == 2 else 0x0F
    if flags & ~known & 0xFF or (flags & 6) == 6 or (flags & 9) == 8:
        raise ValueError("SampleBlock flags 0x%02x unknown" % flags)
    o = HEAD_BYTES
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
    rd = _Bits(payload, o, version)
    if flags & 8:
        dts = _dts_from_grid(_coded(rd, n - 1, 0, True, None), period)
    elif flags & 1:
        dts = [period] + _coded(rd, n - 1, period, False, None)
    else:
        dts = [period] * n
    cols = []
    for j in range(nc):  # each channel's neighbour: the one before (none for the first)
        cols.append(_channel(rd, n, False, cols[j - 1] if j else None))
    axes = []
    for j in range(IMU_N if m else 0):
        axes.append(_channel(rd, m, True, axes[j - 1] if j else None))
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

    def __init__(self, data, byte_at, version):
        self.data = data
        self.end = 8 * len(data)
        self.pos = 8 * byte_at
        self.version = version

    def read(self, width):
        p = self.pos
        e = p + width
        if e > self.end:
            raise ValueError("SampleBlock payload truncated")
        self.pos = e
        if not width:
            return 0
        v = int.from_bytes(bytes(self.data[p >> 3 : (e + 7) >> 3]), "little")
        return (v >> (p & 7)) & ((1 << width) - 1)

    def unary(self):
        """One bits up to a zero bit: their count (ValueError over QMAX)."""
        q = 0
        data = self.data
        p = self.pos
        while True:
            if p >= self.end:
                raise ValueError("SampleBlock payload truncated")
            bit = (data[p >> 3] >> (p & 7)) & 1
            p += 1
            if not bit:
                self.pos = p
                return q
            q += 1
            if q > QMAX:
                raise ValueError("SampleBlock unary code longer than %d" % QMAX)


def _dts_from_grid(offsets, period):
    # each sample's dt_us from its offset and the one before (o_0 = 0)
    dts = [period]
    prev = 0
    for o in offsets:
        dt = period + o - prev
        if not 0 <= dt <= 0xFFFF:
            raise ValueError("SampleBlock grid offsets give a dt_us of %d" % dt)
        dts.append(dt)
        prev = o
    return dts


def _channel(rd, c, signed, nbr):
    # a cell's or an IMU axis's c values: the first in 16 bits, then the coded rest;
    # nbr: its neighbour's c values (sampleblock_fmt), or None
    w = rd.read(5)
    if w > 16:
        raise ValueError("SampleBlock first value of %d bits" % w)
    z = rd.read(w)
    if w and not z >> (w - 1):
        raise ValueError("SampleBlock first value shorter than its bit length")
    first = (-((z + 1) >> 1) if z & 1 else z >> 1) if signed else z
    return [first] + _coded(rd, c - 1, first, signed, nbr)


def _params(rd, nsub, has_nbr):
    # each sub-block's (pred, k)
    par = []
    p = k = 0
    for s in range(nsub):
        if s and not rd.read(1):
            pass  # the sub-block before's
        elif s and not rd.read(1):
            k += -1 if rd.read(1) else 1
            if not 0 <= k <= K_MAX or p == 3:
                raise ValueError("SampleBlock k step outside 0..15")
        else:
            f = rd.read(6)
            p = f & 3
            k = f >> 2
            if p == 3 and k:  # preds 4 and 5 (version 4), their k in 4 bits
                if rd.version < 4 or k > 2:
                    raise ValueError("SampleBlock verbatim sub-block with k %d" % k)
                p = 3 + k
                k = rd.read(4)
            if p == 4 and not has_nbr:
                raise ValueError("SampleBlock pred 4 on a channel without a neighbour")
        par.append((p, k))
    return par


def _coded(rd, c, init, signed, nbr):
    # c values Rice-coded after init (the format at the top); nbr: the neighbour's
    # c + 1 values (its first, then these samples'), or None
    par = _params(rd, (c + SUB - 1) // SUB, nbr is not None)
    qs = [0] * c
    for i in range(c):
        if par[i // SUB][0] != 3:
            qs[i] = rd.unary()
    out = []
    lo, hi = (-0x8000, 0x7FFF) if signed else (0, 0xFFFF)
    for i in range(c):
        p, k = par[i // SUB]
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
                    p2 = out[i - 2] if i >= 2 else init
                    if p == 1:
                        pred = p1
                    elif p == 2:
                        pred = 2 * p1 - p2
                    elif p == 5:
                        pred = 3 * p1 - 3 * p2 + (out[i - 3] if i >= 3 else init)
                    else:  # 4: nbr[i + 1] is the neighbour at this sample
                        b2 = nbr[i - 1] if i >= 1 else nbr[0]
                        pred = 2 * p1 - p2 + nbr[i + 1] - 2 * nbr[i] + b2
                v = pred + r
        if not lo <= v <= hi:
            raise ValueError("SampleBlock value %d outside %d..%d" % (v, lo, hi))
        out.append(v)
    return out
