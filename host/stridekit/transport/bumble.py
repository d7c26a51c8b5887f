"""A bleak backend on a Bumble `Device`, so host code keeps using `BleakScanner` / `BleakClient`.

Why: our machines have no Bluetooth radio, yet tests and the demo must run a real BLE
stack (HCI, L2CAP, ATT, SMP) end to end. Bumble is that stack in Python. Its
`Device` sits either on Bumble's in-process virtual link (`bumble.link.LocalLink`
with one `bumble.controller.Controller` per device) or on an HCI transport such as
`usb:0` for a user with a USB dongle and no BlueZ.

Usage::

    host = await BumbleHost.open_virtual(link)          # or BumbleHost.open_hci("usb:0")
    async with BleakScanner(backend=host.scanner) as scanner: ...
    async with BleakClient(device, backend=host.client) as client: ...

`host.scanner` and `host.client` are backend classes bound to that one host (bleak
takes a class, not an instance), so two hosts in one process never share state.

Errors come back as bleak's `BleakError`; an ATT error response is a `BleakATTError`
whose `att_error_code` is the code from the Core specification (0x05 Insufficient
Authentication, 0x0F Insufficient Encryption, ...). Like BlueZ, a read or write that
fails for lack of encryption on a bonded peer encrypts the link and retries once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import struct
import uuid as std_uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from bleak.args import SizedBuffer
from bleak.assigned_numbers import CharacteristicPropertyName
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.client import BaseBleakClient, NotifyCallback
from bleak.backends.descriptor import BleakGATTDescriptor
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData, AdvertisementDataCallback, BaseBleakScanner
from bleak.backends.service import BleakGATTService, BleakGATTServiceCollection
from bleak.exc import PROTOCOL_ERROR_CODES, BleakError
from bumble import att, core, hci, pairing
from bumble import gatt_client as bgc
from bumble.controller import Controller
from bumble.device import Advertisement, Connection, Device, Peer
from bumble.host import Host
from bumble.keys import JsonKeyStore, KeyStore, MemoryKeyStore, PairingKeys
from bumble.link import LocalLink
from bumble.transport.common import AsyncPipeSink, Transport

log = logging.getLogger(__name__)

HOST_ADDRESS = "C0:57:12:1D:E0:01"  # random static (top bits 11)
MTU_WANTED = 247  # ATT_MTU the host asks for: 244-byte notifications, one LL packet with DLE
ATT_INSUFFICIENT_AUTHENTICATION = 0x05
ATT_INSUFFICIENT_ENCRYPTION = 0x0F

_T = TypeVar("_T")

# bumble Characteristic.Properties bit -> bleak property name
_PROPERTY_NAMES: dict[int, CharacteristicPropertyName] = {
    0x01: "broadcast",
    0x02: "read",
    0x04: "write-without-response",
    0x08: "write",
    0x10: "notify",
    0x20: "indicate",
    0x40: "authenticated-signed-writes",
    0x80: "extended-properties",
}


class BleakATTError(BleakError):
    """The peer answered an ATT request with an Error Response.

    Attributes:
        att_error_code: the ATT error code (Core spec Vol 3 Part F 3.4.1.1).
        handle: the attribute handle the error names.
    """

    def __init__(self, att_error_code: int, handle: int = 0, operation: str = "") -> None:
        name = PROTOCOL_ERROR_CODES.get(att_error_code, "Unknown")
        super().__init__(
            f"ATT error 0x{att_error_code:02X} ({name}) on handle 0x{handle:04X}"
            + (f" during {operation}" if operation else "")
        )
        self.att_error_code = att_error_code
        self.handle = handle


class BleakDisconnectedError(BleakError):
    """The link went down while an operation was in flight."""


class BleakPairingError(BleakError):
    """Pairing failed; `reason` is the SMP or HCI reason code when there is one."""

    def __init__(self, message: str, reason: int | None = None) -> None:
        super().__init__(message)
        self.reason = reason


def bleak_uuid(u: core.UUID) -> str:
    """A Bumble UUID as bleak writes UUIDs: 128-bit, lower case, dashed."""
    return str(std_uuid.UUID(bytes=bytes(reversed(u.uuid_128_bytes))))


def _bumble_uuid(s: str) -> core.UUID:
    return core.UUID(s)


@dataclass
class BumbleAdvertisement:
    """What Bumble saw in one advertisement (platform_data[0] of bleak's AdvertisementData)."""

    address: hci.Address
    appearance: int | None
    connectable: bool
    raw: bytes


def appearance_of(adv: AdvertisementData) -> int | None:
    """The GAP Appearance an advertisement carried, if the backend exposes it.

    bleak's AdvertisementData has no appearance field; Bumble puts it in platform_data
    and BlueZ keeps it in the device properties.
    """
    for item in adv.platform_data:
        if isinstance(item, BumbleAdvertisement):
            return item.appearance
        if isinstance(item, dict) and "Appearance" in item:
            value: Any = item["Appearance"]  # pyright: ignore[reportUnknownVariableType]
            return int(value)
    return None


def parse_advertisement(ad: Advertisement) -> tuple[AdvertisementData, BumbleAdvertisement]:
    """Bumble's advertisement -> bleak's AdvertisementData (name, UUIDs, manufacturer, ...)."""
    name: str | None = None
    manufacturer: dict[int, bytes] = {}
    service_data: dict[str, bytes] = {}
    uuids: list[str] = []
    tx_power: int | None = None
    appearance: int | None = None
    T = core.AdvertisingData.Type
    for ad_type, data in ad.data.ad_structures:
        try:
            if ad_type in (T.COMPLETE_LOCAL_NAME, T.SHORTENED_LOCAL_NAME):
                if name is None or ad_type == T.COMPLETE_LOCAL_NAME:
                    name = data.decode("utf-8", "replace")
            elif ad_type in (
                T.COMPLETE_LIST_OF_16_BIT_SERVICE_CLASS_UUIDS,
                T.INCOMPLETE_LIST_OF_16_BIT_SERVICE_CLASS_UUIDS,
                T.COMPLETE_LIST_OF_32_BIT_SERVICE_CLASS_UUIDS,
                T.INCOMPLETE_LIST_OF_32_BIT_SERVICE_CLASS_UUIDS,
                T.COMPLETE_LIST_OF_128_BIT_SERVICE_CLASS_UUIDS,
                T.INCOMPLETE_LIST_OF_128_BIT_SERVICE_CLASS_UUIDS,
            ):
                size = {0x02: 2, 0x03: 2, 0x04: 4, 0x05: 4, 0x06: 16, 0x07: 16}[int(ad_type)]
                for i in range(0, len(data) - size + 1, size):
                    u = bleak_uuid(core.UUID.from_bytes(data[i : i + size]))
                    if u not in uuids:
                        uuids.append(u)
            elif ad_type == T.MANUFACTURER_SPECIFIC_DATA and len(data) >= 2:
                manufacturer[int.from_bytes(data[:2], "little")] = bytes(data[2:])
            elif ad_type in (
                T.SERVICE_DATA_16_BIT_UUID,
                T.SERVICE_DATA_32_BIT_UUID,
                T.SERVICE_DATA_128_BIT_UUID,
            ):
                size = {0x16: 2, 0x20: 4, 0x21: 16}[int(ad_type)]
                if len(data) >= size:
                    service_data[bleak_uuid(core.UUID.from_bytes(data[:size]))] = bytes(data[size:])
            elif ad_type == T.TX_POWER_LEVEL and len(data) >= 1:
                tx_power = struct.unpack("b", data[:1])[0]
            elif ad_type == T.APPEARANCE and len(data) >= 2:
                appearance = int.from_bytes(data[:2], "little")
        except (ValueError, KeyError, UnicodeError):  # garbled AD structure: skip it
            log.debug("skipping bad AD structure type %s: %s", ad_type, data.hex())
    details = BumbleAdvertisement(ad.address, appearance, ad.is_connectable, ad.data_bytes)
    adv = AdvertisementData(
        local_name=name,
        manufacturer_data=manufacturer,
        service_data=service_data,
        service_uuids=uuids,
        tx_power=tx_power,
        rssi=ad.rssi,
        platform_data=(details,),
    )
    return adv, details


def _address_key(address: hci.Address) -> str:
    """The address as bleak shows it: 'AA:BB:CC:DD:EE:FF' without Bumble's type suffix."""
    return address.to_string(False)


@dataclass
class BumbleHost:
    """The host's BLE controller: one Bumble `Device` (central), shared by its clients.

    One host can hold several connections at once (the left and right pods); creating
    connections is serialised because a controller allows one LE Create Connection at
    a time.
    """

    device: Device
    transport: Transport | None = None
    mtu_wanted: int = MTU_WANTED
    known_addresses: dict[str, hci.Address] = field(default_factory=dict[str, hci.Address])
    connect_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _scanners: set[BumbleScanner] = field(default_factory=lambda: set())  # pyright: ignore[reportUnknownLambdaType]
    _scanning: bool = False
    _scan_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    scanner: type[BumbleScanner] = field(init=False)
    client: type[BumbleClient] = field(init=False)

    def __post_init__(self) -> None:
        host = self
        self.scanner = type("BumbleScanner", (BumbleScanner,), {"bumble_host": host})
        self.client = type("BumbleClient", (BumbleClient,), {"bumble_host": host})
        self.device.on(self.device.EVENT_ADVERTISEMENT, self._on_advertisement)
        self.device.pairing_config_factory = lambda _conn: pairing.PairingConfig(
            sc=True,
            mitm=False,
            bonding=True,
            # our identity = the random static address we connect from, so a peer
            # finds our bond under the address it sees
            identity_address_type=pairing.PairingConfig.AddressType.RANDOM,
            delegate=pairing.PairingDelegate(
                io_capability=pairing.PairingDelegate.IoCapability.NO_OUTPUT_NO_INPUT
            ),
        )

    @classmethod
    async def open_virtual(
        cls,
        link: LocalLink,
        address: str = HOST_ADDRESS,
        name: str = "stride-host",
        keystore: KeyStore | None = None,
    ) -> BumbleHost:
        """A host on Bumble's in-process virtual link (needs a running event loop)."""
        controller = Controller(f"{name}-controller", link=link, public_address=address)
        bumble_host = Host(controller, AsyncPipeSink(controller))
        device = Device(name=name, address=hci.Address(address), host=bumble_host)
        device.keystore = keystore or MemoryKeyStore()
        await device.power_on()
        return cls(device)

    @classmethod
    async def open_hci(
        cls, spec: str, keystore_path: Path | None = None, name: str = "stride-host"
    ) -> BumbleHost:
        """A host on a Bumble HCI transport, e.g. `usb:0`, `serial:/dev/ttyACM0,1000000`.

        Bonds persist in a JSON key store (default: the platformdirs data dir of Bumble).
        """
        from bumble.transport import open_transport

        transport = await open_transport(spec)
        device = Device.with_hci(name, hci.Address(HOST_ADDRESS), transport.source, transport.sink)
        device.keystore = JsonKeyStore(None, str(keystore_path) if keystore_path else None)
        await device.power_on()
        return cls(device, transport=transport)

    async def close(self) -> None:
        """Drop every connection and release the transport."""
        for conn in list(self.device.connections.values()):
            with contextlib.suppress(Exception):
                await conn.disconnect()
        if self.transport is not None:
            await self.transport.close()

    # scanning is shared: the controller scans while any scanner is active
    async def _add_scanner(self, scanner: BumbleScanner) -> None:
        async with self._scan_lock:
            self._scanners.add(scanner)
            if not self._scanning:
                await self.device.start_scanning(active=True, filter_duplicates=False)
                self._scanning = True

    async def _remove_scanner(self, scanner: BumbleScanner) -> None:
        async with self._scan_lock:
            self._scanners.discard(scanner)
            if self._scanning and not self._scanners:
                self._scanning = False
                await self.device.stop_scanning()

    def _on_advertisement(self, ad: Advertisement) -> None:
        adv, details = parse_advertisement(ad)
        key = _address_key(ad.address)
        self.known_addresses[key] = ad.address
        for scanner in list(self._scanners):
            scanner.on_advertisement(key, adv, details)

    def resolve(self, address: str) -> hci.Address:
        """A bleak address string -> the Bumble address (with the type seen when scanning)."""
        known = self.known_addresses.get(address.upper())
        if known is not None:
            return known
        return hci.Address(address.upper(), hci.Address.RANDOM_DEVICE_ADDRESS)


class BumbleScanner(BaseBleakScanner):
    """bleak scanner backend on a BumbleHost (use `host.scanner` as `backend=`)."""

    bumble_host: ClassVar[BumbleHost]

    def __init__(
        self,
        detection_callback: AdvertisementDataCallback | None,
        service_uuids: list[str] | None,
        scanning_mode: str = "active",
        **kwargs: Any,
    ) -> None:
        super().__init__(detection_callback, service_uuids)
        self._host = kwargs.get("bumble_host") or type(self).bumble_host

    async def start(self) -> None:
        self.seen_devices = {}
        await self._host._add_scanner(self)  # pyright: ignore[reportPrivateUsage]

    async def stop(self) -> None:
        await self._host._remove_scanner(self)  # pyright: ignore[reportPrivateUsage]

    def on_advertisement(
        self, key: str, adv: AdvertisementData, details: BumbleAdvertisement
    ) -> None:
        if not self.is_allowed_uuid(adv.service_uuids):
            return
        previous = self.seen_devices.get(key)
        if previous is not None:  # keep what an earlier packet (or scan response) told us
            old = previous[1]
            adv = adv._replace(
                local_name=adv.local_name or old.local_name,
                manufacturer_data={**old.manufacturer_data, **adv.manufacturer_data},
                service_data={**old.service_data, **adv.service_data},
                service_uuids=list(dict.fromkeys([*old.service_uuids, *adv.service_uuids])),
                platform_data=adv.platform_data
                if details.appearance is not None
                else (
                    BumbleAdvertisement(
                        details.address,
                        appearance_of(old),
                        details.connectable,
                        details.raw,
                    ),
                ),
            )
        device = self.create_or_update_device(key, key, adv.local_name, details, adv)
        self.call_detection_callbacks(device, adv)


class BumbleClient(BaseBleakClient):
    """bleak client backend on a BumbleHost (use `host.client` as `backend=`)."""

    bumble_host: ClassVar[BumbleHost]

    def __init__(
        self,
        address_or_ble_device: BLEDevice | str,
        *,
        disconnected_callback: Callable[[], None] | None,
        timeout: float,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            address_or_ble_device, disconnected_callback=disconnected_callback, timeout=timeout
        )
        self._host: BumbleHost = kwargs.get("bumble_host") or type(self).bumble_host
        self._peer_address: hci.Address | None = None
        if isinstance(address_or_ble_device, BLEDevice) and isinstance(
            address_or_ble_device.details, BumbleAdvertisement
        ):
            self._peer_address = address_or_ble_device.details.address
        self._connection: Connection | None = None
        self._connected_to: hci.Address | None = None
        self._peer: Peer | None = None
        self._name = (
            address_or_ble_device.name if isinstance(address_or_ble_device, BLEDevice) else None
        )
        self._closing = False
        self._subscribers: dict[int, Callable[[bytes], None]] = {}

    # -- connection
    @property
    def name(self) -> str:
        return self._name or self.address.replace(":", "-")

    @property
    def mtu_size(self) -> int:
        return self._connection.att_mtu if self._connection else att.ATT_DEFAULT_MTU

    @property
    def is_connected(self) -> bool:
        c = self._connection
        return c is not None and c.handle in self._host.device.connections

    @property
    def connection(self) -> Connection:
        """The Bumble connection (for tests and tools that need the stack underneath)."""
        if self._connection is None or not self.is_connected:
            raise BleakError("Not connected")
        return self._connection

    async def connect(self, pair: bool, **kwargs: Any) -> None:
        device = self._host.device
        address = self._peer_address or self._host.resolve(self.address)
        async with self._host.connect_lock:
            try:
                conn = await device.connect(
                    address, transport=core.PhysicalTransport.LE, timeout=self._timeout
                )
            except (core.TimeoutError, TimeoutError) as e:
                raise BleakError(f"connect to {self.address}: timeout") from e
            except (hci.HCI_Error, core.BaseBumbleError) as e:
                raise BleakError(f"connect to {self.address}: {e}") from e
        self._connection = conn
        self._connected_to = conn.peer_address  # pairing may replace peer_address
        self._closing = False
        conn.on(conn.EVENT_DISCONNECTION, self._on_disconnection)
        self._peer = Peer(conn)
        try:
            if await self._bonded():
                await self._encrypt()
            if pair and not conn.is_encrypted:  # bonded and encrypted: nothing to pair
                await self.pair()
            await self._guard(self._peer.request_mtu(self._host.mtu_wanted), "MTU exchange")
            self.services = await self._discover()
        except BaseException:
            with contextlib.suppress(Exception):
                await self.disconnect()
            raise

    def _on_disconnection(self, reason: int) -> None:
        log.debug("%s disconnected (reason 0x%02X)", self.address, reason)
        self._subscribers.clear()
        if not self._closing and self._disconnected_callback is not None:
            self._disconnected_callback()

    async def disconnect(self) -> None:
        conn = self._connection
        if conn is None or not self.is_connected:
            return
        self._closing = True
        gone = asyncio.get_running_loop().create_future()
        conn.once(conn.EVENT_DISCONNECTION, lambda *_: gone.done() or gone.set_result(None))
        try:
            await conn.disconnect()
            await asyncio.wait_for(gone, 5.0)
        except (hci.HCI_Error, core.BaseBumbleError, TimeoutError):
            pass  # already gone

    async def _bonded(self) -> bool:
        ks = self._host.device.keystore
        address = self._connected_to
        if ks is None or address is None:
            return False
        return await ks.get(str(address)) is not None

    async def _encrypt(self) -> None:
        try:
            await self._guard(self._host.device.encrypt(self.connection), "encryption")
        except BleakError as e:
            log.warning("%s: could not encrypt with the stored bond: %s", self.address, e)
            return

    async def pair(self, *args: Any, **kwargs: Any) -> None:
        """Pair and bond with LE Secure Connections (Just Works; the pod has no display)."""
        conn = self.connection
        keys_seen: list[PairingKeys] = []
        conn.once(conn.EVENT_PAIRING, keys_seen.append)
        try:
            await self._guard(conn.pair(), "pairing")
        except BleakError as e:
            raise BleakPairingError(f"pairing with {self.address} failed: {e}") from e
        except (core.ProtocolError, hci.HCI_Error) as e:
            code = getattr(e, "error_code", None)
            raise BleakPairingError(f"pairing with {self.address} failed: {e}", code) from e
        if not conn.is_encrypted:
            raise BleakPairingError(f"pairing with {self.address}: link not encrypted")
        ks = self._host.device.keystore
        if keys_seen and ks is not None:
            # Bumble files the bond under the identity the peer sent (maybe its public
            # address); keep it also under the address we connect to, where
            # Device.encrypt looks on the next connection
            await ks.update(str(self._connected_to or conn.peer_address), keys_seen[0])

    async def unpair(self) -> None:
        """Forget the bond (both directions need to forget; this is the host side)."""
        ks = self._host.device.keystore
        address = self._connection.peer_address if self._connection else self._peer_address
        if ks is not None and address is not None:
            with contextlib.suppress(KeyError):
                await ks.delete(str(address))
        await self.disconnect()

    # -- error mapping
    async def _guard(self, aw: Awaitable[_T], operation: str) -> _T:
        """Await a Bumble operation; turn its failures into bleak errors."""
        try:
            return await aw
        except att.ATT_Error as e:
            handle = getattr(e.message, "attribute_handle_in_error", None) or e.att_handle
            raise BleakATTError(e.error_code, int(handle), operation) from e
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if task is not None and task.cancelling() == 0:  # the link dropped, not us
                raise BleakDisconnectedError(
                    f"{self.address}: disconnected during {operation}"
                ) from None
            raise
        except (core.TimeoutError, TimeoutError) as e:
            if not self.is_connected:
                raise BleakDisconnectedError(
                    f"{self.address}: disconnected during {operation}"
                ) from e
            raise BleakError(f"{self.address}: {operation} timed out") from e
        except hci.HCI_Error as e:
            raise BleakError(f"{self.address}: {operation}: {e}") from e
        except core.BaseBumbleError as e:
            if not self.is_connected:
                raise BleakDisconnectedError(
                    f"{self.address}: disconnected during {operation}"
                ) from e
            raise BleakError(f"{self.address}: {operation}: {e}") from e

    async def _secure(self, make: Callable[[], Coroutine[Any, Any, _T]], operation: str) -> _T:
        """Run an ATT operation; on Insufficient Authentication/Encryption with a bond,
        encrypt and retry once (what BlueZ does)."""
        if not self.is_connected:
            raise BleakError("Not connected")
        try:
            return await self._guard(make(), operation)
        except BleakATTError as e:
            if e.att_error_code not in (
                ATT_INSUFFICIENT_AUTHENTICATION,
                ATT_INSUFFICIENT_ENCRYPTION,
            ):
                raise
            if self.connection.is_encrypted or not await self._bonded():
                raise
            await self._encrypt()
            if not self.connection.is_encrypted:
                raise
            return await self._guard(make(), operation)

    # -- discovery
    async def _discover(self) -> BleakGATTServiceCollection:
        assert self._peer is not None
        peer = self._peer
        collection = BleakGATTServiceCollection()
        services = await self._guard(peer.discover_services(), "service discovery")
        for s in services:
            bs = BleakGATTService(s, s.handle, bleak_uuid(s.uuid))
            collection.add_service(bs)
            chars = await self._guard(
                peer.discover_characteristics(service=s), "characteristic discovery"
            )
            for c in chars:
                props: list[CharacteristicPropertyName] = [
                    n for bit, n in _PROPERTY_NAMES.items() if int(c.properties) & bit
                ]
                bc = BleakGATTCharacteristic(
                    c, c.handle, bleak_uuid(c.uuid), props, self._max_write_size, bs
                )
                collection.add_characteristic(bc)
                descriptors = await self._guard(
                    peer.discover_descriptors(characteristic=c), "descriptor discovery"
                )
                for d in descriptors:
                    collection.add_descriptor(
                        BleakGATTDescriptor(d, d.handle, bleak_uuid(d.type), bc)
                    )
        return collection

    def _max_write_size(self) -> int:
        return self.mtu_size - 3

    # -- I/O
    async def read_gatt_char(
        self, characteristic: BleakGATTCharacteristic, *, use_cached: bool = False, **kwargs: Any
    ) -> bytearray:
        if use_cached and self._connection is not None:
            cached = self._connection.gatt_client.cached_values.get(characteristic.handle)
            if cached is not None:
                return bytearray(cached[1])
        peer = self._peer
        assert peer is not None
        return bytearray(
            await self._secure(
                lambda: peer.read_value(characteristic.handle), f"read {characteristic.uuid}"
            )
        )

    async def read_gatt_descriptor(
        self, descriptor: BleakGATTDescriptor, *, use_cached: bool = False, **kwargs: Any
    ) -> bytearray:
        peer = self._peer
        assert peer is not None
        return bytearray(
            await self._secure(lambda: peer.read_value(descriptor.handle), "read descriptor")
        )

    async def write_gatt_char(
        self, characteristic: BleakGATTCharacteristic, data: SizedBuffer, response: bool
    ) -> None:
        peer = self._peer
        assert peer is not None
        value = bytes(data)
        await self._secure(
            lambda: peer.write_value(characteristic.handle, value, with_response=response),
            f"write {characteristic.uuid}",
        )

    async def write_gatt_descriptor(
        self, descriptor: BleakGATTDescriptor, data: SizedBuffer
    ) -> None:
        peer = self._peer
        assert peer is not None
        value = bytes(data)
        await self._secure(
            lambda: peer.write_value(descriptor.handle, value, with_response=True),
            "write descriptor",
        )

    async def start_notify(
        self, characteristic: BleakGATTCharacteristic, callback: NotifyCallback, **kwargs: Any
    ) -> None:
        """Subscribe; notifications are preferred over indications when both exist."""
        peer = self._peer
        assert peer is not None
        proxy: bgc.CharacteristicProxy[bytes] = characteristic.obj

        def subscriber(value: bytes) -> None:
            callback(bytearray(value))

        old = self._subscribers.pop(characteristic.handle, None)
        if old is not None:
            with contextlib.suppress(Exception):
                await peer.unsubscribe(proxy, old)
        self._subscribers[characteristic.handle] = subscriber
        prefer_notify = "notify" in characteristic.properties
        await self._secure(
            lambda: peer.subscribe(proxy, subscriber, prefer_notify=prefer_notify),
            f"subscribe {characteristic.uuid}",
        )

    async def stop_notify(self, characteristic: BleakGATTCharacteristic) -> None:
        peer = self._peer
        assert peer is not None
        proxy: bgc.CharacteristicProxy[bytes] = characteristic.obj
        subscriber = self._subscribers.pop(characteristic.handle, None)
        client = peer.gatt_client
        await self._secure(
            lambda: client.unsubscribe(proxy, subscriber, force=subscriber is None),
            f"unsubscribe {characteristic.uuid}",
        )


def _plain_color(s: str, *_args: Any, **_kw: Any) -> str:
    return s


def _type_name(packet: object) -> str:
    return type(packet).__name__


@contextlib.contextmanager
def lean_logging() -> Iterator[None]:
    """Skip Bumble's eager debug formatting of every HCI packet while DEBUG is off.

    Why: Bumble 0.0.236 logs each HCI packet with an f-string
    (`logger.debug(f"... {packet}")`), so every packet through the virtual
    controllers is formatted with ANSI colours and all its fields even when nobody
    logs: about 45 % of the CPU of a virtual-link sync. While the `bumble` logger is
    not enabled for DEBUG this swaps the `__str__` of HCI commands, events and ACL
    packets for the class name and the modules' `color` for a no-op; on exit, or
    when DEBUG is on from the start, Bumble is exactly as shipped. Nothing the stack
    sends or decides changes: only text nobody reads.
    """
    from bumble import controller as b_controller
    from bumble import host as b_host

    if logging.getLogger("bumble").isEnabledFor(logging.DEBUG):
        yield
        return
    classes = (hci.HCI_Command, hci.HCI_Event, hci.HCI_AclDataPacket)
    saved_str = [cls.__dict__.get("__str__") for cls in classes]
    modules = (b_controller, b_host)
    saved_color = [getattr(m, "color") for m in modules]  # noqa: B009 (not re-exported)
    for cls in classes:
        cls.__str__ = _type_name  # type: ignore[method-assign,assignment]
    for m in modules:
        setattr(m, "color", _plain_color)  # noqa: B010
    try:
        yield
    finally:
        for cls, old in zip(classes, saved_str, strict=True):
            if old is None:
                with contextlib.suppress(AttributeError):
                    del cls.__str__
            else:
                cls.__str__ = old  # type: ignore[method-assign]
        for m, old_color in zip(modules, saved_color, strict=True):
            setattr(m, "color", old_color)  # noqa: B010


@contextlib.asynccontextmanager
async def virtual_host(link: LocalLink, address: str = HOST_ADDRESS) -> AsyncIterator[BumbleHost]:
    """A BumbleHost on `link` for the duration of a block."""
    host = await BumbleHost.open_virtual(link, address)
    try:
        yield host
    finally:
        await host.close()


__all__ = [
    "BleakATTError",
    "BleakDisconnectedError",
    "BleakPairingError",
    "BumbleAdvertisement",
    "BumbleClient",
    "BumbleHost",
    "BumbleScanner",
    "appearance_of",
    "bleak_uuid",
    "lean_logging",
    "parse_advertisement",
    "virtual_host",
]
