"""Raw samples as CSV: one row per sample, exactly as the pod stored them.

Columns: foot, session, t_us (µs from the session start, u32 wraps undone), imu
(1 if the IMU reading is present), cell0..cellN-1 (raw ADC counts, before
calibration), ax_mg, ay_mg, az_mg (mg), gx_dds, gy_dds, gz_dds (0.1 deg/s).
Sessions with different cell counts get the widest header; missing cells are empty.
`read_samples` gives back the exact arrays (a round trip is tested).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import numpy as np

from stridekit.errors import StrideError
from stridekit.export import register
from stridekit.session import Session

IMU_COLUMNS = ("ax_mg", "ay_mg", "az_mg", "gx_dds", "gy_dds", "gz_dds")


class BadSamplesCsv(StrideError, ValueError):
    """A samples CSV that does not follow the schema; names the line."""


@dataclass
class SampleTable:
    """One session's samples reloaded from CSV."""

    foot: str
    session: int
    t_us: np.ndarray  # int64
    cells: np.ndarray  # uint16 (N, n_cells)
    imu: np.ndarray  # int16 (N, 6)
    imu_present: np.ndarray  # bool


def columns(n_cells: int) -> list[str]:
    return ["foot", "session", "t_us", "imu", *(f"cell{i}" for i in range(n_cells)), *IMU_COLUMNS]


@register("samples")
def write_samples(sessions: Sequence[Session], out: TextIO) -> int:
    """Every session's raw samples as CSV (header first); returns the row count."""
    n_cells = max((s.cells.shape[1] for s in sessions), default=0)
    w = csv.writer(out, lineterminator="\n")
    w.writerow(columns(n_cells))
    n = 0
    for s in sessions:
        pad = [""] * (n_cells - s.cells.shape[1])
        head = [s.foot, str(s.header.session_id)]
        for t, cells, imu, ok in zip(
            s.sample_t_us.tolist(),
            s.cells.tolist(),
            s.imu.tolist(),
            s.imu_present.tolist(),
            strict=True,
        ):
            w.writerow([*head, t, int(ok), *cells, *pad, *(imu if ok else [""] * 6)])
            n += 1
    return n


def read_samples(src: str | Path | TextIO) -> list[SampleTable]:
    """Reload a samples CSV, one table per (foot, session) in file order."""
    if isinstance(src, str | Path):
        with Path(src).open(newline="") as f:
            return read_samples(f)
    name = getattr(src, "name", "<csv>")
    rd = csv.reader(src)
    head = next(rd, None)
    if not head or head[:4] != ["foot", "session", "t_us", "imu"]:
        raise BadSamplesCsv(f"{name}: line 1: expected foot,session,t_us,imu,cell0...")
    n_cells = len(head) - 4 - len(IMU_COLUMNS)
    if n_cells < 1 or head != columns(n_cells):
        raise BadSamplesCsv(f"{name}: line 1: columns do not follow the samples schema")
    groups: dict[tuple[str, int], list[list[str]]] = {}
    for line, row in enumerate(rd, start=2):
        if len(row) != len(head):
            raise BadSamplesCsv(f"{name}: line {line}: {len(row)} fields, expected {len(head)}")
        try:
            key = (row[0], int(row[1]))
        except ValueError as e:
            raise BadSamplesCsv(f"{name}: line {line}: session is not an integer") from e
        groups.setdefault(key, []).append(row)
    out: list[SampleTable] = []
    for (foot, sess), rows in groups.items():
        try:
            used = max(i for i in range(n_cells) if rows[0][4 + i] != "") + 1
            t = np.array([int(r[2]) for r in rows], np.int64)
            ok = np.array([r[3] == "1" for r in rows], bool)
            cells = np.array([[int(v) for v in r[4 : 4 + used]] for r in rows], np.uint16)
            imu = np.array([[int(v) if v else 0 for v in r[4 + n_cells :]] for r in rows], np.int16)
        except ValueError as e:
            raise BadSamplesCsv(f"{name}: {foot} session {sess}: not an integer: {e}") from e
        out.append(SampleTable(foot, sess, t, cells, imu, ok))
    return out
