# Viper versions of the frame encoder's two byte loops: CRC-32 and COBS.
#
# Each function has a plain-Python twin of the same name in stridefw.records, which
# CPython and every port without the viper emitter use (records imports this module
# inside try/except; a viper decorator is a compile-time error where the emitter is
# missing, see kernel_vp.py). tests/unit/test_codec.py and tests/mpy/test_alloc_path.py
# run both and require the same frames, bit for bit.
#
# Why viper: binascii.crc32 returns the CRC as an int object, a heap-allocated big int
# on a 32-bit port whenever it is >= 2**30 (three frames in four). Here the CRC stays
# a machine word and is written into the caller's bytes, so framing allocates
# nothing. COBS runs over each byte the pod stores; as viper it costs a few machine
# instructions per byte instead of ~10 bytecodes.
#
# No bounds checks in viper: records.Encoder.encode_into checks the sizes first.
# ptr8 / ptr32 / uint are viper built-ins: they exist only inside a viper function.
# ruff: noqa: F821
import micropython


@micropython.viper
def crc32_add(buf, start: int, end: int, st, so: int):
    """CRC-32 (zlib) of buf[start:end] continued from the LE u32 at st[so:so+4], put back there."""
    s = ptr8(st)
    c = uint(s[so]) | (uint(s[so + 1]) << 8) | (uint(s[so + 2]) << 16) | (uint(s[so + 3]) << 24)
    c = c ^ ((uint(0xFFFF) << 16) | uint(0xFFFF))
    poly = (uint(0xEDB8) << 16) | uint(0x8320)
    p = ptr8(buf)
    i = start
    while i < end:
        c = c ^ uint(p[i])
        k = 0
        while k < 8:
            if c & 1:
                c = (c >> 1) ^ poly
            else:
                c = c >> 1
            k += 1
        i += 1
    c = c ^ ((uint(0xFFFF) << 16) | uint(0xFFFF))
    s[so] = c & 0xFF
    s[so + 1] = (c >> 8) & 0xFF
    s[so + 2] = (c >> 16) & 0xFF
    s[so + 3] = (c >> 24) & 0xFF


@micropython.viper
def cobs_add(src, start: int, end: int, out, st):
    """COBS-encode src[start:end] into out; st = array('i') [write offset, code offset, code]."""
    s = ptr8(src)
    d = ptr8(out)
    v = ptr32(st)
    o = v[0]
    ca = v[1]
    code = v[2]
    i = start
    while i < end:
        x = s[i]
        if x == 0:
            d[ca] = code
            ca = o
            o += 1
            code = 1
        else:
            d[o] = x
            o += 1
            code += 1
            if code == 0xFF:
                d[ca] = code
                ca = o
                o += 1
                code = 1
        i += 1
    v[0] = o
    v[1] = ca
    v[2] = code
