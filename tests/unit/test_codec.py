"""The record codec: framing, CRC, COBS, resynchronisation, payload round trips."""

from __future__ import annotations

import binascii
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stridefw import records as R

ENC = R.Encoder()


def frame(rtype: int, seq: int, payload: bytes, version: int = 0) -> bytes:
    return ENC.encode(rtype, seq, payload, version)


def decode(data: bytes) -> tuple[list[R.Record], R.FrameDecoder]:
    return R.decode_all(data)


def old_frame(rtype: int, seq: int, payload: bytes, version: int = 0) -> bytes:
    """A frame as encoders before issue 18 wrote it: no leading 0x00."""
    enc = frame(rtype, seq, payload, version)
    assert enc[0] == 0
    return enc[1:]


def test_frame_layout_is_type_version_seq_payload_crc() -> None:
    enc = frame(R.REC_NOTE, 0x01020304, b"\x00hi")
    assert enc[0] == 0 and enc[-1] == 0 and 0 not in enc[1:-1]
    raw = R.cobs_decode(enc[1:-1])
    assert raw[0] == R.REC_NOTE and raw[1] == 1
    assert struct.unpack_from("<I", raw, 2)[0] == 0x01020304
    assert raw[6:-4] == b"\x00hi"
    assert struct.unpack_from("<I", raw, len(raw) - 4)[0] == binascii.crc32(raw[:-4])


@pytest.mark.parametrize("n", [0, 1, 253, 254, 255, 508, 1000, R.MAX_PAYLOAD])
def test_cobs_block_boundaries(n: int) -> None:
    for fill in (b"\x00", b"\x01", b"\xff"):
        payload = (fill * n)[:n]
        recs, dec = decode(frame(R.REC_NOTE, 7, payload))
        assert [r.payload for r in recs] == [payload] and dec.n_errors == 0


@given(
    st.lists(
        st.tuples(
            st.sampled_from(sorted(R.VERSIONS)), st.integers(0, 2**32 - 1), st.binary(max_size=600)
        ),
        max_size=20,
    )
)
def test_round_trip(items: list[tuple[int, int, bytes]]) -> None:
    data = b"".join(frame(t, s, p) for t, s, p in items)
    recs, dec = decode(data)
    assert [(r.rtype, r.seq, r.payload) for r in recs] == items
    assert dec.n_errors == 0 and dec.n_skipped == 0


@settings(max_examples=300)
@given(st.binary(max_size=300), st.data())
def test_any_single_corruption_is_detected_never_crashes(
    payload: bytes, data: st.DataObject
) -> None:
    good = frame(R.REC_STEP, 1, payload)
    pos = data.draw(st.integers(0, len(good) - 2))
    flip = data.draw(st.integers(1, 255))
    bad = bytearray(good)
    bad[pos] ^= flip
    recs, dec = decode(bytes(bad))
    # CRC-32 catches every burst shorter than 32 bits; a corrupted byte may also
    # split the frame at a new 0x00, but no record with other content may appear.
    assert all(r.payload == payload and r.seq == 1 for r in recs)
    if not recs:
        assert dec.n_errors >= 1


@settings(max_examples=200)
@given(st.binary(max_size=2000), st.lists(st.binary(max_size=100), min_size=1, max_size=5))
def test_resync_after_garbage(garbage: bytes, payloads: list[bytes]) -> None:
    good = b"".join(frame(R.REC_NOTE, i, p) for i, p in enumerate(payloads))
    # garbage, then a delimiter, then intact frames: all intact frames come out
    recs, _ = decode(garbage + b"\x00" + good)
    tail = [r for r in recs if r.offset >= len(garbage) + 1]
    assert [r.payload for r in tail] == payloads


@given(st.binary(max_size=3000))
def test_random_bytes_never_crash(blob: bytes) -> None:
    recs, _ = decode(blob)
    for r in recs:  # anything that decodes passed its CRC
        assert r.rtype in R.VERSIONS


def test_stream_fed_in_pieces_equals_whole() -> None:
    data = b"".join(frame(R.REC_NOTE, i, bytes([i]) * i) for i in range(50))
    whole, _ = decode(data)
    dec = R.FrameDecoder()
    pieces: list[R.Record] = []
    for i in range(0, len(data), 7):
        pieces += dec.feed(data[i : i + 7])
    assert [(r.seq, r.payload, r.offset) for r in pieces] == [
        (r.seq, r.payload, r.offset) for r in whole
    ]


def test_unknown_type_and_newer_version_are_skipped_and_counted() -> None:
    data = frame(200, 1, b"x") + frame(R.REC_STEP, 2, b"y", version=9) + frame(R.REC_NOTE, 3, b"ok")
    recs, dec = decode(data)
    assert [r.seq for r in recs] == [3]
    assert dec.n_skipped == 2 and dec.skipped == {(200, 1): 1, (R.REC_STEP, 9): 1}


def test_truncated_tail_and_corrupt_frame_report_offsets() -> None:
    a, b, c = (
        frame(R.REC_NOTE, 1, b"a" * 40),
        frame(R.REC_NOTE, 2, b"b" * 40),
        frame(R.REC_NOTE, 3, b"c" * 40),
    )
    bad_b = bytearray(b)
    bad_b[10] ^= 0x55
    data = a + bytes(bad_b) + c[:-5]
    recs, dec = decode(data)
    assert [r.seq for r in recs] == [1]
    offsets = [off for off, _ in dec.errors]
    assert offsets == [len(a) + 1, len(a) + len(b) + 1]  # after each leading 0x00
    assert "CRC" in dec.errors[0][1] and "truncated" in dec.errors[1][1]


def test_overlong_frame_is_dropped_and_stream_recovers() -> None:
    dec = R.FrameDecoder(max_encoded=64)
    recs = dec.feed(b"\x01" * 500 + b"\x00" + frame(R.REC_NOTE, 5, b"fine"))
    assert [r.seq for r in recs] == [5] and dec.n_errors == 1


# ------------------------------------------------ junk in front of a frame (issue 18 item 6)
nonzero = st.binary(max_size=600).map(lambda b: bytes(x or 1 for x in b))
header = R.SessionHeader(session_id=3, device_id=b"abcdef", calib=bytes(range(1, 40)))


@settings(max_examples=300)
@given(junk=nonzero, pieces=st.integers(1, 40))
def test_junk_cannot_swallow_an_old_style_header(junk: bytes, pieces: int) -> None:
    """Bytes without 0x00 right before a frame written without its leading 0x00.

    The old decoder took junk + header for one frame, failed its CRC and lost the
    header, and with it the session. Now the header comes out, the junk is reported
    at its own offset, however the stream is split.
    """
    hdr = old_frame(R.REC_HEADER, 0, header.to_bytes())
    step = old_frame(R.REC_STEP, 1, bytes(50))
    data = junk + hdr + step
    dec = R.FrameDecoder()
    recs: list[R.Record] = []
    for i in range(0, len(data), pieces):
        recs += dec.feed(data[i : i + pieces])
    dec.close()
    assert [(r.rtype, r.seq, r.offset) for r in recs] == [
        (R.REC_HEADER, 0, len(junk)),
        (R.REC_STEP, 1, len(junk) + len(hdr)),
    ]
    assert R.SessionHeader.from_bytes(recs[0].payload) == header
    if junk:
        assert dec.errors and dec.errors[0][0] == 0 and "junk" in dec.errors[0][1]
    else:
        assert dec.n_errors == 0


def test_overlong_junk_cannot_swallow_a_frame() -> None:
    """More junk than any frame can hold: the frame at its end still comes out."""
    junk = bytes(range(1, 256)) * 40  # 10 kB, no 0x00
    for tail in (old_frame(R.REC_HEADER, 0, header.to_bytes()), frame(R.REC_NOTE, 1, b"x")):
        recs, dec = decode(junk + tail)
        assert len(recs) == 1 and recs[0].offset == len(junk) + (tail[0] == 0)
        assert dec.n_errors == 1 and dec.errors[0][0] == 0


def test_a_leading_zero_protects_a_frame_from_any_junk() -> None:
    """New frames start with 0x00: junk ending in anything, even a torn frame, stays apart."""
    torn = frame(R.REC_STEP, 9, bytes(50))[:-20]
    for junk in (b"\x05\x01\x01", torn, torn + b"\xff" * 3):
        recs, _ = decode(junk + frame(R.REC_HEADER, 0, header.to_bytes()))
        assert [r.rtype for r in recs] == [R.REC_HEADER]


def test_old_and_new_streams_read_the_same() -> None:
    """Empty frames (runs of 0x00) are nothing: old files read as before, and the
    extra 0x00 a new encoder writes is nothing to a reader that predates it."""
    items = [(R.REC_NOTE, i, bytes([i]) * i) for i in range(1, 30)]
    old = b"".join(old_frame(*it) for it in items)
    new = b"".join(frame(*it) for it in items)
    for data in (old, new, b"\x00\x00" + old + b"\x00" * 5):
        recs, dec = decode(data)
        assert [(r.rtype, r.seq, r.payload) for r in recs] == items
        assert dec.n_errors == 0 and dec.n_skipped == 0


def test_encode_into_adds_the_leading_zero_only_where_needed() -> None:
    enc = R.Encoder()
    buf = bytearray(200)
    end = enc.encode_into(buf, 0, R.REC_NOTE, 1, b"a")
    assert buf[0] == 0
    end2 = enc.encode_into(buf, end, R.REC_NOTE, 2, b"b")  # right after a frame's 0x00
    assert buf[end] != 0 and end2 - end == end - 1
    buf[end2] = 7  # something else before it: the leading 0x00 goes in
    end3 = enc.encode_into(buf, end2 + 1, R.REC_NOTE, 3, b"c")
    assert buf[end2 + 1] == 0 and end3 - end2 - 1 == end
    recs, _ = decode(bytes(buf[:end3]))
    assert [r.seq for r in recs] == [1, 2, 3]


def test_max_encoded_holds_the_worst_frame() -> None:
    enc = R.Encoder()
    out = bytearray(R.MAX_ENCODED)
    for fill in (b"\x01", b"\x00"):
        end = enc.encode_into(out, 0, R.REC_NOTE, 0xFFFFFFFF, fill * R.MAX_PAYLOAD)
        assert end <= R.MAX_ENCODED


def test_resync_tries_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """A span built so that every position looks like a frame start: a few decodes only."""
    calls = [0]
    real = R.cobs_decode

    def counting(src: bytes) -> bytes:
        calls[0] += 1
        return real(src)

    monkeypatch.setattr(R, "cobs_decode", counting)
    junk = b"\x03\x01\x01" * 1300  # each 0x03 chains to the end with type 1 version 1
    recs, dec = decode(junk + b"\x00")
    assert recs == [] and dec.n_errors == 1
    assert calls[0] <= 1 + R._RESYNC_TRIES


@given(
    st.builds(
        R.Step,
        *[st.integers(0, 2**32 - 1)] * 4,
        *[st.integers(0, 65535)] * 2,
        *[st.integers(0, 2**32 - 1)] * 2,
        *[st.integers(-32768, 32767)] * 2,
        *[st.integers(0, 65535)] * 9,
    )
)
def test_step_payload_round_trip(step: R.Step) -> None:
    assert R.Step.from_bytes(step.to_bytes()) == step
    assert len(step.to_bytes()) == 50


@pytest.mark.parametrize(
    "obj",
    [
        R.Flag(1, 2, 3, 4, 0),
        R.Sync(5, -6, 1),
        R.Battery(7, 3700, 80),
        R.SessionEnd(1, 2, 3, 4, 5, 6),
        R.SessionHeader(session_id=9, device_id=b"abcdef", foot=1, calib=b"\x01\x02"),
    ],
)
def test_payload_round_trips(
    obj: R.Flag | R.Sync | R.Battery | R.SessionEnd | R.SessionHeader,
) -> None:
    again = type(obj).from_bytes(obj.to_bytes())
    assert again == obj and again.to_bytes() == obj.to_bytes()


def test_truncated_payloads_raise_value_error() -> None:
    with pytest.raises(ValueError, match="truncated"):
        R.Step.from_bytes(b"\x00" * 49)
    with pytest.raises(ValueError, match="truncated"):
        R.unpack_sample(b"\x00" * 5)
    with pytest.raises(ValueError):
        R.Note.from_bytes(b"\x00\x00\x00\x00\xff")


@given(
    st.integers(0, 2**32 - 1),
    st.lists(st.integers(0, 4095), min_size=1, max_size=16),
    st.one_of(st.none(), st.lists(st.integers(-32768, 32767), min_size=6, max_size=6)),
)
def test_sample_round_trip(t: int, cells: list[int], imu: list[int] | None) -> None:
    buf = bytearray(R.sample_len(16, True))
    n = R.pack_sample_into(buf, t, cells, imu)
    assert n == R.sample_len(len(cells), imu is not None)
    t2, c2, i2 = R.unpack_sample(bytes(buf[:n]))
    assert (t2, list(c2), None if i2 is None else list(i2)) == (t, cells, imu)


@pytest.mark.mpy
@pytest.mark.usefixtures("micropython_available")
def test_resync_gives_the_same_records_inside_micropython() -> None:
    """The resynchronising decoder runs on the pod too (store recovery): same records,
    same errors, on junk before old-style frames, overlong junk and torn frames."""
    from stridekit import mpy

    junk = bytes(range(1, 256)) * 20
    data = (
        b"\x17\x42"
        + old_frame(R.REC_HEADER, 0, header.to_bytes())
        + junk
        + old_frame(R.REC_STEP, 1, bytes(50))
        + frame(R.REC_STEP, 2, bytes(50))[:-9]
        + frame(R.REC_NOTE, 3, R.Note(1, "after").to_bytes())
    )
    recs, dec = decode(data)
    assert [r.seq for r in recs] == [0, 1, 3]
    script = r"""
from stridefw import records
data = open("/in.bin", "rb").read()
dec = records.FrameDecoder()
out = []
for i in range(0, len(data), 333):
    out += dec.feed(data[i:i + 333])
dec.close()
for r in out:
    print("rec", r.rtype, r.seq, r.offset, len(r.payload))
for off, why in dec.errors:
    print("err", off, why)
"""
    res = mpy.run(script, {"/in.bin": data})
    want = [f"rec {r.rtype} {r.seq} {r.offset} {len(r.payload)}" for r in recs]
    want += [f"err {off} {why}" for off, why in dec.errors]
    assert res.stdout.split("\n")[: len(want)] == want
