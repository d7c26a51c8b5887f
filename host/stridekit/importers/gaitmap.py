"""gaitmap example data (MaD Lab, FAU) -> IMU-only foot sessions with mocap events.

Source format (SOURCE.md; gaitmap's example_data): `imu_sample.csv` (204.8 Hz) and
`imu_sample_ic_stride.csv` (102.4 Hz): two header rows (`sensor`: left_sensor /
right_sensor, `axis`: acc_x..gyr_z), column 0 the sample index; acc in m/s^2, gyr in
deg/s, already rotated into gaitmap's foot sensor frame. Events in samples of the
file's own rate: `stride_events_sample.csv` (`ic`, `pre_ic` initial contacts and `tc`
terminal contacts from optical motion capture, converted from 100 Hz: +-5 ms) for the
first; `stride_borders_sample_ic_stride.csv` (stride borders = mocap initial
contacts) for the second.

Mapping:
* axes: gaitmap's foot sensor frame is ours (x to the tip of the shoe, y left, z up;
  see common.py), so the mapping is the identity; units acc -> mg, gyr -> 0.1 deg/s;
* rate: by default every second sample of the 204.8 Hz file (102.4 Hz, the pod's
  ~100 Hz class; the header's rate_hz is the rounded nominal, exact times are in the
  samples); `keep_rate=True` keeps 204.8 Hz. The 102.4 Hz file is kept as it is;
* no insole: one cell (FOOTSWITCH_1) reading 0, has_imu=1 (as ipol.py);
* reference: REF_CONTACT from ic/pre_ic (or the stride borders), REF_TOE_OFF from tc,
  RefEvent source 3 (motion capture).

Licence MIT, Copyright (c) 2020 MaD-Lab Erlangen. Cite Küderle et al., PLOS ONE 2022
(SensorPositionComparison) and Küderle et al., IEEE OJEMB 2024 (gaitmap).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from stridefw import layouts as fw_layouts
from stridefw import records as R
from stridekit.importers.common import (
    G_M_S2,
    SRC_MOCAP,
    BadImportFile,
    ImportedRecord,
    RawFoot,
    RefEv,
    imu_counts,
)

DATASET = "gaitmap"
AXES = ("acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z")
SENSORS = ("left_sensor", "right_sensor")
# record name -> (IMU file, events file, rate Hz)
RECORDS = {
    "imu_sample": ("imu_sample.csv", "stride_events_sample.csv", 204.8),
    "imu_sample_ic_stride": (
        "imu_sample_ic_stride.csv",
        "stride_borders_sample_ic_stride.csv",
        102.4,
    ),
}
DEVICE_RATE_HZ = 100


def read_imu_csv(path: Path) -> dict[str, np.ndarray]:
    """{sensor: (N, 6) float acc m/s^2, gyr deg/s}; errors name the line."""
    try:
        lines = path.read_bytes().decode("ascii").splitlines()
    except UnicodeDecodeError as e:
        raise BadImportFile(path, f"byte {e.start}", "not ASCII text") from e
    if len(lines) < 3:
        raise BadImportFile(path, f"line {len(lines) + 1}", "truncated: headers without data")
    sensors = lines[0].split(",")
    axes = lines[1].split(",")
    if len(sensors) != len(axes):
        raise BadImportFile(path, "line 2", "the two header rows differ in length")
    col: dict[tuple[str, str], int] = {
        (s, a): i for i, (s, a) in enumerate(zip(sensors, axes, strict=True))
    }
    for s in SENSORS:
        for a in AXES:
            if (s, a) not in col:
                raise BadImportFile(path, "lines 1-2", f"no column for {s} {a}")
    n_cols = len(sensors)
    rows: list[list[float]] = []
    for n, line in enumerate(lines[2:], 3):
        if not line.strip():
            continue
        f = line.split(",")
        if len(f) != n_cols:
            raise BadImportFile(path, f"line {n}", f"expected {n_cols} columns, found {len(f)}")
        try:
            vals = [float(x) for x in f]
        except ValueError as e:
            raise BadImportFile(path, f"line {n}", f"not a number: {e}") from e
        if not all(math.isfinite(v) for v in vals):
            raise BadImportFile(path, f"line {n}", "non-finite value")
        if vals[0] != len(rows):
            raise BadImportFile(path, f"line {n}", f"sample index {f[0]}, expected {len(rows)}")
        rows.append(vals)
    if not rows:
        raise BadImportFile(path, "", "no data rows")
    d = np.array(rows)
    return {s: d[:, [col[(s, a)] for a in AXES]] for s in SENSORS}


def read_events(path: Path) -> dict[str, dict[str, list[float]]]:
    """{foot: {column: values}} from a gaitmap stride list CSV."""
    lines = path.read_text("ascii").splitlines()
    if not lines:
        raise BadImportFile(path, "", "empty file")
    head = lines[0].split(",")
    if "foot" not in head:
        raise BadImportFile(path, "line 1", "no 'foot' column")
    out: dict[str, dict[str, list[float]]] = {"left": {}, "right": {}}
    for n, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        f = line.split(",")
        if len(f) != len(head):
            raise BadImportFile(path, f"line {n}", f"expected {len(head)} columns, found {len(f)}")
        row = dict(zip(head, f, strict=True))
        foot = row["foot"]
        if foot not in out:
            raise BadImportFile(path, f"line {n}", f"foot {foot!r}")
        for k, v in row.items():
            if k in ("foot", "s_id", "gsd_id"):
                continue
            try:
                out[foot].setdefault(k, []).append(float(v))
            except ValueError as e:
                raise BadImportFile(path, f"line {n}", f"{k}: not a number: {v!r}") from e
    return out


def read(path: str | Path, keep_rate: bool = False, name: str | None = None) -> ImportedRecord:
    """One example recording: `path` is the IMU csv, or the folder plus `name`."""
    p = Path(path)
    if p.is_file():
        name = p.stem
        folder = p.parent
    else:
        folder = p
    if name not in RECORDS:
        raise BadImportFile(
            p, "", f"unknown gaitmap example {name!r} (one of {', '.join(RECORDS)})"
        )
    imu_file, ev_file, fs = RECORDS[name]
    imu_path, ev_path = folder / imu_file, folder / ev_file
    data = read_imu_csv(imu_path)
    events = read_events(ev_path) if ev_path.is_file() else {"left": {}, "right": {}}
    step = 1 if keep_rate else max(1, int(fs / DEVICE_RATE_HZ))
    feet: list[RawFoot] = []
    for foot, (sensor, side) in enumerate(zip(SENSORS, ("left", "right"), strict=True)):
        v = data[sensor][::step]
        n = len(v)
        idx = np.arange(0, n * step, step)
        t_us = np.rint(idx * (1e6 / fs)).astype(np.int64)
        acc, c1 = imu_counts(v[:, 0:3], 1000.0 / G_M_S2)
        gyr, c2 = imu_counts(v[:, 3:6], 10.0)
        ev = events[side]
        refs: list[RefEv] = []
        if "ic" in ev:  # stride events: the stride's own and the previous contact
            contact_idx = ev["ic"] + ev.get("pre_ic", [])
        else:  # stride borders at initial contact
            contact_idx = ev.get("start", []) + ev.get("end", [])
        for c in sorted(set(contact_idx)):
            refs.append(RefEv(round(c * 1e6 / fs), R.REF_CONTACT, SRC_MOCAP))
        for o in sorted(set(ev.get("tc", []))):
            refs.append(RefEv(round(o * 1e6 / fs), R.REF_TOE_OFF, SRC_MOCAP))
        notes = [
            f"gaitmap {imu_file} {sensor}: axes as published (foot sensor frame = ours); "
            f"acc -> mg, gyr -> 0.1 deg/s; {fs / step:g} Hz; no insole (one cell reading 0)",
        ]
        issues: list[str] = []
        if c1 + c2:
            issues.append(f"{c1 + c2} IMU values beyond int16 were clipped")
        feet.append(
            RawFoot(
                foot=foot,
                layout_id=fw_layouts.LAYOUT_1,
                rate_hz=round(fs / step),
                t_us=t_us,
                cells=np.zeros((n, 1), np.uint16),
                imu=np.concatenate([acc, gyr], axis=1),
                imu_present=np.ones(n, bool),
                refs=refs,
                notes=notes,
                issues=issues,
                clipped_values=c1 + c2,
            )
        )
    files = [imu_path] + ([ev_path] if ev_path.is_file() else [])
    return ImportedRecord(DATASET, name, files, feet, {"group": "healthy"})


def find(path: str | Path) -> list[Path]:
    """The example recordings present under a gaitmap-example folder (or the file given)."""
    p = Path(path)
    if p.is_file():
        return [p]
    return [p / f for f, _, _ in RECORDS.values() if (p / f).is_file()]
