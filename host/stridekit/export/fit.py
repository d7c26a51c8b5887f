"""FIT activity export (Garmin FIT SDK Encoder), for watches' and coaches' software.

One `record` per second, not per step: FIT timestamps are whole seconds, a runner
makes ~3 steps a second (so per-step records would share timestamps), and the
tools that read running dynamics (Garmin Connect, Golden Cheetah, fitdecode users)
expect the ~1 Hz records a watch writes. A record summarises the steps of both feet
whose contact falls in that second (the per-step detail stays in the CSV export):

  cadence + fractional_cadence  strides/min (= steps/min ÷ 2, DESIGN "Units"), from
                                each step's contact-to-contact time of its own foot
                                (the pods' clocks are never compared), pauses
                                longer than MAX_STRIDE_S excluded
  stance_time                   mean stance, ms
  stance_time_balance           left share of stance, % = L / (L + R); only in
                                seconds with steps of both feet
  stance_time_percent           stance / the foot's own stride time, %
  speed, enhanced_speed         m/s: the mean of the strides (both feet) that end in
                                that second, from the foot IMU by zero-velocity
                                updates (analysis/zupt.py; `stride eval
                                --stride-length` gives its error on real walks);
                                with --speed, that speed instead (a treadmill)
  distance                      m, cumulative: each foot's strides summed, the two
                                feet's sums averaged (with --speed: speed x time)
  step_length                   mm: half the strides' length (a step is half a
                                stride); with --speed: speed / steps per second
Vertical oscillation is left out: FIT means the body's (centre of mass) bounce,
and a shoe pod's IMU moves with the foot, whose height says nothing about it.
Speed, distance and step length need raw samples with IMU rows; a steps-only
session has none and the notes say so. Strides after the raw samples end (the
pod's flash filled and it went on recording steps only) count the foot's median
IMU stride length, as a watch's foot pod counts its calibrated stride; the notes
say from when.
Developer fields (float32, natural units): peak_force (N), impulse (N·s),
cop_x (mean CoP medial-lateral position, mm, + lateral), cop_ml_range (mm).

Timestamps: each pod's session start on the host clock (its first Sync record,
else its header epoch) plus the step's device time; the pods' clocks are not
aligned further here (that is stridekit.merge's job; the error is tens of ms).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from stridekit.export import ExportError, ExportResult, register_file
from stridekit.session import Session

if TYPE_CHECKING:  # the SDK's message types exist only in its stubs
    from garmin_fit_sdk.mesgs import DeveloperDataIdMesg, FieldDescriptionMesg

FIT_EPOCH_S = 631065600  # 1989-12-31T00:00:00Z in unix seconds
MAX_STRIDE_S = 2.5  # a contact-to-contact time of one foot longer than this is a pause
APP_ID: list[int | None] = list(b"StrideKitShoePod")  # 16 bytes: developer application id
DEV_FIELDS: tuple[tuple[str, str], ...] = (
    ("peak_force", "N"),
    ("impulse", "N*s"),
    ("cop_x", "mm"),
    ("cop_ml_range", "mm"),
)


@dataclass
class SecondRecord:
    """What one FIT record says about the steps of one second."""

    unix_s: int
    n_steps: int
    strides_per_min: float | None
    stance_ms: float
    balance_left_pct: float | None
    step_length_mm: float | None
    stance_pct: float | None
    speed_m_s: float | None
    distance_m: float | None
    peak_force_n: float
    impulse_ns: float
    cop_x_mm: float
    cop_ml_range_mm: float


@dataclass
class _StepRow:
    foot: int
    t_unix: float
    stride_s: float | None
    stance_ms: float
    peak_n: float
    impulse_ns: float
    cop_x_mm: float
    cop_ml_mm: float


def session_start_unix(s: Session) -> float | None:
    """The session's first sample on the host clock: its first Sync, else its header epoch."""
    from stridekit.library import started_at

    return started_at(s)


def _step_rows(sessions: Sequence[Session], notes: list[str]) -> list[_StepRow]:
    rows: list[_StepRow] = []
    for s in sessions:
        start = session_start_unix(s)
        if start is None:
            notes.append(f"{s.foot}: no clock (no Sync, epoch 0): times start at the FIT epoch")
            start = float(FIT_EPOCH_S)
        contact, _ = s.step_times_s()
        prev: float | None = None
        for st, c in zip(s.steps, contact.tolist(), strict=True):
            stride = c - prev if prev is not None else None
            if stride is not None and stride > MAX_STRIDE_S:
                stride = None
            prev = c
            rows.append(
                _StepRow(
                    s.header.foot,
                    start + c,
                    stride,
                    st.stance_us / 1000,
                    st.peak_force_dn / 10,
                    st.impulse_dnms / 10_000,
                    st.cop_x_mean_dmm / 10,
                    st.cop_ml_range_dmm / 10,
                )
            )
    return rows


def _imu_strides(
    sessions: Sequence[Session], rows: Sequence[_StepRow], notes: list[str]
) -> dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """Per foot: stride end times (unix s), lengths (m), speeds (m/s), cumulative distance.

    cum[i] = distance of the strides ending before ends[i] (cum[len] = all of them).
    Strides after the raw IMU ends (raw capture stopped when the pod's flash filled,
    or was switched off) count the foot's median IMU stride length, as a foot pod
    on a watch counts its calibrated stride: the notes say from when.
    """
    from stridekit.analysis.zupt import session_strides

    out: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}
    for s in sessions:
        st = session_strides(s)
        if st is None or not len(st.length_m):
            notes.append(
                f"{s.foot}: no raw IMU samples to integrate: no speed, distance or step_length"
            )
            continue
        start = session_start_unix(s) or float(FIT_EPOCH_S)
        ends, lengths, speeds = start + st.t_end_s, st.length_m, st.speed_m_s
        raw_end = start + float(s.sample_t_us[-1]) / 1e6
        later = [
            r
            for r in rows
            if r.foot == s.header.foot and r.stride_s is not None and r.t_unix > raw_end
        ]
        if later:
            typical_m = float(np.median(lengths))
            mm, ss = divmod(int(raw_end - start), 60)
            notes.append(
                f"{s.foot}: raw IMU ends at {mm}:{ss:02d}; after that {len(later)} strides "
                f"count the median IMU stride, {typical_m:.2f} m"
            )
            t_later = np.array([r.t_unix for r in later])
            s_later = np.array([r.stride_s or 0.0 for r in later])
            ends = np.concatenate([ends, t_later])
            lengths = np.concatenate([lengths, np.full(len(later), typical_m)])
            speeds = np.concatenate([speeds, typical_m / s_later])
        cum = np.concatenate([[0.0], np.cumsum(lengths)])
        out[s.header.foot] = (ends, lengths, speeds, cum)
    return out


def second_records(
    sessions: Sequence[Session], speed_m_s: float | None = None
) -> tuple[list[SecondRecord], list[str]]:
    """The per-second records of a run (one or both feet) and notes on what had to be left out."""
    notes: list[str] = []
    if not sessions:
        raise ExportError("no sessions to export")
    rows = _step_rows(sessions, notes)
    if not rows:
        raise ExportError(
            "no steps to export to FIT: the sessions hold no Step records "
            "(too short, standing still, or raw samples only: `stride replay` them first)"
        )
    feet = {r.foot for r in rows}
    if len(feet) < 2:
        notes.append(
            f"only the {'left' if 0 in feet else 'right'} foot: stance_time_balance needs both"
        )
    imu = _imu_strides(sessions, rows, notes) if speed_m_s is None else {}
    by_second: dict[int, list[_StepRow]] = {}
    for r in rows:
        by_second.setdefault(int(np.floor(r.t_unix)), []).append(r)
    first_s = min(by_second)
    out: list[SecondRecord] = []
    for sec in sorted(by_second):
        g = by_second[sec]
        strides = [r.stride_s for r in g if r.stride_s is not None]
        spm = 60.0 / float(np.mean(strides)) if strides else None
        left = [r.stance_ms for r in g if r.foot == 0]
        right = [r.stance_ms for r in g if r.foot == 1]
        bal = None
        if left and right:
            lm, rm = float(np.mean(left)), float(np.mean(right))
            bal = 100.0 * lm / (lm + rm)
        step_len = None
        speed = None
        dist = None
        if speed_m_s is not None:
            speed = speed_m_s
            dist = speed_m_s * (sec + 1 - first_s)
            if spm is not None:
                step_len = 1000.0 * speed_m_s / (2 * spm / 60.0)
        elif imu:
            ending = [
                (ln, sp)
                for ends, lengths, speeds, _ in imu.values()
                for e, ln, sp in zip(ends, lengths, speeds, strict=True)
                if sec <= e < sec + 1
            ]
            if ending:
                speed = float(np.mean([sp for _, sp in ending]))
                step_len = 1000.0 * float(np.mean([ln for ln, _ in ending])) / 2
            dist = float(
                np.mean(
                    [
                        cum[np.searchsorted(ends, sec + 1, side="left")]
                        for ends, _, _, cum in imu.values()
                    ]
                )
            )
        pct = [100.0 * r.stance_ms / (1000.0 * r.stride_s) for r in g if r.stride_s]
        out.append(
            SecondRecord(
                unix_s=sec,
                n_steps=len(g),
                strides_per_min=spm,
                stance_ms=float(np.mean([r.stance_ms for r in g])),
                balance_left_pct=bal,
                step_length_mm=step_len,
                stance_pct=float(np.mean(pct)) if pct else None,
                speed_m_s=speed,
                distance_m=dist,
                peak_force_n=float(np.mean([r.peak_n for r in g])),
                impulse_ns=float(np.mean([r.impulse_ns for r in g])),
                cop_x_mm=float(np.mean([r.cop_x_mm for r in g])),
                cop_ml_range_mm=float(np.mean([r.cop_ml_mm for r in g])),
            )
        )
    return out, notes


def _cadence_fields(spm: float | None, whole: str, frac: str) -> dict[str, object]:
    if spm is None:
        return {}
    c = min(int(spm), 254)
    return {whole: c, frac: min(spm - c, 127 / 128)}


def _mean(xs: list[float]) -> float | None:
    return float(np.mean(xs)) if xs else None


def encode_fit(
    sessions: Sequence[Session], speed_m_s: float | None = None
) -> tuple[bytes, int, list[str]]:
    """The FIT file's bytes, its record count and notes."""
    from garmin_fit_sdk import Encoder, Profile

    num = Profile["mesg_num"]
    recs, notes = second_records(sessions, speed_m_s)
    start = int(np.floor(min(session_start_unix(s) or FIT_EPOCH_S for s in sessions)))
    end = recs[-1].unix_s + 1
    t0 = start - FIT_EPOCH_S
    t1 = end - FIT_EPOCH_S

    dev_id: DeveloperDataIdMesg = {
        "mesg_num": num["DEVELOPER_DATA_ID"],
        "developer_data_index": 0,
        "application_id": APP_ID,
        "application_version": 1,
    }
    enc = Encoder()
    descs: list[FieldDescriptionMesg] = []
    for i, (name, units) in enumerate(DEV_FIELDS):
        d: FieldDescriptionMesg = {
            "mesg_num": num["FIELD_DESCRIPTION"],
            "developer_data_index": 0,
            "field_definition_number": i,
            "fit_base_type_id": 136,  # float32
            "field_name": name,
            "units": units,
        }
        enc.add_developer_field(i, dev_id, d)  # key = field_definition_number
        descs.append(d)

    first = sessions[0].header
    enc.write_mesg(
        {
            "mesg_num": num["FILE_ID"],
            "type": "activity",
            "manufacturer": "development",
            "product": 0,
            "serial_number": int.from_bytes(bytes(first.device_id)[2:], "big") or 1,
            "time_created": t0,
            "product_name": "StrideKit",
        }
    )
    for i, s in enumerate(sessions):
        enc.write_mesg(
            {
                "mesg_num": num["DEVICE_INFO"],
                "timestamp": t0,
                "device_index": i + 1,
                "manufacturer": "development",
                "serial_number": int.from_bytes(bytes(s.header.device_id)[2:], "big") or 1,
                "product": 0,
                "product_name": f"StrideKit {s.foot} pod",
            }
        )
    enc.write_mesg(dict(dev_id))
    for d in descs:
        enc.write_mesg(dict(d))
    enc.write_mesg(
        {"mesg_num": num["EVENT"], "timestamp": t0, "event": "timer", "event_type": "start"}
    )
    for r in recs:
        m: dict[str, object] = {
            "mesg_num": num["RECORD"],
            "timestamp": r.unix_s - FIT_EPOCH_S,
            "stance_time": r.stance_ms,
            "developer_fields": {  # in DEV_FIELDS order
                0: r.peak_force_n,
                1: r.impulse_ns,
                2: r.cop_x_mm,
                3: r.cop_ml_range_mm,
            },
        }
        m |= _cadence_fields(r.strides_per_min, "cadence", "fractional_cadence")
        if r.balance_left_pct is not None:
            m["stance_time_balance"] = r.balance_left_pct
        if r.step_length_mm is not None:
            m["step_length"] = r.step_length_mm
        if r.stance_pct is not None:
            m["stance_time_percent"] = r.stance_pct
        if r.speed_m_s is not None:
            m["speed"] = r.speed_m_s
            m["enhanced_speed"] = r.speed_m_s
        if r.distance_m is not None:
            m["distance"] = r.distance_m
        enc.write_mesg(m)
    enc.write_mesg(
        {"mesg_num": num["EVENT"], "timestamp": t1, "event": "timer", "event_type": "stop_all"}
    )
    summary: dict[str, object] = {
        "timestamp": t1,
        "start_time": t0,
        "total_elapsed_time": float(t1 - t0),
        "total_timer_time": float(t1 - t0),
        "sport": "running",
        "event": "lap",
        "event_type": "stop",
    }
    avg_stance = _mean([r.stance_ms for r in recs])
    if avg_stance is not None:
        summary["avg_stance_time"] = avg_stance
    bal = _mean([r.balance_left_pct for r in recs if r.balance_left_pct is not None])
    if bal is not None:
        summary["avg_stance_time_balance"] = bal
    spm = _mean([r.strides_per_min for r in recs if r.strides_per_min is not None])
    summary |= _cadence_fields(spm, "avg_cadence", "avg_fractional_cadence")
    sl = _mean([r.step_length_mm for r in recs if r.step_length_mm is not None])
    if sl is not None:
        summary["avg_step_length"] = sl
    pct = _mean([r.stance_pct for r in recs if r.stance_pct is not None])
    if pct is not None:
        summary["avg_stance_time_percent"] = pct
    dists = [r.distance_m for r in recs if r.distance_m is not None]
    if dists:
        summary["total_distance"] = dists[-1]
        summary["avg_speed"] = dists[-1] / max(1.0, float(t1 - t0))
        summary["enhanced_avg_speed"] = summary["avg_speed"]
    enc.write_mesg({"mesg_num": num["LAP"], "message_index": 0, **summary})
    enc.write_mesg(
        {
            "mesg_num": num["SESSION"],
            "message_index": 0,
            "first_lap_index": 0,
            "num_laps": 1,
            **{k: v for k, v in summary.items() if k != "event"},
            "event": "session",
        }
    )
    enc.write_mesg(
        {
            "mesg_num": num["ACTIVITY"],
            "timestamp": t1,
            "total_timer_time": float(t1 - t0),
            "num_sessions": 1,
            "type": "manual",
            "event": "activity",
            "event_type": "stop",
        }
    )
    return bytes(enc.close()), len(recs), notes


def export_fit(
    sessions: Sequence[Session], path: Path, speed_m_s: float | None = None
) -> ExportResult:
    """The `fit` export format: one activity of one or both feet, per-second records."""
    from stridekit.library import write_atomic

    data, n, notes = encode_fit(sessions, speed_m_s)
    write_atomic(Path(path), data)
    return ExportResult(n, "records", notes)


@register_file("fit")
def _export_fit_registered(sessions: Sequence[Session], path: Path) -> ExportResult:
    return export_fit(sessions, path)
