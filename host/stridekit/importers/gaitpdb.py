"""PhysioNet "Gait in Parkinson's Disease" (gaitpdb 1.0.0) walks -> two insole sessions.

Source format (the dataset's format.txt): tab-separated text, no header, 19 columns:
time (s), left sensors L1..L8 (N), right sensors R1..R8 (N), left total, right total.
Nominal 100 Hz (the time column steps 0.0099 s now and then; we keep its times).

Mapping:
* sensor k -> cell k-1 of stridefw.layouts.INSOLE_8, whose positions follow the
  Infotronic sensor map of format.txt (heel, 2 rear-midfoot, 2 midfoot, 2 metatarsal,
  hallux); left foot = session foot 0, right = foot 1, both in one file;
* newtons -> 12-bit ADC counts through the FSR divider model (common.adc_from_newtons);
  the header carries the nominal calibration, so the kernel reads the force back;
* no labels in the data: the reference events come from stridekit.importers.refdetect run on the
  dataset's own float newtons (RefEvent source 4, offline reference detector).

Cite: Goldberger et al., Circulation 101(23):e215-e220, 2000 (PhysioNet), and the
source studies (Yogev 2005, Hausdorff 2007, Frenkel-Toledo 2005). ODC-By 1.0.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from stridefw import layouts as fw_layouts
from stridefw import records as R
from stridekit.importers import refdetect
from stridekit.importers.common import (
    SRC_OFFLINE,
    BadImportFile,
    ImportedRecord,
    RawFoot,
    RefEv,
    adc_from_newtons,
    check_times,
)

DATASET = "gaitpdb"
N_COLS = 19
RATE_HZ = 100
_NAME = re.compile(r"^(Ga|Ju|Si)(Co|Pt)(\d+)_(\d+)$")
_TOTAL_TOL_N = 0.05  # totals equal the sensor sums to 1e-12 in the published files
STUDIES = {
    "Ga": "Yogev 2005 (dual task)",
    "Ju": "Hausdorff 2007 (RAS)",
    "Si": "Frenkel-Toledo 2005",
}


def read_table(path: Path) -> np.ndarray:
    """The 19 columns as float, checking every line; BadImportFile names the line."""
    try:
        text = path.read_bytes().decode("ascii")
    except UnicodeDecodeError as e:
        line = path.read_bytes()[: e.start].count(b"\n") + 1
        raise BadImportFile(path, f"line {line}", "not ASCII text") from e
    rows: list[list[float]] = []
    for n, line in enumerate(text.split("\n"), 1):
        fields = line.split()
        if not fields:
            continue
        if len(fields) != N_COLS:
            raise BadImportFile(
                path, f"line {n}", f"expected {N_COLS} columns, found {len(fields)}"
            )
        try:
            vals = [float(x) for x in fields]
        except ValueError as e:
            raise BadImportFile(path, f"line {n}", f"not a number: {e}") from e
        if not all(np.isfinite(vals)):
            raise BadImportFile(path, f"line {n}", "non-finite value")
        rows.append(vals)
    if not rows:
        raise BadImportFile(path, "", "no data lines")
    d = np.array(rows)
    for foot, total_col in ((0, 17), (1, 18)):
        cells = d[:, 1 + 8 * foot : 9 + 8 * foot]
        bad = np.flatnonzero(np.abs(cells.sum(axis=1) - d[:, total_col]) > _TOTAL_TOL_N)
        if len(bad):
            raise BadImportFile(
                path,
                f"line {int(bad[0]) + 1}",
                f"column {total_col + 1} is not the sum of the {'left' if foot == 0 else 'right'} sensors",
            )
    return d


def meta_from_name(name: str) -> dict[str, str | float]:
    m = _NAME.match(name)
    if not m:
        return {}
    study, group, subject, walk = m.groups()
    return {
        "study": study,
        "group": "control" if group == "Co" else "PD",
        "subject": f"{study}{group}{subject}",
        "walk": walk,
        "condition": "dual task" if walk == "10" else ("usual" if walk == "01" else "other"),
    }


def read(path: str | Path) -> ImportedRecord:
    """One gaitpdb walk (e.g. GaCo01_01.txt) as an ImportedRecord with both feet."""
    p = Path(path)
    d = read_table(p)
    t_s = d[:, 0]
    t_us = np.rint((t_s - t_s[0]) * 1e6).astype(np.int64)
    check_times(p, t_us, "line")
    feet: list[RawFoot] = []
    for foot in (0, 1):
        force = d[:, 1 + 8 * foot : 9 + 8 * foot]
        cells = adc_from_newtons(force)
        total = force.sum(axis=1)
        ref = refdetect.detect((t_us / 1e6), total)
        refs = [RefEv(round(c * 1e6), R.REF_CONTACT, SRC_OFFLINE) for c in ref.contact_s]
        refs += [RefEv(round(o * 1e6), R.REF_TOE_OFF, SRC_OFFLINE) for o in ref.toe_off_s]
        notes = [
            "gaitpdb sensor k -> cell k-1 (INSOLE_8); N -> ADC via the nominal FSR curve",
            f"reference: offline detector (stridekit.importers.refdetect), baseline {ref.baseline_n:.1f} N, "
            f"level {ref.level_n:.1f} N, arm {ref.arm_n:.1f} N",
        ]
        unscored = [(round(a * 1e6), round(b * 1e6)) for a, b in ref.unscored]
        for a, b in ref.unscored:
            notes.append(f"reference: {a:.2f}-{b:.2f} s no single step (unscored)")
        feet.append(
            RawFoot(
                foot=foot,
                layout_id=fw_layouts.LAYOUT_8,
                rate_hz=RATE_HZ,
                t_us=t_us,
                cells=cells,
                refs=refs,
                unscored=unscored,
                notes=notes,
            )
        )
    meta = meta_from_name(p.stem)
    tables = {"total_n_0": d[:, 17], "total_n_1": d[:, 18]}
    return ImportedRecord(DATASET, p.stem, [p], feet, meta, tables)


def force_n(path: str | Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(t_s, left sensors N (N, 8), right sensors N (N, 8)) as published."""
    d = read_table(Path(path))
    return d[:, 0] - d[0, 0], d[:, 1:9], d[:, 9:17]


def find(path: str | Path) -> list[Path]:
    """Trial files under a gaitpdb folder (or the one file given)."""
    p = Path(path)
    if p.is_file():
        return [p]
    base = p / "data" if (p / "data").is_dir() else p
    return sorted(f for f in base.glob("*.txt") if _NAME.match(f.stem))
