"""The host's fast frame decoder against the firmware's: same records, same issues.

stridekit.fastframes decodes intact frames in C and hands every other span to
stridefw.records.FrameDecoder; whatever the stream and however it is split into
feeds, both must give the same records and the same errors, resyncs and skips.
"""

from __future__ import annotations

import binascii

from cobs import cobs
from hypothesis import given, settings
from hypothesis import strategies as st

from stridefw import records as R
from stridekit.fastframes import FastFrameDecoder, decode_all, iter_file_records

ENC = R.Encoder()

# a small frame limit, so that overlong spans (junk without a delimiter) are cheap to make
SMALL_MAX_ENCODED = 300


def _state(dec: R.FrameDecoder, recs: list[R.Record]) -> tuple[object, ...]:
    return (
        [(r.rtype, r.version, r.seq, bytes(r.payload), r.offset) for r in recs],
        list(dec.errors),
        dec.n_errors,
        dict(dec.skipped),
        dec.n_skipped,
        dec.n_records,
        dec.n_resynced,
        list(dec.skipped_at or ()),
        dec.pending(),
    )


def _run(
    cls: type[R.FrameDecoder], chunks: list[bytes], max_encoded: int, close: bool
) -> tuple[object, ...]:
    dec = cls(max_encoded=max_encoded, keep_errors=1000, track_skipped=True)
    recs: list[R.Record] = []
    for c in chunks:
        recs += dec.feed(c)
    if close:
        dec.close()
    return _state(dec, recs)


_frames = st.lists(
    st.tuples(
        # known types, an unknown one, and versions 0..3 (0 and newer ones are skipped)
        st.sampled_from([*sorted(R.VERSIONS), 77]),
        st.integers(0, 2**32 - 1),
        st.binary(max_size=600) | st.sampled_from([b"\x00" * 300, b"\x01" * 300, b"\xff" * 520]),
        st.integers(0, 3),
        st.booleans(),  # with the leading 0x00, or as older encoders wrote it
    ),
    max_size=12,
)


def _short_frame(body: bytes) -> bytes:
    """COBS of body + its right CRC-32, shorter than any frame: the decoder must refuse it."""
    raw = body + binascii.crc32(body).to_bytes(4, "little")
    return b"\x00" + cobs.encode(raw) + b"\x00"


def _corrupt(data: st.DataObject, stream: bytearray) -> bytearray:
    for _ in range(data.draw(st.integers(0, 4))):
        kind = data.draw(st.sampled_from(["flip", "delete", "insert", "junk", "truncate"]))
        if not stream:
            break
        at = data.draw(st.integers(0, len(stream) - 1))
        if kind == "flip":
            stream[at] ^= data.draw(st.integers(1, 255))
        elif kind == "delete":
            del stream[at : at + data.draw(st.integers(1, 20))]
        elif kind == "insert":
            stream[at:at] = data.draw(st.binary(min_size=1, max_size=40))
        elif kind == "junk":  # a long run without 0x00: longer than a frame may be
            fill = bytes([data.draw(st.integers(1, 255))])
            stream[at:at] = fill * data.draw(st.integers(1, 3 * SMALL_MAX_ENCODED))
        else:
            del stream[at:]
    return stream


def _splits(data: st.DataObject, stream: bytes) -> list[bytes]:
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=6)))
    out: list[bytes] = []
    prev = 0
    for c in [*cuts, len(stream)]:
        out.append(stream[prev:c])
        prev = c
    return out


@settings(max_examples=400)
@given(_frames, st.data())
def test_same_records_and_issues_as_the_firmware_decoder(
    frames: list[tuple[int, int, bytes, int, bool]], data: st.DataObject
) -> None:
    stream = bytearray()
    for rtype, seq, payload, version, lead in frames:
        enc = ENC.encode(rtype, seq, payload, version)
        stream += enc if lead else enc[1:]
    for body in data.draw(st.lists(st.binary(max_size=R.FRAME_OVERHEAD - 5), max_size=2)):
        at = data.draw(st.integers(0, len(stream)))
        stream[at:at] = _short_frame(body)
    stream = _corrupt(data, stream)
    chunks = _splits(data, bytes(stream))
    close = data.draw(st.booleans())
    for max_encoded in (R.MAX_ENCODED, SMALL_MAX_ENCODED):
        want = _run(R.FrameDecoder, chunks, max_encoded, close)
        got = _run(FastFrameDecoder, chunks, max_encoded, close)
        assert got == want


@settings(max_examples=300)
@given(st.binary(max_size=2000), st.data())
def test_random_bytes_give_the_same_issues(blob: bytes, data: st.DataObject) -> None:
    chunks = _splits(data, blob)
    for max_encoded in (R.MAX_ENCODED, SMALL_MAX_ENCODED):
        assert _run(FastFrameDecoder, chunks, max_encoded, True) == _run(
            R.FrameDecoder, chunks, max_encoded, True
        )


def test_intact_frames_take_the_fast_path() -> None:
    """Counts the firmware decoder's own COBS calls: none for an intact stream (else the
    fast path is dead and the equality tests above prove nothing about it)."""
    calls = 0
    real = R.cobs_decode

    def counting(src: bytes) -> bytes:
        nonlocal calls
        calls += 1
        return real(src)

    stream = b"".join(ENC.encode(R.REC_NOTE, i, bytes([i % 256]) * i) for i in range(300))
    R.cobs_decode = counting
    try:
        recs, dec = decode_all(stream)
        assert len(recs) == 300 and dec.n_errors == 0
        assert calls == 0
        bad = bytearray(stream)
        bad[len(bad) // 2] ^= 0x55
        recs, dec = decode_all(bytes(bad))
        assert calls >= 1 and dec.n_errors >= 1 and len(recs) >= 298
    finally:
        R.cobs_decode = real


def test_file_records_in_chunks_equal_one_feed(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    stream = b"".join(ENC.encode(R.REC_NOTE, i, b"x\x00" * (i % 97)) for i in range(500))
    stream = stream[:-3]  # a torn tail
    p = tmp_path / "s.strd"
    p.write_bytes(stream)
    want_recs, want = R.decode_all(stream)
    dec = FastFrameDecoder()
    got_recs = list(iter_file_records(p, dec, chunk_bytes=333))
    assert _state(dec, got_recs) == _state(want, want_recs)
    assert dec.n_errors == 1  # the torn tail, reported
