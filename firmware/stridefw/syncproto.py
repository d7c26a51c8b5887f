# Stride BLE service protocol: the one definition, used by the pod (stridefw.ble)
# and by the host (stridekit.sync). Every multi-byte integer is little endian.
#
# UUIDs (128-bit, "STRK" "KIT" in the first bytes):
#   service        5354524b-4b49-5400-a000-000000000000
#   control point  5354524b-4b49-5400-a000-000000000001  write, write-no-response, indicate
#   data           5354524b-4b49-5400-a000-000000000002  notify
#   status         5354524b-4b49-5400-a000-000000000003  read, notify
# All three need an encrypted link with a bonded, authenticated (MITM) key from LE
# Secure Connections; the pod bonds only while its pairing window is open (console
# `pair` or the button). Anything else gets ATT Insufficient Authentication /
# Insufficient Encryption from the stack, and 0 bytes.
#
# Control point request (host -> pod, a write):
#   0 op u8       OP_*
#   1 req_id u8   chosen by the host, echoed in the response
#   2 args        per op, below; extra trailing bytes are a BAD_REQUEST
# Response (pod -> host, an indication on the control point; MicroPython cannot
# return ATT errors from a write handler, so every result travels this way):
#   0 0x80 | op u8
#   1 req_id u8
#   2 status u8   ST_*
#   3 payload     per op, only when status is ST_OK (empty otherwise)
# A request too short to carry a req_id is answered with op 0x80|op (or 0x80) and
# req_id 0. An unknown op gets ST_BAD_REQUEST.
#
# Ops (args -> OK payload):
#   LIST   0x01  [from_id u16] (optional, default 0)
#                -> [n u8][more u8] + n entries, each LIST_ENTRY = 11 bytes:
#                   [session_id u16][size u32][synced u32][closed u8]
#                   size = committed bytes (what READ can send now), synced = the
#                   synced-up-to marker, closed = 1 unless it is being recorded.
#                Entries have session_id >= from_id, ascending, as many as fit the
#                negotiated MTU; more = 1 when some were left off: ask again with
#                from_id = last id + 1.
#   READ   0x02  [session_id u16][offset u32][credits u16]
#                -> [end u32]: the transfer sends [offset, end) (end = committed size
#                now). Status NO_SUCH_SESSION, BAD_OFFSET (offset > size). A READ
#                replaces any transfer in progress (that is how a resume starts).
#                Then data notifications, one per credit. When offset reaches end
#                the pod indicates DONE (a response with op DONE, the READ's req_id):
#   DONE   0x10  (pod -> host only) [session_id u16][end u32][crc32 u32]
#                crc32 = binascii.crc32 of the bytes [offset, end) sent in this
#                transfer (zlib polynomial). An empty transfer (offset == end) gets
#                DONE right after the READ response.
#   CREDIT 0x03  [n u16] -> no response at all (may be a write without response);
#                adds n notifications to the current transfer (capped at 65535),
#                ignored when none is in progress.
#   ABORT  0x04  () -> [next u32] next offset that would have been sent (0 if idle)
#   MARK   0x05  [session_id u16][up_to u32] -> [synced u32] the new marker. Only
#                after the host has stored [0, up_to). BAD_OFFSET if up_to > size,
#                NO_SUCH_SESSION.
#   LIVE   0x06  [on u8] -> () Step and Flag records stream on the data channel
#                with session_id LIVE_SESSION; offset counts live bytes sent since
#                LIVE on. The bytes are framed records (records.FrameDecoder).
#   TIME   0x07  [epoch_s u32][frac_us u32] -> () host wall clock now; the pod
#                logs a Sync record (same as a Current Time 0x1805 write).
#   REC    0x08  [on u8] -> [session_id u16] start / stop recording. NOT_ALLOWED
#                when already in that state or the flash is full.
#
# Data notification (pod -> host, on the data characteristic):
#   0 session_id u16
#   2 offset u32  byte offset in the session file of the first byte below
#   6 bytes       the session file from offset; at most ATT_MTU - 3 - 6 bytes
# The host checks continuity by offset (a gap is a bug; it re-READs from its last
# stored offset). Resume after a disconnect = a new READ from that offset.
#
# Status characteristic (read, notify on change), STATUS_LEN = 16 bytes:
#   0 version u8      PROTO_VERSION
#   1 foot u8         0 left, 1 right
#   2 recording u8    1 while a session is being recorded
#   3 battery_pct u8  0..100, 255 unknown
#   4 session u16     session being recorded, 0xFFFF when idle
#   6 n_sessions u16
#   8 steps u32       steps of the current kernel run
#  12 free_kb u32     free flash in KiB
#
# Advertising (legacy, <= 31 bytes each):
#   adv data:   flags, appearance 0x0441, 16-bit service UUID 0x1814, complete
#               local name adv_name(foot, device_id) = "Stride-L-a1b2c3" / "-R-"
#   scan resp:  128-bit Stride service UUID, manufacturer data MANUF_COMPANY
#               (0xFFFF, the SIG's id for tests/internal use) + MANUF_MAGIC b"SK"
#               + [foot u8][battery_pct u8]
#
# Back-pressure: gatts_notify raising OSError(ENOMEM) keeps the same chunk for a
# later turn; nothing is skipped. Decoders raise ValueError with a short message on
# anything malformed; nothing here raises anything else on bytes input.
import binascii
import struct

from stridefw.compat import const

PROTO_VERSION = const(1)

SERVICE_UUID = "5354524b-4b49-5400-a000-000000000000"
CONTROL_UUID = "5354524b-4b49-5400-a000-000000000001"
DATA_UUID = "5354524b-4b49-5400-a000-000000000002"
STATUS_UUID = "5354524b-4b49-5400-a000-000000000003"

# standard 16-bit UUIDs the pod serves (Bluetooth Assigned Numbers)
RSC_SERVICE = const(0x1814)
RSC_MEASUREMENT = const(0x2A53)
RSC_FEATURE = const(0x2A54)
SC_CONTROL_POINT = const(0x2A55)
SENSOR_LOCATION = const(0x2A5D)
BATTERY_SERVICE = const(0x180F)
BATTERY_LEVEL = const(0x2A19)
DIS_SERVICE = const(0x180A)
MANUFACTURER_NAME = const(0x2A29)
MODEL_NUMBER = const(0x2A24)
SERIAL_NUMBER = const(0x2A25)
FIRMWARE_REVISION = const(0x2A26)
CTS_SERVICE = const(0x1805)
CURRENT_TIME = const(0x2A2B)
APPEARANCE_RUNNING_IN_SHOE = const(0x0441)

MANUF_COMPANY = const(0xFFFF)
MANUF_MAGIC = b"SK"
NAME_PREFIX = "Stride-"

OP_LIST = const(0x01)
OP_READ = const(0x02)
OP_CREDIT = const(0x03)
OP_ABORT = const(0x04)
OP_MARK = const(0x05)
OP_LIVE = const(0x06)
OP_TIME = const(0x07)
OP_REC = const(0x08)
OP_DONE = const(0x10)
RESPONSE = const(0x80)

ST_OK = const(0)
ST_BAD_REQUEST = const(1)
ST_NO_SUCH_SESSION = const(2)
ST_BAD_OFFSET = const(3)
ST_BUSY = const(4)  # request queue full; payload u16: requests this answer refuses. Retry.
ST_NOT_ALLOWED = const(5)
ST_ERROR = const(6)  # the pod failed (flash read error); try again

STATUS_NAMES = {
    ST_OK: "OK",
    ST_BAD_REQUEST: "BAD_REQUEST",
    ST_NO_SUCH_SESSION: "NO_SUCH_SESSION",
    ST_BAD_OFFSET: "BAD_OFFSET",
    ST_BUSY: "BUSY",
    ST_NOT_ALLOWED: "NOT_ALLOWED",
    ST_ERROR: "ERROR",
}
OP_NAMES = {
    OP_LIST: "LIST",
    OP_READ: "READ",
    OP_CREDIT: "CREDIT",
    OP_ABORT: "ABORT",
    OP_MARK: "MARK",
    OP_LIVE: "LIVE",
    OP_TIME: "TIME",
    OP_REC: "REC",
    OP_DONE: "DONE",
}

REQ_HEADER = const(2)
RESP_HEADER = const(3)
DATA_HEADER = const(6)
LIST_ENTRY = const(11)
LIST_HEAD = const(2)
STATUS_LEN = const(16)
LIVE_SESSION = const(0xFFFF)
NO_SESSION = const(0xFFFF)
MAX_CREDITS = const(0xFFFF)
ATT_MTU_MIN = const(23)

# args layout per request op (struct format after the 2-byte header); LIST's
# from_id is optional (empty args allowed)
_ARGS = {
    OP_LIST: "<H",
    OP_READ: "<HIH",
    OP_CREDIT: "<H",
    OP_ABORT: "",
    OP_MARK: "<HI",
    OP_LIVE: "<B",
    OP_TIME: "<II",
    OP_REC: "<B",
}
# OK payload layout per response op (LIST is variable: decode_list)
_OK = {
    OP_READ: "<I",
    OP_DONE: "<HII",
    OP_ABORT: "<I",
    OP_MARK: "<I",
    OP_LIVE: "",
    OP_TIME: "",
    OP_REC: "<H",
}


# ------------------------------------------------------------------ requests
def encode_request(op, req_id, *args):
    """Control-point request bytes; args as listed for the op (ValueError if wrong)."""
    fmt = _ARGS.get(op)
    if fmt is None:
        raise ValueError("unknown op 0x%02x" % op)
    head = bytes((op & 0xFF, req_id & 0xFF))
    if op == OP_LIST and not args:
        return head
    if not fmt:
        if args:
            raise ValueError("op %s takes no arguments" % OP_NAMES[op])
        return head
    try:
        return head + struct.pack(fmt, *args)
    except Exception as e:  # struct.error on CPython, ValueError/OverflowError on MicroPython
        raise ValueError("bad arguments for %s: %s" % (OP_NAMES[op], e))  # noqa: B904 (native emit has no raise-from)


def request_id(data):
    """The req_id of a (possibly malformed) request, 0 if there is none."""
    return data[1] if len(data) >= 2 else 0


def decode_request(data):
    """(op, req_id, args tuple) of a control-point write; ValueError if malformed."""
    n = len(data)
    if n < REQ_HEADER:
        raise ValueError("request of %d bytes, need at least %d" % (n, REQ_HEADER))
    op = data[0]
    rid = data[1]
    fmt = _ARGS.get(op)
    if fmt is None:
        raise ValueError("unknown op 0x%02x" % op)
    body = n - REQ_HEADER
    if op == OP_LIST and body == 0:
        return op, rid, (0,)
    want = struct.calcsize(fmt) if fmt else 0
    if body != want:
        raise ValueError("%s takes %d argument bytes, got %d" % (OP_NAMES[op], want, body))
    if not fmt:
        return op, rid, ()
    return op, rid, struct.unpack_from(fmt, bytes(data), REQ_HEADER)


# ------------------------------------------------------------------ responses
def encode_response(op, req_id, status, payload=b""):
    return bytes((RESPONSE | (op & 0x7F), req_id & 0xFF, status & 0xFF)) + bytes(payload)


def encode_ok(op, req_id, *values):
    """An OK response whose payload is the op's fixed layout (not LIST)."""
    fmt = _OK.get(op)
    if fmt is None:
        raise ValueError("no fixed OK payload for op 0x%02x" % op)
    return encode_response(op, req_id, ST_OK, struct.pack(fmt, *values) if fmt else b"")


def decode_response(data):
    """(op, req_id, status, payload bytes) of an indication; ValueError if malformed.

    op is without the 0x80 bit. payload is non-empty only for ST_OK.
    """
    n = len(data)
    if n < RESP_HEADER:
        raise ValueError("response of %d bytes, need at least %d" % (n, RESP_HEADER))
    if not data[0] & RESPONSE:
        raise ValueError("not a response (op byte 0x%02x)" % data[0])
    op = data[0] & 0x7F
    status = data[2]
    if status not in STATUS_NAMES:
        raise ValueError("unknown status %d" % status)
    return op, data[1], status, bytes(data[RESP_HEADER:])


def decode_ok(op, payload):
    """The tuple of values of an OK payload with a fixed layout; ValueError if wrong."""
    fmt = _OK.get(op)
    if fmt is None:
        raise ValueError("no fixed OK payload for op 0x%02x" % op)
    want = struct.calcsize(fmt) if fmt else 0
    if len(payload) != want:
        raise ValueError(
            "%s response payload of %d bytes, want %d" % (OP_NAMES.get(op, "?"), len(payload), want)
        )
    if not fmt:
        return ()
    return struct.unpack_from(fmt, bytes(payload), 0)


# ------------------------------------------------------------------ LIST
def list_capacity(mtu):
    """How many LIST entries fit one indication at this ATT MTU."""
    room = mtu - 3 - RESP_HEADER - LIST_HEAD
    return room // LIST_ENTRY if room > 0 else 0


def encode_list(req_id, entries, more):
    """LIST OK response; entries = [(session_id, size, synced, closed), ...]."""
    out = bytearray(RESP_HEADER + LIST_HEAD + LIST_ENTRY * len(entries))
    out[0] = RESPONSE | OP_LIST
    out[1] = req_id & 0xFF
    out[2] = ST_OK
    out[3] = len(entries)
    out[4] = 1 if more else 0
    o = RESP_HEADER + LIST_HEAD
    for sid, size, synced, closed in entries:
        struct.pack_into("<HIIB", out, o, sid, size, synced, 1 if closed else 0)
        o += LIST_ENTRY
    return bytes(out)


def decode_list(payload):
    """(entries, more) of a LIST OK payload; entries as in encode_list; ValueError."""
    if len(payload) < LIST_HEAD:
        raise ValueError("LIST payload of %d bytes" % len(payload))
    n = payload[0]
    more = payload[1]
    if more > 1:
        raise ValueError("LIST more flag %d" % more)
    if len(payload) != LIST_HEAD + n * LIST_ENTRY:
        raise ValueError("LIST of %d entries in %d bytes" % (n, len(payload)))
    entries = []
    o = LIST_HEAD
    b = bytes(payload)
    for _ in range(n):
        sid, size, synced, closed = struct.unpack_from("<HIIB", b, o)
        if closed > 1 or synced > size:
            raise ValueError("LIST entry %d malformed" % sid)
        entries.append((sid, size, synced, closed == 1))
        o += LIST_ENTRY
    return entries, more == 1


# ------------------------------------------------------------------ data
def data_capacity(mtu):
    """Session bytes per data notification at this ATT MTU."""
    return mtu - 3 - DATA_HEADER


def pack_data_header(buf, session_id, offset):
    """Write the 6-byte header into buf (preallocated, no allocation)."""
    struct.pack_into("<HI", buf, 0, session_id, offset)


def encode_data(session_id, offset, chunk):
    return struct.pack("<HI", session_id, offset) + bytes(chunk)


def decode_data(data):
    """(session_id, offset, chunk bytes) of a data notification; ValueError if short."""
    if len(data) < DATA_HEADER:
        raise ValueError("data notification of %d bytes" % len(data))
    sid, offset = struct.unpack_from("<HI", bytes(data[:DATA_HEADER]), 0)
    return sid, offset, bytes(data[DATA_HEADER:])


# Verdicts of Receiver.accept on one data chunk
CHUNK_OK = const(0)  # the next bytes: taken
CHUNK_REPEAT = const(1)  # bytes already received (a resent chunk)
CHUNK_GAP = const(2)  # a hole before this chunk: READ again from `next`
CHUNK_OTHER = const(3)  # another session's chunk (a stale transfer's tail)


class Receiver:
    """The host's check of one READ: chunks in order from the READ offset, and DONE's
    CRC-32 over exactly those bytes. One piece for `stride sync` (CPython) and the web
    app (MicroPython in the browser); each decides what to do with a verdict."""

    def __init__(self):
        self.start(NO_SESSION, 0)

    def start(self, session_id, offset):
        self.session_id = session_id
        self.first = offset
        self.next = offset
        self.crc = 0

    def accept(self, session_id, offset, chunk):
        """CHUNK_OK (counted in `next` and the CRC) or why the chunk was not taken."""
        if session_id != self.session_id:
            return CHUNK_OTHER
        if offset != self.next:
            return CHUNK_REPEAT if offset + len(chunk) <= self.next else CHUNK_GAP
        self.crc = binascii.crc32(chunk, self.crc)
        self.next += len(chunk)
        return CHUNK_OK

    def done_error(self, end, crc):
        """ "" when DONE (end offset, CRC-32) matches what arrived, else why not."""
        if end != self.next:
            return "DONE at %d but received up to %d" % (end, self.next)
        if crc != self.crc & 0xFFFFFFFF:
            return "CRC-32 mismatch over [%d, %d)" % (self.first, end)
        return ""


# ------------------------------------------------------------------ status
def encode_status(foot, recording, battery_pct, session, n_sessions, steps, free_kb):
    buf = bytearray(STATUS_LEN)
    encode_status_into(
        buf, foot, recording, battery_pct, session, n_sessions, steps & 0xFFFFFFFF, free_kb
    )
    return bytes(buf)


def encode_status_into(buf, foot, recording, battery_pct, session, n_sessions, steps, free_kb):
    """The status value into buf[:STATUS_LEN] without allocating (the pod refreshes it
    every minute): steps and free_kb are taken as u32s unmasked, as a mask with
    0xFFFFFFFF makes a big int on the pod's 31-bit small ints."""
    struct.pack_into(
        "<BBBBHHII",
        buf,
        0,
        PROTO_VERSION,
        foot & 0xFF,
        1 if recording else 0,
        battery_pct & 0xFF,
        session & 0xFFFF,
        n_sessions & 0xFFFF,
        steps,
        free_kb,
    )


def decode_status(data):
    """dict of the status characteristic; ValueError if malformed or a newer version."""
    if len(data) < STATUS_LEN:
        raise ValueError("status of %d bytes, need %d" % (len(data), STATUS_LEN))
    v = struct.unpack_from("<BBBBHHII", bytes(data[:STATUS_LEN]), 0)
    if v[0] != PROTO_VERSION:
        raise ValueError("status version %d, this host speaks %d" % (v[0], PROTO_VERSION))
    return {
        "version": v[0],
        "foot": v[1],
        "recording": v[2] == 1,
        "battery_pct": v[3],
        "session": v[4],
        "n_sessions": v[5],
        "steps": v[6],
        "free_kb": v[7],
    }


# ------------------------------------------------------------------ advertising
def adv_name(foot, device_id):
    """GAP name: "Stride-L-a1b2c3" (last 3 bytes of the device id, hex)."""
    tail = ""
    for b in bytes(device_id)[-3:]:
        tail += "%02x" % b
    return NAME_PREFIX + ("R" if foot else "L") + "-" + tail


def foot_from_name(name):
    """0 left, 1 right, -1 when the name is not a Stride pod's."""
    if not name or not name.startswith(NAME_PREFIX) or len(name) < len(NAME_PREFIX) + 1:
        return -1
    c = name[len(NAME_PREFIX)]
    return 0 if c == "L" else 1 if c == "R" else -1


def encode_manuf(foot, battery_pct):
    """Manufacturer data after the company id: b"SK" + foot + battery_pct."""
    return MANUF_MAGIC + bytes((foot & 0xFF, battery_pct & 0xFF))


def decode_manuf(data):
    """(foot, battery_pct) from manufacturer data after the company id; ValueError."""
    if len(data) < 4 or bytes(data[:2]) != MANUF_MAGIC:
        raise ValueError("not a Stride pod's manufacturer data")
    if data[2] > 1:
        raise ValueError("foot %d" % data[2])
    return data[2], data[3]
