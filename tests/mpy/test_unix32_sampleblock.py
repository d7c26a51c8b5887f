"""The raw-sample encoder's viper loop (stridefw.sampleblock_vp) against its plain-Python
twin (sampleblock.add_sample_py) and CPython, in ../shared/tools/micropython-unix32
(32-bit x86; the WebAssembly build has no viper): the same SampleBlock payloads byte for
byte, for the pod's arrays and for lists, on seeded and hypothesis-drawn blocks (negative
IMU values, full-scale jumps, the first/second-sample predictors, IMU in some samples or
none), and no allocation per sample with the viper loop under heap_lock."""

from __future__ import annotations

import array
import random
import struct
from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stridefw import sampleblock as SB
from stridekit.bench import unix32

pytestmark = pytest.mark.usefixtures("unix32_available")

# A block: (n_cells, period_us, t0, wraps, samples); a sample: (dt_us, cells, imu or None).
Sample = tuple[int, Sequence[int], Sequence[int] | None]
Block = tuple[int, int, int, int, Sequence[Sample]]

# Blob per block: n_cells u8, wide u8, period u16, t0 u32, wraps u8, n u8, then per
# sample dt u32, imu flag u8, n_cells + 6 x i32 (IMU zeros when absent). wide = values
# beyond 16 bits, encodable from lists only (the twin; varints up to 5 bytes).
_SCRIPT = r"""
import array
import gc
import micropython
from stridefw import sampleblock as S

data = open("/samples.bin", "rb").read()


def i32(o):
    v = data[o] | (data[o + 1] << 8) | (data[o + 2] << 16) | (data[o + 3] << 24)
    return v - (1 << 32) if v & 0x80000000 else v


def blocks():
    o = 0
    while o < len(data):
        nc = data[o]
        wide = data[o + 1]
        period = data[o + 2] | (data[o + 3] << 8)
        t0 = i32(o + 4) & 0xFFFFFFFF
        wraps = data[o + 8]
        n = data[o + 9]
        o += 10
        rows = []
        for _ in range(n):
            dt = i32(o)
            has = data[o + 4]
            o += 5
            vals = [i32(o + 4 * k) for k in range(nc + 6)]
            o += 4 * (nc + 6)
            rows.append((dt, vals[:nc], vals[nc:] if has else None))
        yield nc, wide, period, t0, wraps, rows


def encode(as_arrays, locked):
    res = bytearray()
    allocs = 0
    for nc, wide, period, t0, wraps, rows in blocks():
        if as_arrays and wide:
            continue
        e = S.SampleBlockEncoder(nc, period)
        e.start(t0, wraps)
        cells = array.array("H", bytes(2 * nc))
        imu = array.array("h", bytes(12))
        for dt, c, m in rows:
            if not e.room():  # as the store does: emit the block, start the next
                res.extend(e.len.to_bytes(2, "little"))
                res.extend(e.buf[: e.len])
                e.start(t0, wraps)
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
            if locked and e._vp_cells is not None and (ms is None or e._vp_imu is not None):
                gc.collect()
                a = gc.mem_alloc()
                micropython.heap_lock()
                e.add(dt, cs, ms)
                micropython.heap_unlock()
                allocs += gc.mem_alloc() - a
            else:
                e.add(dt, cs, ms)
        res.extend(e.len.to_bytes(2, "little"))
        res.extend(e.buf[: e.len])
    return res, allocs


print("loop", S.SAMPLE_LOOP)
vp, vp_allocs = encode(True, True)
print("viper_allocs", vp_allocs)
lists, _ = encode(False, False)
S._add_vp = S.add_sample_py
py, _ = encode(True, False)
open("/steps.bin", "wb").write(vp)
open("/header.bin", "wb").write(py)
open("/flags.bin", "wb").write(lists)
"""


def _blob(blocks: list[Block]) -> bytes:
    out = bytearray()
    for nc, period, t0, wraps, rows in blocks:
        out += struct.pack("<BBHIBB", nc, _is_wide(rows), period, t0, wraps, len(rows))
        for dt, c, m in rows:
            out += struct.pack("<iB", dt, m is not None)
            out += struct.pack(f"<{nc + 6}i", *c, *(m if m is not None else [0] * 6))
    return bytes(out)


def _is_wide(rows: Sequence[Sample]) -> bool:
    return any(not 0 <= v <= 0xFFFF for _, c, _m in rows for v in c) or any(
        not -0x8000 <= v <= 0x7FFF for _, _c, m in rows if m is not None for v in m
    )


def _cpython(blocks: list[Block], as_arrays: bool) -> bytes:
    res = bytearray()
    for nc, period, t0, wraps, rows in blocks:
        if as_arrays and _is_wide(rows):
            continue
        e = SB.SampleBlockEncoder(nc, period)
        e.start(t0, wraps)
        for dt, c, m in rows:
            if not e.room():
                res += e.len.to_bytes(2, "little") + e.buf[: e.len]
                e.start(t0, wraps)
            if as_arrays:
                e.add(dt, array.array("H", c), None if m is None else array.array("h", m))
            else:
                e.add(dt, c, m)
        res += e.len.to_bytes(2, "little") + e.buf[: e.len]
    # the codec round-trips: every block decodes to the samples that went in
    got: list[tuple[list[int], list[int] | None]] = []
    o = 0
    while o < len(res):
        n = int.from_bytes(res[o : o + 2], "little")
        _, cells, imu = SB.decode_sample_block(bytes(res[o + 2 : o + 2 + n]))
        got += [(list(c), None if m is None else list(m)) for c, m in zip(cells, imu, strict=True)]
        o += 2 + n
    want = [(c, m) for _, _, _, _, rows in blocks for _, c, m in rows]
    if as_arrays:
        want = [(c, m) for _, _, _, _, rows in blocks if not _is_wide(rows) for _, c, m in rows]
    assert got == want
    return bytes(res)


def _check(blocks: list[Block]) -> None:
    stdout, outs = unix32.run(
        _SCRIPT,
        {"/samples.bin": _blob(blocks)},
        "viper",
        outputs=("/steps.bin", "/header.bin", "/flags.bin"),
    )
    assert "loop viper" in stdout
    vp, py = outs["/steps.bin"], outs["/header.bin"]
    arrays = _cpython(blocks, True)
    assert vp == arrays, "viper loop differs from CPython"
    assert py == arrays, "plain twin in unix32 differs from CPython"
    assert outs["/flags.bin"] == _cpython(blocks, False), "lists in unix32 differ from CPython"
    assert "viper_allocs 0" in stdout, stdout


def _row(rnd: random.Random, nc: int, imu: bool, dt: int) -> Sample:
    def cell() -> int:
        return rnd.choice((0, 0xFFFF, rnd.randrange(4096), rnd.randrange(0x10000)))

    def axis() -> int:
        return rnd.choice((-0x8000, 0x7FFF, -1, rnd.randrange(-0x8000, 0x8000)))

    return dt, [cell() for _ in range(nc)], [axis() for _ in range(6)] if imu else None


def test_seeded_blocks_equal_the_twin_and_cpython_without_allocating() -> None:
    rnd = random.Random(21)
    blocks: list[Block] = []
    for nc in (1, 2, 8, 16, 24):
        for imu_share in (0.0, 0.3, 1.0):
            for n in (1, 2, 3, 17, SB.BLOCK_MAX_SAMPLES):
                period = rnd.choice((5000, 10000, 65535))
                rows = [
                    _row(rnd, nc, rnd.random() < imu_share, rnd.choice((0, period, 65535)))
                    for _ in range(n)
                ]
                t0 = rnd.randrange(1 << 30)
                blocks.append((nc, period, t0, rnd.randrange(4), rows))
    # beyond 16 bits (lists only, the twin; the predictors are int32): residuals to
    # 2**33, varints of 5 bytes
    top = (1 << 31) - 1
    wide = [(0, [rnd.randrange(-top, top) for _ in range(3)], None) for _ in range(9)]
    wide += [(70000, [top, -top, 5], [1 << 30, -(1 << 30), 0, 1, -1, 7])]
    wide += [(0, [-top, top, 5], [-(1 << 30), 1 << 30, 0, 1, -1, 7])]
    blocks.append((3, 10000, 0, 0, wide))
    _check(blocks)


_cells_16 = st.integers(0, 0xFFFF)
_imu_16 = st.integers(-0x8000, 0x7FFF)


@st.composite
def _blocks(draw: st.DrawFn) -> list[Block]:
    out: list[Block] = []
    for _ in range(draw(st.integers(1, 4))):
        nc = draw(st.integers(1, 16))
        rows = draw(
            st.lists(
                st.tuples(
                    st.integers(0, SB.DT_MAX_US),
                    st.lists(_cells_16, min_size=nc, max_size=nc),
                    st.none() | st.lists(_imu_16, min_size=6, max_size=6),
                ),
                min_size=1,
                max_size=SB.BLOCK_MAX_SAMPLES,
            )
        )
        period = draw(st.integers(1, 0xFFFF))
        out.append((nc, period, draw(st.integers(0, (1 << 30) - 1)), draw(st.integers(0, 3)), rows))
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_blocks())
def test_drawn_blocks_equal_the_twin_and_cpython(blocks: list[Block]) -> None:
    _check(blocks)


def test_arrays_of_other_types_take_the_twin() -> None:
    """ptr16 reads only suit array('H') cells and array('h') IMU: anything else (signed
    cells, 32-bit arrays, short arrays) must be encoded by the twin, the same as lists."""
    script = r"""
import array
from stridefw import sampleblock as S
out = []
for cells, imu in (
    (array.array("h", [-5, 7]), None),
    (array.array("i", [70000, 7]), None),
    (array.array("H", [5, 7]), array.array("H", [40000, 1, 2, 3, 4, 5])),
    (array.array("H", [5, 7]), array.array("h", [1, 2])),
):
    e = S.SampleBlockEncoder(2, 10000)
    e.start(0, 0)
    try:
        e.add(0, cells, imu)
        out.append(bytes(e.buf[: e.len]).hex())
    except IndexError:
        out.append("IndexError")
    print(e._vp_cells is None, e._vp_imu is None)
print(" ".join(out))
"""
    stdout, _ = unix32.run(script, {}, "viper")
    lines = stdout.split("\n")
    assert lines[:4] == ["True True"] * 4, stdout
    expected = []
    for cells, imu in (([-5, 7], None), ([70000, 7], None), ([5, 7], [40000, 1, 2, 3, 4, 5])):
        e = SB.SampleBlockEncoder(2, 10000)
        e.start(0, 0)
        e.add(0, cells, imu)
        expected.append(bytes(e.buf[: e.len]).hex())
    assert lines[4].split() == [*expected, "IndexError"]
