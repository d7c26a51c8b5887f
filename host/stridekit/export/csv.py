"""Steps as CSV: one row per step, a public schema (README, "Steps as CSV").

Columns, in this order (times from the session start, which is the first sample):

| column            | unit   | meaning                                                      |
|-------------------|--------|--------------------------------------------------------------|
| foot              |        | `left` or `right`                                            |
| index             |        | step number of that foot in its session, from 0              |
| contact_s         | s      | initial contact (6 decimals: exact microseconds)             |
| toe_off_s         | s      | toe-off = contact_s + stance                                 |
| stance_ms         | ms     | contact to toe-off (3 decimals)                              |
| swing_ms          | ms     | previous toe-off to this contact; empty when unknown         |
| peak_force_n      | N      | highest total force in the stance (1 decimal)                |
| impulse_ns        | N·s    | vertical impulse of the stance (4 decimals)                  |
| loading_rate_n_s  | N/s    | average 20-80 % of the impact peak                           |
| cop_ml_range_mm   | mm     | medial-lateral excursion of the centre of pressure           |
| flags             |        | step flags and session flags as an integer (bits below)      |
| time_to_peak_ms   | ms     | contact to peak force                                        |
| strike_pct        | %      | CoP at contact, % of foot length from the heel               |
| cop_x_mean_mm     | mm     | mean CoP medial-lateral position (+ lateral)                 |
| cop_path_mm       | mm     | CoP path length                                              |
| heel_pm, mid_pm, fore_pm | ‰ | share of the stance's force by zone                        |
| medial_pm         | ‰      | share on medial cells                                        |
| shock_mg          | mg     | peak acceleration magnitude at the shoe (0 without IMU)      |
| bw_n              | N      | the kernel's body-weight estimate at this step               |
| flag_names        |        | the set flag bits by name, `|`-separated                     |
| session           |        | session id from the session header (counts on each pod)      |
| session_key       |        | the session across pods and runs: pod id (device id, hex),   |
|                   |        | `-`, start time UTC `YYYYMMDDTHHMMSSZ`; without a clock      |
|                   |        | `-s` and the session id instead of the time                  |

Flag bits: 0x0001 UNEVEN_LOAD, 0x0002 UNSTABLE, 0x0004 HARD_IMPACT, 0x0008 SENSOR_FAULT,
0x0010 DEGRADED, 0x0100 imu (IMU-confirmed contact), 0x0200 no-impact, 0x0400 long
(stance longer than the trace buffer), 0x0800 sat (a cell saturated), 0x1000 gap (a
sample gap in the stance). Every number is written at the resolution of the Step
record, so `read_steps` gives back the exact records (a round trip is tested).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import numpy as np

from stridefw import config as fw_config
from stridefw import records as R
from stridekit.errors import StrideError
from stridekit.export import register
from stridekit.session import FOOT_NAMES, Session, unwrap_u32

REQUIRED: tuple[str, ...] = (
    "foot",
    "index",
    "contact_s",
    "toe_off_s",
    "stance_ms",
    "swing_ms",
    "peak_force_n",
    "impulse_ns",
    "loading_rate_n_s",
    "cop_ml_range_mm",
    "flags",
)
EXTRA: tuple[str, ...] = (
    "time_to_peak_ms",
    "strike_pct",
    "cop_x_mean_mm",
    "cop_path_mm",
    "heel_pm",
    "mid_pm",
    "fore_pm",
    "medial_pm",
    "shock_mg",
    "bw_n",
    "flag_names",
    "session",
    "session_key",
)
COLUMNS: tuple[str, ...] = REQUIRED + EXTRA
FLAG_NAMES = {
    fw_config.FLAG_UNEVEN_LOAD: "UNEVEN_LOAD",
    fw_config.FLAG_UNSTABLE: "UNSTABLE",
    fw_config.FLAG_HARD_IMPACT: "HARD_IMPACT",
    fw_config.FLAG_SENSOR_FAULT: "SENSOR_FAULT",
    fw_config.FLAG_DEGRADED: "DEGRADED",
    fw_config.STEP_IMU_CONFIRMED: "imu",
    fw_config.STEP_NO_IMPACT: "no-impact",
    fw_config.STEP_TRACE_FULL: "long",
    fw_config.STEP_SATURATED: "sat",
    fw_config.STEP_GAP: "gap",
    fw_config.STEP_NO_RATE: "no-rate",
}


class BadStepsCsv(StrideError, ValueError):
    """A steps CSV that does not follow the schema; names the line."""


@dataclass
class StepRow:
    """One reloaded row: which session and foot, and the exact Step record."""

    session: int
    foot: str
    step: R.Step
    session_key: str = ""


def flag_names(bits: int) -> str:
    return "|".join(n for b, n in FLAG_NAMES.items() if bits & b)


def _dec(value: int, scale: int, places: int) -> str:
    """value / scale with `places` decimals, exactly (integer arithmetic)."""
    sign = "-" if value < 0 else ""
    q, r = divmod(abs(value), scale)
    if places == 0:
        return f"{sign}{q}"
    frac = r * 10**places // scale
    return f"{sign}{q}.{frac:0{places}d}"


def session_key(session: Session) -> str:
    """Pod id + start time: tells apart sessions of different pods and runs (see the table)."""
    import time

    from stridekit.library import started_at

    pod = bytes(session.header.device_id).hex()
    start = started_at(session)
    if start is None:
        return f"{pod}-s{session.header.session_id}"
    return f"{pod}-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime(int(start)))}"


def rows(session: Session, steps: Sequence[R.Step] | None = None) -> list[dict[str, str]]:
    """The CSV rows of one session's steps (its stored ones unless `steps` is given)."""
    st = list(session.steps if steps is None else steps)
    contact = unwrap_u32(np.array([s.contact_us for s in st], dtype=np.int64)).tolist()
    out: list[dict[str, str]] = []
    foot = FOOT_NAMES.get(session.header.foot, f"foot{session.header.foot}")
    key = session_key(session)
    for s, c in zip(st, contact, strict=True):
        out.append(
            {
                "foot": foot,
                "index": str(s.index),
                "contact_s": _dec(c, 1_000_000, 6),
                "toe_off_s": _dec(c + s.stance_us, 1_000_000, 6),
                "stance_ms": _dec(s.stance_us, 1000, 3),
                "swing_ms": _dec(s.swing_us, 1000, 3) if s.swing_us else "",
                "peak_force_n": _dec(s.peak_force_dn, 10, 1),
                "impulse_ns": _dec(s.impulse_dnms, 10_000, 4),
                "loading_rate_n_s": str(s.loading_rate_n_s),
                "cop_ml_range_mm": _dec(s.cop_ml_range_dmm, 10, 1),
                "flags": str(s.flags),
                "time_to_peak_ms": str(s.time_to_peak_ms),
                "strike_pct": _dec(s.strike_pm, 10, 1),
                "cop_x_mean_mm": _dec(s.cop_x_mean_dmm, 10, 1),
                "cop_path_mm": _dec(s.cop_path_dmm, 10, 1),
                "heel_pm": str(s.heel_pm),
                "mid_pm": str(s.mid_pm),
                "fore_pm": str(s.fore_pm),
                "medial_pm": str(s.medial_pm),
                "shock_mg": str(s.shock_mg),
                "bw_n": _dec(s.bw_dn, 10, 1),
                "flag_names": flag_names(s.flags),
                "session": str(session.header.session_id),
                "session_key": key,
            }
        )
    return out


def write_steps(
    sessions: Sequence[Session], out: TextIO, steps: Sequence[Sequence[R.Step]] | None = None
) -> int:
    """Write every session's steps as CSV (header line first); returns the row count."""
    w = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    w.writeheader()
    n = 0
    for i, s in enumerate(sessions):
        for row in rows(s, None if steps is None else steps[i]):
            w.writerow(row)
            n += 1
    return n


@register("csv")
def export_csv(sessions: Sequence[Session], out: TextIO) -> int:
    """The `csv` export format: stored steps of every session."""
    return write_steps(sessions, out)


def _units(text: str, scale: int, where: str, col: str) -> int:
    """Parse a decimal written by _dec back into integer units, exactly."""
    t = text.strip()
    neg = t.startswith("-")
    if neg:
        t = t[1:]
    whole, _, frac = t.partition(".")
    if not whole.isdigit() or (frac and not frac.isdigit()):
        raise BadStepsCsv(f"{where}: {col}: not a number: {text!r}")
    places = len(str(scale)) - 1
    if len(frac) > places:
        raise BadStepsCsv(f"{where}: {col}: more decimals than the schema's {places}")
    v = int(whole) * scale + (int(frac.ljust(places, "0")) if places else 0)
    return -v if neg else v


def read_steps(src: str | Path | TextIO) -> list[StepRow]:
    """Reload a steps CSV into exact Step records; BadStepsCsv names the line."""
    if isinstance(src, str | Path):
        with Path(src).open(newline="") as f:
            return read_steps(f)
    name = getattr(src, "name", "<csv>")
    rd = csv.DictReader(src)
    missing = [c for c in REQUIRED if c not in (rd.fieldnames or [])]
    if missing:
        raise BadStepsCsv(f"{name}: line 1: missing columns {', '.join(missing)}")
    out: list[StepRow] = []
    for row in rd:
        out.append(_row_to_step(row, f"{name}: line {rd.line_num}"))
    return out


def _row_to_step(row: dict[str, str], where: str) -> StepRow:
    def g(col: str, scale: int) -> int:
        return _units(row.get(col) or "0", scale, where, col)

    contact = g("contact_s", 1_000_000)
    step = R.Step(
        index=g("index", 1),
        contact_us=contact & 0xFFFFFFFF,
        stance_us=g("stance_ms", 1000),
        swing_us=g("swing_ms", 1000),
        peak_force_dn=g("peak_force_n", 10),
        time_to_peak_ms=g("time_to_peak_ms", 1),
        loading_rate_n_s=g("loading_rate_n_s", 1),
        impulse_dnms=g("impulse_ns", 10_000),
        strike_pm=g("strike_pct", 10),
        cop_x_mean_dmm=g("cop_x_mean_mm", 10),
        cop_ml_range_dmm=g("cop_ml_range_mm", 10),
        cop_path_dmm=g("cop_path_mm", 10),
        heel_pm=g("heel_pm", 1),
        mid_pm=g("mid_pm", 1),
        fore_pm=g("fore_pm", 1),
        medial_pm=g("medial_pm", 1),
        shock_mg=g("shock_mg", 1),
        flags=g("flags", 1),
        bw_dn=g("bw_n", 10),
    )
    if g("toe_off_s", 1_000_000) != contact + step.stance_us:
        raise BadStepsCsv(f"{where}: toe_off_s is not contact_s + stance_ms")
    return StepRow(g("session", 1), row.get("foot", ""), step, row.get("session_key") or "")
