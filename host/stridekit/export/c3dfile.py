"""A C3D writer for analog channels and gait events that opens at any length.

Written here rather than through ezc3d's writer because a run of a few minutes
already passes two 8-bit/16-bit limits of the format, and the readers agree only
on the conventions below (c3d.org, "The C3D frame count" and "Additional POINT
parameters"):

* Frames beyond 65,534: POINT:FRAMES is the integer 65535 (c3d.org: then look
  for LONG_FRAMES and TRIAL; ezc3d, which insists on an integer there, reads the
  same bits as -1 and reads frames to the end of the file; c3d.org's float
  POINT:FRAMES makes ezc3d 1.7 refuse the file), POINT:LONG_FRAMES holds the
  count as a float (C-Motion), TRIAL:ACTUAL_START_FIELD / ACTUAL_END_FIELD hold the first and
  last frame as two 16-bit words, low word first (Vicon; the `c3d` package reads
  these first), and the header's 16-bit frame range says 1..65535.
* More than 255 events: a parameter dimension is one byte, so the EVENT
  parameters are split in chunks of 255 the way c3d.org extends POINT:LABELS:
  TIMES, TIMES2, TIMES3 ... (likewise CONTEXTS, LABELS, ICON_IDS,
  GENERIC_FLAGS), to be read as one list. EVENT:USED is the total (a float
  when it exceeds 32,767, like POINT:FRAMES).
* Every parameter is far below the 32 KiB its signed 16-bit offset allows.

A reader that stops at 255 parameter blocks (the byte in the parameter
section's header; the `c3d` package does) cannot see all EVENT chunks of a run
longer than a few thousand events. So every event is also in the data section
as an event channel per foot and kind (`L_strike`, `L_off`, ...): 0 on every
frame except the one nearest the event, where it holds 1 + (t x rate - frame),
in 0.5..1.5, so the event's time is (frame + value - 1) / rate to well under a
microsecond. Any reader that reads the frames reads every event.

Data are IEEE floats (POINT:SCALE -1), Intel byte order, no 3D points.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np

BLOCK_BYTES = 512
CHUNK = 255  # values per parameter dimension (one unsigned byte)
_INTEL = 84
_CHAR, _BYTE, _INT16, _FLOAT = -1, 1, 2, 4


@dataclass
class Event:
    """One gait event: its time in seconds from the first frame, context and label."""

    t_s: float
    context: str  # "Left", "Right", "General"
    label: str  # "Foot Strike", "Foot Off"


def event_channel_value(t_s: np.ndarray, rate_hz: float) -> tuple[np.ndarray, np.ndarray]:
    """The frame (0-based) nearest each event and the value an event channel holds there."""
    x = np.asarray(t_s, np.float64) * rate_hz
    frame = np.rint(x).astype(np.int64)
    return frame, 1.0 + (x - frame)


def event_times_from_channel(values: np.ndarray, rate_hz: float) -> np.ndarray:
    """Event times in seconds back from an event channel (inverse of event_channel_value)."""
    v = np.asarray(values, np.float64)
    (frame,) = np.nonzero(v)
    return (frame + v[frame] - 1.0) / rate_hz


def _chunk_names(name: str, n: int) -> list[str]:
    k = max(1, -(-n // CHUNK))
    return [name] + [f"{name}{i}" for i in range(2, k + 1)]


class _Params:
    """Builds the parameter section: groups, then their parameters, with forward offsets."""

    def __init__(self) -> None:
        self.items: list[bytes] = []
        self.group_ids: dict[str, int] = {}

    def group(self, name: str, desc: str = "") -> None:
        gid = len(self.group_ids) + 1
        self.group_ids[name] = gid
        d = desc.encode()
        body = struct.pack("<h", 3 + len(d)) + bytes([len(d)]) + d
        self.items.append(struct.pack("<bb", len(name), -gid) + name.encode() + body)

    def _add(self, group: str, name: str, dtype: int, dims: Sequence[int], data: bytes) -> None:
        if any(d > 255 for d in dims):
            raise ValueError(f"{group}:{name} has a dimension over 255: {list(dims)}")
        if len(data) > 32000:
            raise ValueError(f"{group}:{name} is {len(data)} bytes, over a parameter's 32 KiB")
        rest = struct.pack("<bB", dtype, len(dims)) + bytes(dims) + data + b"\x00"
        body = struct.pack("<h", 2 + len(rest)) + rest
        self.items.append(
            struct.pack("<bb", len(name), self.group_ids[group]) + name.encode() + body
        )

    def ints(self, group: str, name: str, values: Sequence[int], scalar: bool = False) -> None:
        # 16-bit words: values up to 65535 are stored as their unsigned bit pattern
        v = np.asarray(values, np.int64)
        if v.size and (v.min() < -32768 or v.max() > 65535):
            raise ValueError(f"{group}:{name} does not fit 16 bits")
        a = (v & 0xFFFF).astype("<u2").view("<i2")
        self._add(group, name, _INT16, [] if scalar else [len(a)], a.tobytes())

    def floats(self, group: str, name: str, values: np.ndarray, scalar: bool = False) -> None:
        a = np.asarray(values, "<f4")
        dims = [] if scalar else list(reversed(a.shape))  # C3D is column-major
        self._add(group, name, _FLOAT, dims, a.tobytes())

    def strings(self, group: str, name: str, values: Sequence[str]) -> None:
        enc = [v.encode() for v in values]
        width = max([1, *(len(e) for e in enc)])
        data = b"".join(e.ljust(width) for e in enc)
        self._add(group, name, _CHAR, [width, len(enc)], data)

    def section(self) -> bytes:
        body = b"".join(self.items) + b"\x00\x00"
        n_blocks = -(-(4 + len(body)) // BLOCK_BYTES)
        # the block count is one byte: a longer section says 255 (see module docstring)
        head = bytes([1, 0x50, min(n_blocks, 255), _INTEL])
        return (head + body).ljust(n_blocks * BLOCK_BYTES, b"\x00")


def _params(
    rate_hz: float,
    labels: Sequence[str],
    units: Sequence[str],
    descriptions: Sequence[str],
    n_frames: int,
    events: Sequence[Event],
    data_start: int,
) -> bytes:
    p = _Params()
    for g in ("POINT", "ANALOG", "TRIAL", "EVENT", "EVENT_CONTEXT"):
        p.group(g)
    frames = np.float32(n_frames)
    p.ints("POINT", "USED", [0], scalar=True)
    if n_frames < 65535:
        p.ints("POINT", "FRAMES", [n_frames], scalar=True)
    else:
        # 0xFFFF: "look at LONG_FRAMES / TRIAL" (c3d.org); read as signed it is -1,
        # which ezc3d (whose reader wants an integer here) takes as "read to the end"
        p.ints("POINT", "FRAMES", [-1], scalar=True)
        p.floats("POINT", "LONG_FRAMES", np.array(frames), scalar=True)
    p.ints("POINT", "DATA_START", [data_start], scalar=True)
    p.floats("POINT", "SCALE", np.array(-1.0), scalar=True)
    p.floats("POINT", "RATE", np.array(rate_hz), scalar=True)
    p.strings("POINT", "UNITS", ["mm"])
    p.strings("POINT", "LABELS", [])
    p.strings("POINT", "DESCRIPTIONS", [])
    n = len(labels)
    p.ints("ANALOG", "USED", [n], scalar=True)
    p.strings("ANALOG", "LABELS", labels)
    p.strings("ANALOG", "DESCRIPTIONS", descriptions)
    p.strings("ANALOG", "UNITS", units)
    p.floats("ANALOG", "SCALE", np.ones(n))
    p.ints("ANALOG", "OFFSET", [0] * n)
    p.floats("ANALOG", "GEN_SCALE", np.array(1.0), scalar=True)
    p.floats("ANALOG", "RATE", np.array(rate_hz), scalar=True)
    p.strings("ANALOG", "FORMAT", ["SIGNED"])
    # two 16-bit words, low first
    p.ints("TRIAL", "ACTUAL_START_FIELD", [1, 0])
    p.ints("TRIAL", "ACTUAL_END_FIELD", [n_frames & 0xFFFF, n_frames >> 16])
    p.floats("TRIAL", "CAMERA_RATE", np.array(rate_hz), scalar=True)
    n_ev = len(events)
    if n_ev <= 32767:
        p.ints("EVENT", "USED", [n_ev], scalar=True)
    else:
        p.floats("EVENT", "USED", np.array(n_ev), scalar=True)
    t = np.array([e.t_s for e in events], np.float64)
    minutes = np.floor(t / 60.0)
    times = np.vstack([minutes, t - 60.0 * minutes]).T  # (n, 2): column-major (2, n) in C3D
    contexts = [e.context for e in events]
    ev_labels = [e.label for e in events]
    for i, name in enumerate(_chunk_names("TIMES", n_ev)):
        p.floats("EVENT", name, times[i * CHUNK : (i + 1) * CHUNK].reshape(-1, 2))
    for i, name in enumerate(_chunk_names("CONTEXTS", n_ev)):
        p.strings("EVENT", name, contexts[i * CHUNK : (i + 1) * CHUNK])
    for i, name in enumerate(_chunk_names("LABELS", n_ev)):
        p.strings("EVENT", name, ev_labels[i * CHUNK : (i + 1) * CHUNK])
    for i, name in enumerate(_chunk_names("ICON_IDS", n_ev)):
        p.ints("EVENT", name, [0] * len(ev_labels[i * CHUNK : (i + 1) * CHUNK]))
    for i, name in enumerate(_chunk_names("GENERIC_FLAGS", n_ev)):
        p.ints("EVENT", name, [0] * len(ev_labels[i * CHUNK : (i + 1) * CHUNK]))
    ctx = sorted(set(contexts)) or ["General"]
    p.ints("EVENT_CONTEXT", "USED", [len(ctx)], scalar=True)
    p.strings("EVENT_CONTEXT", "LABELS", ctx)
    p.ints("EVENT_CONTEXT", "ICON_IDS", [0] * len(ctx))
    return p.section()


def _header(rate_hz: float, n_channels: int, n_frames: int, data_start: int) -> bytes:
    w = bytearray(BLOCK_BYTES)
    w[0], w[1] = 2, 0x50  # parameters start at block 2
    struct.pack_into("<HHHHH", w, 2, 0, n_channels, 1, min(n_frames, 65535), 0)
    struct.pack_into("<f", w, 12, -1.0)
    struct.pack_into("<HH", w, 16, data_start, 1)
    struct.pack_into("<f", w, 20, rate_hz)
    return bytes(w)


def write_c3d(
    out: BinaryIO,
    rate_hz: float,
    labels: Sequence[str],
    units: Sequence[str],
    descriptions: Sequence[str],
    analogs: np.ndarray,
    events: Sequence[Event],
) -> int:
    """Write a C3D of analog channels (n_channels, n_frames) and events.

    Returns:
        The parameter section's length in 512-byte blocks (over 255: readers that
        trust the one-byte block count see only the first 255; see the module docstring).

    Raises:
        ValueError: shapes disagree, a label is too long, or the parameter
            section would not fit below the 16-bit data-start block.
    """
    a = np.asarray(analogs)
    if a.ndim != 2 or a.shape[0] != len(labels) or len(units) != len(labels):
        raise ValueError(f"analogs {a.shape} do not match {len(labels)} labels/units")
    if len(labels) > 255:
        raise ValueError("over 255 analog channels: not supported")
    n_frames = int(a.shape[1])
    if n_frames < 1:
        raise ValueError("no frames to write")
    if n_frames >= 1 << 24:
        raise ValueError(f"{n_frames} frames: a float32 frame count is exact only below 2^24")
    # data start depends on the parameter section's length, which holds it: two passes
    size = len(_params(rate_hz, labels, units, descriptions, n_frames, events, 0))
    data_start = 2 + size // BLOCK_BYTES
    if data_start > 65535:
        raise ValueError("too many events: the parameter section passes the 32 MiB C3D limit")
    params = _params(rate_hz, labels, units, descriptions, n_frames, events, data_start)
    assert len(params) == size
    out.write(_header(rate_hz, len(labels), n_frames, data_start))
    out.write(params)
    # frames in chunks: a 2-hour run is too big to copy whole
    step = 65536
    for i in range(0, n_frames, step):
        out.write(np.ascontiguousarray(a[:, i : i + step].T, "<f4").tobytes())
    # no padding after the last frame: a reader that reads to the end of the file
    # (ezc3d, for over 65,534 frames) would take padding for frames
    return size // BLOCK_BYTES
