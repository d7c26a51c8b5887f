"""SampleBlock version 1 decoded with numpy, for replaying long sessions on the host.

stridefw.sampleblock.decode_sample_block is the one definition of the format and
runs on the pod too, so it reads one varint at a time in Python: slower than the
kernel itself on a replay. This reads the same bytes a block at a time: every
varint of the block at once (its last byte is the one below 0x80), the samples'
IMU bits by a short walk, then zigzag and the second-order predictor undone with
two cumulative sums per channel (v[s] = 2 v[s-1] - v[s-2] + r[s] is v = r0 + the
running sum of the running sum of r from s = 1). A block this cannot read exactly
(truncated, trailing bytes, an overlong varint, another version) gives None and
the caller asks the firmware's decoder, which says what is wrong.
tests/unit/test_fastblocks.py holds the two to the same samples on random blocks.
"""

from __future__ import annotations

import numpy as np

_HEAD = 8  # t0 u32, period u16, n_cells u8, n u8 (stridefw.sampleblock)
_IMU_N = 6
_VARINT_MAX_BYTES = 5  # the firmware refuses a sixth byte (shift > 28)
_U32 = 0xFFFFFFFF


def _unzz(z: np.ndarray) -> np.ndarray:
    return (z >> 1) ^ -(z & 1)


def _undo_prediction(r: np.ndarray) -> np.ndarray:
    """Values from residuals of the predictor 0, previous, 2 * previous - the one before."""
    v = np.empty_like(r)
    if len(r):
        v[0] = r[0]
        v[1:] = r[0] + np.cumsum(np.cumsum(r[1:], axis=0), axis=0)
    return v


def decode_block(
    payload: bytes | bytearray | memoryview,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """A version-1 SampleBlock as (t_us u32, cells, imu, imu_present); None if not exact.

    cells (n, n_cells) and imu (n, 6) are int64 as decoded (the caller checks ranges);
    imu rows of samples without IMU are zeros.
    """
    data = bytes(payload)
    if len(data) < _HEAD:
        return None
    t0 = int.from_bytes(data[0:4], "little")
    period = data[4] | (data[5] << 8)
    nc = data[6]
    n = data[7]
    body = np.frombuffer(data, np.uint8, offset=_HEAD)
    if n == 0:
        if len(body):
            return None
        return (
            np.zeros(0, np.uint32),
            np.zeros((0, nc), np.int64),
            np.zeros((0, _IMU_N), np.int64),
            np.zeros(0, bool),
        )
    if not len(body) or body[-1] & 0x80:
        return None
    ends = np.flatnonzero(body < 0x80)
    starts = np.empty_like(ends)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1
    if int((ends - starts).max()) >= _VARINT_MAX_BYTES:
        return None
    k = np.arange(len(body)) - np.repeat(starts, ends - starts + 1)
    z = np.add.reduceat((body & 0x7F).astype(np.int64) << (7 * k), starts)
    m = len(z)
    per_imu = 1 + nc + _IMU_N
    if m == n * per_imu and bool(np.all(z[::per_imu] & 1)):
        head_at = np.arange(0, m, per_imu)  # every sample with IMU: the usual case
    else:
        zl = z.tolist()
        at: list[int] = []
        pos = 0
        for _ in range(n):
            if pos >= m:
                return None
            at.append(pos)
            pos += 1 + nc + (_IMU_N if zl[pos] & 1 else 0)
        if pos != m:
            return None
        head_at = np.asarray(at, np.int64)
    head = z[head_at]
    present = (head & 1).astype(bool)
    steps = period + _unzz(head >> 1)
    t_us = ((t0 - period + np.cumsum(steps)) & _U32).astype(np.uint32)
    cells = _undo_prediction(_unzz(z[head_at[:, None] + 1 + np.arange(nc)]))
    imu = np.zeros((n, _IMU_N), np.int64)
    if present.any():
        imu_at = head_at[present][:, None] + 1 + nc + np.arange(_IMU_N)
        imu[present] = _undo_prediction(_unzz(z[imu_at]))
    return t_us, cells, imu, present
