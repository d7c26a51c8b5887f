"""The firmware's frame decoder with its common case in C, for replaying long sessions.

stridefw.records.FrameDecoder is the one definition of the framing and runs on the
pod, so its COBS decoder is plain Python: about half of a replay's decoding time.
FastFrameDecoder is that decoder with one shortcut. An intact frame (COBS decodes,
at least the frame overhead long, CRC-32 right) is decoded by the `cobs` package's
C extension and checked with binascii.crc32, then handed to the firmware's own
_record (type and version checks, skipped counts). Every other span (bad COBS, bad
CRC, too short, too long, a tail without delimiter) is fed to the firmware decoder
itself, at its stream offset, so errors, resynchronisation and skipped frames are
its, word for word. tests/unit/test_fastframes.py holds the two to the same records
and issues on random and corrupted streams.
"""

from __future__ import annotations

import binascii
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cobs import cobs  # pyright: ignore[reportMissingTypeStubs]

from stridefw import records as R

_CRC_LEN = 4


def _cobs_decode(enc: bytes | bytearray) -> bytes | None:
    """The frame's bytes, or None where COBS is malformed (the firmware then says why)."""
    try:
        return cobs.decode(enc)  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    except cobs.DecodeError:  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
        return None


class FastFrameDecoder(R.FrameDecoder):
    """stridefw.records.FrameDecoder, with intact frames decoded in C; same records, same errors."""

    def feed(self, data: bytes | bytearray | memoryview) -> list[R.Record]:  # type: ignore[override]
        """Feed bytes (any amount, any split); returns the records completed by them."""
        if not isinstance(data, bytes | bytearray):
            data = bytes(data)
        out: list[R.Record] = []
        first = data.find(b"\x00")
        if first < 0:
            return R.FrameDecoder.feed(self, data)
        pos = 0
        if self._buf or self._overlong:
            # a frame begun in an earlier feed: the firmware decoder ends it
            out += R.FrameDecoder.feed(self, data[: first + 1])
            pos = first + 1
        last = data.rfind(b"\x00")
        base = self._pos - pos  # stream offset of data[0]
        lim = self.max_encoded
        off = pos
        record = self._record
        crc32 = binascii.crc32
        for enc in data[pos:last].split(b"\x00") if last > pos else ():
            n = len(enc)
            if n:
                raw = _cobs_decode(enc) if n <= lim else None
                if (
                    raw is not None
                    and len(raw) >= R.FRAME_OVERHEAD
                    and crc32(memoryview(raw)[:-_CRC_LEN])
                    == int.from_bytes(raw[-_CRC_LEN:], "little")
                ):
                    rec = record(raw, base + off)
                    if rec is not None:
                        out.append(rec)
                else:
                    self._pos = base + off
                    out += R.FrameDecoder.feed(self, data[off : off + n + 1])
            off += n + 1
        # the delimiter at `last` has been passed; what follows it starts a frame
        self._pos = base + last + 1
        if last + 1 < len(data):
            out += R.FrameDecoder.feed(self, data[last + 1 :])
        return out


def decode_all(data: bytes | bytearray | memoryview) -> tuple[list[R.Record], R.FrameDecoder]:
    """stridefw.records.decode_all with the fast decoder: (records, decoder with its errors)."""
    dec = FastFrameDecoder(track_skipped=True)
    recs = dec.feed(data)
    dec.close()
    return recs, dec


CHUNK_BYTES = 1 << 20


def iter_file_records(
    f: BinaryIO | Path, dec: R.FrameDecoder, chunk_bytes: int = CHUNK_BYTES
) -> Iterator[R.Record]:
    """Records of a file read chunk_bytes at a time (memory bounded by the chunk, not the file).

    dec collects the errors and skipped frames; it is closed at the end of the file.
    """
    if isinstance(f, Path):
        with f.open("rb") as fh:
            yield from iter_file_records(fh, dec, chunk_bytes)
        return
    while True:
        chunk = f.read(chunk_bytes)
        if not chunk:
            break
        yield from dec.feed(chunk)
    dec.close()
