"""Importers for published gait recordings: the original files -> StrideKit sessions.

Each module reads one dataset's files exactly as published and returns
`ImportedRecord`s (common.py); `record()` runs the firmware kernel over them the way
a pod records, and `import_to(...)` writes one `.strd` file per record. Formats are
chosen by name (`FORMATS`), as `stride import --format NAME` does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from stridekit.importers import gaitmap, gaitndd, gaitpdb, ipol
from stridekit.importers.common import BadImportFile, ImportedRecord, Recorded, record


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    find: Callable[[Path], list[Path]]
    read: Callable[[Path, bool], ImportedRecord]
    folder: str  # its folder name under the shared data root


def _pdb(p: Path, keep_rate: bool) -> ImportedRecord:
    return gaitpdb.read(p)


def _ndd(p: Path, keep_rate: bool) -> ImportedRecord:
    return gaitndd.read(p, keep_rate)


def _ipol(p: Path, keep_rate: bool) -> ImportedRecord:
    return ipol.read(p)


def _gm(p: Path, keep_rate: bool) -> ImportedRecord:
    return gaitmap.read(p, keep_rate)


FORMATS: dict[str, Format] = {
    "gaitpdb": Format(
        "gaitpdb",
        "PhysioNet gaitpdb: 8-sensor force insoles, 100 Hz",
        gaitpdb.find,
        _pdb,
        "gaitpdb",
    ),
    "gaitndd": Format(
        "gaitndd",
        "PhysioNet gaitndd: footswitch FSR, WFDB 212, 300 Hz",
        gaitndd.find,
        _ndd,
        "gaitndd",
    ),
    "ipol": Format(
        "ipol", "IPOL gait IMU data set: foot IMUs, 100 Hz", ipol.find, _ipol, "ipol-gait-imu"
    ),
    "gaitmap": Format(
        "gaitmap",
        "gaitmap example: foot IMUs, 204.8 Hz, mocap events",
        gaitmap.find,
        _gm,
        "gaitmap-example",
    ),
}


def iter_records(fmt: str, path: Path, keep_rate: bool = False) -> Iterator[ImportedRecord]:
    """Every record of a dataset folder (or the one file/record given), read lazily."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    f = FORMATS[fmt]
    if not path.exists() and not path.with_suffix(".hea").exists():
        raise FileNotFoundError(f"{path}: no such file or folder")
    found = f.find(path)
    if not found:
        raise BadImportFile(path, "", f"no {fmt} records found")
    for p in found:
        yield f.read(p, keep_rate)


def import_to(
    fmt: str,
    path: Path,
    out_dir: Path,
    keep_rate: bool = False,
    on_record: Callable[[str], None] | None = None,
) -> list[tuple[Path, ImportedRecord, Recorded]]:
    """Import every record under path into out_dir/<record>.strd (both feet per file).

    out_dir is made if missing, its parent must exist. `on_record(name)` after each.
    """
    out_dir.mkdir(exist_ok=True)
    done: list[tuple[Path, ImportedRecord, Recorded]] = []
    for rec in iter_records(fmt, path, keep_rate):
        rr = record(rec)
        dest = out_dir / f"{rec.name}.strd"
        dest.write_bytes(rr.data)
        done.append((dest, rec, rr))
        if on_record is not None:
            on_record(rec.name)
    return done


__all__ = [
    "FORMATS",
    "BadImportFile",
    "Format",
    "ImportedRecord",
    "import_to",
    "iter_records",
    "record",
]
