"""Which BLE stack the host talks through, chosen once per command: a link only.

* ``native`` (default on real hardware): bleak's own backend for the OS (BlueZ,
  CoreBluetooth, WinRT); `BleakScanner` / `BleakClient` without `backend=`.
* ``hci`` (`--hci usb:0`, `--hci serial:/dev/ttyACM0,1000000`): Bumble's whole BLE
  host stack on a controller reached through a Bumble transport, for a USB dongle
  without BlueZ (stridekit.transport.bumble).
* ``virtual`` (`--virtual`): built by the simulator's rig (stridekit.sim.rig), which
  puts virtual pods behind a BleStack of this kind; nothing here knows about them.

Commands use `open_stack(...)` and then only `stack.target(...)` /
`stack.scanner` / `stack.client`, so the code above this module never knows which
stack it runs on.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from bleak import BleakClient, BleakScanner
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData
from bleak.exc import BleakError
from bleak.uuids import normalize_uuid_16

from stridefw import syncproto as P
from stridekit.errors import StrideError

if TYPE_CHECKING:
    from stridekit.transport.bumble import BumbleHost

Kind = Literal["native", "hci", "virtual"]
BATTERY_LEVEL_UUID = normalize_uuid_16(0x2A19)


class NoBluetooth(StrideError, RuntimeError):
    """The chosen BLE stack could not be opened (no adapter, no dongle, no permission)."""


@dataclass
class PodTarget:
    """A pod to connect to: what bleak connects to, a folder name, and the backend.

    `clock` gives the Unix time to set on the pod at each connection (default: the
    host's `time.time`; the demo passes its simulated morning).
    """

    device: BLEDevice | str
    name: str
    backend: type[Any] | None = None
    pair: bool = False
    clock: Callable[[], float] | None = None


@dataclass
class FoundPod:
    """One StrideKit pod seen while scanning."""

    device: BLEDevice
    name: str
    address: str
    foot: int  # 0 left, 1 right, -1 unknown
    battery_pct: int | None  # None: not advertised (and not read)
    rssi: int | None

    @property
    def foot_name(self) -> str:
        return {0: "left", 1: "right"}.get(self.foot, "?")


@dataclass
class BleStack:
    """The open stack: bleak backend classes (None = bleak's native)."""

    kind: Kind
    scanner: type[Any] | None = None
    client: type[Any] | None = None
    host: BumbleHost | None = None  # hci, virtual
    notes: list[str] = field(default_factory=list[str])

    def describe(self) -> str:
        return {
            "native": "bleak's native backend",
            "hci": "Bumble on an HCI transport",
            "virtual": "Bumble virtual link with two virtual pods",
        }[self.kind]

    def target(self, pod: FoundPod, pair: bool = True) -> PodTarget:
        """What stridekit.sync connects to for this pod (folder name = its GAP name)."""
        return PodTarget(pod.device, pod.name, self.client, pair=pair)

    async def scan(
        self, seconds: float = 5.0, want: int = 0, read_battery: bool = True
    ) -> list[FoundPod]:
        """StrideKit pods advertising nearby, left first.

        Stops early once `want` pods were seen (0: scan the whole time). Foot and
        battery come from the scan response's manufacturer data when it arrives;
        otherwise foot from the name and, with read_battery, battery from the open
        Battery Level characteristic (a short connection).
        """
        seen: dict[str, tuple[BLEDevice, AdvertisementData]] = {}
        enough = asyncio.Event()

        def on_adv(d: BLEDevice, adv: AdvertisementData) -> None:
            if P.foot_from_name(adv.local_name) < 0 and not _manuf(adv):
                return
            seen[d.address] = (d, adv)
            if want and len(seen) >= want:
                enough.set()

        try:
            async with BleakScanner(on_adv, backend=self.scanner):
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(enough.wait(), seconds)
        except (BleakError, OSError) as e:  # no adapter, no BlueZ/D-Bus socket, no permission
            raise NoBluetooth(
                f"scanning failed ({self.describe()}): {e or type(e).__name__}; "
                "--hci usb:0 uses a USB dongle through Bumble, --virtual needs no hardware"
            ) from e
        pods: list[FoundPod] = []
        for d, adv in seen.values():
            foot, battery = P.foot_from_name(adv.local_name), None
            m = _manuf(adv)
            if m is not None:
                with contextlib.suppress(ValueError):
                    foot, pct = P.decode_manuf(m)
                    battery = None if pct > 100 else pct
            name = adv.local_name or d.name or d.address
            pods.append(FoundPod(d, name, d.address, foot, battery, adv.rssi))
        if read_battery:
            for p in pods:
                if p.battery_pct is None:
                    p.battery_pct = await self._read_battery(p.device)
        pods.sort(key=lambda p: (p.foot if p.foot >= 0 else 9, p.name))
        return pods

    async def _read_battery(self, device: BLEDevice) -> int | None:
        try:
            async with BleakClient(device, backend=self.client, timeout=10.0) as c:
                value = await c.read_gatt_char(BATTERY_LEVEL_UUID)
        except (BleakError, TimeoutError):
            return None
        return value[0] if value and value[0] <= 100 else None


def _manuf(adv: AdvertisementData) -> bytes | None:
    data = adv.manufacturer_data.get(P.MANUF_COMPANY)
    return data if data is not None and data[:2] == P.MANUF_MAGIC else None


@contextlib.asynccontextmanager
async def open_stack(hci: str | None = None) -> AsyncIterator[BleStack]:
    """The BLE stack for a command: `hci` if given, else bleak's native backend."""
    if hci:
        from stridekit.transport.bumble import BumbleHost

        try:
            host = await BumbleHost.open_hci(hci)
        except Exception as e:  # any transport failure: no such device, permission, ...
            raise NoBluetooth(f"cannot open HCI transport {hci!r}: {e}") from e
        try:
            yield BleStack("hci", host.scanner, host.client, host=host)
        finally:
            await host.close()
        return
    yield BleStack("native")
