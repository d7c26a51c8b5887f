"""Stand-in for MicroPython's `bluetooth` module, on a real BLE stack: Bumble.

Why: `stridefw.ble` is the pod's GATT server on MicroPython's `bluetooth.BLE`.
This module implements exactly the subset it uses (`BLE.active/config/irq/
gatts_register_services/gatts_read/gatts_write/gatts_set_buffer/gatts_notify/
gatts_indicate/gap_advertise/gap_disconnect/gap_passkey`, `UUID`, the FLAG_*
values) on a `bumble.device.Device`, so the same firmware file serves real ATT
traffic to any Bumble central on the same `bumble.link.LocalLink` (tests, the
demo, the host's bleak backend on Bumble). Not used on the device.
One module of ~660 lines because it mirrors one MicroPython module: every call
the firmware makes is found here, beside the NimBLE rule it enforces.

How MicroPython semantics map onto Bumble:
- Permissions are NimBLE's, not Bumble's. MicroPython hands the characteristic
  flags to NimBLE unchanged, and NimBLE's ble_att_svr_check_perms decides every
  client read and write (request, command, blob, by-type): no READ flag ->
  Read Not Permitted, no WRITE/WRITE_NO_RESPONSE flag -> Write Not Permitted;
  *_ENCRYPTED or *_AUTHENTICATED on an unencrypted link -> Insufficient
  Encryption when the peer has a stored key, else Insufficient Authentication;
  *_AUTHENTICATED on an encrypted link whose key was not made with MITM
  protection (a Just-Works pairing) -> Insufficient Authentication. A write
  command (write without response) is checked the same way and dropped
  silently when refused. `check_perms` below is that function; Bumble's own
  checks are bypassed because Bumble counts every paired link as
  authenticated and does not check READ/WRITE at all.
- The CCCD of a notify/indicate characteristic is readable by anyone and
  writable under the characteristic's security: NimBLE gives it WRITE_ENC when
  the characteristic has READ_ENC or WRITE_ENC, WRITE_AUTHEN likewise.
- _IRQ_GATTS_READ_REQUEST (ESP32 runs BLE events synchronously, so it is
  delivered there) comes after the stack's checks; a non-zero return is the
  ATT error the client gets.
- Values live here (gatts_read/gatts_write); a client write stores the value
  (truncated to the gatts_set_buffer size, default 20 bytes like MicroPython) and
  raises _IRQ_GATTS_WRITE.
- gatts_notify and gatts_indicate send regardless of subscription and of the
  link's security (NimBLE's ble_gatts_notify_custom / indicate_custom check
  neither): the firmware must choose its receivers. gatts_write(...,
  send_update=True) notifies or indicates only the connections whose CCCD asks
  for it (ble_gatts_chr_updated), with the value just written; a notification
  that finds no buffer is dropped, not retried (NimBLE).
  Outgoing notifications go through a per-connection queue of `tx_slots` frames
  that the event loop drains between firmware turns; a full queue raises
  OSError(ENOMEM) like NimBLE out of mbufs. `enomem` (a callable returning True
  to refuse this call) injects back-pressure on purpose for tests.
- gatts_indicate sends one indication and raises _IRQ_GATTS_INDICATE_DONE when
  the client confirmed it (status 0) or it failed (status 1).
- Security: config(bond=, le_secure=, mitm=, io=) builds Bumble's PairingConfig
  per connection. Bonds go through _IRQ_SET_SECRET / _IRQ_GET_SECRET (sec_type 2
  = peer security, key = the peer's address string, value = JSON of the address
  and Bumble's PairingKeys): the firmware owns its key store like on the device. A pairing that
  did not agree on bonding stores nothing (NimBLE). _IRQ_ENCRYPTION_UPDATE comes
  after pairing completes (or at re-encryption with a stored key), with bonded =
  the firmware holds a key for that peer and authenticated = the key was made
  with MITM protection (never for Just Works).

Threading: none. Bumble runs on an asyncio loop, and the virtual pod's
App.turn() is called from a task on that same loop (stridekit.sim.pod.BlePods),
so IRQs are delivered between turns, never during one: the same guarantee as
MicroPython's scheduled BLE callbacks on the ESP32, which run between bytecodes
of the main loop. Calls that need the stack to do async work (advertising,
disconnects, indications) are scheduled as tasks on the running loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import json
import logging
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from bumble import att, gatt
from bumble import core as bcore
from bumble.controller import Controller
from bumble.device import Connection, Device
from bumble.hci import Address, Role
from bumble.host import Host
from bumble.keys import KeyStore, PairingKeys
from bumble.link import LocalLink
from bumble.pairing import PairingConfig, PairingDelegate
from bumble.transport.common import AsyncPipeSink

log = logging.getLogger(__name__)

FLAG_BROADCAST = 0x0001
FLAG_READ = 0x0002
FLAG_WRITE_NO_RESPONSE = 0x0004
FLAG_WRITE = 0x0008
FLAG_NOTIFY = 0x0010
FLAG_INDICATE = 0x0020
FLAG_READ_ENCRYPTED = 0x0200
FLAG_READ_AUTHENTICATED = 0x0400
FLAG_WRITE_ENCRYPTED = 0x1000
FLAG_WRITE_AUTHENTICATED = 0x2000
FLAG_READ_AUTHORIZED = 0x0800
FLAG_WRITE_AUTHORIZED = 0x4000
_READ_SECURITY = FLAG_READ_ENCRYPTED | FLAG_READ_AUTHENTICATED | FLAG_READ_AUTHORIZED
_WRITE_SECURITY = FLAG_WRITE_ENCRYPTED | FLAG_WRITE_AUTHENTICATED | FLAG_WRITE_AUTHORIZED

_IRQ_CENTRAL_CONNECT = 1
_IRQ_CENTRAL_DISCONNECT = 2
_IRQ_GATTS_WRITE = 3
_IRQ_GATTS_READ_REQUEST = 4
_IRQ_GATTS_INDICATE_DONE = 20
_IRQ_MTU_EXCHANGED = 21
_IRQ_ENCRYPTION_UPDATE = 28
_IRQ_GET_SECRET = 29
_IRQ_SET_SECRET = 30
_IRQ_PASSKEY_ACTION = 31
_PASSKEY_ACTION_NUMERIC_COMPARISON = 4
SEC_TYPE_PEER = 2
DEFAULT_ATTR_LEN = 20  # MicroPython's default value buffer

Irq = Callable[[int, tuple[Any, ...]], Any]


def cccd_flags(chr_flags: int) -> int:
    """NimBLE's flags for the CCCD of a characteristic (ble_gatts.c, register_clt_cfg_dsc)."""
    flags = FLAG_READ | FLAG_WRITE
    if chr_flags & (FLAG_READ_ENCRYPTED | FLAG_WRITE_ENCRYPTED):
        flags |= FLAG_WRITE_ENCRYPTED
    if chr_flags & (FLAG_READ_AUTHENTICATED | FLAG_WRITE_AUTHENTICATED):
        flags |= FLAG_WRITE_AUTHENTICATED
    return flags


def check_perms(
    flags: int, is_read: bool, encrypted: bool, authenticated: bool, peer_has_key: bool
) -> int:
    """NimBLE's ble_att_svr_check_perms: 0 or the ATT error a client access gets.

    MicroPython passes characteristic flags to NimBLE unchanged (modbluetooth_nimble.c),
    and NimBLE maps WRITE and WRITE_NO_RESPONSE both to its one ATT write flag.
    Authorization is not implemented by NimBLE (an XXX in its source): granted.
    The SC-only build option (BLE_SM_SC_ONLY) is off in ESP-IDF's default config.
    """
    if is_read:
        if not flags & FLAG_READ:
            return att.ErrorCode.READ_NOT_PERMITTED
        enc = flags & FLAG_READ_ENCRYPTED
        authen = flags & FLAG_READ_AUTHENTICATED
    else:
        if not flags & (FLAG_WRITE | FLAG_WRITE_NO_RESPONSE):
            return att.ErrorCode.WRITE_NOT_PERMITTED
        enc = flags & FLAG_WRITE_ENCRYPTED
        authen = flags & FLAG_WRITE_AUTHENTICATED
    if (enc or authen) and not encrypted:
        if peer_has_key:
            return att.ErrorCode.INSUFFICIENT_ENCRYPTION
        return att.ErrorCode.INSUFFICIENT_AUTHENTICATION
    if authen and not authenticated:
        return att.ErrorCode.INSUFFICIENT_AUTHENTICATION
    return 0


class UUID:
    """bluetooth.UUID: from a 16-bit int or a 128-bit string; bytes() little endian."""

    def __init__(self, value: int | str | bytes | UUID) -> None:
        if isinstance(value, UUID):
            self.bumble: bcore.UUID = value.bumble
        elif isinstance(value, int):
            if not 0 <= value <= 0xFFFF:
                raise ValueError("16-bit UUID out of range")
            self.bumble = bcore.UUID.from_16_bits(value)
        elif isinstance(value, str):
            self.bumble = bcore.UUID(value)
        else:
            self.bumble = bcore.UUID.from_bytes(bytes(value))

    def __bytes__(self) -> bytes:
        return self.bumble.to_bytes()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UUID) and bytes(self) == bytes(other)

    def __hash__(self) -> int:
        return hash(bytes(self))

    def __repr__(self) -> str:
        return f"UUID({self.bumble})"


def new_device(link: LocalLink, address: str, name: str = "pod") -> Device:
    """A Bumble Device with its own virtual controller on `link` (not powered on)."""
    controller = Controller(name, link=link, public_address=address)
    host = Host(controller, AsyncPipeSink(controller))
    return Device(name=name, address=Address(address), host=host)


class _Delegate(PairingDelegate):
    def __init__(self, ble: BLE, connection: Connection, io: int) -> None:
        super().__init__(io_capability=PairingDelegate.IoCapability(io))
        self.ble = ble
        self.connection = connection

    async def compare_numbers(self, number: int, digits: int) -> bool:
        self.ble._answer = None
        self.ble._deliver(
            _IRQ_PASSKEY_ACTION,
            (self.connection.handle, _PASSKEY_ACTION_NUMERIC_COMPARISON, number),
        )
        return bool(self.ble._answer)


class _IrqKeyStore(KeyStore):
    """Bumble's key store backed by the firmware's _IRQ_GET/SET_SECRET handler."""

    def __init__(self, ble: BLE) -> None:
        self.ble = ble

    async def delete(self, name: str) -> None:
        self.ble._deliver(_IRQ_SET_SECRET, (SEC_TYPE_PEER, name.encode(), None))

    async def update(self, name: str, keys: PairingKeys) -> None:
        if not self.ble._bonding_agreed(name):
            return  # no bonding in this pairing: nothing to store (NimBLE)
        value = json.dumps({"address": name, "keys": keys.to_dict()}).encode()
        ok = self.ble._deliver(_IRQ_SET_SECRET, (SEC_TYPE_PEER, name.encode(), value))
        if not ok:
            self.ble.refused_secrets += 1

    async def get(self, name: str) -> PairingKeys | None:
        return self.ble._stored_keys(name)

    async def get_all(self) -> list[tuple[str, PairingKeys]]:
        out: list[tuple[str, PairingKeys]] = []
        i = 0
        while True:
            value = self.ble._deliver(_IRQ_GET_SECRET, (SEC_TYPE_PEER, i, None))
            if not value:
                return out
            try:
                d = json.loads(bytes(value))
                out.append((str(d["address"]), PairingKeys.from_dict(d["keys"])))
            except (ValueError, KeyError, TypeError):
                pass
            i += 1


class BLE:
    """bluetooth.BLE on a Bumble Device (powered on by the caller).

    Args:
        device: the pod's Bumble device, on a LocalLink (see new_device).
        tx_slots: notifications the stack holds per connection between turns.
        enomem: test hook; called per gatts_notify, True refuses it with ENOMEM.
    """

    def __init__(
        self, device: Device, tx_slots: int = 16, enomem: Callable[[], bool] | None = None
    ) -> None:
        self.device = device
        self.tx_slots = tx_slots
        self.enomem = enomem
        self.enomem_raised = 0
        self.refused_secrets = 0
        self._active = False
        self._irq: Irq | None = None
        self._cfg: dict[str, Any] = {
            "gap_name": device.name,
            "mtu": 23,
            "bond": False,
            "le_secure": False,
            "mitm": False,
            "io": 3,
        }
        self._values: dict[int, bytes] = {}
        self._buflen: dict[int, int] = {}
        self._chars: dict[int, gatt.Characteristic[bytes]] = {}
        self._conns: dict[int, Connection] = {}
        self._authenticated: dict[int, bool] = {}  # the link's key was made with MITM
        self.refused_access = 0  # client reads/writes the stack refused (counted for tests)
        self._txq: dict[int, deque[tuple[int, bytes]]] = {}
        self._drain_scheduled: set[int] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._adv_task: asyncio.Task[None] | None = None
        self._answer: Any = None
        self._registered = False
        self._boxes: list[tuple[gatt.Characteristic[bytes], list[int]]] = []
        device.keystore = _IrqKeyStore(self)
        device.pairing_config_factory = self._pairing_config
        device.on(device.EVENT_CONNECTION, self._on_connection)

    # ------------------------------------------------------------ plumbing
    def _deliver(self, event: int, data: tuple[Any, ...]) -> Any:
        if self._irq is None:
            return None
        try:
            return self._irq(event, data)
        except Exception:  # the firmware's handler raising is a firmware bug: log it
            log.exception("BLE IRQ handler raised on event %d", event)
            raise

    def _spawn(self, coro: Any) -> None:
        task: asyncio.Task[None] = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.debug("BLE shim task failed: %r", task.exception())

    def _pairing_config(self, connection: Connection) -> PairingConfig:
        return PairingConfig(
            sc=bool(self._cfg["le_secure"]),
            mitm=bool(self._cfg["mitm"]),
            bonding=bool(self._cfg["bond"]),
            delegate=_Delegate(self, connection, int(self._cfg["io"])),
        )

    def _bonding_agreed(self, name: str) -> bool:
        for session in self.device.smp_manager.sessions.values():
            names = {str(session.connection.peer_address), str(session.peer_bd_addr)}
            if name in names:
                return bool(session.bonding)
        return False

    def _has_bond(self, connection: Connection) -> bool:
        name = str(connection.peer_address)
        return bool(self._deliver(_IRQ_GET_SECRET, (SEC_TYPE_PEER, 0, name.encode())))

    def _on_connection(self, connection: Connection) -> None:
        if connection.role != Role.PERIPHERAL:
            return
        h = connection.handle
        self._conns[h] = connection
        self._txq[h] = deque()
        pairing = {"active": False}

        def on_disconnection(_reason: int) -> None:
            self._conns.pop(h, None)
            self._authenticated.pop(h, None)
            self._txq.pop(h, None)
            addr = connection.peer_address
            self._deliver(_IRQ_CENTRAL_DISCONNECT, (h, addr.address_type, bytes(addr)))

        def on_mtu() -> None:
            self._deliver(_IRQ_MTU_EXCHANGED, (h, connection.att_mtu))

        def on_pairing_start() -> None:
            pairing["active"] = True

        def on_encryption() -> None:
            if h in self.device.smp_manager.sessions or pairing["active"]:
                return  # reported when the pairing completes (NimBLE order)
            keys = self._stored_keys(str(connection.peer_address))
            enc = bool(connection.encryption)
            self._authenticated[h] = enc and keys is not None and _mitm_key(keys)
            self._encryption_update(connection)

        def on_pairing(keys: PairingKeys) -> None:
            pairing["active"] = False
            self._authenticated[h] = bool(connection.encryption) and _mitm_key(keys)
            self._encryption_update(connection)

        def on_pairing_failure(_reason: int) -> None:
            pairing["active"] = False

        connection.on(connection.EVENT_DISCONNECTION, on_disconnection)
        connection.on(connection.EVENT_CONNECTION_ATT_MTU_UPDATE, on_mtu)
        connection.on(connection.EVENT_CONNECTION_ENCRYPTION_CHANGE, on_encryption)
        connection.on(connection.EVENT_PAIRING_START, on_pairing_start)
        connection.on(connection.EVENT_PAIRING, on_pairing)
        connection.on(connection.EVENT_PAIRING_FAILURE, on_pairing_failure)
        addr = connection.peer_address
        self._deliver(_IRQ_CENTRAL_CONNECT, (h, addr.address_type, bytes(addr)))

    def _stored_keys(self, name: str) -> PairingKeys | None:
        value = self._deliver(_IRQ_GET_SECRET, (SEC_TYPE_PEER, 0, name.encode()))
        if not value:
            return None
        try:
            return PairingKeys.from_dict(json.loads(bytes(value))["keys"])
        except (ValueError, KeyError, TypeError):
            return None

    def _encryption_update(self, connection: Connection) -> None:
        enc = bool(connection.encryption)
        bonded = enc and self._has_bond(connection)
        self._deliver(
            _IRQ_ENCRYPTION_UPDATE,
            (
                connection.handle,
                enc,
                self._authenticated.get(connection.handle, False),
                bonded,
                connection.encryption_key_size or 16,
            ),
        )

    # ------------------------------------------------------------ module surface
    def active(self, state: bool | None = None) -> bool:
        if state is not None:
            self._active = bool(state)
        return self._active

    def config(self, *names: str, **kw: Any) -> Any:
        if names:
            if len(names) != 1 or kw:
                raise ValueError("config(name) queries one value")
            name = names[0]
            if name == "mac":
                return (0, bytes(self.device.public_address or self.device.random_address))
            if name not in self._cfg:
                raise ValueError(f"unknown config param {name!r}")
            return self._cfg[name]
        for k, v in kw.items():
            if k not in self._cfg:
                raise ValueError(f"unknown config param {k!r}")
            self._cfg[k] = v
            if k == "mtu":
                self.device.gatt_server.max_mtu = int(v)
            elif k == "gap_name":
                self.device.name = str(v)
        return None

    def irq(self, handler: Irq) -> None:
        self._irq = handler

    def gatts_register_services(
        self, services: Iterable[tuple[UUID, Sequence[tuple[Any, ...]]]]
    ) -> tuple[tuple[int, ...], ...]:
        if self._registered:
            raise OSError(errno.EALREADY, "services already registered (reboot not modelled)")
        built: list[tuple[gatt.Service, list[gatt.Characteristic[bytes]]]] = []
        for suuid, chars in services:
            cs: list[gatt.Characteristic[bytes]] = []
            for c in chars:
                cs.append(self._characteristic(c[0], int(c[1])))
            built.append((gatt.Service(UUID(suuid).bumble, cs), cs))
        self.device.add_services([s for s, _ in built])
        for ch, box in self._boxes:
            box[0] = ch.handle
        out: list[tuple[int, ...]] = []
        for _s, cs in built:
            hs: list[int] = []
            for ch in cs:
                self._chars[ch.handle] = ch
                self._values.setdefault(ch.handle, b"")
                self._buflen.setdefault(ch.handle, DEFAULT_ATTR_LEN)
                hs.append(ch.handle)
            out.append(tuple(hs))
        self._registered = True
        return tuple(out)

    def _refusal(self, conn: Connection, flags: int, is_read: bool) -> int:
        """The ATT error NimBLE gives this access on this link, 0 if allowed."""
        enc = bool(conn.encryption)
        needs_security = flags & (_READ_SECURITY if is_read else _WRITE_SECURITY)
        err = check_perms(
            flags,
            is_read,
            enc,
            self._authenticated.get(conn.handle, False),
            bool(needs_security) and not enc and self._has_bond(conn),
        )
        if err:
            self.refused_access += 1
        return err

    def _characteristic(self, uuid: UUID, flags: int) -> gatt.Characteristic[bytes]:
        # Bumble's own permission checks are bypassed (plain READABLE | WRITEABLE);
        # the callbacks apply NimBLE's rules (module docstring).
        perms = att.Attribute.READABLE | att.Attribute.WRITEABLE
        box: list[int] = [0]

        def read(conn: Connection | None) -> bytes:
            h = box[0]
            if conn is not None:
                err = self._refusal(conn, flags, True)
                if not err:
                    err = int(self._deliver(_IRQ_GATTS_READ_REQUEST, (conn.handle, h)) or 0)
                if err:
                    raise att.ATT_Error(error_code=err, att_handle=h)
            return self._values.get(h, b"")

        def write(conn: Connection | None, value: bytes) -> None:
            h = box[0]
            if conn is not None:
                err = self._refusal(conn, flags, False)
                if err:
                    raise att.ATT_Error(error_code=err, att_handle=h)
            self._values[h] = bytes(value[: self._buflen.get(h, DEFAULT_ATTR_LEN)])
            if conn is not None:
                self._deliver(_IRQ_GATTS_WRITE, (conn.handle, h))

        descriptors: list[gatt.Descriptor] = []
        if flags & (FLAG_NOTIFY | FLAG_INDICATE):
            descriptors.append(self._cccd(flags, box))
        ch: gatt.Characteristic[bytes] = gatt.Characteristic(
            uuid.bumble,
            gatt.Characteristic.Properties(flags & 0x7F),
            perms,
            gatt.CharacteristicValue(read=read, write=write),
            descriptors,
        )
        self._boxes.append((ch, box))  # the handle is known after add_services
        return ch

    def _cccd(self, chr_flags: int, box: list[int]) -> gatt.Descriptor:
        flags = cccd_flags(chr_flags)

        def read(bearer: att.Bearer) -> bytes:
            return self.device.gatt_server.read_cccd(bearer, self._chars[box[0]])

        def write(bearer: att.Bearer, value: bytes) -> None:
            conn = bearer if isinstance(bearer, Connection) else bearer.connection
            err = self._refusal(conn, flags, False)
            if err:
                raise att.ATT_Error(error_code=err)
            self.device.gatt_server.write_cccd(bearer, self._chars[box[0]], value)

        return gatt.Descriptor(
            gatt.GATT_CLIENT_CHARACTERISTIC_CONFIGURATION_DESCRIPTOR,
            att.Attribute.READABLE | att.Attribute.WRITEABLE,
            att.AttributeValueV2(read=read, write=write),
        )

    def subscribed(self, conn_handle: int, value_handle: int) -> int:
        """The CCCD bits (1 notify, 2 indicate) this connection wrote for a characteristic."""
        conn = self._conns.get(conn_handle)
        if conn is None:
            return 0
        cccd = self.device.gatt_server.subscribers.get(conn, {}).get(value_handle)
        return cccd[0] & 3 if cccd else 0

    def gatts_read(self, value_handle: int) -> bytes:
        if value_handle not in self._values:
            raise ValueError("invalid handle")
        return self._values[value_handle]

    def gatts_write(
        self, value_handle: int, data: bytes | bytearray | memoryview, send_update: bool = False
    ) -> None:
        if value_handle not in self._values:
            raise ValueError("invalid handle")
        self._values[value_handle] = bytes(data)
        if send_update:
            # ble_gatts_chr_updated: only connections that subscribed, as they asked
            for h in list(self._conns):
                bits = self.subscribed(h, value_handle)
                if bits & 1:
                    # out of buffers: NimBLE drops this one (ble_gatts_schedule_update has
                    # already cleared its pending flag); the next write sends a newer value
                    with contextlib.suppress(OSError):
                        self.gatts_notify(h, value_handle)
                elif bits & 2:
                    self.gatts_indicate(h, value_handle)

    def gatts_set_buffer(self, value_handle: int, length: int, append: bool = False) -> None:
        self._buflen[value_handle] = int(length)

    def gatts_notify(
        self,
        conn_handle: int,
        value_handle: int,
        data: bytes | bytearray | memoryview | None = None,
    ) -> None:
        q = self._txq.get(conn_handle)
        if q is None:
            raise OSError(errno.ENOTCONN, "not connected")
        if value_handle not in self._chars:
            raise ValueError("invalid handle")
        if len(q) >= self.tx_slots or (self.enomem is not None and self.enomem()):
            self.enomem_raised += 1
            raise OSError(errno.ENOMEM, "out of buffers")
        value = bytes(self._values[value_handle] if data is None else data)
        q.append((value_handle, value))
        if conn_handle not in self._drain_scheduled:
            self._drain_scheduled.add(conn_handle)
            asyncio.get_running_loop().call_soon(self._drain, conn_handle)

    def _drain(self, conn_handle: int) -> None:
        self._drain_scheduled.discard(conn_handle)
        q = self._txq.get(conn_handle)
        conn = self._conns.get(conn_handle)
        if q is None or conn is None:
            return
        server = self.device.gatt_server
        while q:
            handle, value = q.popleft()
            pdu = att.ATT_Handle_Value_Notification(
                attribute_handle=handle, attribute_value=value[: conn.att_mtu - 3]
            )
            server.send_gatt_pdu(conn, bytes(pdu))

    def gatts_indicate(
        self,
        conn_handle: int,
        value_handle: int,
        data: bytes | bytearray | memoryview | None = None,
    ) -> None:
        conn = self._conns.get(conn_handle)
        if conn is None:
            raise OSError(errno.ENOTCONN, "not connected")
        ch = self._chars.get(value_handle)
        if ch is None:
            raise ValueError("invalid handle")
        value = bytes(self._values[value_handle] if data is None else data)

        async def indicate() -> None:
            status = 0
            try:
                await self.device.gatt_server.indicate_subscriber(conn, ch, value, force=True)
            except Exception:  # timeout or disconnect: reported as a failed indication
                status = 1
            if conn_handle in self._conns:
                self._deliver(_IRQ_GATTS_INDICATE_DONE, (conn_handle, value_handle, status))

        self._spawn(indicate())

    def gap_advertise(
        self,
        interval_us: int | None,
        adv_data: bytes | None = None,
        resp_data: bytes | None = None,
        connectable: bool = True,
    ) -> None:
        prev = self._adv_task

        async def apply() -> None:
            if prev is not None:
                await asyncio.gather(prev, return_exceptions=True)
            if self.device.is_advertising:
                await self.device.stop_advertising()
            if interval_us is None:
                return
            ms = max(20.0, interval_us / 1000)
            await self.device.start_advertising(
                advertising_data=adv_data or b"",
                scan_response_data=resp_data or b"",
                advertising_interval_min=ms,
                advertising_interval_max=ms,
            )

        task = asyncio.get_running_loop().create_task(apply())
        self._adv_task = task
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def gap_disconnect(self, conn_handle: int) -> bool:
        conn = self._conns.get(conn_handle)
        if conn is None:
            return False
        self._spawn(conn.disconnect())
        return True

    def gap_passkey(self, conn_handle: int, action: int, passkey: int) -> None:
        self._answer = passkey


def _mitm_key(keys: PairingKeys) -> bool:
    for k in (keys.ltk, keys.ltk_central, keys.ltk_peripheral):
        if k is not None and k.authenticated:
            return True
    return False


async def power_on(device: Device) -> None:
    """Power the Bumble device on (the shim's BLE expects a powered device)."""
    await device.power_on()
