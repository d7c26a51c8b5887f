# Viper version of the raw-sample store's per-sample loop: one sample's residuals,
# zigzag and varints, and the predictor update (stridefw.sampleblock's wire format).
#
# Its plain-Python twin, sampleblock.add_sample_py, is what CPython, the host's
# session writer (lists) and every port without the viper emitter use; sampleblock
# imports this module inside try/except (a viper decorator is a compile-time error
# where the emitter is missing, see kernel_vp.py). tests/mpy/test_unix32_sampleblock.py
# requires the same blocks, byte for byte, from both and from CPython.
#
# Why viper: as bytecode this loop cost more x86 instructions per sample than the
# whole kernel (a method call per varint, ~10 bytecodes per byte); here it is a few
# machine instructions per byte.
#
# Types, checked by SampleBlockEncoder.add before it calls this: cells array('H')
# (unsigned 16-bit, read as is), imu array('h') (signed, sign-extended by hand: ptr16
# reads are unsigned) or None, the predictors array('i'). Every value then stays within
# +-2**18, so 32-bit viper ints never wrap, and dt_us is 0..DT_MAX_US (the store starts
# a new block otherwise). No bounds checks: SampleBlockEncoder.room() guarantees space.
# ptr8 / ptr16 / ptr32 are viper built-ins: they exist only inside a viper function.
# ruff: noqa: F821
import micropython


@micropython.viper
def add_sample(e, dt_us: int, cells, imu) -> int:
    """Write one sample's varints at e.buf[e.len:], update e's predictors; the new e.len."""
    b = ptr8(e.buf)
    p1 = ptr32(e._p1)
    p2 = ptr32(e._p2)
    c = ptr16(cells)
    nc = int(e.n_cells)
    n = int(e.n)
    m = int(e._imu_n)
    o = int(e.len)
    end = nc
    im = c
    present = 0
    if imu:  # None, or the 6 IMU channels (viper cannot compare with None)
        im = ptr16(imu)
        present = 1
        end = nc + 6
    r = 0 if n == 0 else dt_us - int(e.period_us)
    z = ((r << 1) if r >= 0 else ((-r << 1) - 1)) << 1 | present
    j = -1  # -1: the time residual, then the cells, then the IMU channels
    while j < end:
        if j >= 0:
            if j < nc:
                v = int(c[j])
                k = n
            else:
                v = int(im[j - nc])
                if v & 0x8000:
                    v -= 0x10000
                k = m
            if k == 0:
                r = v
            elif k == 1:
                r = v - int(p1[j])
            else:
                r = v - (2 * int(p1[j]) - int(p2[j]))
            p2[j] = p1[j]
            p1[j] = v
            z = (r << 1) if r >= 0 else ((-r << 1) - 1)
        while z >= 0x80:
            b[o] = (z & 0x7F) | 0x80
            z = z >> 7
            o += 1
        b[o] = z
        o += 1
        j += 1
    return o
