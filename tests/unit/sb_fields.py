"""SampleBlock payloads for the readers' tests (test_fastblocks, test_sbreader,
tests/firmware/test_sampleblock_v4): the format's prediction of a value, a writer of
every field at random (versions 2-4), blocks from the firmware's encoder, the preds
the reference reader finds in a payload, and the readers' samples as rows to compare
and hash."""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections import Counter
from typing import Any, NamedTuple

from hypothesis import strategies as st

from stridefw import sampleblock as SB
from stridefw import sampleblock_read as SR
from stridefw.sampleblock_fmt import BLOCK_MAX_SAMPLES, ESC_BITS, K_MAX, QMAX, SUB, V2_MAX_SAMPLES

V4 = SB.SAMPLE_BLOCK_VERSION

# samples as the firmware's reader gives them: times, cells, IMU (None: no IMU sample)
Rows = tuple[list[int], list[tuple[int, ...]], list[tuple[int, ...] | None]]


def reference(payload: bytes, version: int = V4) -> Rows | None:
    """The firmware's reader's samples, or None where it refuses the payload."""
    try:
        return SR.decode_sample_block(payload, version)
    except ValueError:
        return None


def rows(got: Any) -> Rows:
    """A fast reader's arrays (t, cells, imu, present) as the firmware's rows."""
    t, cells, imu, present = got
    return (
        t.tolist(),
        [tuple(r) for r in cells.tolist()],
        [tuple(m) if p else None for m, p in zip(imu.tolist(), present.tolist(), strict=True)],
    )


def json_rows(got: Rows) -> list[list[Any]]:
    return [[t, list(c), list(m) if m is not None else None] for t, c, m in zip(*got, strict=True)]


def digest(json_list: list[list[Any]]) -> str:
    """The hash a committed session's json stores of its samples' json rows."""
    return hashlib.sha256(json.dumps(json_list, separators=(",", ":")).encode()).hexdigest()


def zz(r: int) -> int:
    """Signed zigzag: 0, -1, 1, -2 ... to 0, 1, 2, 3 ..."""
    return (r << 1) if r >= 0 else ((-r << 1) - 1)


def bits(v: int, width: int) -> list[int]:
    """v's low width bits, LSB first (the format's order)."""
    return [(v >> i) & 1 for i in range(width)]


def packed(bs: list[int]) -> bytes:
    """Bits, LSB first, in bytes (the last padded with 0s)."""
    out = bytearray((len(bs) + 7) // 8)
    for i, b in enumerate(bs):
        out[i >> 3] |= b << (i & 7)
    return bytes(out)


F_BITS = 6  # a sub-block's params F = pred | k << 2 in full, preds 0-3 (every version)


def params_bits(pred: int, k: int) -> list[int]:
    """A sub-block's (pred, k) in full: F = pred | k << 2 in 6 bits for preds 0-3 (pred
    3 with k 1 or 2 is F of pred 4 or 5); for pred 4 and on, F = 3 | (pred - 3) << 2,
    then k in 4 bits (preds 6.. are refused: F = 3 | k << 2 with k over 2)."""
    if pred <= 3:
        return bits(pred | k << 2, F_BITS)
    return bits(3 | (pred - 3) << 2, F_BITS) + bits(k, 4)


def prediction(pred: int, ch: list[int], i: int, nbr: list[int] | None = None) -> int:
    """sampleblock_fmt's prediction of ch[i] (i >= 1) under pred 0, 1, 2, 4 or 5, from
    the format's text: ch[0] is the channel's first value (or its init: period_us for
    dt_us, 0 for grid offsets), which stands in for the values before it; nbr (pred 4):
    the neighbour channel's values at the same samples, its first value at nbr[0]."""

    def at(a: list[int], j: int) -> int:
        return a[max(j, 0)]  # the first value where there is none

    p1, p2, p3 = at(ch, i - 1), at(ch, i - 2), at(ch, i - 3)
    if pred == 0:
        return 0
    if pred == 1:
        return p1
    if pred == 2:
        return 2 * p1 - p2
    if pred == 5:
        return 3 * p1 - 3 * p2 + p3
    assert pred == 4 and nbr is not None
    return 2 * p1 - p2 + at(nbr, i) - 2 * at(nbr, i - 1) + at(nbr, i - 2)


# --- the reference reader's params -------------------------------------------------------


class ChannelParams(NamedTuple):
    """One coded channel's sub-blocks' (pred, k), and whether it has a neighbour."""

    has_nbr: bool
    params: list[tuple[int, int]]


def params_read(payload: bytes, version: int = V4) -> list[ChannelParams]:
    """Each coded channel's params (time channel first), as the reference reader
    (stridefw.sampleblock_read) reads them; its ValueError where it refuses."""
    seen: list[ChannelParams] = []
    real = SR._params  # pyright: ignore[reportPrivateUsage]

    def spy(rd: object, nsub: int, has_nbr: bool) -> list[tuple[int, int]]:
        par = real(rd, nsub, has_nbr)
        seen.append(ChannelParams(has_nbr, par))
        return par

    SR._params = spy  # pyright: ignore[reportPrivateUsage]
    try:
        SR.decode_sample_block(payload, version)
    finally:
        SR._params = real  # pyright: ignore[reportPrivateUsage]
    return seen


def pred_counts(payloads: list[bytes], version: int = V4) -> Counter[int]:
    """How many sub-blocks of each pred the reference reader finds in the payloads."""
    return Counter(p for b in payloads for ch in params_read(b, version) for p, _k in ch.params)


# --- the firmware's encoder --------------------------------------------------------------

# How a channel moves over a sub-block of 8 samples; "wild" (any 16-bit value) makes
# the encoder store sub-blocks verbatim, "jump" (quiet, then far off) large residuals
# (the encoder escapes where it keeps the sub-block before's small k across one large
# value; every kind of escape comes from the random-field writer).
REGIMES = ("hold", "noise", "ramp", "wild", "jump")
# How the samples' times move: each on the grid ("none": no time channel), each a
# little late ("grid": grid offsets), or dt_us anywhere in 0..65535 ("gaps": the
# offsets soon leave int16, so the channel holds dt_us)
TIMES = ("none", "grid", "gaps")
IMU = ("all", "none", "some")


def _walk(rng: random.Random, v: int, regime: str, slope: int, lo: int, hi: int) -> int:
    if regime == "noise":
        v += rng.randint(-40, 40)
    elif regime == "ramp":
        v += slope
    elif regime == "wild" or (regime == "jump" and rng.random() < 0.15):
        v = rng.randint(lo, hi)
    return max(lo, min(hi, v))


class _Times:
    """The samples' dt_us in one of TIMES (a sample's lateness up to 3, 300 or
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


def enc_block(
    seed: int, n_cells: int, n: int, imu: str, time: str, period_us: int, t0: int
) -> bytes:
    """A block from the firmware's encoder: n samples of channels that switch between
    REGIMES every 8 samples; imu one of IMU (IMU in every sample, none, or some);
    time one of TIMES."""
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
            regime = [rng.choice(REGIMES) for _ in range(n_cells + 6)]
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


def smooth_block(
    seed: int, n_cells: int, n: int, imu: str, time: str, period_us: int, t0: int, noise: int
) -> bytes:
    """A block from the firmware's encoder over samples like an insole's, where it
    takes preds 4 and 5: each cell a scaled copy of one load curve (a smooth hump in
    stance, 0 in swing), a little later than the cell before (heel to toe), plus noise
    up to `noise`; IMU axes smooth swings, each a little after the one before; imu and
    time as in enc_block."""
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
def enc_blocks(draw: st.DrawFn, n_cells: int | None = None) -> bytes:
    """enc_block's blocks (of n_cells, or 0-16 drawn)."""
    nc = draw(st.integers(0, 16)) if n_cells is None else n_cells
    return enc_block(
        draw(st.integers(0, 2**32 - 1)),
        nc,
        draw(st.integers(1, SB.block_samples(nc))),
        draw(st.sampled_from(IMU)),
        draw(st.sampled_from(TIMES)),
        draw(st.integers(1, 65535)),
        draw(st.integers(0, 2**32 - 1)),
    )


@st.composite
def smooth_blocks(draw: st.DrawFn, n_cells: int | None = None) -> bytes:
    """smooth_block's blocks (of n_cells, or 0-16 drawn)."""
    nc = draw(st.integers(0, 16)) if n_cells is None else n_cells
    return smooth_block(
        draw(st.integers(0, 2**32 - 1)),
        nc,
        draw(st.integers(1, SB.block_samples(nc))),
        draw(st.sampled_from(IMU)),
        draw(st.sampled_from(TIMES)),
        draw(st.sampled_from([5_000, 10_000, 20_000])),
        draw(st.integers(0, 2**32 - 1)),
        draw(st.sampled_from([0, 2, 20, 200])),
    )


# --- a writer of every field at random ---------------------------------------------------


class AnyWriter:
    """Blocks of a version with every field picked at random where the format allows
    a choice (pred, k, escapes of any value, how a param is coded, a time channel or
    an IMU bitmap that is not needed, grid offsets or dt_us): what the firmware's
    encoder writes is a corner of what a reader must read (it escapes only where it
    keeps a small k across a large value, say). Version 2: no grid offsets (and the
    caller keeps n <= 64); preds 4 and 5 from version 4. `written` counts the kinds of
    field written, for the tests that the blocks hold every kind."""

    def __init__(self, rng: random.Random, version: int = V4) -> None:
        self.rng = rng
        self.version = version
        self.bits: list[int] = []
        self.written: Counter[str] = Counter()

    def put(self, v: int, width: int) -> None:
        self.bits += bits(v, width)

    def coded(self, xs: list[int], init: int, signed: bool, nbr: list[int] | None) -> None:
        """xs coded after init; nbr: the neighbour channel's values (pred 4), its first
        then xs's samples', or None."""
        rng = self.rng
        ch = [init, *xs]
        preds = [0, 1, 2, 3] + ([5] if self.version >= 4 else [])
        preds += [4] if self.version >= 4 and nbr is not None else []
        par: list[tuple[int, int]] = []  # each sub-block's (pred, k)
        zs: list[int] = []
        for s in range(0, len(xs), SUB):
            sub = range(s, min(s + SUB, len(xs)))
            step_k = bool(par) and par[-1][0] != 3 and rng.random() < 0.2  # k +/- 1
            pred = par[-1][0] if step_k else rng.choice(preds)

            def z_of(pred: int, i: int) -> int:
                if pred == 0 and not signed:
                    return xs[i]
                return zz(xs[i] - prediction(pred, ch, i + 1, nbr)) if pred != 3 else 0

            if pred in (4, 5) and max(z_of(pred, i) for i in sub) >> ESC_BITS:
                pred = 1  # the format escapes only z in ESC_BITS (preds 0-2's all fit)
            zs += [z_of(pred, i) for i in sub]
            k = 0
            if step_k and pred == par[-1][0]:
                k = max(0, min(K_MAX, par[-1][1] + rng.choice([-1, 1])))
            elif pred != 3:
                k = rng.choice([rng.randrange(16), max(0, max(zs[s:]).bit_length() - 2)])
                k = min(k, K_MAX)
            self.written[f"pred {pred}"] += 1
            if not par:
                self.bits += params_bits(pred, k)
            elif (pred, k) == par[-1] and rng.random() < 0.8:
                self.put(0, 1)
                self.written["param as before"] += 1
            elif pred == par[-1][0] != 3 and abs(k - par[-1][1]) == 1:
                self.put(0b001 if k > par[-1][1] else 0b101, 3)
                self.written["param k + 1" if k > par[-1][1] else "param k - 1"] += 1
                if pred >= 4:
                    self.written["param k step of pred 4 or 5"] += 1
            else:
                self.bits += [1, 1, *params_bits(pred, k)]
                self.written["param in full"] += 1
                if pred >= 4:
                    self.written["param of pred 4 or 5 in full after the first"] += 1
            par.append((pred, k))
        escape = [False] * len(xs)
        for i, z in enumerate(zs):
            pred, k = par[i // SUB]
            if pred == 3:
                continue
            q = z >> k
            escape[i] = q >= QMAX or self.rng.random() < 0.05
            if escape[i]:
                self.written["escape" if q >= QMAX else "escape of a small z"] += 1
            q = QMAX if escape[i] else q
            self.put((1 << q) - 1, q + 1)
        for i, z in enumerate(zs):
            pred, k = par[i // SUB]
            if pred == 3:
                self.put(xs[i] & 0xFFFF, 16)
                self.written["verbatim"] += 1
            elif escape[i]:
                self.put(z, ESC_BITS)
            else:
                self.put(z, k)

    def channel(self, xs: list[int], signed: bool, nbr: list[int] | None) -> None:
        z = zz(xs[0]) if signed else xs[0]
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

    def block(self, seed: int, n_cells: int, n: int, imu: str, period_us: int) -> bytes:
        rng, version = self.rng, self.version
        # cells: each the one before plus its own steps, or half the time the step of
        # the cell before (pred 4's case)
        cells: list[list[int]] = []
        for _ in range(n_cells):
            col = [rng.randint(0, 0xFFFF)] * n
            for i in range(1, n):
                step = rng.choice([0, 3, -40, 700, 30000])
                if cells and rng.random() < 0.5:
                    step = cells[-1][i] - cells[-1][i - 1] + rng.randint(-3, 3)
                col[i] = max(0, min(0xFFFF, col[i - 1] + step))
            cells.append(col)
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
            self.coded(offsets, 0, True, None)
            self.written["grid offsets"] += 1
        elif timed:
            self.coded(dts, period_us, False, None)
            self.written["dt_us"] += 1
        for j, col in enumerate(cells):
            self.channel(col, False, cells[j - 1] if j else None)
        for j, ax in enumerate(axes if m else []):
            self.channel(ax, True, axes[j - 1] if j else None)
        return bytes(head) + packed(self.bits)


def max_samples(version: int) -> int:
    """The most samples a block of the version holds."""
    return V2_MAX_SAMPLES if version == 2 else BLOCK_MAX_SAMPLES


@st.composite
def any_blocks(draw: st.DrawFn, n_cells: int | None = None, version: int = V4) -> bytes:
    """AnyWriter's blocks of the version (of n_cells, or 0-16 drawn)."""
    seed = draw(st.integers(0, 2**32 - 1))
    return AnyWriter(random.Random(seed), version).block(
        seed,
        draw(st.integers(0, 16)) if n_cells is None else n_cells,
        draw(st.integers(1, max_samples(version))),
        draw(st.sampled_from(IMU)),
        draw(st.integers(1, 65535)),
    )


def damage(buf: bytearray, data: st.DataObject) -> None:
    """One to three kinds of harm to a payload: flipped bytes or bits, a cut, bytes
    added, a head field (n_cells, n or flags) changed."""
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
