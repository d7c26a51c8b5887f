"""Resumable session transfer from a pod over the Stride BLE service.

Wire format: `stridefw.syncproto` only (the pod speaks the same module). One
`BleakClient` per pod and no module state, so two pods sync at once with
`asyncio.gather(sync_pod(left), sync_pod(right))`.

Per connection: subscribe to the control point (indications) and data
(notifications), set the pod's clock (TIME, logged as a Sync record), LIST, then for
each closed session not yet stored: READ from the offset already stored on disk with
a window of credits; every half window of in-order notifications returns that many
credits with a write without response, so the pod never waits a round trip (credit
pipelining, not stop-and-wait). Each notification must start at the next expected
offset; the bytes go straight to `<dest>/<pod>/session-NNNNN.strd.part`. DONE carries
a CRC-32 of the bytes of this transfer: a mismatch truncates back and reads again.
What happens to a complete file (fsync, rename, library, MARK) is the transfer step
every link shares (stridekit.sync.common). Any disconnect: connect again and READ
from the stored length, so nothing is lost or duplicated.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from bleak import BleakClient
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.exc import BleakError
from bleak.uuids import normalize_uuid_16

from stridefw import syncproto as P
from stridekit.sync.common import (
    Destination,
    LinkLost,
    PodSession,
    Progress,
    StageHook,
    SyncError,
    SyncStats,
    run_hook,
    sync_sessions,
)
from stridekit.transport.ble import PodTarget

WINDOW_CREDITS = 64  # notifications in flight; a credit batch every WINDOW/2
REQUEST_TIMEOUT_S = 10.0
STALL_TIMEOUT_S = 10.0  # no data for this long: treat the link as dead, reconnect
BUSY_RETRIES = 8  # a BUSY answer is retried this often (pauses 20 ms .. 140 ms)


def _ok(op: int, payload: bytes) -> tuple[int, ...]:
    """syncproto.decode_ok, typed for the host (its tuple length depends on op)."""
    values: tuple[int, ...] = tuple(P.decode_ok(op, payload))
    return values


class StrideLink:
    """The Stride control point and data channel over one connected BleakClient."""

    source_name = "ble"

    def __init__(
        self, client: BleakClient, stats: SyncStats, hook: StageHook | None = None
    ) -> None:
        self.client = client
        self.stats = stats
        self.hook = hook
        self._req_id = 0
        self.last_req_id = 0
        self._pending: dict[int, asyncio.Future[tuple[int, int, bytes]]] = {}
        self._done: asyncio.Queue[tuple[int, int, int, int]] = asyncio.Queue()
        self.lost = asyncio.Event()
        self.on_data: Callable[[int, int, bytes], None] | None = None
        self.live: Callable[[bytes], None] | None = None
        self._control: BleakGATTCharacteristic | None = None

    async def start(self) -> None:
        svc = self.client.services.get_service(P.SERVICE_UUID)
        if svc is None:
            raise SyncError("the device has no Stride service (not a StrideKit pod?)")
        control = svc.get_characteristic(P.CONTROL_UUID)
        data = svc.get_characteristic(P.DATA_UUID)
        if control is None or data is None:
            raise SyncError("the Stride service lacks its control point or data characteristic")
        self._control = control
        await self.client.start_notify(control, self._on_indication)
        await self.client.start_notify(data, self._on_notification)

    def link_lost(self) -> None:
        self.lost.set()
        for f in self._pending.values():
            if not f.done():
                f.set_exception(LinkLost("link lost"))
        self._pending.clear()

    def _on_indication(self, _ch: BleakGATTCharacteristic, value: bytearray) -> None:
        try:
            op, rid, status, payload = P.decode_response(value)
        except ValueError:
            self.stats.issues.append(f"malformed indication {bytes(value).hex()}")
            return
        if op == P.OP_DONE:
            if status == P.ST_OK:
                try:
                    sid, end, crc = _ok(P.OP_DONE, payload)
                except ValueError:
                    self.stats.issues.append(f"malformed DONE {bytes(value).hex()}")
                    return
                self._done.put_nowait((rid, sid, end, crc))
            return
        fut = self._pending.pop(rid, None)
        if fut is not None and not fut.done():
            fut.set_result((op, status, payload))

    def _on_notification(self, _ch: BleakGATTCharacteristic, value: bytearray) -> None:
        try:
            sid, offset, chunk = P.decode_data(value)
        except ValueError:
            self.stats.issues.append(f"short data notification ({len(value)} bytes)")
            return
        self.stats.notifications += 1
        if sid == P.LIVE_SESSION:
            if self.live is not None:
                self.live(chunk)
            return
        if self.on_data is not None:
            self.on_data(sid, offset, chunk)

    async def write(self, op: int, *args: int, response: bool = False) -> int:
        self._req_id = (self._req_id + 1) & 0xFF
        assert self._control is not None
        await self.client.write_gatt_char(
            self._control, P.encode_request(op, self._req_id, *args), response=response
        )
        return self._req_id

    async def request(self, op: int, *args: int) -> bytes:
        """Send a request and wait for its indication; the OK payload or SyncError.

        A BUSY answer (the pod's request queue was full) is retried a few times with
        a growing pause before it counts as a refusal.
        """
        for attempt in range(BUSY_RETRIES):
            try:
                return await self._request_once(op, *args)
            except SyncError as e:
                if e.status != P.ST_BUSY or attempt == BUSY_RETRIES - 1:
                    raise
                self.stats.busy_retries += 1
                await asyncio.sleep(0.02 * (attempt + 1))
        raise AssertionError("unreachable")

    async def _request_once(self, op: int, *args: int) -> bytes:
        if self.lost.is_set():
            raise LinkLost("link lost")
        self._req_id = (self._req_id + 1) & 0xFF
        rid = self.last_req_id = self._req_id
        fut: asyncio.Future[tuple[int, int, bytes]] = asyncio.get_running_loop().create_future()
        self._pending[rid] = fut
        assert self._control is not None
        self.stats.round_trips += 1
        try:
            await self.client.write_gatt_char(
                self._control, P.encode_request(op, rid, *args), response=True
            )
            rop, status, payload = await asyncio.wait_for(fut, REQUEST_TIMEOUT_S)
        except TimeoutError as e:
            raise LinkLost(f"no answer to {P.OP_NAMES.get(op, op)}") from e
        finally:
            self._pending.pop(rid, None)
        if rop != op:
            raise SyncError(f"answer to {P.OP_NAMES.get(op)} carries op {rop}")
        if status != P.ST_OK:
            raise SyncError(
                f"{P.OP_NAMES.get(op)} refused: {P.STATUS_NAMES.get(status, status)}", status
            )
        return payload

    async def list_sessions(self) -> list[PodSession]:
        out: list[PodSession] = []
        from_id = 0
        while True:
            payload = await self.request(P.OP_LIST, from_id)
            try:
                entries, more = P.decode_list(payload)
            except ValueError as e:
                raise SyncError(f"bad LIST answer: {e}") from e
            out += [PodSession(sid, size, synced, closed) for sid, size, synced, closed in entries]
            if not more or not entries:
                return out
            from_id = entries[-1][0] + 1

    async def set_time(self, unix_s: float | None = None) -> str:
        """Give the pod the host's clock (it logs a Sync record); returns the path used.

        The standard Current Time characteristic when the pod has it (1/256 s in its
        fractions byte), else the Stride TIME request (microseconds).
        """
        now = time.time() if unix_s is None else unix_s
        whole = int(now)
        cts = self.client.services.get_characteristic(normalize_uuid_16(P.CURRENT_TIME))
        if cts is not None:
            from stridefw.cts import epoch_to_current_time  # the pod's own codec

            value = epoch_to_current_time(whole, min(255, int((now - whole) * 256)))
            self.stats.round_trips += 1
            await self.client.write_gatt_char(cts, value, response=True)
            return "current-time"
        await self.request(P.OP_TIME, whole, int((now - whole) * 1e6))
        return "stride-time"

    async def mark(self, session_id: int, up_to: int) -> int:
        (synced,) = _ok(P.OP_MARK, await self.request(P.OP_MARK, session_id, up_to))
        return int(synced)

    async def set_live(self, on: bool) -> None:
        await self.request(P.OP_LIVE, 1 if on else 0)

    async def set_recording(self, on: bool) -> int:
        """Start or stop recording on the pod; the session id (NOT_ALLOWED: already so)."""
        (sid,) = _ok(P.OP_REC, await self.request(P.OP_REC, 1 if on else 0))
        return int(sid)

    async def status(self) -> dict[str, Any]:
        """The pod's status characteristic (syncproto.decode_status)."""
        value = await self.client.read_gatt_char(P.STATUS_UUID)
        try:
            return dict(P.decode_status(value))
        except ValueError as e:
            raise SyncError(f"bad status value: {e}") from e

    async def wait_done(self, rid: int) -> tuple[int, int, int]:
        """The DONE of the READ with this req_id (older DONEs are dropped)."""
        while True:
            r, sid, end, crc = await self._done.get()
            if r == rid:
                return sid, end, crc

    async def read_into(
        self, s: PodSession, start: int, part: Path, on_bytes: Callable[[int], None] | None
    ) -> int:
        """READ from `start` with a window of credits until DONE; a gap or a bad CRC
        reads again from what is durable (see common.PodSource.read_into)."""
        have = start
        while True:
            tr = _Transfer(self, part, s.session_id, have)
            self.on_data = tr.on_data
            tr.on_bytes = on_bytes
            credits = asyncio.ensure_future(tr.credit_loop())
            try:
                payload = await self.request(P.OP_READ, s.session_id, have, WINDOW_CREDITS)
                rid = self.last_req_id
                (end_now,) = _ok(P.OP_READ, payload)
                await run_hook(self.hook, "read", int(end_now))
                done = asyncio.ensure_future(self.wait_done(rid))
                gap = asyncio.ensure_future(tr.gap.wait())
                lost = asyncio.ensure_future(self.lost.wait())
                try:
                    while True:  # a stall (no new bytes for a while) counts as a lost link
                        before = tr.expected
                        finished, _ = await asyncio.wait(
                            {done, gap, lost},
                            timeout=STALL_TIMEOUT_S,
                            return_when=asyncio.FIRST_COMPLETED,
                        )
                        if finished or tr.expected == before:
                            break
                finally:
                    gap.cancel()
                    lost.cancel()
                if not done.done():
                    done.cancel()
                    if tr.gap.is_set():
                        have = tr.durable()
                        continue
                    raise LinkLost("link lost during transfer")
                sid, end, crc = done.result()
                if sid != s.session_id or tr.rx.done_error(end, crc):
                    self.stats.crc_retries += 1
                    self.stats.issues.append(
                        f"session {s.session_id}: DONE end {end} crc {crc:08x}, "
                        f"got {tr.expected} crc {tr.rx.crc & 0xFFFFFFFF:08x}; reading again"
                    )
                    tr.rewind()
                    have = tr.durable()
                    continue
                await run_hook(self.hook, "done", end)
                have = tr.durable()
                return have  # less than LIST said (still writing?): transfer() reads on
            finally:
                credits.cancel()
                with contextlib.suppress(asyncio.CancelledError, BleakError, LinkLost):
                    await credits
                self.on_data = None
                tr.close()


class _Transfer:
    """One READ: bytes arrive in order into the .part file; credits flow back."""

    def __init__(self, link: StrideLink, part: Path, session_id: int, start: int) -> None:
        self.link = link
        self.session_id = session_id
        self.rx = P.Receiver()  # order and CRC checks, shared with the web app
        self.rx.start(session_id, start)
        self.file = part.open("r+b" if part.exists() else "w+b")
        self.file.truncate(start)
        self.file.seek(start)
        self.to_credit = 0
        self.credit_wanted = asyncio.Event()
        self.gap = asyncio.Event()
        self.unflushed = 0
        self.on_bytes: Callable[[int], None] | None = None

    @property
    def start(self) -> int:
        return self.rx.first

    @property
    def expected(self) -> int:
        return self.rx.next

    def on_data(self, sid: int, offset: int, chunk: bytes) -> None:
        verdict = self.rx.accept(sid, offset, chunk)
        if verdict == P.CHUNK_GAP:
            self.link.stats.gaps += 1
            self.gap.set()  # a hole: stop, READ again from what is stored
        if verdict != P.CHUNK_OK:
            return  # a stale transfer's tail, or a repeat of bytes we have
        self.file.write(chunk)
        self.unflushed += len(chunk)
        self.link.stats.bytes_received += len(chunk)
        self.to_credit += 1
        if self.to_credit >= WINDOW_CREDITS // 2:
            self.credit_wanted.set()
        if self.on_bytes is not None:
            self.on_bytes(self.expected)

    async def credit_loop(self) -> None:
        while True:
            await self.credit_wanted.wait()
            self.credit_wanted.clear()
            n, self.to_credit = self.to_credit, 0
            if n:
                self.link.stats.credit_writes += 1
                await self.link.write(P.OP_CREDIT, n, response=False)

    def durable(self) -> int:
        """Flush and fsync what arrived; the offset a resume starts from."""
        self.file.flush()
        os.fsync(self.file.fileno())
        self.link.stats.bytes_stored += self.unflushed
        self.unflushed = 0
        return self.expected

    def rewind(self) -> None:
        self.link.stats.bytes_received -= self.expected - self.start
        self.unflushed = 0
        self.file.truncate(self.start)
        self.file.seek(self.start)
        self.rx.start(self.session_id, self.start)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.durable()
        self.file.close()


@contextlib.asynccontextmanager
async def open_link(
    target: PodTarget, stats: SyncStats | None = None, hook: StageHook | None = None
) -> AsyncIterator[StrideLink]:
    """Connect (pairing if asked and not yet bonded), subscribe, set the pod's clock.

    The clock is set on every connection (the pod logs a Sync record while it
    records, so the host can align the two feet later). Disconnects on exit.
    """
    stats = stats if stats is not None else SyncStats()
    box: list[StrideLink] = []

    def on_disconnect(_c: BleakClient) -> None:
        for lk in box:
            lk.link_lost()

    client = BleakClient(
        target.device, on_disconnect, backend=target.backend, timeout=10.0, pair=target.pair
    )
    try:
        await client.connect()
        stats.connections += 1
        link = StrideLink(client, stats, hook)
        box.append(link)
        await run_hook(hook, "connected")
        await link.start()
        await link.set_time(target.clock() if target.clock is not None else None)
        await run_hook(hook, "time")
        yield link
    finally:
        with contextlib.suppress(BleakError):
            await client.disconnect()


async def sync_pod(
    target: PodTarget,
    dest: Destination,
    *,
    progress: Progress | None = None,
    hook: StageHook | None = None,
    max_attempts: int = 50,
    include_open: bool = False,
    stats: SyncStats | None = None,
) -> SyncStats:
    """Sync every closed session of one pod, reconnecting and resuming after any drop."""
    stats = stats or SyncStats()
    attempts = 0
    lost_at: float | None = None
    while True:
        attempts += 1
        try:
            async with open_link(target, stats, hook) as link:

                def listed() -> None:
                    nonlocal lost_at
                    if lost_at is not None:
                        stats.resume_s.append(time.perf_counter() - lost_at)
                        lost_at = None

                await sync_sessions(
                    link,
                    dest,
                    target.name,
                    progress=progress,
                    hook=hook,
                    include_open=include_open,
                    on_listed=listed,
                )
            return stats
        except (BleakError, LinkLost, TimeoutError) as e:
            stats.disconnects += 1
            if lost_at is None:
                lost_at = time.perf_counter()
            if attempts >= max_attempts:
                raise SyncError(f"{target.name}: gave up after {attempts} attempts: {e}") from e
            await asyncio.sleep(min(0.05 * attempts, 1.0))


async def sync_pods(
    targets: list[PodTarget],
    dest: Destination,
    progress: Progress | None = None,
    hook: Callable[[str], StageHook | None] | None = None,
) -> list[SyncStats | BaseException]:
    """Sync several pods at once (one BleakClient each); one failing leaves the others."""
    return list(
        await asyncio.gather(
            *(
                sync_pod(t, dest, progress=progress, hook=hook(t.name) if hook else None)
                for t in targets
            ),
            return_exceptions=True,
        )
    )
