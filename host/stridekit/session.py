"""Sessions on the host: framed records from a file (or any byte stream) as numpy arrays.

A session is what one pod recorded between `rec start` and `rec stop`: a
SessionHeader, then Sample, Step, Flag, Sync, Battery and Note records, and a
SessionEnd. A file may hold several sessions (e.g. the left and the right pod of a
simulated run), each starting at its header. Decoding uses the firmware's own
codec (stridefw.records); nothing here re-implements the wire format.
"""

from __future__ import annotations

import binascii
import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from stridefw import calib as fw_calib
from stridefw import config as fw_config
from stridefw import layouts as fw_layouts
from stridefw import records as R
from stridefw import stepread as fw_stepread
from stridekit.errors import BadSessionFile

FOOT_NAMES = {0: "left", 1: "right"}
FOOT_UNKNOWN = 0xFF  # the foot of a stand-in header (Session.header_lost)
U32 = 1 << 32
ADC_MAX = fw_config.ADC_MAX  # raw cell counts are 12-bit: 0..4095
# A record whose seq is this far below the highest seq of the session being read
# does not belong to it: it starts another session whose SessionHeader was lost.
# Closer below is a record out of order (kept, counted).
REORDER_WINDOW = 64


@dataclass
class DecodeIssue:
    """Something in the byte stream that was not an intact, known record."""

    offset: int
    reason: str


@dataclass
class Session:
    header: R.SessionHeader
    sample_t_us: np.ndarray  # int64, unwrapped microseconds from session start
    cells: np.ndarray  # uint16 (N, n_cells), each 0..ADC_MAX
    imu: np.ndarray  # int16 (N, 6); rows where imu_present is False are zeros
    imu_present: np.ndarray  # bool (N,)
    steps: list[R.Step] = field(default_factory=list)
    step_payloads: list[bytes] = field(default_factory=list)
    flags: list[R.Flag] = field(default_factory=list)
    flag_payloads: list[bytes] = field(default_factory=list)
    syncs: list[R.Sync] = field(default_factory=list)
    notes: list[R.Note] = field(default_factory=list)
    refs: list[R.RefEvent] = field(default_factory=list)
    end: R.SessionEnd | None = None
    issues: list[DecodeIssue] = field(default_factory=list)
    # The SessionHeader was lost (corrupt, or the stream began after it): `header`
    # is a stand-in (device 000000000000, foot FOOT_UNKNOWN, nominal calibration,
    # cells and rate as the samples show them); the records are the pod's own.
    header_lost: bool = False
    offset: int = 0  # stream offset of the session's first record
    seq_missing: int = 0  # sequence numbers absent between the session's first and last
    seq_reordered: int = 0  # records that came after one with a higher seq
    seq_repeated: int = 0  # records whose seq was seen before (exact copies dropped)

    @property
    def foot(self) -> str:
        if self.header_lost:
            return "unknown"
        return FOOT_NAMES.get(self.header.foot, f"foot{self.header.foot}")

    @property
    def duration_s(self) -> float:
        """Last sample, SessionEnd or last step, whichever is latest.

        A pod whose raw capture stopped (flash full, or capture off) keeps recording
        steps, so the samples alone can end early.
        """
        last = int(self.sample_t_us[-1]) if len(self.sample_t_us) else 0
        if self.steps:
            contact = unwrap_u32(np.array([s.contact_us for s in self.steps], dtype=np.int64))
            last = max(last, int(contact[-1]) + self.steps[-1].stance_us)
        if self.end is not None:
            end = self.end.t_us + (max(0, last - self.end.t_us) + U32 - 1) // U32 * U32
            last = max(last, end)
        return last / 1e6

    def ref_times_s(self, kind: int) -> np.ndarray:
        """Reference (ground-truth) event times of one kind, s from session start."""
        t = np.array([r.t_us for r in self.refs if r.kind == kind], dtype=np.int64)
        return unwrap_u32(t) / 1e6

    def step_times_s(self) -> tuple[np.ndarray, np.ndarray]:
        """Contact and toe-off times (s from session start), u32 wrap undone."""
        contact = unwrap_u32(np.array([s.contact_us for s in self.steps], dtype=np.int64))
        stance = np.array([s.stance_us for s in self.steps], dtype=np.int64)
        return contact / 1e6, (contact + stance) / 1e6


def unwrap_u32(t: np.ndarray) -> np.ndarray:
    """Undo u32 microsecond wraps in a time series that only moves forward."""
    if len(t) == 0:
        return t.astype(np.int64)
    d = np.diff(t.astype(np.int64))
    wraps = np.concatenate([[0], np.cumsum(d < -(U32 // 2))])
    return t.astype(np.int64) + wraps * U32


@dataclass
class Decoded:
    """Everything the codec made of a byte stream."""

    records: list[R.Record]
    issues: list[DecodeIssue]
    skipped: dict[tuple[int, int], int]  # (type, version) -> count
    skipped_at: list[tuple[int, int]]  # (offset, seq) of each skipped frame


def decode_bytes(data: bytes) -> Decoded:
    """Decode every intact record; corrupt spans become DecodeIssues with their offsets."""
    dec = R.FrameDecoder(track_skipped=True)
    recs = dec.feed(data)
    dec.close()
    issues = [DecodeIssue(off, why) for off, why in dec.errors]
    if dec.n_errors > len(dec.errors):
        issues.append(DecodeIssue(-1, f"{dec.n_errors - len(dec.errors)} more damaged frames"))
    return Decoded(recs, issues, dict(dec.skipped), list(dec.skipped_at or ()))


def iter_records(
    data: bytes,
) -> tuple[list[R.Record], list[DecodeIssue], dict[tuple[int, int], int]]:
    """Decode every intact record; corrupt spans become DecodeIssues with their offsets."""
    d = decode_bytes(data)
    return d.records, d.issues, d.skipped


def _block_samples(
    rec: R.Record,
) -> tuple[list[int], list[tuple[int, ...]], list[tuple[int, ...] | None]]:
    """A SampleBlock's samples as the firmware's reader gives them: through the compiled
    version-2 to 4 reader when this process has one (the same samples, checked by
    tests/unit/test_sbreader.py; the firmware's reads bit by bit in Python), else, and
    for anything it refuses, the firmware's reader, which says what is wrong."""
    if rec.version in (2, 3, 4):
        from stridekit import native

        reader = native.sample_block_reader()
        got = reader([bytes(rec.payload)], rec.version) if reader is not None else None
        if got is not None:
            t, cells, imu, present = got
            rows = imu.tolist()
            return (
                t.tolist(),
                [tuple(c) for c in cells.tolist()],
                [tuple(m) if p else None for m, p in zip(rows, present.tolist(), strict=True)],
            )
    from stridefw.sampleblock import decode_sample_block

    return decode_sample_block(rec.payload, rec.version)


def step_payloads(rec: R.Record) -> list[bytes]:
    """The kernel's Step payloads in a Step or StepBlock record (ValueError if malformed).

    The one decode entry point for steps: a pod stores them in StepBlocks, the live
    stream and older files as single Steps; both give the same 50-B payloads.
    """
    if rec.rtype == R.REC_STEP_BLOCK:
        return fw_stepread.decode_step_block(rec.payload)
    R.Step.from_bytes(rec.payload)  # raises on a truncated payload
    return [bytes(rec.payload)]


def header_problems(hdr: R.SessionHeader) -> list[str]:
    """What in a CRC-valid SessionHeader no pod writes (the kernel cannot run on it)."""
    out: list[str] = []
    try:
        layout = fw_layouts.by_id(hdr.layout_id)
    except ValueError as e:
        out.append(f"SessionHeader: {e}")
    else:
        if layout.n_cells != hdr.n_cells:
            out.append(
                f"SessionHeader: layout {hdr.layout_id} has {layout.n_cells} cells, "
                f"header says {hdr.n_cells}"
            )
    if hdr.calib:
        try:
            cal = fw_calib.Calibration.from_bytes(hdr.calib)
        except ValueError as e:
            out.append(f"SessionHeader: {e}")
        else:
            if cal.n_cells != hdr.n_cells:
                out.append(
                    f"SessionHeader: calibration for {cal.n_cells} cells, header says {hdr.n_cells}"
                )
    if hdr.foot not in FOOT_NAMES:
        out.append(f"SessionHeader: foot {hdr.foot} is neither left (0) nor right (1)")
    if hdr.has_imu not in (0, 1):
        out.append(f"SessionHeader: has_imu {hdr.has_imu}")
    if hdr.rate_hz == 0:
        out.append("SessionHeader: sample rate 0 Hz")
    return out


def sessions_from_records(
    recs: Iterable[R.Record],
    issues: list[DecodeIssue] | None = None,
    keep_orphans: bool = False,
    skipped_at: Iterable[tuple[int, int]] = (),
) -> list[Session]:
    """Group records into sessions, each starting at its SessionHeader.

    Records that belong to no header (before the first one, after a SessionEnd, or
    whose seq restarts far below the session's: a session whose header was lost)
    form sessions of their own with Session.header_lost set. keep_orphans=True
    returns them, in stream order (the library keeps them, flagged); otherwise they
    are left out and the session before them (else the first) names them in its
    issues. skipped_at: (offset, seq) of frames the decoder skipped (unknown type or
    version), so that their seq numbers do not count as missing.
    """
    out: list[_Builder] = []
    cur: _Builder | None = None
    for rec in recs:
        if rec.rtype == R.REC_HEADER:
            try:
                hdr = R.SessionHeader.from_bytes(rec.payload)
            except ValueError as e:
                # what follows is a session whose header did not parse: kept as lost
                cur = _Builder(None, rec.offset, rec.seq)
                cur.session.issues.append(DecodeIssue(rec.offset, f"SessionHeader: {e}"))
                out.append(cur)
                continue
            cur = _Builder(hdr, rec.offset, rec.seq)
            out.append(cur)
        else:
            if cur is None or not cur.takes(rec):
                cur = _Builder(None, rec.offset, None)
                out.append(cur)
            cur.add(rec)
    # builders and sessions are in stream order: the owner of an offset is found by
    # bisection (a linear scan per skipped frame made hostile input quadratic)
    starts = [b.offset for b in out]
    for off, seq in skipped_at:
        i = bisect.bisect_right(starts, off) - 1
        if i >= 0:
            out[i].skipped_seqs.append(seq)
    sessions = [b.build() for b in out]
    kept = [s for s in sessions if keep_orphans or not s.header_lost]
    kept_starts = [k.offset for k in kept]
    # attach stream-level issues to the session whose span holds them
    for iss in issues or ():
        i = bisect.bisect_right(kept_starts, iss.offset) - 1
        owner = kept[max(i, 0)] if kept else None
        if owner is not None:
            owner.issues.append(iss)
    if not keep_orphans:
        for s in sessions:
            if not s.header_lost:
                continue
            i = bisect.bisect_left(kept_starts, s.offset) - 1
            before = i >= 0
            owner = kept[i] if before else (kept[0] if kept else None)
            if owner is not None:
                n = _n_records(s)
                where = "before any SessionHeader" if not before else "after this session"
                owner.issues.append(
                    DecodeIssue(
                        s.offset,
                        f"{n} records {where} (byte {s.offset} on) belong to a session "
                        "whose SessionHeader was lost; not read as part of this one",
                    )
                )
    return kept


def _n_records(s: Session) -> int:
    return int(
        len(s.sample_t_us)
        + len(s.steps)
        + len(s.flags)
        + len(s.syncs)
        + len(s.notes)
        + len(s.refs)
        + (s.end is not None)
    )


def _stand_in_header() -> R.SessionHeader:
    return R.SessionHeader(
        session_id=0,
        device_id=bytes(6),
        foot=FOOT_UNKNOWN,
        fw_version=0,
        rate_hz=0,
        layout_id=0,
        n_cells=0,
        has_imu=0,
        epoch_s=0,
        bw_dn=fw_config.BW_DEFAULT_DN,
    )


class _Builder:
    def __init__(self, header: R.SessionHeader | None, offset: int, seq: int | None) -> None:
        self.lost = header is None
        self.header = header if header is not None else _stand_in_header()
        self.offset = offset
        self.header_seq = seq
        self.max_seq = -1 if seq is None else seq
        self.ended = False
        self.seen: dict[int, tuple[int, int]] = {}  # seq -> (type, crc of payload)
        self.skipped_seqs: list[int] = []
        self.reordered = 0
        self.repeated = 0
        self.first_seq_problem = -1  # stream offset
        self.out_of_range = 0
        self.first_out_of_range = -1
        self.t: list[int] = []
        self.cells: list[tuple[int, ...]] = []
        self.imu: list[tuple[int, ...] | None] = []
        self.session = Session(
            self.header,
            np.zeros(0, np.int64),
            np.zeros((0, self.header.n_cells), np.uint16),
            np.zeros((0, 6), np.int16),
            np.zeros(0, bool),
            header_lost=self.lost,
            offset=offset,
        )
        if not self.lost:
            self.session.issues += [DecodeIssue(offset, p) for p in header_problems(self.header)]

    def takes(self, rec: R.Record) -> bool:
        """Does this record continue this session (else: a session whose header was lost)?"""
        return not self.ended and rec.seq + REORDER_WINDOW >= self.max_seq

    def _seq(self, rec: R.Record) -> bool:
        """Account for rec's seq; False for an exact copy of a record already read."""
        key = (rec.rtype, binascii.crc32(rec.payload))
        old = self.seen.get(rec.seq)
        if old is not None or rec.seq == self.header_seq:
            self.repeated += 1
            if self.first_seq_problem < 0:
                self.first_seq_problem = rec.offset
            return old != key
        self.seen[rec.seq] = key
        if rec.seq < self.max_seq:
            self.reordered += 1
            if self.first_seq_problem < 0:
                self.first_seq_problem = rec.offset
        else:
            self.max_seq = rec.seq
        return True

    def _sample(self, t: int, cells: Sequence[int], imu: Sequence[int] | None, off: int) -> None:
        if self.lost and not self.t and self.header.n_cells == 0:
            # the stand-in header takes its shape from the first sample
            self.header.n_cells = len(cells)
            self.header.layout_id = len(cells)
            self.header.has_imu = 1 if imu is not None else 0
        if len(cells) != self.header.n_cells:
            raise ValueError(f"has {len(cells)} cells, header says {self.header.n_cells}")
        if (
            min(cells, default=0) < 0
            or max(cells, default=0) > ADC_MAX
            or (imu is not None and (min(imu) < -32768 or max(imu) > 32767))
        ):
            # CRC-valid, yet no pod's ADC or IMU reads this: dropped, counted
            self.out_of_range += 1
            if self.first_out_of_range < 0:
                self.first_out_of_range = off
            return
        self.t.append(t)
        self.cells.append(tuple(cells))
        self.imu.append(tuple(imu) if imu is not None else None)

    def add(self, rec: R.Record) -> None:
        s = self.session
        if not self._seq(rec):
            return  # an exact copy (a transfer that sent these bytes twice)
        try:
            if rec.rtype == R.REC_SAMPLE:
                t, cells, imu = R.unpack_sample(rec.payload)
                self._sample(t, cells, imu, rec.offset)
            elif rec.rtype == R.REC_SAMPLE_BLOCK:
                ts, cs, ms = _block_samples(rec)
                if cs and len(cs[0]) != self.header.n_cells and not (self.lost and not self.t):
                    raise ValueError(f"has {len(cs[0])} cells, header says {self.header.n_cells}")
                for t, cells, imu in zip(ts, cs, ms, strict=True):
                    self._sample(t, cells, imu, rec.offset)
            elif rec.rtype in (R.REC_STEP, R.REC_STEP_BLOCK):
                for p in step_payloads(rec):
                    s.steps.append(R.Step.from_bytes(p))
                    s.step_payloads.append(p)
            elif rec.rtype == R.REC_FLAG:
                s.flags.append(R.Flag.from_bytes(rec.payload))
                s.flag_payloads.append(bytes(rec.payload))
            elif rec.rtype == R.REC_SYNC:
                s.syncs.append(R.Sync.from_bytes(rec.payload))
            elif rec.rtype == R.REC_NOTE:
                s.notes.append(R.Note.from_bytes(rec.payload))
            elif rec.rtype == R.REC_REF:
                s.refs.append(R.RefEvent.from_bytes(rec.payload))
            elif rec.rtype == R.REC_END:
                s.end = R.SessionEnd.from_bytes(rec.payload)
                self.ended = True
        except ValueError as e:
            s.issues.append(DecodeIssue(rec.offset, f"{rec.name()}: {e}"))

    def build(self) -> Session:
        s = self.session
        n = len(self.t)
        nc = self.header.n_cells
        s.sample_t_us = unwrap_u32(np.array(self.t, dtype=np.int64))
        s.cells = np.array(self.cells, dtype=np.uint16).reshape(n, nc)
        s.imu_present = np.array([m is not None for m in self.imu], dtype=bool)
        s.imu = np.array(
            [m if m is not None else (0,) * 6 for m in self.imu], dtype=np.int16
        ).reshape(n, 6)
        if self.out_of_range:
            s.issues.append(
                DecodeIssue(
                    self.first_out_of_range,
                    f"{self.out_of_range} samples with cells outside 0..{ADC_MAX} (the 12-bit "
                    "ADC) or IMU values outside int16: dropped",
                )
            )
        seqs = sorted(set(self.seen) | set(self.skipped_seqs))
        lo = self.header_seq if self.header_seq is not None else (seqs[0] if seqs else 0)
        missing = gaps = 0
        first_gap = -1
        prev = lo
        for q in seqs:
            if q > prev + 1:
                missing += q - prev - 1
                gaps += 1
                if first_gap < 0:
                    first_gap = prev
            prev = max(prev, q)
        s.seq_missing, s.seq_reordered, s.seq_repeated = missing, self.reordered, self.repeated
        if missing or self.reordered or self.repeated:
            parts = []
            if missing:
                parts.append(
                    f"{missing} records missing in {gaps} gap(s), the first after seq {first_gap}"
                )
            if self.reordered:
                parts.append(f"{self.reordered} out of order")
            if self.repeated:
                parts.append(f"{self.repeated} repeated (exact copies dropped)")
            s.issues.append(
                DecodeIssue(max(self.first_seq_problem, -1), "sequence: " + ", ".join(parts))
            )
        if self.lost:
            if n >= 2:
                dt = np.diff(s.sample_t_us)
                dt = dt[dt > 0]
                if len(dt):
                    self.header.rate_hz = max(1, min(0xFFFF, round(1e6 / float(np.median(dt)))))
            s.issues.insert(
                0,
                DecodeIssue(
                    self.offset,
                    f"SessionHeader lost: {_n_records(s)} records from byte {self.offset} "
                    "kept without it (device, foot and calibration unknown)",
                ),
            )
        return s


def sessions_from_bytes(data: bytes, keep_orphans: bool = False) -> list[Session]:
    """Every session in a byte string (maybe none); damaged spans in Session.issues."""
    d = decode_bytes(data)
    sessions = sessions_from_records(d.records, d.issues, keep_orphans, d.skipped_at)
    if sessions:
        for (rtype, ver), n in d.skipped.items():
            sessions[0].issues.append(
                DecodeIssue(-1, f"skipped {n} records of unknown type {rtype} v{ver}")
            )
    return sessions


def read_sessions(path: str | Path, keep_orphans: bool = False) -> list[Session]:
    """Every session in a file; damaged spans are reported in Session.issues, never fatal.

    keep_orphans: also the sessions whose SessionHeader was lost (Session.header_lost).
    BadSessionFile when there is none.
    """
    data = Path(path).read_bytes()
    sessions = sessions_from_bytes(data, keep_orphans)
    if not sessions:
        issues = decode_bytes(data).issues
        detail = f"; first problem at byte {issues[0].offset}: {issues[0].reason}" if issues else ""
        raise BadSessionFile(f"{path}: no session header found in {len(data)} bytes{detail}")
    return sessions
