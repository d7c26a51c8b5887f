# Viper version of the StepBlock encoder's packing (stridefw.stepblock's wire format):
# for each Step field, the block minimum, every step's residual (index and contact_us
# against their prediction, zigzagged, mod 2**32; the rest minus the minimum), the
# width of the largest and the values, LSB first into the bit stream.
#
# Its plain-Python twin, stepblock.encode_steps_py, is what CPython, the host and
# every port without the viper emitter use; stepblock imports this module inside
# try/except (a viper decorator is a compile-time error where the emitter is missing,
# see kernel_vp.py). tests/mpy/test_unix32_frames.py requires the same payloads, byte
# for byte, from both in micropython-unix32 and from CPython.
#
# Why viper: as bytecode a block costs a Python call per field and step, twice (the
# minimum and width pass, then the packing), most with frames the VM takes from the
# heap: 3.3M x86 instructions per 8-step block in micropython-unix32 (under
# heap_lock), a stall of 19-29 sample periods at 100 Hz on the pod. Here it is one
# call with no allocation: 62k (valgrind, the deploy build, a simulated run's steps).
#
# Arithmetic: every field is read as a uint (32-bit machine word), so u32 fields at
# or above 2**31 and the mod-2**32 residuals need no big ints. Signed 16-bit fields
# are read with their sign bit flipped (v ^ 0x8000), which orders them as unsigned
# values and leaves differences unchanged; the minimum is flipped back when written.
# zz(d) = (d << 1) ^ (d >> 31) on a 32-bit signed d is stepblock's zigzag.
# Field sizes come from the caller (stepblock.FIELD_KIND: size | 0x80 if signed), the
# offsets follow from them (the Step layout has no gaps). No bounds checks:
# StepBlockEncoder.encode checks out's length and holds 1..STEP_BLOCK_MAX steps.
# ptr8 is a viper built-in: it exists only inside a viper function.
# ruff: noqa: F821
import micropython


@micropython.viper
def encode_steps(e, out, kinds) -> int:
    """Pack e's e.n steps (e.steps) into out; the payload length."""
    s = ptr8(e.steps)
    n = int(e.n)
    b = ptr8(out)
    kd = ptr8(kinds)
    nf = int(len(kinds))
    b[0] = n
    i = 0
    while i < 50:  # the head: step 0 as is; the minima overwrite it below
        b[1 + i] = s[i]
        i += 1
    o = 51  # next byte of the bit stream
    acc = uint(0)  # bits not yet written (nb of them, < 8 between values)
    nb = 0
    fo = 0  # the field's offset in a Step
    f = 0
    while f < nf:
        size = int(kd[f]) & 0x7F
        flip = uint(0x8000) if int(kd[f]) & 0x80 else uint(0)
        first = 1 if f <= 1 else 0  # index and contact_us: residuals from step 1
        base = uint(0)
        top = uint(0)  # the largest value stored for the field
        phase = 0  # 0: top (index, contact_us); 1: the width; 2: the values
        if not first:
            k = 0
            while k < n:  # the minimum and the maximum: top = maximum - minimum
                p = k * 50 + fo
                v = uint(s[p]) | (uint(s[p + 1]) << 8)
                if size == 4:
                    v |= (uint(s[p + 2]) << 16) | (uint(s[p + 3]) << 24)
                v ^= flip
                if k == 0 or v < base:
                    base = v
                if k == 0 or v > top:
                    top = v
                k += 1
            top -= base
            raw = base ^ flip
            b[1 + fo] = raw & 0xFF
            b[2 + fo] = (raw >> 8) & 0xFF
            if size == 4:
                b[3 + fo] = (raw >> 16) & 0xFF
                b[4 + fo] = (raw >> 24) & 0xFF
            phase = 1
        w = 0
        while phase < 3:
            if phase == 1:
                while top:
                    top = top >> 1
                    w += 1
                acc |= uint(w) << nb  # the width, 6 bits
                nb += 6
                while nb >= 8:
                    b[o] = acc & 0xFF
                    o += 1
                    acc = acc >> 8
                    nb -= 8
                if w == 0:
                    break
                phase = 2
                continue
            k = first
            while k < n:
                p = k * 50 + fo
                v = uint(s[p]) | (uint(s[p + 1]) << 8)
                if size == 4:
                    v |= (uint(s[p + 2]) << 16) | (uint(s[p + 3]) << 24)
                if f == 0:  # index - (previous index + 1)
                    q = p - 50
                    v -= uint(1) + (uint(s[q]) | (uint(s[q + 1]) << 8))
                    v -= (uint(s[q + 2]) << 16) | (uint(s[q + 3]) << 24)
                    d = int(v)
                    v = uint((d << 1) ^ (d >> 31))
                elif f == 1:  # contact - (previous contact + previous stance + swing)
                    q = p - 50  # previous contact_us; stance_us follows it
                    v -= uint(s[q]) | (uint(s[q + 1]) << 8)
                    v -= (uint(s[q + 2]) << 16) | (uint(s[q + 3]) << 24)
                    v -= uint(s[q + 4]) | (uint(s[q + 5]) << 8)
                    v -= (uint(s[q + 6]) << 16) | (uint(s[q + 7]) << 24)
                    v -= uint(s[p + 8]) | (uint(s[p + 9]) << 8)  # this swing_us
                    v -= (uint(s[p + 10]) << 16) | (uint(s[p + 11]) << 24)
                    d = int(v)
                    v = uint((d << 1) ^ (d >> 31))
                else:
                    v = (v ^ flip) - base
                if phase == 0:
                    if v > top:
                        top = v
                else:
                    left = w  # w bits of v, 16 at a time (acc holds < 8 bits)
                    while left > 0:
                        m = 16 if left > 16 else left
                        acc |= (v & ((uint(1) << m) - 1)) << nb
                        nb += m
                        v = v >> 16
                        left -= m
                        while nb >= 8:
                            b[o] = acc & 0xFF
                            o += 1
                            acc = acc >> 8
                            nb -= 8
                k += 1
            phase += 1
        fo += size
        f += 1
    if nb:
        b[o] = acc & 0xFF
        o += 1
    return o
