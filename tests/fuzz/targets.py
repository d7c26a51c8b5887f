"""Fuzz targets: every boundary where bytes from outside enter StrideKit.

Each target takes one input (bytes) and either returns, or raises one of the
refusals it documents (BadSessionFile, UploadRejected, ValueError for a payload
parser). Anything else is a bug: an uncaught exception. Targets also check their
own invariants with assert (an AssertionError is uncaught too).

Targets (issue 18's fuzz layer):
  codec      records.FrameDecoder: whole or fed in pieces, the same records; all CRC-valid
  payloads   every payload parser (Step, Flag, ..., Sample, SampleBlock, Calibration)
  session    the host reader and the library's judgement of one session's bytes
  replay     the firmware kernel on whatever the reader accepts
  library    Library.import_bytes into a real SQLite library
  upload     `stride serve`'s upload validation
  console    the pod's serial console, in a virtual pod that keeps sampling
  gatt       GATT writes to the pod's characteristics (control point, SC control
             point, Current Time, ...) from bonded and unbonded links, through the
             `bluetooth` shim's values and permission rules into stridefw.ble's IRQ
             handler, with App turns between (no Bumble link: too slow for 10^5)

Inputs come from tests/fuzz/engine.py (mutations of real sessions, including
CRC-valid records with wrong values, seq numbers and types) or from hypothesis
(tests/fuzz/test_fuzz.py).
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from stridefw import calib as C
from stridefw import records as R
from stridefw import sampleblock as SB
from stridefw.records import REC_SAMPLE_BLOCK
from stridekit.errors import BadSessionFile
from stridekit.serve import UploadRejected

STATES = ("complete", "partial", "damaged")


@dataclass(frozen=True)
class Target:
    name: str
    run: Callable[[bytes], None]
    refusals: tuple[type[BaseException], ...]
    kind: str  # "frames" (session bytes), "payload" (selector + payload) or "console"


# ------------------------------------------------------------------ codec
def codec(data: bytes) -> None:
    whole, dec = R.decode_all(data)
    step = 1 + (len(data) * 7 + (data[0] if data else 0)) % 97
    d2 = R.FrameDecoder()
    pieces: list[R.Record] = []
    for i in range(0, len(data), step):
        pieces += d2.feed(data[i : i + step])
    d2.close()
    key = [(r.rtype, r.version, r.seq, bytes(r.payload), r.offset) for r in whole]
    assert key == [(r.rtype, r.version, r.seq, bytes(r.payload), r.offset) for r in pieces]
    assert dec.n_errors == d2.n_errors and dec.n_skipped == d2.n_skipped
    last = -1
    for r in whole:
        assert r.rtype in R.VERSIONS and 1 <= r.version <= R.VERSIONS[r.rtype]
        assert last < r.offset < len(data)
        last = r.offset
    for off, _ in dec.errors:
        assert 0 <= off <= len(data)


# ------------------------------------------------------------------ payloads
_PARSERS: tuple[Callable[[bytes], object], ...] = (
    R.Step.from_bytes,
    R.Flag.from_bytes,
    R.Sync.from_bytes,
    R.Battery.from_bytes,
    R.SessionEnd.from_bytes,
    R.RefEvent.from_bytes,
    R.Note.from_bytes,
    R.SessionHeader.from_bytes,
    R.unpack_sample,
    lambda p: SB.decode_sample_block(p, SB.SAMPLE_BLOCK_VERSION),
    C.Calibration.from_bytes,
    lambda p: SB.decode_sample_block(p, 1),
    lambda p: SB.decode_sample_block(p, 2),
    lambda p: SB.decode_sample_block(p, 3),
)


# record type -> index of its parser above (-1: a Calibration block)
PARSER_OF = {
    R.REC_STEP: 0,
    R.REC_FLAG: 1,
    R.REC_SYNC: 2,
    R.REC_BATTERY: 3,
    R.REC_END: 4,
    R.REC_REF: 5,
    R.REC_NOTE: 6,
    R.REC_HEADER: 7,
    R.REC_SAMPLE: 8,
    REC_SAMPLE_BLOCK: 9,
    -1: 10,
    -2: 11,  # a SampleBlock of version 1
    -3: 12,  # a SampleBlock of version 2
    -4: 13,  # a SampleBlock of version 3
}


def payloads(data: bytes) -> None:
    if not data:
        return
    parse = _PARSERS[data[0] % len(_PARSERS)]
    out = parse(data[1:])
    if hasattr(out, "to_bytes") and not isinstance(out, C.Calibration):
        again = out.to_bytes()  # type: ignore[attr-defined]
        assert type(out).from_bytes(again).to_bytes() == again  # type: ignore[attr-defined]


# ------------------------------------------------------------------ session
def session(data: bytes) -> None:
    from stridekit.library import decode_session, split_sessions
    from stridekit.session import ADC_MAX, decode_bytes, sessions_from_records

    chunks = split_sessions(data)
    assert b"".join(chunks) == data
    for chunk in chunks:
        d = decode_session(chunk)
        if d is None:
            continue
        assert d.state in STATES
        s = d.session
        assert s.cells.shape == (len(s.sample_t_us), s.header.n_cells)
        assert s.cells.size == 0 or int(s.cells.max()) <= ADC_MAX
        assert len(s.imu) == len(s.imu_present) == len(s.sample_t_us)
        if d.state != "complete":
            assert d.issues
        _ = s.duration_s, s.foot, s.step_times_s()
    dec = decode_bytes(data)
    kept = sessions_from_records(dec.records, list(dec.issues), True, dec.skipped_at)
    plain = sessions_from_records(dec.records, list(dec.issues))
    assert [(s.offset, s.step_payloads) for s in kept if not s.header_lost] == [
        (s.offset, s.step_payloads) for s in plain
    ]


# ------------------------------------------------------------------ replay
def replay(data: bytes) -> None:
    from stridekit.replay import replay as run_replay
    from stridekit.session import decode_bytes, sessions_from_records

    dec = decode_bytes(data)
    for s in sessions_from_records(dec.records, list(dec.issues), True, dec.skipped_at):
        if len(s.sample_t_us):
            res = run_replay(s)
            assert len(res.steps) == len(res.output.step_payloads)


# ------------------------------------------------------------------ library
@functools.cache
def _library_dir() -> Path:
    shm = Path("/dev/shm")  # fsync is free in RAM; the library's own code is what runs
    where = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
    d = Path(tempfile.mkdtemp(prefix="stridekit-fuzz-lib-", dir=where))
    atexit.register(shutil.rmtree, d, True)
    return d


_n_library = [0]


def library(data: bytes) -> None:
    from stridekit.cli.library import _when
    from stridekit.library import Library

    _n_library[0] += 1
    if _n_library[0] % 500 == 0:  # a fresh library now and then: the file stays small
        for f in _library_dir().rglob("*"):
            if f.is_file():
                f.unlink()
    with Library(_library_dir()) as lib:
        res = lib.import_bytes(data, "fuzz.strd")
        for sid in res.session_ids:
            row = lib.session(sid)
            assert row.state in STATES
            _when(row.started_at)  # what `stride sessions` shows
            assert lib.session_path(sid).is_file()
            lib.load(sid)
        before = [(r.id, r.sha256, r.state) for r in lib.sessions()]
        again = lib.import_bytes(data, "fuzz.strd")
        # importing the same bytes twice changes nothing (a prefix of several stored
        # copies may name another of them the second time)
        assert again.added == again.replaced == []
        assert [(r.id, r.sha256, r.state) for r in lib.sessions()] == before


# ------------------------------------------------------------------ upload
def upload(data: bytes) -> None:
    from stridekit.serve import validate_session_bytes

    lines = validate_session_bytes(data)
    recs, dec = R.decode_all(data)
    assert lines and dec.n_errors == 0 and dec.n_skipped == 0
    assert any(r.rtype == R.REC_HEADER for r in recs)


# ------------------------------------------------------------------ console
@functools.cache
def _pod() -> object:
    from stridekit.sim.pod import VirtualPod

    return VirtualPod(None, console="mem")


def expected_replies(data: bytes, max_line: int) -> int:
    """Complete request lines that deserve a reply (the protocol's rules)."""
    n = 0
    for raw in data.split(b"\n")[:-1]:
        text = bytes(b for b in raw if b != 13)
        binary = any((b < 32 or b > 126) and b != 9 for b in text)
        kept = bytes(b for b in text if 32 <= b <= 126 or b == 9)
        if binary or len(kept) > max_line or kept.split():
            n += 1
    return n


def console(data: bytes) -> None:
    from stridefw import console as fw_console
    from stridekit.sim.pod import MemPort, VirtualPod

    pod = _pod()
    assert isinstance(pod, VirtualPod) and isinstance(pod.port, MemPort)
    app = pod.app
    port = pod.port
    con = app.console
    if app.recording and app.store.sizes.get(app.session, 0) > 200_000:
        app.rec_stop()  # keep the flash from filling over a long run
    data = data + b"\n"  # every input ends its last line: none is left open
    missed, internal = app.missed, con.internal
    port.feed(data)
    out = b""
    for _ in range(20_000):
        pod.step()
        out += port.take()
        if not port.rx and not con._busy() and con._in_pos >= con._in_len:
            break
        pod.machine.idle()
    lines = []
    i = 0
    while i < len(out):
        j = out.find(b"\n", i)
        assert j >= 0, out[i:]
        line = out[i:j]
        i = j + 1
        if line.startswith(b"OK get "):
            i += int(line.split()[-1])
        if not line.startswith(b"EV "):
            lines.append(line)
    assert len(lines) == expected_replies(data, fw_console.MAX_LINE), (data, lines)
    for x in lines:
        assert x.startswith(b"OK") or x.startswith(b"ERR "), x
    assert app.running and app.missed == missed and con.internal == internal


# ------------------------------------------------------------------ gatt
class _SyncBLE:
    """The `bluetooth` shim with its async parts made synchronous for the fuzzer.

    Values, handles, flags and the permission rules are the shim's; notifications
    and indications are recorded (per connection and handle) instead of sent, an
    indication is confirmed at once, and a disconnect is delivered at once.
    """

    def __init__(self) -> None:
        import asyncio

        from bumble.link import LocalLink

        from stridekit.sim.shims import bluetooth as bt

        self.bt = bt
        self.loop = asyncio.new_event_loop()  # Bumble's controller wants one; kept open

        async def make() -> object:
            return bt.new_device(LocalLink(), "F0:00:00:00:00:0F", "fuzz")

        device = self.loop.run_until_complete(make())
        outer = self

        class Shim(bt.BLE):
            def gatts_notify(
                self, conn_handle: int, value_handle: int, data: object = None
            ) -> None:
                outer.sent(conn_handle, value_handle, data)

            def gatts_indicate(
                self, conn_handle: int, value_handle: int, data: object = None
            ) -> None:
                outer.sent(conn_handle, value_handle, data)
                self._deliver(20, (conn_handle, value_handle, 0))

            def gap_advertise(self, *a: object, **k: object) -> None:
                pass

            def gap_disconnect(self, conn_handle: int) -> bool:
                outer.pending_disconnects.append(conn_handle)
                return True

        self.ble = Shim(device)  # type: ignore[arg-type]
        self.flags: dict[int, int] = {}
        self.to: dict[tuple[int, int], int] = {}  # (conn, handle) -> bytes sent
        self.pending_disconnects: list[int] = []

    def forget(self, conn: int) -> None:
        for k in [k for k in self.to if k[0] == conn]:
            del self.to[k]

    def sent(self, conn: int, handle: int, data: object) -> None:
        n = len(bytes(data)) if data is not None else len(self.ble.gatts_read(handle))  # type: ignore[arg-type]
        self.to[(conn, handle)] = self.to.get((conn, handle), 0) + n


@functools.cache
def _gatt_pod() -> tuple[object, _SyncBLE]:
    from stridekit.sim.pod import VirtualPod

    shim = _SyncBLE()
    real_register = shim.ble.gatts_register_services

    def register(services: object) -> object:
        out = real_register(services)  # type: ignore[arg-type]
        for (_u, chars), hs in zip(services, out, strict=True):  # type: ignore[call-overload]
            for c, h in zip(chars, hs, strict=True):
                shim.flags[h] = int(c[1])
        return out

    shim.ble.gatts_register_services = register  # type: ignore[method-assign]
    pod = VirtualPod(None, console="mem", ble=shim.ble)  # type: ignore[arg-type]
    return pod, shim


GATT_TARGETS = ("cp", "sc", "time", "status", "data", "battery", "rsc")


def gatt(data: bytes) -> None:
    """Ops from the input: [op u8][arg u8][len u8][value ...] ... (engine.gatt_input).

    op % 8: 0 connect conn (arg & 1), 1 encrypt (arg bit 1: bonded), 2 write (arg:
    which characteristic and conn), 3 write without response, 4 MTU exchange, 5 App
    turns (arg), 6 disconnect, 7 open (arg odd) or close the pairing window.
    """
    from stridefw import syncproto as P
    from stridekit.sim.pod import VirtualPod

    pod, shim = _gatt_pod()
    assert isinstance(pod, VirtualPod)
    if not pod.app.running:  # idle long enough for deep sleep: a pod that wakes anew
        _gatt_pod.cache_clear()
        pod, shim = _gatt_pod()
        assert isinstance(pod, VirtualPod)
    app = pod.app
    srv = app.ble
    assert srv is not None
    irq = srv._irq
    if app.recording and app.store.sizes.get(app.session, 0) > 200_000:
        app.rec_stop()
    for c in list(srv.conns):  # every input starts with no one connected
        irq(2, (c, 0, bytes(6)))
    shim.pending_disconnects.clear()
    srv.close_window()
    shim.to.clear()
    handles = {
        "cp": srv.h_cp, "sc": srv.h_sc, "time": srv.h_time, "status": srv.h_status,
        "data": srv.h_data, "battery": srv.h_battery, "rsc": srv.h_rsc,
    }  # fmt: skip
    security: dict[int, tuple[bool, bool]] = {}  # conn -> (encrypted, bonded)
    internal = srv.internal_errors
    i = 0
    while i + 3 <= len(data):
        op, arg, n = data[i] % 8, data[i + 1], data[i + 2]
        value = data[i + 3 : i + 3 + n]
        i += 3 + n
        conn = arg & 1
        if op == 0 and conn not in srv.conns:
            security[conn] = (False, False)
            shim.forget(conn)  # a new link: what went to the old one does not count
            irq(1, (conn, 0, bytes(6)))
        elif op == 1 and conn in srv.conns:
            bonded = bool(arg & 2)
            if not bonded:
                shim.forget(conn)  # bytes sent while it was bonded were its due
            security[conn] = (True, bonded)
            irq(28, (conn, True, False, bonded, 16))
        elif op in (2, 3) and conn in srv.conns:
            h = handles[GATT_TARGETS[(arg >> 1) % len(GATT_TARGETS)]]
            enc, bonded = security.get(conn, (False, False))
            err = shim.bt.check_perms(shim.flags[h], False, enc, False, bonded)
            if not err:  # what the shim's write callback does after the check
                shim.ble._values[h] = bytes(value[: shim.ble._buflen.get(h, 20)])
                irq(3, (conn, h))
        elif op == 4 and conn in srv.conns:
            irq(21, (conn, 23 + (arg * 7) % 500))
        elif op == 5:
            for _ in range(1 + arg % 40):
                pod.step()
                pod.machine.idle()
        elif op == 6 and conn in srv.conns:
            irq(2, (conn, 0, bytes(6)))
        elif op == 7:
            if arg & 1:
                srv.open_window()
            else:
                srv.close_window()
        if op == 5:  # a link the pod dropped goes only after a while: writes still arrive
            while shim.pending_disconnects:
                c = shim.pending_disconnects.pop()
                if c in srv.conns:
                    irq(2, (c, 0, bytes(6)))
        # nothing of the Stride service ever reaches a link that is not bonded
        for c in (0, 1):
            if not security.get(c, (False, False))[1]:
                for h in (srv.h_cp, srv.h_data, srv.h_status):
                    assert shim.to.get((c, h), 0) == 0, (c, h, shim.to)
    for _ in range(30):  # let the pod finish what was asked
        pod.step()
        pod.machine.idle()
    assert app.running or pod.slept  # deep sleep after IDLE_SLEEP_MS without input is by design
    assert srv.internal_errors == internal, "a request raised something unforeseen"
    assert len(srv._reqs) <= 8 and all(len(c.busy) <= 16 for c in srv.conns.values())
    _ = P  # the protocol module the engine builds requests with


TARGETS: dict[str, Target] = {
    t.name: t
    for t in (
        Target("codec", codec, (), "frames"),
        Target("payloads", payloads, (ValueError,), "payload"),
        Target("session", session, (), "frames"),
        Target("replay", replay, (BadSessionFile,), "frames"),
        Target("library", library, (BadSessionFile,), "frames"),
        Target("upload", upload, (UploadRejected,), "frames"),
        Target("console", console, (), "console"),
        Target("gatt", gatt, (), "gatt"),
    )
}
