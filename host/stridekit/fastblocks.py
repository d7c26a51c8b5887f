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


def _varints(body: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Every varint of a body that ends on a whole one: values and each one's last byte
    index; None when one runs to _VARINT_MAX_BYTES bytes (the firmware refuses it).

    Value = the sum of each byte's low 7 bits << 7 * (its place in the varint), added
    place by place over the varints that long (most residuals take one or two bytes).
    """
    ends = np.flatnonzero(body < 0x80)
    starts = np.empty_like(ends)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1
    extra = ends - starts  # bytes after the first
    longest = int(extra.max())
    if longest >= _VARINT_MAX_BYTES:
        return None
    low = (body & 0x7F).astype(np.int64)
    values = low[starts]
    for place in range(1, longest + 1):
        longer = np.flatnonzero(extra >= place)
        values[longer] += low[starts[longer] + place] << (7 * place)
    return values, ends


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
    parsed = _varints(body)
    if parsed is None:
        return None
    z, _ = parsed
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


def _segment_cumsum(x: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Running sums along axis 0 restarting at each row index in first (first[0] == 0)."""
    c = np.cumsum(x, axis=0)
    before = np.zeros((len(first), *x.shape[1:]), np.int64)
    before[1:] = c[first[1:] - 1]
    counts = np.diff(np.append(first, len(x)))
    return c - np.repeat(before, counts, axis=0)


def _undo_prediction_blocks(r: np.ndarray, first: np.ndarray) -> np.ndarray:
    """_undo_prediction of each block of rows (starting at first) at once.

    Within a block v[s] = r[0] + the running sum of the running sum of r[1:]; that is
    the double running sum of q with q[1] = r[1] - r[0] (so that r[0] counts once).
    """
    q = r.copy()
    counts = np.diff(np.append(first, len(r)))
    two = first[counts >= 2]
    q[two + 1] -= r[two]
    return _segment_cumsum(_segment_cumsum(q, first), first)


# Samples of one call of decode_blocks: the double running sums stay far inside int64
# (|residual| < 2**36 from five-byte varints; 2**36 * 64 * 2**16 < 2**63)
_MAX_SAMPLES = 1 << 16


def decode_blocks(
    payloads: list[bytes],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """Consecutive version-1 SampleBlocks of one cell count, all with IMU or all without,
    decoded at once: (t_us u32, cells, imu, imu_present) as decode_block gives them.

    None when a block is not of that uniform kind (IMU in some samples only, another
    cell count) or not exact: the caller then takes them one by one (decode_block).
    """
    if not payloads or any(len(p) < _HEAD for p in payloads):
        return None
    nc = payloads[0][6]
    heads = np.frombuffer(b"".join(p[:_HEAD] for p in payloads), np.uint8).reshape(-1, _HEAD)
    if np.any(heads[:, 6] != nc):
        return None
    n = heads[:, 7].astype(np.int64)
    total = int(n.sum())
    if total == 0 or total > _MAX_SAMPLES or np.any(n == 0):
        return None
    body = np.frombuffer(b"".join(p[_HEAD:] for p in payloads), np.uint8)
    sizes = np.array([len(p) - _HEAD for p in payloads], np.int64)
    body_end = np.cumsum(sizes)
    if np.any(sizes == 0) or np.any(body[body_end - 1] & 0x80):
        return None  # a block's last varint runs past its end
    parsed = _varints(body)
    if parsed is None:
        return None
    z, ends = parsed
    # varints per block, and where each block's first one is
    m_end = np.searchsorted(ends, body_end - 1, side="right")
    m_first = np.append(0, m_end[:-1])
    m = m_end - m_first
    with_imu = bool(z[0] & 1)
    per = 1 + nc + (_IMU_N if with_imu else 0)
    if np.any(m != n * per):
        return None
    first = np.append(0, np.cumsum(n)[:-1])  # each block's first sample
    block_of = np.repeat(np.arange(len(payloads)), n)
    head_at = np.repeat(m_first, n) + (np.arange(total) - np.repeat(first, n)) * per
    head = z[head_at]
    if np.any((head & 1).astype(bool) != with_imu):
        return None
    t0 = (
        heads[:, 0].astype(np.int64)
        | (heads[:, 1].astype(np.int64) << 8)
        | (heads[:, 2].astype(np.int64) << 16)
        | (heads[:, 3].astype(np.int64) << 24)
    )
    period = heads[:, 4].astype(np.int64) | (heads[:, 5].astype(np.int64) << 8)
    steps = period[block_of] + _unzz(head >> 1)
    t_us = (((t0 - period)[block_of] + _segment_cumsum(steps, first)) & _U32).astype(np.uint32)
    cells = _undo_prediction_blocks(_unzz(z[head_at[:, None] + 1 + np.arange(nc)]), first)
    if with_imu:
        imu = _undo_prediction_blocks(
            _unzz(z[head_at[:, None] + 1 + nc + np.arange(_IMU_N)]), first
        )
    else:
        imu = np.zeros((total, _IMU_N), np.int64)
    return t_us, cells, imu, np.full(total, with_imu)
