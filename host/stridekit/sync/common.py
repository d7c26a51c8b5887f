"""The one transfer step every pod link shares (BLE and serial).

A `PodSource` is a connected pod: it lists its sessions, reads a session's bytes
from an offset into a file, marks what the host has stored, and takes the host's
clock. `transfer` fetches one session through any source the same way: resume from
what is on disk, fsync, rename, hand the file to the library, and MARK it on the pod
only after that, so a drop at any point loses and duplicates nothing.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from stridefw import records as R
from stridefw import syncproto as P
from stridekit.errors import StrideError

if TYPE_CHECKING:
    from stridekit.library import Library


class SyncError(StrideError, RuntimeError):
    """The pod refused a request or broke the protocol; `status` is the ST_* code."""

    def __init__(self, message: str, status: int = P.ST_ERROR) -> None:
        super().__init__(message)
        self.status = status


class LinkLost(StrideError, ConnectionError):
    """The BLE link dropped (or stalled) during a sync step; the caller reconnects."""


@dataclass
class PodSession:
    session_id: int
    size: int
    synced: int
    closed: bool


@dataclass
class SyncStats:
    """What one pod's sync did, for progress, tests and the benchmark."""

    bytes_received: int = 0
    bytes_stored: int = 0
    notifications: int = 0
    round_trips: int = 0  # requests that waited for an indication
    credit_writes: int = 0
    connections: int = 0
    disconnects: int = 0
    crc_retries: int = 0
    gaps: int = 0
    busy_retries: int = 0  # requests the pod answered BUSY (queue full) and were sent again
    resume_s: list[float] = field(default_factory=list[float])
    sessions_done: list[int] = field(default_factory=list[int])
    files: list[Path] = field(default_factory=list[Path])
    library_ids: list[int] = field(default_factory=list[int])  # library session ids stored
    issues: list[str] = field(default_factory=list[str])


Progress = Callable[[str, int, int, int], None]
"""progress(pod, session_id, bytes_stored, session_size), called as bytes arrive."""


StageHook = Callable[[str, int], Awaitable[None] | None]
"""Called at each stage of a sync ("connected", "time", "listed", "read", "data",
"done", "stored", "marked") with a count; tests inject disconnects here."""


class PodSource(Protocol):
    """A connected pod, whatever the link."""

    stats: SyncStats
    source_name: str  # the library's `source` column: "ble", "serial"

    async def list_sessions(self) -> list[PodSession]: ...

    async def set_time(self, unix_s: float | None = None) -> str: ...

    async def read_into(
        self, s: PodSession, start: int, part: Path, on_bytes: Callable[[int], None] | None
    ) -> int:
        """Append the session's bytes from `start` to `part` until it holds `s.size`
        (or the pod's end); fsync; return the bytes now durable. LinkLost on a drop,
        leaving in `part` what arrived (the next attempt resumes from there)."""
        ...

    async def mark(self, session_id: int, up_to: int) -> int: ...


@dataclass
class Destination:
    """Where a pod's sessions go: `<root>/<pod>/session-NNNNN.strd` (+ the library)."""

    root: Path
    library: Library | None = None

    def path(self, pod: str, session_id: int) -> Path:
        return self.root / pod / f"session-{session_id:05d}.strd"

    def stored(self, pod: str, session_id: int) -> tuple[int, bool]:
        """(bytes stored, complete?) for a session."""
        final = self.path(pod, session_id)
        if final.exists():
            return final.stat().st_size, True
        part = final.with_suffix(".strd.part")
        return (part.stat().st_size if part.exists() else 0), False


def fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every OS can fsync a directory
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


async def run_hook(hook: StageHook | None, stage: str, n: int = 0) -> None:
    if hook is not None:
        r = hook(stage, n)
        if r is not None:
            await r


async def transfer(
    source: PodSource,
    dest: Destination,
    pod: str,
    s: PodSession,
    progress: Progress | None = None,
    hook: StageHook | None = None,
) -> Path:
    """Fetch one session to disk (resuming), store it durably, then MARK it synced."""
    final = dest.path(pod, s.session_id)
    final.parent.mkdir(parents=True, exist_ok=True)
    part = final.with_suffix(".strd.part")
    have, complete = dest.stored(pod, s.session_id)
    if complete and have != s.size:
        raise SyncError(f"{final} has {have} bytes but the pod holds {s.size}")
    if have > s.size:  # the pod's file was replaced: start again
        part.unlink()
        have = 0
    if not complete:
        on_bytes = None
        if progress is not None:
            on_bytes = lambda stored: progress(pod, s.session_id, stored, s.size)  # noqa: E731
        while True:  # at least one read: an empty session still gets its file
            got = await source.read_into(s, have, part, on_bytes)
            if got >= s.size:
                break
            if got <= have:
                raise SyncError(f"session {s.session_id}: the pod sent nothing from byte {have}")
            have = got
        os.replace(part, final)
        fsync_dir(final.parent)
    await run_hook(hook, "stored", s.session_id)
    if dest.library is not None:
        data = final.read_bytes()
        name = f"{pod}-session-{s.session_id:05d}"
        result = dest.library.import_bytes(data, name, source.source_name)
        source.stats.issues += [f"library: {i}" for i in result.issues]
        ids = source.stats.library_ids
        ids += [i for i in result.session_ids if i not in ids]
    if s.synced < s.size:
        await source.mark(s.session_id, s.size)
        await run_hook(hook, "marked", s.session_id)
    return final


async def sync_sessions(
    source: PodSource,
    dest: Destination,
    pod: str,
    *,
    progress: Progress | None = None,
    hook: StageHook | None = None,
    include_open: bool = False,
    on_listed: Callable[[], None] | None = None,
) -> None:
    """Transfer every closed session the pod holds and the host lacks (or has not marked)."""
    stats = source.stats
    sessions = await source.list_sessions()
    await run_hook(hook, "listed", len(sessions))
    if on_listed is not None:
        on_listed()
    for s in sessions:
        if not s.closed and not include_open:
            continue
        _, complete = dest.stored(pod, s.session_id)
        if complete and s.synced >= s.size:
            continue
        path = await transfer(source, dest, pod, s, progress, hook)
        if s.session_id not in stats.sessions_done:
            stats.sessions_done.append(s.session_id)
            stats.files.append(path)
            stats.issues += check_frames(path)


def check_frames(path: Path) -> list[str]:
    """Problems the record codec finds in a stored session file (empty when clean)."""
    _, dec = R.decode_all(path.read_bytes())
    return [f"{path.name}: byte {off}: {why}" for off, why in dec.errors]
