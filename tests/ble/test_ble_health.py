"""Battery Level notifications and an unknown battery; control-point overflow is never silent."""

from __future__ import annotations

import asyncio
from typing import Any

from bumble.link import LocalLink

from stridefw import syncproto as P
from stridekit.sim.pod import BlePods
from tests.ble.central import Control, central, char, connect


def test_battery_level_notifies_subscribers_on_change_and_unknown_is_no_value() -> None:
    async def main() -> tuple[bytes, list[bytes], bytes, int]:
        link = LocalLink()
        async with BlePods(link, [None]) as pods:
            pod = pods[0]
            host = await central(link)
            _conn, peer = await connect(host, pods.addresses[0])
            batt = char(peer, P.BATTERY_LEVEL)
            first = bytes(await batt.read_value())
            got: list[bytes] = []
            await batt.subscribe(lambda v: got.append(bytes(v)))
            pod.sensors.battery_mv = 3600  # 64 % -> 10 %
            await pods.run_for(61.0)  # the App reads the battery once a minute
            await asyncio.sleep(0.05)
            pod.sensors.battery_mv = 0  # the sense divider reads nothing: unknown
            await pods.run_for(61.0)
            await asyncio.sleep(0.05)
            unknown = bytes(await batt.read_value())
            return first, got, unknown, len(pod.app.ble.conns)  # type: ignore[union-attr]

    first, got, unknown, _n = asyncio.run(main())
    assert first == bytes((64,))
    assert got == [bytes((10,))]  # once on the change; nothing for "unknown"
    assert unknown == b""  # no value rather than a fake 0 %


def test_a_flood_of_control_point_writes_is_answered_busy_or_counted_never_silently_lost() -> None:
    n_writes = 2000

    async def main() -> dict[str, Any]:
        link = LocalLink()
        async with BlePods(link, [None]) as pods:
            ble = pods[0].app.ble
            assert ble is not None
            host = await central(link)
            conn, peer = await connect(host, pods.addresses[0])
            pods[0].app.pair_window()
            await conn.pair()
            ctl = Control(peer)
            await ctl.start()
            for i in range(n_writes):
                await ctl.cp.write_value(
                    P.encode_request(P.OP_LIVE, i & 0xFF, 0), with_response=False
                )
            statuses: dict[int, int] = {}
            answered = 0  # requests an answer accounts for
            while answered + ble.dropped_requests < n_writes:
                r = P.decode_response(await asyncio.wait_for(ctl.responses.get(), 30))
                n = int.from_bytes(r[3], "little") if r[2] == P.ST_BUSY else 1
                statuses[r[2]] = statuses.get(r[2], 0) + n
                answered += n
            status = dict(pods[0].app.health())
            return {
                "statuses": statuses,
                "dropped": ble.dropped_requests,
                "busy": ble.busy_requests,
                "status": status,
            }

    r = asyncio.run(main())
    st = r["statuses"]
    print(
        f"\n{n_writes} control-point writes without response: {st.get(P.ST_OK, 0)} answered OK, "
        f"{st.get(P.ST_BUSY, 0)} refused BUSY, {r['dropped']} lost"
    )
    assert set(st) <= {P.ST_OK, P.ST_BUSY}
    assert st.get(P.ST_BUSY, 0) == r["busy"] > 0  # the flood overran the queue, and said so
    assert r["dropped"] == 0 and st.get(P.ST_OK, 0) + r["busy"] == n_writes
    assert r["status"]["ble_busy"] == r["busy"] and r["status"]["ble_dropped"] == r["dropped"]


def test_a_central_at_work_keeps_the_pod_out_of_deep_sleep() -> None:
    from stridefw.app import IDLE_SLEEP_MS

    async def main() -> tuple[bool, int, bool]:
        link = LocalLink()
        async with BlePods(link, [None]) as pods:
            pod = pods[0]
            host = await central(link)
            conn, peer = await connect(host, pods.addresses[0])
            pod.app.pair_window()
            await conn.pair()
            ctl = Control(peer)
            await ctl.start()
            for _ in range(IDLE_SLEEP_MS // 60_000 + 2):  # a LIST a minute, no steps
                assert (await ctl.request(P.OP_LIST))[2] == P.ST_OK
                await pods.run_for(60.0)
            awake = pod.app.running
            await conn.disconnect()
            await pods.run_for(IDLE_SLEEP_MS / 1000 + 5)  # nobody: it sleeps as designed
            return awake, pod.slept, pod.app.running

    awake, slept, running = asyncio.run(main())
    assert awake and slept == 1 and not running
