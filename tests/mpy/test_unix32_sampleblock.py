"""The raw-sample encoder's viper loops (stridefw.sampleblock_vp: add_sample, encode_block)
against their plain-Python twins (sampleblock_py.add_sample_py, encode_block_py) and CPython,
in ../shared/tools/micropython-unix32 (32-bit x86; the WebAssembly build has no viper):
the same SampleBlock version-4 payloads byte for byte, for the pod's arrays and for lists,
on seeded and hypothesis-drawn blocks (0-16 cells, 1 to block_samples(n_cells) samples
(104, 82 at 16 cells), IMU in every, no or some samples, smooth channels, spikes and
full-scale noise that takes verbatim sub-blocks, cells that load together and smooth IMU
axes (preds 4 and 5), the time channel as grid offsets (jitter) and as dt_us (dropped
samples, any dt; offsets at and just past int16), any period and t0) and full blocks of
the worst data (every value a full-scale jump), every payload decoding back to its
samples on CPython, and no allocation in add() or encode() with the viper loops under
heap_lock; also the deploy build (.mpy files compiled ahead for x86, sampleblock_vp by the
viper emitter). Escapes are written where the sub-block before's (pred, k) is kept over
one large value, and refused where a z of pred 4 or 5 passes ESC_BITS; the reader's tests
cover them apart."""

from __future__ import annotations

import array
import math
import random
import re
import struct
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stridefw import sampleblock as SB
from stridekit.bench import unix32
from tests.unit import sb_fields as SF

pytestmark = pytest.mark.usefixtures("unix32_available")

# A block: (n_cells, period_us, t0_us (u32), samples); a sample: (dt_us, cells, imu or None).
Sample = tuple[int, Sequence[int], Sequence[int] | None]
Block = tuple[int, int, int, Sequence[Sample]]

# Blob per block: n_cells u8, period u16, t0 u32, n u8, then per sample dt u16, imu
# flag u8, n_cells x u16 cells, 6 x i16 IMU (zeros when absent). The script writes
# each payload as its length (u16) and its bytes: viper (arrays, heap locked), lists
# (the twin's add, viper encode), then both twins (arrays).
_SCRIPT = r"""
import array
import micropython
from stridefw import sampleblock as S
from stridefw import sampleblock_py as P  # the twins (the pod never loads them)

data = open("/samples.bin", "rb").read()


def u16(o):
    return data[o] | (data[o + 1] << 8)


def blocks():
    o = 0
    while o < len(data):
        nc = data[o]
        period = u16(o + 1)
        t0 = u16(o + 3) | (u16(o + 5) << 16)
        n = data[o + 7]
        o += 8
        rows = []
        for _ in range(n):
            dt = u16(o)
            has = data[o + 2]
            o += 3
            vals = [u16(o + 2 * k) for k in range(nc + 6)]
            o += 2 * (nc + 6)
            imu = [v - 0x10000 if v & 0x8000 else v for v in vals[nc:]]
            rows.append((dt, vals[:nc], imu if has else None))
        yield nc, period, t0, rows


def encode(as_arrays, locked, path):
    res = open(path, "wb")  # each payload as it comes: no large buffer in the heap
    made = {}  # one encoder (and its arrays) per (n_cells, period), reused as the store does
    counts = [0, 0]  # adds and encodes run under heap_lock
    for nc, period, t0, rows in blocks():
        key = (nc, period)
        if key not in made:
            made[key] = (
                S.SampleBlockEncoder(nc, period),
                array.array("H", bytes(2 * nc)),
                array.array("h", bytes(12)),
            )
        e, cells, imu = made[key]
        e.start(t0 & 0x3FFFFFFF, t0 >> 30)
        for dt, c, m in rows:
            if as_arrays:
                for k in range(nc):
                    cells[k] = c[k]
                if m is not None:
                    for k in range(6):
                        imu[k] = m[k]
                cs = cells
                ms = None if m is None else imu
            else:
                cs = c
                ms = m
            # the first add with each array checks its type (allocates once)
            if locked and e._vp_cells is cs and (ms is None or e._vp_imu is ms):
                micropython.heap_lock()
                e.add(dt, cs, ms)
                micropython.heap_unlock()
                counts[0] += 1
            else:
                e.add(dt, cs, ms)
        if locked:
            micropython.heap_lock()
            size = e.encode()
            micropython.heap_unlock()
            counts[1] += 1
        else:
            size = e.encode()
        res.write(size.to_bytes(2, "little"))
        res.write(memoryview(e.buf)[:size])
    res.close()
    return counts


print("loop", S.SAMPLE_LOOP)
counts = encode(True, True, "/steps.bin")
print("locked", counts[0], counts[1])
encode(False, False, "/flags.bin")
S._add_vp = P.add_sample_py
S._encode_vp = P.encode_block_py
S.SAMPLE_LOOP = "python"
encode(True, False, "/header.bin")
"""


def _blob(blocks: list[Block]) -> bytes:
    out = bytearray()
    for nc, period, t0, rows in blocks:
        out += struct.pack("<BHIB", nc, period, t0, len(rows))
        for dt, c, m in rows:
            out += struct.pack("<HB", dt, m is not None)
            out += struct.pack(f"<{nc}H6h", *c, *(m if m is not None else [0] * 6))
    return bytes(out)


def _payloads(res: bytes) -> list[bytes]:
    out: list[bytes] = []
    o = 0
    while o < len(res):
        n = int.from_bytes(res[o : o + 2], "little")
        out.append(res[o + 2 : o + 2 + n])
        o += 2 + n
    return out


def _cpython(blocks: list[Block]) -> list[bytes]:
    """The payloads CPython writes, each checked to decode back to its samples."""
    out: list[bytes] = []
    for nc, period, t0, rows in blocks:
        e = SB.SampleBlockEncoder(nc, period)
        e.start(t0 & 0x3FFFFFFF, t0 >> 30)
        for dt, c, m in rows:
            e.add(dt, array.array("H", c), None if m is None else array.array("h", m))
        payload = bytes(e.buf[: e.encode()])
        ts, cells, imu = SB.decode_sample_block(payload, SB.SAMPLE_BLOCK_VERSION)
        want_t = [t0]
        for dt, _c, _m in rows[1:]:
            want_t.append((want_t[-1] + dt) & 0xFFFFFFFF)
        assert ts == want_t
        assert [list(c) for c in cells] == [list(c) for _, c, _m in rows]
        assert [None if v is None else list(v) for v in imu] == [
            None if m is None else list(m) for _, _c, m in rows
        ]
        out.append(payload)
    return out


def _check(blocks: list[Block], emitter: str = "viper") -> None:
    stdout, outs = unix32.run(
        _SCRIPT,
        {"/samples.bin": _blob(blocks)},
        emitter,
        outputs=("/steps.bin", "/header.bin", "/flags.bin"),
    )
    assert "loop viper" in stdout
    want = _cpython(blocks)
    vp = _payloads(outs["/steps.bin"])
    for i, (got, exp) in enumerate(zip(vp, want, strict=True)):
        assert got == exp, f"viper differs from CPython in block {i}: {blocks[i][:3]}"
    assert _payloads(outs["/header.bin"]) == want, "plain twins in unix32 differ from CPython"
    assert _payloads(outs["/flags.bin"]) == want, "lists in unix32 differ from CPython"
    # every encode and every add but the first with each array ran under heap_lock
    # (an allocation there raises MemoryError and fails the script)
    n_enc = len({(nc, period) for nc, period, _t, _r in blocks})
    locked = next(ln.split() for ln in stdout.splitlines() if ln.startswith("locked"))
    assert int(locked[1]) >= sum(len(r) for *_h, r in blocks) - 2 * n_enc, stdout
    assert int(locked[2]) == len(blocks), stdout


def _channel(rnd: random.Random, n: int, lo: int, hi: int) -> list[int]:
    """n values of one channel: constant, a slow ramp, a smooth curve with noise, a
    step, full-scale noise (verbatim sub-blocks), or small noise with spikes (the
    cost of quotients about QMAX)."""
    kind = rnd.randrange(7)
    if kind == 6:  # small noise and spikes
        base = rnd.randrange(lo, hi + 1)
        noise = rnd.choice((0, 1, 3, 7, 15))
        spike = rnd.randrange(6, 15) * (noise + 1)
        out = []
        for _ in range(n):
            v = base + rnd.randrange(-noise, noise + 1)
            if rnd.random() < 0.15:
                v += rnd.choice((-1, 1)) * rnd.randrange(spike // 2, spike + noise + 2)
            out.append(min(hi, max(lo, v)))
        return out
    if kind == 0:
        return [rnd.choice((lo, hi, 0, rnd.randrange(lo, hi + 1)))] * n
    if kind == 5:
        return [rnd.randrange(lo, hi + 1) for _ in range(n)]
    v = rnd.randrange(lo, hi + 1)
    slope = rnd.randrange(-300, 301)
    noise = rnd.choice((0, 1, 3, 20, 400))
    out = []
    for _ in range(n):
        if kind == 3 and rnd.random() < 0.1:
            v = rnd.randrange(lo, hi + 1)  # a jump (an impact, a contact)
        if kind == 4:
            slope += rnd.randrange(-40, 41)  # curvature: pred 2's case
        v += slope
        out.append(min(hi, max(lo, v + rnd.randrange(-noise, noise + 1))))
    return out


DT_MODES = 4


def _block(rnd: random.Random, nc: int, n: int, imu_mode: int, dt_mode: int) -> Block:
    """imu_mode 0: no IMU, 1: every sample, 2: some; dt_mode 0: all the period, 1: jitter
    (grid offsets), 2: anything 0..65535, 3: jitter and a few dropped samples (a dt of
    2-6 periods: the time channel as dt_us once the offsets leave int16)."""
    period = rnd.choice((1, 5000, 10000, 65535, rnd.randrange(1, 0x10000)))
    cols = [_channel(rnd, n, 0, 0xFFFF) for _ in range(nc)]
    axes = [_channel(rnd, n, -0x8000, 0x7FFF) for _ in range(6)]
    rows: list[Sample] = []
    for i in range(n):
        if dt_mode == 0:
            dt = period
        elif dt_mode == 1:
            dt = min(0xFFFF, max(0, period + rnd.randrange(-3, 4)))
        elif dt_mode == 2:
            dt = rnd.choice((0, 0xFFFF, rnd.randrange(0x10000)))
        else:
            dt = period * (rnd.randrange(2, 7) if rnd.random() < 0.05 else 1)
            dt = min(0xFFFF, max(0, dt + rnd.randrange(-300, 301)))
        has = imu_mode == 1 or (imu_mode == 2 and rnd.random() < 0.6)
        rows.append((dt, [col[i] for col in cols], [ax[i] for ax in axes] if has else None))
    return nc, period, rnd.randrange(1 << 32), rows


def _insole_block(rnd: random.Random, nc: int, n: int, imu_mode: int) -> Block:
    """Cells that load and unload together (one smooth stance curve, each cell's gain
    within 30 % of the others', its offset and a little noise: their second differences
    alike, pred 4's case) and smooth IMU axes (sines: pred 5's)."""
    w = rnd.uniform(0.03, 0.2)
    phase = rnd.uniform(0, 2 * math.pi)
    curve = [max(0.0, math.sin(w * i + phase)) ** 2 for i in range(n)]
    base = rnd.randrange(3000, 40000)
    cols = []
    for _ in range(nc):
        gain = base * rnd.uniform(0.7, 1.3)
        off = rnd.randrange(2000)
        noise = rnd.choice((0, 1, 3))
        cols.append([min(0xFFFF, off + round(gain * c) + rnd.randrange(noise + 1)) for c in curve])
    axes = []
    for _ in range(6):
        a = rnd.randrange(100, 30000)
        w2 = rnd.uniform(0.02, 0.4)
        ph = rnd.uniform(0, 2 * math.pi)
        noise = rnd.choice((0, 1, 3))
        axes.append(
            [
                max(
                    -0x8000,
                    min(0x7FFF, round(a * math.sin(w2 * i + ph)) + rnd.randrange(noise + 1)),
                )
                for i in range(n)
            ]
        )
    rows: list[Sample] = []
    for i in range(n):
        has = imu_mode == 1 or (imu_mode == 2 and rnd.random() < 0.6)
        rows.append((10000, [col[i] for col in cols], [ax[i] for ax in axes] if has else None))
    return nc, 10000, rnd.randrange(1 << 32), rows


def _refused_escape_blocks() -> list[Block]:
    """Sub-block 2 of the last channel has one z of pred 4 (the first block) or pred 5
    (the second) past ESC_BITS, and the sub-block before took that pred at k 0: kept
    (the params' one bit, escapes for the large values) it would cost the fewest bits,
    but an escape cannot hold that z, so the encoder takes another (verbatim).
    Sub-blocks hold samples 1-8, 9-16, 17-24, 25-32.

    First: cell 1 is cell 0 less 10 (full-scale noise: preds 0-2 and 5 cost about 16
    bits a value, pred 4's residuals are 0) but for sample 20, 65535 where cell 0 has
    0: pred 4's residuals at samples 20-22 are 65545, -131090 (z 262179 >= 2**18),
    65545. Second: a parabola (pred 5's residuals 0 after the first values) with
    sample 20 at 0, 44000 under it: at samples 20-23, -44000, 132000, -132000, 44000."""
    rnd = random.Random(3)
    noise = [rnd.randrange(0xFFF6) for _ in range(33)]
    cell0 = [v + 10 for v in noise]
    cell1 = list(noise)
    cell0[20], cell1[20] = 0, 0xFFFF
    parabola = [60000 - 40 * i * i for i in range(33)]
    parabola[20] = 0
    return [
        (2, 10000, 0, [(10000, [a, b], None) for a, b in zip(cell0, cell1, strict=True)]),
        (1, 10000, 0, [(10000, [v], None) for v in parabola]),
    ]


def _grid_edge(nc: int, off: int) -> Block:
    """A block whose last sample's grid offset is off, reached in two steps (the others
    on the grid): off in int16 keeps the time channel as grid offsets, one past it
    makes it dt_us."""
    period = 30000
    rows: list[Sample] = [(period, [7] * nc, None)] * 20
    rows.append((period + off // 2, [8] * nc, None))
    rows.append((period + off - off // 2, [9] * nc, [1, -2, 3, -4, 5, -6]))
    return nc, period, 123, rows


def _keep_k_block() -> Block:
    vals = [0, 8192, 16383, 8192, 16383, 8192, 16383, 8192, 24576] + [32768, 0] * 4
    return 1, 10000, 0, [(10000, [v], None) for v in vals]


def test_the_tie_block_takes_the_params_before() -> None:
    """_keep_k_block does what its comment says (on CPython: the twin), so the viper
    test above compares a tie the params' bits break."""
    nc, period, _t0, rows = _keep_k_block()
    e = SB.SampleBlockEncoder(nc, period)
    e.start(0, 0)
    for dt, c, m in rows:
        e.add(dt, c, m)
    e.encode()
    assert list(e._par[:2]) == [0 | 14 << 3] * 2


def test_seeded_blocks_equal_the_twins_and_cpython_without_allocating() -> None:
    rnd = random.Random(21)
    blocks: list[Block] = []
    for nc in (0, 1, 2, 8, 15, 16):
        nmax = SB.block_samples(nc)
        for imu_mode in (0, 1, 2):
            for n in [n for n in (1, 2, 3, 9, 17, 63, 64, 65, 81) if n < nmax] + [nmax]:
                blocks.append(_block(rnd, nc, n, imu_mode, rnd.randrange(DT_MODES)))
            for dt_mode in range(DT_MODES):  # full blocks in each time mode
                blocks.append(_block(rnd, nc, nmax, imu_mode, dt_mode))
    # a sub-block where verbatim (16 bits) ties pred 0 (the least sum) at k 14 and 15:
    # the first cheapest, verbatim, is taken
    blocks.append((1, 10000, 0xFFFFFFFF, [(10000, [32199], None), (10000, [20285], None)]))
    # constant channels: preds tie on the sum of z (all at 0, or all but 0), the first is taken
    blocks.append((2, 10000, 5, [(10000, [7, 0], [0, -1, 5, 0, 0, 0])] * 20))
    # params' bits decide where the bits tie: sub-block 0 takes pred 0 at k 14;
    # sub-block 1's values cost 16 bits each at k 13 and at k 14 (as verbatim), and
    # k 14 (1 bit of params, as before) wins over k 13 (3) and verbatim (8)
    blocks.append(_keep_k_block())
    # cells that load together and smooth IMU axes: preds 4 and 5
    for nc in (2, 8, 16):
        blocks += [_insole_block(rnd, nc, SB.block_samples(nc), m) for m in (0, 1, 2)]
    # the last grid offset at int16's ends and one past them
    blocks += [_grid_edge(3, off) for off in (0x7FFF, 0x8000, -0x8000, -0x8001)]
    _check(blocks)
    payloads = _cpython(blocks)
    flags = [p[8] for p in payloads]
    assert [f & 9 for f in flags[-4:]] == [9, 1, 9, 1]
    # every pred is in the payloads compared above
    preds = SF.pred_counts(payloads)
    assert set(preds) == {0, 1, 2, 3, 4, 5}, preds
    assert min(preds[4], preds[5]) >= 50, preds
    # every time mode, and the block sizes the store writes, are in the blocks above
    assert {f & 9 for f in flags} == {0, 1, 9}
    assert {(nc, len(r)) for nc, _p, _t, r in blocks} >= {(8, 104), (16, 82), (0, 104)}


def _worst_block(nc: int, grid: bool) -> Block:
    """A full block of the worst data (tests/firmware/test_sampleblock_full.py's): every
    value a full-scale jump, IMU in every sample, the time channel as grid offsets
    (jumps of 30000) or as dt_us (0 and 65535). encode_block reads each channel's
    values from buf while it writes the channel's params, and writes the tails ahead
    of the unary codes: here the output comes nearest the values it has not read."""
    period = 30000 if grid else 10000
    rows: list[Sample] = []
    for k in range(SB.block_samples(nc)):
        cells = [0xFFFF if (i + k) % 2 else 0 for i in range(nc)]
        imu = [32767 if (i + k) % 2 else -32768 for i in range(6)]
        grid_dt = 0 if k % 2 else 60000
        rows.append((grid_dt if grid else (65535 if k % 3 else 0), cells, imu))
    return nc, period, 0, rows


def test_the_worst_full_blocks_equal_cpython() -> None:
    blocks = [_worst_block(nc, grid) for nc in (0, 8, 15, 16) for grid in (False, True)]
    _check(blocks)
    assert [p[8] & 9 for p in _cpython(blocks)] == [1, 9] * 4


def test_refused_escapes_of_preds_4_and_5_equal_cpython() -> None:
    """Where a z of pred 4 or 5 passes ESC_BITS the viper, as the twin, keeps neither
    that pred nor the sub-block before's params: the same payloads, verbatim there."""
    blocks = _refused_escape_blocks()
    _check(blocks)
    nbr, cubic = ([ch.params for ch in SF.params_read(p)] for p in _cpython(blocks))
    assert nbr[1] == [(4, 0), (4, 0), (3, 0), (4, 0)]
    assert cubic == [[(5, 4), (5, 0), (3, 0), (5, 0)]]


def test_the_deploy_build_equals_cpython() -> None:
    """stride deploy's .mpy files for x86 (sampleblock_vp compiled ahead by the viper
    emitter, as the pod's are for xtensawin): the same payloads, no allocation."""
    rnd = random.Random(8)
    blocks = [
        _block(rnd, nc, SB.block_samples(nc), imu_mode, dt_mode)
        for nc in (8, 16)
        for imu_mode in (1, 2)
        for dt_mode in range(DT_MODES)
    ]
    blocks += [_insole_block(rnd, nc, SB.block_samples(nc), 2) for nc in (8, 16)]
    _check([*blocks, _keep_k_block(), *_refused_escape_blocks()], unix32.DEPLOY)


@st.composite
def _blocks(draw: st.DrawFn) -> list[Block]:
    out: list[Block] = []
    for _ in range(draw(st.integers(1, 4))):
        nc = draw(st.integers(0, 16))
        n = draw(st.integers(1, SB.block_samples(nc)))
        rnd = random.Random(draw(st.integers(0, 2**32)))
        imu_mode = draw(st.integers(0, 2))
        if draw(st.booleans()):
            _, period, t0, rows = _block(rnd, nc, n, imu_mode, draw(st.integers(0, DT_MODES - 1)))
        else:
            _, period, t0, rows = _insole_block(rnd, nc, n, imu_mode)
        out.append((nc, draw(st.integers(1, 0xFFFF)) if draw(st.booleans()) else period, t0, rows))
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_blocks())
def test_drawn_blocks_equal_the_twins_and_cpython(blocks: list[Block]) -> None:
    _check(blocks)


def test_arrays_of_other_types_take_the_twin() -> None:
    """ptr16 reads only suit array('H') cells and array('h') IMU: anything else (signed
    cells, 32-bit arrays, short arrays) must be stored by the twin, the same as lists."""
    script = r"""
import array
from stridefw import sampleblock as S
out = []
for cells, imu in (
    (array.array("h", [5, 7]), None),
    (array.array("i", [70000, 7]), None),
    (array.array("H", [5, 7]), array.array("H", [40000, 1, 2, 3, 4, 5])),
    (array.array("H", [5, 7]), array.array("h", [1, 2])),
):
    e = S.SampleBlockEncoder(2, 10000)
    e.start(0, 0)
    try:
        e.add(0, cells, imu)
        out.append(bytes(e.buf[: e.encode()]).hex())
    except (IndexError, ValueError) as x:
        out.append(type(x).__name__)
    print(e._vp_cells is None, e._vp_imu is None)
print(" ".join(out))
"""
    stdout, _ = unix32.run(script, {}, "viper")
    lines = stdout.split("\n")
    assert lines[:4] == ["True True"] * 4, stdout
    e = SB.SampleBlockEncoder(2, 10000)
    e.start(0, 0)
    e.add(0, [5, 7], None)
    expected = [bytes(e.buf[: e.encode()]).hex(), "ValueError", "ValueError", "IndexError"]
    assert lines[4].split() == expected


def test_viper_constants_are_the_formats() -> None:
    """sampleblock_vp copies sampleblock_fmt's constants (viper folds only its own)."""
    src = (Path(SB.__file__).parent / "sampleblock_vp.py").read_text()
    got = {k: int(v) for k, v in re.findall(r"^(_[A-Z_]+) = const\((\d+)\)", src, re.M)}
    assert got == {
        "_IMU_N": SB.IMU_N,
        "_HEAD": SB.HEAD_BYTES,
        "_QMAX": SB.QMAX,
        "_ESC_BITS": SB.ESC_BITS,
        "_K_MAX": SB.K_MAX,
    }
    # sampleblock_vp folds SUB = 8 in: (c + 7) >> 3, a pred's 32 B of zs (bp << 5)
    assert SB.SUB == 8
