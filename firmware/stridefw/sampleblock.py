# SampleBlock: the pod's compressed raw samples, one wire format for both ends.
#
# Raw samples are stored as SampleBlock records (records.REC_SAMPLE_BLOCK, type 32):
# delta/zigzag/varint compression with a second-order (linear) predictor per
# channel, a block of up to 64 consecutive samples per record, each block decodable
# on its own. Payload, little endian:
#   0 t0_us u32      session time of the first sample (us, like Sample.t_us)
#   4 period_us u16  nominal sample period: the time predictor
#   6 n_cells u8
#   7 n u8           samples in this block
#   8 per sample:    varint(zz(dt_us - period_us) << 1 | imu_present)
#                    n_cells x varint(zz(cell - prediction))
#                    6 x varint(zz(imu - prediction)) if imu_present
# zz(v) = 2v for v >= 0, -2v - 1 for v < 0 (zigzag); varint = unsigned LEB128.
# Prediction: first sample of a block 0, second the previous value, then
# 2 * previous - the one before (for IMU channels: over present IMU samples).
# dt of the first sample is period_us by definition (residual 0).
import array

from stridefw.compat import const

SAMPLE_BLOCK_VERSION = const(1)

_BLOCK_HEAD = const(8)
BLOCK_MAX_SAMPLES = const(64)
_BLOCK_BYTES = const(1200)
_IMU_N = const(6)
DT_MAX_US = const(65535)  # a larger gap starts a new block (keeps varints small ints)


def _unzz(z):
    return (z >> 1) if not (z & 1) else -((z + 1) >> 1)


class SampleBlockEncoder:
    """Compresses consecutive samples into one SampleBlock payload, in place."""

    def __init__(self, n_cells, period_us):
        self.n_cells = n_cells
        self.period_us = period_us
        self.buf = bytearray(_BLOCK_BYTES)
        nch = n_cells + _IMU_N
        self._p1 = array.array("i", bytes(4 * nch))  # previous value per channel
        self._p2 = array.array("i", bytes(4 * nch))  # the one before
        self.n = 0
        self.len = 0
        self._imu_n = 0
        self._vp_cells = None  # the arrays add() has checked for the viper loop
        self._vp_imu = None
        # worst case of one sample: dt 3 bytes, residuals <= 4 * 2**16 -> 3 bytes each
        self._worst = 3 + 3 * nch

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
        self.n = 0
        self._imu_n = 0
        self.len = _BLOCK_HEAD

    def room(self):
        return self.n < BLOCK_MAX_SAMPLES and self.len + self._worst <= _BLOCK_BYTES

    def add(self, dt_us, cells, imu):
        """Append one sample (dt_us since the previous one; ignored for the first).

        Call room() first: a full block raises ValueError here (the viper loop does
        not check bounds)."""
        if self.len + self._worst > _BLOCK_BYTES:
            raise ValueError("SampleBlock full: check room() before add()")
        if (
            cells is self._vp_cells
            and (imu is None or imu is self._vp_imu)
            and 0 <= dt_us <= DT_MAX_US  # keeps the viper loop's ints in 32 bits
        ):
            f = _add_vp
        else:
            f = self._pick(dt_us, cells, imu)
        self.len = f(self, dt_us, cells, imu)
        if imu is not None:
            self._imu_n += 1
        self.n += 1
        self.buf[7] = self.n

    def _pick(self, dt_us, cells, imu):
        # The viper loop only for the pod's own arrays: cells array('H'), imu
        # array('h') (what it casts to ptr16). Checked once per array object, so the
        # check's allocation (repr) is not per sample; lists and others: the twin.
        # Without the viper emitter the twin is all there is: no check, no allocation.
        if (
            _add_vp is add_sample_py
            or not 0 <= dt_us <= DT_MAX_US
            or not _typed(cells, "H", self.n_cells)
            or not (imu is None or _typed(imu, "h", _IMU_N))
        ):
            return add_sample_py
        self._vp_cells = cells
        if imu is not None:
            self._vp_imu = imu
        return _add_vp


def _typed(a, typecode, n):
    # repr is "array('H', [...])" on CPython and MicroPython alike; a MicroPython
    # array never shrinks, so its length need not be checked again
    return type(a) is array.array and len(a) >= n and repr(a)[7] == typecode


def add_sample_py(e, dt_us, cells, imu):
    """Plain twin of sampleblock_vp.add_sample: one sample's varints at e.buf[e.len:]
    and e's predictor update; returns the new e.len (any ints, any sequences)."""
    b = e.buf
    p1 = e._p1
    p2 = e._p2
    nc = e.n_cells
    n = e.n
    o = e.len
    r = 0 if n == 0 else dt_us - e.period_us
    z = (((r << 1) if r >= 0 else ((-r << 1) - 1)) << 1) | (0 if imu is None else 1)
    while z >= 0x80:
        b[o] = (z & 0x7F) | 0x80
        z >>= 7
        o += 1
    b[o] = z
    o += 1
    axes = cells if imu is None else imu  # read only when imu is present
    for j in range(nc + (0 if imu is None else _IMU_N)):
        if j < nc:
            v = cells[j]
            k = n
        else:
            v = axes[j - nc]
            k = e._imu_n
        if k == 0:
            r = v
        elif k == 1:
            r = v - p1[j]
        else:
            r = v - (2 * p1[j] - p2[j])
        p2[j] = p1[j]
        p1[j] = v
        z = (r << 1) if r >= 0 else ((-r << 1) - 1)
        while z >= 0x80:
            b[o] = (z & 0x7F) | 0x80
            z >>= 7
            o += 1
        b[o] = z
        o += 1
    return o


try:  # the pod: viper (sampleblock_vp says why it is a module of its own)
    from stridefw.sampleblock_vp import add_sample as _add_vp

    SAMPLE_LOOP = "viper"
except (ImportError, SyntaxError):  # CPython, or a port without the viper emitter
    _add_vp = add_sample_py
    SAMPLE_LOOP = "python"


def decode_sample_block(payload):
    """(t_us list, cells list of tuples, imu list of tuples or None); ValueError if bad.

    Times are u32 session microseconds like Sample.t_us. Not for the hot path.
    """
    if len(payload) < _BLOCK_HEAD:
        raise ValueError("SampleBlock payload truncated")
    t = payload[0] | (payload[1] << 8) | (payload[2] << 16) | (payload[3] << 24)
    period = payload[4] | (payload[5] << 8)
    nc = payload[6]
    n = payload[7]
    o = _BLOCK_HEAD
    end = len(payload)
    p1 = [0] * (nc + _IMU_N)
    p2 = [0] * (nc + _IMU_N)
    ts = []
    cells_out = []
    imu_out = []
    imu_n = 0
    t -= period
    for s in range(n):
        vals = []
        count = 1 + nc + _IMU_N
        k = 0
        while k < count:
            z = 0
            shift = 0
            while True:
                if o >= end:
                    raise ValueError("SampleBlock payload truncated in sample %d" % s)
                b = payload[o]
                o += 1
                z |= (b & 0x7F) << shift
                shift += 7
                if not (b & 0x80):
                    break
                if shift > 28:
                    raise ValueError("SampleBlock varint too long")
            vals.append(z)
            if k == 0 and not (z & 1):
                count = 1 + nc  # no IMU in this sample
            k += 1
        head = vals[0]
        t = (t + period + _unzz(head >> 1)) & 0xFFFFFFFF
        ts.append(t)
        row = []
        for i in range(nc):
            if s == 0:
                pred = 0
            elif s == 1:
                pred = p1[i]
            else:
                pred = 2 * p1[i] - p2[i]
            v = pred + _unzz(vals[1 + i])
            row.append(v)
            p2[i] = p1[i]
            p1[i] = v
        cells_out.append(tuple(row))
        if head & 1:
            m = []
            for k in range(_IMU_N):
                j = nc + k
                if imu_n == 0:
                    pred = 0
                elif imu_n == 1:
                    pred = p1[j]
                else:
                    pred = 2 * p1[j] - p2[j]
                v = pred + _unzz(vals[1 + nc + k])
                m.append(v)
                p2[j] = p1[j]
                p1[j] = v
            imu_n += 1
            imu_out.append(tuple(m))
        else:
            imu_out.append(None)
    if o != end:
        raise ValueError("SampleBlock has %d trailing bytes" % (end - o))
    return ts, cells_out, imu_out
