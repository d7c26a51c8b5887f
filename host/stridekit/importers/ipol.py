"""IPOL gait IMU data set (Voisard et al., IPOL 2023) -> IMU-only foot sessions.

Source format (the repository's README and SOURCE.md): per trial `<s>-<t>_lf.txt` and
`_rf.txt` (Xsens MTw Awinda on the dorsum of each foot): line 1 `Acquisition
frequency: 100 Hz`, line 2 a tab-separated header `PacketCounter Acc_X Acc_Y Acc_Z
Gyr_X Gyr_Y Gyr_Z Mag_X Mag_Y Mag_Z`, then rows; acc in m/s^2, gyr in rad/s. The
trial's `<s>-<t>.json` holds `LeftFootEvents`/`RightFootEvents` as [toe-off,
heel-strike] pairs per swing, manually checked, in PacketCounter ticks counted from
the first packet (not row numbers: packets are missing in many trials).

Mapping:
* time: one pod sample per PacketCounter tick from the first to the last packet
  (100 Hz, t = (counter - first) * 10 ms; the 16-bit counter's wrap is undone). A
  tick with no packet is a sample whose IMU reading is missing (Sample without IMU),
  as on a pod whose IMU packet did not arrive: counted and noted, never invented;
* units: acc m/s^2 -> mg (/ 9.80665 * 1000), gyr rad/s -> 0.1 deg/s (* 1800 / pi);
  values beyond int16 are clipped and counted (the Xsens range is +-2000 deg/s, int16
  holds +-3276.7 deg/s, so none are expected);
* axes: the sensor sits on the instep with its Y axis to the walker's right (the
  mid-swing rotation vector, toes rising, points along +Y on both feet) and X along
  the instep towards the ankle (at rest X and Z both read part of gravity: the instep
  slopes ~35 deg). Ours (common.py: x to the toes, y left, z up) = (-X, -Y, +Z), a
  180 deg turn about Z, the same on both feet; the instep's pitch is kept, not
  levelled (no per-recording fit), so at rest az reads ~0.8 g and ax ~ -0.55 g;
* no insole: one cell (stridefw.layouts.FOOTSWITCH_1) that reads 0 counts, which is
  what a pod's ADC reads with the insole unplugged (the divider pulls it to ground);
  the header says has_imu=1. The kernel can find steps here only from the IMU;
* reference: heel strikes -> REF_CONTACT, toe-offs -> REF_TOE_OFF, RefEvent source 1
  (dataset annotation). TrialBoundaries and UTurnBoundaries are kept as notes and in
  `meta` (the validation leaves out the U-turn).

Cite: Voisard C. et al., "A Reference Data Set for the Study of Healthy Subject Gait
with Inertial Measurements Units", Image Processing On Line (IPOL) 2023,
https://www.ipol.im/pub/art/2023/497/. Repository licence AGPL-3.0.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np

from stridefw import layouts as fw_layouts
from stridefw import records as R
from stridekit.importers.common import (
    G_M_S2,
    SRC_ANNOTATION,
    BadImportFile,
    ImportedRecord,
    RawFoot,
    RefEv,
    imu_counts,
    runs_of,
)

DATASET = "ipol"
RATE_HZ = 100
TICK_US = 10_000
COLUMNS = [
    "PacketCounter",
    "Acc_X",
    "Acc_Y",
    "Acc_Z",
    "Gyr_X",
    "Gyr_Y",
    "Gyr_Z",
    "Mag_X",
    "Mag_Y",
    "Mag_Z",
]
# ours = SIGN * source[AXIS] per axis (x, y, z): a 180 deg turn about the sensor's Z
AXIS = (0, 1, 2)
SIGN = (-1.0, -1.0, 1.0)
MG_PER_M_S2 = 1000.0 / G_M_S2
DDPS_PER_RAD_S = 1800.0 / math.pi
_TRIAL = re.compile(r"^(\d+)-(\d+)$")
FEET = (("_lf.txt", "LeftFootEvents"), ("_rf.txt", "RightFootEvents"))


def read_foot_file(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """(packet counter int64, acc m/s^2 (N, 3), gyr rad/s (N, 3), repeated packets dropped);
    errors name the line."""
    try:
        lines = path.read_bytes().decode("ascii").splitlines()
    except UnicodeDecodeError as e:
        raise BadImportFile(path, f"byte {e.start}", "not ASCII text") from e
    if len(lines) < 3:
        raise BadImportFile(path, f"line {len(lines) + 1}", "truncated: header without data")
    m = re.match(r"^Acquisition frequency:\s*([\d.]+)\s*Hz", lines[0].strip())
    if not m:
        raise BadImportFile(path, "line 1", "expected 'Acquisition frequency: 100 Hz'")
    if float(m.group(1)) != RATE_HZ:
        raise BadImportFile(path, "line 1", f"rate {m.group(1)} Hz, expected {RATE_HZ}")
    if lines[1].split() != COLUMNS:
        raise BadImportFile(path, "line 2", f"expected columns {' '.join(COLUMNS)}")
    rows: list[list[float]] = []
    for n, line in enumerate(lines[2:], 3):
        f = line.split()
        if not f:
            continue
        if len(f) != len(COLUMNS):
            raise BadImportFile(
                path, f"line {n}", f"expected {len(COLUMNS)} columns, found {len(f)}"
            )
        try:
            vals = [float(x) for x in f]
        except ValueError as e:
            raise BadImportFile(path, f"line {n}", f"not a number: {e}") from e
        if not all(math.isfinite(v) for v in vals) or vals[0] != int(vals[0]):
            raise BadImportFile(path, f"line {n}", "bad value")
        rows.append(vals)
    if not rows:
        raise BadImportFile(path, "", "no data rows")
    d = np.array(rows)
    pc = d[:, 0].astype(np.int64)
    # undo the 16-bit counter's wrap; a repeated counter (a packet sent twice, as in
    # 11-1) keeps its first copy; a counter that goes back is a damaged file
    steps = np.diff(pc)
    wrap = steps < -(1 << 15)
    pc = pc + np.concatenate([[0], np.cumsum(wrap)]) * (1 << 16)
    d_pc = np.diff(pc)
    back = np.flatnonzero(d_pc < 0)
    if len(back):
        raise BadImportFile(path, f"line {int(back[0]) + 4}", "packet counter goes back")
    keep = np.concatenate([[True], d_pc > 0])
    return pc[keep], d[keep, 1:4], d[keep, 4:7], int(np.count_nonzero(~keep))


def to_ours(v: np.ndarray) -> np.ndarray:
    """Source sensor axes -> ours (x to the toes, y left, z up)."""
    return np.stack([SIGN[i] * v[:, AXIS[i]] for i in range(3)], axis=1)


def read_meta(path: Path) -> dict[str, object]:
    try:
        meta = json.loads(path.read_text("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        where = f"line {e.lineno}" if isinstance(e, json.JSONDecodeError) else f"byte {e.start}"
        raise BadImportFile(path, where, f"bad JSON: {e}") from e
    if not isinstance(meta, dict):
        raise BadImportFile(path, "", "expected a JSON object")
    for key in ("LeftFootEvents", "RightFootEvents"):
        ev = meta.get(key)
        if not isinstance(ev, list) or not all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(x, int | float) for x in p)
            for p in ev
        ):
            raise BadImportFile(path, key, "expected a list of [toe-off, heel-strike] pairs")
    return meta


def read(path: str | Path) -> ImportedRecord:
    """One trial (`GaitData/1-1`, or any of its files) with both feet."""
    p = Path(path)
    name = p.name.split("_")[0].removesuffix(".json").removesuffix(".txt")
    folder = p.parent
    if not _TRIAL.match(name):
        raise BadImportFile(p, "", "expected a trial name like 1-1")
    meta_path = folder / f"{name}.json"
    if not meta_path.is_file():
        raise BadImportFile(meta_path, "", "trial metadata missing")
    meta = read_meta(meta_path)
    files = [meta_path]
    feet: list[RawFoot] = []
    for foot, (suffix, key) in enumerate(FEET):
        fp = folder / f"{name}{suffix}"
        if not fp.is_file():
            raise BadImportFile(fp, "", "foot sensor file missing")
        files.append(fp)
        pc, acc, gyr, repeated = read_foot_file(fp)
        tick = pc - pc[0]
        n = int(tick[-1]) + 1
        present = np.zeros(n, bool)
        present[tick] = True
        imu = np.zeros((n, 6), np.int16)
        a, c1 = imu_counts(to_ours(acc), MG_PER_M_S2)
        g, c2 = imu_counts(to_ours(gyr), DDPS_PER_RAD_S)
        imu[tick, 0:3] = a
        imu[tick, 3:6] = g
        dropped = n - len(tick)
        notes = [
            f"ipol {fp.name}: Xsens MTw; axes ours = (-X, -Y, +Z); acc -> mg, gyr -> 0.1 deg/s; "
            "no insole (one cell reading 0)",
        ]
        issues: list[str] = []
        if dropped:
            runs, longest = runs_of(~present)
            issues.append(
                f"{dropped} of {n} IMU packets missing ({100 * dropped / n:.1f} %), {runs} gaps, "
                f"longest {longest} packets: samples without IMU"
            )
        if repeated:
            issues.append(f"{repeated} repeated packet counter(s): first copy kept")
        if c1 + c2:
            issues.append(f"{c1 + c2} IMU values beyond int16 were clipped")
        refs: list[RefEv] = []
        events = meta[key]
        assert isinstance(events, list)
        for to, hs in events:
            refs.append(RefEv(round(float(to)) * TICK_US, R.REF_TOE_OFF, SRC_ANNOTATION))
            refs.append(RefEv(round(float(hs)) * TICK_US, R.REF_CONTACT, SRC_ANNOTATION))
        unscored: list[tuple[int, int]] = []
        ut = meta.get("UTurnBoundaries")
        if isinstance(ut, list) and len(ut) == 2:
            unscored.append((int(ut[0]) * TICK_US, int(ut[1]) * TICK_US))
            notes.append(f"U-turn packets {ut[0]}-{ut[1]} (not scored)")
        tb = meta.get("TrialBoundaries")
        if isinstance(tb, list) and len(tb) == 2:
            notes.append(f"trial (walk) packets {tb[0]}-{tb[1]}")
        feet.append(
            RawFoot(
                foot=foot,
                layout_id=fw_layouts.LAYOUT_1,
                rate_hz=RATE_HZ,
                t_us=np.arange(n, dtype=np.int64) * TICK_US,
                cells=np.zeros((n, 1), np.uint16),
                imu=imu,
                imu_present=present,
                refs=refs,
                unscored=unscored,
                notes=notes,
                issues=issues,
                dropped_packets=dropped,
                clipped_values=c1 + c2,
            )
        )
    info: dict[str, str | float] = {"group": "healthy"}
    for k in ("Subject", "Trial", "Age", "Gender", "Height", "Weight"):
        v = meta.get(k)
        if isinstance(v, int | float | str):
            info[k.lower()] = v
    return ImportedRecord(DATASET, name, files, feet, info)


def find(path: str | Path) -> list[Path]:
    """Trials (as GaitData/<s>-<t>) under an ipol folder, or the one given."""
    p = Path(path)
    if p.is_file():
        return [p]
    base = p / "GaitData" if (p / "GaitData").is_dir() else p
    names = sorted({j.stem for j in base.glob("*.json") if _TRIAL.match(j.stem)}, key=_key)
    return [base / n for n in names]


def _key(name: str) -> tuple[int, int]:
    s, t = name.split("-")
    return int(s), int(t)
