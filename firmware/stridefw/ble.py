# GATT server of the pod on MicroPython's `bluetooth` API (NimBLE on the ESP32;
# in the virtual pod, stridekit.sim.shims.bluetooth over Bumble).
#
# Services (UUIDs in stridefw.syncproto):
#   RSC 0x1814: Measurement 0x2A53 (notify, per Step: stridefw.rsc), Feature
#     0x2A54, Sensor Location 0x2A5D (in shoe), SC Control Point 0x2A55 (Set
#     Cumulative Value; response indicated). Open, like every RSC sensor.
#   Battery 0x180F (0x2A19 read/notify: notified to subscribers on change; the
#     Battery Service has no "unknown" value, so until the first measurement
#     the value is empty, 0 bytes, never a fake 0 %), Device Information 0x180A, Current
#     Time 0x1805 (0x2A2B write = host clock: the App logs a Sync record;
#     written by a bonded central only, anything else is refused or ignored).
#   Stride (syncproto): control point, data, status. Flags *_ENCRYPTED, not
#     *_AUTHENTICATED: NimBLE grants AUTHENTICATED only to a key made with MITM
#     protection (passkey or numeric comparison), which a pod without display or
#     keys never makes, so AUTHENTICATED would refuse every phone. The stack
#     answers an unencrypted client with ATT Insufficient Authentication (or
#     Insufficient Encryption when it holds the peer's key) and 0 bytes; an
#     encrypted link without a bond is refused here (_IRQ_GATTS_READ_REQUEST,
#     writes ignored and counted) until it is dropped.
# Bonding: LE Secure Connections, just works (the pod has no display). NimBLE
# does not ask the app before a just-works pairing, so the pairing window is
# enforced with what the API gives: config(bond=) follows the window (outside it
# the pod's pairing response carries no bonding flag), _IRQ_SET_SECRET refuses to
# store a key outside it, and an encrypted link that is not bonded is
# disconnected at _IRQ_ENCRYPTION_UPDATE. A numeric comparison, if a peer's IO
# asks for one, is accepted only inside the window. Threat model: README,
# "Pairing and what it protects".
# gatts_notify/gatts_indicate reach a connection whatever its security or
# subscription (NimBLE checks neither), so Stride values go only to bonded links.
# MicroPython cannot return ATT errors from a write handler, so control-point
# results go back as indications (syncproto), one in flight per connection.
# Overflow is never silent: a control-point request that finds the request
# queue full is answered ST_BUSY on a later turn, with its op and req_id and a
# u16 payload: how many requests this answer refuses (1, or more when the
# connection's BUSY backlog was full and later refusals were folded into its
# last entry), so a central that floods learns of every refused request.
# busy_requests counts them (console `status`: ble_busy); dropped_requests
# counts what is neither queued nor answered (Current Time / SC control point
# writes on a full queue: ble_dropped). A request is taken from the queue only
# when its connection has room for the answer.
# IRQs only record what happened (bounded queues); poll(), once per App turn,
# does a bounded amount of work: one request, one indication, a few data
# notifications. gatts_notify raising OSError(ENOMEM) (NimBLE out of mbufs)
# keeps the same frame for a later turn: nothing is skipped.
import binascii
import struct

from stridefw import records, rsc
from stridefw import syncproto as P
from stridefw.compat import const
from stridefw.cts import current_time_to_epoch

_IRQ_CENTRAL_CONNECT = const(1)
_IRQ_CENTRAL_DISCONNECT = const(2)
_IRQ_GATTS_WRITE = const(3)
_IRQ_GATTS_READ_REQUEST = const(4)
_IRQ_GATTS_INDICATE_DONE = const(20)
_IRQ_MTU_EXCHANGED = const(21)
_IRQ_ENCRYPTION_UPDATE = const(28)
_IRQ_GET_SECRET = const(29)
_IRQ_SET_SECRET = const(30)
_IRQ_PASSKEY_ACTION = const(31)

_FLAG_READ = const(0x0002)
_FLAG_WRITE_NO_RESPONSE = const(0x0004)
_FLAG_WRITE = const(0x0008)
_FLAG_NOTIFY = const(0x0010)
_FLAG_INDICATE = const(0x0020)
_FLAG_READ_ENCRYPTED = const(0x0200)
_FLAG_WRITE_ENCRYPTED = const(0x1000)
_ATT_INSUFFICIENT_AUTHENTICATION = const(0x05)

_IO_NO_INPUT_OUTPUT = const(3)
_PASSKEY_ACTION_NUMERIC_COMPARISON = const(4)
_ENOMEM = const(12)

MTU_PREFERRED = const(247)  # 244-byte ATT payload: one LE data packet with DLE
PAIR_WINDOW_MS = const(60000)
MAX_CONNECTIONS = const(2)  # a phone/laptop and a watch
_ADV_INTERVAL_US = const(250000)
_REQ_QUEUE = const(8)
_IND_QUEUE = const(8)
_BUSY_QUEUE = const(16)  # refused requests awaiting their BUSY answer, per connection
_NOTIFY_PER_TURN = const(4)
_BATCH = const(1024)  # bytes read from flash per file open
_LIVE_BYTES = const(2048)
_LIVE_OFF_MASK = const(0x3FFFFFFF)  # the live stream's offset wraps as a small int
_SECRETS_PATH = "/ble.sec"
_MANUFACTURER = "StrideKit"
_MODEL = "StrideKit pod"


def _ad(t, data):
    return bytes((len(data) + 1, t)) + data


class _Transfer:
    """One READ in progress: [offset, end) of a session to one connection."""

    def __init__(self, conn, sid, req_id, offset, end, credits, mtu):
        self.conn = conn
        self.sid = sid
        self.req_id = req_id
        self.start = offset
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


class BleServer:
    """The pod's GATT server. Created by the App with a BLE object and its module."""

    def __init__(self, app, ble, bt, secrets_fs=None):
        self.app = app
        self.ble = ble
        self.bt = bt
        self.fs = secrets_fs
        self.conns = {}  # conn -> [mtu, encrypted, bonded, live]
        self.window_until_ms = 0
        self.window_open = False
        self.secrets = {}  # (sec_type, key bytes) -> value bytes
        self.refused_bonds = 0
        self.refused_access = 0  # Stride/Current Time accesses of links without a bond
        self.enomem = 0
        self.bad_requests = 0
        self.internal_errors = 0  # requests that raised something unforeseen (ST_ERROR)
        self.dropped_requests = 0  # neither queued nor answered (counted, never silent)
        self.busy_requests = 0  # refused with ST_BUSY: the request queue was full
        self.live_dropped = 0
        self.notifications = 0
        self._reqs = []  # (conn, bytes) waiting for poll()
        self._inds = {}  # conn -> [(handle, bytes)]
        self._ind_busy = {}  # conn -> True while an indication awaits confirmation
        self._busy = {}  # conn -> [[op, req_id, n refused]] awaiting a BUSY answer
        self._xfer = None
        self._rsc_due = False
        self._batt_pct = -1
        self._live = bytearray(_LIVE_BYTES)
        self._live_len = 0  # live bytes waiting are _live[_live_head:_live_len]
        self._live_head = 0
        self._live_seq = 0
        self._live_off = 0
        self._live_frame = bytearray(P.DATA_HEADER + P.data_capacity(P.ATT_MTU_MIN))
        # one view per chunk length, made once: slicing a memoryview per notification
        # would allocate on every chunk
        fmv = memoryview(self._live_frame)
        cap = len(self._live_frame) - P.DATA_HEADER
        self._live_views = [fmv[: P.DATA_HEADER + k] for k in range(cap + 1)]
        self._enc = records.Encoder()
        self.rsc = rsc.Rsc(app.stride_mm())
        self._bonded_only = ()  # value handles only a bonded link may read or write
        self._load_secrets()
        self.name = P.adv_name(app.foot, app.device_id)
        ble.active(True)
        ble.config(gap_name=self.name)
        ble.config(mtu=MTU_PREFERRED)
        ble.config(le_secure=True, mitm=False, io=_IO_NO_INPUT_OUTPUT, bond=False)
        ble.irq(self._irq)
        uuid = bt.UUID
        services = (
            (
                uuid(P.RSC_SERVICE),
                (
                    (uuid(P.RSC_MEASUREMENT), _FLAG_NOTIFY),
                    (uuid(P.RSC_FEATURE), _FLAG_READ),
                    (uuid(P.SENSOR_LOCATION), _FLAG_READ),
                    (uuid(P.SC_CONTROL_POINT), _FLAG_WRITE | _FLAG_INDICATE),
                ),
            ),
            (uuid(P.BATTERY_SERVICE), ((uuid(P.BATTERY_LEVEL), _FLAG_READ | _FLAG_NOTIFY),)),
            (
                uuid(P.DIS_SERVICE),
                (
                    (uuid(P.MANUFACTURER_NAME), _FLAG_READ),
                    (uuid(P.MODEL_NUMBER), _FLAG_READ),
                    (uuid(P.SERIAL_NUMBER), _FLAG_READ),
                    (uuid(P.FIRMWARE_REVISION), _FLAG_READ),
                ),
            ),
            (
                uuid(P.CTS_SERVICE),
                (
                    (
                        uuid(P.CURRENT_TIME),
                        _FLAG_READ | _FLAG_WRITE | _FLAG_WRITE_ENCRYPTED | _FLAG_NOTIFY,
                    ),
                ),
            ),
            (
                uuid(P.SERVICE_UUID),
                (
                    (
                        uuid(P.CONTROL_UUID),
                        _FLAG_WRITE
                        | _FLAG_WRITE_NO_RESPONSE
                        | _FLAG_INDICATE
                        | _FLAG_WRITE_ENCRYPTED,
                    ),
                    (uuid(P.DATA_UUID), _FLAG_NOTIFY | _FLAG_READ | _FLAG_READ_ENCRYPTED),
                    (uuid(P.STATUS_UUID), _FLAG_READ | _FLAG_NOTIFY | _FLAG_READ_ENCRYPTED),
                ),
            ),
        )
        h = ble.gatts_register_services(services)
        self.h_rsc, self.h_feature, self.h_location, self.h_sc = h[0]
        self.h_battery = h[1][0]
        self.h_dis = h[2]
        self.h_time = h[3][0]
        self.h_cp, self.h_data, self.h_status = h[4]
        self._bonded_only = (self.h_cp, self.h_data, self.h_status, self.h_time)
        for handle in (self.h_cp, self.h_sc, self.h_time):
            ble.gatts_set_buffer(handle, 64)
        ble.gatts_write(self.h_feature, rsc.feature(self.rsc))
        ble.gatts_write(self.h_location, bytes((rsc.LOCATION_IN_SHOE,)))
        ble.gatts_write(self.h_rsc, self.rsc.measurement())
        serial = ""
        for b in app.device_id:
            serial += "%02x" % b
        from stridefw.config import FIRMWARE_VERSION

        texts = (_MANUFACTURER, _MODEL, serial, "%d" % FIRMWARE_VERSION)
        for i in range(len(texts)):
            ble.gatts_write(self.h_dis[i], texts[i].encode())
        self.update_battery()
        self.update_status()
        self.advertise()

    # ------------------------------------------------------------ advertising
    def adv_payloads(self):
        """(adv data, scan response) as syncproto documents them."""
        pct = self._batt_pct if self._batt_pct >= 0 else 255
        adv = (
            _ad(0x01, b"\x06")
            + _ad(0x19, struct.pack("<H", P.APPEARANCE_RUNNING_IN_SHOE))
            + _ad(0x03, struct.pack("<H", P.RSC_SERVICE))
            + _ad(0x09, self.name.encode())
        )
        u = bytes(self.bt.UUID(P.SERVICE_UUID))
        resp = _ad(0x07, u) + _ad(
            0xFF, struct.pack("<H", P.MANUF_COMPANY) + P.encode_manuf(self.app.foot, pct)
        )
        return adv, resp

    def advertise(self):
        if len(self.conns) >= MAX_CONNECTIONS:
            self.ble.gap_advertise(None)
            return
        adv, resp = self.adv_payloads()
        self.ble.gap_advertise(_ADV_INTERVAL_US, adv_data=adv, resp_data=resp)

    # ------------------------------------------------------------ pairing window
    def open_window(self):
        """Accept a new bond for PAIR_WINDOW_MS; returns the window in seconds."""
        clock = self.app.clock
        self.window_open = True
        self.window_until_ms = clock.ticks_add(clock.ticks_ms(), PAIR_WINDOW_MS)
        self.ble.config(bond=True)
        return PAIR_WINDOW_MS // 1000

    def close_window(self):
        self.window_open = False
        self.ble.config(bond=False)

    def _load_secrets(self):
        if self.fs is None:
            return
        try:
            f = self.fs.open(_SECRETS_PATH, "rb")
            try:
                data = f.read()
            finally:
                f.close()
        except OSError:
            return
        # [sec_type u8][klen u8][vlen u16][key][value] ...
        o = 0
        n = len(data)
        while o + 4 <= n:
            t = data[o]
            kl = data[o + 1]
            vl = data[o + 2] | (data[o + 3] << 8)
            o += 4
            if o + kl + vl > n:
                break  # torn tail: the complete entries before it stay
            self.secrets[(t, bytes(data[o : o + kl]))] = bytes(data[o + kl : o + kl + vl])
            o += kl + vl

    def _save_secrets(self):
        if self.fs is None:
            return
        out = bytearray()
        for (t, k), v in self.secrets.items():
            out += bytes((t, len(k), len(v) & 0xFF, len(v) >> 8)) + k + v
        try:
            f = self.fs.open(_SECRETS_PATH + ".tmp", "wb")
            try:
                f.write(out)
            finally:
                f.close()
            self.fs.rename(_SECRETS_PATH + ".tmp", _SECRETS_PATH)
        except OSError:
            pass  # kept in RAM; the bond holds until power off

    # ------------------------------------------------------------ IRQ (records only)
    def _irq(self, event, data):
        if event == _IRQ_CENTRAL_CONNECT:
            conn = data[0]
            self.conns[conn] = [P.ATT_MTU_MIN, False, False, False]
            self._inds[conn] = []
            self._ind_busy[conn] = False
            self._busy[conn] = []
            self.advertise()
        elif event == _IRQ_CENTRAL_DISCONNECT:
            conn = data[0]
            self.conns.pop(conn, None)
            self._drop_work(conn)
            self._inds.pop(conn, None)
            self._ind_busy.pop(conn, None)
            self._busy.pop(conn, None)
            self.advertise()
        elif event == _IRQ_GATTS_READ_REQUEST:
            conn, handle = data[0], data[1]
            if handle in self._bonded_only and handle != self.h_time and not self._bonded(conn):
                self.refused_access += 1
                return _ATT_INSUFFICIENT_AUTHENTICATION
            return 0
        elif event == _IRQ_GATTS_WRITE:
            conn, handle = data[0], data[1]
            if handle in self._bonded_only and not self._bonded(conn):
                self.refused_access += 1  # encrypted, not bonded: ignored (dropped soon)
                return None
            if handle in (self.h_cp, self.h_sc, self.h_time):
                if len(self._reqs) >= _REQ_QUEUE:
                    self._refuse(conn, handle)
                    return None
                self._reqs.append((conn, handle, bytes(self.ble.gatts_read(handle))))
        elif event == _IRQ_GATTS_INDICATE_DONE:
            conn = data[0]
            if conn in self._ind_busy:
                self._ind_busy[conn] = False
        elif event == _IRQ_MTU_EXCHANGED:
            c = self.conns.get(data[0])
            if c is not None:
                c[0] = data[1]
        elif event == _IRQ_ENCRYPTION_UPDATE:
            conn, encrypted, _auth, bonded = data[0], data[1], data[2], data[3]
            c = self.conns.get(conn)
            if c is not None:
                c[1] = bool(encrypted)
                c[2] = bool(bonded)
                if encrypted and not bonded:
                    # encrypted but no stored bond: not allowed near the Stride service;
                    # whatever a bond had asked for is not sent to it
                    self.refused_bonds += 1
                    c[3] = False
                    self._drop_work(conn)
                    try:
                        self.ble.gap_disconnect(conn)
                    except OSError:
                        pass
        elif event == _IRQ_GET_SECRET:
            sec_type, index, key = data
            if key is None:
                i = 0
                for (t, _k), v in self.secrets.items():
                    if t == sec_type:
                        if i == index:
                            return v
                        i += 1
                return None
            return self.secrets.get((sec_type, bytes(key)))
        elif event == _IRQ_SET_SECRET:
            sec_type, key, value = data
            k = (sec_type, bytes(key))
            if value is None:
                if k in self.secrets:
                    del self.secrets[k]
                    self._save_secrets()
                return True
            if not self.window_open:
                self.refused_bonds += 1
                return False
            self.secrets[k] = bytes(value)
            self._save_secrets()
            return True
        elif event == _IRQ_PASSKEY_ACTION:
            conn, action = data[0], data[1]
            if action == _PASSKEY_ACTION_NUMERIC_COMPARISON:
                self.ble.gap_passkey(conn, action, 1 if self.window_open else 0)
        return None

    def _drop_work(self, conn):
        # requests, answers and a transfer of one connection: gone (it left, or lost its bond)
        if self._xfer is not None and self._xfer.conn == conn:
            self._xfer = None
        i = 0
        while i < len(self._reqs):
            if self._reqs[i][0] == conn:
                self._reqs.pop(i)
            else:
                i += 1
        q = self._inds.get(conn)
        if q:
            del q[:]
        b = self._busy.get(conn)
        if b:
            del b[:]

    def _refuse(self, conn, handle):
        # request queue full: a control-point request gets ST_BUSY later, the
        # rest (and a full BUSY backlog) are counted
        b = self._busy.get(conn)
        if handle != self.h_cp or b is None:
            self.dropped_requests += 1
            return
        self.busy_requests += 1
        data = self.ble.gatts_read(handle)
        op = data[0] if data else 0
        rid = P.request_id(data)
        if len(b) < _BUSY_QUEUE:
            b.append([op, rid, 1])
        else:
            last = b[-1]  # folded in: the last answer names the newest request
            last[0] = op
            last[1] = rid
            if last[2] < 0xFFFF:
                last[2] += 1

    def _bonded(self, conn):
        c = self.conns.get(conn)
        return c is not None and c[1] and c[2]

    # ------------------------------------------------------------ App hooks
    def on_step(self, step):
        """A Step payload from the kernel: new RSC values, notified on a later poll."""
        # byte reads: unpack_from would allocate a tuple per step
        stance = records.u16_at(step, records.STEP_STANCE_US) | (
            records.u16_at(step, records.STEP_STANCE_US + 2) << 16
        )
        swing = records.u16_at(step, records.STEP_SWING_US) | (
            records.u16_at(step, records.STEP_SWING_US + 2) << 16
        )
        if self.rsc.step(stance, swing):
            self._rsc_due = True

    def on_record(self, rtype, payload):
        """Step/Flag records for connections with LIVE on (best effort, counted)."""
        if not self._live_wanted():
            return
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

    def _live_wanted(self):
        for c in self.conns.values():
            if c[3]:
                return True
        return False

    def set_stride_mm(self, mm):
        """A new calibrated stride: RSC speed, stride and distance follow it, and the
        Feature value says whether they are sent."""
        self.rsc.calibrate(mm)
        self.ble.gatts_write(self.h_feature, rsc.feature(self.rsc))

    def update_battery(self):
        mv = self.app.battery_mv
        pct = 255
        if mv:
            from stridefw.drivers.battery import soc_pct

            pct = soc_pct(mv)
        if pct != self._batt_pct:
            self._batt_pct = pct
            if pct <= 100:
                self.ble.gatts_write(self.h_battery, bytes((pct,)), True)  # notify subscribers
            else:
                self.ble.gatts_write(self.h_battery, b"")  # unknown: no value, not 0 %
            return True
        return False

    def update_status(self):
        app = self.app
        st = app.store
        self.ble.gatts_write(
            self.h_status,
            P.encode_status(
                app.foot,
                app.recording,
                self._batt_pct if self._batt_pct >= 0 else 255,
                app.session if app.session >= 0 else P.NO_SESSION,
                len(st.ids),
                app.kernel.steps,
                st.free_bytes() // 1024,
            ),
        )

    # ------------------------------------------------------------ poll (bounded work)
    def poll(self):
        """Called once per App turn; returns True if it did anything."""
        did = False
        if self.window_open:
            clock = self.app.clock
            if clock.ticks_diff(clock.ticks_ms(), self.window_until_ms) >= 0:
                self.close_window()
        if self._reqs:
            conn = self._reqs[0][0]
            q = self._inds.get(conn)
            if q is None or len(q) < _IND_QUEUE - 1:  # room for its answer
                conn, handle, data = self._reqs.pop(0)
                self._handle_write(conn, handle, data)
                did = True
        for conn in self._busy:
            b = self._busy[conn]
            q = self._inds[conn]
            while b and len(q) < _IND_QUEUE - 1:
                op, rid, n = b.pop(0)
                q.append((self.h_cp, P.encode_response(op, rid, P.ST_BUSY, struct.pack("<H", n))))
                did = True
        for conn in self._inds:
            q = self._inds[conn]
            if q and not self._ind_busy[conn]:
                handle, data = q[0]
                try:
                    self.ble.gatts_indicate(conn, handle, data)
                    q.pop(0)
                    self._ind_busy[conn] = True
                    did = True
                except OSError as e:
                    if e.args and e.args[0] == _ENOMEM:
                        self.enomem += 1
                    else:
                        q.pop(0)  # the connection is going away
        if self._rsc_due and self.conns:
            if self._notify_all(self.h_rsc, self.rsc.measurement()):
                self._rsc_due = False
            did = True
        elif self._rsc_due:
            self._rsc_due = False
        x = self._xfer
        if x is not None:
            did = self._pump(x) or did
        if self._live_len:
            did = self._pump_live() or did
        return did

    def _notify_all(self, handle, data):
        # True once every connection took it (ENOMEM: retry the whole value later;
        # a watch getting the same RSC value twice is harmless)
        ok = True
        for conn in self.conns:
            try:
                self.ble.gatts_notify(conn, handle, data)
                self.notifications += 1
            except OSError as e:
                if e.args and e.args[0] == _ENOMEM:
                    self.enomem += 1
                    ok = False
        return ok

    def _indicate(self, conn, handle, data):
        q = self._inds.get(conn)
        if q is None:
            return
        if len(q) >= _IND_QUEUE:
            q.pop(0)  # a host that never confirms: oldest result goes, counted
            self.dropped_requests += 1
        q.append((handle, data))

    def _respond(self, conn, data):
        self._indicate(conn, self.h_cp, data)

    # ------------------------------------------------------------ requests
    def _handle_write(self, conn, handle, data):
        if handle == self.h_sc:
            self._indicate(conn, self.h_sc, rsc.sc_control(self.rsc, data))
            return
        if handle == self.h_time:
            try:
                epoch, frac = current_time_to_epoch(data)
                self.app.set_time(epoch, frac)
            except ValueError:
                self.bad_requests += 1
            except OSError:
                self.internal_errors += 1
            return
        c = self.conns.get(conn)
        if c is None or not c[2]:
            # queued while bonded, the link went away or changed: nothing to answer
            self.refused_access += 1
            return
        try:
            op, rid, args = P.decode_request(data)
        except ValueError:
            self.bad_requests += 1
            self._respond(
                conn,
                P.encode_response(data[0] if data else 0, P.request_id(data), P.ST_BAD_REQUEST),
            )
            return
        try:
            self._op(conn, c, op, rid, args)
        except OSError:
            self._respond(conn, P.encode_response(op, rid, P.ST_ERROR))
        except Exception:  # a request must never stop the pod: answered, counted
            self.internal_errors += 1
            self._respond(conn, P.encode_response(op, rid, P.ST_ERROR))

    def _op(self, conn, c, op, rid, args):
        app = self.app
        st = app.store
        if op == P.OP_LIST:
            first = args[0]
            cap = P.list_capacity(c[0])
            entries = []
            more = False
            for sid in st.ids:
                if sid < first:
                    continue
                if len(entries) >= cap:
                    more = True
                    break
                entries.append((sid, st.sizes[sid], st.synced[sid], sid != app.session))
            self._respond(conn, P.encode_list(rid, entries, more))
        elif op == P.OP_READ:
            sid, offset, credits = args
            if sid not in st.sizes:
                self._respond(conn, P.encode_response(op, rid, P.ST_NO_SUCH_SESSION))
                return
            end = st.sizes[sid]
            if offset > end:
                self._respond(conn, P.encode_response(op, rid, P.ST_BAD_OFFSET))
                return
            x = _Transfer(conn, sid, rid, offset, end, credits, c[0])
            self._xfer = x
            self._respond(conn, P.encode_ok(op, rid, end))
            if offset == end:
                self._done(x)
        elif op == P.OP_CREDIT:
            x = self._xfer
            if x is not None and x.conn == conn:
                n = x.credits + args[0]
                x.credits = n if n < P.MAX_CREDITS else P.MAX_CREDITS
        elif op == P.OP_ABORT:
            x = self._xfer
            nxt = 0
            if x is not None and x.conn == conn:
                nxt = x.offset
                self._xfer = None
            self._respond(conn, P.encode_ok(op, rid, nxt))
        elif op == P.OP_MARK:
            sid, up_to = args
            if sid not in st.sizes:
                self._respond(conn, P.encode_response(op, rid, P.ST_NO_SUCH_SESSION))
            elif up_to > st.sizes[sid]:
                self._respond(conn, P.encode_response(op, rid, P.ST_BAD_OFFSET))
            else:
                self._respond(conn, P.encode_ok(op, rid, st.ack(sid, up_to)))
        elif op == P.OP_LIVE:
            if args[0] > 1:
                self._respond(conn, P.encode_response(op, rid, P.ST_BAD_REQUEST))
                return
            c[3] = args[0] == 1
            if c[3]:
                self._live_off = 0
            self._respond(conn, P.encode_ok(op, rid))
        elif op == P.OP_TIME:
            epoch, frac = args
            if frac >= 1000000:
                self._respond(conn, P.encode_response(op, rid, P.ST_BAD_REQUEST))
                return
            app.set_time(epoch, frac)
            self._respond(conn, P.encode_ok(op, rid))
        elif op == P.OP_REC:
            on = args[0]
            if on > 1 or (on == 1) == bool(app.recording):
                self._respond(conn, P.encode_response(op, rid, P.ST_NOT_ALLOWED))
                return
            try:
                sid = app.rec_start() if on else app.rec_stop()
            except (OSError, ValueError):
                self._respond(conn, P.encode_response(op, rid, P.ST_NOT_ALLOWED))
                return
            self.update_status()
            self._respond(conn, P.encode_ok(op, rid, sid))
        else:  # decode_request already refused unknown ops
            self._respond(conn, P.encode_response(op, rid, P.ST_BAD_REQUEST))

    # ------------------------------------------------------------ transfers
    def _done(self, x):
        self._xfer = None
        self._respond(x.conn, P.encode_ok(P.OP_DONE, x.req_id, x.sid, x.end, x.crc & 0xFFFFFFFF))

    def _fill(self, x, n):
        # bytes [x.offset, x.offset + n) into the frame, from the batch buffer
        if x.batch_off < 0 or x.offset < x.batch_off or x.offset + n > x.batch_off + x.batch_len:
            f, _size = self.app.store.open_read(x.sid)
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
                    self._xfer = None
                    self._respond(x.conn, P.encode_response(P.OP_READ, x.req_id, P.ST_ERROR))
                    return True
                x.pending = n
            try:
                self.ble.gatts_notify(x.conn, self.h_data, x.fmv[: P.DATA_HEADER + x.pending])
            except OSError as e:
                if e.args and e.args[0] == _ENOMEM:
                    self.enomem += 1  # same frame next turn
                    return did
                self._xfer = None  # link gone: the host resumes with a new READ
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
        # one chunk of the live stream to every connection with LIVE on; allocates
        # nothing (preallocated views, byte copies, a small-int offset)
        fr = self._live_frame
        live = self._live
        h = self._live_head
        avail = self._live_len - h
        cap = len(self._live_views) - 1
        n = avail if avail < cap else cap
        P.pack_data_header(fr, P.LIVE_SESSION, self._live_off)
        o = P.DATA_HEADER
        for i in range(n):
            fr[o + i] = live[h + i]
        mv = self._live_views[n]
        for conn in self.conns:
            if not self.conns[conn][3]:
                continue
            try:
                self.ble.gatts_notify(conn, self.h_data, mv)
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
        self._live_off = (self._live_off + n) & _LIVE_OFF_MASK
        return True
