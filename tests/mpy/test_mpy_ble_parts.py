"""stridefw.cts and stridefw.blesec inside MicroPython (WebAssembly build): the same bytes as CPython.

The BLE server itself runs in 32-bit MicroPython in the budget and allocation tests
(stridekit.budget.phases); these two parts have paths those runs do not reach: a
Current Time write, and a bond saved and loaded again.
"""

from __future__ import annotations

import random
import struct

import pytest

from stridefw.blesec import BondStore
from stridefw.cts import current_time_to_epoch, epoch_to_current_time
from stridekit import mpy

pytestmark = [pytest.mark.mpy, pytest.mark.usefixtures("micropython_available")]

_SCRIPT = r"""
import os, struct
from stridefw.cts import current_time_to_epoch, epoch_to_current_time
from stridefw.blesec import BondStore

data = open("/in.bin", "rb").read()
n_epochs = struct.unpack_from("<I", data, 0)[0]
out = bytearray()
o = 4
for i in range(n_epochs):
    e, f = struct.unpack_from("<IB", data, o)
    o += 5
    out += epoch_to_current_time(e, f)
while o < len(data):
    v = data[o : o + 10]
    o += 10
    try:
        e, f = current_time_to_epoch(v)
        out += struct.pack("<BII", 1, e, f)
    except ValueError:
        out += b"\x00"

class Fs:
    def open(self, p, m):
        return open(p, m)
    def rename(self, a, b):
        os.rename(a, b)

s = BondStore(Fs())
s.put(2, b"peer-a", b"k" * 80)
s.put(1, b"peer-b", bytes(range(200)))
s.put(2, b"gone", b"x")
s.put(2, b"gone", None)
s.save()
t = BondStore(Fs())
for k in sorted(t.secrets):
    out += bytes((k[0], len(k[1]))) + k[1] + t.secrets[k]
open("/out.bin", "wb").write(out)
"""


def _expected(epochs: list[tuple[int, int]], values: list[bytes]) -> bytes:
    out = bytearray()
    for e, f in epochs:
        out += epoch_to_current_time(e, f)
    for v in values:
        try:
            e, f = current_time_to_epoch(v)
            out += struct.pack("<BII", 1, e, f)
        except ValueError:
            out += b"\x00"

    class Fs:
        def __init__(self) -> None:
            self.files: dict[str, bytes] = {}

        def open(self, p: str, m: str) -> object:
            import io

            fs = self

            class W(io.BytesIO):
                def close(self) -> None:
                    if "w" in m:
                        fs.files[p] = self.getvalue()
                    super().close()

            if "r" in m:
                if p not in self.files:
                    raise OSError(2, p)
                return W(self.files[p])
            return W()

        def rename(self, a: str, b: str) -> None:
            self.files[b] = self.files.pop(a)

    fs = Fs()
    s = BondStore(fs)
    s.put(2, b"peer-a", b"k" * 80)
    s.put(1, b"peer-b", bytes(range(200)))
    s.put(2, b"gone", b"x")
    s.put(2, b"gone", None)
    s.save()
    t = BondStore(fs)
    for k in sorted(t.secrets):
        out += bytes((k[0], len(k[1]))) + k[1] + t.secrets[k]
    return bytes(out)


def test_cts_and_bond_store_match_cpython_in_micropython() -> None:
    rnd = random.Random(20)
    epochs = [(0, 0), (951_782_400, 255), (4_102_444_799, 128)]  # 1970, 29 Feb 2000, 2099
    epochs += [(rnd.randrange(0, 2**32), rnd.randrange(256)) for _ in range(300)]
    values = [epoch_to_current_time(e, f) for e, f in epochs[:100]]
    values += [bytes(rnd.randrange(256) for _ in range(10)) for _ in range(300)]
    values += [bytes((0xD0, 0x07, 2, 29, 0, 0, 0, 1, 0, 0)), bytes((0x6C, 0x07, 2, 29, 0, 0, 0))]
    blob = struct.pack("<I", len(epochs)) + b"".join(struct.pack("<IB", e, f) for e, f in epochs)
    blob += b"".join(v.ljust(10, b"\x00") for v in values)
    res = mpy.run(_SCRIPT, {"/in.bin": blob}, ["/out.bin"])
    padded = [v.ljust(10, b"\x00") for v in values]
    assert res.outputs["/out.bin"] == _expected(epochs, padded)
