"""The fuzz layer, bounded: every target of tests/fuzz/targets.py inside the normal suite.

Two ways in: the seeded engine (tests/fuzz/engine.py: mutations of real sessions and
console traffic, CRC-valid damage included) for a few hundred inputs per target, and
hypothesis strategies that build frames, payloads and console lines from scratch.
Any exception other than a target's documented refusal fails the test. `make fuzz`
runs the engine for 10^5 inputs per target.
"""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stridefw import records as R
from stridefw.records import REC_SAMPLE_BLOCK
from tests.fuzz import engine
from tests.fuzz.targets import PARSER_OF, TARGETS

BOUNDED = 150  # engine inputs per target in the normal suite


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_engine_bounded_run_has_nothing_uncaught(name: str) -> None:
    t = engine.run_target(name, BOUNDED, seed=18)
    assert t.inputs == BOUNDED
    assert t.uncaught == 0, dict(t.crashes)


def test_engine_seeds_are_clean_and_replay_bit_identical() -> None:
    """The mutations start from intact sessions (else the fuzzer tests nothing deep)."""
    from stridekit.library import decode_session, split_sessions
    from stridekit.replay import replay

    whole, blocks, old, half = engine.session_seeds()
    for data in (whole, blocks, old):
        for chunk in split_sessions(data):
            d = decode_session(chunk)
            assert d is not None and d.state == "complete", d and d.issues
            if chunk is not blocks:
                assert replay(d.session).steps_identical
    d = decode_session(half)
    assert d is not None and d.state == "partial"


def _run(name: str, data: bytes) -> None:
    t = TARGETS[name]
    with contextlib.suppress(*t.refusals):
        t.run(data)


# ------------------------------------------------------------------ hypothesis
record = st.tuples(
    st.sampled_from([*sorted(R.VERSIONS), 0, 77, 255]),  # known, and not
    st.sampled_from([1, 1, 1, 0, 2]),  # version
    st.integers(0, 2**32 - 1) | st.integers(0, 40),  # seq
    st.binary(max_size=120),
)


def _frames(items: list[tuple[int, int, int, bytes]], old_style: bool, junk: bytes) -> bytes:
    enc = R.Encoder()
    out = bytearray()
    for i, (rtype, version, seq, payload) in enumerate(items):
        frame = enc.encode(rtype, seq, payload, version)
        out += frame[1:] if old_style else frame
        if junk and i == len(items) // 2:
            out += junk
    return bytes(out)


def _header(n_cells: int, layout: int, calib: bytes) -> tuple[int, int, int, bytes]:
    return (
        R.REC_HEADER,
        1,
        0,
        R.SessionHeader(n_cells=n_cells, layout_id=layout, calib=calib).to_bytes(),
    )


def _sample(t: int, cells: list[int], imu: list[int] | None) -> tuple[int, int, int, bytes]:
    buf = bytearray(R.sample_len(len(cells), imu is not None))
    n = R.pack_sample_into(buf, t, cells, imu)
    return (R.REC_SAMPLE, 1, 0, bytes(buf[:n]))


frame_streams = st.builds(
    lambda hdr, body, old, junk: _frames([hdr, *body], old, junk),
    st.builds(
        _header,
        st.sampled_from([8, 8, 16, 0, 3]),
        st.sampled_from([8, 16, 0, 99]),
        st.sampled_from([b"", b"\x08\x41", bytes(range(40))]),
    ),
    st.lists(
        record
        | st.builds(
            _sample,
            st.integers(0, 2**32 - 1),
            st.lists(st.integers(0, 65535), min_size=8, max_size=8),
            st.none() | st.lists(st.integers(-32768, 32767), min_size=6, max_size=6),
        ),
        max_size=30,
    ),
    st.booleans(),
    st.binary(max_size=40),
)


def _with_seqs(data: bytes) -> bytes:
    """Renumber seqs 0, 1, 2, ... (as a pod writes them) so the deep paths run too."""
    recs, _ = R.decode_all(data)
    enc = R.Encoder()
    return b"".join(enc.encode(r.rtype, i, r.payload, r.version) for i, r in enumerate(recs))


settings_ = settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])


@settings_
@given(data=st.binary(max_size=3000), renumber=st.booleans())
def test_codec_session_and_upload_take_any_bytes(data: bytes, renumber: bool) -> None:
    if renumber:
        data = _with_seqs(data)
    for name in ("codec", "session", "upload"):
        _run(name, data)


@settings_
@given(data=frame_streams, renumber=st.booleans())
def test_crc_valid_frames_of_any_content_never_crash(data: bytes, renumber: bool) -> None:
    """Frames that pass their CRC with any type, version, seq and payload."""
    if renumber:
        data = _with_seqs(data)
    for name in ("codec", "session", "replay", "upload", "library"):
        _run(name, data)


@settings_
@given(
    rtype=st.sampled_from(sorted(PARSER_OF)),
    payload=st.binary(max_size=300),
    nc=st.integers(0, 255),
    n=st.integers(0, 255),
)
def test_every_payload_parser_takes_any_bytes(rtype: int, payload: bytes, nc: int, n: int) -> None:
    if rtype == REC_SAMPLE_BLOCK and len(payload) >= 8:
        payload = payload[:6] + bytes([nc, n]) + payload[8:]
    _run("payloads", bytes([PARSER_OF[rtype]]) + payload)


console_lines = st.lists(
    st.one_of(
        st.lists(
            st.one_of(
                st.sampled_from(engine.CONSOLE_WORDS),
                st.integers(0, 10**13).map(str),
                st.tuples(st.integers(0, 10**5), st.integers(0, 10**7)).map(
                    lambda p: f"{p[0]}:{p[1]}"
                ),
            ),
            min_size=1,
            max_size=5,
        ).map(lambda ws: " ".join(ws).encode() + b"\n"),
        st.binary(max_size=100),
    ),
    min_size=1,
    max_size=8,
).map(b"".join)


@settings_
@given(data=console_lines)
def test_console_answers_any_input_and_keeps_sampling(data: bytes) -> None:
    TARGETS["console"].run(data)  # no refusal: every line is answered, OK or ERR 1..8


@settings_
@given(data=st.binary(max_size=400))
def test_gatt_writes_of_any_bytes_never_crash_the_pod_or_leak_to_an_unbonded_link(
    data: bytes,
) -> None:
    TARGETS["gatt"].run(data)  # no refusal: the pod answers, refuses or counts every write


def test_gatt_a_link_that_loses_its_bond_gets_none_of_what_the_bond_asked_for() -> None:
    # a bonded link queues requests, then is reported encrypted without a bond: what
    # it had asked for must not go out to it
    TARGETS["gatt"].run(
        bytes.fromhex(
            "00000001020000010001030005dc00c5f90003000907f935bce93cffffff64540003010805000300ffffffff02010a07423fc2270140420f0003010306f00002010805a702000000f700030a070399000000ffff02000401c902007aff0002000403f0000003000403990800117200020108054d0300000000000300020060020206ffc49cf2523402000200b2513d00020b03064d010200040199020005ab0002060773030001730300"
        )
    )
