"""Sessions on the host: framed records from a file (or any byte stream) as numpy arrays.

A session is what one pod recorded between `rec start` and `rec stop`: a
SessionHeader, then Sample, Step, Flag, Sync, Battery and Note records, and a
SessionEnd. A file may hold several sessions (e.g. the left and the right pod of a
simulated run), each starting at its header. Decoding uses the firmware's own
codec (stridefw.records); nothing here re-implements the wire format.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from stridefw import records as R
from stridekit.errors import BadSessionFile

FOOT_NAMES = {0: "left", 1: "right"}
U32 = 1 << 32


@dataclass
class DecodeIssue:
    """Something in the byte stream that was not an intact, known record."""

    offset: int
    reason: str


@dataclass
class Session:
    header: R.SessionHeader
    sample_t_us: np.ndarray  # int64, unwrapped microseconds from session start
    cells: np.ndarray  # uint16 (N, n_cells)
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

    @property
    def foot(self) -> str:
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


def iter_records(
    data: bytes,
) -> tuple[list[R.Record], list[DecodeIssue], dict[tuple[int, int], int]]:
    """Decode every intact record; corrupt spans become DecodeIssues with their offsets."""
    recs, dec = R.decode_all(data)
    issues = [DecodeIssue(off, why) for off, why in dec.errors]
    if dec.n_errors > len(dec.errors):
        issues.append(DecodeIssue(-1, f"{dec.n_errors - len(dec.errors)} more damaged frames"))
    return recs, issues, dict(dec.skipped)


def sessions_from_records(
    recs: Iterable[R.Record], issues: list[DecodeIssue] | None = None
) -> list[Session]:
    """Group records into sessions; records before any header are reported, not guessed."""
    out: list[_Builder] = []
    cur: _Builder | None = None
    orphans = 0
    for rec in recs:
        if rec.rtype == R.REC_HEADER:
            try:
                hdr = R.SessionHeader.from_bytes(rec.payload)
            except ValueError as e:
                (issues if issues is not None else []).append(DecodeIssue(rec.offset, str(e)))
                cur = None
                continue
            cur = _Builder(hdr)
            cur.first_offset = rec.offset
            out.append(cur)
        elif cur is None:
            orphans += 1
        else:
            cur.add(rec)
    sessions = [b.build() for b in out]
    if issues:
        # attach stream-level issues to the session whose span holds them
        for iss in issues:
            owner = sessions[0] if sessions else None
            for b, s in zip(out, sessions, strict=True):
                if iss.offset >= b.first_offset:
                    owner = s
            if owner is not None:
                owner.issues.append(iss)
    if orphans and sessions:
        sessions[0].issues.append(DecodeIssue(-1, f"{orphans} records before any SessionHeader"))
    return sessions


class _Builder:
    def __init__(self, header: R.SessionHeader) -> None:
        self.header = header
        self.first_offset = 0
        self.t: list[int] = []
        self.cells: list[tuple[int, ...]] = []
        self.imu: list[tuple[int, ...] | None] = []
        self.session = Session(
            header,
            np.zeros(0, np.int64),
            np.zeros((0, header.n_cells), np.uint16),
            np.zeros((0, 6), np.int16),
            np.zeros(0, bool),
        )

    def add(self, rec: R.Record) -> None:
        s = self.session
        try:
            if rec.rtype == R.REC_SAMPLE:
                t, cells, imu = R.unpack_sample(rec.payload)
                if len(cells) != self.header.n_cells:
                    raise ValueError(
                        f"Sample has {len(cells)} cells, header says {self.header.n_cells}"
                    )
                self.t.append(t)
                self.cells.append(cells)
                self.imu.append(imu)
            elif rec.rtype == R.REC_SAMPLE_BLOCK:
                from stridefw import store

                ts, cs, ms = store.decode_sample_block(rec.payload)
                for t, cells, imu in zip(ts, cs, ms, strict=True):
                    if len(cells) != self.header.n_cells:
                        raise ValueError(
                            f"SampleBlock has {len(cells)} cells, header says {self.header.n_cells}"
                        )
                    self.t.append(t)
                    self.cells.append(tuple(cells))
                    self.imu.append(tuple(imu) if imu is not None else None)
            elif rec.rtype == R.REC_STEP:
                s.steps.append(R.Step.from_bytes(rec.payload))
                s.step_payloads.append(bytes(rec.payload))
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
        except ValueError as e:
            s.issues.append(DecodeIssue(rec.offset, f"{rec.name()}: {e}"))

    def build(self) -> Session:
        s = self.session
        n = len(self.t)
        s.sample_t_us = unwrap_u32(np.array(self.t, dtype=np.int64))
        s.cells = np.array(self.cells, dtype=np.uint16).reshape(n, self.header.n_cells)
        s.imu_present = np.array([m is not None for m in self.imu], dtype=bool)
        s.imu = np.array(
            [m if m is not None else (0,) * 6 for m in self.imu], dtype=np.int16
        ).reshape(n, 6)
        return s


def read_sessions(path: str | Path) -> list[Session]:
    """Every session in a file; damaged spans are reported in Session.issues, never fatal."""
    data = Path(path).read_bytes()
    recs, issues, skipped = iter_records(data)
    sessions = sessions_from_records(recs, issues)
    if not sessions:
        detail = f"; first problem at byte {issues[0].offset}: {issues[0].reason}" if issues else ""
        raise BadSessionFile(f"{path}: no session header found in {len(data)} bytes{detail}")
    for (rtype, ver), n in skipped.items():
        sessions[0].issues.append(
            DecodeIssue(-1, f"skipped {n} records of unknown type {rtype} v{ver}")
        )
    return sessions


class SessionWriter:
    """Frames records for one session with consecutive sequence numbers."""

    def __init__(self) -> None:
        self._enc = R.Encoder()
        self._buf = bytearray(R.MAX_ENCODED)
        self.seq = 0
        self.out = bytearray()

    def add(self, rtype: int, payload: bytes | bytearray | memoryview) -> None:
        end = self._enc.encode_into(self._buf, 0, rtype, self.seq, payload)
        self.out += self._buf[:end]
        self.seq += 1
