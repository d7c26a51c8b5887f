"""Bumble advertisements as bleak shows them: AdvertisementData, UUID spelling, addresses."""

from __future__ import annotations

import logging
import struct
import uuid as std_uuid
from dataclasses import dataclass
from typing import Any

from bleak.backends.scanner import AdvertisementData
from bumble import core, hci
from bumble.device import Advertisement

log = logging.getLogger(__name__)

log = logging.getLogger(__name__)


def bleak_uuid(u: core.UUID) -> str:
    """A Bumble UUID as bleak writes UUIDs: 128-bit, lower case, dashed."""
    return str(std_uuid.UUID(bytes=bytes(reversed(u.uuid_128_bytes))))


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


def address_key(address: hci.Address) -> str:
    """The address as bleak shows it: 'AA:BB:CC:DD:EE:FF' without Bumble's type suffix."""
    return address.to_string(False)
