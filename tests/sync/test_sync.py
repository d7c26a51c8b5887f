"""Resumable sync over the real BLE stack (Bumble virtual link) against a peripheral
serving the Stride service with stridefw.syncproto."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from bleak import BleakScanner
from bleak.backends.device import BLEDevice

from stridefw import syncproto as P
from stridekit.sync import Destination, PodTarget, SyncStats, sync_pod, sync_pods
from stridekit.transport.bumble import BumbleHost

from .stride_peripheral import stride_rig


def run(body: Callable[[], Awaitable[None]]) -> None:
    async def main() -> None:
        await asyncio.wait_for(body(), 60)

    asyncio.run(main())


def blob(n: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(n)


async def find(host: BumbleHost, address: str) -> BLEDevice:
    dev = await BleakScanner.find_device_by_address(address, 5, backend=host.scanner)
    assert dev is not None
    return dev


def test_sync_is_byte_identical_and_marks_after_storing(tmp_path: Path) -> None:
    sessions = {1: blob(120_000, 1), 2: blob(5, 2), 7: b""}

    async def body() -> None:
        async with stride_rig(sessions) as (host, (p,)):
            dest = Destination(tmp_path)
            marked_with_file: list[bool] = []
            p.on_mark = lambda sid, up_to: marked_with_file.append(
                dest.path("pod", sid).read_bytes() == sessions[sid][:up_to]
            )
            target = PodTarget(await find(host, "D0:22:33:44:55:01"), "pod", host.client, pair=True)
            stats = await sync_pod(target, dest)
            for sid, data in sessions.items():
                assert dest.path("pod", sid).read_bytes() == data
            assert sorted(p.marks) == [(1, 120_000), (2, 5)]  # an empty one has nothing to mark
            assert marked_with_file == [True, True]
            assert len(p.times) == 1  # clock set once per connection
            # pipelined: one READ per session, credits in batches, no per-packet round trip
            assert stats.round_trips <= 2 + 2 * len(sessions)
            assert stats.notifications == p.notifications
            assert 0 < stats.credit_writes < stats.notifications / 8
            # a second sync finds nothing new and reads nothing
            reads = len(p.reads)
            await sync_pod(target, dest)
            assert len(p.reads) == reads
            assert len(p.times) == 2

    run(body)


STAGES = ["connected", "time", "listed", "read", "done", "stored", "marked"]
DATA_POINTS = [1, 238, 239, 476, 5000, 15_200, 20_000, 20_001, 30_000, 39_000, 39_999]
POINTS = [(s, 0) for s in STAGES] + [("data", n) for n in DATA_POINTS]
# the same points in the second session too
POINTS += [(s, 1) for s in ("read", "done", "stored", "marked")] + [("data2", 1), ("data2", 700)]


@pytest.mark.parametrize(("stage", "at"), POINTS)
def test_disconnect_at_any_point_resumes_without_loss_or_duplication(
    tmp_path: Path, stage: str, at: int
) -> None:
    sessions = {3: blob(40_000, 3), 4: blob(1_000, 4)}

    async def body() -> None:
        async with stride_rig(sessions) as (host, (p,)):
            fired: list[str] = []
            tasks: list[asyncio.Future[None]] = []

            def drop() -> None:
                if not fired:
                    fired.append(stage)
                    tasks.append(asyncio.ensure_future(p.drop_link()))

            async def hook(name: str, n: int) -> None:
                # n: the session id ("stored", "marked") or its end offset ("read", "done")
                first = at == 0 and (n in (0, 3, 40_000) or name == "listed")
                if name == stage and (first or (at == 1 and n in (4, 1_000))) and not fired:
                    fired.append(stage)
                    await p.drop_link()
                    await asyncio.sleep(0.01)

            def progress(_pod: str, sid: int, stored: int, _total: int) -> None:
                if stage == "data" and sid == 3 and stored >= at:
                    drop()
                if stage == "data2" and sid == 4 and stored >= at:
                    drop()

            dest = Destination(tmp_path)
            target = PodTarget(await find(host, "D0:22:33:44:55:01"), "pod", host.client, pair=True)
            stats = await sync_pod(target, dest, hook=hook, progress=progress)
            assert fired == [stage]
            if (stage, at) == ("marked", 1):  # after the last MARK there is nothing to resume
                assert stats.disconnects <= 1
            else:
                assert stats.disconnects == 1 and stats.connections == 2
            for sid, data in sessions.items():
                assert dest.path("pod", sid).read_bytes() == data
            assert {sid for sid, _ in p.marks} == {3, 4}
            assert all(up_to == len(sessions[sid]) for sid, up_to in p.marks)
            # nothing read twice beyond what was in flight when the link dropped
            assert stats.bytes_stored == sum(len(d) for d in sessions.values())

    run(body)


def test_two_pods_at_once(tmp_path: Path) -> None:
    left = {1: blob(60_000, 10)}
    right = {1: blob(50_000, 11), 2: blob(10_000, 12)}

    async def body() -> None:
        async with stride_rig(left, right) as (host, (pl, pr)):
            targets = [
                PodTarget(await find(host, "D0:22:33:44:55:01"), "left", host.client, pair=True),
                PodTarget(await find(host, "D0:22:33:44:55:02"), "right", host.client, pair=True),
            ]
            seen: dict[str, int] = {}
            overlap: list[bool] = []

            def progress(pod: str, _sid: int, stored: int, _total: int) -> None:
                seen[pod] = stored
                overlap.append(len(seen) == 2)

            results = await sync_pods(targets, Destination(tmp_path), progress)
            assert all(isinstance(r, SyncStats) for r in results)
            assert (tmp_path / "left" / "session-00001.strd").read_bytes() == left[1]
            for sid, data in right.items():
                assert (tmp_path / "right" / f"session-{sid:05d}.strd").read_bytes() == data
            assert pl.marks == [(1, 60_000)] and sorted(pr.marks) == [(1, 50_000), (2, 10_000)]
            assert any(overlap)  # both transfers were in flight together

    run(body)


def test_unpaired_host_gets_insufficient_encryption_and_no_bytes(tmp_path: Path) -> None:
    async def body() -> None:
        async with stride_rig({1: blob(1000, 5)}) as (host, (p,)):
            target = PodTarget(
                await find(host, "D0:22:33:44:55:01"), "pod", host.client, pair=False
            )
            with pytest.raises(Exception, match=r"0x0F|Insufficient"):
                await sync_pod(target, Destination(tmp_path), max_attempts=1)
            assert p.notifications == 0 and p.reads == []
            assert not (tmp_path / "pod" / "session-00001.strd").exists()

    run(body)


def test_busy_answers_are_retried_not_fatal(tmp_path: Path) -> None:
    async def body() -> None:
        data = blob(20_000, 7)
        async with stride_rig({1: data}) as (host, (p,)):
            p.busy = 5  # the pod's request queue was full for the first five requests
            target = PodTarget(await find(host, "D0:22:33:44:55:01"), "pod", host.client, pair=True)
            stats = await sync_pod(target, Destination(tmp_path), max_attempts=1)
            assert stats.busy_retries == 5 and stats.disconnects == 0
            assert (tmp_path / "pod" / "session-00001.strd").read_bytes() == data
            assert p.marks == [(1, len(data))]

    run(body)


def test_status_names_cover_every_status() -> None:
    assert set(P.STATUS_NAMES) == {0, 1, 2, 3, 4, 5, 6}
