"""What every importer shares: the error type, the FSR model, and recording a session.

An importer reads a published recording as it is and returns an `ImportedRecord`:
per foot, raw samples in the pod's units (12-bit ADC counts per insole cell; IMU in
mg and 0.1 deg/s on our axes), the reference events the dataset provides, and
notes on anything odd in the data (invalid samples, dropped packets). Recording
then does what a pod does: the firmware's StepKernel runs over the samples and its
Step and Flag records are written after the sample that produced them, so
`stride replay` on an imported file checks bit-identity like on a pod's file, and
the reference events travel beside them as RefEvent records, never mixed in.

IMU axes (ours, the same for both feet, right-handed; gaitmap's "foot sensor frame",
Küderle et al. 2024): x towards the tip of the shoe, y to the walker's left, z up.
Gravity reads +1000 mg on an axis pointing up; a positive rate turns by the
right-hand rule (mid-swing, the toes rising, shows as negative gy).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from stridefw import calib as fw_calib
from stridefw import config as fw_config
from stridefw import layouts as fw_layouts
from stridefw import records as R
from stridekit.errors import StrideError
from stridekit.replay import KernelOutput, kernel_for, learnt_reference, run_kernel, write_recording
from stridekit.session_writer import SessionWriter

G_M_S2 = 9.80665  # standard gravity: m/s^2 per g
ADC_MAX = fw_config.ADC_MAX
# RefEvent sources (stridefw.records.RefEvent)
SRC_ANNOTATION = 1
SRC_AUTHORS = 2
SRC_MOCAP = 3
SRC_OFFLINE = 4
SOURCE_NAMES = {
    0: "simulator",
    SRC_ANNOTATION: "dataset annotation",
    SRC_AUTHORS: "dataset authors' computed times",
    SRC_MOCAP: "motion capture",
    SRC_OFFLINE: "offline reference detector",
}


class BadImportFile(StrideError, ValueError):
    """A dataset file that is malformed or truncated; names the file and the place."""

    def __init__(self, path: str | Path, where: str, reason: str) -> None:
        self.path = Path(path)
        self.where = where
        self.reason = reason
        super().__init__(f"{path}: {where}: {reason}" if where else f"{path}: {reason}")


@dataclass
class RefEv:
    """A reference event before framing: microseconds from the session start."""

    t_us: int
    kind: int  # R.REF_CONTACT or R.REF_TOE_OFF
    source: int


@dataclass
class RawFoot:
    """One foot's samples in pod units, ready for the kernel."""

    foot: int  # 0 left, 1 right
    layout_id: int
    rate_hz: int  # nominal rate (the header field); exact times are in t_us
    t_us: np.ndarray  # int64, microseconds from the session start, increasing
    cells: np.ndarray  # uint16 (N, n_cells), 0..4095
    imu: np.ndarray | None = None  # int16 (N, 6): ax, ay, az mg; gx, gy, gz 0.1 deg/s
    imu_present: np.ndarray | None = None  # bool (N,): False where a packet was dropped
    refs: list[RefEv] = field(default_factory=list)
    # (start_us, end_us) spans where the reference makes no judgement (unscored)
    unscored: list[tuple[int, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how the data were mapped
    issues: list[str] = field(default_factory=list)  # problems in the source data
    invalid_samples: int = 0  # kept samples the source marks invalid (left out)
    # session times (us) of every sample the source marks invalid, kept or not
    invalid_t_us: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    dropped_packets: int = 0  # IMU packets missing in the source
    clipped_values: int = 0  # IMU values beyond int16 (clipped)

    @property
    def n_cells(self) -> int:
        return int(self.cells.shape[1])

    @property
    def has_imu(self) -> bool:
        return self.imu is not None

    def ref_times_s(self, kind: int) -> np.ndarray:
        return np.array(sorted(r.t_us for r in self.refs if r.kind == kind), float) / 1e6


@dataclass
class ImportedRecord:
    """One record of a dataset (a walk, a trial), one RawFoot per foot."""

    dataset: str
    name: str
    files: list[Path]
    feet: list[RawFoot]
    meta: dict[str, str | float] = field(default_factory=dict)
    # reference tables the validation reads beside the events (e.g. gaitndd's .ts)
    tables: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass
class Recorded:
    """A session file's bytes and what the kernel emitted for each foot."""

    data: bytes
    outputs: list[KernelOutput]
    headers: list[R.SessionHeader]


def adc_from_newtons(force_n: np.ndarray, half_dn: int = fw_calib.HALF_DN_DEFAULT) -> np.ndarray:
    """Newtons -> 12-bit ADC counts through the FSR divider model of stridefw.calib.

    a = 4095 F / (F + F_half), F_half = half_dn / 10 N; rounded, clipped to 0..4095.
    The header carries calib.nominal(n), the integer inverse of this curve, so the
    kernel reads the force back within the table's interpolation error.
    """
    f = np.maximum(np.asarray(force_n, dtype=float), 0.0)
    a = ADC_MAX * f / (f + half_dn / 10.0)
    return np.clip(np.rint(a), 0, ADC_MAX).astype(np.uint16)


def imu_counts(values: np.ndarray, scale: float) -> tuple[np.ndarray, int]:
    """Float IMU values times scale, rounded to int16; returns (array, clipped count)."""
    v = np.rint(np.asarray(values, dtype=float) * scale)
    clipped = int(np.count_nonzero((v > 32767) | (v < -32768)))
    return np.clip(v, -32768, 32767).astype(np.int16), clipped


def device_id(dataset: str, foot: int) -> bytes:
    """Six bytes naming the importer (no real pod): 'I', 4 letters of the dataset, foot."""
    tag = dataset.encode("ascii", "replace")[:4].ljust(4, b"_")
    return b"I" + tag + bytes([foot])


def header_for(rec: ImportedRecord, foot: RawFoot, session_id: int) -> R.SessionHeader:
    layout = fw_layouts.by_id(foot.layout_id)
    return R.SessionHeader(
        session_id=session_id,
        device_id=device_id(rec.dataset, foot.foot),
        foot=foot.foot,
        fw_version=fw_config.FIRMWARE_VERSION,
        rate_hz=foot.rate_hz,
        layout_id=foot.layout_id,
        n_cells=layout.n_cells,
        has_imu=1 if foot.has_imu else 0,
        epoch_s=0,  # the datasets carry no wall-clock time
        bw_dn=fw_config.BW_DEFAULT_DN,  # the pod's default: nothing taken from the subject
        calib=fw_calib.nominal(layout.n_cells).to_bytes(),
    )


def record(
    rec: ImportedRecord, first_session_id: int = 1, references: list[str | None] | None = None
) -> Recorded:
    """Every foot of a record as one pod session each, in one byte string (left first).

    references: per foot, the UNSTABLE reference a pod learnt from this person's earlier
    sessions (`learn_references` of another record), or None.
    """
    chunks: list[bytes] = []
    outs: list[KernelOutput] = []
    hdrs: list[R.SessionHeader] = []
    refs = references or [None] * len(rec.feet)
    for i, foot in enumerate(rec.feet):
        hdr = header_for(rec, foot, first_session_id + i)
        data, out = record_foot(rec, foot, hdr, refs[i])
        chunks.append(data)
        outs.append(out)
        hdrs.append(hdr)
    return Recorded(b"".join(chunks), outs, hdrs)


def learn_references(rec: ImportedRecord) -> list[str | None]:
    """Per foot, the UNSTABLE reference a pod would store after recording this record."""
    return [
        learnt_reference(header_for(rec, f, i + 1), f.t_us, f.cells, f.imu, f.imu_present)
        for i, f in enumerate(rec.feet)
    ]


def record_foot(
    rec: ImportedRecord, foot: RawFoot, hdr: R.SessionHeader, reference: str | None = None
) -> tuple[bytes, KernelOutput]:
    """One session as a pod would have written it, with the source's reference events."""
    if foot.cells.shape[1] != hdr.n_cells:
        raise ValueError(f"{rec.name}: {foot.cells.shape[1]} cells, layout has {hdr.n_cells}")
    if len(foot.t_us) == 0 or foot.t_us[0] != 0:
        # the kernel counts session time from the first sample it is given
        raise ValueError(f"{rec.name}: the first sample must be at t_us 0")
    k = kernel_for(hdr, [reference] if reference else ())
    out = run_kernel(k, foot.t_us, foot.cells, foot.imu, foot.imu_present)
    w = SessionWriter(period_us=1_000_000 // max(1, hdr.rate_hz))
    w.add(R.REC_HEADER, hdr.to_bytes())
    src = ", ".join(p.name for p in rec.files)
    texts = [*([reference] if reference else []), f"imported from {rec.dataset} {rec.name} ({src})"]
    texts += foot.notes
    texts += [f"data issue: {x}" for x in foot.issues]
    for text in texts:
        w.add(R.REC_NOTE, R.Note(0, text).to_bytes())
    write_recording(w, foot.t_us, foot.cells, foot.imu, foot.imu_present, out)
    for r in sorted(foot.refs, key=lambda e: (e.t_us, e.kind)):
        w.add(R.REC_REF, R.RefEvent(r.t_us & 0xFFFFFFFF, r.kind, r.source).to_bytes())
    end = R.SessionEnd(
        t_us=int(foot.t_us[-1]) & 0xFFFFFFFF if len(foot.t_us) else 0,
        steps=len(out.step_payloads),
        samples=len(foot.t_us),
        missed=foot.invalid_samples,
        gaps=out.gaps,
        flags=_last_flags(out),
    )
    w.add(R.REC_END, end.to_bytes())
    return bytes(w.out), out


def _last_flags(out: KernelOutput) -> int:
    if not out.flag_payloads:
        return 0
    return R.Flag.from_bytes(out.flag_payloads[-1]).flags


def check_times(path: Path, t_us: np.ndarray, what: str = "row") -> None:
    """Sample times must increase strictly; names the first offending row (1-based)."""
    if len(t_us) == 0:
        raise BadImportFile(path, "", "no samples")
    bad = np.flatnonzero(np.diff(t_us) <= 0)
    if len(bad):
        raise BadImportFile(path, f"{what} {int(bad[0]) + 2}", "time does not increase")


def runs_of(mask: np.ndarray) -> tuple[int, int]:
    """(number of runs of True, longest run) in a boolean array."""
    if not mask.any():
        return 0, 0
    m = np.concatenate([[False], mask, [False]]).astype(np.int8)
    d = np.diff(m)
    starts = np.flatnonzero(d == 1)
    ends = np.flatnonzero(d == -1)
    return len(starts), int((ends - starts).max())
