"""RSC measurements reach only the centrals that subscribed to them.

NimBLE's gatts_notify sends whatever the CCCD says; the pod notifies RSC with
gatts_write(..., send_update=True), which NimBLE (ble_gatts_chr_updated) and the
Bumble shim send only to subscribers. A watch that connected without asking for
RSC must receive none: counted here at the ATT layer, below the client's own
subscriber filter.
"""

from __future__ import annotations

import asyncio
from typing import Any

from bumble import att
from bumble.link import LocalLink

from stridefw import syncproto as P
from stridekit.sim.pod import BlePods
from tests.ble.central import central, char, connect
from tests.conftest import sim


def _count_notifications(peer: Any, counts: dict[int, int]) -> None:
    client = peer.gatt_client
    seen = client.on_att_handle_value_notification

    def on_notification(pdu: att.ATT_Handle_Value_Notification) -> None:
        counts[pdu.attribute_handle] = counts.get(pdu.attribute_handle, 0) + 1
        seen(pdu)

    client.on_att_handle_value_notification = on_notification


def test_rsc_goes_to_the_subscribed_central_only() -> None:
    run = sim(duration_s=20.0, speed_m_s=3.0, cadence_spm=170.0)

    async def main() -> tuple[int, int, int]:
        link = LocalLink()
        async with BlePods(link, [run.feet[0]]) as pods:
            pods.paused = True  # the run starts once both centrals are there
            watch = await central(link, "C0:00:00:00:00:01")
            _c1, wpeer = await connect(watch, pods.addresses[0])
            pods[0].step()  # a main-loop turn with the clock stopped: advertises again
            other = await central(link, "C0:00:00:00:00:02")
            _c2, opeer = await connect(other, pods.addresses[0])
            to_watch: dict[int, int] = {}
            to_other: dict[int, int] = {}
            _count_notifications(wpeer, to_watch)
            _count_notifications(opeer, to_other)
            got: list[bytes] = []
            rsc = char(wpeer, P.RSC_MEASUREMENT)
            await rsc.subscribe(lambda v: got.append(bytes(v)))
            pods.paused = False
            await pods.run_for(15.0)
            await asyncio.sleep(0.05)
            return len(got), to_watch.get(rsc.handle, 0), to_other.get(rsc.handle, 0)

    received, to_watch, to_other = asyncio.run(main())
    assert received >= 10 and to_watch == received
    assert to_other == 0
