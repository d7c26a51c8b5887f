# StepBlock: several Step records in one frame, lossless, for the flash.
#
# A Step is 50 B in memory (records.STEP_* offsets, what the kernel writes) and
# 62 B framed as a lone Step record; most of its fields change little from step to step. A StepBlock
# (records.REC_STEP_BLOCK, type 33) holds up to STEP_BLOCK_MAX consecutive steps and
# decodes back to exactly the kernel's 50-B payloads, so replay still compares bit
# for bit and nothing is quantised. Payload, little endian:
#   0 n u8                 steps in the block (>= 1)
#   1 base, 50 B           a Step layout: index and contact_us of the first step,
#                          every other field the block's minimum
#  51 bit stream, LSB first, per field in layout order:
#       width u6           bits per value (0..32)
#       values             index: n-1 x zz(index - previous index - 1)
#                          contact_us: n-1 x zz(contact - (previous contact +
#                            previous stance_us + this swing_us)) mod 2**32
#                          the rest: n x (value - base)
#     zero bits up to the byte boundary; nothing after.
# zz(v) = 2v for v >= 0, -2v - 1 for v < 0 (zigzag). The kernel's swing_us runs from
# the previous toe-off to this contact, so contact is predicted exactly while steps
# follow one another; a gap costs bits, not correctness.
# The pod keeps up to STEP_BLOCK_MAX - 1 steps in RAM before framing them: a power
# cut loses those (about 5 s of running) plus, as for every record, one commit period;
# stridefw.store says when a block is closed.
# Encoding runs once per block, not per sample. On the pod the packing is viper
# (stridefw.stepblock_vp: machine words, no call per field or step, no allocation; as
# bytecode it would hold up the sample loop for many periods per block).
# encode_steps_py here is its plain twin for CPython and ports without viper; on
# MicroPython its calls take heap frames (freed on return) and a field value >= 2**30
# a big int (index and contact_us are read in 16-bit halves: contact_us passes 2**30
# after 18 minutes).
# The decoder is stridefw.stepread: the pod never reads blocks, so it does not load it.
from stridefw.compat import const

STEP_LEN = const(50)  # records.STEP_LEN (a const() must be literal here)
STEP_BLOCK_VERSION = const(1)
STEP_BLOCK_MAX = const(8)
HEAD_BYTES = const(1 + STEP_LEN)
N_FIELDS = const(19)
WIDTH_BITS = const(6)
# worst case: head, every width, every value at 32 bits
BLOCK_BYTES_MAX = const(
    HEAD_BYTES + (N_FIELDS * WIDTH_BITS + N_FIELDS * STEP_BLOCK_MAX * 32 + 7) // 8
)

# offset and size of each Step field (records.Step._fmt); strike_pm, cop_x_mean_dmm signed
FIELD_OFF = (0, 4, 8, 12, 16, 18, 20, 24, 28, 30, 32, 34, 36, 38, 40, 42, 44, 46, 48)
FIELD_SIZE = (4, 4, 4, 4, 2, 2, 4, 4, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2)
F_INDEX = const(0)
F_CONTACT = const(1)
F_STANCE = const(2)
F_SWING = const(3)
F_STRIKE = const(8)  # strike_pm
F_COP_X = const(9)  # cop_x_mean_dmm
# per field: size in bytes, | 0x80 if signed (the viper packer's layout table)
FIELD_KIND = bytes(
    FIELD_SIZE[f] | (0x80 if f == F_STRIKE or f == F_COP_X else 0) for f in range(N_FIELDS)
)


def field_value(b, o, f):
    # field f of the step at byte o of b, as an int (signed where the layout is)
    p = o + FIELD_OFF[f]
    v = b[p] | (b[p + 1] << 8)
    if FIELD_SIZE[f] == 4:
        hi = b[p + 2] | (b[p + 3] << 8)
        if hi:
            v |= hi << 16  # a big int only at >= 2**30
    elif (f == F_STRIKE or f == F_COP_X) and v & 0x8000:
        v -= 0x10000
    return v


def _zz(v):
    return (v << 1) if v >= 0 else ((-v << 1) - 1)


def _u16(b, p):
    return b[p] | (b[p + 1] << 8)


def _res32(b, c, p, q, w, plus):
    # u32 at c minus (u32 at p + plus, + u32 at q, + u32 at w; q, w < 0: none) mod
    # 2**32, as a signed int in [-2**31, 2**31); in 16-bit halves with carry and
    # borrow, so nothing becomes a big int
    lo = _u16(b, p) + plus
    hi = _u16(b, p + 2)
    if q >= 0:
        lo += _u16(b, q)
        hi += _u16(b, q + 2)
    if w >= 0:
        lo += _u16(b, w)
        hi += _u16(b, w + 2)
    hi += lo >> 16
    dlo = _u16(b, c) - (lo & 0xFFFF)
    dhi = _u16(b, c + 2) - (hi & 0xFFFF)
    if dlo < 0:
        dlo += 0x10000
        dhi -= 1
    dhi &= 0xFFFF
    if dhi >= 0x8000:
        dhi -= 0x10000
    return (dhi << 16) + dlo


class StepBlockEncoder:
    """Collects the kernel's Step payloads and packs them into one StepBlock payload."""

    def __init__(self):
        self.steps = bytearray(STEP_BLOCK_MAX * STEP_LEN)
        self.buf = bytearray(0)  # the caller's, given to encode()
        self.n = 0
        self.len = 0
        self._acc = 0
        self._nb = 0

    def add(self, payload):
        """One Step payload (STEP_LEN bytes); True when the block is full.

        ValueError for a full block or a payload of another length, and the block is
        kept: a slice assignment of another length would resize the buffer."""
        if self.n >= STEP_BLOCK_MAX:
            raise ValueError("StepBlock is full: encode() it first")
        if len(payload) != STEP_LEN:
            raise ValueError("a Step payload is 50 bytes")
        o = self.n * STEP_LEN
        self.steps[o : o + STEP_LEN] = payload
        self.n += 1
        return self.n >= STEP_BLOCK_MAX

    def _put(self, v, w):
        # w bits of v (v < 2**w), 16 at a time so the accumulator stays a small int
        while w > 0:
            k = 16 if w > 16 else w
            self._acc |= (v & ((1 << k) - 1)) << self._nb
            self._nb += k
            v >>= k
            w -= k
            while self._nb >= 8:
                self.buf[self.len] = self._acc & 0xFF
                self.len += 1
                self._acc >>= 8
                self._nb -= 8

    def _res(self, f, k, base):
        # the value stored for field f of step k
        b = self.steps
        o = k * STEP_LEN
        if f == F_INDEX:  # index - (previous index + 1)
            return _zz(_res32(b, o, o - STEP_LEN, -1, -1, 1))
        if f == F_CONTACT:  # contact - (previous contact + previous stance + swing)
            c = o + FIELD_OFF[F_CONTACT]
            st = o - STEP_LEN + FIELD_OFF[F_STANCE]
            return _zz(_res32(b, c, c - STEP_LEN, st, o + FIELD_OFF[F_SWING], 0))
        return field_value(b, o, f) - base

    def encode(self, out):
        """Pack the collected steps into out (>= BLOCK_BYTES_MAX bytes; the store lends
        its sample block's buffer); returns the payload length (0: no steps)."""
        if self.n == 0:
            return 0
        if len(out) < BLOCK_BYTES_MAX:
            raise ValueError("StepBlock needs %d bytes" % BLOCK_BYTES_MAX)
        self.buf = out  # the store frames self.buf
        ln = _encode(self, out, FIELD_KIND)
        self.n = 0
        return ln


def encode_steps_py(e, out, kinds):
    """Plain twin of stepblock_vp.encode_steps: e's e.n steps packed into out; the
    payload length (kinds is the viper version's; this one reads FIELD_SIZE)."""
    n = e.n
    b = e.steps
    out[0] = n
    for i in range(STEP_LEN):  # a slice of b would be a new bytearray
        out[1 + i] = b[i]
    e.len = HEAD_BYTES
    e._acc = 0
    e._nb = 0
    for f in range(N_FIELDS):
        first = 1 if f <= F_CONTACT else 0
        base = 0
        if not first:
            base = field_value(b, 0, f)
            for k in range(1, n):
                v = field_value(b, k * STEP_LEN, f)
                if v < base:
                    base = v
            p = 1 + FIELD_OFF[f]
            out[p] = base & 0xFF
            out[p + 1] = (base >> 8) & 0xFF
            if FIELD_SIZE[f] == 4:
                out[p + 2] = (base >> 16) & 0xFF
                out[p + 3] = (base >> 24) & 0xFF
        top = 0
        for k in range(first, n):
            r = e._res(f, k, base)
            if r > top:
                top = r
        w = 0
        while top >> w:
            w += 1
        e._put(w, WIDTH_BITS)
        if w:
            for k in range(first, n):
                e._put(e._res(f, k, base), w)
    if e._nb:
        e._put(0, 8 - e._nb)
    return e.len


try:  # the pod: viper (stepblock_vp says why it is a module of its own)
    from stridefw.stepblock_vp import encode_steps as _encode

    STEP_PACK = "viper"
except (ImportError, SyntaxError):  # CPython, or a port without the viper emitter
    _encode = encode_steps_py
    STEP_PACK = "python"
