"""The host's numpy SampleBlock decoders against the firmware's, sample for sample.

Version 4 blocks come from the firmware's encoder (stridefw.sampleblock: over
channels that switch regimes, and over smooth, correlated insole-like samples, where
it takes preds 4 and 5) and from a writer of the tests' own (sb_fields.AnyWriter:
every field at random, which the encoder rarely writes), which writes version-3 and
version-2 blocks too; version 1 blocks from tests/unit/v1_blocks.py (the version-1 encoder).
Committed sessions of versions 3, 2 and 1 (tests/data/v3, v2, v1) must read to the
samples they were written with.
"""

from __future__ import annotations

import json
import random
import runpy
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stridefw import records as R
from stridefw import sampleblock as SB
from stridefw import sampleblock_fmt as F
from stridekit import fastblocks
from stridekit.fastblocks import (
    Decoded,
    decode_block,
    decode_block_v1,
    decode_blocks,
    decode_blocks_v1,
)
from tests.unit import sb_fields as SF
from tests.unit import v1_blocks as V1

DATA = Path(__file__).parents[1] / "data"
V1_SESSION = DATA / "v1" / "session_v1.bin"
V2_SESSION = DATA / "v2" / "session_v2.bin"
V3_SESSION = DATA / "v3" / "session_v3.bin"
V4 = SB.SAMPLE_BLOCK_VERSION  # the encoder's


def _same_run(
    payloads: list[bytes],
    fast: Callable[[list[bytes]], Decoded | None] | None = None,
    version: int = V4,
) -> bool:
    """The fast decoder (decode_blocks of the version unless given) agrees with the
    firmware block by block, or refuses the run; returns whether it read the run."""
    got = fast(payloads) if fast else decode_blocks(payloads, version)
    if got is None:
        return False
    want = [SF.reference(p, version) for p in payloads]
    assert all(w is not None for w in want), "the fast decoder read a block the firmware refuses"
    t, cells, imu = SF.rows(got)
    assert t == [x for w in want if w for x in w[0]]
    assert cells == [x for w in want if w for x in w[1]]
    assert imu == [x for w in want if w for x in w[2]]
    return True


def _same(payload: bytes, version: int = V4) -> bool:
    return _same_run([payload], lambda q: decode_block(q[0], version), version)


# --- versions 4, 3 and 2 -----------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(SF.enc_blocks())
def test_encoded_blocks_decode_the_same(payload: bytes) -> None:
    assert _same(payload)  # every block the encoder writes is read, and identically


@settings(max_examples=100, deadline=None)
@given(SF.smooth_blocks())
def test_smooth_correlated_blocks_decode_the_same(payload: bytes) -> None:
    """Insole-like samples, where the encoder takes preds 4 and 5 (the corpus test
    below says it does)."""
    assert _same(payload)


def test_the_smooth_blocks_take_preds_4_and_5() -> None:
    """The smooth blocks hold sub-blocks of pred 4 (cells and IMU axes) and of pred 5,
    as the firmware's reader finds them, and the numpy reader reads them the same."""
    seen: Counter[tuple[int, bool]] = Counter()
    modes: set[int] = set()
    for seed in range(24):
        nc = [0, 1, 3, 8, 12, 16][seed % 6]
        imu = ["all", "none", "some"][seed % 3]
        time = SF.TIMES[seed // 3 % 3]
        payload = SF.smooth_block(seed, nc, SB.block_samples(nc), imu, time, 10_000, seed, 2)
        modes.add(payload[8] & 9)
        assert _same(payload)
        seen.update((p, ch.has_nbr) for ch in SF.params_read(payload) for p, _k in ch.params)
    preds = {p for p, _ in seen}
    assert preds <= {0, 1, 2, 3, 4, 5}
    assert (4, False) not in seen  # none without a neighbour
    assert seen.get((4, True), 0) >= 100 and seen.get((5, False), 0) + seen.get((5, True), 0) >= 100
    assert modes == {0, 1, 9}


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 16).flatmap(
        lambda nc: st.lists(
            st.one_of(SF.enc_blocks(nc), SF.smooth_blocks(nc)), min_size=1, max_size=8
        )
    )
)
def test_runs_of_blocks_decode_the_same(payloads: list[bytes]) -> None:
    assert _same_run(payloads)


@pytest.mark.parametrize("n_cells", [0, 8, 16])
@pytest.mark.parametrize("imu", ["all", "none", "some"])
@pytest.mark.parametrize("time", SF.TIMES)
def test_full_blocks_decode_the_same(n_cells: int, imu: str, time: str) -> None:
    """Blocks of the most samples the encoder puts in one: 104, or 82 of 16 cells
    (13 and 11 bytes of IMU bitmap), in each time mode."""
    n = SB.block_samples(n_cells)
    assert n == (82 if n_cells == 16 else SB.BLOCK_MAX_SAMPLES)
    payloads = [SF.enc_block(s, n_cells, n, imu, time, 10_000, s << 20) for s in range(6)]
    assert all(p[7] == n for p in payloads)
    flags = {p[8] & 9 for p in payloads}
    assert flags == {"none": {0}, "grid": {9}, "gaps": {1}}[time]
    assert all(_same(p) for p in payloads)
    assert _same_run(payloads)
    # over 64 samples: not version 2
    assert SF.reference(payloads[0], 2) is None and decode_block(payloads[0], 2) is None


def _late_samples(period_us: int, lateness_us: list[int], gap_at: int, gap_us: int) -> bytes:
    """Three cells and IMU in every sample, each sample lateness_us[i] after the grid,
    with a gap of gap_us more before sample gap_at."""
    enc = SB.SampleBlockEncoder(3, period_us)
    enc.start(123_456, 1)
    for i, late in enumerate(lateness_us):
        dt = period_us + late - (lateness_us[i - 1] if i else 0) + (gap_us if i == gap_at else 0)
        enc.add(dt, [i, 2 * i, 4095 - i], [i, -i, 0, 7, -7, i * i])
    return bytes(enc.buf[: enc.encode()])


@pytest.mark.parametrize(
    "gap_us, flags",
    [
        (0, 9),  # lateness only: grid offsets
        (0x7FFF - 40, 9),  # the offsets at the top of int16
        (0x8000, 1),  # an offset past int16: dt_us
        (55_000 - 10_000, 1),  # a long gap (55 ms at 100 Hz): dt_us
    ],
)
def test_a_gap_that_leaves_int16_takes_dt_us(gap_us: int, flags: int) -> None:
    rng = random.Random(gap_us)
    late = [0] + [rng.randint(0, 40) for _ in range(99)]
    late[60] = 40
    payload = _late_samples(10_000, late, 60, gap_us)
    assert payload[7] == 100 and payload[8] & 9 == flags
    assert _same(payload)
    got = SF.reference(payload)
    assert got is not None
    assert got[0][99] - got[0][0] == 99 * 10_000 + late[99] + gap_us


@pytest.mark.parametrize("version", [2, 3, 4])
@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_blocks_with_every_field_at_random_decode_the_same(
    version: int, data: st.DataObject
) -> None:
    payload = data.draw(SF.any_blocks(version=version))
    # the writer writes only what the format allows
    assert SF.reference(payload, version) is not None
    assert _same(payload, version)


@pytest.mark.parametrize("version", [2, 3, 4])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_runs_of_blocks_with_every_field_at_random_decode_the_same(
    version: int, data: st.DataObject
) -> None:
    nc = data.draw(st.integers(0, 16))
    blocks = SF.any_blocks(nc, version)
    if version == V4:
        blocks = st.one_of(blocks, SF.enc_blocks(nc))
    assert _same_run(data.draw(st.lists(blocks, min_size=1, max_size=8)), version=version)


def test_the_random_blocks_hold_every_kind_of_field() -> None:
    """The blocks the tests draw exercise what the decoder reads: escapes (of large and
    of small z), verbatim values, every pred and way to code a param, a time channel
    of either kind and every IMU mode."""
    written: dict[str, int] = {}
    flags: set[int] = set()
    enc_flags: set[int] = set()
    for seed in range(60):
        imu = ["all", "none", "some"][seed % 3]
        w = SF.AnyWriter(random.Random(seed))
        flags.add(w.block(seed, 3, 64, imu, 10_000)[8])
        enc_flags.add(SF.enc_block(seed, 3, 64, imu, SF.TIMES[seed // 3 % 3], 10_000, 0)[8])
        for kind, n in w.written.items():
            written[kind] = written.get(kind, 0) + n
    kinds = ["escape", "escape of a small z", "verbatim", "pred 0", "pred 1", "pred 2"]
    kinds += ["pred 4", "pred 5"]
    kinds += ["param as before", "param k + 1", "param k - 1", "param in full"]
    kinds += ["param k step of pred 4 or 5", "param of pred 4 or 5 in full after the first"]
    assert all(written.get(k, 0) >= 10 for k in kinds), written
    assert all(written.get(k, 0) >= 5 for k in ["grid offsets", "dt_us"]), written
    for fs in (flags, enc_flags):
        assert {f & 9 for f in fs} == {0, 1, 9} and {f & 6 for f in fs} == {0, 2, 4}


def _damage_one(payloads: list[bytes], data: st.DataObject) -> None:
    """One block of the run, drawn, damaged in place (_damage)."""
    i = data.draw(st.integers(0, len(payloads) - 1))
    buf = bytearray(payloads[i])
    SF.damage(buf, data)
    payloads[i] = bytes(buf)


@settings(max_examples=400, deadline=None)
@given(st.one_of(SF.enc_blocks(), SF.any_blocks()), st.data())
def test_damaged_blocks_are_refused_or_decoded_the_same(
    payload: bytes, data: st.DataObject
) -> None:
    buf = bytearray(payload)
    SF.damage(buf, data)
    damaged = bytes(buf)
    # the numpy reader reads a block exactly when the firmware reads it
    assert _same(damaged) == (SF.reference(damaged) is not None)


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(SF.any_blocks(version=2), SF.any_blocks(version=3), SF.enc_blocks()),
    st.booleans(),
    st.data(),
)
def test_version_2_blocks_damaged_or_not_are_refused_or_decoded_the_same(
    payload: bytes, damage: bool, data: st.DataObject
) -> None:
    """Version 2 read from its own blocks and from versions 3's and 4's, whose blocks
    of over 64 samples or with grid offsets it refuses."""
    buf = bytearray(payload)
    if damage:
        SF.damage(buf, data)
    got = bytes(buf)
    assert _same(got, 2) == (SF.reference(got, 2) is not None)
    if len(got) > 8 and (got[7] > F.V2_MAX_SAMPLES or got[8] & 8):
        assert SF.reference(got, 2) is None


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 16).flatmap(
        lambda nc: st.lists(st.one_of(SF.enc_blocks(nc), SF.any_blocks(nc)), min_size=2, max_size=6)
    ),
    st.data(),
)
def test_a_run_with_a_damaged_block_is_refused_or_decoded_the_same(
    payloads: list[bytes], data: st.DataObject
) -> None:
    _damage_one(payloads, data)
    _same_run(payloads)


@pytest.mark.parametrize("version", [2, 3, 4])
@settings(deadline=None)
@given(payload=st.binary(max_size=200))
def test_random_bytes_are_refused_or_decoded_the_same(version: int, payload: bytes) -> None:
    assert _same(payload, version) == (SF.reference(payload, version) is not None)


@pytest.mark.parametrize("version", [2, 3, 4])
@settings(max_examples=150, deadline=None)
@given(
    n_cells=st.integers(0, 3),
    n=st.integers(1, 104),
    flags=st.sampled_from([0, 1, 2, 3, 4, 5, 8, 9, 11, 13]),
    body=st.binary(max_size=120),
)
def test_random_bodies_are_refused_or_decoded_the_same(
    version: int, n_cells: int, n: int, flags: int, body: bytes
) -> None:
    """A head the reader takes in (or one it refuses for its version), then random bits."""
    payload = bytes([1, 2, 3, 4, 100, 0, n_cells, n, flags]) + body
    assert _same(payload, version) == (SF.reference(payload, version) is not None)


def test_bad_padding_trailing_bytes_and_flags_are_refused() -> None:
    good = SF.enc_block(5, 3, 20, "some", "grid", 10_000, 77)
    assert good[8] & 9 == 9 and _same(good)
    spare = next(b for b in range(1, 8) if not good[-1] >> (8 - b))  # padding bits
    cases = [
        good[:-1] + bytes([good[-1] | 0x80]) if spare else good,  # a padding bit set
        good + b"\x00",  # a trailing byte
        good[:8] + bytes([good[8] | 0x10]) + good[9:],  # an unknown flag
        good[:8] + bytes([good[8] & ~1]) + good[9:],  # grid offsets without a time channel
        good[:-1],  # truncated
    ]
    for bad in cases:
        assert SF.reference(bad) is None and decode_block(bad) is None
        assert decode_blocks([good, bad]) is None
    # grid offsets are since version 3: version 2 refuses the flag
    assert SF.reference(good, 2) is None and decode_block(good, 2) is None
    # bit 3 without a time channel, on a block that reads without bit 3
    plain = SF.enc_block(5, 3, 20, "some", "none", 10_000, 77)
    assert plain[8] & 9 == 0 and _same(plain)
    bad = plain[:8] + bytes([plain[8] | 8]) + plain[9:]
    assert SF.reference(bad) is None and decode_block(bad) is None
    for version in (0, 5):  # versions neither reader knows
        assert decode_block(good, version) is None and decode_blocks([good], version) is None


def test_version_2_refuses_over_64_samples() -> None:
    """A block that is version 2 in all but its length: n of 65..104 reads only as
    version 3."""
    for n in (64, 65, 100, 104):
        payload = SF.AnyWriter(random.Random(n), 2).block(n, 2, n, "some", 10_000)
        assert _same(payload, 3)
        assert (SF.reference(payload, 2) is not None) == (n <= 64)
        assert (decode_block(payload, 2) is not None) == (n <= 64)
        if n <= 64:
            assert _same(payload, 2)


def _grid_block(period_us: int, offsets: list[int]) -> bytes:
    """No cells, no IMU, len(offsets) + 1 samples, the time channel grid offsets in
    verbatim sub-blocks (params pred 3 k 0, then as before; 16 bits each, any value)."""
    head = bytes([0, 0, 0, 0, period_us & 0xFF, period_us >> 8, 0, len(offsets) + 1, 9])
    params = SF.bits(3, 6) + [0] * ((len(offsets) - 1) // SB.SUB)
    values = [(o >> i) & 1 for o in offsets for i in range(16)]
    return head + SF.packed(params + values)


@pytest.mark.parametrize(
    "period_us, offsets, dts",
    [
        (10_000, [-10_000], [0]),  # dt 0
        (10_000, [-10_001], None),  # dt -1
        (65_535, [0], [65_535]),
        (65_535, [1], None),  # dt 65536
        (1, [0x7FFF], [0x8000]),
        (1, [-0x8000], None),
        (10_000, [100, 50, -0x8000], [10_100, 9_950, None]),
        (10_000, [30_000, 0], None),  # 10000 - 30000
        (30_000, [-30_000, 5_535], [0, 65_535]),
        (30_000, [-30_000, 5_536], None),  # dt 65536
        (10_000, [5] * 20, [10_005] + [10_000] * 19),
    ],
)
def test_grid_offsets_give_dt_us_in_0_to_65535(
    period_us: int, offsets: list[int], dts: list[int | None] | None
) -> None:
    """dt_us of sample i = period_us + o_i - o_(i-1), o_0 = 0; a dt outside 0..65535
    is refused. dts None: refused; a list ending in None: refused (its last dt)."""
    payload = _grid_block(period_us, offsets)
    ok = dts is not None and None not in dts
    assert (SF.reference(payload) is not None) == ok
    assert (decode_block(payload) is not None) == ok
    if ok:
        assert _same(payload)
        got = SF.reference(payload)
        assert got is not None
        steps = [b - a for a, b in zip(got[0], got[0][1:], strict=False)]
        assert steps == dts
    else:
        assert decode_blocks([_grid_block(period_us, [0] * len(offsets)), payload]) is None


def test_a_grid_offset_outside_int16_is_refused() -> None:
    # one offset, escaped (params pred 0 k 0, unary QMAX ones and a zero, z in 18 bits):
    # zz(32767) reads, zz(32768) is an offset past int16 (its dt, 42768, would fit)
    head = bytes([0, 0, 0, 0, 0x10, 0x27, 0, 2, 9])
    bits = [0] * 6 + [1] * SB.QMAX + [0]
    ok = head + SF.packed(bits + [(SF.zz(0x7FFF) >> i) & 1 for i in range(SB.ESC_BITS)])
    assert _same(ok) and SF.reference(ok) == ([0, 10_000 + 0x7FFF], [(), ()], [None, None])
    low = head + SF.packed(bits + [(SF.zz(-0x8000) >> i) & 1 for i in range(SB.ESC_BITS)])
    assert SF.reference(low) is None and decode_block(low) is None  # dt -22768
    big = head + SF.packed(bits + [(SF.zz(0x8000) >> i) & 1 for i in range(SB.ESC_BITS)])
    assert SF.reference(big) is None and decode_block(big) is None
    assert decode_blocks([ok, big]) is None


def test_a_value_outside_16_bits_is_refused() -> None:
    """An escape whose cell value lands past 0xFFFF: the firmware refuses it, so must the
    fast path (in int64 the value is nothing special)."""
    # one cell, two samples, no time channel, no IMU: the first value 0 (w = 0), then
    # one coded value: params pred 0 k 0, unary 12 ones and a zero (an escape), z in 18 bits
    head = bytes([0, 0, 0, 0, 0x10, 0x27, 1, 2, 0])
    bits = [0] * 5 + [0] * 6 + [1] * 12 + [0]
    big = head + SF.packed(bits + [(0x10000 >> i) & 1 for i in range(18)])
    assert SF.reference(big) is None and decode_block(big) is None
    top = head + SF.packed(bits + [(0xFFFF >> i) & 1 for i in range(18)])
    assert _same(top)
    assert SF.reference(top) == ([0, 10_000], [(0,), (0xFFFF,)], [None, None])


def _two_sub_blocks(version: int, first: list[int], k0: int, second: list[int], k1: int) -> bytes:
    """One cell, 17 samples, no time channel, no IMU: the first value 0, then two
    sub-blocks of 8 values with params `first` and `second` (bits), every unary code 0
    and every tail 0 (k0 bits each in the first sub-block, k1 in the second)."""
    head = bytes([0, 0, 0, 0, 0x10, 0x27, 1, 17, 0])
    body = [0] * 5 + first + second
    return head + SF.packed(body + [0] * 16 + [0] * (8 * k0 + 8 * k1))


_PRED_5_AT_15 = [1, 1, *SF.params_bits(5, 15)]  # the second sub-block's params: pred 5 k 15
# F = 3 | 3 << 2, then 4 bits as if pred 6's k 15: the rest of the block fits that k
_F_3_3 = SF.bits(3 | 3 << 2, 6) + SF.bits(15, 4)


@pytest.mark.parametrize(
    "version, first, k0, second, k1, ok",
    [
        (3, SF.params_bits(1, 14), 14, [1, 0, 0], 15, True),  # pred 1 k 14, then k + 1
        (3, SF.params_bits(1, 15), 15, [1, 0, 0], 15, False),  # k + 1 past 15
        (3, SF.params_bits(1, 15), 15, [1, 0, 0], 16, False),  # the same, with a k of 16's tails
        (3, SF.params_bits(1, 0), 0, [1, 0, 1], 15, False),  # k - 1 below 0
        # a k step on a verbatim sub-block (the block as long as two verbatim ones)
        (3, SF.params_bits(3, 0), 16, [1, 0, 0], 14, False),
        (3, SF.bits(3 | 1 << 2, 6), 1, [0], 15, False),  # a verbatim sub-block with a k
        (3, SF.params_bits(5, 3), 3, [0], 3, False),  # F = 3 | 2 << 2: no pred 5 in version 3
        (3, SF.params_bits(1, 0), 0, _PRED_5_AT_15, 15, False),
        (4, SF.params_bits(1, 14), 14, [1, 0, 0], 15, True),
        (4, SF.params_bits(1, 15), 15, [1, 0, 0], 15, False),
        (4, SF.params_bits(1, 15), 15, [1, 0, 0], 16, False),
        (4, SF.params_bits(1, 0), 0, [1, 0, 1], 15, False),
        (4, SF.params_bits(3, 0), 16, [1, 0, 0], 14, False),  # a k step on pred 3
        (4, SF.params_bits(3, 0), 16, [1, 0, 1], 15, False),
        (4, SF.params_bits(5, 3), 3, [0], 3, True),  # version 4: F = 3 | 2 << 2, then k
        (4, SF.params_bits(5, 14), 14, [1, 0, 0], 15, True),  # pred 5's k steps by 1
        (4, SF.params_bits(5, 1), 1, [1, 0, 1], 0, True),
        (4, SF.params_bits(5, 15), 15, [1, 0, 0], 15, False),  # pred 5 k + 1 past 15
        (4, SF.params_bits(5, 15), 15, [1, 0, 0], 16, False),
        (4, SF.params_bits(5, 0), 0, [1, 0, 1], 15, False),  # pred 5 k - 1 below 0
        (4, SF.params_bits(2, 0), 0, _PRED_5_AT_15, 15, True),  # a new F: pred 5 k 15
        (4, _F_3_3, 15, [0], 15, False),  # F = 3 | 3 << 2
        (4, SF.bits(3 | 15 << 2, 6) + SF.bits(15, 4), 15, [0], 15, False),  # F = 3 | 15 << 2
        (4, SF.params_bits(1, 0), 0, [1, 1, *_F_3_3], 15, False),
        (4, SF.params_bits(4, 0), 0, [0], 15, False),  # pred 4 on cell 0 (no neighbour)
        (4, SF.params_bits(1, 0), 0, [1, 1, *SF.params_bits(4, 15)], 15, False),
    ],
)
def test_params_outside_the_format_are_refused(
    version: int, first: list[int], k0: int, second: list[int], k1: int, ok: bool
) -> None:
    """k steps out of 0..15 or on pred 3 (pred 5's k steps by 1), a verbatim sub-block
    with a k (version 4: F = 3 | k << 2 with k over 2; before: k over 0), pred 4 where
    the channel has no neighbour."""
    payload = _two_sub_blocks(version, first, k0, second, k1)
    assert (SF.reference(payload, version) is not None) == ok
    if ok:
        assert _same(payload, version)
    else:
        assert decode_block(payload, version) is None
        good = _two_sub_blocks(version, SF.params_bits(1, 14), 14, [1, 0, 0], 15)
        assert _same(good, version)
        assert decode_blocks([good, payload], version) is None


def _pred_4_block(where: str) -> bytes:
    """3 samples, a time channel (dt_us), 2 cells and the IMU in every sample; cell 0
    0, 1, 4 (pred 0), cell 1 from 10 by pred 4 with residuals 0, the time channel and
    each IMU axis pred 1 with residuals 0 (dt_us period_us, axes 0); but `where`
    ("time", "cell 0", "imu 0".."imu 5") takes pred 4 with residuals 0."""

    def zeros(pred: int) -> list[int]:  # two values, k 0, z 0
        return [*SF.params_bits(pred, 0), 0, 0]

    bits = zeros(4 if where == "time" else 1)
    if where == "cell 0":
        bits += [0] * 5 + zeros(4)
    else:  # the first value 0, then z 1 and 4 (unary, k 0)
        bits += [0] * 5 + SF.params_bits(0, 0) + [1, 0] + [1, 1, 1, 1, 0]
    bits += SF.bits(4, 5) + SF.bits(10, 4) + zeros(4)
    for j in range(6):
        bits += [0] * 5 + zeros(4 if where == f"imu {j}" else 1)
    return bytes([0, 0, 0, 0, 0x10, 0x27, 2, 3, 3]) + SF.packed(bits)


@pytest.mark.parametrize(
    "where, ok",
    [
        ("cell 1", True),
        ("imu 1", True),
        ("imu 5", True),
        ("time", False),
        ("cell 0", False),
        ("imu 0", False),
    ],
)
def test_pred_4_needs_a_neighbour(where: str, ok: bool) -> None:
    """Pred 4 adds the second difference of the channel before (cell j - 1, IMU axis
    j - 1); the time channel, cell 0 and IMU axis 0 have none and refuse it. Version 3
    has no pred 4 (its F = 3 | 1 << 2 is a verbatim sub-block with a k)."""
    payload = _pred_4_block(where)
    assert (SF.reference(payload) is not None) == ok
    if ok:
        assert _same(payload)
        assert SF.reference(payload, 3) is None and decode_block(payload, 3) is None
        # cell 1: 10, then 2 * 10 - 10 + (1 - 0 - 0) = 11, 2 * 11 - 10 + (4 - 2 + 0) = 14
        assert SF.reference(payload) == (
            [0, 10_000, 20_000],
            [(0, 10), (1, 11), (4, 14)],
            [(0,) * 6] * 3,
        )
    else:
        assert decode_block(payload) is None
        assert decode_blocks([_pred_4_block("cell 1"), payload]) is None
        assert _same(_pred_4_block("cell 1"))


def test_imu_bitmap_bits_past_the_samples_are_refused() -> None:
    # no cells, 3 samples, the IMU in samples 0 and 1 (a bitmap); each axis: its first
    # value 0 and one coded value 0 (params pred 0 k 0, unary 0)
    body = SF.packed(([0] * 5 + [0] * 6 + [0]) * 6)
    good = bytes([0, 0, 0, 0, 0x10, 0x27, 0, 3, 4, 0b011]) + body
    assert _same(good)
    bad = bytes([0, 0, 0, 0, 0x10, 0x27, 0, 3, 4, 0b1011]) + body
    assert SF.reference(bad) is None and decode_block(bad) is None
    # the longest bitmaps (13 bytes): samples 0 and n - 1 of 100 and of 104
    for n in (100, 104):
        marks = (1 | 1 << (n - 1)).to_bytes(13, "little")
        good = bytes([0, 0, 0, 0, 0x10, 0x27, 0, n, 4]) + marks + body
        assert _same(good) and decode_blocks([good, good]) is not None
    past = (1 | 1 << 100).to_bytes(13, "little")  # sample 100 of 100
    bad = bytes([0, 0, 0, 0, 0x10, 0x27, 0, 100, 4]) + past + body
    assert SF.reference(bad) is None and decode_block(bad) is None


def test_a_unary_code_past_qmax_is_refused() -> None:
    # as above, the coded value with k 0: a quotient of QMAX (an escape) reads, one
    # more one bit does not (it would read as the value 13 with k 0)
    head = bytes([0, 0, 0, 0, 0x10, 0x27, 1, 2, 0])
    ok = head + SF.packed([0] * 11 + [1] * SB.QMAX + [0] + [1] + [0] * 17)
    assert _same(ok) and SF.reference(ok) == ([0, 10_000], [(0,), (1,)], [None, None])
    long = head + SF.packed([0] * 11 + [1] * (SB.QMAX + 1) + [0])
    assert SF.reference(long) is None and decode_block(long) is None
    assert decode_blocks([ok, long]) is None


# --- version 1 ---------------------------------------------------------------------


def _v1_same(payload: bytes) -> bool:
    return _same_run([payload], lambda q: decode_block_v1(q[0]), version=1)


Sample = tuple[int, list[int], list[int] | None]  # dt_us, cells, imu

_sample = st.tuples(
    st.integers(0, 3 * 65535),  # dt, us
    st.lists(st.integers(0, 4095), min_size=16, max_size=16),
    st.one_of(st.none(), st.lists(st.integers(-32768, 32767), min_size=6, max_size=6)),
)


def _v1_block(n_cells: int, period_us: int, t0: int, samples: list[Sample]) -> bytes:
    enc = V1.SampleBlockEncoder(n_cells, period_us)
    enc.start(t0 & 0x3FFFFFFF, t0 >> 30)
    for dt, cells, imu in samples:
        if not enc.room():
            break
        enc.add(min(dt, V1.DT_MAX_US), cells[:n_cells], imu)
    return enc.payload()


@settings(max_examples=150, deadline=None)
@given(
    st.integers(0, 16),
    st.integers(1, 65535),
    st.integers(0, 2**32 - 1),
    st.lists(_sample, max_size=V1.BLOCK_MAX_SAMPLES),
)
def test_v1_encoded_blocks_decode_the_same(
    n_cells: int,
    period_us: int,
    t0: int,
    samples: list[Sample],
) -> None:
    assert _v1_same(_v1_block(n_cells, period_us, t0, samples))


@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, 16),
    st.lists(_sample, min_size=1, max_size=20),
    st.data(),
)
def test_v1_damaged_blocks_are_refused_or_decoded_the_same(
    n_cells: int,
    samples: list[Sample],
    data: st.DataObject,
) -> None:
    buf = bytearray(_v1_block(n_cells, 10_000, 12345, samples))
    for _ in range(data.draw(st.integers(1, 3))):
        kind = data.draw(st.sampled_from(["flip", "cut", "extend", "count"]))
        if not buf:
            break
        at = data.draw(st.integers(0, len(buf) - 1))
        if kind == "flip":
            buf[at] ^= data.draw(st.integers(1, 255))
        elif kind == "cut":
            del buf[at:]
        elif kind == "extend":
            buf += data.draw(st.binary(min_size=1, max_size=8))
        elif len(buf) > 7:
            buf[7] = data.draw(st.integers(0, 255))
    _v1_same(bytes(buf))


@settings(deadline=None)
@given(st.binary(max_size=200))
def test_v1_random_bytes_are_refused_or_decoded_the_same(payload: bytes) -> None:
    _v1_same(payload)


def test_v1_overlong_varint_is_refused() -> None:
    # one sample, no cells: its head varint takes six bytes (the firmware stops at five)
    payload = bytes([0, 0, 0, 0, 16, 39, 0, 1]) + b"\x80" * 5 + b"\x00"
    assert SF.reference(payload, 1) is None and decode_block_v1(payload) is None
    ok = bytes([0, 0, 0, 0, 16, 39, 0, 1]) + b"\x80" * 4 + b"\x00"
    assert _v1_same(ok)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 16),
    st.booleans(),
    st.lists(
        st.tuples(
            st.integers(1, 65535),
            st.integers(0, 2**32 - 1),
            st.lists(_sample, min_size=1, max_size=64),
        ),
        min_size=1,
        max_size=6,
    ),
    st.data(),
)
def test_v1_blocks_at_once_equal_the_firmware_block_by_block(
    n_cells: int,
    imu_everywhere: bool,
    blocks: list[tuple[int, int, list[Sample]]],
    data: st.DataObject,
) -> None:
    payloads = []
    for period, t0, samples in blocks:
        if imu_everywhere:
            samples: list[Sample] = [
                (dt, c, m if m is not None else [1, -2, 3, -4, 5, -6]) for dt, c, m in samples
            ]
        payloads.append(_v1_block(n_cells, period, t0, samples))
    read = _same_run(payloads, decode_blocks_v1, version=1)
    uniform = (
        all(
            all(m is not None for _, _, m in s) or all(m is None for _, _, m in s)
            for _, _, s in blocks
        )
        and len({all(m is None for _, _, m in s) for _, _, s in blocks}) == 1
    )
    if imu_everywhere:
        assert read  # the usual case must take the fast path
    elif not uniform:
        assert not read
    # damaged: refused or the same
    if data.draw(st.booleans()):
        i = data.draw(st.integers(0, len(payloads) - 1))
        bad = bytearray(payloads[i])
        at = data.draw(st.integers(0, len(bad) - 1))
        if data.draw(st.booleans()):
            bad[at] ^= data.draw(st.integers(1, 255))
        else:
            del bad[at:]
        payloads[i] = bytes(bad)
        _same_run(payloads, decode_blocks_v1, version=1)


def _committed_blocks(
    path: Path, version: int, fast: Callable[[bytes], Decoded | None]
) -> tuple[list[bytes], str]:
    """A committed session's SampleBlocks (all of `version`) and the hash its json
    gives their samples; both the firmware's reader and `fast`, block by block, read
    the blocks to that hash (and some samples lack IMU)."""
    meta = json.loads(path.with_suffix(".json").read_text())
    recs, _ = R.decode_all(path.read_bytes())
    blocks = [bytes(r.payload) for r in recs if r.rtype == R.REC_SAMPLE_BLOCK]
    assert blocks and all(r.version == version for r in recs if r.rtype == R.REC_SAMPLE_BLOCK)
    slow: list[list[Any]] = []
    quick: list[list[Any]] = []
    for p in blocks:
        slow += SF.json_rows(SB.decode_sample_block(p, version))
        got = fast(p)
        assert got is not None
        quick += SF.json_rows(SF.rows(got))
    assert len(slow) == meta["samples"] and any(r[2] is None for r in slow)
    assert SF.digest(slow) == meta["sha256_of_json_rows"]
    assert SF.digest(quick) == meta["sha256_of_json_rows"]
    return blocks, meta["sha256_of_json_rows"]


def test_the_committed_v2_session_reads_to_its_samples() -> None:
    """tests/data/v2: a session written by the version-2 encoder, and the hash of its
    samples as written; the firmware's reader and the fast one (block by block and
    the blocks as one run) all give them."""
    blocks, want = _committed_blocks(V2_SESSION, 2, lambda p: decode_block(p, 2))
    run = decode_blocks(blocks, 2)
    assert run is not None
    assert {p[8] & 1 for p in blocks} == {1}  # its time channel is dt_us
    assert SF.digest(SF.json_rows(SF.rows(run))) == want


def test_the_committed_v3_session_reads_to_its_samples() -> None:
    """tests/data/v3: a session written by the version-3 encoder (6-bit params, preds
    0-3), and the hash of its samples as written; as the version-2 session."""
    blocks, want = _committed_blocks(V3_SESSION, 3, lambda p: decode_block(p, 3))
    run = decode_blocks(blocks, 3)
    assert run is not None
    assert {p[8] & 9 for p in blocks} == {9}  # its time channel is grid offsets
    assert SF.digest(SF.json_rows(SF.rows(run))) == want
    # version 4 codes preds 0-3 as version 3 does: it reads these blocks the same
    assert all(SF.reference(p, 4) == SB.decode_sample_block(p, 3) for p in blocks)
    run_4 = decode_blocks(blocks, 4)
    assert run_4 is not None and SF.digest(SF.json_rows(SF.rows(run_4))) == want


@pytest.mark.parametrize(
    "name",
    [
        "SAMPLE_BLOCK_VERSION",
        "HEAD_BYTES",
        "BLOCK_MAX_SAMPLES",
        "V2_MAX_SAMPLES",
        "SUB",
        "QMAX",
        "ESC_BITS",
        "K_MAX",
        "IMU_N",
    ],
)
def test_fastblocks_refuses_to_load_over_another_format(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its copies of the format's numbers are checked at import: a format with another
    one needs another reader."""
    runpy.run_path(fastblocks.__file__)  # as it stands: loads
    monkeypatch.setattr(F, name, getattr(F, name) + 1)
    with pytest.raises(ImportError, match="sampleblock_fmt changed"):
        runpy.run_path(fastblocks.__file__)


def test_the_committed_v1_session_reads_to_its_samples() -> None:
    """tests/data/v1: a session written by the version-1 encoder, and the hash of its
    samples as written; the firmware's reader and the fast one both give them."""
    _committed_blocks(V1_SESSION, 1, decode_block_v1)
