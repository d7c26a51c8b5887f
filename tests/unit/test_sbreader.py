"""The compiled SampleBlock reader (stridekit/sbreader.pyx, built by `make setup` into
build/native) against the firmware's reader, at versions 4, 3 and 2.

It reads exactly the blocks stridefw.sampleblock_read reads at the frames' version,
to the same samples, and refuses (None) every other: a single block, or a run with
one refused block or another cell count. The blocks come from the firmware's encoder
(stridefw.sampleblock: channels that switch between regimes, and smooth, correlated
cells and IMU axes, where it takes preds 4 and 5), from a writer that picks every
field at random (of each version; tests/unit/sb_fields.py), from damage, from
hand-made payloads, and from the committed sessions of versions 2 and 3 (tests/data).
Every payload is read at every version, each against the firmware's reader at that
version (the numpy reader, stridekit.fastblocks, is held to the same one in
tests/unit/test_fastblocks.py).
The reader is a host module loaded whenever its build is current, stridefw imported
first or not, so it runs in this process; with no current build these tests skip
and say why (in CI, where `make setup` builds it, they fail instead).
"""

from __future__ import annotations

import json
import random
import shutil
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stridefw import records as R
from stridefw import sampleblock as SB
from stridefw.sampleblock_fmt import BLOCK_MAX_SAMPLES, ESC_BITS, QMAX, SUB, V2_MAX_SAMPLES
from stridekit import native
from tests.conftest import IN_CI
from tests.unit import sb_fields as SF
from tests.unit.test_native_kernel import run_child

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
VERSIONS = (2, 3, 4)
V4 = SB.SAMPLE_BLOCK_VERSION


_COMPILED, _WHY = native.load_reader(native.build_dir(), native.reader_source())


def _reader() -> native.ReaderFn:
    if _COMPILED is None:
        why = f"the compiled SampleBlock reader is not built or not current: {_WHY}"
        if IN_CI:
            pytest.fail(f"{why}; `make setup` builds it and CI must run it")
        pytest.skip(why)
    return _COMPILED


def _check(payloads: list[bytes], version: int = V4) -> bool:
    """The compiled reader reads the run at version exactly when the firmware reads
    every block at that version (of one cell count), to the firmware's samples;
    returns whether it read the run."""
    got = _reader()(payloads, version)
    want = [SF.reference(p, version) for p in payloads]
    readable = all(w is not None for w in want) and len({p[6] for p in payloads}) == 1
    assert (got is not None) == readable, (version, got is not None, [w is not None for w in want])
    if got is None:
        return False
    t, cells, imu, present = got
    n, nc = sum(p[7] for p in payloads), payloads[0][6]
    assert t.dtype == np.uint32 and t.shape == (n,)
    assert cells.dtype == np.int64 and cells.shape == (n, nc)
    assert imu.dtype == np.int64 and imu.shape == (n, 6)
    assert present.dtype == np.bool_ and present.shape == (n,)
    assert not imu[~present].any()  # rows of samples without IMU are zeros
    rows = SF.rows(got)
    assert rows[0] == [x for w in want if w for x in w[0]]
    assert rows[1] == [x for w in want if w for x in w[1]]
    assert rows[2] == [x for w in want if w for x in w[2]]
    return True


def _check_all(payloads: list[bytes]) -> dict[int, bool]:
    """_check at versions 2, 3 and 4: whether it read the run at each. Version 2 is
    version 3 without bit 3 and with n <= 64, so a run reads at version 2 exactly when
    it reads at version 3 and has neither; version 4 is version 3 with preds 4 and 5, so
    it reads every run version 3 reads (_check: to the same samples)."""
    read = {v: _check(payloads, v) for v in VERSIONS}
    assert read[2] == (read[3] and all(p[7] <= V2_MAX_SAMPLES and not p[8] & 8 for p in payloads))
    assert read[4] or not read[3]
    return read


# --- the firmware's encoder -------------------------------------------------------------

_SHAPES = ("regimes", "smooth")


def _enc_block(
    seed: int,
    n_cells: int,
    n: int,
    imu: str,
    time: str,
    period_us: int,
    t0: int,
    shape: str = "regimes",
) -> bytes:
    """A block from the firmware's encoder: of channels that switch regimes
    (SF.enc_block), or of smooth, correlated ones with a little noise
    (SF.smooth_block)."""
    if shape == "smooth":
        return SF.smooth_block(seed, n_cells, n, imu, time, period_us, t0, 1)
    return SF.enc_block(seed, n_cells, n, imu, time, period_us, t0)


def _enc_blocks(n_cells: int | None = None) -> st.SearchStrategy[bytes]:
    return st.one_of(SF.enc_blocks(n_cells), SF.smooth_blocks(n_cells))


def _blocks(n_cells: int | None = None) -> st.SearchStrategy[bytes]:
    """The encoder's blocks, and the random-field writer's of every version."""
    return st.one_of(_enc_blocks(n_cells), *(SF.any_blocks(n_cells, v) for v in VERSIONS))


# --- blocks -----------------------------------------------------------------------------


@settings(max_examples=250, deadline=None)
@given(_enc_blocks())
def test_encoded_blocks_read_as_the_firmware_reads_them(payload: bytes) -> None:
    assert _check_all([payload])[4]  # every block the encoder writes reads at version 4


def test_the_encoded_blocks_hold_preds_4_and_5() -> None:
    """The encoder's blocks of smooth, correlated channels take preds 4 and 5 (so the
    tests above read them), and the compiled reader reads those blocks."""
    payloads = [
        _enc_block(s, [1, 4, 8, 16][s % 4], 80, ["all", "some"][s % 2], "grid", 10_000, 0, "smooth")
        for s in range(24)
    ]
    preds = SF.pred_counts(payloads)
    assert preds[4] >= 20 and preds[5] >= 20, preds
    assert all(_check([p]) for p in payloads)
    regimes = [_enc_block(s, 8, 80, "all", "grid", 10_000, 0) for s in range(24)]
    assert set(SF.pred_counts(regimes)) >= {0, 1, 2, 3}


@pytest.mark.parametrize("n_cells", [0, 8, 16])
@pytest.mark.parametrize("imu", ["all", "none", "some"])
@pytest.mark.parametrize("time", SF.TIMES)
def test_full_blocks_read_as_the_firmware_reads_them(n_cells: int, imu: str, time: str) -> None:
    """Blocks of the most samples the encoder puts in one: 104, or 82 of 16 cells
    (13 and 11 bytes of IMU bitmap), with the time as grid offsets, as dt_us or none."""
    n = SB.block_samples(n_cells)
    assert n == (82 if n_cells == 16 else BLOCK_MAX_SAMPLES)
    payloads = [
        _enc_block(s, n_cells, n, imu, time, 10_000, s << 20, _SHAPES[s % 2]) for s in range(6)
    ]
    assert all(p[7] == n for p in payloads)
    assert {p[8] & 9 for p in payloads} == {"none": {0}, "grid": {9}, "gaps": {1}}[time]
    assert imu != "some" or all(p[8] & 6 == 4 for p in payloads)  # bitmaps
    assert all(_check([p]) for p in payloads) and _check(payloads)
    assert not _check([payloads[0]], 2)  # over 64 samples


@pytest.mark.parametrize("version", VERSIONS)
@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_blocks_with_every_field_at_random_read_as_the_firmware_reads_them(
    version: int, data: st.DataObject
) -> None:
    payload = data.draw(SF.any_blocks(version=version))
    assert SF.reference(payload, version) is not None  # the writer writes what the format allows
    assert _check_all([payload])[version]


def test_the_random_blocks_hold_every_kind_of_field() -> None:
    """The writer's blocks hold what a reader must read, at each version: escapes (of
    large and of small z), verbatim values, every pred and way to code a param, a time
    channel of either kind."""
    for version in VERSIONS:
        written: Counter[str] = Counter()
        for seed in range(40):
            w = SF.AnyWriter(random.Random(seed), version)
            w.block(seed, 3, 64, ["all", "none", "some"][seed % 3], 10_000)
            written.update(w.written)
        kinds = ["escape", "escape of a small z", "verbatim", "pred 0", "pred 1", "pred 2"]
        kinds += ["param as before", "param k + 1", "param k - 1", "param in full"]
        kinds += ["pred 4", "pred 5"] if version >= 4 else []
        steps_45 = ["param k step of pred 4 or 5", "param of pred 4 or 5 in full after the first"]
        kinds += steps_45 if version >= 4 else []
        assert all(written[k] >= 5 for k in kinds), (version, written)
        assert written["grid offsets" if version >= 3 else "dt_us"] >= 5, (version, written)
        assert version >= 4 or not written["pred 4"] + written["pred 5"]


@settings(max_examples=80, deadline=None)
@given(
    st.integers(0, 16).flatmap(lambda nc: st.lists(_blocks(nc), min_size=1, max_size=10)),
)
def test_runs_of_blocks_read_as_the_firmware_reads_them(payloads: list[bytes]) -> None:
    _check_all(payloads)


@settings(max_examples=400, deadline=None)
@given(_blocks(), st.data())
def test_damaged_blocks_are_refused_or_read_the_same(payload: bytes, data: st.DataObject) -> None:
    buf = bytearray(payload)
    SF.damage(buf, data)
    _check_all([bytes(buf)])


@settings(max_examples=100, deadline=None)
@given(
    st.integers(0, 16).flatmap(lambda nc: st.lists(_blocks(nc), min_size=2, max_size=8)),
    st.data(),
)
def test_a_run_with_a_damaged_block_is_refused_or_read_the_same(
    payloads: list[bytes], data: st.DataObject
) -> None:
    i = data.draw(st.integers(0, len(payloads) - 1))
    buf = bytearray(payloads[i])
    SF.damage(buf, data)
    payloads[i] = bytes(buf)
    _check_all(payloads)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_are_refused_or_read_the_same(payload: bytes) -> None:
    _check_all([payload])


@settings(max_examples=800, deadline=None)
@given(
    st.integers(0, 2),
    st.sampled_from([1, 2, 3, 5, 9, 12, 64, 65, 104, 105]),
    st.sampled_from([0, 1, 2, 3, 4, 5, 8, 9, 11, 13, 16]),
    st.integers(0, 65535),
    st.binary(min_size=0, max_size=13),
    st.binary(min_size=1, max_size=40),
)
def test_a_sound_head_with_random_bits_is_refused_or_read_the_same(
    nc: int, n: int, flags: int, period_us: int, bitmap: bytes, body: bytes
) -> None:
    """Random streams behind a head the firmware may take: few cells, so that some of
    them read (escapes, verbatim values, k steps, preds 4 and 5 and grid offsets
    anywhere, dt_us from them at 0 and 65535), and every refusal on the way (k out of
    range, preds 6 and 7, pred 4 without a neighbour, a long unary code, truncation,
    padding, an offset's dt_us out of range, bit 3 without bit 0 or at version 2, n
    over 64 at version 2 and over 104)."""
    head = bytes([1, 2, 3, 4, period_us & 0xFF, period_us >> 8, nc, n, flags])
    if flags & 4:
        head += bitmap[: (n + 7) // 8].ljust((n + 7) // 8, b"\0")
    _check_all([head + body])


def test_the_random_heads_do_read_sometimes() -> None:
    """The test above is not vacuous: of these streams some are whole blocks at every
    version, with a time channel as dt_us and as grid offsets, or one cell."""
    rng = np.random.default_rng(5)
    read: Counter[tuple[int, int]] = Counter()
    for _ in range(3000):
        for flags in (0, 1, 9):
            body = rng.integers(0, 256, int(rng.integers(1, 12)), dtype=np.uint8).tobytes()
            nc = 0 if flags else 1  # the time channel alone, or one cell
            got = _check_all([bytes([0, 0, 0, 0, 0x10, 0x27, nc, 2, flags]) + body])
            read.update((flags, v) for v, ok in got.items() if ok)
    want = [(f, v) for f in (0, 1, 9) for v in VERSIONS if v >= 3 or f != 9]
    assert min(read[k] for k in want) >= 5, read


# --- version 4: preds 4 and 5 ----------------------------------------------------------


def _first(z: int) -> list[int]:
    """A channel's first value: its bit length w (5 bits), then w bits of z."""
    return SF.bits(z.bit_length(), 5) + SF.bits(z, z.bit_length())


def _sub(pred: int, k: int, zs: list[int]) -> list[int]:
    """One sub-block, alone in its channel: params (pred, k) in full, then zs coded at
    k (every z under QMAX << k; pred 3: zs are the 16-bit values)."""
    if pred == 3:
        return SF.params_bits(pred, k) + [b for z in zs for b in SF.bits(z, 16)]
    assert all(z >> k < QMAX for z in zs)
    unary = [b for z in zs for b in [1] * (z >> k) + [0]]
    return SF.params_bits(pred, k) + unary + [b for z in zs for b in SF.bits(z, k)]


# cell 0: 9 samples of a quadratic, its first value and then pred 0 (z = the value) k 7
_CELL0 = [10 + 3 * i * i for i in range(9)]
_CELL0_BITS = _first(_CELL0[0]) + _sub(0, 7, _CELL0[1:])


def _cells_block(cell1_first: int, pred: int, k: int = 0, zs: list[int] | None = None) -> bytes:
    """Two cells, 9 samples, no time channel and no IMU: cell 0 is _CELL0, cell 1 its
    first value and one sub-block of (pred, k) (residuals zs, 0 unless given)."""
    head = bytes([0, 0, 0, 0, 0x10, 0x27, 2, 9, 0])
    cell1 = _first(cell1_first) + _sub(pred, k, zs if zs is not None else [0] * 8)
    return head + SF.packed(_CELL0_BITS + cell1)


def test_pred_4_adds_the_neighbours_second_difference() -> None:
    """Cell 1 in pred 4 with every residual 0 follows cell 0 at its own offset (the
    linear prediction plus cell 0's second difference, cell 0's first value where
    there is none before)."""
    payload = _cells_block(500, 4, 0)
    want = SF.reference(payload, V4)
    assert want is not None and [c[1] for c in want[1]] == [v + 490 for v in _CELL0]
    assert _check([payload])
    got = _reader()([payload], V4)
    assert got is not None and got[1][:, 1].tolist() == [v + 490 for v in _CELL0]
    # residuals: +1, -1, ... on top (zz: 2, 1)
    zs = [2, 1] * 4
    payload = _cells_block(500, 4, 2, zs)
    assert _check([payload])


def test_pred_5_is_the_cubic_prediction() -> None:
    # cell 1 a quadratic too (3 i^2 + 7): pred 5's cubic extrapolation, from the
    # first value (init) where there are none before, gives it with residuals that
    # differ from 0 only at the start
    vals = [7 + 3 * i * i for i in range(9)]
    zs = [SF.zz(vals[i + 1] - SF.prediction(5, vals, i + 1)) for i in range(8)]
    payload = _cells_block(vals[0], 5, 4, zs)
    want = SF.reference(payload, V4)
    assert want is not None and [c[1] for c in want[1]] == vals
    assert _check([payload])


@pytest.mark.parametrize("pred", [4, 6, 7])
def test_pred_4_without_a_neighbour_and_preds_6_and_7_are_refused(pred: int) -> None:
    """Pred 4 on cell 0 (at every version: versions 2 and 3 refuse its F = 3 | 1 << 2);
    preds 6 and 7 anywhere (F = 3 | 3 << 2 and 3 | 4 << 2)."""
    head = bytes([0, 0, 0, 0, 0x10, 0x27, 1, 9, 0])
    on_cell_0 = head + SF.packed(_first(_CELL0[0]) + _sub(pred, 7, _CELL0[1:]))
    assert SF.reference(on_cell_0, V4) is None
    assert not any(_check_all([on_cell_0]).values())
    on_cell_1 = _cells_block(500, pred)
    assert (SF.reference(on_cell_1, V4) is not None) == (pred == 4)
    assert _check_all([on_cell_1]) == {2: False, 3: False, 4: pred == 4}
    good = _cells_block(500, 1)
    assert _check([good]) and not _check([good, on_cell_0])


@pytest.mark.parametrize("pred, ok", [(4, False), (5, True), (6, False), (7, False)])
def test_the_time_channel_has_no_neighbour(pred: int, ok: bool) -> None:
    """The time channel (dt_us, and grid offsets): pred 4 is refused, pred 5 reads."""
    for flags in (1, 9):
        head = bytes([0, 0, 0, 0, 0x10, 0x27, 0, 9, flags])
        zs = [SF.zz(0)] * 8  # each value its prediction: dt_us 10000 (offsets 0)
        payload = head + SF.packed(_sub(pred, 1, zs))
        assert (SF.reference(payload, V4) is not None) == ok
        assert _check_all([payload])[4] == ok
        if ok:
            got = _reader()([payload], V4)
            assert got is not None and np.diff(got[0].astype(np.int64)).tolist() == [10_000] * 8


@pytest.mark.parametrize("n_cells", [0, 1])
def test_imu_axis_0_has_no_neighbour_and_axis_j_follows_axis_j_minus_1(n_cells: int) -> None:
    """IMU axis 0's pred 4 is refused (the last cell is not its neighbour); axes 1-5 in
    pred 4 with residuals 0 follow the axis before, each at its own offset."""
    n = 4
    head = bytes([0, 0, 0, 0, 0x10, 0x27, n_cells, n, 2])
    cells = (_first(5) + _sub(1, 0, [0] * (n - 1))) * n_cells
    axis0 = [100, -200, 300, -50]  # pred 0: z = zz(value)
    firsts = [100, 7, -7, 0, 32000, -32000]  # each axis' first value

    def axes(pred0: int) -> list[int]:  # axis 0 in (pred0, k 10)
        out = _first(SF.zz(firsts[0])) + _sub(pred0, 10, [SF.zz(v) for v in axis0[1:]])
        for a in range(1, 6):
            out += _first(SF.zz(firsts[a])) + _sub(4, 0, [0] * (n - 1))
        return out

    good = head + SF.packed(cells + axes(0))
    want = SF.reference(good, V4)
    offsets = [firsts[a] - firsts[0] for a in range(6)]
    assert want is not None and _check([good])
    assert want[2] == [tuple(v + o for o in offsets) for v in axis0]
    bad = head + SF.packed(cells + axes(4))
    assert SF.reference(bad, V4) is None and not _check_all([bad])[4]


def test_a_pred_4_value_outside_16_bits_is_refused() -> None:
    # cell 1 in pred 4 follows cell 0 (10 + 3 i^2) at its own offset: from 65535 - 32
    # it leaves 0..65535 at sample 4; from 65535 - 192 it ends at 65535
    assert SF.reference(_cells_block(65535 - 32, 4), V4) is None
    assert not _check([_cells_block(65535 - 32, 4)])
    assert _check([_cells_block(65535 - 192, 4)])


def _two_sub_blocks(first: tuple[int, int], second: list[int], version: int, k1: int) -> bytes:
    """One cell, 17 samples, no time channel, no IMU: the first value 0, then two
    sub-blocks of 8 values with params first = (pred, k) in full (_params_bits) and
    `second` (bits), 16 unary codes 0 and every tail 0 (k bits each in the first, 16
    if pred 3; k1 bits each in the second)."""
    pred, k0 = first
    head = bytes([0, 0, 0, 0, 0x10, 0x27, 1, 17, 0])
    body = [0] * 5 + SF.params_bits(pred, k0) + second
    return head + SF.packed(body + [0] * 16 + [0] * (8 * (16 if pred == 3 else k0) + 8 * k1))


@pytest.mark.parametrize(
    "first, second, k1, ok",
    [
        ((1, 14), [1, 0, 0], 15, True),  # pred 1 k 14, then k + 1
        ((5, 14), [1, 0, 0], 15, True),  # pred 5 k 14, then k + 1 (its k steps by 1)
        ((0, 1), [1, 0, 1], 0, True),  # pred 0 k 1, then k - 1
        ((5, 1), [1, 0, 1], 0, True),  # pred 5 k 1, then k - 1
        ((5, 5), [0], 5, True),  # pred 5 k 5 (F = 3 | 2 << 2, k in 4 bits), then the same
        ((1, 15), [1, 0, 0], 15, False),  # k + 1 past 15
        ((5, 15), [1, 0, 0], 15, False),  # pred 5's k + 1 past 15
        ((1, 0), [1, 0, 1], 15, False),  # k - 1 below 0
        ((5, 0), [1, 0, 1], 15, False),
        # a k step on a verbatim sub-block (the block as long as two verbatim ones)
        ((3, 0), [1, 0, 0], 14, False),
        ((3, 0), [1, 0, 1], 14, False),
        # F = 3 | k << 2, k over 2, then 4 bits of k 15 (the block's length fits them)
        ((6, 15), [0], 15, False),  # F = 3 | 3 << 2 (a verbatim sub-block with k 3)
        ((18, 15), [0], 15, False),  # F = 3 | 15 << 2
        ((1, 0), [1, 1, *SF.params_bits(6, 15)], 15, False),  # then F = 3 | 3 << 2
        ((1, 0), [1, 1, *SF.params_bits(3, 0)], 15, True),  # then a verbatim sub-block
        ((1, 0), [1, 1, *SF.params_bits(5, 15)], 15, True),  # then pred 5 in full
        ((1, 0), [1, 1, *SF.params_bits(7, 15)], 15, False),  # then F = 3 | 4 << 2
        ((1, 0), [1, 1, *SF.params_bits(4, 15)], 15, False),  # then pred 4, on cell 0
        ((6, 14), [1, 0, 0], 15, False),  # F = 3 | 3 << 2, and a step from it
    ],
)
def test_k_steps_and_params_as_the_firmware_reads_them(
    first: tuple[int, int], second: list[int], k1: int, ok: bool
) -> None:
    payload = _two_sub_blocks(first, second, V4, k1)
    assert (SF.reference(payload, V4) is not None) == ok
    assert _check_all([payload])[4] == ok


@pytest.mark.parametrize(
    "first, second, k1, ok",
    [
        ((1, 14), [1, 0, 0], 15, True),  # pred 1 k 14, then k + 1
        ((1, 15), [1, 0, 0], 15, False),  # k + 1 past 15
        ((1, 0), [1, 0, 1], 15, False),  # k - 1 below 0
        ((3, 0), [1, 0, 0], 14, False),  # a k step on a verbatim sub-block
        ((3, 1), [0], 15, False),  # a verbatim sub-block with a k: F = 3 | 1 << 2
        ((3, 2), [0], 15, False),  # F = 3 | 2 << 2
        ((5, 15), [0], 15, False),  # the same F, then 4 bits (version 4's pred 5 k 15)
        ((1, 0), [1, 1, 1, 1, 1, 1, 1, 0], 15, False),  # then a verbatim sub-block with a k
        ((1, 0), [1, 1, *SF.params_bits(5, 15)], 15, False),  # then version 4's pred 5 k 15
        ((1, 0), [1, 1, 1, 1, 0, 0, 0, 0], 15, True),  # then a verbatim sub-block
    ],
)
def test_k_steps_and_params_at_versions_3_and_2(
    first: tuple[int, int], second: list[int], k1: int, ok: bool
) -> None:
    """Version 3's params are version 4's without preds 4 and 5: F = 3 | k << 2 with
    any k over 0 is refused."""
    payload = _two_sub_blocks(first, second, 3, k1)
    assert (SF.reference(payload, 3) is not None) == ok
    read = _check_all([payload])
    assert read[3] == ok and read[2] == ok


def test_an_escape_in_a_pred_4_or_5_sub_block_reads_z_in_18_bits() -> None:
    # cell 1's first sub-block pred 4 k 0 and pred 5 k 0, each value an escape: z in
    # ESC_BITS bits (a large one, then the largest, which leaves 16 bits)
    for pred in (4, 5):
        for z, ok in ((SF.zz(600), True), ((1 << ESC_BITS) - 1, False)):
            head = bytes([0, 0, 0, 0, 0x10, 0x27, 2, 2, 0])
            cell1 = _first(30_000) + SF.params_bits(pred, 0) + [1] * QMAX + [0]
            cell1 += SF.bits(z, ESC_BITS)
            payload = head + SF.packed(_first(_CELL0[0]) + _sub(0, 4, [_CELL0[1]]) + cell1)
            assert (SF.reference(payload, V4) is not None) == ok
            assert _check_all([payload])[4] == ok


# --- grid offsets, values, bitmaps, unary codes (versions 3 and 4) ----------------------


def _grid_block(period_us: int, offsets: list[int], version: int = V4) -> bytes:
    """No cells, no IMU, len(offsets) + 1 samples, the time channel grid offsets in
    verbatim sub-blocks (params pred 3 k 0, then as before; 16 bits each, any value)."""
    head = bytes([0, 0, 0, 0, period_us & 0xFF, period_us >> 8, 0, len(offsets) + 1, 9])
    params = SF.bits(3, SF.F_BITS) + [0] * ((len(offsets) - 1) // SUB)
    values = [(o >> i) & 1 for o in offsets for i in range(16)]
    return head + SF.packed(params + values)


@pytest.mark.parametrize("version", [3, 4])
@pytest.mark.parametrize(
    "period_us, offsets, dts",
    [
        (10_000, [250], [10_250]),
        (10_000, [-10_000], [0]),  # dt_us 0
        (10_000, [-10_001], None),  # dt_us -1
        (40_000, [25_535], [65_535]),  # dt_us 65535
        (40_000, [25_536], None),  # dt_us 65536
        (65_535, [0x7FFF], None),  # an offset in int16, its dt_us over 65535
        (1, [-0x8000], None),  # and under 0
        (0x8000, [0x7FFF], [0xFFFF]),
        (0x8000, [-0x8000], [0]),
        (10_000, [100, -9_900], [10_100, 0]),  # dt_us from o_2 - o_1, not o_2 alone
        (10_000, [100, -9_901], None),
        (0x8000, [-0x8000, -1], [0, 0xFFFF]),
        (0x8000, [-0x8000, 0], None),
        (10_000, [7] * 20, [10_007] + [10_000] * 19),  # three sub-blocks
    ],
)
def test_grid_offsets_give_the_firmware_readers_dt_us(
    version: int, period_us: int, offsets: list[int], dts: list[int] | None
) -> None:
    """dt_us of sample i = period_us + o_i - o_(i-1), o_0 = 0; a dt_us outside 0..65535
    refuses the block (dts None)."""
    payload = _grid_block(period_us, offsets, version)
    want = SF.reference(payload, version)
    assert (want is not None) == (dts is not None)
    assert _check([payload], version) == (dts is not None)
    if want is not None:
        assert [b - a for a, b in zip(want[0], want[0][1:], strict=False)] == dts
    assert not _check([payload], 2)  # bit 3 is not version 2's
    run = [_grid_block(period_us, [0] * len(offsets), version), payload]
    assert _check(run, version) == (dts is not None)


@pytest.mark.parametrize("version", [3, 4])
@pytest.mark.parametrize(
    "o, period_us, ok",
    [
        (0x7FFF, 0x7FFF, True),
        (0x8000, 0x7FFF, False),
        (-0x8000, 0x8001, True),
        (-0x8001, 0x8001, False),
    ],
)
def test_a_grid_offset_outside_int16_is_refused(
    version: int, o: int, period_us: int, ok: bool
) -> None:
    # one offset, escaped (params pred 0 k 0, unary QMAX ones and a zero, z in 18 bits),
    # at a period that keeps its dt_us in 0..65535 either way
    head = bytes([0, 0, 0, 0, period_us & 0xFF, period_us >> 8, 0, 2, 9])
    bits = [0] * SF.F_BITS + [1] * QMAX + [0] + SF.bits(SF.zz(o), ESC_BITS)
    payload = head + SF.packed(bits)
    assert 0 <= period_us + o <= 0xFFFF
    assert (SF.reference(payload, version) is not None) == ok and _check([payload], version) == ok
    if ok:
        assert SF.reference(payload, version) == ([0, period_us + o], [(), ()], [None, None])


@pytest.mark.parametrize("version", VERSIONS)
def test_values_outside_16_bits_are_refused(version: int) -> None:
    head = bytes([0, 0, 0, 0, 0x10, 0x27, 1, 2, 0])
    bits = [0] * 5 + [0] * SF.F_BITS + [1] * QMAX + [0]  # first 0; pred 0 k 0, an escape
    big = head + SF.packed(bits + SF.bits(0x10000, ESC_BITS))
    top = head + SF.packed(bits + SF.bits(0xFFFF, ESC_BITS))
    assert not _check([big], version) and _check([top], version)
    assert SF.reference(top, version) == ([0, 10_000], [(0,), (0xFFFF,)], [None, None])
    # the first value in 17 bits
    wide = head + SF.packed([1, 0, 0, 0, 1] + [0] * 16 + [1] + [0] * SF.F_BITS)
    assert SF.reference(wide, version) is None and not _check_all([wide])[version]
    # the first value with a leading zero bit (w = 2, z = 1)
    short = head + SF.packed([0, 1, 0, 0, 0] + [1, 0] + [0] * SF.F_BITS + [0])
    assert SF.reference(short, version) is None and not _check_all([short])[version]


@pytest.mark.parametrize("version", VERSIONS)
def test_imu_bitmaps_as_the_firmware_reads_them(version: int) -> None:
    fw = SF.F_BITS
    axes = SF.packed(([0] * 5 + [0] * fw + [0]) * 6)  # each axis: 0, then one coded 0
    head = bytes([0, 0, 0, 0, 0x10, 0x27, 0, 3, 4])
    assert _check([head + bytes([0b011]) + axes], version)
    assert not _check([head + bytes([0b1011]) + axes], version)  # a bit past the samples
    assert _check([head + bytes([0])], version)  # no sample with IMU: no axes (a leniency)
    everywhere = head + bytes([0b111]) + SF.packed(([0] * 5 + [0] * fw + [0, 0]) * 6)
    assert _check([everywhere], version)  # every sample by bitmap (a leniency)
    assert not _check([head], version)  # the bitmap cut off
    # 104 samples, the IMU in the last only: 13 bytes, bit 7 of the last
    head = bytes([0, 0, 0, 0, 0x10, 0x27, 0, BLOCK_MAX_SAMPLES, 4])
    last = head + bytes(12) + bytes([0x80]) + SF.packed([0] * 5 * 6)
    assert _check([last], version) == (version >= 3)
    got = _reader()([last], version)
    assert version == 2 or (got is not None and got[3].tolist() == [False] * 103 + [True])
    assert not _check([head + bytes(12) + SF.packed([0] * 5 * 6)], version)  # the bitmap cut off


@pytest.mark.parametrize("version", VERSIONS)
def test_a_unary_code_past_qmax_is_refused(version: int) -> None:
    head = bytes([0, 0, 0, 0, 0x10, 0x27, 1, 2, 0])
    fw = SF.F_BITS
    ok = head + SF.packed([0] * (5 + fw) + [1] * QMAX + [0] + [1] + [0] * (ESC_BITS - 1))
    assert _check([ok], version)
    long = head + SF.packed([0] * (5 + fw) + [1] * (QMAX + 1) + [0])
    assert not _check([long], version) and not _check([ok, long], version)
    # ones to the end of the block
    ones = head + SF.packed([0] * (5 + fw) + [1] * (-(5 + fw) % 8))
    assert not _check([ones], version) and not _check([ones, ok], version)


# --- runs, versions, cell counts, time ----------------------------------------------


@pytest.mark.parametrize("version", [0, 1, 5, 255])
def test_other_versions_are_refused(version: int) -> None:
    block = _enc_block(5, 3, 30, "some", "none", 10_000, 0)
    assert _check([block], V4)
    assert _reader()([block], version) is None


def test_several_cell_counts_in_a_run_are_refused() -> None:
    a = _enc_block(1, 8, 64, "all", "none", 10_000, 0)
    b = _enc_block(2, 7, 64, "all", "none", 10_000, 640_000)
    for version in VERSIONS:
        assert _reader()([a, b], version) is None
        assert _reader()([], version) is None
    assert _check([a]) and _check([b])
    v3 = [SF.AnyWriter(random.Random(s), 3).block(s, 8 - s, 30, "some", 10_000) for s in (0, 1)]
    assert _check([v3[0]], 3) and _check([v3[1]], 3) and _reader()(v3, 3) is None


def _padded_block(version: int) -> bytes:
    """A random-field block of the version whose stream ends before its last byte does."""
    for seed in range(100):
        w = SF.AnyWriter(random.Random(seed), version)
        block = w.block(seed, 3, 20, "some", 10_000)
        if len(w.bits) % 8:
            return block
    raise AssertionError("no block with padding bits")


@pytest.mark.parametrize("version", VERSIONS)
def test_bad_padding_trailing_bytes_flags_and_truncation_are_refused(version: int) -> None:
    padded = _padded_block(version)
    blocks = [padded, SF.AnyWriter(random.Random(9), version).block(9, 3, 20, "some", 10_000)]
    if version == V4:
        blocks += [_enc_block(5, 3, 20, "some", time, 10_000, 77, "smooth") for time in SF.TIMES]
    for good in blocks:
        assert _check([good], version)
        cases = [
            good + b"\x00",  # a trailing byte
            good[:8] + bytes([good[8] | 0x10]) + good[9:],  # an unknown flag
            good[:8] + bytes([good[8] | 0x06]) + good[9:],  # IMU both everywhere and by bitmap
            good[:-1],  # truncated
            good[:8],  # no flags byte
        ]
        if good is padded:
            cases.append(good[:-1] + bytes([good[-1] | 0x80]))  # a padding bit set
        for bad in cases:
            assert SF.reference(bad, version) is None
            assert not _check_all([bad])[version] and not _check([good, bad], version)


def test_bit_3_without_a_time_channel_is_refused() -> None:
    good = _enc_block(3, 2, 40, "some", "grid", 10_000, 0)
    assert good[8] & 9 == 9 and _check([good]) and not _check([good], 2)
    plain = _enc_block(3, 2, 40, "some", "none", 10_000, 0)
    assert plain[8] & 9 == 0 and _check([plain])
    for bad in (
        good[:8] + bytes([good[8] & ~1]) + good[9:],
        plain[:8] + bytes([plain[8] | 8]) + plain[9:],
    ):
        assert all(SF.reference(bad, v) is None for v in VERSIONS)
        assert not any(_check_all([bad]).values()) and not _check([plain, bad])


@pytest.mark.parametrize("n", [65, 80, BLOCK_MAX_SAMPLES])
def test_version_2_refuses_over_64_samples_and_bit_3(n: int) -> None:
    rng = random.Random(n)
    long = SF.AnyWriter(rng, 3).block(n, 4, n, "some", 10_000)
    short = SF.AnyWriter(rng, 2).block(n, 4, 64, "some", 10_000)
    assert long[7] == n and _check([long], 3) and _check([short, long], 3)
    assert _check([short], 2) and SF.reference(long, 2) is None and _reader()([long], 2) is None
    assert _reader()([short, long], 2) is None
    grid = _grid_block(10_000, [5] * 20, 3)
    assert _check([grid], 3) and SF.reference(grid, 2) is None and _reader()([grid], 2) is None


def test_grid_offsets_and_long_gaps_from_the_encoder() -> None:
    """100 samples, each up to 40 us late on the 100 Hz grid: grid offsets; a gap that
    takes an offset past int16 (or a long one, 55 ms): dt_us."""
    for gap_us, flags in [(0, 9), (0x7FFF - 40, 9), (0x8000, 1), (55_000 - 10_000, 1)]:
        late = [0] + [(i * 37) % 41 for i in range(1, 100)]
        late[60] = 40
        enc = SB.SampleBlockEncoder(3, 10_000)
        enc.start(123_456, 1)
        for i, lt in enumerate(late):
            dt = 10_000 + lt - (late[i - 1] if i else 0) + (gap_us if i == 60 else 0)
            enc.add(dt, [i, 2 * i, 4095 - i], [i, -i, 0, 7, -7, i * i])
        payload = bytes(enc.buf[: enc.encode()])
        assert payload[7] == 100 and payload[8] & 9 == flags
        assert _check([payload]) and not _check([payload], 2)
        got = _reader()([payload], V4)
        assert got is not None
        assert int(got[0][99]) - int(got[0][0]) == 99 * 10_000 + late[99] + gap_us


def test_time_wraps_and_time_channels() -> None:
    t0 = 0xFFFFFFF0
    a = _enc_block(3, 2, 64, "none", "gaps", 65535, t0)
    b = _enc_block(4, 2, 1, "all", "gaps", 1, 5)
    c = _enc_block(5, 2, BLOCK_MAX_SAMPLES, "some", "grid", 10_000, t0 - 500_000, "smooth")
    assert a[8] & 9 == 1 and c[8] & 9 == 9
    assert _check([a, b, a]) and _check([a, c, b])
    for p in (a, c):
        got = _reader()([p], V4)
        assert got is not None and int(got[0][0]) == p[0] | p[1] << 8 | p[2] << 16 | p[3] << 24
        assert int(got[0][-1]) < int(got[0][0])  # wrapped


# --- the committed sessions ----------------------------------------------------------


@pytest.mark.parametrize("version", [2, 3])
def test_the_committed_sessions_read_to_their_samples(version: int) -> None:
    """tests/data/v2 and v3: sessions written by the encoders of those versions, and
    the hash of their samples as written; the compiled reader gives them at their
    version, in one run and block by block (and at the versions after theirs, of which
    each is a part)."""
    path = DATA / f"v{version}" / f"session_v{version}.bin"
    want = json.loads(path.with_suffix(".json").read_text())
    recs, _ = R.decode_all(path.read_bytes())
    blocks = [bytes(r.payload) for r in recs if r.rtype == R.REC_SAMPLE_BLOCK]
    assert blocks and all(r.version == version for r in recs if r.rtype == R.REC_SAMPLE_BLOCK)
    run = _reader()(blocks, version)
    assert run is not None
    rows = SF.json_rows(SF.rows(run))
    assert len(rows) == want["samples"] and any(r[2] is None for r in rows)
    assert SF.digest(rows) == want["sha256_of_json_rows"]
    one_by_one: list[list[Any]] = []
    for b in blocks:
        each = _reader()([b], version)
        assert each is not None
        one_by_one += SF.json_rows(SF.rows(each))
    assert SF.digest(one_by_one) == want["sha256_of_json_rows"]
    assert _check(blocks, version) and _check(blocks, 3)
    assert _check(blocks, 4)  # version 4 codes preds 0-3 as version 3 does
    assert version == 3 or _check(blocks, 2)


# --- which reader runs, and from which build --------------------------------------

_CHILD = """
import json, stridekit
from stridekit import fastblocks, native, replay_stream
blocks = {int(v): bytes.fromhex(h) for v, h in json.loads('%s').items()}
used = []
real = fastblocks.decode_blocks
fastblocks.decode_blocks = lambda qs, v=4: used.append(v) or real(qs, v)
fastblocks.decode_block = lambda q, v=4: used.append(v) or real([q], v)
out = {}
for version, block in blocks.items():
    run, one = replay_stream._decoders(version)
    used.clear()
    read = run([block]) is not None and one(block) is not None
    out[version] = {"read": read, "numpy": used == [version, version]}
st = native.status()
print(json.dumps({"decoders": out, "reader_compiled": st.reader_compiled,
    "describe": st.describe()}))
"""


def _child(pure: bool) -> dict[str, Any]:
    v2 = SF.AnyWriter(random.Random(6), 2).block(6, 8, 64, "some", 10_000)
    v4 = _enc_block(6, 8, 64, "some", "none", 10_000, 0, "smooth")
    blocks = {2: v2.hex(), 3: v2.hex(), 4: v4.hex()}  # version 2's blocks are version 3's
    return run_child(_CHILD % json.dumps(blocks), pure)


def test_replay_reads_with_the_compiled_reader_when_built_else_numpy() -> None:
    pure = _child(pure=True)
    assert not pure["reader_compiled"]
    assert all(d == {"read": True, "numpy": True} for d in pure["decoders"].values()), pure
    assert "SampleBlock reader: numpy (STRIDE_PURE_KERNEL=1)" in str(pure["describe"])
    _reader()  # skips (or fails in CI) without a current build
    compiled = _child(pure=False)
    assert compiled["reader_compiled"], compiled["describe"]
    assert set(compiled["decoders"]) == {"2", "3", "4"}
    assert all(d == {"read": True, "numpy": False} for d in compiled["decoders"].values())
    assert "SampleBlock reader: compiled" in str(compiled["describe"])


def _fake_build(tmp_path: Path, lib: bytes = b"") -> tuple[Path, Path]:
    """A build folder whose manifest names a copy of the reader's source, and a file
    where the compiled reader goes (lib: its bytes)."""
    source = tmp_path / native.READER_SOURCE
    shutil.copyfile(native.reader_source(), source)
    build = tmp_path / "build"
    native.reader_file(build).parent.mkdir(parents=True)
    native.reader_file(build).write_bytes(lib)
    manifest = {
        "format": native.FORMAT,
        "abi": native.abi_tag(),
        "reader": {
            "module": native.READER,
            "version": native.READER_VERSION,
            "sha256": native.sha256_file(source),
        },
    }
    (build / native.MANIFEST).write_text(json.dumps(manifest))
    return build, source


def test_the_reader_is_of_the_formats_version() -> None:
    assert native.READER_VERSION == SB.SAMPLE_BLOCK_VERSION == 4
    module = getattr(_reader(), "__module__", None)
    assert module == native.READER
    assert sys.modules[native.READER].VERSION == native.READER_VERSION


def test_a_reader_built_from_another_source_is_refused(tmp_path: Path) -> None:
    build, source = _fake_build(tmp_path)
    assert native.check_reader(build, source)[0] == native.reader_file(build)
    source.write_text(source.read_text() + "\n# edited\n")
    lib, why = native.check_reader(build, source)
    assert lib is None and f"{native.READER_SOURCE} changed" in why
    assert native.load_reader(build, source)[0] is None


def test_a_build_of_a_reader_of_another_version_is_not_used(tmp_path: Path) -> None:
    build, source = _fake_build(tmp_path)
    path = build / native.MANIFEST
    man = json.loads(path.read_text())
    man["reader"]["version"] = 3  # a build from before version 4
    path.write_text(json.dumps(man))
    lib, why = native.check_reader(build, source)
    assert lib is None and "v3" in why
    assert native.load_reader(build, source)[0] is None


def test_a_build_without_the_reader_is_not_used(tmp_path: Path) -> None:
    build, source = _fake_build(tmp_path)
    native.reader_file(build).unlink()
    lib, why = native.check_reader(build, source)
    assert lib is None and "missing" in why
    man = json.loads((build / native.MANIFEST).read_text())
    del man["reader"]
    man["reader_failed"] = "the compiled reader failed to build: gcc"
    (build / native.MANIFEST).write_text(json.dumps(man))
    lib, why = native.check_reader(build, source)
    assert lib is None and "failed to build: gcc" in why
    assert native.check_reader(tmp_path / "nothing", source)[0] is None


def test_a_reader_for_another_interpreter_is_refused(tmp_path: Path) -> None:
    build, source = _fake_build(tmp_path)
    path = build / native.MANIFEST
    path.write_text(path.read_text().replace(native.abi_tag(), ".cpython-39-arm.so"))
    lib, why = native.check_reader(build, source)
    assert lib is None and "cpython-39" in why


def test_a_broken_compiled_reader_leaves_the_numpy_one(tmp_path: Path) -> None:
    build, source = _fake_build(tmp_path, lib=b"not a shared object")
    fn, why = native.load_reader(build, source)
    assert fn is None and "not loaded" in why


def test_the_session_reader_gives_the_firmware_readers_samples(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """stridekit.session reads each block through the compiled reader when there is
    one: the same Session as through the firmware's reader alone."""
    from stridekit.session import sessions_from_bytes
    from stridekit.session_writer import SessionWriter

    _reader()
    rng = random.Random(3)
    w = SessionWriter()
    w.add(R.REC_HEADER, R.SessionHeader(session_id=2, n_cells=8, layout_id=8).to_bytes())
    t = 0
    for i in range(700):
        t += 10_000 + rng.randint(-300, 300)
        cells = [max(0, min(4095, 2000 + rng.randint(-900, 900))) for _ in range(8)]
        imu = None if i % 7 == 0 else [rng.randint(-32768, 32767) for _ in range(6)]
        w.add_sample(t, cells, imu)
    w.end()
    data = bytes(w.out)
    compiled = sessions_from_bytes(data)[0]
    monkeypatch.setattr(native, "sample_block_reader", lambda: None)
    firmware = sessions_from_bytes(data)[0]
    assert len(compiled.sample_t_us) == 700
    for name in ("sample_t_us", "cells", "imu", "imu_present"):
        assert np.array_equal(getattr(compiled, name), getattr(firmware, name)), name
