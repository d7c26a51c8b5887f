# Left/right pairing over ESP-NOW (MicroPython `espnow`): the two pods of a pair
# exchange their Step payloads, and each runs stridefw.balance.Balance on both
# feet and raises UNEVEN_LOAD on its own kernel: no phone needed.
#
# Pairing: `pair` (console) or the button opens a window of WINDOW_MS; during it
# a pod broadcasts HELLO once a second. A pod whose window is open and that hears
# a HELLO from the opposite foot adds the sender as a peer, answers HELLO_ACK
# and stores the peer's MAC in /peer.bin; HELLO_ACK completes the other side.
# Afterwards each Step goes to the peer (send(..., sync=False): never wait for
# the radio's acknowledgement in the sample loop).
#
# Messages (< 250 bytes, the ESP-NOW limit), little endian:
#   0 magic 0x53 | 1 kind | 2 foot | 3 version 1 | then by kind:
#   HELLO, HELLO_ACK: device id (6 bytes)
#   STEP: seq u16 | Step payload (kernel layout, 50 bytes)
# Unencrypted (no PMK/LMK set): the payloads are step summaries, not secrets.
from stridefw.compat import const
from stridefw.records import STEP_LEN

MAGIC = const(0x53)
VERSION = const(1)
K_HELLO = const(1)
K_HELLO_ACK = const(2)
K_STEP = const(3)
WINDOW_MS = const(30000)
_HELLO_EVERY_MS = const(1000)
_MAX_RX_PER_TURN = const(2)
BROADCAST = b"\xff\xff\xff\xff\xff\xff"
PEER_PATH = "/peer.bin"


class Pairing:
    """ESP-NOW link to the other foot's pod; poll() once per scheduler turn."""

    def __init__(self, app, radio):
        self.app = app
        self.radio = radio
        self.peer = None
        self._win_until = 0
        self._window = False
        self._last_hello = 0
        self._tx = bytearray(6 + STEP_LEN)
        self._seq = 0
        self.sent = 0
        self.received = 0
        self.send_errors = 0
        self.rx_bad = 0
        self._load_peer()

    def _load_peer(self):
        try:
            f = self.app.fs.open(PEER_PATH, "rb")
            try:
                mac = f.read()
            finally:
                f.close()
        except OSError:
            return
        if mac is not None and len(mac) == 6:
            self._set_peer(bytes(mac), False)

    def _set_peer(self, mac, save=True):
        try:
            self.radio.add_peer(mac)
        except OSError:
            pass  # already registered
        self.peer = mac
        if save:
            f = self.app.fs.open(PEER_PATH, "wb")
            try:
                f.write(mac)
            finally:
                f.close()

    def open_window(self):
        """Accept a new peer for WINDOW_MS; returns the window length in seconds."""
        clock = self.app.clock
        self._window = True
        self._win_until = clock.ticks_add(clock.ticks_ms(), WINDOW_MS)
        try:
            self.radio.add_peer(BROADCAST)
        except OSError:
            pass
        self._last_hello = clock.ticks_add(clock.ticks_ms(), -_HELLO_EVERY_MS)
        return WINDOW_MS // 1000

    def _hello(self, kind, dest):
        app = self.app
        msg = bytearray(10)
        msg[0] = MAGIC
        msg[1] = kind
        msg[2] = app.foot
        msg[3] = VERSION
        msg[4:10] = app.device_id
        self._send(dest, msg)

    def _send(self, dest, msg):
        try:
            self.radio.send(dest, msg, False)
            self.sent += 1
        except OSError:
            self.send_errors += 1

    def send_step(self, step):
        """Forward one of our Step payloads to the paired pod."""
        if self.peer is None:
            return
        t = self._tx
        t[0] = MAGIC
        t[1] = K_STEP
        t[2] = self.app.foot
        t[3] = VERSION
        t[4] = self._seq & 0xFF
        t[5] = (self._seq >> 8) & 0xFF
        t[6 : 6 + STEP_LEN] = step
        self._seq = (self._seq + 1) & 0xFFFF
        self._send(self.peer, t)

    def poll(self):
        """Window timing and at most a few received messages; True if any work."""
        clock = self.app.clock
        did = False
        if self._window:
            now = clock.ticks_ms()
            if clock.ticks_diff(now, self._win_until) >= 0:
                self._window = False
            elif clock.ticks_diff(now, self._last_hello) >= _HELLO_EVERY_MS:
                self._last_hello = now
                self._hello(K_HELLO, BROADCAST)
                did = True
        for _ in range(_MAX_RX_PER_TURN):
            mac, msg = self.radio.irecv(0)
            if mac is None or msg is None:
                break
            did = True
            self._rx(bytes(mac), msg)
        return did

    def _rx(self, mac, msg):
        if len(msg) < 4 or msg[0] != MAGIC or msg[3] != VERSION:
            self.rx_bad += 1
            return
        kind = msg[1]
        foot = msg[2]
        if foot == self.app.foot or foot > 1:
            return  # another pod of the same foot: not our pair
        if kind == K_STEP:
            if mac != self.peer or len(msg) < 6 + STEP_LEN:
                self.rx_bad += 1
                return
            self.received += 1
            self.app.balance_step(foot, memoryview(msg)[6 : 6 + STEP_LEN])
        elif kind == K_HELLO and self._window:
            self._set_peer(mac)
            self._hello(K_HELLO_ACK, mac)
            self._window = False
        elif kind == K_HELLO_ACK and self._window:
            self._set_peer(mac)
            self._window = False


def open_radio():
    """The device's ESP-NOW interface (Wi-Fi station active, not connected)."""
    import espnow
    import network

    sta = network.WLAN(network.WLAN.IF_STA)
    sta.active(True)
    e = espnow.ESPNow()
    e.active(True)
    return e
