"""The bleak backend on Bumble against a plain Bumble GATT peripheral on the virtual link."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from bleak import BleakClient, BleakScanner
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.exc import BleakError
from bumble import core, hci
from bumble.device import Advertisement
from bumble.link import LocalLink
from hypothesis import given, settings
from hypothesis import strategies as st

from stridekit.transport.bumble import (
    BleakATTError,
    BleakDisconnectedError,
    BleakPairingError,
    BumbleHost,
    appearance_of,
    parse_advertisement,
)

from .peripheral import (
    APPEARANCE,
    COMPANY_ID,
    INDICATE_CHAR,
    NOTIFY_CHAR,
    READ_CHAR,
    SECRET_CHAR,
    SERVICE,
    WRITE_CHAR,
    Peripheral,
    start_peripheral,
)


def run(body: Callable[[LocalLink], Awaitable[None]]) -> None:
    async def main() -> None:
        await asyncio.wait_for(body(LocalLink()), 30)

    asyncio.run(main())


async def _setup(link: LocalLink, **kw: object) -> tuple[Peripheral, BumbleHost]:
    p = await start_peripheral(link, **kw)  # type: ignore[arg-type]
    host = await BumbleHost.open_virtual(link)
    return p, host


def test_scan_reports_name_uuids_manufacturer_appearance() -> None:
    async def body(link: LocalLink) -> None:
        await start_peripheral(link, "D0:11:22:33:44:01", "PeriOne")
        await start_peripheral(link, "D0:11:22:33:44:02", "PeriTwo")
        host = await BumbleHost.open_virtual(link)
        seen = await BleakScanner.discover(0.5, return_adv=True, backend=host.scanner)
        by_name = {adv.local_name: (d, adv) for d, adv in seen.values()}
        assert set(by_name) == {"PeriOne", "PeriTwo"}
        d, adv = by_name["PeriTwo"]
        assert d.address == "D0:11:22:33:44:02"
        assert adv.service_uuids == [SERVICE]
        assert adv.manufacturer_data == {COMPANY_ID: b"\x01L"}
        assert appearance_of(adv) == APPEARANCE
        # a service filter keeps only matching advertisers
        none = await BleakScanner.discover(
            0.5, service_uuids=["0000180d-0000-1000-8000-00805f9b34fb"], backend=host.scanner
        )
        assert none == []

    run(body)


def test_connect_discover_read_write_notify_indicate_disconnect() -> None:
    async def body(link: LocalLink) -> None:
        p, host = await _setup(link)
        dev = await BleakScanner.find_device_by_name("TestPeri", 5, backend=host.scanner)
        assert dev is not None
        dropped: list[BleakClient] = []
        client = BleakClient(dev, dropped.append, backend=host.client)
        await client.connect()
        assert client.is_connected
        assert client.mtu_size == 247
        svc = client.services.get_service(SERVICE)
        assert svc is not None
        assert {c.uuid for c in svc.characteristics} >= {READ_CHAR, WRITE_CHAR, NOTIFY_CHAR}
        wr = client.services.get_characteristic(WRITE_CHAR)
        assert wr is not None and wr.max_write_without_response_size == 244
        assert await client.read_gatt_char(READ_CHAR) == b"hello"
        await client.write_gatt_char(WRITE_CHAR, b"with", response=True)
        await client.write_gatt_char(WRITE_CHAR, b"without", response=False)
        got: list[tuple[str, bytes]] = []

        def on_n(ch: BleakGATTCharacteristic, data: bytearray) -> None:
            got.append((ch.uuid, bytes(data)))

        await client.start_notify(NOTIFY_CHAR, on_n)
        await client.start_notify(INDICATE_CHAR, on_n)
        for i in range(50):
            await p.notify(bytes([i]) * 200)
        await p.indicate(b"ind")
        await asyncio.sleep(0.05)
        assert [d for u, d in got if u == NOTIFY_CHAR] == [bytes([i]) * 200 for i in range(50)]
        assert (INDICATE_CHAR, b"ind") in got
        assert [w for w, _ in p.written] == [b"with", b"without"]
        await client.stop_notify(NOTIFY_CHAR)
        await p.notify(b"late")
        await asyncio.sleep(0.05)
        assert (NOTIFY_CHAR, b"late") not in got
        # a disconnect we asked for does not call the callback; one from the peer does
        await client.disconnect()
        assert not client.is_connected and dropped == []
        await client.connect()
        await p.drop_link()
        await asyncio.sleep(0.05)
        assert not client.is_connected and dropped == [client]
        with pytest.raises(BleakError):
            await client.read_gatt_char(READ_CHAR)

    run(body)


@pytest.mark.parametrize("peer_identity_random", [True, False])
def test_encrypted_char_needs_pairing_then_bond_reencrypts(peer_identity_random: bool) -> None:
    async def body(link: LocalLink) -> None:
        _, host = await _setup(link, identity_random=peer_identity_random)
        dev = await BleakScanner.find_device_by_name("TestPeri", 5, backend=host.scanner)
        assert dev is not None
        async with BleakClient(dev, backend=host.client) as client:
            with pytest.raises(BleakATTError) as e:
                await client.read_gatt_char(SECRET_CHAR)
            assert e.value.att_error_code == 0x0F  # Insufficient Encryption
            assert "0x0F" in str(e.value)
            await client.pair()
            assert await client.read_gatt_char(SECRET_CHAR) == b"secret"
        # next connection: the stored bond encrypts the link without pairing again
        async with BleakClient(dev, backend=host.client) as client:
            assert await client.read_gatt_char(SECRET_CHAR) == b"secret"
            await client.write_gatt_char(SECRET_CHAR, b"x", response=True)

    run(body)


def test_pairing_refused_is_a_bleak_error() -> None:
    async def body(link: LocalLink) -> None:
        p, host = await _setup(link)
        p.allow_pairing = False
        dev = await BleakScanner.find_device_by_name("TestPeri", 5, backend=host.scanner)
        assert dev is not None
        async with BleakClient(dev, backend=host.client) as client:
            with pytest.raises(BleakPairingError):
                await client.pair()
            with pytest.raises(BleakATTError) as e:
                await client.read_gatt_char(SECRET_CHAR)
            assert e.value.att_error_code in (0x05, 0x0F)

    run(body)


def test_link_lost_mid_request_is_a_disconnect_error() -> None:
    async def body(link: LocalLink) -> None:
        p, host = await _setup(link)
        dev = await BleakScanner.find_device_by_name("TestPeri", 5, backend=host.scanner)
        assert dev is not None
        client = BleakClient(dev, backend=host.client)
        await client.connect()
        read = asyncio.ensure_future(client.read_gatt_char(READ_CHAR))
        await p.drop_link()
        with pytest.raises(BleakDisconnectedError):
            for _ in range(100):  # the read may complete before the link drops
                await read
                read = asyncio.ensure_future(client.read_gatt_char(READ_CHAR))
                await asyncio.sleep(0)
        assert not client.is_connected

    run(body)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=62))
def test_garbled_advertising_data_never_crashes(data: bytes) -> None:
    ad = Advertisement(address=hci.Address("D0:11:22:33:44:55"), data_bytes=b"")
    ad.data = core.AdvertisingData()
    try:
        ad.data = core.AdvertisingData.from_bytes(data)
    except (ValueError, KeyError):
        return  # Bumble itself refuses the bytes before we see them
    adv, details = parse_advertisement(ad)
    assert isinstance(adv.manufacturer_data, dict)
    assert details.address == ad.address
