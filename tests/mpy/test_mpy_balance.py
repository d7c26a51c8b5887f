"""stridefw.balance inside MicroPython: same indices as CPython, no allocation per step."""

from __future__ import annotations

import struct

import pytest

from stridefw import balance
from stridekit import mpy
from tests.conftest import run_foot, sim

pytestmark = [pytest.mark.mpy, pytest.mark.usefixtures("micropython_available")]

_SCRIPT = r"""
import gc, struct
from stridefw import balance
data = open("/steps.bin", "rb").read()
b = balance.Balance()
out = bytearray()
step = bytearray(50)
n = len(data) // 51
for i in range(n):
    o = i * 51
    for j in range(50):
        step[j] = data[o + 1 + j]
    if i == n // 2:
        gc.collect()
        gc.disable()
        m0 = gc.mem_alloc()
    b.add_step(data[o], step)
    if i == n // 2:
        print("alloc", gc.mem_alloc() - m0)
        gc.enable()
    si = b.si_pm
    out.extend(struct.pack("<iiiiiiBbb", si[0], si[1], si[2], si[3], si[4], b.strike_diff_pm, b.uneven, b.side, b.lld_long))
open("/si.bin", "wb").write(out)
"""


def test_balance_identical_in_micropython() -> None:
    run = sim(seed=41, duration_s=40.0)
    outs = [run_foot(run, f)[1] for f in run.feet]
    # interleave the feet's steps by the sample at which each was emitted
    events = sorted(
        (at, foot, p)
        for foot, out in enumerate(outs)
        for at, p in zip(out.step_at, out.step_payloads, strict=True)
    )
    # make the right foot 20 % lighter so the rule fires (beyond 3 healthy SDs)
    blob = bytearray()
    for _, foot, p in events:
        q = bytearray(p)
        if foot == 1:
            peak = struct.unpack_from("<H", q, 16)[0]
            struct.pack_into("<H", q, 16, peak * 80 // 100)
        blob += bytes([foot]) + q
    b = balance.Balance()
    expect = bytearray()
    for i in range(0, len(blob), 51):
        b.add_step(blob[i], blob[i + 1 : i + 51])
        expect += struct.pack(
            "<iiiiiiBbb", *b.si_pm, b.strike_diff_pm, b.uneven, b.side, b.lld_long
        )
    assert b.uneven and b.side == 1
    res = mpy.run(_SCRIPT, {"/steps.bin": bytes(blob)}, ["/si.bin"])
    assert res.outputs["/si.bin"] == bytes(expect)
    assert "alloc 0" in res.stdout
