"""The MicroPython script that walks the pod through its phases and prints the heap.

It runs inside ../shared/tools/micropython-unix32 (32-bit, hard heap limit) over
the `.mpy` files `stride deploy` builds. The unix port has no `machine` and no
`bluetooth`: the script brings the least fake hardware the App needs (the same
pins, ADC, I2C and timer surface as tests/firmware/test_mpy_device.py) and a thin
stand-in for `bluetooth.BLE` (it records values and swallows notifications; it
is a mock because NimBLE cannot run here, and it allocates nothing the real
module would allocate in the GC heap). Files go to a scratch folder, never to /.

Per phase it prints `phase NAME LIVE_BYTES` (gc.mem_alloc() after gc.collect(),
less what was live before the firmware's first import: the interpreter's start
and this script's own compiled code, which the pod does not carry),
and at the end `largest PATH BYTES` (the biggest buffer reachable from the App).
Sleeps the firmware asks for (mux settling) are counted in the clock, not slept.
Time per sample is not measured here: stridekit.budget.timing counts the
instructions of the same script's recording turns (RECORDING marks them).
"""

from __future__ import annotations

# The recording turns of SCRIPT: timing.py counts the instructions of what comes
# before them plus its own number of turns
RECORDING = "clock.slept_us = 0\ntick(2000)\nphase('recording')\n"

SCRIPT = r"""
import array, gc, os, sys, time
SCRATCH = sys.argv[1]
N_CELLS = int(sys.argv[2])
RATE = int(sys.argv[3])
BOARD = sys.argv[4]
IMAGE = 0  # bytes of a ROMFS image held in the heap here (in flash on the chip)
if len(sys.argv) > 5:
    # the modules from a ROMFS image: bytecode and constants used in place
    import vfs
    img = open(sys.argv[5], 'rb').read()
    IMAGE = len(img)
    vfs.mount(vfs.VfsRom(img), '/rom')
    sys.path.insert(0, '/rom')

# this script's own code (compiled into the heap before it runs) is no part of the
# firmware: phases are measured from here
gc.collect()
BASE = gc.mem_alloc() - IMAGE
print('base', BASE)

def phase(name):
    gc.collect()
    print('phase', name, gc.mem_alloc() - IMAGE - BASE)

from stridefw import store as S, board as B, syncproto as P
from stridefw.app import App
import stridefw.ble
phase('boot')

class Fs(S.OsFs):
    # the store's absolute paths, inside the scratch folder
    def __init__(self, root):
        S.OsFs.__init__(self, root)
        self.r = root
    def open(self, p, m):
        return open(self.r + p, m)
    def listdir(self, p):
        return os.listdir(self.r + p)
    def remove(self, p):
        os.remove(self.r + p)
    def rename(self, a, b):
        os.rename(self.r + a, self.r + b)
    def mkdir(self, p):
        try:
            os.mkdir(self.r + p)
        except OSError:
            pass
    def size(self, p):
        return os.stat(self.r + p)[6]
    def free_bytes(self):
        return 1 << 20

class Pin:
    IN = 1; OUT = 3; PULL_UP = 2
    def __init__(self, n, mode=-1, pull=-1, value=None):
        self.n = n
    def __call__(self, v=None):
        return 0
    def value(self, v=None):
        return 0
class ADC:
    ATTN_11DB = 3; ATTN_0DB = 0
    def __init__(self, pin, atten=0):
        self.v = 0
    def read_u16(self):
        self.v = (self.v + 7) & 0x3F
        return self.v << 4
    def read_uv(self):
        return 1950000
class I2C:
    def __init__(self, i, scl=None, sda=None, freq=0):
        pass
    def readfrom_mem_into(self, a, r, b):
        raise OSError(19)
    def writeto_mem(self, a, r, b):
        raise OSError(19)
class Timer:
    PERIODIC = 1
    def __init__(self, i):
        pass
    def init(self, mode=1, freq=0, callback=None, hard=None):
        pass
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
        buf[:n] = self.rx[:n]
        self.rx = self.rx[n:]
        return n
    def write(self, data):
        return len(data)  # the UART takes it; nothing kept

def UUID(v):
    # bluetooth.UUID has the buffer protocol: bytes() of it is its value
    return bytes(16) if isinstance(v, str) else bytes((v & 255, v >> 8))
class BT:
    UUID = UUID
class BLE:
    # bluetooth.BLE's surface as stridefw.ble uses it; values in small buffers
    def __init__(self):
        self.values = {}
        self.irq_fn = None
        self.sent = 0
    def active(self, *a):
        return True
    def config(self, *a, **k):
        return None
    def irq(self, fn):
        self.irq_fn = fn
    def gatts_register_services(self, services):
        h = 1
        out = []
        for _u, chars in services:
            hs = []
            for _c in chars:
                self.values[h] = b''
                hs.append(h)
                h += 2
            out.append(tuple(hs))
        return tuple(out)
    def gatts_set_buffer(self, h, n, append=False):
        pass
    def gatts_write(self, h, v, send_update=False):
        # the stack copies into the value's own buffer (a new one only to grow it)
        b = self.values[h]
        if type(b) is bytearray and len(b) == len(v):
            for i in range(len(v)):
                b[i] = v[i]
        else:
            self.values[h] = bytearray(v)
        if send_update:
            self.sent += 1
    def gatts_read(self, h):
        return self.values[h]
    def gatts_notify(self, c, h, v=None):
        self.sent += 1
    def gatts_indicate(self, c, h, v=None):
        self.sent += 1
        self.irq_fn(20, (c, h, 0))
    def gap_advertise(self, *a, **k):
        pass
    def gap_disconnect(self, c):
        return True

class Clock:
    # time's ticks; sleeps (the mux settling time) are counted, not slept, so the
    # measured time is the interpreter's work and the sleeps are added unscaled
    def __init__(self):
        self.slept_us = 0
        self.ticks_us = time.ticks_us
        self.ticks_ms = time.ticks_ms
        self.ticks_diff = time.ticks_diff
        self.ticks_add = time.ticks_add
    def sleep_us(self, us):
        self.slept_us += us
    def sleep_ms(self, ms):
        self.slept_us += ms * 1000

clock = Clock()
port = Port()
ble = BLE()
app = App(Machine(), clock, Fs(SCRATCH), B.BOARDS[BOARD], N_CELLS, RATE, 0, port, None,
          store_kw={'raw_floor': 0, 'step_floor': 0}, ble=ble, bt=BT)
app.start()

def tick(n):
    for _ in range(n):
        app._isr(None)
        while app.turn():
            pass

tick(200)
phase('idle_advertising')

port.rx.extend(b'rec start\n')
tick(100)
clock.slept_us = 0
tick(2000)
phase('recording')

# a bonded central: connect, encrypted + bonded, LIVE on and a READ of session 1
srv = app.ble
ble.irq_fn(1, (0, 0, b'\x00' * 6))
ble.irq_fn(21, (0, 247))
ble.irq_fn(28, (0, 1, 0, 1, 16))
def write(req):
    ble.values[srv.h_cp] = req
    ble.irq_fn(3, (0, srv.h_cp))
write(P.encode_request(P.OP_LIVE, 1, 1))
tick(50)
write(P.encode_request(P.OP_READ, 2, 1, 0, 64))
tick(500)
phase('ble_syncing')
write(P.encode_request(P.OP_LIVE, 3, 0))
write(P.encode_request(P.OP_ABORT, 4))
tick(50)

for line in (b'status\n', b'ls\n', b'help\n', b'get 1 0\n'):
    port.rx.extend(line)
    tick(60)
phase('console_busy')
port.rx.extend(b'rec stop\n')
tick(200)
phase('stopped')

# the largest single buffer the firmware keeps (what needs one contiguous block)
def size_of(o):
    if isinstance(o, (bytes, bytearray)):
        return len(o)
    if isinstance(o, array.array):
        return len(o) * (len(bytes(o[:1])) if len(o) else 0)
    if isinstance(o, (list, tuple)):
        return 4 * len(o)
    if isinstance(o, dict):
        return 8 * len(o)
    return 0
best = ['', 0]
seen = []
def walk(o, path, depth):
    if depth > 4:
        return
    for s in seen:
        if s is o:
            return
    seen.append(o)
    n = size_of(o)
    if n > best[1]:
        best[0] = path; best[1] = n
    if isinstance(o, (list, tuple)):
        for i in range(min(len(o), 32)):
            walk(o[i], path + '[%d]' % i, depth + 1)
    elif isinstance(o, dict):
        for k in list(o)[:32]:
            walk(o[k], path + '[%r]' % (k,), depth + 1)
    elif hasattr(o, '__dict__'):
        for k in o.__dict__:
            walk(o.__dict__[k], path + '.' + k, depth + 1)
walk(app, 'app', 0)
print('largest', best[0], best[1])
print('done')
"""
