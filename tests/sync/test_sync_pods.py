"""Two virtual pods (firmware stridefw.ble on the Bumble `bluetooth` shim) and the host's
bleak-on-Bumble sync, all on one virtual link."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bleak import BleakClient, BleakScanner

from stridefw import syncproto as P
from stridekit.bench.ble import fill_session
from stridekit.sim.pod import BlePods
from stridekit.sim.podtime import PodTime
from stridekit.sim.rig import virtual_rig
from stridekit.sync import Destination, PodTarget, SyncStats, sync_pods
from stridekit.transport.bumble import appearance_of

BATTERY_LEVEL = "00002a19-0000-1000-8000-00805f9b34fb"


def test_two_pods_scan_and_sync_1mb_byte_identical(tmp_path: Path) -> None:
    sessions: list[tuple[int, bytes]] = []

    def fill(pods: BlePods, _: PodTime) -> None:
        sessions.extend([fill_session(pods[0], 1_000_000), fill_session(pods[1], 40_000)])

    async def body() -> None:
        # pod time frozen: the firmware answers BLE but samples nothing (faster)
        async with virtual_rig([None, None], air=False, before_host=fill, auto_start=False) as st:
            host, pods = st.host, st.pods
            assert host is not None
            left, right = sessions
            seen = await BleakScanner.discover(0.6, return_adv=True, backend=host.scanner)
            found: dict[int, tuple[str, int]] = {}
            # Bumble's virtual controller answers a scan request with the advertising
            # data again (not the scan response), so the manufacturer data (foot,
            # battery) never arrives here: foot from the name, battery over GATT.
            for d, adv in seen.values():
                foot = P.foot_from_name(adv.local_name)
                if foot < 0:
                    continue
                assert appearance_of(adv) == P.APPEARANCE_RUNNING_IN_SHOE
                async with BleakClient(d, backend=host.client) as c:
                    battery = (await c.read_gatt_char(BATTERY_LEVEL))[0]
                found[foot] = (d.address, battery)
            assert set(found) == {0, 1}
            assert all(0 <= b <= 100 for _, b in found.values())
            for p in pods.pods:
                p.app.pair_window()
            targets = [
                PodTarget(d, adv.local_name or d.address, host.client, pair=True)
                for d, adv in seen.values()
                if P.foot_from_name(adv.local_name) >= 0
            ]
            results = await sync_pods(targets, Destination(tmp_path))
            assert all(isinstance(r, SyncStats) for r in results), results
            by_foot = {P.foot_from_name(t.name): t.name for t in targets}
            for foot, (sid, data) in ((0, left), (1, right)):
                got = (tmp_path / by_foot[foot] / f"session-{sid:05d}.strd").read_bytes()
                assert got == data
            for p, (sid, data) in ((pods[0], left), (pods[1], right)):
                entries = p.app.store.ids
                assert sid in entries
                assert p.app.store._read_marker(sid, len(data)) == len(data)  # pyright: ignore[reportPrivateUsage]
                assert p.app.store.synced[sid] == len(data)

    asyncio.run(asyncio.wait_for(body(), 120))
