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
from stridefw import store as S
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
    S.decode_sample_block,
    C.Calibration.from_bytes,
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
    S.REC_SAMPLE_BLOCK: 9,
    -1: 10,
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
    from stridekit.cli_library import _when
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
    )
}
