"""The host's numpy SampleBlock decoders against the firmware's, sample for sample.

Version 4 blocks come from the firmware's encoder (stridefw.sampleblock: over
channels that switch regimes, and over smooth, correlated insole-like samples, where
it takes preds 4 and 5) and from a writer of the tests' own (_AnyWriter: every field
at random, which the encoder rarely writes), which writes version-3 and version-2
blocks too; version 1 blocks from tests/unit/v1_blocks.py (the version-1 encoder).
Committed sessions of versions 3, 2 and 1 (tests/data/v3, v2, v1) must read to the
samples they were written with.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import runpy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stridefw import records as R
from stridefw import sampleblock as SB
from stridefw import sampleblock_fmt as F
from stridefw import sampleblock_read as RD
from stridekit import fastblocks
from stridekit.fastblocks import (
    Decoded,
    decode_block,
    decode_block_v1,
    decode_blocks,
    decode_blocks_v1,
)
from tests.unit import v1_blocks as V1

DATA = Path(__file__).parents[1] / "data"
V1_SESSION = DATA / "v1" / "session_v1.bin"
V2_SESSION = DATA / "v2" / "session_v2.bin"
V3_SESSION = DATA / "v3" / "session_v3.bin"
V4 = SB.SAMPLE_BLOCK_VERSION  # the encoder's

Rows = tuple[list[int], list[tuple[int, ...]], list[tuple[int, ...] | None]]


def _firmware(payload: bytes, version: int = V4) -> Rows | None:
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
    fast: Callable[[list[bytes]], Decoded | None] | None = None,
    version: int = V4,
) -> bool:
    """The fast decoder (decode_blocks of the version unless given) agrees with the
    firmware block by block, or refuses the run; returns whether it read the run."""
    got = fast(payloads) if fast else decode_blocks(payloads, version)
    if got is None:
        return False
    want = [_firmware(p, version) for p in payloads]
    assert all(w is not None for w in want), "the fast decoder read a block the firmware refuses"
    t, cells, imu = _rows(got)
    assert t == [x for w in want if w for x in w[0]]
    assert cells == [x for w in want if w for x in w[1]]
    assert imu == [x for w in want if w for x in w[2]]
    return True


def _same(payload: bytes, version: int = V4) -> bool:
    return _same_run([payload], lambda q: decode_block(q[0], version), version)


# --- versions 4, 3 and 2 -----------------------------------------------------------

# How a channel moves over a sub-block of 8 samples; "wild" (any 16-bit value) makes
# the encoder store sub-blocks verbatim, "jump" (quiet, then far off) large residuals
# (the encoder escapes where it keeps the sub-block before's small k across one large
# value; every kind of escape comes from the random-field writer).
_REGIMES = ("hold", "noise", "ramp", "wild", "jump")
# How the samples' times move: each on the grid ("none": no time channel), each a
# little late ("grid": grid offsets), or dt_us anywhere in 0..65535 ("gaps": the
# offsets soon leave int16, so the channel holds dt_us)
_TIMES = ("none", "grid", "gaps")


def _walk(rng: random.Random, v: int, regime: str, slope: int, lo: int, hi: int) -> int:
    if regime == "noise":
        v += rng.randint(-40, 40)
    elif regime == "ramp":
        v += slope
    elif regime == "wild" or (regime == "jump" and rng.random() < 0.15):
        v = rng.randint(lo, hi)
    return max(lo, min(hi, v))


class _Times:
    """The samples' dt_us in one of _TIMES (a sample's lateness up to 3, 300 or
    20,000 us in "grid")."""

    def __init__(self, rng: random.Random, time: str, period_us: int) -> None:
        self.rng = rng
        self.time = time
        self.period_us = period_us
        self.late_max = rng.choice([3, 300, 20_000])
        self.late = 0

    def dt(self) -> int:
        rng = self.rng
        period_us = self.period_us
        dt = period_us
        if self.time == "grid":  # late: the sample's offset (dt 0 where the last was later)
            dt = max(0, period_us + rng.randint(0, self.late_max) - self.late)
            self.late += dt - period_us
        elif self.time == "gaps":
            dt = rng.choice([period_us, period_us + rng.randint(-3, 3), rng.randint(0, 65535)])
        return max(0, min(SB.DT_MAX_US, dt))


def _enc_block(
    seed: int, n_cells: int, n: int, imu: str, time: str, period_us: int, t0: int
) -> bytes:
    """A version-4 block from the firmware's encoder: n samples of channels that switch
    between _REGIMES every 8 samples; imu "all", "none" or "some" samples; time one of
    _TIMES."""
    rng = random.Random(seed)
    enc = SB.SampleBlockEncoder(n_cells, period_us)
    enc.start(t0 & 0x3FFFFFFF, t0 >> 30)
    cells = [rng.randint(0, 4095) for _ in range(n_cells)]
    axes = [rng.randint(-2000, 2000) for _ in range(6)]
    regime: list[str] = []
    slope: list[int] = []
    times = _Times(rng, time, period_us)
    for i in range(n):
        if i % 8 == 0:
            regime = [rng.choice(_REGIMES) for _ in range(n_cells + 6)]
            slope = [rng.randint(-300, 300) for _ in range(n_cells + 6)]
        cells = [_walk(rng, v, regime[j], slope[j], 0, 0xFFFF) for j, v in enumerate(cells)]
        axes = [
            _walk(rng, v, regime[n_cells + j], slope[n_cells + j], -0x8000, 0x7FFF)
            for j, v in enumerate(axes)
        ]
        dt = times.dt()
        with_imu = imu == "all" or (imu == "some" and rng.random() < 0.6)
        assert enc.room()
        enc.add(dt, cells, axes if with_imu else None)
    return bytes(enc.buf[: enc.encode()])


def _smooth_block(
    seed: int, n_cells: int, n: int, imu: str, time: str, period_us: int, t0: int, noise: int
) -> bytes:
    """A version-4 block from the firmware's encoder over samples like an insole's,
    where it takes preds 4 and 5: each cell a scaled copy of one load curve (a smooth
    hump in stance, 0 in swing), a little later than the cell before (heel to toe),
    plus noise up to `noise`; IMU axes smooth swings, each a little after the one
    before; imu and time as in _enc_block."""
    rng = random.Random(seed)
    enc = SB.SampleBlockEncoder(n_cells, period_us)
    enc.start(t0 & 0x3FFFFFFF, t0 >> 30)
    stride = rng.randint(40, 140)  # samples
    stance = max(4, stride * rng.randint(30, 70) // 100)
    peak = rng.randint(300, 60_000)
    gains = [rng.uniform(0.2, 1.0) for _ in range(n_cells)]
    delays = sorted(rng.randint(0, stance // 3) for _ in range(n_cells))
    amps = [rng.randint(50, 16_000) for _ in range(6)]
    start = rng.randrange(stride)
    times = _Times(rng, time, period_us)

    def load(u: int) -> float:
        u %= stride
        return math.sin(math.pi * u / stance) ** 2 if u < stance else 0.0

    for i in range(start, start + n):
        cells = [
            max(0, min(0xFFFF, round(g * peak * load(i - d)) + rng.randint(-noise, noise)))
            for g, d in zip(gains, delays, strict=True)
        ]
        axes = [
            max(-0x8000, min(0x7FFF, round(a * math.sin(2 * math.pi * i / stride - j / 4))))
            + rng.randint(-noise, noise) // 2
            for j, a in enumerate(amps)
        ]
        with_imu = imu == "all" or (imu == "some" and rng.random() < 0.6)
        assert enc.room()
        enc.add(times.dt(), cells, axes if with_imu else None)
    return bytes(enc.buf[: enc.encode()])


@st.composite
def _enc_blocks(draw: st.DrawFn, n_cells: int | None = None) -> bytes:
    nc = draw(st.integers(0, 16)) if n_cells is None else n_cells
    return _enc_block(
        draw(st.integers(0, 2**32 - 1)),
        nc,
        draw(st.integers(1, SB.block_samples(nc))),
        draw(st.sampled_from(["all", "none", "some"])),
        draw(st.sampled_from(_TIMES)),
        draw(st.integers(1, 65535)),
        draw(st.integers(0, 2**32 - 1)),
    )


@st.composite
def _smooth_blocks(draw: st.DrawFn, n_cells: int | None = None) -> bytes:
    nc = draw(st.integers(0, 16)) if n_cells is None else n_cells
    return _smooth_block(
        draw(st.integers(0, 2**32 - 1)),
        nc,
        draw(st.integers(1, SB.block_samples(nc))),
        draw(st.sampled_from(["all", "none", "some"])),
        draw(st.sampled_from(_TIMES)),
        draw(st.sampled_from([5_000, 10_000, 20_000])),
        draw(st.integers(0, 2**32 - 1)),
        draw(st.sampled_from([0, 2, 20, 200])),
    )


@settings(max_examples=200, deadline=None)
@given(_enc_blocks())
def test_encoded_blocks_decode_the_same(payload: bytes) -> None:
    assert _same(payload)  # every block the encoder writes is read, and identically


@settings(max_examples=100, deadline=None)
@given(_smooth_blocks())
def test_smooth_correlated_blocks_decode_the_same(payload: bytes) -> None:
    """Insole-like samples, where the encoder takes preds 4 and 5 (the corpus test
    below says it does)."""
    assert _same(payload)


def test_the_smooth_blocks_take_preds_4_and_5(monkeypatch: pytest.MonkeyPatch) -> None:
    """The smooth blocks hold sub-blocks of pred 4 (cells and IMU axes) and of pred 5,
    as the firmware's reader finds them, and the numpy reader reads them the same."""
    seen: dict[tuple[int, bool], int] = {}
    params = RD._params

    def counted(rd: Any, nsub: int, has_nbr: bool) -> list[tuple[int, int]]:
        par = params(rd, nsub, has_nbr)
        for pred, _ in par:
            seen[pred, has_nbr] = seen.get((pred, has_nbr), 0) + 1
        return par

    monkeypatch.setattr(RD, "_params", counted)
    modes: set[int] = set()
    for seed in range(24):
        nc = [0, 1, 3, 8, 12, 16][seed % 6]
        imu = ["all", "none", "some"][seed % 3]
        time = _TIMES[seed // 3 % 3]
        payload = _smooth_block(seed, nc, SB.block_samples(nc), imu, time, 10_000, seed, 2)
        modes.add(payload[8] & 9)
        assert _same(payload)
    preds = {p for p, _ in seen}
    assert preds <= {0, 1, 2, 3, 4, 5}
    assert (4, False) not in seen  # none without a neighbour
    assert seen.get((4, True), 0) >= 100 and seen.get((5, False), 0) + seen.get((5, True), 0) >= 100
    assert modes == {0, 1, 9}


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 16).flatmap(
        lambda nc: st.lists(st.one_of(_enc_blocks(nc), _smooth_blocks(nc)), min_size=1, max_size=8)
    )
)
def test_runs_of_blocks_decode_the_same(payloads: list[bytes]) -> None:
    assert _same_run(payloads)


@pytest.mark.parametrize("n_cells", [0, 8, 16])
@pytest.mark.parametrize("imu", ["all", "none", "some"])
@pytest.mark.parametrize("time", _TIMES)
def test_full_blocks_decode_the_same(n_cells: int, imu: str, time: str) -> None:
    """Blocks of the most samples the encoder puts in one: 104, or 82 of 16 cells
    (13 and 11 bytes of IMU bitmap), in each time mode."""
    n = SB.block_samples(n_cells)
    assert n == (82 if n_cells == 16 else SB.BLOCK_MAX_SAMPLES)
    payloads = [_enc_block(s, n_cells, n, imu, time, 10_000, s << 20) for s in range(6)]
    assert all(p[7] == n for p in payloads)
    flags = {p[8] & 9 for p in payloads}
    assert flags == {"none": {0}, "grid": {9}, "gaps": {1}}[time]
    assert all(_same(p) for p in payloads)
    assert _same_run(payloads)
    # over 64 samples: not version 2
    assert _firmware(payloads[0], 2) is None and decode_block(payloads[0], 2) is None


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
    got = _firmware(payload)
    assert got is not None
    assert got[0][99] - got[0][0] == 99 * 10_000 + late[99] + gap_us


def _zz(r: int) -> int:
    return (r << 1) if r >= 0 else ((-r << 1) - 1)


def _params_code(pred: int, k: int) -> tuple[int, int]:
    """A sub-block's (pred, k) in full, as (bits LSB first, their count): F = pred | k <<
    2 in 6 bits for preds 0-3; F = 3 | (pred - 3) << 2 then k in 4 bits for 4 and 5."""
    if pred <= 3:
        return pred | k << 2, 6
    return 3 | (pred - 3) << 2 | k << 6, 10


class _AnyWriter:
    """Blocks with every field picked at random where the format allows a choice
    (pred, k, escapes of any value, how a param is coded, a time channel or an IMU
    bitmap that is not needed, grid offsets or dt_us): what the firmware's encoder
    writes is a corner of what a decoder must read (it escapes only where it keeps a
    small k across a large value, say).
    Version 3: preds 0-3; version 2: that, no grid offsets (and the caller keeps
    n <= 64)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.bits: list[int] = []
        self.written: dict[str, int] = {}  # kinds of field written, for the coverage test
        self.version = V4

    def count(self, kind: str) -> None:
        self.written[kind] = self.written.get(kind, 0) + 1

    def put(self, v: int, width: int) -> None:
        self.bits += [(v >> i) & 1 for i in range(width)]

    def _zs(
        self, xs: list[int], s: int, pred: int, init: int, signed: bool, nbr: list[int]
    ) -> list[int]:
        """The z of sub-block s.. of xs under pred (not 3); nbr: the neighbour's values
        (its first, then xs's samples')."""
        out = []
        for i in range(s, min(s + SB.SUB, len(xs))):
            p1 = xs[i - 1] if i >= 1 else init
            p2 = xs[i - 2] if i >= 2 else init
            p3 = xs[i - 3] if i >= 3 else init
            if pred == 4:
                bend = nbr[i + 1] - 2 * nbr[i] + nbr[max(i - 1, 0)]
                guess = 2 * p1 - p2 + bend
            else:
                guess = [0, p1, 2 * p1 - p2, 0, 0, 3 * p1 - 3 * p2 + p3][pred]
            out.append(xs[i] if pred == 0 and not signed else _zz(xs[i] - guess))
        return out

    def coded(self, xs: list[int], init: int, signed: bool, nbr: list[int] | None = None) -> None:
        """xs coded after init; nbr: the neighbour channel's values (pred 4), or None."""
        rng = self.rng
        par: list[tuple[int, int]] = []  # each sub-block's (pred, k)
        zs: list[int] = []
        for s in range(0, len(xs), SB.SUB):
            preds = [0, 1, 2, 3]
            if self.version >= 4:
                preds += [4, 5] if nbr is not None else [5]
            step_k = bool(par) and par[-1][0] != 3 and rng.random() < 0.2  # k +/- 1
            pred = par[-1][0] if step_k else rng.choice(preds)
            sub = self._zs(xs, s, pred, init, signed, nbr or []) if pred != 3 else []
            if any(z >> SB.ESC_BITS for z in sub):  # only preds 4 and 5 can miss an escape
                pred = rng.randrange(3)
                sub = self._zs(xs, s, pred, init, signed, [])
            zs += sub or [0] * len(range(s, min(s + SB.SUB, len(xs))))
            k = 0
            if step_k and pred == par[-1][0]:
                k = max(0, min(SB.K_MAX, par[-1][1] + rng.choice([-1, 1])))
            elif pred != 3:
                k = rng.choice([rng.randrange(16), max(0, max(zs[s:]).bit_length() - 2)])
                k = min(k, SB.K_MAX)
            self.count(f"pred {pred}")
            if not par:
                self.put(*_params_code(pred, k))
            elif (pred, k) == par[-1] and rng.random() < 0.8:
                self.put(0, 1)
                self.count("param as before")
            elif pred == par[-1][0] != 3 and abs(k - par[-1][1]) == 1:
                self.put(0b001 if k > par[-1][1] else 0b101, 3)
                self.count("param k + 1" if k > par[-1][1] else "param k - 1")
                if pred >= 4:
                    self.count("param k step of pred 4 or 5")
            else:
                f, width = _params_code(pred, k)
                self.put(3 | f << 2, 2 + width)
                self.count("param in full")
                if pred >= 4:
                    self.count("param of pred 4 or 5 in full after the first")
            par.append((pred, k))
        escape = [False] * len(xs)
        for i, z in enumerate(zs):
            pred, k = par[i // SB.SUB]
            if pred == 3:
                continue
            q = z >> k
            escape[i] = q >= SB.QMAX or self.rng.random() < 0.05
            if escape[i]:
                self.count("escape" if q >= SB.QMAX else "escape of a small z")
            q = SB.QMAX if escape[i] else q
            self.put((1 << q) - 1, q + 1)
        for i, z in enumerate(zs):
            pred, k = par[i // SB.SUB]
            if pred == 3:
                self.put(xs[i] & 0xFFFF, 16)
                self.count("verbatim")
            elif escape[i]:
                self.put(z, SB.ESC_BITS)
            else:
                self.put(z, k)

    def channel(self, xs: list[int], signed: bool, nbr: list[int] | None) -> None:
        z = _zz(xs[0]) if signed else xs[0]
        self.put(z.bit_length(), 5)
        self.put(z, z.bit_length())
        self.coded(xs[1:], xs[0], signed, nbr)

    def offsets(self, n: int, period_us: int) -> list[int]:
        """Grid offsets o_1..o_(n-1): int16, each dt_us they give in 0..65535."""
        rng = self.rng
        out: list[int] = []
        o = 0
        for _ in range(n - 1):
            lo, hi = max(-0x8000, o - period_us), min(0x7FFF, o + 0xFFFF - period_us)
            o = rng.choice([o, o + rng.randint(-3, 3), rng.randint(lo, hi), lo, hi])
            o = max(lo, min(hi, o))
            out.append(o)
        return out

    def block(
        self, seed: int, n_cells: int, n: int, imu: str, period_us: int, version: int = V4
    ) -> bytes:
        rng = self.rng
        self.version = version
        cells = [[rng.randint(0, 0xFFFF)] * n for _ in range(n_cells)]
        for j, col in enumerate(cells):
            for i in range(1, n):
                if j and rng.random() < 0.5:  # as the cell before moved: pred 4's case
                    step = cells[j - 1][i] - cells[j - 1][i - 1] + rng.randint(-3, 3)
                else:
                    step = rng.choice([0, 3, -40, 700, 30000])
                col[i] = max(0, min(0xFFFF, col[i - 1] + step))
        present = [imu == "all" or (imu == "some" and rng.random() < 0.5) for _ in range(n)]
        m = sum(present)
        axes = [[rng.randint(-0x8000, 0x7FFF) for _ in range(m)] for _ in range(6)]
        # the times: on the grid (then a time channel of either kind, or none), grid
        # offsets, or dt_us
        time = rng.choice(["none", "grid", "dt"] if version >= 3 else ["none", "dt"])
        timed = time != "none" or rng.random() < 0.3
        grid = time == "grid" or (time == "none" and version >= 3 and rng.random() < 0.5)
        offsets = self.offsets(n, period_us) if time == "grid" else [0] * (n - 1)
        dts = [period_us] * (n - 1)
        if time == "dt":
            dts = [rng.choice([period_us, rng.randint(0, 0xFFFF)]) for _ in dts]
        bitmap = not (all(present) or not any(present)) or rng.random() < 0.3
        flags = int(timed) | (8 if grid and timed else 0)
        flags |= 4 if bitmap else 2 if all(present) else 0
        head = bytearray(seed.to_bytes(4, "little") + period_us.to_bytes(2, "little"))
        head += bytes([n_cells, n, flags])
        if bitmap:
            head += sum(1 << i for i in range(n) if present[i]).to_bytes((n + 7) // 8, "little")
        self.bits = []
        if timed and grid:
            self.coded(offsets, 0, True)
            self.count("grid offsets")
        elif timed:
            self.coded(dts, period_us, False)
            self.count("dt_us")
        for j, col in enumerate(cells):
            self.channel(col, False, cells[j - 1] if j else None)
        for j, ax in enumerate(axes if m else []):
            self.channel(ax, True, axes[j - 1] if j else None)
        return bytes(head) + _packed(self.bits)


def _packed(bits: list[int]) -> bytes:
    out = bytearray((len(bits) + 7) // 8)
    for i, b in enumerate(bits):
        out[i >> 3] |= b << (i & 7)
    return bytes(out)


def _max_n(version: int) -> int:
    return F.V2_MAX_SAMPLES if version == 2 else SB.BLOCK_MAX_SAMPLES


@st.composite
def _any_blocks(draw: st.DrawFn, n_cells: int | None = None, version: int = V4) -> bytes:
    seed = draw(st.integers(0, 2**32 - 1))
    return _AnyWriter(random.Random(seed)).block(
        seed,
        draw(st.integers(0, 16)) if n_cells is None else n_cells,
        draw(st.integers(1, _max_n(version))),
        draw(st.sampled_from(["all", "none", "some"])),
        draw(st.integers(1, 65535)),
        version,
    )


@pytest.mark.parametrize("version", [2, 3, 4])
@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_blocks_with_every_field_at_random_decode_the_same(
    version: int, data: st.DataObject
) -> None:
    payload = data.draw(_any_blocks(version=version))
    # the writer writes only what the format allows
    assert _firmware(payload, version) is not None
    assert _same(payload, version)


@pytest.mark.parametrize("version", [2, 3, 4])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_runs_of_blocks_with_every_field_at_random_decode_the_same(
    version: int, data: st.DataObject
) -> None:
    nc = data.draw(st.integers(0, 16))
    blocks = _any_blocks(nc, version)
    if version == V4:
        blocks = st.one_of(blocks, _enc_blocks(nc))
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
        w = _AnyWriter(random.Random(seed))
        flags.add(w.block(seed, 3, 64, imu, 10_000)[8])
        enc_flags.add(_enc_block(seed, 3, 64, imu, _TIMES[seed // 3 % 3], 10_000, 0)[8])
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
@given(st.one_of(_enc_blocks(), _any_blocks()), st.data())
def test_damaged_blocks_are_refused_or_decoded_the_same(
    payload: bytes, data: st.DataObject
) -> None:
    buf = bytearray(payload)
    _damage(buf, data)
    damaged = bytes(buf)
    # the numpy reader reads a block exactly when the firmware reads it
    assert _same(damaged) == (_firmware(damaged) is not None)


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(_any_blocks(version=2), _any_blocks(version=3), _enc_blocks()),
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
        _damage(buf, data)
    got = bytes(buf)
    assert _same(got, 2) == (_firmware(got, 2) is not None)
    if len(got) > 8 and (got[7] > F.V2_MAX_SAMPLES or got[8] & 8):
        assert _firmware(got, 2) is None


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 16).flatmap(
        lambda nc: st.lists(st.one_of(_enc_blocks(nc), _any_blocks(nc)), min_size=2, max_size=6)
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
    assert _same(payload, version) == (_firmware(payload, version) is not None)


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
    assert _same(payload, version) == (_firmware(payload, version) is not None)


def test_bad_padding_trailing_bytes_and_flags_are_refused() -> None:
    good = _enc_block(5, 3, 20, "some", "grid", 10_000, 77)
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
        assert _firmware(bad) is None and decode_block(bad) is None
        assert decode_blocks([good, bad]) is None
    # grid offsets are since version 3: version 2 refuses the flag
    assert _firmware(good, 2) is None and decode_block(good, 2) is None
    # bit 3 without a time channel, on a block that reads without bit 3
    plain = _enc_block(5, 3, 20, "some", "none", 10_000, 77)
    assert plain[8] & 9 == 0 and _same(plain)
    bad = plain[:8] + bytes([plain[8] | 8]) + plain[9:]
    assert _firmware(bad) is None and decode_block(bad) is None
    for version in (0, 5):  # versions neither reader knows
        assert decode_block(good, version) is None and decode_blocks([good], version) is None


def test_version_2_refuses_over_64_samples() -> None:
    """A block that is version 2 in all but its length: n of 65..104 reads only as
    version 3."""
    for n in (64, 65, 100, 104):
        payload = _AnyWriter(random.Random(n)).block(n, 2, n, "some", 10_000, version=2)
        assert _same(payload, 3)
        assert (_firmware(payload, 2) is not None) == (n <= 64)
        assert (decode_block(payload, 2) is not None) == (n <= 64)
        if n <= 64:
            assert _same(payload, 2)


def _grid_block(period_us: int, offsets: list[int]) -> bytes:
    """No cells, no IMU, len(offsets) + 1 samples, the time channel grid offsets in
    verbatim sub-blocks (params pred 3 k 0, then as before; 16 bits each, any value)."""
    head = bytes([0, 0, 0, 0, period_us & 0xFF, period_us >> 8, 0, len(offsets) + 1, 9])
    params = _bits(3, 6) + [0] * ((len(offsets) - 1) // SB.SUB)
    values = [(o >> i) & 1 for o in offsets for i in range(16)]
    return head + _packed(params + values)


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
    assert (_firmware(payload) is not None) == ok
    assert (decode_block(payload) is not None) == ok
    if ok:
        assert _same(payload)
        got = _firmware(payload)
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
    ok = head + _packed(bits + [(_zz(0x7FFF) >> i) & 1 for i in range(SB.ESC_BITS)])
    assert _same(ok) and _firmware(ok) == ([0, 10_000 + 0x7FFF], [(), ()], [None, None])
    low = head + _packed(bits + [(_zz(-0x8000) >> i) & 1 for i in range(SB.ESC_BITS)])
    assert _firmware(low) is None and decode_block(low) is None  # dt -22768
    big = head + _packed(bits + [(_zz(0x8000) >> i) & 1 for i in range(SB.ESC_BITS)])
    assert _firmware(big) is None and decode_block(big) is None
    assert decode_blocks([ok, big]) is None


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


def _bits(v: int, width: int) -> list[int]:
    return [(v >> i) & 1 for i in range(width)]


def _code_bits(pred: int, k: int) -> list[int]:
    return _bits(*_params_code(pred, k))


def _two_sub_blocks(version: int, first: list[int], k0: int, second: list[int], k1: int) -> bytes:
    """One cell, 17 samples, no time channel, no IMU: the first value 0, then two
    sub-blocks of 8 values with params `first` and `second` (bits), every unary code 0
    and every tail 0 (k0 bits each in the first sub-block, k1 in the second)."""
    head = bytes([0, 0, 0, 0, 0x10, 0x27, 1, 17, 0])
    body = [0] * 5 + first + second
    return head + _packed(body + [0] * 16 + [0] * (8 * k0 + 8 * k1))


_PRED_5_AT_15 = [1, 1, *_code_bits(5, 15)]  # the second sub-block's params: pred 5 k 15
# F = 3 | 3 << 2, then 4 bits as if pred 6's k 15: the rest of the block fits that k
_F_3_3 = _bits(3 | 3 << 2, 6) + _bits(15, 4)


@pytest.mark.parametrize(
    "version, first, k0, second, k1, ok",
    [
        (3, _code_bits(1, 14), 14, [1, 0, 0], 15, True),  # pred 1 k 14, then k + 1
        (3, _code_bits(1, 15), 15, [1, 0, 0], 15, False),  # k + 1 past 15
        (3, _code_bits(1, 15), 15, [1, 0, 0], 16, False),  # the same, with a k of 16's tails
        (3, _code_bits(1, 0), 0, [1, 0, 1], 15, False),  # k - 1 below 0
        # a k step on a verbatim sub-block (the block as long as two verbatim ones)
        (3, _code_bits(3, 0), 16, [1, 0, 0], 14, False),
        (3, _bits(3 | 1 << 2, 6), 1, [0], 15, False),  # a verbatim sub-block with a k
        (3, _code_bits(5, 3), 3, [0], 3, False),  # F = 3 | 2 << 2: no pred 5 in version 3
        (3, _code_bits(1, 0), 0, _PRED_5_AT_15, 15, False),
        (4, _code_bits(1, 14), 14, [1, 0, 0], 15, True),
        (4, _code_bits(1, 15), 15, [1, 0, 0], 15, False),
        (4, _code_bits(1, 15), 15, [1, 0, 0], 16, False),
        (4, _code_bits(1, 0), 0, [1, 0, 1], 15, False),
        (4, _code_bits(3, 0), 16, [1, 0, 0], 14, False),  # a k step on pred 3
        (4, _code_bits(3, 0), 16, [1, 0, 1], 15, False),
        (4, _code_bits(5, 3), 3, [0], 3, True),  # version 4: F = 3 | 2 << 2, then k
        (4, _code_bits(5, 14), 14, [1, 0, 0], 15, True),  # pred 5's k steps by 1
        (4, _code_bits(5, 1), 1, [1, 0, 1], 0, True),
        (4, _code_bits(5, 15), 15, [1, 0, 0], 15, False),  # pred 5 k + 1 past 15
        (4, _code_bits(5, 15), 15, [1, 0, 0], 16, False),
        (4, _code_bits(5, 0), 0, [1, 0, 1], 15, False),  # pred 5 k - 1 below 0
        (4, _code_bits(2, 0), 0, _PRED_5_AT_15, 15, True),  # a new F: pred 5 k 15
        (4, _F_3_3, 15, [0], 15, False),  # F = 3 | 3 << 2
        (4, _bits(3 | 15 << 2, 6) + _bits(15, 4), 15, [0], 15, False),  # F = 3 | 15 << 2
        (4, _code_bits(1, 0), 0, [1, 1, *_F_3_3], 15, False),
        (4, _code_bits(4, 0), 0, [0], 15, False),  # pred 4 on cell 0 (no neighbour)
        (4, _code_bits(1, 0), 0, [1, 1, *_code_bits(4, 15)], 15, False),
    ],
)
def test_params_outside_the_format_are_refused(
    version: int, first: list[int], k0: int, second: list[int], k1: int, ok: bool
) -> None:
    """k steps out of 0..15 or on pred 3 (pred 5's k steps by 1), a verbatim sub-block
    with a k (version 4: F = 3 | k << 2 with k over 2; before: k over 0), pred 4 where
    the channel has no neighbour."""
    payload = _two_sub_blocks(version, first, k0, second, k1)
    assert (_firmware(payload, version) is not None) == ok
    if ok:
        assert _same(payload, version)
    else:
        assert decode_block(payload, version) is None
        good = _two_sub_blocks(version, _code_bits(1, 14), 14, [1, 0, 0], 15)
        assert _same(good, version)
        assert decode_blocks([good, payload], version) is None


def _pred_4_block(where: str) -> bytes:
    """3 samples, a time channel (dt_us), 2 cells and the IMU in every sample; cell 0
    0, 1, 4 (pred 0), cell 1 from 10 by pred 4 with residuals 0, the time channel and
    each IMU axis pred 1 with residuals 0 (dt_us period_us, axes 0); but `where`
    ("time", "cell 0", "imu 0".."imu 5") takes pred 4 with residuals 0."""

    def zeros(pred: int) -> list[int]:  # two values, k 0, z 0
        return [*_code_bits(pred, 0), 0, 0]

    bits = zeros(4 if where == "time" else 1)
    if where == "cell 0":
        bits += [0] * 5 + zeros(4)
    else:  # the first value 0, then z 1 and 4 (unary, k 0)
        bits += [0] * 5 + _code_bits(0, 0) + [1, 0] + [1, 1, 1, 1, 0]
    bits += _bits(4, 5) + _bits(10, 4) + zeros(4)
    for j in range(6):
        bits += [0] * 5 + zeros(4 if where == f"imu {j}" else 1)
    return bytes([0, 0, 0, 0, 0x10, 0x27, 2, 3, 3]) + _packed(bits)


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
    assert (_firmware(payload) is not None) == ok
    if ok:
        assert _same(payload)
        assert _firmware(payload, 3) is None and decode_block(payload, 3) is None
        # cell 1: 10, then 2 * 10 - 10 + (1 - 0 - 0) = 11, 2 * 11 - 10 + (4 - 2 + 0) = 14
        assert _firmware(payload) == (
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
    body = _packed(([0] * 5 + [0] * 6 + [0]) * 6)
    good = bytes([0, 0, 0, 0, 0x10, 0x27, 0, 3, 4, 0b011]) + body
    assert _same(good)
    bad = bytes([0, 0, 0, 0, 0x10, 0x27, 0, 3, 4, 0b1011]) + body
    assert _firmware(bad) is None and decode_block(bad) is None
    # the longest bitmaps (13 bytes): samples 0 and n - 1 of 100 and of 104
    for n in (100, 104):
        marks = (1 | 1 << (n - 1)).to_bytes(13, "little")
        good = bytes([0, 0, 0, 0, 0x10, 0x27, 0, n, 4]) + marks + body
        assert _same(good) and decode_blocks([good, good]) is not None
    past = (1 | 1 << 100).to_bytes(13, "little")  # sample 100 of 100
    bad = bytes([0, 0, 0, 0, 0x10, 0x27, 0, 100, 4]) + past + body
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


def _json_rows(rows: Rows) -> list[list[Any]]:
    return [[t, list(c), list(m) if m is not None else None] for t, c, m in zip(*rows, strict=True)]


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
        slow += _json_rows(SB.decode_sample_block(p, version))
        got = fast(p)
        assert got is not None
        quick += _json_rows(_rows(got))
    assert len(slow) == meta["samples"] and any(r[2] is None for r in slow)
    assert _digest(slow) == meta["sha256_of_json_rows"]
    assert _digest(quick) == meta["sha256_of_json_rows"]
    return blocks, meta["sha256_of_json_rows"]


def test_the_committed_v2_session_reads_to_its_samples() -> None:
    """tests/data/v2: a session written by the version-2 encoder, and the hash of its
    samples as written; the firmware's reader and the fast one (block by block and
    the blocks as one run) all give them."""
    blocks, want = _committed_blocks(V2_SESSION, 2, lambda p: decode_block(p, 2))
    run = decode_blocks(blocks, 2)
    assert run is not None
    assert {p[8] & 1 for p in blocks} == {1}  # its time channel is dt_us
    assert _digest(_json_rows(_rows(run))) == want


def test_the_committed_v3_session_reads_to_its_samples() -> None:
    """tests/data/v3: a session written by the version-3 encoder (6-bit params, preds
    0-3), and the hash of its samples as written; as the version-2 session."""
    blocks, want = _committed_blocks(V3_SESSION, 3, lambda p: decode_block(p, 3))
    run = decode_blocks(blocks, 3)
    assert run is not None
    assert {p[8] & 9 for p in blocks} == {9}  # its time channel is grid offsets
    assert _digest(_json_rows(_rows(run))) == want
    # version 4 codes preds 0-3 as version 3 does: it reads these blocks the same
    assert all(_firmware(p, 4) == SB.decode_sample_block(p, 3) for p in blocks)
    run_4 = decode_blocks(blocks, 4)
    assert run_4 is not None and _digest(_json_rows(_rows(run_4))) == want


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
