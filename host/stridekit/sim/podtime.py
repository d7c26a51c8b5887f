"""Who moves the virtual pods' clock while a BLE host talks to them.

`stridekit.sim.pod.BlePods` turns its pods' firmware from a task on the asyncio loop
and lets their shared VirtualClock run as fast as the loop allows. That is right for
a test that wants time to pass, wrong for two other jobs:

* ``frozen`` -- the host pairs, sets clocks or syncs while no simulated time passes:
  the firmware still answers every BLE request (its BLE work runs in App.turn, not
  on a timer), the run does not slip by while the host connects, and no CPU goes
  into sampling a pod that stands still. Used by the demo and by tests.
* ``paced`` -- pod time follows the wall clock (times `speed`), for `stride record
  --virtual`, where a person watches the live view.
* ``fast`` -- as fast as the loop allows (BlePods' own behaviour).

`PodTime` pauses BlePods' driver and drives the pods itself; the mode can change
at any moment.
"""

from __future__ import annotations

import asyncio
import time
from typing import Literal

from stridekit.sim.pod import BlePods

Mode = Literal["frozen", "paced", "fast"]


class PodTime:
    """Drive BlePods' firmware with a chosen clock policy (`async with PodTime(pods):`)."""

    def __init__(self, pods: BlePods, mode: Mode = "frozen", speed: float = 1.0) -> None:
        self.pods = pods
        self.mode: Mode = mode
        self.speed = speed
        self.rounds = 0
        self._task: asyncio.Task[None] | None = None
        self._stop = False
        self._anchor = (time.perf_counter(), pods.clock.now_us())

    def set_mode(self, mode: Mode, speed: float | None = None) -> None:
        self.mode = mode
        if speed is not None:
            self.speed = speed
        self._anchor = (time.perf_counter(), self.pods.clock.now_us())

    def run_blocking(self, seconds: float) -> None:
        """Run `seconds` of pod time now, synchronously (the loop waits: nothing connected)."""
        from stridekit.sim.pod import run_pods

        run_pods(self.pods.pods, seconds)

    async def _drive(self) -> None:
        pods = self.pods
        clock = pods.clock
        while not self._stop:
            for p in pods.pods:
                p.step()
            advance = self.mode == "fast"
            if self.mode == "paced":
                wall0, pod0 = self._anchor
                due_us = pod0 + (time.perf_counter() - wall0) * 1e6 * self.speed
                advance = clock.now_us() < due_us
            if advance:
                clock.idle()
                await asyncio.sleep(0)
            else:
                # nothing due: let Bumble run; a short sleep when the pods are idle
                await asyncio.sleep(0 if self.mode == "frozen" else 0.002)
            self.rounds += 1

    async def __aenter__(self) -> PodTime:
        self.pods.paused = True
        self.pods.pace_s = 0.005  # BlePods' own driver only sleeps while we drive
        self._stop = False
        self._anchor = (time.perf_counter(), self.pods.clock.now_us())
        self._task = asyncio.get_running_loop().create_task(self._drive())
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._stop = True
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
        self.pods.pace_s = 0.0
        self.pods.paused = False
