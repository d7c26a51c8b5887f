"""StepBlock (stridefw.stepblock): Steps packed for the flash, losslessly.

Round trips of any Step payloads (the kernel's 50-B layout, every field at its limits),
the size on a simulated run, and damage: a truncated or altered StepBlock either
decodes to Step payloads or raises ValueError, which stridekit.session reports as a
DecodeIssue, never a crash.
"""

from __future__ import annotations

import importlib.util
import struct
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stridekit
from stridefw import records as R
from stridefw import stepblock as SB
from stridefw.stepread import decode_step_block
from stridekit.session import sessions_from_bytes
from stridekit.session_writer import SessionWriter

# any value, often a limit (where the viper packer's 32-bit words could go wrong)
_FIELD = {
    "I": st.sampled_from((0, 2**31 - 1, 2**31, 2**32 - 1)) | st.integers(0, 2**32 - 1),
    "H": st.sampled_from((0, 2**15, 2**16 - 1)) | st.integers(0, 2**16 - 1),
    "h": st.sampled_from((-(2**15), -1, 2**15 - 1)) | st.integers(-(2**15), 2**15 - 1),
}


def _step_strategy() -> st.SearchStrategy[bytes]:
    fields = [_FIELD[c] for c in R.Step._fmt[1:]]
    return st.tuples(*fields).map(lambda v: struct.pack(R.Step._fmt, *v))


def _encode(steps: list[bytes]) -> bytes:
    enc = SB.StepBlockEncoder()
    for p in steps:
        enc.add(p)
    out = bytearray(SB.BLOCK_BYTES_MAX)
    return bytes(out[: enc.encode(out)])


def _running(n: int, contact_us: int = 0) -> list[bytes]:
    """Steps as the kernel writes them while running: each contact follows the last."""
    out = []
    c = contact_us
    stance = 230_000
    for i in range(n):
        swing = 0 if i == 0 else 470_000 + 997 * (i % 13)
        if i:
            c = (c + stance + swing) & 0xFFFFFFFF
            stance = 215_000 + 1_237 * (i % 17)
        out.append(
            R.Step(i, c, stance, swing, 15_000 + i, 118, 44_000, 2_400_000, 223, -7, 98, 1_550,
                   150, 630, 220, 340, 8_000, 256, 7_000).to_bytes()
        )  # fmt: skip
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_step_strategy(), min_size=1, max_size=SB.STEP_BLOCK_MAX))
def test_any_steps_round_trip(steps: list[bytes]) -> None:
    assert decode_step_block(_encode(steps)) == steps


def test_running_steps_cost_under_32_bytes_each_framed() -> None:
    steps = _running(SB.STEP_BLOCK_MAX, contact_us=(1 << 32) - 900_000)  # wraps inside
    payload = _encode(steps)
    assert decode_step_block(payload) == steps
    framed = len(R.Encoder().encode(R.REC_STEP_BLOCK, 0, payload)) - 1  # one 0x00 per frame
    assert framed / len(steps) <= 32, framed
    single = len(R.Encoder().encode(R.REC_STEP, 0, steps[0])) - 1
    assert single == 62


def test_encoder_is_reusable_and_refuses_nothing_it_was_given() -> None:
    enc = SB.StepBlockEncoder()
    out = bytearray(SB.BLOCK_BYTES_MAX)
    assert enc.encode(out) == 0
    steps = _running(2 * SB.STEP_BLOCK_MAX)
    full = [enc.add(p) for p in steps[: SB.STEP_BLOCK_MAX]]
    assert full == [False] * (SB.STEP_BLOCK_MAX - 1) + [True]
    first = bytes(out[: enc.encode(out)])
    for p in steps[SB.STEP_BLOCK_MAX :]:
        enc.add(p)
    second = bytes(out[: enc.encode(out)])
    assert decode_step_block(first) + decode_step_block(second) == steps


def test_a_full_block_refuses_a_ninth_step_and_keeps_its_eight() -> None:
    enc = SB.StepBlockEncoder()
    steps = _running(SB.STEP_BLOCK_MAX + 1)
    for p in steps[: SB.STEP_BLOCK_MAX]:
        enc.add(p)
    with pytest.raises(ValueError, match="full"):
        enc.add(steps[-1])
    out = bytearray(SB.BLOCK_BYTES_MAX)
    assert decode_step_block(bytes(out[: enc.encode(out)])) == steps[: SB.STEP_BLOCK_MAX]


@pytest.mark.parametrize("length", [0, R.STEP_LEN - 1, R.STEP_LEN + 1])
def test_a_payload_of_another_length_is_refused_and_the_buffer_keeps_its_size(length: int) -> None:
    enc = SB.StepBlockEncoder()
    enc.add(_running(1)[0])
    with pytest.raises(ValueError, match="50 bytes"):
        enc.add(bytes(length))
    assert len(enc.steps) == SB.STEP_BLOCK_MAX * R.STEP_LEN
    assert enc.n == 1


@pytest.mark.parametrize(
    "payload",
    [b"", b"\x01", bytes(51), b"\x00" + bytes(60), b"\x02" + bytes(50), b"\x01" + bytes(50) + b"\xff" * 20],
)  # fmt: skip
def test_malformed_blocks_raise_value_error(payload: bytes) -> None:
    with pytest.raises(ValueError):
        decode_step_block(payload)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_truncated_or_altered_blocks_decode_or_raise_value_error(data: st.DataObject) -> None:
    payload = bytearray(_encode(_running(data.draw(st.integers(1, SB.STEP_BLOCK_MAX)))))
    cut = data.draw(st.integers(0, len(payload)))
    del payload[cut:]
    for _ in range(data.draw(st.integers(0, 4))):
        if payload:
            i = data.draw(st.integers(0, len(payload) - 1))
            payload[i] = data.draw(st.integers(0, 255))
    try:
        steps = decode_step_block(bytes(payload))
    except ValueError:
        return
    assert steps and all(len(p) == R.STEP_LEN for p in steps)


def test_a_bad_step_block_in_a_file_is_a_decode_issue_and_the_rest_reads() -> None:
    steps = _running(12)
    w = SessionWriter()
    w.add(R.REC_HEADER, R.SessionHeader(layout_id=8, n_cells=8).to_bytes())
    w.add(R.REC_STEP_BLOCK, _encode(steps[:8]))
    w.add(R.REC_STEP_BLOCK, _encode(steps[8:])[:-3])  # CRC-valid, yet truncated inside
    w.add(R.REC_STEP, steps[11])  # a single Step (v1) still reads beside blocks
    (s,) = sessions_from_bytes(bytes(w.out))
    assert s.step_payloads == [*steps[:8], steps[11]]
    assert [i.reason for i in s.issues if "StepBlock" in i.reason], s.issues


def test_step_len_is_the_records_one() -> None:
    assert SB.STEP_LEN == R.STEP_LEN == struct.calcsize(R.Step._fmt)


def test_the_field_tables_are_the_records_layout() -> None:
    """The viper packer walks the layout by FIELD_KIND alone (size, 0x80 if signed)."""
    codes = R.Step._fmt[1:]
    assert bytes(SB.FIELD_KIND) == bytes({"I": 4, "H": 2, "h": 0x82}[c] for c in codes)
    offsets = [struct.calcsize(R.Step._fmt[: 1 + i]) for i in range(len(codes))]
    assert list(SB.FIELD_OFF) == offsets
    assert list(SB.FIELD_SIZE) == [k & 0x7F for k in SB.FIELD_KIND]


def test_cpython_packs_with_the_plain_twin() -> None:
    assert SB.STEP_PACK == "python" and SB._encode is SB.encode_steps_py


def test_the_web_page_counts_a_blocks_decoded_steps_and_reports_a_bad_one() -> None:
    """The page's summary (host/stridekit/web/py/stride_web.py, run here in CPython on the
    same firmware modules it loads in the browser) agrees with `stride`'s reader."""
    spec = importlib.util.spec_from_file_location(
        "stride_web", Path(stridekit.__file__).parent / "web" / "py" / "stride_web.py"
    )
    assert spec is not None and spec.loader is not None
    web = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(web)
    steps = _running(12)
    w = SessionWriter()
    w.add(R.REC_HEADER, R.SessionHeader(layout_id=8, n_cells=8).to_bytes())
    w.add(R.REC_STEP_BLOCK, _encode(steps[:8]))
    w.add(R.REC_STEP_BLOCK, _encode(steps[8:])[:-3])  # says 3 steps, decodes to none
    w.add(R.REC_STEP, steps[11])
    got = web.summarize(bytes(w.out))
    assert got["sessions"][0]["steps"] == 9
    assert got["n_errors"] == 1
    assert "StepBlock" in got["errors"][0][1]
