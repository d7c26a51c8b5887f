"""C3D export (ezc3d) for biomechanics labs: forces and CoP as analog channels, gait events.

Analog channels at the pods' sample rate, per foot (L_ / R_ prefixes):
  <F>_cell<i>   force of cell i, N (the firmware kernel's calibrated, auto-zeroed value)
  <F>_total     total vertical force, N
  <F>_cop_x     centre of pressure, medial-lateral, mm (+ lateral; heel-centre origin)
  <F>_cop_y     centre of pressure, heel to toe, mm
CoP is 0 outside the stances the kernel found (it has no meaning in swing).
  <F>_strike, <F>_off   event channels: every contact / toe-off as 1 + (t x rate - frame)
                        at its nearest frame, 0 elsewhere (see export/c3dfile.py)
Events: "Foot Strike" and "Foot Off" with context Left/Right (the usual lab labels),
at the kernel's sub-sample contact and toe-off times, in the EVENT group (chunked
past 255 events) and in the event channels. Any length opens in ezc3d and in the
`c3d` package: the frame and event conventions are in export/c3dfile.py.

The values come from re-running the firmware's StepKernel over the raw samples
(stridekit.replay.kernel_for), so they are exactly what the pod computed. Frame
of a sample = round(time x rate) on its pod's own clock, the feet's starts aligned
by their Sync records; frames a pod did not sample read 0.
"""

from __future__ import annotations

import array
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from stridefw import kernel as fw_kernel
from stridefw import records as R
from stridefw.config import TICKS_MASK
from stridekit.export import ExportError, ExportResult, register_file
from stridekit.export.c3dfile import Event, event_channel_value, write_c3d
from stridekit.session import Session, unwrap_u32

PREFIX = {0: "L", 1: "R"}
CONTEXT = {0: "Left", 1: "Right"}


@dataclass
class KernelTrace:
    """The kernel's per-sample forces and CoP for one session, and the steps it found."""

    force_n: np.ndarray  # (N, n_cells) float
    total_n: np.ndarray  # (N,)
    cop_x_mm: np.ndarray  # (N,), 0 outside stance
    cop_y_mm: np.ndarray
    steps: list[R.Step]


def kernel_trace(s: Session) -> KernelTrace:
    """Push every raw sample through the firmware kernel, keeping what it computed per sample."""
    from stridekit.replay import kernel_for

    k = kernel_for(s.header)
    n, nc = s.cells.shape
    force = np.zeros((n, nc), np.int32)
    total = np.zeros(n, np.int32)
    cx = np.zeros(n, np.int32)
    cy = np.zeros(n, np.int32)
    cbuf = array.array("H", bytes(2 * nc))
    ibuf = array.array("h", bytes(12))
    ticks = (s.sample_t_us & TICKS_MASK).tolist()
    rows = s.cells.tolist()
    imu_rows = s.imu.tolist()
    present = s.imu_present.tolist()
    steps: list[R.Step] = []
    for i, tick in enumerate(ticks):
        cbuf[:] = array.array("H", rows[i])
        m = None
        if s.header.has_imu and present[i]:
            ibuf[:] = array.array("h", imu_rows[i])
            m = ibuf
        ev = k.push(tick, cbuf, m)
        force[i] = k.force
        total[i] = k.total_dn
        cx[i] = k.cop_x_dmm
        cy[i] = k.cop_y_dmm
        if ev & fw_kernel.EV_STEP:
            steps.append(R.Step.from_bytes(bytes(k.step)))
    stance = np.zeros(n, bool)
    t = s.sample_t_us
    contact = unwrap_u32(np.array([x.contact_us for x in steps], np.int64))
    for c, x in zip(contact.tolist(), steps, strict=True):
        a, b = np.searchsorted(t, [c, c + x.stance_us])
        stance[a : b + 1 if b < n else n] = True
    return KernelTrace(
        force / 10.0,
        total / 10.0,
        np.where(stance, cx / 10.0, 0.0),
        np.where(stance, cy / 10.0, 0.0),
        steps,
    )


def _start(s: Session) -> float:
    from stridekit.library import started_at

    return started_at(s) or 0.0


@dataclass
class C3dRun:
    """What a run's C3D holds: channels (n_channels, n_frames) at one rate, and gait events."""

    rate_hz: int
    labels: list[str]
    units: list[str]
    analogs: np.ndarray
    events: list[Event]
    notes: list[str]

    @property
    def n_frames(self) -> int:
        return int(self.analogs.shape[1])


EVENT_CHANNEL = {"Foot Strike": "strike", "Foot Off": "off"}


def build_c3d(sessions: Sequence[Session]) -> C3dRun:
    """The channels and events of a run (one or both feet) for a C3D file, and notes."""
    notes: list[str] = []
    usable = [s for s in sessions if len(s.sample_t_us)]
    for s in sessions:
        if not len(s.sample_t_us):
            notes.append(f"{s.foot}: no raw samples (steps only): no analog channels")
    if not usable:
        raise ExportError(
            "no raw samples to export to C3D: forces and CoP need the Sample records "
            "(the session holds steps only, or nothing)"
        )
    rates = {s.header.rate_hz for s in usable}
    if len(rates) != 1:
        raise ExportError(f"the feet were sampled at different rates {sorted(rates)} Hz")
    rate = rates.pop()
    feet = [s.header.foot for s in usable]
    if len(set(feet)) != len(feet):
        raise ExportError("two sessions of the same foot: export one run (a left and a right)")
    if len(usable) == 1:
        notes.append(f"only the {usable[0].foot} foot")
    t0 = min(_start(s) for s in usable)
    labels: list[str] = []
    units: list[str] = []
    placed: list[tuple[np.ndarray, np.ndarray]] = []  # (frames, values (n_ch, N))
    events: list[Event] = []
    event_rows: list[tuple[str, str, str]] = []  # (channel label, context, event label)
    for s in usable:
        tr = kernel_trace(s)
        p = PREFIX.get(s.header.foot, f"F{s.header.foot}")
        nc = s.cells.shape[1]
        labels += [f"{p}_cell{i}" for i in range(nc)] + [f"{p}_total", f"{p}_cop_x", f"{p}_cop_y"]
        units += ["N"] * (nc + 1) + ["mm", "mm"]
        off_s = _start(s) - t0
        frames = np.rint((off_s + s.sample_t_us / 1e6) * rate).astype(np.int64)
        vals = np.vstack([tr.force_n.T, tr.total_n, tr.cop_x_mm, tr.cop_y_mm])
        placed.append((frames, vals))
        if not tr.steps:
            notes.append(f"{s.foot}: the kernel found no steps: no gait events")
        ctx = CONTEXT.get(s.header.foot, "General")
        contact = unwrap_u32(np.array([x.contact_us for x in tr.steps], np.int64))
        for c, x in zip(contact.tolist(), tr.steps, strict=True):
            events.append(Event(off_s + c / 1e6, ctx, "Foot Strike"))
            events.append(Event(off_s + (c + x.stance_us) / 1e6, ctx, "Foot Off"))
        event_rows += [(f"{p}_{v}", ctx, k) for k, v in EVENT_CHANNEL.items()]
    last_event = max((e.t_s for e in events), default=0.0)
    n_frames = max(max(int(f[-1]) for f, _ in placed), int(np.rint(last_event * rate))) + 1
    data = np.zeros((len(labels) + len(event_rows), n_frames), np.float32)
    row = 0
    for frames, vals in placed:
        data[row : row + vals.shape[0], frames] = vals
        row += vals.shape[0]
    for ch, ctx, kind in event_rows:
        t = np.array([e.t_s for e in events if e.context == ctx and e.label == kind])
        f, v = event_channel_value(t, rate)
        data[row, f] = v
        labels.append(ch)
        units.append("")
        row += 1
    events.sort(key=lambda e: e.t_s)
    return C3dRun(rate, labels, units, data, events, notes)


@register_file("c3d")
def export_c3d(sessions: Sequence[Session], path: Path) -> ExportResult:
    """The `c3d` export format: analog forces and CoP of one run, gait events.

    Written to a temporary file beside `path` and renamed over it, so a failed
    export leaves neither a partial file nor the temporary one.
    """
    run = build_c3d(sessions)
    path = Path(path)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.c3d")
    descriptions = [
        "StrideKit pod, firmware kernel value"
        if not lb.endswith(("_strike", "_off"))
        else "event channel: 1 + (event time x rate - frame) at the event's frame, else 0"
        for lb in run.labels
    ]
    try:
        with open(tmp, "wb") as out:
            blocks = write_c3d(
                out, run.rate_hz, run.labels, run.units, descriptions, run.analogs, run.events
            )
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    notes = run.notes
    if blocks > 255:
        notes.append(
            f"{len(run.events)} events need {blocks} parameter blocks: readers that stop at "
            "255 (the c3d package) find every event in the *_strike / *_off channels"
        )
    return ExportResult(run.n_frames, "frames", notes)
