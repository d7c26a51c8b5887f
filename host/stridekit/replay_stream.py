"""`stride replay` of a session file in bounded memory: decode a window, run the kernel, drop it.

stridekit.session reads a whole file into numpy arrays (with a Python tuple per
sample on the way), so memory grows with the run: ~0.8 kB a sample, 1.2 GB for two
hours. Here the file is read a chunk at a time (stridekit.fastframes), raw samples
are gathered into windows of WINDOW_SAMPLES, each window goes through the one
kernel (replay.run_kernel, which carries the kernel across windows) and is dropped.
What is kept per session is what the pod wrote besides samples (steps, flags,
notes, references), so memory is bounded by the window and the step count.

This path reads clean streams: every record intact and known, sequence numbers
consecutive, samples within the ADC's range, a reference Note before the first
sample. A stream that is anything else (a lost or repeated frame, a session
without header, a bad payload) is read again by stridekit.session, whose rules for
damaged streams are the only ones, and replayed as before: the same result, with
memory that grows with the run (StreamReplay.streamed is then False and says why).
Either way the result is that of replay.replay on read_sessions' sessions;
tests/unit/test_replay_stream.py holds them equal.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from stridefw import kernel as fw_kernel
from stridefw import records as R
from stridefw import sampleblock as fw_sampleblock
from stridekit import fastblocks, native
from stridekit.errors import BadSessionFile
from stridekit.fastframes import FastFrameDecoder, iter_file_records
from stridekit.replay import (
    KernelOutput,
    ReplayResult,
    compare,
    kernel_for,
    not_replayable,
    replay,
    run_kernel,
)
from stridekit.session import (
    ADC_MAX,
    DecodeIssue,
    Session,
    header_problems,
    read_sessions,
    step_payloads,
)

# Raw samples decoded and replayed at a time (~40 B each in numpy, ~0.2 kB while the
# kernel takes them as lists); any size gives the same records.
WINDOW_SAMPLES = 16384
READ_BYTES = 1 << 20  # file bytes read at a time
_IMU_N = 6


@dataclass
class FootReplay:
    """One session of the file: what the pod stored (no sample arrays) and its replay."""

    session: Session  # header, steps, flags, notes, refs, syncs, end, issues
    n_samples: int
    result: ReplayResult | None  # None: no raw samples, or not replayable (reason)
    reason: str | None = None


@dataclass
class StreamReplay:
    feet: list[FootReplay] = field(default_factory=list)
    streamed: bool = True
    why_not_streamed: str | None = None  # the first thing that made the stream not clean


class _NotClean(Exception):
    """The stream needs stridekit.session's rules for damaged streams."""


def samples_to_arrays(
    payloads: list[bytes], n_cells: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """Sample payloads of one length as (t_us u32, cells, imu, imu_present); None if mixed.

    The layout is stridefw.records.pack_sample_into's (its SAMPLE_HEAD and sample_len);
    tests/unit/test_replay_stream.py checks this against records.unpack_sample.
    None when the payloads differ in length, count other cells or carry extra bytes:
    the caller then decodes them one by one with the firmware's unpack_sample.
    """
    if not payloads:
        return None
    size = len(payloads[0])
    if size == R.sample_len(n_cells, True):
        has_imu = 1
    elif size == R.sample_len(n_cells, False):
        has_imu = 0
    else:
        return None
    fields: list[tuple[str, str] | tuple[str, str, int]] = [
        ("t", "<u4"),
        ("n", "u1"),
        ("has_imu", "u1"),
        ("cells", "<u2", n_cells),
    ]
    if has_imu:
        fields.append(("imu", "<i2", _IMU_N))
    blob = b"".join(payloads)
    if len(blob) != size * len(payloads):
        return None
    rows = np.frombuffer(blob, dtype=np.dtype(fields))
    if np.any(rows["n"] != n_cells) or np.any(rows["has_imu"] != has_imu):
        return None
    m = len(rows)
    cells = rows["cells"].reshape(m, n_cells).astype(np.uint16)
    if has_imu:
        imu = rows["imu"].reshape(m, _IMU_N).astype(np.int16)
    else:
        imu = np.zeros((m, _IMU_N), np.int16)
    return rows["t"].astype(np.uint32), cells, imu, np.full(m, bool(has_imu))


def _decode_one_by_one(
    kinds: list[tuple[int, int, bytes]], n_cells: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sample and SampleBlock records (type, version, payload) through the firmware's
    decoders, in order."""
    t: list[int] = []
    cells: list[tuple[int, ...]] = []
    imu: list[tuple[int, ...]] = []
    present: list[bool] = []
    for rtype, version, payload in kinds:
        try:
            if rtype == R.REC_SAMPLE:
                ts, cs, ms = R.unpack_sample(payload)
                rows = [(ts, cs, ms)]
            else:
                bt, bc, bm = fw_sampleblock.decode_sample_block(payload, version)
                rows = list(zip(bt, bc, bm, strict=True))
        except ValueError as e:
            raise _NotClean(f"a {R.NAMES[rtype]} that does not decode: {e}") from e
        for ts, cs, ms in rows:
            if len(cs) != n_cells:
                raise _NotClean(f"a sample with {len(cs)} cells, header says {n_cells}")
            if min(cs, default=0) < 0 or max(cs, default=0) > ADC_MAX:
                raise _NotClean("a sample outside the ADC's range")
            if ms is not None and (min(ms) < -32768 or max(ms) > 32767):
                raise _NotClean("an IMU value outside int16")
            t.append(ts)
            cells.append(tuple(cs))
            imu.append(tuple(ms) if ms is not None else (0,) * _IMU_N)
            present.append(ms is not None)
    m = len(t)
    return (
        np.array(t, np.uint32),
        np.array(cells, np.uint16).reshape(m, n_cells),
        np.array(imu, np.int16).reshape(m, _IMU_N),
        np.array(present, bool),
    )


Decoded = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]

# SampleBlocks decoded together (fastblocks.decode_blocks, decode_blocks_v1): a run
# they do not take goes block by block, so one odd block costs only its run. Version 1:
# 64 was the fastest of 16, 64 and a whole window on 5-minute runs with and without
# dropouts (a dropout sends its run block by block). Version 2 runs take any IMU mix,
# and the decoder's steps per channel and sub-block are paid once per run: 146k, 408k,
# 707k and 824k samples/s in runs of 16, 64, 256 and 1024 blocks (8 cells + IMU), so a
# whole window (WINDOW_SAMPLES / 64 blocks). Version 3, the same decoder, has blocks
# of about 100 samples: 256 of them, about 1.6 windows, still read faster than a
# window's 160 (decode 4,660x against 3,820x real time on a 10-minute run, pure
# path). Version 4's blocks are version 3's, with two more predictors. A run they
# refuse has a damaged block or another cell count, which the firmware's decoder
# then reports.
# Versions 2 to 4 with the compiled reader (stridekit.sbreader, when `make setup` built it from the source
# on disk; native.status() says): the same samples, read block after block in C. A
# refused run is read again block by block (by that reader, or numpy's one-block
# decoder) and only the blocks refused again go to the firmware's decoder.
BLOCKS_PER_RUN = {1: 64, 2: 256, 3: 256, 4: 256}


Decoders = tuple[Callable[[list[bytes]], Decoded | None], Callable[[bytes], Decoded | None]]


def _decoders(version: int) -> Decoders | None:
    """The run and one-block decoders of a version, looked up per file: the compiled
    reader when native says this process has it, else numpy."""
    if version == 1:
        return fastblocks.decode_blocks_v1, fastblocks.decode_block_v1
    if version not in (2, 3, 4):
        return None
    compiled = native.sample_block_reader()
    if compiled is None:
        return (
            lambda qs: fastblocks.decode_blocks(qs, version),
            lambda q: fastblocks.decode_block(q, version),
        )
    return lambda qs: compiled(qs, version), lambda q: compiled([q], version)


def _blocks_in_runs(blocks: list[bytes], version: int) -> list[tuple[bytes, Decoded | None]]:
    """SampleBlocks of one version decoded BLOCKS_PER_RUN at a time; a run the run
    decoder does not take (version 1: IMU in some samples only; a cell count that
    changes; a damaged block) block by block with the version's one-block decoder (what
    it refuses, None: for the firmware's decoder). Pairs of (first block, its
    samples), in order."""
    decoders = _decoders(version)
    if decoders is None:
        return [(q, None) for q in blocks]
    run_decoder, block_decoder = decoders
    per_run = BLOCKS_PER_RUN[version]
    out: list[tuple[bytes, Decoded | None]] = []
    for a in range(0, len(blocks), per_run):
        run = blocks[a : a + per_run]
        together = run_decoder(run)
        if together is not None:
            out.append((run[0], together))
        else:
            out += [(q, block_decoder(q)) for q in run]
    return out


class _FootStream:
    """One session being read: its stored records, and its samples window by window."""

    def __init__(self, rec: R.Record, run: bool = True) -> None:
        try:
            hdr = R.SessionHeader.from_bytes(rec.payload)
        except ValueError as e:
            raise _NotClean(f"a SessionHeader that does not parse: {e}") from e
        problems = header_problems(hdr)
        if problems:
            raise _NotClean(problems[0])
        self.header = hdr
        nc = hdr.n_cells
        self.session = Session(
            hdr,
            np.zeros(0, np.int64),
            np.zeros((0, nc), np.uint16),
            np.zeros((0, _IMU_N), np.int16),
            np.zeros(0, bool),
            offset=rec.offset,
        )
        self.seq = rec.seq
        self.ended = False
        self.kernel: fw_kernel.StepKernel | None = None
        self.run = run  # False: decode only (stride bench)
        self.out = KernelOutput()
        self.n_samples = 0
        self._pending: list[tuple[int, int, bytes]] = []
        self._pending_samples = 0

    def add(self, rec: R.Record) -> None:
        if self.ended:
            raise _NotClean(f"a record after SessionEnd at byte {rec.offset}")
        if rec.seq != self.seq + 1:
            raise _NotClean(f"seq {rec.seq} after {self.seq} at byte {rec.offset}")
        self.seq = rec.seq
        s = self.session
        rtype = rec.rtype
        try:
            if rtype == R.REC_SAMPLE:
                self._pending.append((rtype, rec.version, rec.payload))
                self._pending_samples += 1
            elif rtype == R.REC_SAMPLE_BLOCK:
                self._pending.append((rtype, rec.version, rec.payload))
                self._pending_samples += rec.payload[7] if len(rec.payload) > 7 else 0
            elif rtype in (R.REC_STEP, R.REC_STEP_BLOCK):
                for q in step_payloads(rec):
                    s.steps.append(R.Step.from_bytes(q))
                    s.step_payloads.append(q)
            elif rtype == R.REC_FLAG:
                s.flags.append(R.Flag.from_bytes(rec.payload))
                s.flag_payloads.append(bytes(rec.payload))
            elif rtype == R.REC_SYNC:
                s.syncs.append(R.Sync.from_bytes(rec.payload))
            elif rtype == R.REC_NOTE:
                note = R.Note.from_bytes(rec.payload)
                s.notes.append(note)
                # replay.replay gives the kernel every Note of the session before its
                # first sample: a reference arriving later would have counted from the start
                if (
                    self.kernel is not None
                    and not self.kernel.has_ref
                    and kernel_for(self.header).set_reference_note(note.text)
                ):
                    raise _NotClean("a reference Note after the first sample")
            elif rtype == R.REC_REF:
                s.refs.append(R.RefEvent.from_bytes(rec.payload))
            elif rtype == R.REC_END:
                s.end = R.SessionEnd.from_bytes(rec.payload)
                self.ended = True
        except ValueError as e:
            raise _NotClean(f"{rec.name()} at byte {rec.offset}: {e}") from e
        if self._pending_samples >= WINDOW_SAMPLES:
            self.flush()

    def _decode_pending(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The gathered Sample and SampleBlock records as arrays, in order.

        Runs of Samples go through samples_to_arrays and runs of SampleBlocks of one
        version through stridekit.fastblocks; anything those do not read exactly, through
        the firmware's own decoders.
        """
        nc = self.header.n_cells
        parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        samples: list[bytes] = []
        blocks: list[bytes] = []
        blocks_version = 0

        def end_samples() -> None:
            if samples:
                fast = samples_to_arrays(samples, nc)
                if fast is None:
                    v = R.VERSIONS[R.REC_SAMPLE]
                    fast = _decode_one_by_one([(R.REC_SAMPLE, v, q) for q in samples], nc)
                parts.append(fast)
                samples.clear()

        def end_blocks() -> None:
            for q, one in _blocks_in_runs(blocks, blocks_version):
                if one is None:  # not read exactly here: the firmware's decoder says why
                    one = _decode_one_by_one([(R.REC_SAMPLE_BLOCK, blocks_version, q)], nc)
                elif len(one[0]) and one[1].shape[1] != nc:
                    raise _NotClean(f"a SampleBlock of {one[1].shape[1]} cells, header says {nc}")
                parts.append(one)
            blocks.clear()

        for rtype, version, payload in self._pending:
            if rtype == R.REC_SAMPLE:
                end_blocks()
                samples.append(payload)
            else:
                end_samples()
                if version != blocks_version:
                    end_blocks()
                    blocks_version = version
                blocks.append(payload)
        end_samples()
        end_blocks()
        t = np.concatenate([q[0] for q in parts])
        cells = np.concatenate([q[1].reshape(-1, nc) for q in parts])
        imu = np.concatenate([q[2] for q in parts])
        present = np.concatenate([q[3] for q in parts])
        if cells.size and (int(cells.min()) < 0 or int(cells.max()) > ADC_MAX):
            raise _NotClean("a sample outside the ADC's range")
        if imu.size and (int(imu.min()) < -32768 or int(imu.max()) > 32767):
            raise _NotClean("an IMU value outside int16")
        return t, cells.astype(np.uint16), imu.astype(np.int16), present

    def flush(self) -> None:
        """Decode the gathered samples and run the kernel over them."""
        if not self._pending:
            return
        t, cells, imu, present = self._decode_pending()
        self._pending = []
        self._pending_samples = 0
        if self.kernel is None:
            self.kernel = kernel_for(self.header, [n.text for n in self.session.notes])
        if self.run:
            run_kernel(self.kernel, t, cells, imu, present, self.out, self.n_samples)
        self.n_samples += len(t)

    def result(self) -> FootReplay:
        self.flush()
        if self.n_samples == 0:
            return FootReplay(self.session, 0, None)
        return FootReplay(self.session, self.n_samples, compare(self.session, self.out))


def _stream(path: Path, on_bytes: Callable[[int], None] | None, run: bool = True) -> StreamReplay:
    dec = FastFrameDecoder(track_skipped=True)
    feet: list[_FootStream] = []
    cur: _FootStream | None = None
    done = 0
    for rec in iter_file_records(path, dec, READ_BYTES):
        if rec.rtype == R.REC_HEADER:
            if cur is not None:
                feet.append(cur)
                cur.flush()
            cur = _FootStream(rec, run)
        elif cur is None:
            raise _NotClean(f"a {rec.name()} before any SessionHeader")
        else:
            cur.add(rec)
        if on_bytes is not None and rec.offset - done >= 1 << 20:
            on_bytes(rec.offset - done)
            done = rec.offset
    if cur is not None:
        feet.append(cur)
    if dec.n_skipped:
        raise _NotClean(f"{dec.n_skipped} records of unknown type or version")
    if not feet:
        raise _NotClean("no SessionHeader")
    out = StreamReplay([f.result() for f in feet])
    # stream-level issues go to the session whose span holds them (as stridekit.session)
    issues = [DecodeIssue(off, why) for off, why in dec.errors]
    if dec.n_errors > len(dec.errors):
        issues.append(DecodeIssue(-1, f"{dec.n_errors - len(dec.errors)} more damaged frames"))
    starts = [f.session.offset for f in out.feet]
    for iss in issues:
        i = max(0, bisect.bisect_right(starts, iss.offset) - 1)
        out.feet[i].session.issues.append(iss)
    return out


def _whole(path: Path, why: str) -> StreamReplay:
    """stridekit.session's reading and replay.replay: the rules for damaged streams."""
    out = StreamReplay(streamed=False, why_not_streamed=why)
    for s in read_sessions(path):
        n = len(s.sample_t_us)
        reason = not_replayable(s)
        res = None
        if n and reason is None:
            try:
                res = replay(s)
            except BadSessionFile as e:  # a header the kernel cannot run on
                reason = str(e)
        # the arrays are not needed past the replay: drop them as the streamed path does
        s.sample_t_us = np.zeros(0, np.int64)
        s.cells = np.zeros((0, s.header.n_cells), np.uint16)
        s.imu = np.zeros((0, _IMU_N), np.int16)
        s.imu_present = np.zeros(0, bool)
        out.feet.append(FootReplay(s, n, res, reason))
    return out


def stream_replay(path: Path, on_bytes: Callable[[int], None] | None = None) -> StreamReplay:
    """Replay every session of a session file, in memory bounded by a window if it is clean.

    on_bytes(n): n more bytes of the file read (for a progress bar).
    BadSessionFile when the file holds no session (stridekit.session.read_sessions).
    """
    try:
        return _stream(path, on_bytes)
    except _NotClean as e:
        return _whole(path, str(e))
    except BadSessionFile as e:
        # a header whose layout or calibration the kernel refuses: session's rules say how
        return _whole(path, str(e))


def decode_only(path: Path) -> int:
    """stride replay's windowed path without the kernel (stride bench's decode figure):
    the samples decoded, or -1 if the file is not clean (it would be read whole)."""
    try:
        return sum(f.n_samples for f in _stream(path, None, run=False).feet)
    except (_NotClean, BadSessionFile):
        return -1
