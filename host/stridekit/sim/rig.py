"""The one virtual BLE rig: virtual pods and a host on one Bumble virtual link.

`stride ... --virtual`, the demo, the BLE benchmark and the tests all build their
pods and host here, as Bumble's own tests build `TwoDevices`: the real firmware
(stridefw.ble on the Bumble `bluetooth` shim) on one side, bleak through
Bumble's backend on the other, and the pods' clock held by `PodTime`.

The rig sits above the link layer (stridekit.transport): it returns a `BleStack`
of kind ``virtual`` that carries the pods, so commands use it exactly as a real
stack and the link layer never imports the simulator.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from stridekit.sim.gait import RunnerParams, SimFoot, simulate
from stridekit.sim.pod import BlePods
from stridekit.sim.podtime import Mode, PodTime
from stridekit.sim.shims.espnow import Air
from stridekit.transport.ble import BleStack, NoBluetooth
from stridekit.transport.ble import open_stack as open_link_stack


@dataclass
class VirtualRun:
    """What the two virtual pods of `--virtual` have done and will do.

    recorded_s: a closed session of this many seconds on each pod (to sync).
    live_s: simulated running after that (for `stride record --virtual`).
    """

    recorded_s: float = 60.0
    live_s: float = 600.0
    seed: int = 7
    speed_m_s: float = 3.1
    cadence_spm: float = 168.0
    lld_cm: float = 0.0


@dataclass
class VirtualStack(BleStack):
    """A `virtual` BleStack and the pods behind it."""

    pods: BlePods = field(kw_only=True)
    pod_time: PodTime = field(kw_only=True)


@contextlib.asynccontextmanager
async def virtual_rig(
    sims: Sequence[SimFoot | None],
    *,
    mode: Mode = "frozen",
    air: bool = True,
    before_host: Callable[[BlePods, PodTime], None] | None = None,
    **pods_kw: Any,
) -> AsyncIterator[VirtualStack]:
    """Pods for `sims` (None: a pod with no simulated runner) and a host, on one link.

    `before_host` runs once the pods are up and before the host's controller joins
    the link (e.g. to record a session first). `pods_kw` go to BlePods (and through
    it to each VirtualPod). On exit the host closes before the pods power off:
    Bumble needs that order.
    """
    from bumble.link import LocalLink

    from stridekit.transport.bumble import BumbleHost, lean_logging

    link = LocalLink()
    pods_kw.setdefault("start_delay_s", 0.2)
    with lean_logging():
        async with (
            BlePods(link, sims, air=Air() if air else None, **pods_kw) as pods,
            PodTime(pods, mode) as pod_time,
        ):
            if before_host is not None:
                before_host(pods, pod_time)
            host = await BumbleHost.open_virtual(link)
            try:
                yield VirtualStack(
                    "virtual", host.scanner, host.client, host, pods=pods, pod_time=pod_time
                )
            finally:
                await host.close()
                await settle_pods(pods)


@contextlib.asynccontextmanager
async def open_stack(
    hci: str | None = None, virtual: bool = False, run: VirtualRun | None = None
) -> AsyncIterator[BleStack]:
    """The BLE stack for a command: `virtual` (two pods that have recorded `run`),
    else `hci` if given, else bleak's native backend."""
    if virtual and hci:
        raise NoBluetooth("choose --virtual or --hci, not both")
    if not virtual:
        async with open_link_stack(hci) as stack:
            yield stack
        return
    run = run or VirtualRun()
    params = RunnerParams(
        speed_m_s=run.speed_m_s,
        cadence_spm=run.cadence_spm,
        duration_s=max(run.recorded_s + run.live_s, 1.0),
        lld_cm=run.lld_cm,
        seed=run.seed,
    )
    sim = simulate(params)
    notes: list[str] = []

    def record_first(pods: BlePods, pod_time: PodTime) -> None:
        if run.recorded_s > 0:
            start = time.time() - run.recorded_s
            for p in pods.pods:
                p.app.set_time(int(start), int(start % 1 * 1e6))
                p.app.rec_start()
            pod_time.run_blocking(run.recorded_s)
            for p in pods.pods:
                p.app.rec_stop()
            notes.append(f"each virtual pod holds a {run.recorded_s:g} s session")
        for p in pods.pods:
            p.app.pair_window()  # the runner pressed the button on each pod

    async with virtual_rig([sim.feet[0], sim.feet[1]], before_host=record_first) as stack:
        stack.notes += notes
        yield stack


async def settle_pods(pods: BlePods, timeout_s: float = 2.0) -> None:
    """Let the pods' advertising restarts (after the host left) finish before power off.

    A pod restarts advertising when a central disconnects; powering its Bumble
    device off while that HCI command is in flight makes Bumble log an
    InvalidStateError. Waiting for the shim's advertising task avoids it.
    """
    tasks = [t for b in pods.bles if (t := getattr(b, "_adv_task", None)) is not None]
    if tasks:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), timeout_s)
    await asyncio.sleep(0.01)
