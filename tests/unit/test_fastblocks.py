"""The host's numpy SampleBlock decoders against the firmware's, sample for sample.

Version 2 (stridefw.sampleblock) blocks come from the firmware's encoder, version 1
blocks from tests/unit/v1_blocks.py (the version-1 encoder); a committed version-1
session (tests/data/v1) must read to the samples it was written with.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stridefw import records as R
from stridefw import sampleblock as SB
from stridekit.fastblocks import (
    Decoded,
    decode_block,
    decode_block_v1,
    decode_blocks,
    decode_blocks_v1,
)
from tests.unit import v1_blocks as V1

V1_SESSION = Path(__file__).parents[1] / "data" / "v1" / "session_v1.bin"

Rows = tuple[list[int], list[tuple[int, ...]], list[tuple[int, ...] | None]]


def _firmware(payload: bytes, version: int = SB.SAMPLE_BLOCK_VERSION) -> Rows | None:
    try:
        return SB.decode_sample_block(payload, version)
    except ValueError:
        return None


def _rows(got: Decoded) -> Rows:
    t, cells, imu, present = got
    return (
        t.tolist(),
        [tuple(r) for r in cells.tolist()],
        [tuple(m) if p else None for m, p in zip(imu.tolist(), present.tolist(), strict=True)],
    )


def _same_run(
    payloads: list[bytes],
    fast: Callable[[list[bytes]], Decoded | None] = decode_blocks,
    version: int = SB.SAMPLE_BLOCK_VERSION,
) -> bool:
    """The fast decoder agrees with the firmware block by block, or refuses the run;
    returns whether it read the run."""
    got = fast(payloads)
    if got is None:
        return False
    want = [_firmware(p, version) for p in payloads]
    assert all(w is not None for w in want), "the fast decoder read a block the firmware refuses"
    t, cells, imu = _rows(got)
    assert t == [x for w in want if w for x in w[0]]
    assert cells == [x for w in want if w for x in w[1]]
    assert imu == [x for w in want if w for x in w[2]]
    return True


def _same(payload: bytes) -> bool:
    return _same_run([payload], lambda q: decode_block(q[0]))


# --- version 2 ---------------------------------------------------------------------

# How a channel moves over a sub-block of 8 samples; "wild" (any 16-bit value) makes
# the encoder store sub-blocks verbatim, "jump" (quiet, then far off) large residuals
# (escapes come from the random-field writer: the encoder writes them rarely if ever).
_REGIMES = ("hold", "noise", "ramp", "wild", "jump")


def _walk(rng: random.Random, v: int, regime: str, slope: int, lo: int, hi: int) -> int:
    if regime == "noise":
        v += rng.randint(-40, 40)
    elif regime == "ramp":
        v += slope
    elif regime == "wild" or (regime == "jump" and rng.random() < 0.15):
        v = rng.randint(lo, hi)
    return max(lo, min(hi, v))


def _v2_block(
    seed: int, n_cells: int, n: int, imu: str, jitter: bool, period_us: int, t0: int
) -> bytes:
    """A block from the firmware's encoder: n samples of channels that switch between
    _REGIMES every 8 samples; imu "all", "none" or "some" samples."""
    rng = random.Random(seed)
    enc = SB.SampleBlockEncoder(n_cells, period_us)
    enc.start(t0 & 0x3FFFFFFF, t0 >> 30)
    cells = [rng.randint(0, 4095) for _ in range(n_cells)]
    axes = [rng.randint(-2000, 2000) for _ in range(6)]
    regime: list[str] = []
    slope: list[int] = []
    for i in range(n):
        if i % 8 == 0:
            regime = [rng.choice(_REGIMES) for _ in range(n_cells + 6)]
            slope = [rng.randint(-300, 300) for _ in range(n_cells + 6)]
        cells = [_walk(rng, v, regime[j], slope[j], 0, 0xFFFF) for j, v in enumerate(cells)]
        axes = [
            _walk(rng, v, regime[n_cells + j], slope[n_cells + j], -0x8000, 0x7FFF)
            for j, v in enumerate(axes)
        ]
        dt = period_us
        if jitter:
            dt = rng.choice([period_us, period_us + rng.randint(-3, 3), rng.randint(0, 65535)])
        with_imu = imu == "all" or (imu == "some" and rng.random() < 0.6)
        assert enc.room()
        enc.add(max(0, min(SB.DT_MAX_US, dt)), cells, axes if with_imu else None)
    return bytes(enc.buf[: enc.encode()])


@st.composite
def _v2_blocks(draw: st.DrawFn, n_cells: int | None = None) -> bytes:
    return _v2_block(
        draw(st.integers(0, 2**32 - 1)),
        draw(st.integers(0, 16)) if n_cells is None else n_cells,
        draw(st.integers(1, SB.BLOCK_MAX_SAMPLES)),
        draw(st.sampled_from(["all", "none", "some"])),
        draw(st.booleans()),
        draw(st.integers(1, 65535)),
        draw(st.integers(0, 2**32 - 1)),
    )


@settings(max_examples=200, deadline=None)
@given(_v2_blocks())
def test_encoded_blocks_decode_the_same(payload: bytes) -> None:
    assert _same(payload)  # every block the encoder writes is read, and identically


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 16).flatmap(lambda nc: st.lists(_v2_blocks(nc), min_size=1, max_size=8)))
def test_runs_of_blocks_decode_the_same(payloads: list[bytes]) -> None:
    assert _same_run(payloads)


def test_a_run_of_several_cell_counts_is_left_to_the_caller() -> None:
    a = _v2_block(1, 8, 64, "all", False, 10_000, 0)
    b = _v2_block(2, 7, 64, "all", False, 10_000, 640_000)
    assert decode_blocks([a, b]) is None
    assert _same(a) and _same(b)


def _zz(r: int) -> int:
    return (r << 1) if r >= 0 else ((-r << 1) - 1)


class _AnyWriter:
    """Version-2 blocks with every field picked at random where the format allows a
    choice (pred, k, escapes of any value, how a param is coded, a time channel or an
    IMU bitmap that is not needed): what the firmware's encoder writes is a corner
    of what a decoder must read (it hardly ever escapes, say)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.bits: list[int] = []
        self.written: dict[str, int] = {}  # kinds of field written, for the coverage test

    def count(self, kind: str) -> None:
        self.written[kind] = self.written.get(kind, 0) + 1

    def put(self, v: int, width: int) -> None:
        self.bits += [(v >> i) & 1 for i in range(width)]

    def coded(self, xs: list[int], init: int, signed: bool) -> None:
        rng = self.rng
        par: list[int] = []
        zs: list[int] = []
        for s in range(0, len(xs), SB.SUB):
            pred = rng.randrange(4)
            sub = range(s, min(s + SB.SUB, len(xs)))
            for i in sub:
                p1 = xs[i - 1] if i >= 1 else init
                p2 = xs[i - 2] if i >= 2 else init
                guess = [0, p1, 2 * p1 - p2][pred] if pred < 3 else 0
                zs.append(xs[i] if pred == 0 and not signed else _zz(xs[i] - guess))
            k = 0
            if pred < 3:
                k = rng.choice([rng.randrange(16), max(0, max(zs[s:]).bit_length() - 2)])
                k = min(k, SB.K_MAX)
            f = pred | k << 2
            self.count(f"pred {pred}")
            if not par:
                self.put(f, 6)
            elif f == par[-1] and rng.random() < 0.8:
                self.put(0, 1)
                self.count("param as before")
            elif (f ^ par[-1]) & 3 == 0 and pred < 3 and abs(k - (par[-1] >> 2)) == 1:
                self.put(0b001 if k > par[-1] >> 2 else 0b101, 3)
                self.count("param k + 1" if k > par[-1] >> 2 else "param k - 1")
            else:
                self.put(3 | f << 2, 8)
                self.count("param in 6 bits")
            par.append(f)
        escape = [False] * len(xs)
        for i, z in enumerate(zs):
            f = par[i // SB.SUB]
            if f & 3 == 3:
                continue
            q = z >> (f >> 2)
            escape[i] = q >= SB.QMAX or self.rng.random() < 0.05
            if escape[i]:
                self.count("escape" if q >= SB.QMAX else "escape of a small z")
            q = SB.QMAX if escape[i] else q
            self.put((1 << q) - 1, q + 1)
        for i, z in enumerate(zs):
            f = par[i // SB.SUB]
            if f & 3 == 3:
                self.put(xs[i] & 0xFFFF, 16)
                self.count("verbatim")
            elif escape[i]:
                self.put(z, SB.ESC_BITS)
            else:
                self.put(z, f >> 2)

    def channel(self, xs: list[int], signed: bool) -> None:
        z = _zz(xs[0]) if signed else xs[0]
        self.put(z.bit_length(), 5)
        self.put(z, z.bit_length())
        self.coded(xs[1:], xs[0], signed)

    def block(self, seed: int, n_cells: int, n: int, imu: str, period_us: int) -> bytes:
        rng = self.rng
        cells = [[rng.randint(0, 0xFFFF)] * n for _ in range(n_cells)]
        for col in cells:
            for i in range(1, n):
                col[i] = max(0, min(0xFFFF, col[i - 1] + rng.choice([0, 3, -40, 700, 30000])))
        present = [imu == "all" or (imu == "some" and rng.random() < 0.5) for _ in range(n)]
        m = sum(present)
        axes = [[rng.randint(-0x8000, 0x7FFF) for _ in range(m)] for _ in range(6)]
        dts = [rng.choice([period_us, rng.randint(0, 0xFFFF)]) for _ in range(n - 1)]
        timed = any(d != period_us for d in dts) or rng.random() < 0.3
        bitmap = not (all(present) or not any(present)) or rng.random() < 0.3
        flags = int(timed) | (4 if bitmap else 2 if all(present) else 0)
        head = bytearray(seed.to_bytes(4, "little") + period_us.to_bytes(2, "little"))
        head += bytes([n_cells, n, flags])
        if bitmap:
            head += sum(1 << i for i in range(n) if present[i]).to_bytes((n + 7) // 8, "little")
        self.bits = []
        if timed:
            self.coded(dts, period_us, False)
        for col in cells:
            self.channel(col, False)
        for ax in axes if m else []:
            self.channel(ax, True)
        return bytes(head) + _packed(self.bits)


def _packed(bits: list[int]) -> bytes:
    out = bytearray((len(bits) + 7) // 8)
    for i, b in enumerate(bits):
        out[i >> 3] |= b << (i & 7)
    return bytes(out)


@st.composite
def _any_blocks(draw: st.DrawFn, n_cells: int | None = None) -> bytes:
    seed = draw(st.integers(0, 2**32 - 1))
    return _AnyWriter(random.Random(seed)).block(
        seed,
        draw(st.integers(0, 16)) if n_cells is None else n_cells,
        draw(st.integers(1, SB.BLOCK_MAX_SAMPLES)),
        draw(st.sampled_from(["all", "none", "some"])),
        draw(st.integers(1, 65535)),
    )


@settings(max_examples=200, deadline=None)
@given(_any_blocks())
def test_blocks_with_every_field_at_random_decode_the_same(payload: bytes) -> None:
    assert _firmware(payload) is not None  # the writer writes only what the format allows
    assert _same(payload)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 16).flatmap(
        lambda nc: st.lists(st.one_of(_any_blocks(nc), _v2_blocks(nc)), min_size=1, max_size=8)
    )
)
def test_runs_of_blocks_with_every_field_at_random_decode_the_same(payloads: list[bytes]) -> None:
    assert _same_run(payloads)


def test_the_random_blocks_hold_every_kind_of_field() -> None:
    """The blocks the tests draw exercise what the decoder reads: escapes (of large and
    of small z), verbatim values, every pred and way to code a param, a time channel
    and every IMU mode."""
    written: dict[str, int] = {}
    flags: set[int] = set()
    for seed in range(30):
        imu = ["all", "none", "some"][seed % 3]
        w = _AnyWriter(random.Random(seed))
        flags.add(w.block(seed, 3, 64, imu, 10_000)[8])
        flags.add(_v2_block(seed, 3, 64, imu, seed % 2 == 0, 10_000, 0)[8])
        for kind, n in w.written.items():
            written[kind] = written.get(kind, 0) + n
    kinds = ["escape", "escape of a small z", "verbatim", "pred 0", "pred 1", "pred 2"]
    kinds += ["param as before", "param k + 1", "param k - 1", "param in 6 bits"]
    assert all(written.get(k, 0) >= 10 for k in kinds), written
    assert {f & 1 for f in flags} == {0, 1} and {f & 6 for f in flags} == {0, 2, 4}


def _damage(buf: bytearray, data: st.DataObject) -> None:
    for _ in range(data.draw(st.integers(1, 3))):
        if not buf:
            return
        kind = data.draw(st.sampled_from(["flip", "bit", "cut", "extend", "head"]))
        at = data.draw(st.integers(0, len(buf) - 1))
        if kind == "flip":
            buf[at] ^= data.draw(st.integers(1, 255))
        elif kind == "bit":
            buf[at] ^= 1 << data.draw(st.integers(0, 7))
        elif kind == "cut":
            del buf[at:]
        elif kind == "extend":
            buf += data.draw(st.binary(min_size=1, max_size=8))
        elif len(buf) > 8:  # n_cells, n or flags
            buf[data.draw(st.integers(6, 8))] = data.draw(st.integers(0, 255))


def _damage_one(payloads: list[bytes], data: st.DataObject) -> None:
    """One block of the run, drawn, damaged in place (_damage)."""
    i = data.draw(st.integers(0, len(payloads) - 1))
    buf = bytearray(payloads[i])
    _damage(buf, data)
    payloads[i] = bytes(buf)


@settings(max_examples=400, deadline=None)
@given(_v2_blocks(), st.data())
def test_damaged_blocks_are_refused_or_decoded_the_same(
    payload: bytes, data: st.DataObject
) -> None:
    buf = bytearray(payload)
    _damage(buf, data)
    damaged = bytes(buf)
    # the numpy reader reads a block exactly when the firmware reads it
    assert _same(damaged) == (_firmware(damaged) is not None)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 16).flatmap(lambda nc: st.lists(_v2_blocks(nc), min_size=2, max_size=6)),
    st.data(),
)
def test_a_run_with_a_damaged_block_is_refused_or_decoded_the_same(
    payloads: list[bytes], data: st.DataObject
) -> None:
    _damage_one(payloads, data)
    _same_run(payloads)


@settings(deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_are_refused_or_decoded_the_same(payload: bytes) -> None:
    assert _same(payload) == (_firmware(payload) is not None)


def test_bad_padding_trailing_bytes_and_flags_are_refused() -> None:
    good = _v2_block(5, 3, 20, "some", True, 10_000, 77)
    assert _same(good)
    spare = next(b for b in range(1, 8) if not good[-1] >> (8 - b))  # padding bits
    cases = [
        good[:-1] + bytes([good[-1] | 0x80]) if spare else good,  # a padding bit set
        good + b"\x00",  # a trailing byte
        good[:8] + bytes([good[8] | 0x08]) + good[9:],  # an unknown flag
        good[:-1],  # truncated
    ]
    for bad in cases:
        assert _firmware(bad) is None and decode_block(bad) is None
        assert decode_blocks([good, bad]) is None


def test_a_value_outside_16_bits_is_refused() -> None:
    """An escape whose cell value lands past 0xFFFF: the firmware refuses it, so must the
    fast path (in int64 the value is nothing special)."""
    # one cell, two samples, no time channel, no IMU: the first value 0 (w = 0), then
    # one coded value: params pred 0 k 0, unary 12 ones and a zero (an escape), z in 18 bits
    head = bytes([0, 0, 0, 0, 0x10, 0x27, 1, 2, 0])
    bits = [0] * 5 + [0] * 6 + [1] * 12 + [0]
    big = head + _packed(bits + [(0x10000 >> i) & 1 for i in range(18)])
    assert _firmware(big) is None and decode_block(big) is None
    top = head + _packed(bits + [(0xFFFF >> i) & 1 for i in range(18)])
    assert _same(top)
    assert _firmware(top) == ([0, 10_000], [(0,), (0xFFFF,)], [None, None])


def _two_sub_blocks(f0: int, second: list[int]) -> bytes:
    """One cell, 17 samples, no time channel, no IMU: the first value 0, then two
    sub-blocks of 8 values with params f0 (6 bits) and `second` (bits), every unary
    code 0 and every tail 0."""
    k0 = f0 >> 2
    head = bytes([0, 0, 0, 0, 0x10, 0x27, 1, 17, 0])
    body = [0] * 5 + [(f0 >> i) & 1 for i in range(6)] + second
    return head + _packed(body + [0] * 16 + [0] * (8 * k0 + 8 * 15))


@pytest.mark.parametrize(
    "f0, second, ok",
    [
        (1 | 14 << 2, [1, 0, 0], True),  # pred 1 k 14, then k + 1
        (1 | 15 << 2, [1, 0, 0], False),  # k + 1 past 15
        (1, [1, 0, 1], False),  # k - 1 below 0
        (3, [1, 0, 0], False),  # a k step from a verbatim sub-block
        (3 | 1 << 2, [0], False),  # a verbatim sub-block with a k
    ],
)
def test_k_steps_outside_the_format_are_refused(f0: int, second: list[int], ok: bool) -> None:
    payload = _two_sub_blocks(f0, second)
    assert (_firmware(payload) is not None) == ok
    if ok:
        assert _same(payload)
    else:
        assert decode_block(payload) is None
        assert decode_blocks([_two_sub_blocks(1 | 14 << 2, [1, 0, 0]), payload]) is None


def test_imu_bitmap_bits_past_the_samples_are_refused() -> None:
    # no cells, 3 samples, the IMU in samples 0 and 1 (a bitmap); each axis: its first
    # value 0 and one coded value 0 (params pred 0 k 0, unary 0)
    body = _packed(([0] * 5 + [0] * 6 + [0]) * 6)
    good = bytes([0, 0, 0, 0, 0x10, 0x27, 0, 3, 4, 0b011]) + body
    assert _same(good)
    bad = bytes([0, 0, 0, 0, 0x10, 0x27, 0, 3, 4, 0b1011]) + body
    assert _firmware(bad) is None and decode_block(bad) is None


def test_a_unary_code_past_qmax_is_refused() -> None:
    # as above, the coded value with k 0: a quotient of QMAX (an escape) reads, one
    # more one bit does not (it would read as the value 13 with k 0)
    head = bytes([0, 0, 0, 0, 0x10, 0x27, 1, 2, 0])
    ok = head + _packed([0] * 11 + [1] * SB.QMAX + [0] + [1] + [0] * 17)
    assert _same(ok) and _firmware(ok) == ([0, 10_000], [(0,), (1,)], [None, None])
    long = head + _packed([0] * 11 + [1] * (SB.QMAX + 1) + [0])
    assert _firmware(long) is None and decode_block(long) is None
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
    assert _firmware(payload, 1) is None and decode_block_v1(payload) is None
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


def _digest(rows: list[list[Any]]) -> str:
    return hashlib.sha256(json.dumps(rows, separators=(",", ":")).encode()).hexdigest()


def test_the_committed_v1_session_reads_to_its_samples() -> None:
    """tests/data/v1: a session written by the version-1 encoder, and the hash of its
    samples as written; the firmware's reader and the fast one both give them."""
    want = json.loads(V1_SESSION.with_suffix(".json").read_text())
    recs, _ = R.decode_all(V1_SESSION.read_bytes())
    blocks = [r.payload for r in recs if r.rtype == R.REC_SAMPLE_BLOCK]
    assert blocks and all(r.version == 1 for r in recs if r.rtype == R.REC_SAMPLE_BLOCK)
    slow: list[list[Any]] = []
    fast: list[list[Any]] = []
    for p in blocks:
        for t, c, m in zip(*SB.decode_sample_block(p, 1), strict=True):
            slow.append([t, list(c), list(m) if m is not None else None])
        got = decode_block_v1(p)
        assert got is not None
        for t, c, m in zip(*_rows(got), strict=True):
            fast.append([t, list(c), list(m) if m is not None else None])
    assert len(slow) == want["samples"] and any(r[2] is None for r in slow)
    assert _digest(slow) == want["sha256_of_json_rows"]
    assert _digest(fast) == want["sha256_of_json_rows"]
