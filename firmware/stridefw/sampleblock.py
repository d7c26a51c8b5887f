# SampleBlock encoder: the pod's raw samples into SampleBlock records, in place.
#
# The format (version 4) is in sampleblock_fmt. Only this module, its constants and
# the viper module are loaded on the pod: the plain-Python twins (sampleblock_py) run
# where the viper emitter is missing (CPython, the WebAssembly build), and the
# readers (sampleblock_read, sampleblock_v1) only on hosts, so their bytecode takes
# no room in the pod's heap.
import array

from stridefw.records import MAX_PAYLOAD, encoded_max
from stridefw.sampleblock_fmt import (
    BLOCK_MAX_SAMPLES,
    DT_MAX_US,
    ESC_BITS,
    HEAD_BYTES,
    IMU_N,
    K_MAX,
    MAX_CELLS,
    QMAX,
    SAMPLE_BLOCK_VERSION,
    SUB,
)

__all__ = [
    "BLOCK_MAX_SAMPLES",
    "DT_MAX_US",
    "ESC_BITS",
    "K_MAX",
    "MAX_CELLS",
    "QMAX",
    "SAMPLE_BLOCK_VERSION",
    "SUB",
    "SampleBlockEncoder",
    "block_samples",
    "decode_sample_block",
]


def _values_at(n_cells, nmax):
    # Where add() puts the values in buf: after room for everything encode_block can
    # write before it reaches them. A channel of c values takes at most 16 c bits
    # + 5 (the first value's length) + 6 + 8 per later sub-block: pred 3's bits and
    # params, which the encoder takes unless another (pred, k)'s bits and params
    # are fewer; the time channel 16 bits a value (dt_us or grid offset). So
    # channel j's output never passes the start of channel j + 1's values, the only
    # ones not yet read (the viper encoder writes channel j's params while j's own
    # values are still unread: they stay below them, sampleblock_vp says why).
    nsub = (nmax + SUB - 1) // SUB
    over = 5 + 6 + 8 * (nsub - 1)
    time_bits = 6 + 8 * (nsub - 1) + 16 * (nmax - 1)
    return HEAD_BYTES + (nmax + 7) // 8 + (time_bits + (n_cells + IMU_N) * over + 7) // 8 + 1


def block_samples(n_cells):
    """The most samples a block of n_cells holds: BLOCK_MAX_SAMPLES, or fewer where a
    block of values that do not compress (16 bits each), framed, would pass
    MAX_PAYLOAD bytes: the store's write buffer takes a whole framed record."""
    n = BLOCK_MAX_SAMPLES
    while (
        n > 1 and encoded_max(_values_at(n_cells, n) - 1 + 2 * n * (n_cells + IMU_N)) > MAX_PAYLOAD
    ):
        n -= 1
    return n


class SampleBlockEncoder:
    """Collects up to block_samples(n_cells) samples, then compresses them in place
    into one payload.

    add() stores each value as 16 bits; encode() Rice-codes the block over the
    values it has read, so one buffer of 2 B a value holds both."""

    def __init__(self, n_cells, period_us):
        if not 0 <= n_cells <= MAX_CELLS:
            raise ValueError("SampleBlock of %d cells (0..16)" % n_cells)
        self.n_cells = n_cells
        self.set_period(period_us)
        self.nmax = nm = block_samples(n_cells)  # also each channel's stride in buf
        self.vbase = _values_at(n_cells, nm)
        self.buf = bytearray(self.vbase + 2 * nm * (n_cells + IMU_N))
        self._dt = array.array("H", bytes(2 * nm))
        self._x = array.array("i", bytes(4 * nm))  # one channel, for encode
        self._xn = array.array("i", bytes(4 * nm))  # the channel before (pred 4's neighbour)
        self._zc = array.array("i", bytes(4 * nm))  # its chosen residuals
        self._zs = array.array("i", bytes(4 * 6 * SUB))  # a sub-block's under pred 0-5
        self._sums = array.array("i", bytes(4 * 6))  # their sums
        self._par = bytearray((nm + SUB - 1) // SUB)  # its sub-blocks' pred | k << 3
        self.n = 0
        self.len = 0
        self._imu_n = 0
        self._vp_cells = None  # the arrays add() has checked for the viper loop
        self._vp_imu = None

    def set_period(self, period_us):
        # the time channel's predictor, a u16 in the head: a rate under 16 Hz gets
        # 65535 (its dt then exceeds DT_MAX_US: a block a sample)
        self.period_us = min(max(period_us, 1), 0xFFFF)

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
        for i in range(HEAD_BYTES, HEAD_BYTES + (self.nmax + 7) // 8):
            b[i] = 0  # the IMU bitmap
        self.n = 0
        self._imu_n = 0
        self.len = 0

    def room(self):
        return self.n < self.nmax

    def add(self, dt_us, cells, imu):
        """Append one sample (dt_us since the previous one; ignored for the first).

        ValueError on a full block (check room()), a dt_us outside 0..DT_MAX_US or a
        value outside 16 bits (cells unsigned, IMU signed)."""
        if self.n >= self.nmax:
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
            self.buf[HEAD_BYTES + (self.n >> 3)] |= 1 << (self.n & 7)
            self._imu_n += 1
        self.n += 1

    def _pick(self, cells, imu):
        # The viper loop only for the pod's own arrays: cells array('H'), imu
        # array('h'), whose values are 16-bit by type. Checked once per array object,
        # so the check's allocation (repr) is not per sample; lists and others: the
        # twin, which checks each value. Without the viper emitter _add_vp is the
        # twin: no check, no allocation.
        if SAMPLE_LOOP == "python":
            return _add_vp
        if not _typed(cells, "H", self.n_cells) or not (imu is None or _typed(imu, "h", IMU_N)):
            return _twin_add()
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


def _twin_add():
    # the plain twin for lists and other sequences (checks each value)
    from stridefw.sampleblock_py import add_sample_py

    return add_sample_py


try:  # the pod: viper (sampleblock_vp says why it is a module of its own)
    from stridefw.sampleblock_vp import add_sample as _add_vp
    from stridefw.sampleblock_vp import encode_block as _encode_vp

    SAMPLE_LOOP = "viper"
except (ImportError, SyntaxError):  # CPython, or a port without the viper emitter
    from stridefw.sampleblock_py import add_sample_py as _add_vp
    from stridefw.sampleblock_py import encode_block_py as _encode_vp

    SAMPLE_LOOP = "python"


def decode_sample_block(payload, version):
    """The samples of a SampleBlock payload of the frame's version (Record.version):
    sampleblock_read.decode_sample_block, imported here for the host's convenience
    (only when called, so the pod never loads the reader)."""
    from stridefw import sampleblock_read

    return sampleblock_read.decode_sample_block(payload, version)
