"""The frame encoder's viper loops (stridefw.records_vp: CRC-32 and COBS) against their
plain-Python twins and CPython's frames, in ../shared/tools/micropython-unix32 (32-bit
x86; the WebAssembly build has no viper): the same bytes for payloads of every size
around COBS's 254-byte blocks, and no allocation per frame with the viper loops."""

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
