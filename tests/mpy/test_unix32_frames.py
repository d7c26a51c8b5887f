"""The frame encoder's viper loops (stridefw.records_vp: CRC-32 and COBS) against their
plain-Python twins and CPython's frames, in ../shared/tools/micropython-unix32 (32-bit
x86; the WebAssembly build has no viper): the same bytes for payloads of every size
around COBS's 254-byte blocks, and no allocation per frame with the viper loops; and the
pod's StepBlock encoder (stridefw.stepblock), the same bytes as on CPython and no
allocation per block."""

from __future__ import annotations

import random

import pytest

from stridefw import records as R
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
from stridefw import stepblock
data = open("/samples.bin", "rb").read()
enc = stepblock.StepBlockEncoder()
out = bytearray(stepblock.BLOCK_BYTES_MAX)
res = bytearray()
allocs = 0
o = 0
while o < len(data):
    n = data[o]
    o += 1
    for k in range(n):
        enc.add(data[o : o + 50])
        o += 50
    gc.collect()
    m = gc.mem_alloc()
    ln = enc.encode(out)
    if res:  # the first call allocates once (lookup caches), not per block
        allocs += gc.mem_alloc() - m
    res.append(ln & 0xFF)
    res.append(ln >> 8)
    res.extend(out[:ln])
print("step_allocs", allocs)
open("/steps.bin", "wb").write(res)
"""


def test_step_blocks_encode_the_same_in_micropython_without_allocating() -> None:
    from stridefw import stepblock as SB

    rnd = random.Random(33)
    blocks: list[list[bytes]] = []
    contact = (1 << 32) - 3_000_000  # crosses 2**32 (and lies above 2**30) on the way
    index = 70_000
    for _ in range(12):
        steps = []
        for _ in range(rnd.randrange(1, SB.STEP_BLOCK_MAX + 1)):
            stance = rnd.randrange(150_000, 400_000)
            swing = rnd.randrange(300_000, 600_000)
            contact = (contact + stance + swing) & 0xFFFFFFFF
            index += 1
            st = R.Step(index, contact, stance, swing, rnd.randrange(9000, 20000), 110,
                        rnd.randrange(30000, 90000), rnd.randrange(1_000_000, 3_000_000),
                        rnd.randrange(-300, 900), rnd.randrange(-200, 200), 90, 1500, 150, 630,
                        220, 340, rnd.randrange(3000, 16000), 0, 7000)  # fmt: skip
            steps.append(st.to_bytes())
        blocks.append(steps)
    blob = b"".join(bytes([len(b)]) + b"".join(b) for b in blocks)
    stdout, outs = unix32.run(
        _STEP_SCRIPT, {"/samples.bin": blob}, "viper", outputs=("/steps.bin",)
    )
    expected = bytearray()
    for steps in blocks:
        enc = SB.StepBlockEncoder()
        for p in steps:
            enc.add(p)
        out = bytearray(SB.BLOCK_BYTES_MAX)
        n = enc.encode(out)
        expected += n.to_bytes(2, "little") + out[:n]
    assert outs["/steps.bin"] == bytes(expected)
    # allocation-free per block, though contact_us is beyond small ints (>= 2**30)
    assert "step_allocs 0" in stdout, stdout
