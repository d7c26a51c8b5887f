"""bleak's client backend on a BumbleHost: connect, pair, GATT reads, writes and notifications.

Errors come back as bleak's `BleakError`; an ATT error response is a `BleakATTError`
whose `att_error_code` is the code from the Core specification. Like BlueZ, a read or
write that fails for lack of encryption on a bonded peer encrypts the link and
retries once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from bleak.args import SizedBuffer
from bleak.assigned_numbers import CharacteristicPropertyName
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.client import BaseBleakClient, NotifyCallback
from bleak.backends.descriptor import BleakGATTDescriptor
from bleak.backends.device import BLEDevice
from bleak.backends.service import BleakGATTService, BleakGATTServiceCollection
from bleak.exc import PROTOCOL_ERROR_CODES, BleakError
from bumble import att, core, hci
from bumble import gatt_client as bgc
from bumble.device import Connection, Peer
from bumble.keys import PairingKeys

from stridekit.transport.bumble.adverts import BumbleAdvertisement, bleak_uuid

if TYPE_CHECKING:
    from stridekit.transport.bumble.host import BumbleHost

log = logging.getLogger(__name__)

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
