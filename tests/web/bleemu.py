"""Bridge Chromium's Web Bluetooth emulation to virtual pods on a Bumble LocalLink.

The page uses the real Web Bluetooth API. Chromium's CDP `BluetoothEmulation` domain
(on the browser-level session) simulates the peripherals; this bridge mirrors each
virtual pod's real GATT database (discovered over the link) into the emulation and
answers every emulated GATT operation by doing it on the pod through bleak's API on
the Bumble backend (stridekit.transport.bumble): connection, discovery, reads,
writes, subscriptions. The pods run the firmware's stridefw.ble on the Bumble
`bluetooth` shim (stridekit.sim.pod.BlePods), so the page talks to our GATT server.

One thin stand-in: the emulation (Chromium 150) has no command for a peripheral-sent
notification or indication (only responses to the page's own operations), so
notifications and indications the pod sends are handed to the page's notification
handler (`strideKit.deliver`, the same function the `characteristicvaluechanged`
listener calls), in order, per pod. Pairing is done by the bridge's bleak client
(the emulation has no pairing either; on a phone the OS pairs on the first
Insufficient Authentication).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bleak import BleakClient
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.device import BLEDevice
from playwright.async_api import CDPSession, Page

from stridefw import syncproto as P

PROPS = {
    "read": "read",
    "write": "write",
    "write-without-response": "writeWithoutResponse",
    "notify": "notify",
    "indicate": "indicate",
}


@dataclass
class EmuPod:
    """One virtual pod as the browser sees it."""

    name: str
    device: BLEDevice
    address: str  # emulated address
    backend: Any
    client: BleakClient | None = None
    chars: dict[str, BleakGATTCharacteristic] = field(default_factory=dict)  # emu id -> char
    up: bool = False
    ops: asyncio.Queue[Callable[[], Awaitable[None]]] = field(default_factory=asyncio.Queue)
    out: asyncio.Queue[tuple[str, bytes]] = field(default_factory=asyncio.Queue)
    delivered: dict[str, int] = field(default_factory=dict)
    subscribed: set[str] = field(default_factory=set)
    values: dict[str, list[bytes]] = field(default_factory=dict)  # what reached the page


class BleBridge:
    """Answers `BluetoothEmulation` events with operations on the virtual pods."""

    def __init__(self, browser_cdp: CDPSession, page: Page) -> None:
        self.cdp = browser_cdp
        self.page = page
        self.pods: list[EmuPod] = []
        self.by_addr: dict[str, EmuPod] = {}
        self.by_char: dict[str, EmuPod] = {}
        self.tasks: list[asyncio.Task[None]] = []
        self.errors: list[str] = []
        self.log: list[str] = []  # emulated operations, for failure messages
        self.on_data: Callable[[EmuPod, bytes], None] | None = None  # test hook (counts)
        browser_cdp.on("BluetoothEmulation.gattOperationReceived", self._gatt_op)
        browser_cdp.on("BluetoothEmulation.characteristicOperationReceived", self._char_op)

    async def start(self) -> None:
        await self.cdp.send(
            "BluetoothEmulation.enable", {"state": "powered-on", "leSupported": True}
        )

    async def add_pod(self, name: str, device: BLEDevice, backend: Any, index: int) -> EmuPod:
        """Connect and pair over the link, mirror the pod's GATT database into the emulation."""
        pod = EmuPod(name, device, f"5D:1D:00:00:00:{index:02X}", backend)
        await self._connect(pod)
        assert pod.client is not None
        await self.cdp.send(
            "BluetoothEmulation.simulatePreconnectedPeripheral",
            {
                "address": pod.address,
                "name": name,
                "manufacturerData": [],
                "knownServiceUuids": [P.SERVICE_UUID, _uuid16(P.RSC_SERVICE)],
            },
        )
        await self._mirror(pod)
        self.pods.append(pod)
        self.by_addr[pod.address] = pod
        self.tasks.append(asyncio.create_task(self._run_ops(pod)))
        self.tasks.append(asyncio.create_task(self._run_out(pod)))
        return pod

    async def _mirror(self, pod: EmuPod) -> None:
        """The pod's services and characteristics (and CCCDs) into the emulation."""
        assert pod.client is not None
        for cid in pod.chars:
            self.by_char.pop(cid, None)
        pod.chars.clear()
        for svc in pod.client.services:
            r = await self.cdp.send(
                "BluetoothEmulation.addService", {"address": pod.address, "serviceUuid": svc.uuid}
            )
            for ch in svc.characteristics:
                props = {PROPS[p]: True for p in ch.properties if p in PROPS}
                c = await self.cdp.send(
                    "BluetoothEmulation.addCharacteristic",
                    {
                        "serviceId": r["serviceId"],
                        "characteristicUuid": ch.uuid,
                        "properties": props,
                    },
                )
                pod.chars[c["characteristicId"]] = ch
                if "notify" in ch.properties or "indicate" in ch.properties:
                    # Chromium refuses startNotifications without a CCCD (0x2902)
                    await self.cdp.send(
                        "BluetoothEmulation.addDescriptor",
                        {
                            "characteristicId": c["characteristicId"],
                            "descriptorUuid": _uuid16(0x2902),
                        },
                    )
                self.by_char[c["characteristicId"]] = pod

    async def _connect(self, pod: EmuPod) -> None:
        pod.client = BleakClient(pod.device, backend=pod.backend, timeout=10.0, pair=True)
        await pod.client.connect()
        pod.subscribed.clear()
        pod.up = True

    async def drop(self, pod: EmuPod) -> None:
        """A forced disconnect: the browser and the pod both lose the link."""
        pod.up = False
        while not pod.out.empty():  # nothing arrives over a dead link
            pod.out.get_nowait()
        await self.cdp.send(
            "BluetoothEmulation.simulateGATTDisconnection", {"address": pod.address}
        )
        if pod.client is not None:
            with contextlib.suppress(Exception):
                await pod.client.disconnect()

    async def close(self) -> None:
        for t in self.tasks:
            t.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        for pod in self.pods:
            if pod.client is not None:
                with contextlib.suppress(Exception):
                    await pod.client.disconnect()

    # -------------------------------------------------------------- events
    def _gatt_op(self, ev: dict[str, Any]) -> None:
        self.log.append(f"gatt {ev['type']} {ev['address']}")
        pod = self.by_addr.get(ev["address"])
        if pod is None:
            return

        async def answer() -> None:
            if ev["type"] == "connection" and not (pod.client and pod.client.is_connected):
                await self._connect(pod)
                # a simulated disconnection drops the peripheral's services in
                # Chromium, as a real stack forgets them: discover them again
                await self._mirror(pod)
            pod.up = True
            await self.cdp.send(
                "BluetoothEmulation.simulateGATTOperationResponse",
                {"address": pod.address, "type": ev["type"], "code": 0},
            )

        pod.ops.put_nowait(answer)

    def _char_op(self, ev: dict[str, Any]) -> None:
        self.log.append(f"char {ev['type']} {ev['characteristicId']}")
        pod = self.by_char.get(ev["characteristicId"])
        if pod is None:
            return
        cid, kind = ev["characteristicId"], ev["type"]
        ch = pod.chars[cid]

        async def answer() -> None:
            client = pod.client
            assert client is not None
            code, data = 0, None
            try:
                if kind == "read":
                    data = bytes(await client.read_gatt_char(ch.uuid))
                elif kind == "write":
                    with_resp = ev.get("writeType") != "write-without-response"
                    await client.write_gatt_char(
                        ch.uuid, base64.b64decode(ev.get("data", "")), response=with_resp
                    )
                    if not with_resp:
                        return  # the browser did not wait for an answer
                elif kind == "subscribe-to-notifications":
                    if ch.uuid not in pod.subscribed:
                        await client.start_notify(ch.uuid, self._notifier(pod, ch.uuid))
                        pod.subscribed.add(ch.uuid)
                elif kind == "unsubscribe-from-notifications" and ch.uuid in pod.subscribed:
                    await client.stop_notify(ch.uuid)
                    pod.subscribed.discard(ch.uuid)
            except Exception as e:  # an ATT error from the pod: the page sees a failure
                self.errors.append(f"{pod.name} {kind} {ch.uuid}: {e}")
                code = 0x0E  # unlikely error
            args: dict[str, Any] = {"characteristicId": cid, "type": kind, "code": code}
            if data is not None:
                args["data"] = base64.b64encode(data).decode()
            await self.cdp.send("BluetoothEmulation.simulateCharacteristicOperationResponse", args)

        pod.ops.put_nowait(answer)

    def _notifier(
        self, pod: EmuPod, uuid: str
    ) -> Callable[[BleakGATTCharacteristic, bytearray], None]:
        def cb(_c: BleakGATTCharacteristic, value: bytearray) -> None:
            if pod.up:
                pod.out.put_nowait((uuid, bytes(value)))

        return cb

    async def _run_ops(self, pod: EmuPod) -> None:
        while True:  # one at a time, in the order the browser issued them
            op = await pod.ops.get()
            try:
                await op()
            except Exception as e:
                self.errors.append(f"{pod.name}: {e!r}")

    async def _run_out(self, pod: EmuPod) -> None:
        while True:  # in the order the pod sent them
            uuid, value = await pod.out.get()
            if not pod.up:
                continue
            if uuid == P.DATA_UUID and self.on_data is not None:
                self.on_data(pod, value)
            pod.delivered[uuid] = pod.delivered.get(uuid, 0) + 1
            pod.values.setdefault(uuid, []).append(value)
            try:
                await self.page.evaluate(
                    "([n, u, b]) => window.strideKit.deliver(n, u, b)",
                    [pod.name, uuid, list(value)],
                )
            except Exception as e:
                self.errors.append(f"deliver to page: {e!r}")


def _uuid16(n: int) -> str:
    return f"0000{n:04x}-0000-1000-8000-00805f9b34fb"


async def answer_chooser(page_cdp: CDPSession, want: list[str], log: list[str]) -> None:
    """Select the next wanted pod (name or address) in the Web Bluetooth chooser, once per prompt."""
    done: set[str] = set()
    pending: list[asyncio.Future[Any]] = []
    await page_cdp.send("DeviceAccess.enable")

    def prompted(ev: dict[str, Any]) -> None:
        log.append(f"prompt {ev['id']} {[(d['id'], d['name']) for d in ev['devices']]}")
        if ev["id"] in done:  # Chromium can report one prompt twice
            return
        for d in ev["devices"]:
            # Chromium 150 lists preconnected peripherals by address, with no name
            if want and want[0] in (d["name"], d["id"]):
                done.add(ev["id"])
                want.pop(0)
                pending.append(
                    asyncio.ensure_future(
                        page_cdp.send(
                            "DeviceAccess.selectPrompt", {"id": ev["id"], "deviceId": d["id"]}
                        )
                    )
                )
                return

    page_cdp.on("DeviceAccess.deviceRequestPrompted", prompted)
