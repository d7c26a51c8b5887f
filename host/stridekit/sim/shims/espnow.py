"""Stand-in for MicroPython's `espnow` module: an in-process radio between virtual pods.

Why: stridefw.pairing uses the real ESPNow call surface (`active()`,
`add_peer(mac)`, `send(mac, msg, sync)`, `irecv(timeout_ms)` returning
`(mac, msg)` or `(None, None)`); two virtual pods in one process share an `Air`
that carries each message to its addressee (or to everyone for the broadcast
address), with optional loss. Limits as on the device: messages of at most 250
bytes, sending needs a registered peer.
"""

from __future__ import annotations

import random
from collections import deque

MAX_DATA_LEN = 250
BROADCAST = b"\xff" * 6


class ESPNowError(OSError):
    """The device raises OSError with an ESP-IDF error name as its message."""


class Air:
    """The shared medium: registered radios by MAC address."""

    def __init__(self, loss: float = 0.0, seed: int = 0) -> None:
        self.nodes: dict[bytes, ESPNow] = {}
        self.loss = loss
        self._rng = random.Random(seed)
        self.delivered = 0
        self.lost = 0

    def carry(self, src: bytes, dst: bytes, msg: bytes) -> None:
        for mac, node in self.nodes.items():
            if mac == src or not node.is_active:
                continue
            if dst != BROADCAST and mac != dst:
                continue
            if self.loss and self._rng.random() < self.loss:
                self.lost += 1
                continue
            node.queue.append((src, msg))
            self.delivered += 1


class ESPNow:
    """One pod's ESP-NOW interface."""

    def __init__(self, air: Air, mac: bytes) -> None:
        if len(mac) != 6:
            raise ValueError("MAC address must be 6 bytes")
        self.air = air
        self.mac = mac
        self.peers: set[bytes] = set()
        self.queue: deque[tuple[bytes, bytes]] = deque(maxlen=32)  # the driver's rx buffer
        self.is_active = False
        self._buf = [bytearray(6), bytearray(MAX_DATA_LEN)]
        air.nodes[mac] = self

    def active(self, flag: bool | None = None) -> bool:
        if flag is not None:
            self.is_active = bool(flag)
        return self.is_active

    def add_peer(self, mac: bytes, *args: object, **kwargs: object) -> None:
        if mac in self.peers:
            raise ESPNowError("ESP_ERR_ESPNOW_EXIST")
        self.peers.add(bytes(mac))

    def del_peer(self, mac: bytes) -> None:
        self.peers.discard(bytes(mac))

    def send(self, mac: bytes, msg: bytes | bytearray | memoryview, sync: bool = True) -> bool:
        if not self.is_active:
            raise ESPNowError("ESP_ERR_ESPNOW_NOT_INIT")
        if bytes(mac) not in self.peers:
            raise ESPNowError("ESP_ERR_ESPNOW_NOT_FOUND")
        data = bytes(msg)
        if len(data) > MAX_DATA_LEN:
            raise ValueError("ESP_ERR_ESPNOW_ARG")
        self.air.carry(self.mac, bytes(mac), data)
        return True

    def any(self) -> bool:
        return bool(self.queue)

    def irecv(self, timeout_ms: int | None = None) -> tuple[bytes | None, bytearray | None]:
        """(mac, msg) reusing internal buffers, or (None, None); never waits here."""
        if not self.queue:
            return None, None
        mac, msg = self.queue.popleft()
        self._buf[1] = bytearray(msg)
        return mac, self._buf[1]
