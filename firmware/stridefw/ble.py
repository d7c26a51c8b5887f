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
# RSC measurements and battery levels go out with gatts_write(..., send_update=
# True): NimBLE's ble_gatts_chr_updated notifies only the connections whose CCCD
# asks for it, as the RSC and Battery services require. Should NimBLE be out of
# buffers it drops that notification, and the next value (next step) goes out.
# MicroPython cannot return ATT errors from a write handler, so control-point
# results go back as indications (syncproto), one in flight per connection.
# Overflow is never silent: a control-point request that finds the request
# queue full is answered ST_BUSY on a later turn, with its op and req_id and a
# u16 payload: how many requests this answer refuses (1, or more when the
# connection's BUSY backlog was full and later refusals were folded into its
# last entry), so a central that floods learns of every refused request.
# busy_requests counts them (console `health`: ble_busy); dropped_requests
# counts what is neither queued nor answered (Current Time / SC control point
# writes on a full queue: ble_dropped). A request is taken from the queue only
# when its connection has room for the answer.
# IRQs only record what happened (bounded queues, flags, the connection's state,
# the bond store in RAM); poll(), once per App turn, does a bounded amount of
# work: saves a changed bond store (stridefw.blesec), advertises after a
# connection change, takes one request, sends one indication per connection and
# pumps the data channel (stridefw.blexfer). An indication that finds NimBLE out
# of buffers (ENOMEM) stays queued for a later turn.
# Modules by role, as aioble splits them: this one is the GATT table,
# advertising, connections and control-point requests (an op table); blesec
# the bond store; blexfer the session transfer and the live stream. This one
# stays near 620 lines, a third of them this header and the GATT table: the op
# handlers share the server's queues and handles, and each further module costs
# the pod several hundred bytes of heap (its globals, names and function objects).
import struct

from stridefw import records, rsc
from stridefw import syncproto as P
from stridefw.blesec import BondStore
from stridefw.blexfer import Pump
from stridefw.compat import const
from stridefw.cts import current_time_to_epoch
from stridefw.drivers.battery import soc_pct

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


def _ad(t, data):
    return bytes((len(data) + 1, t)) + data


class Conn:
    """One central's link: what the stack said about it and what it waits for."""

    def __init__(self):
        self.mtu = P.ATT_MTU_MIN
        self.encrypted = False
        self.bonded = False  # the stack holds a key for this peer
        self.live = False  # LIVE on: Step/Flag records stream to it
        self.inds = []  # (handle, bytes) answers waiting for an indication
        self.ind_busy = False  # an indication awaits the central's confirmation
        self.busy = []  # [op, req_id, n refused] awaiting a BUSY answer


class BleServer:
    """The pod's GATT server. Created by the App with a BLE object and its module."""

    def __init__(self, app, ble, bt, secrets_fs=None):
        self.app = app
        self.ble = ble
        self.bt = bt
        self.conns = {}  # conn handle -> Conn
        self.window_until_ms = 0
        self.window_open = False
        self.bonds = BondStore(secrets_fs)
        self.refused_bonds = 0
        self.refused_access = 0  # Stride/Current Time accesses of links without a bond
        self.enomem = 0  # indications the stack could not take yet (sent later)
        self.bad_requests = 0
        self.internal_errors = 0  # requests that raised something unforeseen (ST_ERROR)
        self.dropped_requests = 0  # neither queued nor answered (counted, never silent)
        self.busy_requests = 0  # refused with ST_BUSY: the request queue was full
        self._reqs = []  # (conn, handle, bytes) waiting for poll()
        self._adv_due = False
        self._rsc_due = False
        self._batt_pct = -1
        self._status_buf = bytearray(P.STATUS_LEN)
        self.pump = Pump(self)
        self.rsc = rsc.Rsc(app.stride_mm())
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
        self.h_time = h[3][0]
        self.h_cp, self.h_data, self.h_status = h[4]
        # value handles only a bonded link may read or write
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

        texts = ("StrideKit", "StrideKit pod", serial, "%d" % FIRMWARE_VERSION)
        for i in range(len(texts)):
            ble.gatts_write(h[2][i], texts[i].encode())
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
        self._adv_due = False
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

    # ------------------------------------------------------------ IRQ (records only)
    def _irq(self, event, data):
        if event == _IRQ_CENTRAL_CONNECT:
            self.conns[data[0]] = Conn()
            self._adv_due = True
        elif event == _IRQ_CENTRAL_DISCONNECT:
            conn = data[0]
            self._drop_work(conn)
            self.conns.pop(conn, None)
            self._adv_due = True
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
            c = self.conns.get(data[0])
            if c is not None:
                c.ind_busy = False
        elif event == _IRQ_MTU_EXCHANGED:
            c = self.conns.get(data[0])
            if c is not None:
                c.mtu = data[1]
        elif event == _IRQ_ENCRYPTION_UPDATE:
            conn, encrypted, _auth, bonded = data[0], data[1], data[2], data[3]
            c = self.conns.get(conn)
            if c is not None:
                c.encrypted = bool(encrypted)
                c.bonded = bool(bonded)
                if encrypted and not bonded:
                    # encrypted but no stored bond: not allowed near the Stride service;
                    # whatever a bond had asked for is not sent to it
                    self.refused_bonds += 1
                    c.live = False
                    self._drop_work(conn)
                    try:
                        self.ble.gap_disconnect(conn)
                    except OSError:
                        pass
        elif event == _IRQ_GET_SECRET:
            return self.bonds.get(data[0], data[1], data[2])
        elif event == _IRQ_SET_SECRET:
            sec_type, key, value = data
            if value is not None and not self.window_open:
                self.refused_bonds += 1
                return False
            self.bonds.put(sec_type, key, value)  # saved by poll(), not here
            return True
        elif event == _IRQ_PASSKEY_ACTION:
            conn, action = data[0], data[1]
            if action == _PASSKEY_ACTION_NUMERIC_COMPARISON:
                self.ble.gap_passkey(conn, action, 1 if self.window_open else 0)
        return None

    def _drop_work(self, conn):
        # requests, answers and a transfer of one connection: gone (it left, or lost its bond)
        self.pump.drop(conn)
        i = 0
        while i < len(self._reqs):
            if self._reqs[i][0] == conn:
                self._reqs.pop(i)
            else:
                i += 1
        c = self.conns.get(conn)
        if c is not None:
            del c.inds[:]
            del c.busy[:]

    def _refuse(self, conn, handle):
        # request queue full: a control-point request gets ST_BUSY later, the
        # rest (and a full BUSY backlog) are counted
        c = self.conns.get(conn)
        if handle != self.h_cp or c is None:
            self.dropped_requests += 1
            return
        self.busy_requests += 1
        data = self.ble.gatts_read(handle)
        op = data[0] if data else 0
        rid = P.request_id(data)
        b = c.busy
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
        return c is not None and c.encrypted and c.bonded

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
        conns = self.conns
        for conn in conns:  # keys, not values(): a dict view would be allocated
            if conns[conn].live:
                self.pump.add_live(rtype, payload)
                return

    def set_stride_mm(self, mm):
        """A new calibrated stride: RSC speed, stride and distance follow it, and the
        Feature value says whether they are sent."""
        self.rsc.calibrate(mm)
        self.ble.gatts_write(self.h_feature, rsc.feature(self.rsc))

    def update_battery(self):
        mv = self.app.battery_mv
        pct = 255
        if mv:
            pct = soc_pct(mv)
        if pct != self._batt_pct:
            self._batt_pct = pct
            self._adv_due = True  # the advertised level follows
            if pct <= 100:
                self.ble.gatts_write(self.h_battery, bytes((pct,)), True)  # notify subscribers
            else:
                self.ble.gatts_write(self.h_battery, b"")  # unknown: no value, not 0 %
            return True
        return False

    def update_status(self):
        app = self.app
        st = app.store
        buf = self._status_buf  # packed in place: the App refreshes it every minute
        P.encode_status_into(
            buf,
            app.foot,
            app.recording,
            self._batt_pct if self._batt_pct >= 0 else 255,
            app.session if app.session >= 0 else P.NO_SESSION,
            len(st.ids),
            app.kernel.steps,
            st.free_bytes() // 1024,
        )
        self.ble.gatts_write(self.h_status, buf)

    # ------------------------------------------------------------ poll (bounded work)
    # poll() runs on every App turn (about twice per sample): it only looks at
    # flags, and the work sits in methods of their own, so its frame stays at 11
    # words or less and off the GC heap (a bigger frame is allocated on every call).
    def poll(self):
        """Called once per App turn; returns True if it did anything."""
        did = self.bonds.dirty and self.bonds.save()
        if self._adv_due:
            self.advertise()
            did = True
        if (
            self.window_open
            and self.app.clock.ticks_diff(self.app.clock.ticks_ms(), self.window_until_ms) >= 0
        ):
            self.close_window()
        if self._reqs and self._next_request():
            did = True
        if self.conns and self._indicate_queued():
            did = True
        if self._rsc_due:
            # subscribed centrals only (ble_gatts_chr_updated); none connected: nothing
            self._rsc_due = False
            self.ble.gatts_write(self.h_rsc, self.rsc.measurement(), True)
            did = True
        return self.pump.poll() or did

    def _next_request(self):
        # the oldest control-point write, when its connection has room for the answer
        c = self.conns.get(self._reqs[0][0])
        if c is None or len(c.inds) < _IND_QUEUE - 1:
            conn, handle, data = self._reqs.pop(0)
            self._handle_write(conn, handle, data)
            return True
        return False

    def _indicate_queued(self):
        # per connection: BUSY answers into its queue, then the queue's head indicated
        did = False
        for conn in self.conns:
            c = self.conns[conn]
            if c.busy and self._answer_busy(c):
                did = True
            if c.inds and not c.ind_busy and self._indicate_head(conn):
                did = True
        return did

    def _answer_busy(self, c):
        b = c.busy
        q = c.inds
        did = False
        while b and len(q) < _IND_QUEUE - 1:
            op, rid, n = b.pop(0)
            q.append((self.h_cp, P.encode_response(op, rid, P.ST_BUSY, struct.pack("<H", n))))
            did = True
        return did

    def _indicate_head(self, conn):
        c = self.conns[conn]
        q = c.inds
        try:
            self.ble.gatts_indicate(conn, q[0][0], q[0][1])
            q.pop(0)
            c.ind_busy = True
            return True
        except OSError as e:
            if e.args and e.args[0] == _ENOMEM:
                self.enomem += 1
            else:
                q.pop(0)  # the connection is going away
        return False

    def _indicate(self, conn, handle, data):
        c = self.conns.get(conn)
        if c is None:
            return
        q = c.inds
        if len(q) >= _IND_QUEUE:
            q.pop(0)  # a host that never confirms: oldest result goes, counted
            self.dropped_requests += 1
        q.append((handle, data))

    def respond(self, conn, data):
        """A control-point answer, indicated on a later poll."""
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
        if c is None or not c.bonded:
            # queued while bonded, the link went away or changed: nothing to answer
            self.refused_access += 1
            return
        try:
            op, rid, args = P.decode_request(data)
        except ValueError:
            self.bad_requests += 1
            self.respond(
                conn,
                P.encode_response(data[0] if data else 0, P.request_id(data), P.ST_BAD_REQUEST),
            )
            return
        try:
            # decode_request refused unknown ops: every op it returns has a handler
            _OPS[op](self, conn, c, op, rid, args)
        except OSError:
            self.respond(conn, P.encode_response(op, rid, P.ST_ERROR))
        except Exception:  # a request must never stop the pod: answered, counted
            self.internal_errors += 1
            self.respond(conn, P.encode_response(op, rid, P.ST_ERROR))

    # Control-point ops: (server, conn, its Conn, op, req_id, decoded args); each
    # answers through respond(), except CREDIT (write without response)
    def _op_list(self, conn, c, op, rid, args):
        app = self.app
        st = app.store
        first = args[0]
        cap = P.list_capacity(c.mtu)
        entries = []
        more = False
        for sid in st.ids:
            if sid < first:
                continue
            if len(entries) >= cap:
                more = True
                break
            entries.append((sid, st.sizes[sid], st.synced[sid], sid != app.session))
        self.respond(conn, P.encode_list(rid, entries, more))

    def _op_read(self, conn, c, op, rid, args):
        sid, offset, credits = args
        sizes = self.app.store.sizes
        if sid not in sizes:
            self.respond(conn, P.encode_response(op, rid, P.ST_NO_SUCH_SESSION))
        elif offset > sizes[sid]:
            self.respond(conn, P.encode_response(op, rid, P.ST_BAD_OFFSET))
        else:
            self.respond(conn, P.encode_ok(op, rid, sizes[sid]))
            self.pump.start(conn, sid, rid, offset, sizes[sid], credits, c.mtu)

    def _op_credit(self, conn, c, op, rid, args):
        self.pump.credit(conn, args[0])

    def _op_abort(self, conn, c, op, rid, args):
        self.respond(conn, P.encode_ok(op, rid, self.pump.abort(conn)))

    def _op_mark(self, conn, c, op, rid, args):
        sid, up_to = args
        st = self.app.store
        if sid not in st.sizes:
            self.respond(conn, P.encode_response(op, rid, P.ST_NO_SUCH_SESSION))
        elif up_to > st.sizes[sid]:
            self.respond(conn, P.encode_response(op, rid, P.ST_BAD_OFFSET))
        else:
            self.respond(conn, P.encode_ok(op, rid, st.ack(sid, up_to)))

    def _op_live(self, conn, c, op, rid, args):
        if args[0] > 1:
            self.respond(conn, P.encode_response(op, rid, P.ST_BAD_REQUEST))
            return
        c.live = args[0] == 1
        if c.live:
            self.pump.live_off = 0
        self.respond(conn, P.encode_ok(op, rid))

    def _op_time(self, conn, c, op, rid, args):
        epoch, frac = args
        if frac >= 1000000:
            self.respond(conn, P.encode_response(op, rid, P.ST_BAD_REQUEST))
            return
        self.app.set_time(epoch, frac)
        self.respond(conn, P.encode_ok(op, rid))

    def _op_rec(self, conn, c, op, rid, args):
        app = self.app
        on = args[0]
        if on > 1 or (on == 1) == bool(app.recording):
            self.respond(conn, P.encode_response(op, rid, P.ST_NOT_ALLOWED))
            return
        try:
            sid = app.rec_start() if on else app.rec_stop()
        except (OSError, ValueError):
            self.respond(conn, P.encode_response(op, rid, P.ST_NOT_ALLOWED))
            return
        self.update_status()
        self.respond(conn, P.encode_ok(op, rid, sid))


_OPS = {
    P.OP_LIST: BleServer._op_list,
    P.OP_READ: BleServer._op_read,
    P.OP_CREDIT: BleServer._op_credit,
    P.OP_ABORT: BleServer._op_abort,
    P.OP_MARK: BleServer._op_mark,
    P.OP_LIVE: BleServer._op_live,
    P.OP_TIME: BleServer._op_time,
    P.OP_REC: BleServer._op_rec,
}
