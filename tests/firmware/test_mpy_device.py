"""Device code inside the real MicroPython interpreter (WebAssembly build under node).

The wasm port has no LittleFS and no `machine`: the store runs on its in-memory
file system (MEMFS) through the same OsFs the device uses, and the app gets a
few lines of fake hardware written in the script itself.
"""

from __future__ import annotations

import pytest

from stridefw import records as R
from stridefw import sampleblock as SB
from stridekit import mpy
from tests.firmware.podkit import all_frames

pytestmark = [pytest.mark.mpy, pytest.mark.usefixtures("micropython_available")]

_SCRIPT = r"""
import array, gc, time
from stridefw import store as S, records as R, board as B
from stridefw import sampleblock as SB
from stridefw.app import App

# ---- 1. sample-block compression allocates nothing per sample
enc = SB.SampleBlockEncoder(8, 10000)
cells = array.array('H', [100] * 8)
imu = array.array('h', [0, 0, 1000, 0, 0, 0])
enc.start(123456, 1)

def encode(n):
    # locals only: a new module global would itself allocate
    gc.collect(); gc.disable(); m0 = gc.mem_alloc()
    for i in range(n):
        cells[i % 8] = (i * 37) % 4096
        imu[i % 6] = i * 301 - 9000
        enc.add(10000 + (i & 3), cells, imu if i % 5 else None)
    m1 = gc.mem_alloc(); gc.enable()
    return m1 - m0

def close():
    gc.collect(); gc.disable(); m0 = gc.mem_alloc()
    n = enc.encode()
    m1 = gc.mem_alloc(); gc.enable()
    return m1 - m0, n

print('block_alloc', encode(60), enc.n)
alloc, plen = close()
print('encode_alloc', alloc, plen)
open('/block.bin', 'wb').write(bytes(enc.buf[:plen]))

# ---- 2. the app: fake hardware, MEMFS, an in-memory console
class Pin:
    IN = 1; OUT = 3; PULL_UP = 2
    def __init__(self, n, mode=-1, pull=-1, value=None):
        self.n = n
    def __call__(self, v=None):
        return 0
class ADC:
    ATTN_11DB = 3; ATTN_0DB = 0
    def __init__(self, pin, atten=0):
        self.n = pin.n
        self.v = 0
    def read_u16(self):
        self.v = (self.v + 7) & 0x3F     # a little noise, no load
        return self.v << 4
    def read_uv(self):
        return 1950000
class I2C:
    def __init__(self, i, scl=None, sda=None, freq=0):
        pass
    def readfrom_mem_into(self, a, r, b):
        raise OSError(19)            # no IMU fitted
    def writeto_mem(self, a, r, b):
        raise OSError(19)
class Timer:
    PERIODIC = 1
    def __init__(self, i):
        pass
    def init(self, mode=1, freq=0, callback=None, hard=None):
        self.cb = callback
    def deinit(self):
        pass
class Machine:
    ADC = ADC; Pin = Pin; I2C = I2C; Timer = Timer
    def unique_id(self):
        return b'\x01\x02\x03\x04\x05\x06'
    def idle(self):
        pass
class Port:
    def __init__(self):
        self.rx = bytearray(); self.tx = bytearray()
    def readinto(self, buf):
        if not self.rx:
            return 0
        n = min(len(buf), len(self.rx))
        for i in range(n):
            buf[i] = self.rx[i]
        self.rx = self.rx[n:]
        return n
    def write(self, data):
        self.tx.extend(data)
        return len(data)

port = Port()
app = App(Machine(), time, S.OsFs('/'), B.ESP32S3, 8, 100, 0, port, None,
          store_kw={'raw_floor': 0, 'step_floor': 0})
app.start()

def tick(n):
    for _ in range(n):
        app._isr(None)
        while app.turn():
            pass

def talk(line):
    port.rx.extend(line.encode() + b'\n')
    for _ in range(400):
        tick(1)
        if b'\n' in port.tx and not app.console._busy():
            break
    out = bytes(port.tx); port.tx = bytearray()
    return out

print('help', talk('help').split(b'\n')[0].decode())
print('rec', talk('rec start').split(b'\n')[0].decode())
tick(300)
# steady state: one sample per turn, recording, nothing on the console
tick(200)

per_turn = array.array('i', bytes(4 * 300))

def turns(n):
    # bytes allocated by each scheduler turn (ISR tick + turn), one by one
    gc.collect(); gc.disable()
    for k in range(n):
        m0 = gc.mem_alloc()
        app._isr(None)
        while app.turn():
            pass
        per_turn[k] = gc.mem_alloc() - m0
    gc.enable()
    zero = 0
    worst = 0
    for k in range(n):
        if per_turn[k] == 0:
            zero += 1
        elif per_turn[k] > worst:
            worst = per_turn[k]
    return zero, worst

print('turn_alloc', *turns(300))
print('bad', talk('get x').split(b'\n')[0].decode())
print('noise', talk('\x01\x02zz').split(b'\n')[0].decode())
print('stop', talk('rec stop').split(b'\n')[0].decode())
out = talk('get 1')
head, body = out.split(b'\n', 1)
print('get', head.decode(), len(body))
open('/s1.bin', 'wb').write(body)
print('samples', app.samples, 'missed', app.missed)
"""


def test_store_console_and_app_run_inside_micropython() -> None:
    res = mpy.run(_SCRIPT, outputs=["/block.bin", "/s1.bin"], timeout_s=300)
    out = {ln.split()[0]: ln.split()[1:] for ln in res.stdout.splitlines() if ln.strip()}
    # compression: zero bytes allocated while collecting or encoding, and CPython
    # decodes the block
    assert out["block_alloc"] == ["0", "60"]
    assert out["encode_alloc"][0] == "0"
    ts, _cells, imu = SB.decode_sample_block(res.outputs["/block.bin"], SB.SAMPLE_BLOCK_VERSION)
    assert len(ts) == 60 and ts[0] == (1 << 30) + 123456
    assert imu[0] is None and imu[1] is not None and imu[1][1] == 1 * 301 - 9000
    # console replies, same protocol as on CPython
    assert out["help"][0] == "OK"
    assert out["rec"] == ["OK", "rec", "start", "1"]
    assert out["bad"][:2] == ["ERR", "4"] and out["noise"][:2] == ["ERR", "3"]
    assert out["stop"] == ["OK", "rec", "stop", "1"]
    # a scheduler turn with a sample, the kernel and the store allocates nothing;
    # only the turns that close a sample block (block_samples: 104 at 8 cells) or commit
    # (every second) allocate, and little
    zero, worst = (int(x) for x in out["turn_alloc"])
    assert zero >= 290, (zero, worst)
    assert worst < 4096
    # the session file written by MicroPython decodes on CPython
    head = out["get"]
    assert head[:3] == ["OK", "get", "1"] and int(head[4]) == int(head[5])
    body = res.outputs["/s1.bin"]
    recs, dec = all_frames(body)
    assert dec.n_errors == 0 and recs[0].rtype == R.REC_HEADER and recs[-1].rtype == R.REC_END
    n = sum(len(SB.decode_sample_block(r.payload, r.version)[0]) for r in recs if r.rtype == 32)
    assert n == int(out["samples"][0]) - 1 and out["samples"][2] == "0"
