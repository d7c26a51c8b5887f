"""SampleBlocks decoded with numpy, a run of blocks at once, for replaying long sessions.

stridefw.sampleblock_read is the one definition of how a block reads (the format is
stridefw.sampleblock_fmt); it is plain, sequential Python: slower than the kernel
itself on a replay. These read the same bytes many blocks at once; a block
they cannot read exactly (damaged, truncated, trailing bytes or padding, unknown
flags, a value outside 16 bits) gives None for its run and the caller asks the
firmware's decoder, which says what is wrong. tests/unit/test_fastblocks.py holds
them to the firmware's samples on random and damaged blocks.

Versions 4, 3 and 2 (decode_blocks; version 3 is version 4 without preds 4 and 5,
version 2 is version 3 with n <= 64 and no grid offsets): each block is a
bit stream of Rice-coded channels in sub-blocks of 8 values, so where a channel starts
depends on every channel before it in its block.
The blocks of a run are read side by side, one bit cursor each, channel by channel:
a channel's fields are read for all blocks at once, its sub-blocks' params in a loop
over the sub-block index (at most 13, each a table lookup of the 12 bits at the
cursors), every unary code from the positions of the
stream's zero bits (each block's codes are the zeros that follow its cursor), every
tail from a 32-bit window at its bit offset (a cumulative sum of the widths); the
predictors are undone sub-block by sub-block with running sums (pred 4 as pred 2
over the residuals plus the neighbour's second differences, so the channels are read
in order, each keeping the one before's values). A time channel of grid offsets is
read as a signed channel and turned into dt_us. Version 1 (decode_blocks_v1,
decode_block_v1): varints.

Where `make setup` compiled it, replay_stream reads the versions it knows (2 up to
native.READER_VERSION) with the compiled reader instead (stridekit/sbreader.pyx: the
same results, block after block in C, about 17x faster on a 20-minute run of version
2); decode_blocks is what runs without it, or with STRIDE_PURE_KERNEL=1.
"""

from __future__ import annotations

import numpy as np

from stridefw import sampleblock_fmt as F

# The numbers of versions 4, 3 and 2 (stridefw.sampleblock_fmt): other numbers would
# be another version, which needs its own reader (and _PAD_BYTES below is worked out
# from them)
SAMPLE_BLOCK_VERSION = 4
_HEAD = 9  # t0 u32, period u16, n_cells u8, n u8, flags u8
_MAX_N = 104
_V2_MAX_N = 64
_SUB = 8
_QMAX = 12
_ESC_BITS = 18
_K_MAX = 15
_VERBATIM = 3
_NEIGHBOUR = 4  # pred 4: linear plus the neighbour's second difference
_CUBIC = 5  # pred 5
_F_BITS = 6  # a sub-block's params F = pred | k << 2
_WIDE_K_BITS = 4  # pred 4's and pred 5's k, after F = 3 | (pred - 3) << 2
_IMU_N = 6
if (
    F.SAMPLE_BLOCK_VERSION,
    F.HEAD_BYTES,
    F.BLOCK_MAX_SAMPLES,
    F.V2_MAX_SAMPLES,
    F.SUB,
    F.QMAX,
    F.ESC_BITS,
    F.K_MAX,
    F.IMU_N,
) != (
    SAMPLE_BLOCK_VERSION,
    _HEAD,
    _MAX_N,
    _V2_MAX_N,
    _SUB,
    _QMAX,
    _ESC_BITS,
    _K_MAX,
    _IMU_N,
):
    raise ImportError("stridefw.sampleblock_fmt changed: stridekit.fastblocks reads another format")
_U32 = 0xFFFFFFFF
# per version: the most samples in a block, the flag bits it knows (bit 3: grid
# offsets), whether it has preds 4 and 5
_LIMITS = {2: (_V2_MAX_N, 0x07, False), 3: (_MAX_N, 0x0F, False), 4: (_MAX_N, 0x0F, True)}
_BITMAP_MAX = (_MAX_N + 7) // 8  # bytes
# Zero bytes after the run: a cursor at most at its block's end (checked after each
# channel) reads at most 5 + 16 + 10 + 12 * 12 + 103 * (13 + 18) = 3,368 bits (421
# bytes, then a 4-byte window) in the next channel, so every read and every unary code's zero
# stays inside the padded buffer; the IMU bitmap's bytes are read from 9 to 9 + 13
_PAD_BYTES = 448

Decoded = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _unzz(z: np.ndarray) -> np.ndarray:
    return (z >> 1) ^ -(z & 1)


class _Stream:
    """The run's payloads end to end (zero padded) as bits, zero-bit positions and
    32-bit little-endian words at every byte."""

    def __init__(self, data: bytes) -> None:
        self.bytes = np.frombuffer(data + bytes(_PAD_BYTES), np.uint8)
        self.bits = np.unpackbits(self.bytes, bitorder="little")
        self.zeros = np.flatnonzero(self.bits == 0)
        self.words = np.ndarray((len(self.bytes) - 3,), "<u4", self.bytes, 0, (1,))

    def read(self, at: np.ndarray, width: np.ndarray | int) -> np.ndarray:
        """The width-bit fields (width <= 25) at bit offsets at, LSB first, as int64."""
        return (self.words[at >> 3].astype(np.int64) >> (at & 7)) & ((1 << width) - 1)


_BAD_F = 6  # f of an F the version refuses (pred 6)


def _params_tables(
    wide: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """How a sub-block's params read, by the bits at the cursor: (f, length) of a first
    sub-block's params by its 10 bits; (f where the params are given in full, else -1;
    the step of f: 0 the same, +8 or -8 a k step; length) of a later one by its 12 bits.
    f = pred | k << 3, or _BAD_F for an F the version refuses. wide: preds 4 and 5."""
    w10 = np.arange(1 << 10)
    f_pred, f_k = w10 & 3, (w10 >> 2) & 15
    ext = (f_pred == _VERBATIM) & (f_k != 0)  # F = 3 | k << 2, k > 0: preds 4 and 5
    first = np.where(ext, _BAD_F, f_pred | f_k << 3)
    first_len = np.where(ext, _F_BITS + _WIDE_K_BITS, _F_BITS)
    if wide:
        wide_f = (_VERBATIM + f_k) | ((w10 >> _F_BITS) & 15) << 3
        first = np.where(ext & (f_k <= _CUBIC - _VERBATIM), wide_f, first)
    w12 = np.arange(1 << 12)
    same = w12 & 1 == 0
    full = (w12 & 3) == 3  # else a k step, by its third bit
    later = np.where(full, first[(w12 >> 2) & 1023], -1)
    step = np.where(same | full, 0, np.where(w12 & 4, -8, 8))
    later_len = np.where(same, 1, np.where(full, 2 + first_len[(w12 >> 2) & 1023], 3))
    return first, first_len, later, step, later_len


# f = pred | k << 3 a valid pair: pred 0..5, k 0..15, pred 3 only with k 0 (a k step
# on pred 3 or out of 0..15 lands outside these); indexed by f + _F_LOW, as a block's
# f moves at most 8 a sub-block from 0..127 (13 sub-blocks: within -128..255)
_F_LOW = 128
_VALID_F = np.zeros(3 * _F_LOW, bool)
_VALID_F[_F_LOW : 2 * _F_LOW] = [
    (f & 7) <= _CUBIC and (f & 7 != _VERBATIM or f < 8) for f in range(_F_LOW)
]
_TABLES = {wide: _params_tables(wide) for wide in (False, True)}


def _params(
    st: _Stream, pos: np.ndarray, nsub: np.ndarray, wide: bool, has_nbr: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Each block's sub-blocks' (pred, k) read at pos: (preds, ks (0 past a block's
    sub-blocks), the cursor after); None if not exact. wide: preds 4 and 5 (F = 3 |
    (pred - 3) << 2, then k in 4 bits) are in the format."""
    s_max = int(nsub.max())
    first, first_len, later, step, later_len = _TABLES[wide]
    par = np.empty((len(pos), s_max), np.int64)
    w = st.read(pos, 10)
    f = first[w]
    pos = pos + np.where(nsub > 0, first_len[w], 0)
    par[:, 0] = f
    for s in range(1, s_max):
        w = st.read(pos, 12)
        full = later[w]
        f = np.where(full >= 0, full, f + step[w])
        pos = pos + np.where(nsub > s, later_len[w], 0)
        par[:, s] = f
    active = np.arange(s_max) < nsub[:, None]
    par = np.where(active, par, 0)
    if not np.all(_VALID_F[par + _F_LOW]):
        return None  # F = 3 | k << 2 the version refuses, a k step out of 0..15 or on pred 3
    preds = par & 7
    if not has_nbr and np.any(preds == _NEIGHBOUR):
        return None  # pred 4 on a channel without a neighbour
    return preds, par >> 3, pos


# A pred's order m: v_i minus its prediction is the m-th difference of v at i (pred 4
# once the neighbour's second difference is taken off its residual); pred 0 and
# verbatim: v_i itself
_ORDER = np.array([0, 1, 2, 0, 2, 3, 0, 0], np.int64)
_J = np.arange(1, _SUB + 1)  # a value's place in its sub-block, from 1
_TRI = _J * (_J + 1) // 2


def _undo_predictions(d: np.ndarray, order: np.ndarray, init: np.ndarray) -> np.ndarray:
    """Values (blocks, max c) from each value's d (its residual, or its value where the
    order is 0) and each sub-block's order (blocks, sub-blocks), init before the first.

    With p1, p2, p3 the three values before a sub-block (init where none) and S1, S2,
    S3 the running sums (once, twice, thrice) of d within the sub-block, its j-th
    value (j from 1) is, by order, 0: d; 1: p1 + S1; 2: p1 + j (p1 - p2) + S2; 3: p1 +
    j (p1 - p2) + j (j + 1) / 2 (p1 - 2 p2 + p3) + S3. The running sums of every
    sub-block are taken at once; only p1, p2, p3 pass from a sub-block to the next, in
    a loop over the sub-blocks (at most 13). A value outside 16 bits refuses the
    block, so nothing after it needs to be exact (int64 may wrap there).
    """
    n_blocks, width_c = d.shape
    n_sub = order.shape[1]
    ds = np.zeros((n_blocks, n_sub * _SUB), np.int64)
    ds[:, :width_c] = d
    ds = ds.reshape(n_blocks, n_sub, _SUB)
    top = int(order.max())
    summed = ds
    for m in range(1, top + 1):  # rows of order m or more: one more running sum
        rows = order >= m
        summed = np.where(rows[:, :, None], np.cumsum(summed, axis=2), summed)
    # the coefficients of p1, of p1 - p2 and of p1 - 2 p2 + p3, by order
    g1 = (order >= 1).astype(np.int64)
    g2 = (order >= 2).astype(np.int64)
    g3 = (order >= 3).astype(np.int64)
    q1 = np.empty((n_blocks, n_sub), np.int64)  # p1, p2, p3 before each sub-block
    q2 = np.empty_like(q1)
    q3 = np.empty_like(q1)
    last = summed[:, :, -3:]
    p1 = p2 = p3 = init
    for s in range(n_sub):
        q1[:, s], q2[:, s], q3[:, s] = p1, p2, p3
        if s + 1 < n_sub:  # the sub-block's last three values
            a, b, c = g1[:, s] * p1, g2[:, s] * (p1 - p2), g3[:, s] * (p1 - 2 * p2 + p3)
            p3 = last[:, s, 0] + a + _J[-3] * b + _TRI[-3] * c
            p2 = last[:, s, 1] + a + _J[-2] * b + _TRI[-2] * c
            p1 = last[:, s, 2] + a + _J[-1] * b + _TRI[-1] * c
    v = summed + (g1 * q1)[:, :, None]
    if top >= 2:
        v += (g2 * (q1 - q2))[:, :, None] * _J
    if top >= 3:
        v += (g3 * (q1 - 2 * q2 + q3))[:, :, None] * _TRI
    return v.reshape(n_blocks, n_sub * _SUB)[:, :width_c]


def _coded(
    st: _Stream,
    pos: np.ndarray,
    c: np.ndarray,
    init: np.ndarray,
    signed: bool,
    wide: bool,
    nbr: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray] | None:
    """Each block's c values coded after init, read at pos: (values (blocks, max c) with
    anything past a block's c undefined, the cursor after); None if not exact. nbr: the
    neighbour channel's values (its first, then these samples'; at least 1 + max c
    columns), or None where the channel has none."""
    width_c = int(c.max()) if len(c) else 0
    if width_c == 0:
        return np.zeros((len(c), 0), np.int64), pos
    got = _params(st, pos, (c + _SUB - 1) // _SUB, wide, nbr is not None)
    if got is None:
        return None
    preds, ks, pos = got
    col = np.arange(width_c)
    valid = col < c[:, None]
    pred = preds[:, col // _SUB]
    k = ks[:, col // _SUB]
    coded = valid & (pred != _VERBATIM)
    # unary: a block's i-th code ends at the i-th zero bit from its cursor
    rank = np.cumsum(coded, axis=1) - coded
    n_codes = rank[:, -1] + coded[:, -1]
    first_zero = np.searchsorted(st.zeros, pos)
    if int((first_zero + n_codes).max()) > len(st.zeros):
        return None  # past the padding: past the block's end
    at = first_zero[:, None] + rank
    ends = st.zeros[np.minimum(at, len(st.zeros) - 1)]
    starts = np.where(rank == 0, pos[:, None], st.zeros[at - 1] + 1)
    q = np.where(coded, ends - starts, 0)
    if int(q.max()) > _QMAX:
        return None  # a unary code longer than QMAX
    pos = np.where(n_codes > 0, st.zeros[first_zero + n_codes - 1] + 1, pos)
    # tails, end to end from the cursor
    escape = coded & (q == _QMAX)
    width = np.where(pred == _VERBATIM, 16, np.where(escape, _ESC_BITS, k))
    width = np.where(valid, width, 0)
    ends_at = np.cumsum(width, axis=1)
    tail = st.read(pos[:, None] + ends_at - width, width)
    pos = pos + ends_at[:, -1]
    z = np.where(escape, tail, (q << k) | tail)
    # past c every field is 0 wide and every quotient 0, so d is 0 there
    if signed:
        d = np.where(pred == _VERBATIM, tail - ((tail & 0x8000) << 1), _unzz(z))
    else:
        d = np.where(pred == _VERBATIM, tail, np.where(pred == 0, z, _unzz(z)))
    if nbr is not None and np.any(preds == _NEIGHBOUR):
        # pred 4 is pred 2 over d plus the neighbour's second difference b0 - 2 b1 + b2
        # (b: its values at this sample and the two before, its first where none)
        b = nbr[:, : width_c + 1]
        nbr_bend = b[:, 1:] - 2 * b[:, :-1] + np.concatenate([b[:, :1], b[:, :-2]], axis=1)
        d = np.where(valid & (pred == _NEIGHBOUR), d + nbr_bend, d)
    v = _undo_predictions(d, _ORDER[preds], init)
    lo, hi = (-0x8000, 0x7FFF) if signed else (0, 0xFFFF)
    if np.any(valid & ((v < lo) | (v > hi))):
        return None
    return v, pos


def _channel(
    st: _Stream,
    pos: np.ndarray,
    c: np.ndarray,
    signed: bool,
    wide: bool,
    nbr: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray] | None:
    """A cell's or an IMU axis's first value and c coded values per block: (values
    (blocks, 1 + max c), the cursor after); None if not exact. nbr: the values of the
    channel before (cells 1.., IMU axes 1..) or None."""
    w = st.read(pos, 5)
    if int(w.max()) > 16:
        return None
    z = st.read(pos + 5, w)
    if np.any((w > 0) & ((z >> np.maximum(w - 1, 0)) == 0)):
        return None  # the first value shorter than its bit length
    first = _unzz(z) if signed else z
    got = _coded(st, pos + 5 + w, c, first, signed, wide, nbr)
    if got is None:
        return None
    rest, pos = got
    return np.concatenate([first[:, None], rest], axis=1), pos


def decode_blocks(payloads: list[bytes], version: int = SAMPLE_BLOCK_VERSION) -> Decoded | None:
    """Consecutive SampleBlocks of one version and one cell count decoded at once.

    Args:
        payloads: the blocks' payloads, in order.
        version: their frames' version, 2, 3 or 4.

    Returns:
        (t_us u32, cells (samples, n_cells) int64, imu (samples, 6) int64, imu_present
        bool) over all the blocks' samples, imu rows of samples without IMU zeros; None
        if a block is not read exactly (the firmware's decoder says why), the cell
        counts differ or the version is another.
    """
    if version not in _LIMITS or not payloads or any(len(p) < _HEAD for p in payloads):
        return None
    max_n, known_flags, wide = _LIMITS[version]
    head = np.frombuffer(b"".join(p[:_HEAD] for p in payloads), np.uint8)
    head = head.reshape(-1, _HEAD).astype(np.int64)
    nc = int(head[0, 6])
    n = head[:, 7]
    flags = head[:, 8]
    if np.any(head[:, 6] != nc) or np.any((n == 0) | (n > max_n)):
        return None
    if np.any((flags & ~known_flags != 0) | (flags & 6 == 6) | (flags & 9 == 8)):
        return None  # unknown bits, IMU mode 3, grid offsets without a time channel
    t0 = head[:, 0] | (head[:, 1] << 8) | (head[:, 2] << 16) | (head[:, 3] << 24)
    period = head[:, 4] | (head[:, 5] << 8)
    size = np.array([len(p) for p in payloads], np.int64)
    base = np.cumsum(size) - size
    st = _Stream(b"".join(payloads))
    end_bit = 8 * (base + size)
    # which samples have IMU: every one, none, or a bitmap's (bits past n zero)
    n_max = int(n.max())
    col = np.arange(n_max)
    in_block = col < n[:, None]
    bitmap_bytes = np.where(flags & 4 != 0, (n + 7) >> 3, 0)
    at = base[:, None] + _HEAD + np.arange(_BITMAP_MAX)
    bitmap = np.unpackbits(st.bytes[at], axis=1, bitorder="little")
    bit = np.arange(8 * _BITMAP_MAX)
    beyond = (bit >= n[:, None]) & (bit < 8 * bitmap_bytes[:, None])
    if np.any((bitmap != 0) & beyond) or np.any(size < _HEAD + bitmap_bytes):
        return None
    bitmap = bitmap[:, :n_max] != 0
    present = np.where((flags & 4 != 0)[:, None], bitmap, (flags & 2 != 0)[:, None]) & in_block
    m = present.sum(axis=1)
    pos = 8 * (base + _HEAD + bitmap_bytes)
    steps = np.broadcast_to(period[:, None], (len(n), n_max)).copy()
    steps[:, 0] = 0
    for grid in (False, True):
        # the time channel: dt_us (unsigned, after period) or grid offsets (int16, after 0)
        timed = np.flatnonzero(flags & 9 == (9 if grid else 1))
        if not len(timed):
            continue
        c = n[timed] - 1
        init = np.zeros_like(c) if grid else period[timed]
        got = _coded(st, pos[timed], c, init, grid, wide, None)
        if got is None:
            return None
        dts, pos[timed] = got
        if grid:  # dt_us of sample i: period_us + o_i - o_(i-1), o_0 = 0
            before = np.concatenate([np.zeros((len(timed), 1), np.int64), dts[:, :-1]], axis=1)
            dts = period[timed][:, None] + dts - before
            valid = np.arange(dts.shape[1]) < c[:, None]
            if np.any(valid & ((dts < 0) | (dts > 0xFFFF))):
                return None
        steps[timed, 1 : 1 + dts.shape[1]] = dts
    cells = np.zeros((len(n), n_max, nc), np.int64)
    for j in range(nc):  # the neighbour of cell j (pred 4) is cell j - 1
        if np.any(pos > end_bit):
            return None
        got = _channel(st, pos, n - 1, False, wide, cells[:, :, j - 1] if j else None)
        if got is None:
            return None
        cells[:, :, j], pos = got
    with_imu = np.flatnonzero(m)
    axes: list[np.ndarray] = []
    for j in range(_IMU_N if len(with_imu) else 0):  # axis j's neighbour: axis j - 1
        if np.any(pos > end_bit):
            return None
        nbr = axes[j - 1] if j else None
        got = _channel(st, pos[with_imu], m[with_imu] - 1, True, wide, nbr)
        if got is None:
            return None
        values, pos[with_imu] = got
        axes.append(values)
    # the stream ends in the block's last byte, zero bits after it
    tail_bits = pos & 7
    last = st.bytes[base + size - 1].astype(np.int64)
    if np.any((pos + 7) >> 3 != base + size) or np.any(
        ((last >> tail_bits) != 0) & (tail_bits != 0)
    ):
        return None
    t_us = ((t0[:, None] + np.cumsum(steps, axis=1)) & _U32)[in_block].astype(np.uint32)
    present_flat = present[in_block]
    imu = np.zeros((len(present_flat), _IMU_N), np.int64)
    if axes:
        got_imu = np.arange(axes[0].shape[1]) < m[with_imu][:, None]
        imu[present_flat] = np.stack([a[got_imu] for a in axes], axis=1)
    return t_us, cells[in_block], imu, present_flat


def decode_block(
    payload: bytes | bytearray | memoryview, version: int = SAMPLE_BLOCK_VERSION
) -> Decoded | None:
    """One SampleBlock of the frame's version (2, 3 or 4) as decode_blocks gives a run;
    None if not exact."""
    return decode_blocks([bytes(payload)], version)


# Version 1: stridefw.sampleblock_v1. Every varint of a block at once (its last byte is
# the one below 0x80), the samples' IMU bits by a short walk, then zigzag and the
# second-order predictor undone with two cumulative sums per channel (v[s] = 2 v[s-1] -
# v[s-2] + r[s] is v = r0 + the running sum of the running sum of r from s = 1).

_HEAD_V1 = 8  # t0 u32, period u16, n_cells u8, n u8 (stridefw.sampleblock_v1)
_VARINT_MAX_BYTES = 5  # the firmware refuses a sixth byte (shift > 28)


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


def decode_block_v1(
    payload: bytes | bytearray | memoryview,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """A version-1 SampleBlock as (t_us u32, cells, imu, imu_present); None if not exact.

    cells (n, n_cells) and imu (n, 6) are int64 as decoded (the caller checks ranges);
    imu rows of samples without IMU are zeros.
    """
    data = bytes(payload)
    if len(data) < _HEAD_V1:
        return None
    t0 = int.from_bytes(data[0:4], "little")
    period = data[4] | (data[5] << 8)
    nc = data[6]
    n = data[7]
    body = np.frombuffer(data, np.uint8, offset=_HEAD_V1)
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


# Samples of one call of decode_blocks_v1: the double running sums stay far inside int64
# (|residual| < 2**36 from five-byte varints; 2**36 * 64 * 2**16 < 2**63)
_MAX_SAMPLES = 1 << 16


def decode_blocks_v1(
    payloads: list[bytes],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """Consecutive version-1 SampleBlocks of one cell count, all with IMU or all without,
    decoded at once: (t_us u32, cells, imu, imu_present) as decode_block_v1 gives them.

    None when a block is not of that uniform kind (IMU in some samples only, another
    cell count) or not exact: the caller then takes them one by one (decode_block_v1).
    """
    if not payloads or any(len(p) < _HEAD_V1 for p in payloads):
        return None
    nc = payloads[0][6]
    heads = np.frombuffer(b"".join(p[:_HEAD_V1] for p in payloads), np.uint8).reshape(-1, _HEAD_V1)
    if np.any(heads[:, 6] != nc):
        return None
    n = heads[:, 7].astype(np.int64)
    total = int(n.sum())
    if total == 0 or total > _MAX_SAMPLES or np.any(n == 0):
        return None
    body = np.frombuffer(b"".join(p[_HEAD_V1:] for p in payloads), np.uint8)
    sizes = np.array([len(p) - _HEAD_V1 for p in payloads], np.int64)
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
