"""SampleBlock version 4's predictors 4 and 5, read from payloads written bit by bit here
from sampleblock_fmt's text (not by the encoder), and what the encoder makes of an
insole's correlated cells."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stridefw import sampleblock as SB
from stridefw.sampleblock_fmt import SUB
from tests.unit import sb_fields as SF

V4 = SB.SAMPLE_BLOCK_VERSION


class _Bits:
    """LSB-first bit writer, a field's bit 0 first (sampleblock_fmt)."""

    def __init__(self) -> None:
        self.bits: list[int] = []

    def put(self, value: int, width: int) -> None:
        self.bits += SF.bits(value, width)

    def put_params(self, pred: int, k: int) -> None:
        # F = 3 | 3 << 2 and 3 | 4 << 2 stand for the preds 6 and 7 the tests make up
        self.bits += SF.params_bits(pred, k)

    def payload(self, head: bytes) -> bytes:
        return bytes(head) + SF.packed(self.bits)


def _channel(w: _Bits, ch: list[int], preds: list[int], k: int, nbr: list[int] | None) -> None:
    # a cell channel: its first value, then each sub-block's params (11 then F after
    # the first), unary, tails; every sub-block with Rice parameter k
    z0 = ch[0]
    w.put(z0.bit_length(), 5)
    w.put(z0, z0.bit_length())
    for s, pred in enumerate(preds):
        if s:
            w.put(3, 2)
        w.put_params(pred, k)
    # preds 6 and 7 (F = 3 | 3 << 2, 3 | 4 << 2) have no meaning: their values are
    # coded as pred 1's
    known = [p if p in (1, 2, 4, 5) else 1 for p in preds]
    zs = [
        SF.zz(ch[i] - SF.prediction(known[(i - 1) // SUB], ch, i, nbr)) for i in range(1, len(ch))
    ]
    assert all(z >> k < 12 for z in zs)  # no escapes: the test's data are small
    for z in zs:
        w.put((1 << (z >> k)) - 1, (z >> k) + 1)
    for z in zs:
        w.put(z & ((1 << k) - 1), k)


def _payload(cells: list[list[int]], preds: list[list[int]], k: int) -> bytes:
    n = len(cells[0])
    head = bytes([0, 0, 0, 0, 0x10, 0x27, len(cells), n, 0])  # no time channel, no IMU
    w = _Bits()
    for j, ch in enumerate(cells):
        # cell 0 has no neighbour: itself stands in, for a payload a reader must refuse
        _channel(w, ch, preds[j], k, cells[j - 1] if j else ch)
    return w.payload(head)


def _curve(n: int, scale: int, lag: int, base: int) -> list[int]:
    # a stance-like bump: what neighbouring cells share
    return [base + scale * max(0, 20 - abs(i - 20 - lag)) ** 2 // 20 for i in range(n)]


@pytest.mark.parametrize("n", [2, 3, 9, 17])
def test_preds_4_and_5_read_as_the_format_says(n: int) -> None:
    heel = _curve(n, 30, 0, 40)
    mid = _curve(n, 28, 1, 35)
    toe = _curve(n, 25, 3, 20)
    nsub = (n - 1 + SUB - 1) // SUB
    # cell 0: the cubic; cell 1: the neighbour's bend; cell 2: both by turns
    preds = [[5] * nsub, [4] * nsub, [4 if s % 2 else 5 for s in range(nsub)]]
    payload = _payload([heel, mid, toe], preds, 6)
    ts, cells, imu = SB.decode_sample_block(payload, V4)
    assert [list(c) for c in zip(*cells, strict=True)] == [heel, mid, toe]
    assert ts == [10000 * i for i in range(n)] and imu == [None] * n


def test_pred_4_with_no_neighbour_other_verbatim_codes_and_older_versions_are_refused() -> None:
    cells = [_curve(9, 30, 0, 40), _curve(9, 28, 1, 35)]
    good = _payload(cells, [[1], [4]], 6)
    SB.decode_sample_block(good, V4)
    with pytest.raises(ValueError, match="pred 4"):
        SB.decode_sample_block(_payload(cells, [[4], [1]], 6), V4)
    for preds in ([[6], [1]], [[1], [7]]):
        with pytest.raises(ValueError, match="verbatim sub-block with k"):
            SB.decode_sample_block(_payload(cells, preds, 6), V4)
    for version in (2, 3):  # preds 4 and 5 are version 4's
        with pytest.raises(ValueError, match="verbatim sub-block with k"):
            SB.decode_sample_block(good, version)


def test_a_k_step_keeps_preds_4_and_5() -> None:
    # sub-block 2 as 100 (k + 1, the same pred) after a pred-5 sub-block
    n = 17
    cells = [_curve(n, 30, 0, 40)]
    head = bytes([0, 0, 0, 0, 0x10, 0x27, 1, n, 0])
    w = _Bits()
    ch = cells[0]
    w.put(ch[0].bit_length(), 5)
    w.put(ch[0], ch[0].bit_length())
    w.put_params(5, 6)
    w.put(1, 3)  # 1, 0, then 0: k + 1
    zs = [SF.zz(ch[i] - SF.prediction(5, ch, i)) for i in range(1, n)]
    ks = [6 if i < SUB else 7 for i in range(n - 1)]
    for z, k in zip(zs, ks, strict=True):
        w.put((1 << (z >> k)) - 1, (z >> k) + 1)
    for z, k in zip(zs, ks, strict=True):
        w.put(z & ((1 << k) - 1), k)
    _ts, got, _imu = SB.decode_sample_block(w.payload(head), V4)
    assert [c[0] for c in got] == ch


def _insole(rng: random.Random, n: int, cells: int) -> list[list[int]]:
    # cells loading together under one stance curve (a bend no polynomial of the
    # cell's own past foresees), each at its own scale, with a count of noise
    start = rng.randint(0, n // 3)
    width = rng.randint(25, 40)
    load = [
        math.sin(math.pi * (i - start) / width) ** 2 if start <= i < start + width else 0.0
        for i in range(n)
    ]
    scale = [rng.uniform(600.0, 900.0) for _ in range(cells)]
    return [[max(0, round(a * v) + rng.randint(-1, 1)) for v in load] for a in scale]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**16), n=st.integers(40, 104))
def test_the_encoder_takes_the_neighbour_on_an_insoles_cells_and_reads_back(
    seed: int, n: int
) -> None:
    rng = random.Random(seed)
    chans = _insole(rng, n, 8)
    e = SB.SampleBlockEncoder(8, 10000)
    e.start(0, 0)
    for i in range(n):
        e.add(10000, [c[i] for c in chans], None)
    payload = bytes(e.buf[: e.encode()])
    _ts, cells, _imu = SB.decode_sample_block(payload, V4)
    assert [list(c) for c in zip(*cells, strict=True)] == chans
    preds = [[p for p, _k in ch.params] for ch in SF.params_read(payload)]
    assert len(preds) == 8 and 4 not in preds[0]
    # the neighbour's bend is the better guess somewhere on most cells after the first
    assert sum(4 in p for p in preds[1:]) >= 4
