"""Sync over the pod's USB serial console: the same transfer step as BLE.

`ls` lists sessions (id, size, synced bytes, recording), `get <id> <offset>` streams
a session's bytes from an offset, `ack <id> <offset>` marks them synced and `time`
sets the clock (the pod logs a Sync record while it records, as over BLE). A cable
pulled mid-stream leaves the bytes that came in the `.part` file; the next sync
resumes from there.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from pathlib import Path

from stridekit.sync.common import (
    Destination,
    LinkLost,
    PodSession,
    Progress,
    SyncStats,
    sync_sessions,
)
from stridekit.transport.serial import ConsoleTimeout, PodConsole


class SerialSource:
    """A pod's console as a sync source (common.PodSource)."""

    source_name = "serial"

    def __init__(self, console: PodConsole, stats: SyncStats | None = None) -> None:
        self.console = console
        self.stats = stats if stats is not None else SyncStats()

    async def list_sessions(self) -> list[PodSession]:
        infos = await asyncio.to_thread(self.console.ls)
        return [PodSession(i.session, i.size, i.synced, not i.recording) for i in infos]

    async def set_time(self, unix_s: float | None = None) -> str:
        now = time.time() if unix_s is None else unix_s
        await asyncio.to_thread(self.console.command, f"time {int(now)}")
        return "console-time"

    async def read_into(
        self, s: PodSession, start: int, part: Path, on_bytes: Callable[[int], None] | None
    ) -> int:
        with part.open("r+b" if part.exists() else "w+b") as f:
            f.truncate(start)
            f.seek(start)
            try:
                n = await asyncio.to_thread(self.console.get_into, s.session_id, start, f, on_bytes)
            except ConsoleTimeout as e:
                f.flush()
                os.fsync(f.fileno())
                self.stats.bytes_stored += f.tell() - start
                raise LinkLost(str(e)) from e
            f.flush()
            os.fsync(f.fileno())
        self.stats.bytes_received += n
        self.stats.bytes_stored += n
        return start + n

    async def mark(self, session_id: int, up_to: int) -> int:
        reply = await asyncio.to_thread(self.console.ack, session_id, up_to)
        return int(reply)


async def sync_serial(
    console: PodConsole,
    dest: Destination,
    pod: str,
    *,
    progress: Progress | None = None,
    set_clock: Callable[[], float] | None = time.time,
) -> SyncStats:
    """Sync every closed session of the pod on `console` into `dest` (and its library)."""
    source = SerialSource(console)
    source.stats.connections += 1
    if set_clock is not None:
        await source.set_time(set_clock())
    await sync_sessions(source, dest, pod, progress=progress)
    return source.stats
