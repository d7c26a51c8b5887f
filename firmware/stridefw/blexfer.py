# The Stride data channel of the pod's BLE server (stridefw.ble): one session
# transfer (READ) and the live stream (LIVE), both as data notifications
# (stridefw.syncproto: [session][offset][bytes]) to bonded links only.
#
# A READ sends [offset, end) of a session file in frames of the link's ATT
# payload, one per credit the central granted; the bytes come from flash in
# _BATCH-byte reads, not one file open per frame. The CRC-32 of what was sent
# goes back in DONE. gatts_notify raising OSError(ENOMEM) (NimBLE out of mbufs)
# keeps the same frame for a later turn: nothing is skipped; any other OSError
# means the link is gone, and the central resumes with a new READ.
# The live stream: Step and Flag records, COBS-framed like on flash, in a
# _LIVE_BYTES ring; a record that finds it full is dropped and counted
# (live_dropped), never half written. Its offset wraps as a small int.
# Per poll: at most _NOTIFY_PER_TURN transfer frames and one live chunk, and no
# allocation (preallocated frames and views, byte copies).
import binascii

from stridefw import records
from stridefw import syncproto as P
from stridefw.compat import const
from stridefw.config import TICKS_MASK

_ENOMEM = const(12)
_NOTIFY_PER_TURN = const(4)
_BATCH = const(1024)  # bytes read from flash per file open
# About 16 Step records (62 bytes framed), 11 s of one foot's steps at 170 steps/min:
# the pump sends a 14-byte chunk per turn (>= 100 turns/s), over 15 times the
# 85 bytes/s the records come at, so the ring fills only while the stack refuses
# notifications (ENOMEM), and then drops whole records, counted (live_dropped).
_LIVE_BYTES = const(1024)


class Transfer:
    """One READ in progress: [offset, end) of a session to one connection."""

    def __init__(self, conn, sid, req_id, offset, end, credits, mtu):
        self.conn = conn
        self.sid = sid
        self.req_id = req_id
        self.offset = offset  # next byte to notify
        self.end = end
        self.credits = credits
        self.crc = 0
        cap = P.data_capacity(mtu)
        self.cap = cap
        self.frame = bytearray(P.DATA_HEADER + cap)
        self.fmv = memoryview(self.frame)
        self.pending = 0  # bytes of a built frame not yet accepted by the stack
        self.batch = bytearray(_BATCH)
        self.batch_off = -1  # file offset of batch[0], -1 empty
        self.batch_len = 0


class Pump:
    """The data channel of one BleServer: its transfer and its live ring."""

    def __init__(self, srv):
        self.srv = srv
        self.xfer = None
        self.enomem = 0  # frames the stack refused for now (sent again later)
        self.notifications = 0
        self.live_dropped = 0
        self._live = bytearray(_LIVE_BYTES)
        self._live_len = 0  # live bytes waiting are _live[_live_head:_live_len]
        self._live_head = 0
        self._live_seq = 0
        self.live_off = 0
        self._live_frame = bytearray(P.DATA_HEADER + P.data_capacity(P.ATT_MTU_MIN))
        # one view per chunk length, made once: slicing a memoryview per notification
        # would allocate on every chunk
        fmv = memoryview(self._live_frame)
        cap = len(self._live_frame) - P.DATA_HEADER
        self._live_views = [fmv[: P.DATA_HEADER + k] for k in range(cap + 1)]
        self._enc = records.Encoder()

    # ------------------------------------------------------------ control ops
    def start(self, conn, sid, rid, offset, end, credits, mtu):
        """A READ accepted (its OK already queued): replaces any earlier transfer."""
        x = Transfer(conn, sid, rid, offset, end, credits, mtu)
        self.xfer = x
        if offset == end:
            self._done(x)

    def credit(self, conn, n):
        x = self.xfer
        if x is not None and x.conn == conn:
            n += x.credits
            x.credits = n if n < P.MAX_CREDITS else P.MAX_CREDITS

    def abort(self, conn):
        """Stop this connection's transfer; returns the offset it would have sent next."""
        x = self.xfer
        if x is None or x.conn != conn:
            return 0
        self.xfer = None
        return x.offset

    def drop(self, conn):
        # the link left or lost its bond: its transfer goes, unanswered
        if self.xfer is not None and self.xfer.conn == conn:
            self.xfer = None

    def poll(self):
        did = False
        if self.xfer is not None:
            did = self._pump(self.xfer)
        if self._live_len:
            did = self._pump_live() or did
        return did

    # ------------------------------------------------------------ transfer
    def _done(self, x):
        self.xfer = None
        self.srv.respond(x.conn, P.encode_ok(P.OP_DONE, x.req_id, x.sid, x.end, x.crc & 0xFFFFFFFF))

    def _fill(self, x, n):
        # bytes [x.offset, x.offset + n) into the frame, from the batch buffer
        if x.batch_off < 0 or x.offset < x.batch_off or x.offset + n > x.batch_off + x.batch_len:
            f, _size = self.srv.app.store.open_read(x.sid)
            try:
                f.seek(x.offset)
                want = x.end - x.offset
                if want > _BATCH:
                    want = _BATCH
                got = f.readinto(x.batch if want == _BATCH else memoryview(x.batch)[:want])
            finally:
                f.close()
            if not got or got < n:
                raise OSError(5)
            x.batch_off = x.offset
            x.batch_len = got
        o = x.offset - x.batch_off
        x.fmv[P.DATA_HEADER : P.DATA_HEADER + n] = memoryview(x.batch)[o : o + n]

    def _pump(self, x):
        srv = self.srv
        did = False
        sent = 0
        while x.credits > 0 and sent < _NOTIFY_PER_TURN:
            if x.offset >= x.end:
                self._done(x)
                return True
            if x.pending == 0:
                n = x.end - x.offset
                if n > x.cap:
                    n = x.cap
                P.pack_data_header(x.frame, x.sid, x.offset)
                try:
                    self._fill(x, n)
                except (OSError, KeyError):
                    self.xfer = None
                    srv.respond(x.conn, P.encode_response(P.OP_READ, x.req_id, P.ST_ERROR))
                    return True
                x.pending = n
            try:
                srv.ble.gatts_notify(x.conn, srv.h_data, x.fmv[: P.DATA_HEADER + x.pending])
            except OSError as e:
                if e.args and e.args[0] == _ENOMEM:
                    self.enomem += 1  # same frame next turn
                    return did
                self.xfer = None  # link gone: the host resumes with a new READ
                return True
            self.notifications += 1
            x.crc = binascii.crc32(x.fmv[P.DATA_HEADER : P.DATA_HEADER + x.pending], x.crc)
            x.offset += x.pending
            x.pending = 0
            x.credits -= 1
            sent += 1
            did = True
        if x.offset >= x.end and x.pending == 0:
            self._done(x)
            did = True
        return did

    # ------------------------------------------------------------ live stream
    def add_live(self, rtype, payload):
        """A Step/Flag record into the live ring (best effort, counted)."""
        # COBS overhead and the delimiters (a leading 0x00 only at the buffer start)
        need = len(payload) + records.FRAME_OVERHEAD + len(payload) // 254 + 4
        if self._live_len + need > _LIVE_BYTES and self._live_head:
            self._live_compact()
        if self._live_len + need > _LIVE_BYTES:
            self.live_dropped += 1
            return
        self._live_len = self._enc.encode_into(
            self._live, self._live_len, rtype, self._live_seq, payload
        )
        self._live_seq += 1

    def _live_compact(self):
        # move the waiting bytes to the front (rare: only when the end is full)
        live = self._live
        h = self._live_head
        n = self._live_len - h
        for i in range(n):
            live[i] = live[h + i]
        self._live_head = 0
        self._live_len = n

    def _pump_live(self):
        # one chunk of the live stream to every connection with LIVE on
        srv = self.srv
        conns = srv.conns
        fr = self._live_frame
        live = self._live
        h = self._live_head
        avail = self._live_len - h
        cap = len(self._live_views) - 1
        n = avail if avail < cap else cap
        P.pack_data_header(fr, P.LIVE_SESSION, self.live_off)
        o = P.DATA_HEADER
        for i in range(n):
            fr[o + i] = live[h + i]
        mv = self._live_views[n]
        for conn in conns:
            if not conns[conn].live:
                continue
            try:
                srv.ble.gatts_notify(conn, srv.h_data, mv)
            except OSError as e:
                if e.args and e.args[0] == _ENOMEM:
                    self.enomem += 1
                    return False  # same bytes next turn
        h += n
        if h >= self._live_len:
            self._live_head = 0
            self._live_len = 0
        else:
            self._live_head = h
        self.live_off = (
            self.live_off + n
        ) & TICKS_MASK  # wraps as a small int, as session time does
        return True
