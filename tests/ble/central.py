"""A plain Bumble central on the pods' LocalLink (no bleak): the tests' client."""

from __future__ import annotations

import asyncio
from typing import Any, cast

from bumble.core import UUID
from bumble.device import Connection, Device, Peer
from bumble.pairing import PairingConfig

from stridefw import syncproto as P
from stridekit.sim.shims.bluetooth import new_device


async def central(link: Any, address: str = "C0:00:00:00:00:01") -> Device:
    dev = new_device(link, address, "host")
    await dev.power_on()
    dev.pairing_config_factory = lambda _c: PairingConfig(sc=True, mitm=False, bonding=True)
    return dev


async def connect(dev: Device, address: str) -> tuple[Connection, Peer]:
    conn = await dev.connect(address)
    peer: Peer = Peer(conn)
    await peer.request_mtu(247)
    await peer.discover_services()
    for s in peer.services:
        await s.discover_characteristics()
    return conn, peer


def char(peer: Peer, uuid: int | str) -> Any:
    u = UUID.from_16_bits(uuid) if isinstance(uuid, int) else UUID(uuid)
    return peer.get_characteristics_by_uuid(u)[0]


class Control:
    """Control point + data channel of one bonded connection."""

    def __init__(self, peer: Peer) -> None:
        self.cp = char(peer, P.CONTROL_UUID)
        self.data = char(peer, P.DATA_UUID)
        self.responses: asyncio.Queue[bytes] = asyncio.Queue()
        self.chunks: list[bytes] = []
        self.rid = 0

    async def start(self) -> None:
        await self.cp.subscribe(lambda v: self.responses.put_nowait(bytes(v)), prefer_notify=False)
        await self.data.subscribe(lambda v: self.chunks.append(bytes(v)))

    async def request(self, op: int, *args: int) -> tuple[int, int, int, bytes]:
        self.rid = (self.rid + 1) & 0xFF
        await self.cp.write_value(P.encode_request(op, self.rid, *args), with_response=True)
        return P.decode_response(await asyncio.wait_for(self.responses.get(), 30))

    async def read_session(self, sid: int, credits_per_grant: int = 8) -> bytes:
        """READ from 0 with credit top-ups; returns the bytes (checks DONE's CRC)."""
        import binascii

        self.chunks.clear()
        op, _rid, status, payload = await self.request(P.OP_READ, sid, 0, credits_per_grant)
        assert (op, status) == (P.OP_READ, P.ST_OK)
        (end,) = cast("tuple[int]", P.decode_ok(P.OP_READ, payload))
        out = bytearray()
        done: tuple[int, ...] | None = None
        while done is None:
            try:
                r = await asyncio.wait_for(self.responses.get(), 0.05)
                op, _rid, status, payload = P.decode_response(r)
                assert (op, status) == (P.OP_DONE, P.ST_OK)
                done = cast("tuple[int, ...]", P.decode_ok(P.OP_DONE, payload))
            except TimeoutError:
                self.rid = (self.rid + 1) & 0xFF
                await self.cp.write_value(
                    P.encode_request(P.OP_CREDIT, self.rid, credits_per_grant), with_response=False
                )
        await asyncio.sleep(0.01)
        for c in self.chunks:
            s, off, b = P.decode_data(c)
            assert s == sid and off == len(out), (off, len(out))
            out += b
        assert len(out) == end and done[1] == end
        assert done[2] == binascii.crc32(bytes(out)) & 0xFFFFFFFF
        return bytes(out)
