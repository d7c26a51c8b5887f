"""Damage the CRC cannot see: lost headers, sequence gaps and reorders, impossible values.

Issue 18 items 2, 6 and 7. Every record here passes its CRC; what is wrong is where
it is, what its seq says, or what its values are. The reader keeps whatever it
can, says what it found (with counts), and the library marks the session damaged;
nothing crashes and no session's records are read as another's.
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stridefw import records as R
from stridefw import sampleblock as SB
from stridefw.records import REC_SAMPLE_BLOCK
from stridekit.errors import BadSessionFile
from stridekit.library import Library, decode_session, split_sessions
from stridekit.replay import replay
from stridekit.session import (
    ADC_MAX,
    REORDER_WINDOW,
    Session,
    iter_records,
    sessions_from_records,
    step_payloads,
)
from stridekit.session_writer import SessionWriter
from stridekit.sim.record import write_run
from tests.conftest import sim

ENC = R.Encoder()


@pytest.fixture(scope="module")
def run_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    f = tmp_path_factory.mktemp("damage") / "run.strd"
    write_run(sim(seed=61, duration_s=25.0), f)
    return f.read_bytes()


def records_of(data: bytes) -> list[R.Record]:
    recs, dec = R.decode_all(data)
    assert dec.n_errors == 0
    return recs


def encode(recs: list[R.Record], old_style: bool = False) -> bytes:
    """Frames for records as they are (seq included); old_style: no leading 0x00."""
    return b"".join(ENC.encode(r.rtype, r.seq, r.payload)[1 if old_style else 0 :] for r in recs)


def state_of(data: bytes) -> tuple[str, list[str]]:
    d = decode_session(data)
    assert d is not None
    return d.state, d.issues


# ------------------------------------------------------------------ item 6: lost headers
def test_junk_before_an_old_style_header_loses_no_session(run_bytes: bytes) -> None:
    """A file written before the leading 0x00, with bytes of junk in front of the
    right foot's header (a torn append, serial noise). The old decoder took junk and
    header for one bad frame: the right session vanished and its records were read
    as more of the left one."""
    left, right = split_sessions(run_bytes)
    old = encode(records_of(left), True) + b"\x17\x42\x99" + encode(records_of(right), True)
    sessions = read_sessions_bytes(old)
    assert [s.foot for s in sessions] == ["left", "right"]
    want = [read_sessions_bytes(left)[0], read_sessions_bytes(right)[0]]
    for got, w in zip(sessions, want, strict=True):
        assert got.step_payloads == w.step_payloads and (got.cells == w.cells).all()
    assert any("junk" in i.reason for i in sessions[0].issues)  # where it was, said
    assert sessions[1].issues == []


def read_sessions_bytes(data: bytes, keep_orphans: bool = False) -> list[Session]:
    recs, issues, _ = iter_records(data)
    return sessions_from_records(recs, issues, keep_orphans)


def test_records_after_a_session_end_are_not_read_into_it(run_bytes: bytes) -> None:
    """The right header is corrupt: the left session stays the left session."""
    left, right = split_sessions(run_bytes)
    bad = bytearray(right)
    bad[10] ^= 0xFF  # inside the header frame: CRC mismatch
    sessions = read_sessions_bytes(left + bytes(bad))
    (s,) = sessions
    assert s.step_payloads == read_sessions_bytes(left)[0].step_payloads
    assert any("SessionHeader was lost" in i.reason for i in s.issues)
    kept = read_sessions_bytes(left + bytes(bad), keep_orphans=True)
    assert [x.foot for x in kept] == ["left", "unknown"] and kept[1].header_lost
    assert kept[1].step_payloads == read_sessions_bytes(right)[0].step_payloads


def test_a_header_that_does_not_parse_starts_a_lost_session(run_bytes: bytes) -> None:
    """A CRC-valid SessionHeader with a truncated payload: its records are kept apart."""
    left, right = split_sessions(run_bytes)
    rrecs = records_of(right)
    bad = [R.Record(R.REC_HEADER, 1, 0, rrecs[0].payload[:7], 0), *rrecs[1:]]
    data = left + encode(bad)
    kept = read_sessions_bytes(data, keep_orphans=True)
    assert [x.foot for x in kept] == ["left", "unknown"]
    assert kept[0].issues == []  # nothing of the bad header is blamed on the left foot
    assert any("SessionHeader: SessionHeader payload truncated" in i.reason for i in kept[1].issues)
    assert kept[1].step_payloads == read_sessions_bytes(right)[0].step_payloads
    assert [len(c) for c in split_sessions(data)] == [len(left), len(data) - len(left)]


def test_a_seq_restart_without_header_starts_another_session(run_bytes: bytes) -> None:
    """A torn session (no SessionEnd) followed by one whose header was lost."""
    left, right = split_sessions(run_bytes)
    lrecs = [r for r in records_of(left) if r.rtype != R.REC_END]
    rrecs = records_of(right)[1:]  # its header gone
    assert lrecs[-1].seq > REORDER_WINDOW + 2
    kept = read_sessions_bytes(encode(lrecs) + encode(rrecs), keep_orphans=True)
    assert [x.foot for x in kept] == ["left", "unknown"]
    assert len(kept[0].step_payloads) == sum(
        len(step_payloads(r)) for r in lrecs if r.rtype in (R.REC_STEP, R.REC_STEP_BLOCK)
    )
    assert kept[0].seq_reordered == kept[0].seq_missing == 0


# ------------------------------------------------------------------ item 7: sequence
def _left(run_bytes: bytes) -> list[R.Record]:
    return records_of(split_sessions(run_bytes)[0])


def test_a_missing_record_no_count_would_notice_marks_damage(run_bytes: bytes) -> None:
    """A Sync record gone (no SessionEnd count covers Syncs): old code said complete."""
    recs = _left(run_bytes)
    i = next(i for i, r in enumerate(recs) if r.rtype == R.REC_SYNC and i > 0)
    state, issues = state_of(encode(recs[:i] + recs[i + 1 :]))
    assert state == "damaged"
    assert any("sequence: 1 records missing in 1 gap(s)" in t for t in issues), issues


def test_reordered_and_repeated_records_mark_damage_with_counts(run_bytes: bytes) -> None:
    recs = _left(run_bytes)
    refs = [i for i, r in enumerate(recs) if r.rtype == R.REC_REF]
    a, b = refs[3], refs[4]
    swapped = list(recs)
    swapped[a], swapped[b] = swapped[b], swapped[a]
    state, issues = state_of(encode(swapped))
    assert state == "damaged" and any("1 out of order" in t for t in issues), issues
    sync = next(i for i, r in enumerate(recs) if r.rtype == R.REC_SYNC)
    twice = [*recs[: sync + 1], recs[sync], *recs[sync + 1 :]]
    d = decode_session(encode(twice))
    assert d is not None and d.state == "damaged"
    assert any("1 repeated (exact copies dropped)" in t for t in d.issues), d.issues
    assert len(d.session.syncs) == sum(r.rtype == R.REC_SYNC for r in recs)


def test_skipped_unknown_records_are_not_gaps(run_bytes: bytes) -> None:
    """A newer firmware's record type in the middle: skipped and noted, no gap."""
    recs = _left(run_bytes)
    out = []
    for r in recs:
        seq = r.seq + (1 if r.seq > 5 else 0)
        out.append(ENC.encode(r.rtype, seq, r.payload))
        if r.seq == 5:
            out.append(ENC.encode(99, 6, b"from the future"))
    state, issues = state_of(b"".join(out))
    assert state == "complete", issues
    assert issues == ["skipped 1 records of unknown type 99 v1"]


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    ops=st.lists(
        st.tuples(st.sampled_from(["drop", "dup", "swap"]), st.integers(1, 10**6)),
        min_size=1,
        max_size=6,
    )
)
def test_any_mix_of_drops_copies_and_swaps_is_counted(
    run_bytes: bytes, ops: list[tuple[str, int]]
) -> None:
    recs = _left(run_bytes)
    body = recs[1:-1]  # header and SessionEnd stay in place
    drops = dups = 0
    for op, k in ops:
        i = k % len(body)
        if op == "drop" and len(body) > 2:
            del body[i]
            drops += 1
        elif op == "dup":
            body.insert(i, body[i])
            dups += 1
        elif op == "swap" and i + 1 < len(body):
            body[i], body[i + 1] = body[i + 1], body[i]
    new = [recs[0], *body, recs[-1]]
    d = decode_session(encode(new))
    assert d is not None
    s = d.session
    changed = [r.seq for r in new] != [r.seq for r in recs]
    assert (d.state == "damaged") == changed, d.issues
    original = {r.seq for r in recs}
    present = {r.seq for r in new}
    assert s.seq_missing == len(original - present)
    seen: set[int] = set()
    copies = 0
    for r in new:
        copies += r.seq in seen
        seen.add(r.seq)
    assert s.seq_repeated == copies
    assert dups == 0 or copies or drops  # a copy was dropped again, or is counted


# ------------------------------------------------------------------ item 2: impossible values
header8 = R.SessionHeader(session_id=1, device_id=b"\x01" * 6, n_cells=8, layout_id=8)


def _session(samples: list[tuple[list[int], list[int] | None]], block: bool = False) -> bytes:
    w = SessionWriter()
    w.add(R.REC_HEADER, header8.to_bytes())
    if block and samples:  # a block holds one sample or more
        e = SB.SampleBlockEncoder(8, 10_000)
        e.start(0, 0)
        for cells, imu in samples:
            e.add(10_000, cells, imu)
        w.add(REC_SAMPLE_BLOCK, e.buf[: e.encode()])
    else:
        buf = bytearray(R.sample_len(8, True))
        for i, (cells, imu) in enumerate(samples):
            n = R.pack_sample_into(buf, i * 10_000, cells, imu)
            w.add(R.REC_SAMPLE, buf[:n])
    end = R.SessionEnd(len(samples) * 10_000, 0, len(samples), 0, 0, 0)
    w.add(R.REC_END, end.to_bytes())
    return bytes(w.out)


cell = st.one_of(st.integers(0, ADC_MAX), st.integers(0, 65535))
wide = st.one_of(cell, st.integers(-(2**20), 2**20))  # cut to 16 bits below
imu6 = st.one_of(st.none(), st.lists(st.integers(-32768, 32767), min_size=6, max_size=6))


@settings(max_examples=60)
@given(
    samples=st.lists(st.tuples(st.lists(wide, min_size=8, max_size=8), imu6), max_size=40),
    block=st.booleans(),
)
def test_cells_no_adc_reads_are_dropped_and_marked_never_crash(
    samples: list[tuple[list[int], list[int] | None]], block: bool
) -> None:
    """CRC-valid samples with cells above 4095: the old reader crashed in numpy
    (OverflowError) or passed them on and the kernel crashed on them (OverflowError
    in its 16-bit arrays). Sample records and SampleBlocks both hold 16 bits a cell
    (a version-2 block refuses anything else when it is written and when it is read)."""
    samples = [([c & 0xFFFF for c in cells], imu) for cells, imu in samples]
    data = _session(samples, block)
    d = decode_session(data)
    assert d is not None
    s = d.session
    good = [c for c, _ in samples if all(0 <= v <= ADC_MAX for v in c)]
    assert len(s.cells) == len(good)
    assert s.cells.size == 0 or int(s.cells.max()) <= ADC_MAX
    assert (d.state == "damaged") == (len(good) != len(samples))
    if len(good) != len(samples):
        assert any(f"outside 0..{ADC_MAX}" in t for t in d.issues)
    replay(s)  # the kernel gets only what an ADC can read


def test_replay_refuses_impossible_values_and_headers() -> None:
    s = read_sessions_bytes(_session([([1] * 8, None)] * 3))[0]
    s.cells[1, 2] = 40_000  # a Session built by other code than the reader
    with pytest.raises(BadSessionFile, match=r"outside 0\.\.4095"):
        replay(s)
    for hdr, why in (
        (R.SessionHeader(n_cells=8, layout_id=40), "unknown layout"),
        (R.SessionHeader(n_cells=16, layout_id=8), "has 8 cells"),
        (R.SessionHeader(n_cells=8, layout_id=8, calib=b"\x10\x41" + bytes(4)), "truncated"),
    ):
        w = SessionWriter()
        w.add(R.REC_HEADER, hdr.to_bytes())
        d = decode_session(bytes(w.out))
        assert d is not None and d.state == "damaged"
        assert any(why in t for t in d.issues), d.issues
        with pytest.raises(BadSessionFile, match=why):
            replay(d.session)


def test_library_keeps_a_session_with_impossible_values(tmp_path: Path) -> None:
    data = _session([([1] * 8, None), ([5000] * 8, None), ([2] * 8, [0] * 6)])
    with Library(tmp_path) as lib:
        (sid,) = lib.import_bytes(data, "odd.strd").session_ids
        row = lib.session(sid)
        assert row.state == "damaged" and row.n_samples == 2
        assert any("1 samples with cells outside" in i for i in row.issues)
        assert np.array_equal(lib.load(sid).cells[:, 0], [1, 2])


def test_step_payload_fields_are_read_at_their_widths() -> None:
    """A Step of all 0xFF bytes decodes (every field at its maximum), never raises."""
    st_ = R.Step.from_bytes(b"\xff" * 50)
    assert st_.index == 0xFFFFFFFF and st_.strike_pm == -1
    assert struct.calcsize(R.Step._fmt) == 50


def test_an_impossible_clock_is_no_start_time_and_the_listing_works(tmp_path: Path) -> None:
    """A CRC-valid Sync saying the year 148108: the old library stored it as the start,
    and `stride sessions` crashed (ValueError: year out of range) on every listing."""
    from typer.testing import CliRunner

    from stridekit.cli import app

    w = SessionWriter()
    w.add(R.REC_HEADER, header8.to_bytes())
    w.add(R.REC_SYNC, R.Sync(0, 2**62, 1).to_bytes())
    with Library(tmp_path) as lib:
        (sid,) = lib.import_bytes(bytes(w.out), "clock.strd").session_ids
        assert lib.session(sid).started_at is None
    r = CliRunner().invoke(app, ["sessions", "--library", str(tmp_path)])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(app, ["sessions", "--library", str(tmp_path), "--state", "bogus"])
    assert r.exit_code == 2 and "complete, partial, damaged" in r.output


def test_importing_again_after_a_replacement_changes_nothing(
    run_bytes: bytes, tmp_path: Path
) -> None:
    """A damaged copy of a session, then the complete one, in one file (found by the
    fuzzer): the complete copy replaces the damaged row; importing the file again used
    to add the damaged copy back as a new row. Its bytes are now known as superseded."""
    right = split_sessions(run_bytes)[1]
    recs = records_of(right)
    damaged = encode([*recs[:3], recs[2], *recs[3:]])  # one record twice
    data = damaged + right
    with Library(tmp_path) as lib:
        first = lib.import_bytes(data, "twice.strd")
        assert len(first.added) == 1 and first.replaced == first.added
        rows = lib.sessions()
        assert [r.state for r in rows] == ["complete"]
        again = lib.import_bytes(data, "twice.strd")
        assert again.added == again.replaced == [] and len(again.unchanged) == 2
        assert lib.sessions() == rows
        assert lib.import_bytes(damaged, "d.strd").unchanged == [rows[0].id]
