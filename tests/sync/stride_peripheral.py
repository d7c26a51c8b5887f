"""A Bumble peripheral serving the Stride service from `stridefw.syncproto`, for sync tests.

Test fixture, not the pod: the pod's GATT server is firmware/stridefw/ble.py (helper
BLE-DEVICE), and the tests that use the virtual pods live beside this file. This one
lets the host's sync run against a real BLE stack with every byte encoded by the one
protocol module, and lets a test drop the link at exact points.
"""

from __future__ import annotations

import asyncio
import binascii
import contextlib
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field

from bumble import core, gatt, hci, pairing
from bumble.controller import Controller
from bumble.device import Connection, Device
from bumble.host import Host
from bumble.keys import MemoryKeyStore
from bumble.link import LocalLink
from bumble.transport.common import AsyncPipeSink

from stridefw import syncproto as P
from stridekit.transport.bumble import BumbleHost

_ENC_R = gatt.Characteristic.Permissions.READ_REQUIRES_ENCRYPTION
_ENC_W = gatt.Characteristic.Permissions.WRITE_REQUIRES_ENCRYPTION


@dataclass
class StridePeripheral:
    device: Device
    sessions: dict[int, bytes]
    closed: dict[int, bool]
    synced: dict[int, int] = field(default_factory=dict[int, int])
    marks: list[tuple[int, int]] = field(default_factory=list[tuple[int, int]])
    times: list[tuple[int, int]] = field(default_factory=list[tuple[int, int]])
    reads: list[tuple[int, int]] = field(default_factory=list[tuple[int, int]])
    notifications: int = 0
    control: gatt.Characteristic[bytes] | None = None
    data: gatt.Characteristic[bytes] | None = None
    _tx: asyncio.Task[None] | None = None
    _credits: int = 0
    _wake: asyncio.Event = field(default_factory=asyncio.Event)
    on_mark: Callable[[int, int], None] | None = None
    busy: int = 0  # answer this many requests (not credits) BUSY, as a pod with a full queue
    _tasks: set[asyncio.Future[None]] = field(default_factory=set[asyncio.Future[None]])

    async def drop_link(self) -> None:
        for c in list(self.device.connections.values()):
            await c.disconnect()

    def on_control(self, conn: Connection | None, value: bytes) -> None:
        assert conn is not None
        self._tasks.add(asyncio.ensure_future(self._handle(conn, bytes(value))))

    async def _indicate(self, conn: Connection, value: bytes) -> None:
        assert self.control is not None
        with contextlib.suppress(Exception):  # link gone
            await self.device.indicate_subscriber(conn, self.control, value, force=True)

    async def _handle(self, conn: Connection, req: bytes) -> None:
        try:
            op, rid, decoded = P.decode_request(req)
            args: tuple[int, ...] = tuple(decoded)
        except ValueError:
            await self._indicate(
                conn, P.encode_response(req[0] if req else 0, P.request_id(req), P.ST_BAD_REQUEST)
            )
            return
        if op == P.OP_CREDIT:
            self._credits = min(P.MAX_CREDITS, self._credits + args[0])
            self._wake.set()
            return
        if self.busy > 0:
            self.busy -= 1
            await self._indicate(conn, P.encode_response(op, rid, P.ST_BUSY, b"\x01\x00"))
            return
        if op == P.OP_LIST:
            ids = sorted(i for i in self.sessions if i >= args[0])
            cap = P.list_capacity(conn.att_mtu)
            page = ids[:cap]
            entries = [
                (i, len(self.sessions[i]), self.synced.get(i, 0), self.closed[i]) for i in page
            ]
            await self._indicate(conn, P.encode_list(rid, entries, len(ids) > cap))
        elif op == P.OP_TIME:
            self.times.append((args[0], args[1]))
            await self._indicate(conn, P.encode_ok(P.OP_TIME, rid))
        elif op == P.OP_MARK:
            sid, up_to = args
            if sid not in self.sessions:
                await self._indicate(conn, P.encode_response(op, rid, P.ST_NO_SUCH_SESSION))
                return
            if self.on_mark is not None:
                self.on_mark(sid, up_to)
            self.synced[sid] = up_to
            self.marks.append((sid, up_to))
            await self._indicate(conn, P.encode_ok(P.OP_MARK, rid, up_to))
        elif op == P.OP_READ:
            sid, offset, credits = args
            if sid not in self.sessions:
                await self._indicate(conn, P.encode_response(op, rid, P.ST_NO_SUCH_SESSION))
                return
            blob = self.sessions[sid]
            if offset > len(blob):
                await self._indicate(conn, P.encode_response(op, rid, P.ST_BAD_OFFSET))
                return
            if self._tx is not None:
                self._tx.cancel()
            self.reads.append((sid, offset))
            self._credits = credits
            await self._indicate(conn, P.encode_ok(P.OP_READ, rid, len(blob)))
            self._tx = asyncio.ensure_future(self._send(conn, rid, sid, offset, len(blob)))
        else:
            await self._indicate(conn, P.encode_response(op, rid, P.ST_BAD_REQUEST))

    async def _send(self, conn: Connection, rid: int, sid: int, start: int, end: int) -> None:
        assert self.data is not None
        blob = self.sessions[sid]
        n = P.data_capacity(conn.att_mtu)
        off = start
        while off < end:
            if self._credits <= 0:
                self._wake.clear()
                await self._wake.wait()
                continue
            chunk = blob[off : min(end, off + n)]
            try:
                await self.device.notify_subscriber(
                    conn, self.data, P.encode_data(sid, off, chunk), force=True
                )
            except Exception:
                return
            self.notifications += 1
            self._credits -= 1
            off += len(chunk)
        crc = binascii.crc32(blob[start:end])
        await self._indicate(conn, P.encode_ok(P.OP_DONE, rid, sid, end, crc))


async def start_stride_peripheral(
    link: LocalLink, sessions: dict[int, bytes], address: str = "D0:22:33:44:55:01", foot: int = 0
) -> StridePeripheral:
    controller = Controller(f"stride-{address}", link=link, public_address=address)
    device = Device(
        name="x", address=hci.Address(address), host=Host(controller, AsyncPipeSink(controller))
    )
    device.keystore = MemoryKeyStore()
    p = StridePeripheral(device, dict(sessions), {i: True for i in sessions})
    control = gatt.Characteristic[bytes](
        P.CONTROL_UUID,
        gatt.Characteristic.Properties.WRITE
        | gatt.Characteristic.Properties.WRITE_WITHOUT_RESPONSE
        | gatt.Characteristic.Properties.INDICATE,
        _ENC_R | _ENC_W,
        gatt.CharacteristicValue(write=p.on_control),
    )
    data = gatt.Characteristic[bytes](
        P.DATA_UUID, gatt.Characteristic.Properties.NOTIFY, _ENC_R, b""
    )
    p.control, p.data = control, data
    device.add_service(gatt.Service(P.SERVICE_UUID, [control, data]))
    device.pairing_config_factory = lambda _c: pairing.PairingConfig(
        sc=True,
        mitm=False,
        bonding=True,
        identity_address_type=pairing.PairingConfig.AddressType.RANDOM,
        delegate=pairing.PairingDelegate(
            io_capability=pairing.PairingDelegate.IoCapability.NO_OUTPUT_NO_INPUT
        ),
    )
    await device.power_on()
    name = P.adv_name(foot, bytes.fromhex(address.replace(":", "")))
    device.advertising_data = bytes(
        core.AdvertisingData(
            [
                (core.AdvertisingData.FLAGS, bytes([0x06])),
                (core.AdvertisingData.COMPLETE_LOCAL_NAME, name.encode()),
                (
                    core.AdvertisingData.MANUFACTURER_SPECIFIC_DATA,
                    P.MANUF_COMPANY.to_bytes(2, "little") + P.encode_manuf(foot, 77),
                ),
            ]
        )
    )
    await device.start_advertising(
        auto_restart=True, advertising_interval_min=20.0, advertising_interval_max=20.0
    )
    return p


@contextlib.asynccontextmanager
async def stride_rig(
    *sessions: Mapping[int, bytes],
) -> AsyncIterator[tuple[BumbleHost, Sequence[StridePeripheral]]]:
    """Hand-written peripherals (one per sessions map; foot = position, address
    D0:22:33:44:55:0<n+1>) and a host on one virtual link, as Bumble's own tests
    build `TwoDevices`. The host closes on exit. Tests that need the real firmware
    use `stridekit.sim.rig.virtual_rig` instead."""
    link = LocalLink()
    pods = [
        await start_stride_peripheral(link, dict(s), f"D0:22:33:44:55:0{i + 1}", foot=i)
        for i, s in enumerate(sessions)
    ]
    host = await BumbleHost.open_virtual(link)
    try:
        yield host, pods
    finally:
        await host.close()
