"""PhysioNet "Gait in Neurodegenerative Disease" (gaitndd 1.0.0) -> one-cell footswitch sessions.

Source format: per record a WFDB header (`.hea`), one signal file per foot (`.let`
left, `.rit` right; WFDB format 212, 300 Hz) and the authors' per-stride times
(`.ts`, 13 whitespace-separated columns). The decoder below is written from the
WFDB format description (signal(5)): format 212 packs two 12-bit two's-complement
samples into three bytes -- byte 0 holds the low 8 bits of the first sample, the low
nibble of byte 1 its high 4 bits, the high nibble of byte 1 the high 4 bits of the
second sample, byte 2 the second sample's low 8 bits. -2048 is WFDB's invalid-sample
code in this format; the header's checksum is the 16-bit sum of all samples.

Mapping:
* each foot's signal -> cell 0 of stridefw.layouts.FOOTSWITCH_1. The footswitch is
  an FSR read by a 12-bit ADC, as on our pod, so the sample is taken as the pod's own
  ADC count, offset to unsigned (count = sample + 2048, 0..4095; higher = more load),
  and the pod's nominal calibration turns it into force. Nothing is scaled or fitted
  per record: the data are uncalibrated ("roughly proportional to force"), so forces
  are nominal, and the kernel copes with each insole's preload itself (swing-phase
  auto-zero, and events timed above the swing floor: config FLOOR_*);
* rate: by default every third sample, 100 Hz, which is what the pod's 100 Hz
  sampler would have read (the kernel's device rate); `keep_rate=True` keeps 300 Hz;
* invalid samples (-2048) carry no reading: they are not written (the kernel sees a
  missing sample), counted, and noted in the session; they never become force;
* reference: `.ts` column 1 is the left heel strike (inferred in SOURCE.md: rising
  force edges sit 20-40 ms from it), so left contacts are column 1 (plus the first
  row's start, column 1 minus column 2: the rows chain) and left toe-offs column 1
  minus column 4 (left swing), RefEvent source 2 (authors' computed times).
  The `.ts` has no right-foot event times, only right stride intervals (column 3),
  which the validation reads from the `.ts` directly.

Cite: Hausdorff et al., J Appl Physiol 82:262-269 (1997) and 88:2045-2053 (2000);
Goldberger et al., Circulation 101(23):e215-e220 (2000). ODC-By 1.0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from stridefw import layouts as fw_layouts
from stridefw import records as R
from stridekit.importers.common import (
    SRC_AUTHORS,
    BadImportFile,
    ImportedRecord,
    RawFoot,
    RefEv,
    runs_of,
)

DATASET = "gaitndd"
INVALID = -2048
TS_COLS = 13
DEVICE_RATE_HZ = 100
FOOT_EXT = (".let", ".rit")
_NAME = re.compile(r"^(control|park|hunt|als)(\d+)$")
GROUPS = {"control": "control", "park": "PD", "hunt": "HD", "als": "ALS"}


@dataclass
class SignalSpec:
    """One signal line of a WFDB header."""

    file: str
    fmt: int
    gain: str
    init: int | None
    checksum: int | None
    description: str


@dataclass
class Header:
    record: str
    n_sig: int
    fs_hz: float
    n_samples: int
    signals: list[SignalSpec]


def read_header(path: str | Path) -> Header:
    """Parse a WFDB header; BadImportFile names the line."""
    p = Path(path)
    try:
        text = p.read_text("ascii")
    except UnicodeDecodeError as e:
        raise BadImportFile(p, f"byte {e.start}", "not ASCII text") from e
    lines = [
        (n, ln.strip())
        for n, ln in enumerate(text.splitlines(), 1)
        if ln.strip() and not ln.lstrip().startswith("#")
    ]
    if not lines:
        raise BadImportFile(p, "", "empty header")
    n0, rec_line = lines[0]
    f = rec_line.split()
    try:
        n_sig = int(f[1])
        fs = float(f[2].split("/")[0].split("(")[0])
        n_samp = int(f[3]) if len(f) > 3 else -1
    except (IndexError, ValueError) as e:
        raise BadImportFile(p, f"line {n0}", f"bad record line {rec_line!r}") from e
    if len(lines) - 1 < n_sig:
        raise BadImportFile(
            p,
            f"line {len(text.splitlines())}",
            f"{n_sig} signals announced, {len(lines) - 1} found",
        )
    sigs: list[SignalSpec] = []
    for n, ln in lines[1 : 1 + n_sig]:
        g = ln.split()
        try:
            fmt = int(g[1].split("x")[0].split(":")[0].split("+")[0])
            init = int(g[5]) if len(g) > 5 else None
            chk = int(g[6]) if len(g) > 6 else None
        except (IndexError, ValueError) as e:
            raise BadImportFile(p, f"line {n}", f"bad signal line {ln!r}") from e
        sigs.append(SignalSpec(g[0], fmt, g[2] if len(g) > 2 else "", init, chk, " ".join(g[8:])))
    return Header(f[0], n_sig, fs, n_samp, sigs)


def decode_212(data: bytes) -> np.ndarray:
    """Format 212 bytes -> int16 samples (two per three bytes; a trailing pair of bytes
    holds one last sample)."""
    b = np.frombuffer(data, np.uint8)
    n3 = len(b) // 3
    tri = b[: 3 * n3].reshape(n3, 3).astype(np.int32)
    out = np.empty(2 * n3 + (1 if len(b) - 3 * n3 >= 2 else 0), np.int32)
    out[0 : 2 * n3 : 2] = tri[:, 0] | ((tri[:, 1] & 0x0F) << 8)
    out[1 : 2 * n3 : 2] = tri[:, 2] | ((tri[:, 1] & 0xF0) << 4)
    if len(out) > 2 * n3:
        out[-1] = int(b[3 * n3]) | ((int(b[3 * n3 + 1]) & 0x0F) << 8)
    out[out >= 2048] -= 4096
    return out.astype(np.int16)


def read_signal(path: str | Path, spec: SignalSpec, n_samples: int) -> np.ndarray:
    """One format-212 signal, checked against the header's length and checksum."""
    p = Path(path)
    if spec.fmt != 212:
        raise BadImportFile(p, "", f"WFDB format {spec.fmt}; only format 212 is supported")
    data = p.read_bytes()
    if n_samples >= 0:
        need = (3 * n_samples + 1) // 2
        if len(data) < need:
            raise BadImportFile(
                p, f"byte {len(data)}", f"truncated: {n_samples} samples need {need} bytes"
            )
        x = decode_212(data[:need])[:n_samples]
    else:
        x = decode_212(data)
    if spec.checksum is not None:
        s = int(x.astype(np.int64).sum()) & 0xFFFF
        s = s - 0x10000 if s >= 0x8000 else s
        if s != spec.checksum:
            raise BadImportFile(p, "", f"checksum {s} != header's {spec.checksum}: damaged data")
    return x


def read_ts(path: str | Path) -> np.ndarray:
    """The authors' per-stride table, (rows, 13) float; BadImportFile names the line."""
    p = Path(path)
    rows: list[list[float]] = []
    for n, line in enumerate(p.read_bytes().decode("ascii", "replace").splitlines(), 1):
        fields = line.split()
        if not fields:
            continue
        if len(fields) != TS_COLS:
            raise BadImportFile(p, f"line {n}", f"expected {TS_COLS} columns, found {len(fields)}")
        try:
            rows.append([float(v) for v in fields])
        except ValueError as e:
            raise BadImportFile(p, f"line {n}", f"not a number: {e}") from e
    if not rows:
        raise BadImportFile(p, "", "no stride rows")
    return np.array(rows)


def read(path: str | Path, keep_rate: bool = False) -> ImportedRecord:
    """One record (e.g. gaitndd/data/control1 or control1.hea) with both feet."""
    p = Path(path)
    base = p.with_suffix("") if p.suffix in (".hea", ".let", ".rit", ".ts") else p
    hea = base.with_suffix(".hea")
    if not hea.is_file():
        raise BadImportFile(hea, "", "header file missing")
    hdr = read_header(hea)
    specs = {s.file: s for s in hdr.signals}
    ts_path = base.with_suffix(".ts")
    ts = read_ts(ts_path) if ts_path.is_file() else None
    step = 1 if keep_rate else max(1, round(hdr.fs_hz / DEVICE_RATE_HZ))
    rate = hdr.fs_hz / step
    files = [hea]
    feet: list[RawFoot] = []
    meta: dict[str, str | float] = {}
    for foot, ext in enumerate(FOOT_EXT):
        sig_path = base.with_suffix(ext)
        spec = specs.get(sig_path.name)
        if spec is None:
            raise BadImportFile(hea, "", f"no signal line for {sig_path.name}")
        if not sig_path.is_file():
            raise BadImportFile(sig_path, "", "signal file missing")
        files.append(sig_path)
        x = read_signal(sig_path, spec, hdr.n_samples)
        idx = np.arange(0, len(x), step)
        xs = x[idx].astype(np.int32)
        valid = xs != INVALID
        t_us = np.rint(idx * (1e6 / hdr.fs_hz)).astype(np.int64)
        n_bad_all = int(np.count_nonzero(x == INVALID))
        n_bad = int(np.count_nonzero(~valid))
        cells = (xs[valid] + 2048).astype(np.uint16).reshape(-1, 1)
        notes = [
            f"gaitndd {sig_path.name}: WFDB 212 at {hdr.fs_hz:g} Hz, gain {spec.gain} adu/unit; "
            f"cell count = sample + 2048 (uncalibrated FSR, nominal curve); kept {rate:g} Hz",
        ]
        issues: list[str] = []
        if n_bad_all:
            runs, longest = runs_of(x == INVALID)
            first = int(np.flatnonzero(x == INVALID)[0]) / hdr.fs_hz
            issues.append(
                f"{n_bad_all} invalid samples (-2048) in the source, {runs} runs, longest "
                f"{longest} samples, first at {first:.3f} s; {n_bad} fell on kept samples "
                "and were left out (no reading, not zero force)"
            )
        if not valid.any():
            raise BadImportFile(sig_path, "", "no valid sample")
        # the kernel's session time starts at the first sample it sees: start there
        t0 = int(t_us[valid][0])
        if t0:
            notes.append(f"session starts at source time {t0 / 1e6:.4f} s (first valid sample)")
        refs: list[RefEv] = []
        if ts is not None and foot == 0:
            # the rows chain: the first stride's start is a left heel strike too
            first = round((ts[0, 0] - ts[0, 1]) * 1e6) - t0
            refs.append(RefEv(first, R.REF_CONTACT, SRC_AUTHORS))
            for row in ts:
                refs.append(RefEv(round(row[0] * 1e6) - t0, R.REF_CONTACT, SRC_AUTHORS))
                to_us = round((row[0] - row[3]) * 1e6) - t0
                refs.append(RefEv(to_us, R.REF_TOE_OFF, SRC_AUTHORS))
        if ts is not None and foot == 1:
            notes.append("reference: the .ts has right stride intervals (column 3), no event times")
        feet.append(
            RawFoot(
                foot=foot,
                layout_id=fw_layouts.LAYOUT_1,
                rate_hz=round(rate),
                t_us=t_us[valid] - t0,
                cells=cells,
                refs=refs,
                notes=notes,
                issues=issues,
                invalid_samples=n_bad,
                invalid_t_us=np.rint(np.flatnonzero(x == INVALID) * (1e6 / hdr.fs_hz)).astype(
                    np.int64
                )
                - t0,
            )
        )
        meta[f"t0_s_{foot}"] = t0 / 1e6
    if ts is not None:
        files.append(ts_path)
    m = _NAME.match(base.name)
    if m:
        meta["group"] = GROUPS[m.group(1)]
    tables = {"ts": ts} if ts is not None else {}
    return ImportedRecord(DATASET, base.name, files, feet, meta, tables)


def find(path: str | Path) -> list[Path]:
    """Record base paths (without extension) under a gaitndd folder, or the one given."""
    p = Path(path)
    if p.is_file() or p.with_suffix(".hea").is_file():
        return [p.with_suffix("") if p.suffix else p]
    base = p / "data" if (p / "data").is_dir() else p
    return sorted((h.with_suffix("") for h in base.glob("*.hea")), key=_sort_key)


def _sort_key(p: Path) -> tuple[str, int]:
    m = _NAME.match(p.name)
    return (m.group(1), int(m.group(2))) if m else (p.name, 0)
