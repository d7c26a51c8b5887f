# SampleBlock version 1: its reader, for session files with version-1 blocks (this
# build writes version 4, stridefw.sampleblock). Payload, little endian:
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
from stridefw.compat import const

_BLOCK_HEAD = const(8)
_IMU_N = const(6)


def _unzz(z):
    return (z >> 1) if not (z & 1) else -((z + 1) >> 1)


def decode_v1(payload):
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
