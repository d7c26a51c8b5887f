"""stride replay in windows (stridekit.replay_stream) gives replay.replay's results, in bounded memory.

The streamed path must agree with stridekit.session + replay.replay on every file:
clean ones it reads itself, damaged ones it hands back to them (and says so).
"""

from __future__ import annotations

import functools
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stridefw import records as R
from stridefw import sampleblock as SB
from stridekit import replay_stream
from stridekit.replay import replay
from stridekit.replay_stream import StreamReplay, samples_to_arrays, stream_replay
from stridekit.session import read_sessions, step_payloads
from stridekit.session_writer import SessionWriter
from stridekit.sim.gait import RunnerParams, simulate
from stridekit.sim.record import record_foot
from tests.unit import v1_blocks as V1

V1_SESSION = Path(__file__).parents[1] / "data" / "v1" / "session_v1.bin"
V2_SESSION = Path(__file__).parents[1] / "data" / "v2" / "session_v2.bin"
V3_SESSION = Path(__file__).parents[1] / "data" / "v3" / "session_v3.bin"


@functools.cache
def _sim_file(seconds: float, seed: int = 3) -> bytes:
    run = simulate(RunnerParams(duration_s=seconds, seed=seed, imu_dropout_rate_hz=0.2))
    return b"".join(record_foot(run, f, i + 1) for i, f in enumerate(run.feet))


def _v1_frames(w: SessionWriter, block: R.Record, every_other: bool) -> None:
    """A SampleBlock framed again as version-1 SampleBlocks of its samples (as
    many as the version-1 encoder's buffer needs; with every_other, only every other
    block by its sequence number, so versions alternate)."""
    if every_other and block.seq % 2:
        w.add(block.rtype, block.payload)
        return
    w.end()
    rows = list(zip(*SB.decode_sample_block(block.payload, block.version), strict=True))
    enc = V1.SampleBlockEncoder(block.payload[6], block.payload[4] | block.payload[5] << 8)
    framer = R.Encoder()
    prev = -1
    for t, cells, imu in rows:
        if enc.n and not enc.room():
            w.out += framer.encode(R.REC_SAMPLE_BLOCK, w.seq, enc.payload(), version=1)
            w.seq += 1
            enc.n = 0
        if enc.n == 0:
            enc.start(t & 0x3FFFFFFF, t >> 30)
        enc.add((t - prev) & 0xFFFFFFFF if prev >= 0 else 0, cells, imu)
        prev = t
    w.out += framer.encode(R.REC_SAMPLE_BLOCK, w.seq, enc.payload(), version=1)
    w.seq += 1


def _rewrite(data: bytes, step_blocks: bool, samples: str) -> bytes:
    """The file's sessions written again: Steps in StepBlocks (as the pod stores them) or
    single; raw samples in SampleBlocks ("v4"), as single Sample records ("records"),
    in version-1 SampleBlocks ("v1") or both versions by turns ("mixed"): older files."""
    recs, _ = R.decode_all(data)
    out = bytearray()
    w: SessionWriter | None = None
    buf = bytearray(R.MAX_PAYLOAD)
    for r in recs:
        if r.rtype == R.REC_HEADER:
            if w is not None:
                w.end()
                out += w.out
            w = SessionWriter(step_blocks=step_blocks)
            w.add(r.rtype, r.payload)
        elif w is None:
            continue
        elif r.rtype in (R.REC_STEP, R.REC_STEP_BLOCK):
            for q in step_payloads(r):
                w.add_step(q)
        elif r.rtype == R.REC_SAMPLE_BLOCK and samples == "records":
            for t, cells, imu in zip(*SB.decode_sample_block(r.payload, r.version), strict=True):
                w.add(R.REC_SAMPLE, buf[: R.pack_sample_into(buf, t, cells, imu)])
        elif r.rtype == R.REC_SAMPLE_BLOCK and samples in ("v1", "mixed"):
            _v1_frames(w, r, samples == "mixed")
        else:
            w.add(r.rtype, r.payload)
    if w is not None:
        w.end()
        out += w.out
    return bytes(out)


def _same_as_whole(path: Path, got: StreamReplay) -> None:
    sessions = read_sessions(path)
    assert len(got.feet) == len(sessions)
    for f, s in zip(got.feet, sessions, strict=True):
        assert f.n_samples == len(s.sample_t_us)
        assert [(i.offset, i.reason) for i in f.session.issues] == [
            (i.offset, i.reason) for i in s.issues
        ]
        assert f.session.step_payloads == s.step_payloads
        assert f.session.flag_payloads == s.flag_payloads
        assert [n.text for n in f.session.notes] == [n.text for n in s.notes]
        assert [r.to_bytes() for r in f.session.refs] == [r.to_bytes() for r in s.refs]
        if not len(s.sample_t_us):
            assert f.result is None
            continue
        want = replay(s)
        assert f.result is not None
        a, b = f.result.output, want.output
        assert a.step_payloads == b.step_payloads and a.step_at == b.step_at
        assert a.flag_payloads == b.flag_payloads and a.flag_at == b.flag_at
        assert (a.gaps, a.bad_ticks, a.rejected) == (b.gaps, b.bad_ticks, b.rejected)
        assert f.result.steps_identical == want.steps_identical
        assert f.result.first_difference == want.first_difference


def _not_called(*_: object) -> None:
    raise AssertionError("the firmware's SampleBlock decoder on the streamed path")


@pytest.mark.parametrize(
    "step_blocks, samples",
    [(False, "v4"), (True, "v4"), (False, "records"), (True, "v1"), (True, "mixed")],
)
def test_clean_file_streams_and_equals_the_whole_file_replay(
    tmp_path: Path, step_blocks: bool, samples: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = tmp_path / "run.strd"
    p.write_bytes(_rewrite(_sim_file(20.0), step_blocks, samples))
    recs = R.decode_all(p.read_bytes())[0]
    kinds = {r.rtype for r in recs}
    assert (R.REC_STEP_BLOCK in kinds) == step_blocks
    assert (R.REC_SAMPLE in kinds) == (samples == "records")
    versions = {r.version for r in recs if r.rtype == R.REC_SAMPLE_BLOCK}
    assert versions == {"v4": {4}, "records": set(), "v1": {1}, "mixed": {1, 4}}[samples]
    for window in (replay_stream.WINDOW_SAMPLES, 333):
        monkeypatch.setattr(replay_stream, "WINDOW_SAMPLES", window)
        with monkeypatch.context() as m:  # clean blocks never need the firmware's decoder
            m.setattr(replay_stream.fw_sampleblock, "decode_sample_block", _not_called)
            got = stream_replay(p)
        assert got.streamed, got.why_not_streamed
        assert all(f.result is not None and f.result.steps_identical for f in got.feet)
        _same_as_whole(p, got)


@pytest.mark.parametrize("path", [V1_SESSION, V2_SESSION, V3_SESSION], ids=["v1", "v2", "v3"])
def test_a_committed_older_session_streams(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """tests/data/v1, v2 and v3 (SampleBlocks written by the version-1, 2 and 3
    encoders, IMU dropouts) stream on the fast path, with the whole-file result."""
    with monkeypatch.context() as m:
        m.setattr(replay_stream.fw_sampleblock, "decode_sample_block", _not_called)
        got = stream_replay(path)
        assert replay_stream.decode_only(path) == 700
    assert got.streamed, got.why_not_streamed
    assert sum(f.n_samples for f in got.feet) == 700
    _same_as_whole(path, got)


def test_a_damaged_block_is_read_whole_with_the_firmwares_reason(tmp_path: Path) -> None:
    """A SampleBlock whose payload does not decode (its frame intact): the fast path
    refuses it, the firmware's decoder says why, and the file is read whole."""
    recs, _ = R.decode_all(_sim_file(20.0))
    out = bytearray()
    framer = R.Encoder()
    hit = False
    for r in recs:
        payload = r.payload
        if r.rtype == R.REC_SAMPLE_BLOCK and not hit and r.seq > 10:
            payload = payload + b"\x00"  # a trailing byte
            hit = True
        out += framer.encode(r.rtype, r.seq, payload, version=r.version)
    assert hit
    p = tmp_path / "run.strd"
    p.write_bytes(bytes(out))
    got = stream_replay(p)
    assert not got.streamed
    assert (
        got.why_not_streamed
        == "a SampleBlock that does not decode: SampleBlock has 1 bytes after its samples"
    )
    _same_as_whole(p, got)


def test_torn_tail_still_streams(tmp_path: Path) -> None:
    p = tmp_path / "run.strd"
    p.write_bytes(_sim_file(20.0)[:-7])
    got = stream_replay(p)
    assert got.streamed
    assert any("truncated" in i.reason for i in got.feet[-1].session.issues)
    _same_as_whole(p, got)


@settings(max_examples=25)
@given(st.data())
def test_damaged_file_gives_the_whole_file_result(
    tmp_path_factory: object, data: st.DataObject
) -> None:
    assert isinstance(tmp_path_factory, pytest.TempPathFactory)
    buf = bytearray(_sim_file(20.0))
    for _ in range(data.draw(st.integers(1, 3))):
        kind = data.draw(st.sampled_from(["flip", "cut", "copy"]))
        at = data.draw(st.integers(0, len(buf) - 1))
        if kind == "flip":
            buf[at] ^= data.draw(st.integers(1, 255))
        elif kind == "cut":
            del buf[at : at + data.draw(st.integers(1, 3000))]
        else:
            n = data.draw(st.integers(1, 3000))
            buf[at:at] = buf[at : at + n]
    p = tmp_path_factory.mktemp("dmg") / "run.strd"
    p.write_bytes(bytes(buf))
    try:
        want = read_sessions(p)
    except Exception as e:
        with pytest.raises(type(e)):
            stream_replay(p)
        return
    got = stream_replay(p)
    assert got.streamed or got.why_not_streamed
    assert len(got.feet) == len(want)
    _same_as_whole(p, got)


@settings(max_examples=200)
@given(
    st.integers(1, 16),
    st.booleans(),
    st.lists(
        st.tuples(st.integers(0, 2**32 - 1), st.integers(0, 4095), st.integers(-32768, 32767)),
        min_size=1,
        max_size=20,
    ),
)
def test_vectorised_samples_equal_the_firmware_unpack(
    n_cells: int, has_imu: bool, rows: list[tuple[int, int, int]]
) -> None:
    buf = bytearray(R.sample_len(n_cells, True))
    payloads = []
    for t, c, m in rows:
        cells = [(c + 37 * i) % 4096 for i in range(n_cells)]
        imu = [max(-32768, min(32767, m - 1000 * i)) for i in range(6)] if has_imu else None
        n = R.pack_sample_into(buf, t, cells, imu)
        payloads.append(bytes(buf[:n]))
    got = samples_to_arrays(payloads, n_cells)
    assert got is not None
    t_us, cells_a, imu_a, present = got
    for i, p in enumerate(payloads):
        t, cells, imu = R.unpack_sample(p)
        assert int(t_us[i]) == t and tuple(cells_a[i].tolist()) == cells
        assert bool(present[i]) == (imu is not None)
        if imu is not None:
            assert tuple(imu_a[i].tolist()) == imu
    # another cell count or an extra byte: not for the vectorised path
    assert samples_to_arrays(payloads, n_cells + 1) is None
    assert samples_to_arrays([payloads[0] + b"\x00", *payloads[1:]], n_cells) is None


def _peak_bytes(path: Path) -> int:
    tracemalloc.start()
    try:
        stream_replay(path)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Peak Python memory of a 30-s and a 2-minute replay: the samples added between them
    (18,000 over two feet) may add only what is kept per step, far below a sample's
    ~0.8 kB when the whole file is read (tested: that path fails this bound)."""
    monkeypatch.setattr(replay_stream, "WINDOW_SAMPLES", 2000)
    monkeypatch.setattr(replay_stream, "READ_BYTES", 1 << 16)
    short, long_ = tmp_path / "short.strd", tmp_path / "long.strd"
    short.write_bytes(_sim_file(30.0))
    long_.write_bytes(_sim_file(120.0))
    added = (120 - 30) * 100 * 2
    grow = _peak_bytes(long_) - _peak_bytes(short)
    assert grow / added < 60, f"{grow / added:.0f} B per added sample"
    # the bound can fail: the whole-file path holds the samples
    monkeypatch.setattr(
        replay_stream, "_stream", lambda p, _cb, run=True: replay_stream._whole(p, "test")
    )
    grow_whole = _peak_bytes(long_) - _peak_bytes(short)
    assert grow_whole / added > 60
