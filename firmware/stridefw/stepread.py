# Reading StepBlocks (format: stridefw.stepblock) back into the kernel's Step payloads.
#
# Its own module because the pod only writes StepBlocks: this code stays off its heap.
# Used by the host (stridekit.session) and by tests on MicroPython.
from stridefw.stepblock import (
    F_CONTACT,
    F_COP_X,
    F_INDEX,
    F_STANCE,
    F_STRIKE,
    F_SWING,
    FIELD_OFF,
    FIELD_SIZE,
    HEAD_BYTES,
    N_FIELDS,
    STEP_LEN,
    WIDTH_BITS,
    field_value,
)


def decode_step_block(payload):
    """The Step payloads (STEP_LEN bytes each) of a StepBlock; ValueError if malformed."""
    end = len(payload)
    if end < HEAD_BYTES:
        raise ValueError("StepBlock payload truncated: %d bytes" % end)
    n = payload[0]
    if n == 0:
        raise ValueError("StepBlock of 0 steps")
    base = bytes(payload[1:HEAD_BYTES])
    # the bit stream as one int, LSB first: fields come out by shifts (a big int; the
    # pod never decodes)
    bits = int.from_bytes(bytes(payload[HEAD_BYTES:]), "little")
    avail = (end - HEAD_BYTES) * 8
    pos = 0
    cols = []
    for f in range(N_FIELDS):
        if pos + WIDTH_BITS > avail:
            raise ValueError("StepBlock payload truncated in field %d" % f)
        w = (bits >> pos) & ((1 << WIDTH_BITS) - 1)
        pos += WIDTH_BITS
        if w > 32:
            raise ValueError("StepBlock field %d: width %d bits" % (f, w))
        first = 1 if f <= F_CONTACT else 0
        if pos + w * (n - first) > avail:
            raise ValueError("StepBlock payload truncated in field %d" % f)
        mask = (1 << w) - 1
        col = []
        for _ in range(first, n):
            col.append((bits >> pos) & mask)
            pos += w
        cols.append(col)
    used = (pos + 7) >> 3
    if HEAD_BYTES + used != end:
        raise ValueError("StepBlock has %d trailing bytes" % (end - HEAD_BYTES - used))
    if bits >> pos:
        raise ValueError("StepBlock padding bits are not zero")
    out = []
    for k in range(n):
        s = bytearray(STEP_LEN)
        for f in range(N_FIELDS):
            if f <= F_CONTACT:
                continue
            v = field_value(base, 0, f) + cols[f][k]
            size = FIELD_SIZE[f]
            if f == F_STRIKE or f == F_COP_X:
                if v > 0x7FFF:
                    raise ValueError("StepBlock field %d out of range" % f)
                v &= 0xFFFF
            elif v >= 1 << (8 * size):
                raise ValueError("StepBlock field %d out of range" % f)
            p = FIELD_OFF[f]
            for i in range(size):
                s[p + i] = (v >> (8 * i)) & 0xFF
        out.append(s)
    idx = field_value(base, 0, F_INDEX)
    contact = field_value(base, 0, F_CONTACT)
    for k in range(n):
        if k:
            idx = (idx + 1 + _unzz(cols[F_INDEX][k - 1])) & 0xFFFFFFFF
            pred = contact + field_value(out[k - 1], 0, F_STANCE) + field_value(out[k], 0, F_SWING)
            contact = (pred + _unzz(cols[F_CONTACT][k - 1])) & 0xFFFFFFFF
        s = out[k]
        for i in range(4):
            s[FIELD_OFF[F_INDEX] + i] = (idx >> (8 * i)) & 0xFF
            s[FIELD_OFF[F_CONTACT] + i] = (contact >> (8 * i)) & 0xFF
    return [bytes(s) for s in out]


def _unzz(z):
    return (z >> 1) if not (z & 1) else -((z + 1) >> 1)
