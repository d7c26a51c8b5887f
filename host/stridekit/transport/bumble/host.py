"""The host's Bumble `Device` (virtual link or HCI transport) and bleak's scanner backend on it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from bleak.backends.scanner import AdvertisementData, AdvertisementDataCallback, BaseBleakScanner
from bumble import hci, pairing
from bumble.controller import Controller
from bumble.device import Advertisement, Device
from bumble.host import Host
from bumble.keys import JsonKeyStore, KeyStore, MemoryKeyStore
from bumble.link import LocalLink
from bumble.transport.common import AsyncPipeSink, Transport

from stridekit.transport.bumble.adverts import (
    BumbleAdvertisement,
    address_key,
    appearance_of,
    parse_advertisement,
)
from stridekit.transport.bumble.client import BumbleClient

log = logging.getLogger(__name__)

HOST_ADDRESS = "C0:57:12:1D:E0:01"  # random static (top bits 11)
MTU_WANTED = 247  # ATT_MTU the host asks for: 244-byte notifications, one LL packet with DLE


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
        key = address_key(ad.address)
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
