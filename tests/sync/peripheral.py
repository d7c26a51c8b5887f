"""A plain Bumble GATT peripheral on the virtual link: the far end for the backend tests.

Not a mock: a full Bumble `Device` with its own controller on the same LocalLink as
the host, advertising and serving GATT through the real HCI/L2CAP/ATT/SMP layers.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from bumble import core, gatt, hci, pairing
from bumble.controller import Controller
from bumble.device import Connection, Device
from bumble.host import Host
from bumble.keys import MemoryKeyStore
from bumble.link import LocalLink
from bumble.transport.common import AsyncPipeSink

SERVICE = "5354524b-0000-4000-8000-00000000aa00"
READ_CHAR = "5354524b-0000-4000-8000-00000000aa01"
WRITE_CHAR = "5354524b-0000-4000-8000-00000000aa02"
NOTIFY_CHAR = "5354524b-0000-4000-8000-00000000aa03"
INDICATE_CHAR = "5354524b-0000-4000-8000-00000000aa04"
SECRET_CHAR = "5354524b-0000-4000-8000-00000000aa05"
COMPANY_ID = 0xFFFF  # reserved for tests by the SIG
APPEARANCE = 0x0441


@dataclass
class Peripheral:
    device: Device
    notify_char: gatt.Characteristic[bytes]
    indicate_char: gatt.Characteristic[bytes]
    written: list[tuple[bytes, bool]] = field(default_factory=list[tuple[bytes, bool]])
    connections: list[Connection] = field(default_factory=list[Connection])
    allow_pairing: bool = True

    async def notify(self, value: bytes) -> None:
        await self.device.notify_subscribers(self.notify_char, value, force=True)

    async def indicate(self, value: bytes) -> None:
        await self.device.indicate_subscribers(self.indicate_char, value, force=True)

    async def drop_link(self) -> None:
        for c in list(self.device.connections.values()):
            await c.disconnect()


async def start_peripheral(
    link: LocalLink,
    address: str = "D0:11:22:33:44:01",
    name: str = "TestPeri",
    identity_random: bool = True,
) -> Peripheral:
    """Advertise and serve; `identity_random=False` bonds under Bumble's default
    (public) identity address instead of the address the host connects to."""
    controller = Controller(f"{name}-ctl", link=link, public_address=address)
    device = Device(
        name=name, address=hci.Address(address), host=Host(controller, AsyncPipeSink(controller))
    )
    device.keystore = MemoryKeyStore()
    written: list[tuple[bytes, bool]] = []

    def on_write(_conn: Connection | None, value: bytes) -> None:
        written.append((bytes(value), True))

    read_char = gatt.Characteristic[bytes](
        READ_CHAR, gatt.Characteristic.Properties.READ, gatt.Characteristic.READABLE, b"hello"
    )
    write_char = gatt.Characteristic[bytes](
        WRITE_CHAR,
        gatt.Characteristic.Properties.WRITE
        | gatt.Characteristic.Properties.WRITE_WITHOUT_RESPONSE,
        gatt.Characteristic.WRITEABLE,
        gatt.CharacteristicValue(write=on_write),
    )
    notify_char = gatt.Characteristic[bytes](
        NOTIFY_CHAR,
        gatt.Characteristic.Properties.NOTIFY | gatt.Characteristic.Properties.READ,
        gatt.Characteristic.READABLE,
        b"",
    )
    indicate_char = gatt.Characteristic[bytes](
        INDICATE_CHAR,
        gatt.Characteristic.Properties.INDICATE,
        gatt.Characteristic.READABLE,
        b"",
    )
    secret_char = gatt.Characteristic[bytes](
        SECRET_CHAR,
        gatt.Characteristic.Properties.READ | gatt.Characteristic.Properties.WRITE,
        gatt.Characteristic.Permissions.READ_REQUIRES_ENCRYPTION
        | gatt.Characteristic.Permissions.WRITE_REQUIRES_ENCRYPTION,
        b"secret",
    )
    device.add_service(
        gatt.Service(SERVICE, [read_char, write_char, notify_char, indicate_char, secret_char])
    )
    p = Peripheral(device, notify_char, indicate_char, written)

    def pairing_config(_conn: Connection) -> pairing.PairingConfig:
        return pairing.PairingConfig(
            sc=True,
            mitm=False,
            bonding=True,
            identity_address_type=pairing.PairingConfig.AddressType.RANDOM
            if identity_random
            else None,
            delegate=_Delegate(p),
        )

    device.pairing_config_factory = pairing_config
    device.on(device.EVENT_CONNECTION, p.connections.append)
    await device.power_on()
    device.advertising_data = bytes(
        core.AdvertisingData(
            [
                (core.AdvertisingData.FLAGS, bytes([0x06])),
                (core.AdvertisingData.COMPLETE_LOCAL_NAME, name.encode()),
                (
                    core.AdvertisingData.COMPLETE_LIST_OF_128_BIT_SERVICE_CLASS_UUIDS,
                    core.UUID(SERVICE).to_bytes(),
                ),
                (core.AdvertisingData.APPEARANCE, APPEARANCE.to_bytes(2, "little")),
                (
                    core.AdvertisingData.MANUFACTURER_SPECIFIC_DATA,
                    COMPANY_ID.to_bytes(2, "little") + b"\x01L",
                ),
            ]
        )
    )
    await device.start_advertising(
        auto_restart=True, advertising_interval_min=20.0, advertising_interval_max=20.0
    )
    return p


class _Delegate(pairing.PairingDelegate):
    def __init__(self, p: Peripheral) -> None:
        super().__init__(io_capability=pairing.PairingDelegate.IoCapability.NO_OUTPUT_NO_INPUT)
        self.p = p

    async def accept(self) -> bool:
        return self.p.allow_pairing

    async def confirm(self, auto: bool = False) -> bool:
        return self.p.allow_pairing


async def settle() -> None:
    await asyncio.sleep(0)
