"""The frame encoder's viper loops (stridefw.records_vp: CRC-32 and COBS) against their
plain-Python twins and CPython's frames, in ../shared/tools/micropython-unix32 (32-bit
x86; the WebAssembly build has no viper): the same bytes for payloads of every size
around COBS's 254-byte blocks, and no allocation per frame with the viper loops; and the
pod's StepBlock packer (stridefw.stepblock_vp) against its plain twin
(stepblock.encode_steps_py) and CPython: the same payloads on seeded, limit and
hypothesis-drawn blocks (u32 fields at 0, 2**31 - 1, 2**31 and 2**32 - 1, negative
signed fields, index and contact_us wrapping past 2**32), no byte allocated per block
(not even a heap frame: micropython.mem_total), and broken copies of the viper packer
caught."""

from __future__ import annotations

import random
import struct
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stridefw import records as R
from stridefw import stepblock as SB
from stridefw.stepread import decode_step_block
from stridekit.bench import unix32

pytestmark = pytest.mark.usefixtures("unix32_available")

_SCRIPT = r"""
import gc
from stridefw import records
data = open("/samples.bin", "rb").read()
out = bytearray(2000)

def frames():
    enc = records.Encoder()
    res = bytearray()
    o = 0
    allocs = 0
    while o < len(data):
        n = data[o] | (data[o + 1] << 8)
        t = data[o + 2]
        seq = data[o + 3] | (data[o + 4] << 8) | (data[o + 5] << 16) | (data[o + 6] << 24)
        p = bytearray(data[o + 7 : o + 7 + n])
        o += 7 + n
        gc.collect()
        m = gc.mem_alloc()
        e = enc.encode_into(out, 0, t, seq, p, n)
        allocs += gc.mem_alloc() - m
        res.extend(out[:e])
    return res, allocs

print("loops", records.FRAME_LOOPS)
vp, vp_allocs = frames()
records._crc32_add = records._crc32_add_py
records._cobs_add = records._cobs_add_py
py, _ = frames()
print("viper_allocs", vp_allocs)
open("/steps.bin", "wb").write(vp)
open("/flags.bin", "wb").write(py)
"""


def test_viper_frames_equal_the_twins_and_cpython_and_allocate_nothing() -> None:
    rnd = random.Random(21)
    cases: list[tuple[int, int, bytes]] = []
    for n in (0, 1, 2, 50, 253, 254, 255, 256, 508, 509, 1200, 1500):
        for _ in range(6):
            body = bytes(rnd.choice((0, 0, 1, 0xFF, rnd.randrange(256))) for _ in range(n))
            # seq below 2**29: a small int on the 32-bit port, as the store's are
            cases.append((rnd.randrange(1, 40), rnd.randrange(1 << 29), body))
    blob = b"".join(
        len(p).to_bytes(2, "little") + bytes([t]) + s.to_bytes(4, "little") + p for t, s, p in cases
    )
    stdout, outs = unix32.run(
        _SCRIPT, {"/samples.bin": blob}, "viper", outputs=("/steps.bin", "/flags.bin")
    )
    expected = b"".join(R.Encoder().encode(t, s, p) for t, s, p in cases)
    assert "loops viper" in stdout
    assert outs["/steps.bin"] == expected
    assert outs["/flags.bin"] == expected
    assert "viper_allocs 0" in stdout, stdout


_STEP_SCRIPT = r"""
import gc
import micropython
from stridefw import stepblock as S
data = open("/samples.bin", "rb").read()
broken = open("/header.bin", "rb").read()
if broken:  # a deliberately broken copy of stepblock_vp in place of the real one
    ns = {}
    exec(broken, ns)
    S._encode = ns["encode_steps"]
out = bytearray(S.BLOCK_BYTES_MAX)


def blocks(enc):
    o = 0
    while o < len(data):
        n = data[o]
        o += 1
        for _ in range(n):
            enc.add(data[o : o + 50])
            o += 50
        yield


def encode(counted):
    enc = S.StepBlockEncoder()
    res = bytearray()
    kept = 0
    total = 0
    for i, _ in enumerate(blocks(enc)):
        if counted and i % 2:
            # every byte allocated, freed again or not (a bytecode frame over 11
            # words is heap-allocated on each call)
            t = micropython.mem_total()
            ln = enc.encode(out)
            total += micropython.mem_total() - t
        elif counted:  # and under heap_lock, where an allocation raises MemoryError
            a = gc.mem_alloc()
            micropython.heap_lock()
            ln = enc.encode(out)
            micropython.heap_unlock()
            kept += gc.mem_alloc() - a
        else:
            ln = enc.encode(out)
        if enc.buf is not out:
            raise ValueError("encode() must leave out in enc.buf: the store frames it")
        res.append(ln & 0xFF)
        res.append(ln >> 8)
        res.extend(out[:ln])
    return res, kept, total


print("pack", S.STEP_PACK)
vp, kept, total = encode(True)
print("step_allocs", kept, total)
S._encode = S.encode_steps_py
py, _, _ = encode(False)
open("/steps.bin", "wb").write(vp)
open("/flags.bin", "wb").write(py)
"""
_U32_LIMITS = (0, 1, (1 << 31) - 1, 1 << 31, (1 << 32) - 1)
_U16_LIMITS = (0, 1, 0x7FFF, 0x8000, 0xFFFF)
_I16_LIMITS = (-0x8000, -1, 0, 1, 0x7FFF)
_LIMITS = {"I": _U32_LIMITS, "H": _U16_LIMITS, "h": _I16_LIMITS}
_RANGE = {"I": (0, (1 << 32) - 1), "H": (0, 0xFFFF), "h": (-0x8000, 0x7FFF)}


def _step_blocks(blocks: list[list[bytes]], broken: str = "") -> tuple[bytes, bytes, bytes]:
    """(viper in unix32, plain twin in unix32, CPython) StepBlock payloads, each block's
    as length u16 + payload; asserts the viper run allocated nothing."""
    blob = b"".join(bytes([len(b)]) + b"".join(b) for b in blocks)
    expected = bytearray()
    for steps in blocks:
        enc = SB.StepBlockEncoder()
        for p in steps:
            enc.add(p)
        out = bytearray(SB.BLOCK_BYTES_MAX)
        n = enc.encode(out)
        assert decode_step_block(bytes(out[:n])) == steps
        expected += n.to_bytes(2, "little") + out[:n]
    stdout, outs = unix32.run(
        _STEP_SCRIPT,
        {"/samples.bin": blob, "/header.bin": broken.encode()},
        "viper",
        heap="512K",
        outputs=("/steps.bin", "/flags.bin"),
    )
    assert "pack viper" in stdout
    if not broken:
        # nothing kept, nothing allocated and freed: the pod's StepBlock close takes
        # no heap frames, though contact_us and u32 fields pass 2**30
        assert "step_allocs 0 0" in stdout, stdout
    return outs["/steps.bin"], outs["/flags.bin"], bytes(expected)


def _running_steps(rnd: random.Random, n_blocks: int) -> list[list[bytes]]:
    blocks: list[list[bytes]] = []
    contact = (1 << 32) - 3_000_000  # crosses 2**32 (and lies above 2**30) on the way
    index = (1 << 32) - 20  # so does the step index
    for _ in range(n_blocks):
        steps = []
        for _ in range(rnd.randrange(1, SB.STEP_BLOCK_MAX + 1)):
            stance = rnd.randrange(150_000, 400_000)
            swing = rnd.randrange(300_000, 600_000)
            if rnd.random() < 0.1:  # a pause: contact is not where predicted
                contact += rnd.randrange(-(1 << 31), 1 << 31)
            contact = (contact + stance + swing) & 0xFFFFFFFF
            index = (index + (1 if rnd.random() < 0.9 else rnd.randrange(-5, 5))) & 0xFFFFFFFF
            st_ = R.Step(index, contact, stance, swing, rnd.randrange(9000, 20000), 110,
                         rnd.randrange(30000, 90000), rnd.randrange(1_000_000, 3_000_000),
                         rnd.randrange(-300, 900), rnd.randrange(-200, 200), 90, 1500, 150, 630,
                         220, 340, rnd.randrange(3000, 16000), 0, 7000)  # fmt: skip
            steps.append(st_.to_bytes())
        blocks.append(steps)
    return blocks


def _limit_steps(rnd: random.Random, n_blocks: int) -> list[list[bytes]]:
    codes = R.Step._fmt[1:]
    blocks: list[list[bytes]] = []
    for b in range(n_blocks):
        steps = []
        same = b % 4 == 0  # every step equal: every width 0
        row: list[int] = []
        for _ in range(rnd.randrange(1, SB.STEP_BLOCK_MAX + 1)):
            if not (same and row):
                row = [
                    rnd.choice(_LIMITS[c]) if rnd.random() < 0.7 else rnd.randint(*_RANGE[c])
                    for c in codes
                ]
            steps.append(struct.pack(R.Step._fmt, *row))
        blocks.append(steps)
    return blocks


def test_step_blocks_viper_equals_the_twin_and_cpython_without_allocating() -> None:
    rnd = random.Random(33)
    blocks = _running_steps(rnd, 16) + _limit_steps(rnd, 60)
    vp, py, expected = _step_blocks(blocks)
    assert py == expected, "plain twin in unix32 differs from CPython"
    assert vp == expected, "viper packer differs from CPython"


@st.composite
def _drawn_blocks(draw: st.DrawFn) -> list[list[bytes]]:
    codes = R.Step._fmt[1:]
    blocks = []
    for _ in range(draw(st.integers(1, 6))):
        n = draw(st.integers(1, SB.STEP_BLOCK_MAX))
        steps = []
        for _ in range(n):
            row = [draw(st.sampled_from(_LIMITS[c]) | st.integers(*_RANGE[c])) for c in codes]
            steps.append(struct.pack(R.Step._fmt, *row))
        blocks.append(steps)
    return blocks


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_drawn_blocks())
def test_drawn_step_blocks_viper_equals_the_twin_and_cpython(blocks: list[list[bytes]]) -> None:
    vp, py, expected = _step_blocks(blocks)
    assert py == expected
    assert vp == expected


# Each breaks one thing the format needs: the signed fields' order, the zigzag of a
# negative index residual, the minimum, the maximum (so the width), a value's upper
# bits, the last byte's flush.
_MUTANTS = (
    ("flip = uint(0x8000) if", "flip = uint(0) if"),
    ("v = uint((d << 1) ^ (d >> 31))", "v = uint(d << 1)"),
    ("if k == 0 or v < base:", "if k == 0 or v > base:"),
    ("if k == 0 or v > top:", "if k == 0:"),
    ("v = v >> 16", "v = v >> 15"),
    ("    if nb:\n", "    if nb > 8:\n"),
)


@pytest.mark.parametrize(("old", "new"), _MUTANTS)
def test_a_broken_viper_packer_is_caught(old: str, new: str) -> None:
    import stridefw

    src = (Path(stridefw.__file__).parent / "stepblock_vp.py").read_text()
    assert src.count(old) >= 1
    rnd = random.Random(34)
    blocks = _running_steps(rnd, 8) + _limit_steps(rnd, 30)
    vp, py, expected = _step_blocks(blocks, broken=src.replace(old, new, 1))
    assert py == expected
    assert vp != expected, f"{old!r} -> {new!r} went unnoticed"
