"""BLE sync benchmark on Bumble's virtual link (`stride sync --virtual --bench`).

Two virtual pods (the real firmware's BLE layer on the Bumble shim) each hold a
session of `mb` megabytes (Step records written straight into the pod's LittleFS
store: no hour of simulated running); the host syncs both at once with
stridekit.sync over the bleak-on-Bumble backend, then syncs a fresh pair again
with the link dropped halfway through each transfer.

Printed figures (no thresholds anywhere; the machine and its load decide them):
* CPU seconds per MB: the whole process (host, both pods' firmware and all three
  Bumble stacks share one process here), and the pods' firmware turns alone; the
  difference is the host's sync code plus the Bumble stacks of both ends.
* round trips per MB: requests that waited for an answer (LIST, READ, MARK, TIME);
  credits travel as writes without response and are counted apart.
* notifications per second sustained: data notifications over the transfer time.
* time to resume: from the dropped link to the next data byte stored, and the
  reconnect-to-LIST part that sync.py records.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from rich.console import Console
from rich.table import Table

from stridefw import records as R
from stridekit.sim.pod import BlePods, VirtualPod
from stridekit.sync import Destination, PodTarget, StageHook, SyncStats, sync_pods


def fill_session(pod: VirtualPod, nbytes: int) -> tuple[int, bytes]:
    """Write Step records straight into the pod's store until the session has nbytes.

    Returns (session id, the file's bytes). For tests and benchmarks where the size
    of a session matters, not the running that would have produced it.
    """
    st = pod.app.store
    sid = st.begin(R.SessionHeader(foot=pod.foot).to_bytes(), 8, 10_000)
    i = 0
    while pod.fs.size(st.path(sid)) < nbytes:
        for _ in range(500):
            st.add(R.REC_STEP, R.Step(index=i, stance_us=200_000 + i % 977).to_bytes())
            i += 1
        st.commit()
    st.end()
    f = pod.fs.open(st.path(sid), "rb")
    try:
        return sid, bytes(f.read())
    finally:
        f.close()


@dataclass
class BleBench:
    mb_per_pod: float
    wall_s: float = 0.0
    cpu_s: float = 0.0
    pod_cpu_s: float = 0.0
    transfer_s: float = 0.0
    round_trips: int = 0
    credit_writes: int = 0
    notifications: int = 0
    bytes_synced: int = 0
    resume_s: list[float] = field(default_factory=list[float])
    reconnect_s: list[float] = field(default_factory=list[float])
    identical: bool = False

    @property
    def mb(self) -> float:
        return self.bytes_synced / 1e6


class _CountingPods:
    """Times the pods' firmware turns (thread CPU) while PodTime drives them."""

    def __init__(self, pods: BlePods) -> None:
        self.cpu_s = 0.0
        for p in pods.pods:
            step = p.step

            def timed(step: Any = step) -> bool:
                t = time.thread_time()
                try:
                    return bool(step())
                finally:
                    self.cpu_s += time.thread_time() - t

            p.step = timed  # type: ignore[method-assign]


async def _one_run(mb: float, root: Path, drop_halfway: bool) -> BleBench:
    from bleak.backends.device import BLEDevice

    from stridekit.sim.rig import virtual_rig

    nbytes = int(mb * 1e6)
    res = BleBench(mb)
    async with virtual_rig([None, None], air=False, auto_start=False) as stack:
        pods, host = stack.pods, stack.host
        assert host is not None
        data = [fill_session(p, nbytes) for p in pods.pods]
        counting = _CountingPods(pods)
        for p in pods.pods:
            p.app.pair_window()
        targets = [
            PodTarget(BLEDevice(a, f"pod{i}", None), f"pod{i}", host.client, pair=True)
            for i, a in enumerate(pods.addresses)
        ]
        first: list[float] = []
        last: list[float] = [0.0]
        dropped: dict[str, float] = {}
        reading_again: set[str] = set()
        drops: list[asyncio.Future[None]] = []
        resumed: dict[str, float] = {}

        def hook(pod: str) -> StageHook:
            def on_stage(stage: str, _n: int) -> None:
                if stage == "read" and pod in dropped:
                    reading_again.add(pod)

            return on_stage

        def progress(pod: str, _sid: int, stored: int, size: int) -> None:
            now = time.perf_counter()
            if not first:
                first.append(now)
            last[0] = now
            if pod in reading_again and pod not in resumed:
                resumed[pod] = now - dropped[pod]
            if drop_halfway and pod not in dropped and stored >= size // 2:
                dropped[pod] = now
                i = int(pod[3:])
                for c in list(pods.devices[i].connections.values()):  # type: ignore[attr-defined]
                    drops.append(asyncio.ensure_future(c.disconnect()))

        t0, c0, p0 = time.perf_counter(), time.process_time(), counting.cpu_s
        results = await sync_pods(targets, Destination(root), progress, hook)
        res.wall_s = time.perf_counter() - t0
        res.cpu_s = time.process_time() - c0
        res.pod_cpu_s = counting.cpu_s - p0
        res.transfer_s = last[0] - first[0] if first else 0.0
        stats = [r for r in results if isinstance(r, SyncStats)]
        if len(stats) != len(results):
            raise RuntimeError(f"benchmark sync failed: {results}")
        res.round_trips = sum(s.round_trips for s in stats)
        res.credit_writes = sum(s.credit_writes for s in stats)
        res.notifications = sum(s.notifications for s in stats)
        res.bytes_synced = sum(len(d) for _, d in data)
        res.resume_s = list(resumed.values())
        res.reconnect_s = [x for s in stats for x in s.resume_s]
        res.identical = all(
            (root / t.name / f"session-{sid:05d}.strd").read_bytes() == d
            for t, (sid, d) in zip(targets, data, strict=True)
        )
    return res


def run_ble_bench(console: Console, mb: float = 1.0) -> tuple[BleBench, BleBench]:
    """Sync `mb` MB from each of two virtual pods, then again with a drop halfway."""
    from stridekit.transport.bumble import lean_logging

    with TemporaryDirectory() as tmp, lean_logging():
        clean = asyncio.run(_one_run(mb, Path(tmp) / "clean", False))
        dropped = asyncio.run(_one_run(mb, Path(tmp) / "dropped", True))
    t = Table(title=f"BLE sync, 2 virtual pods x {mb:g} MB (Bumble virtual link)")
    t.add_column("figure")
    t.add_column("value", justify="right")
    t.add_row("bytes synced (identical)", f"{clean.bytes_synced:,} ({clean.identical})")
    t.add_row("wall time, s", f"{clean.wall_s:.2f}")
    t.add_row("CPU s per MB, whole process", f"{clean.cpu_s / clean.mb:.2f}")
    t.add_row("  of which pod firmware turns", f"{clean.pod_cpu_s / clean.mb:.2f}")
    t.add_row(
        "  host sync + both Bumble stacks", f"{(clean.cpu_s - clean.pod_cpu_s) / clean.mb:.2f}"
    )
    t.add_row("round trips per MB", f"{clean.round_trips / clean.mb:.1f}")
    t.add_row("credit writes (no response) per MB", f"{clean.credit_writes / clean.mb:.1f}")
    t.add_row("notifications per s, sustained", f"{clean.notifications / clean.transfer_s:.0f}")
    t.add_row("throughput, kB/s (both pods)", f"{clean.bytes_synced / clean.transfer_s / 1e3:.0f}")
    if dropped.resume_s:
        t.add_row(
            "resume after a drop: to next byte, ms",
            ", ".join(f"{x * 1e3:.0f}" for x in dropped.resume_s),
        )
    if dropped.reconnect_s:
        t.add_row(
            "  of which reconnect to LIST, ms",
            ", ".join(f"{x * 1e3:.0f}" for x in dropped.reconnect_s),
        )
    t.add_row("synced identical after the drops", str(dropped.identical))
    console.print(t)
    return clean, dropped
