"""Turn a simulated run into session files, recorded the way a pod records them.

The pod writes each raw Sample, and after the sample at which its kernel emits a
Step or Flag, that record. Here the same firmware kernel runs on CPython, so the
Step records in a simulated file are exactly what a pod would have stored.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from stridefw import calib as fw_calib
from stridefw import config as fw_config
from stridefw import records as R
from stridefw import store as S
from stridekit.replay import kernel_for, learnt_reference, run_kernel, write_recording
from stridekit.session_writer import SessionWriter
from stridekit.sim.gait import SimFoot, SimRun


def header_for(run: SimRun, foot: SimFoot, session_id: int) -> R.SessionHeader:
    n = run.params.cells
    return R.SessionHeader(
        session_id=session_id,
        device_id=bytes([0x5D, 0x1D, 0, 0, run.params.seed & 0xFF, foot.foot]),
        foot=foot.foot,
        fw_version=fw_config.FIRMWARE_VERSION,
        rate_hz=run.params.rate_hz,
        layout_id=run.layout_id,
        n_cells=n,
        has_imu=1 if foot.imu is not None else 0,
        epoch_s=int(run.params.start_epoch_s)
        if run.params.start_epoch_s
        else 1_780_000_000 + run.params.seed,
        bw_dn=fw_config.BW_DEFAULT_DN,
        calib=fw_calib.nominal(n).to_bytes(),
    )


RAW_OFF_NOTE = S.NOTE_RAW_PREFIX + " off: steps only"


def learn_references(run: SimRun) -> list[str | None]:
    """What each pod stores after recording this run: its UNSTABLE reference Note text
    (StepKernel.learn_reference, as the app does at `rec stop`), or None."""
    return [
        learnt_reference(header_for(run, f, i + 1), f.device_ticks(), f.cells, f.imu, f.imu_present)
        for i, f in enumerate(run.feet)
    ]


# Samples per piece the kernel and the writer take at a time: they turn numpy rows into
# Python lists (~0.3 kB a sample), so an hour-long run in one piece held ~1.5 GB.
CHUNK_SAMPLES = 30_000


def record_foot(
    run: SimRun,
    foot: SimFoot,
    session_id: int,
    raw: bool = True,
    reference: str | None = None,
    chunk_samples: int = CHUNK_SAMPLES,
) -> bytes:
    """One pod's session file contents for one simulated foot (raw=False: steps only).

    reference: the runner's UNSTABLE reference the pod learnt from earlier sessions
    (a Note text from `learn_references`); written first, as the app writes it.
    The kernel runs over chunk_samples at a time (one kernel, so the records are the
    same for any chunk size; only the memory held differs).
    """
    hdr = header_for(run, foot, session_id)
    k = kernel_for(hdr, [reference] if reference else ())
    w = SessionWriter(period_us=1_000_000 // max(1, hdr.rate_hz))
    w.add(R.REC_HEADER, hdr.to_bytes())
    epoch_us = hdr.epoch_s * 1_000_000
    # Sync records pair device time with true (host) time: one at the start, one at
    # the end, so the merge can measure each pod's clock offset and drift.
    w.add(R.REC_SYNC, R.Sync(0, epoch_us + round(foot.clock_offset_s * 1e6), 0).to_bytes())
    if reference:
        w.add(R.REC_NOTE, R.Note(0, reference).to_bytes())
    if not raw:
        w.add(R.REC_NOTE, R.Note(0, RAW_OFF_NOTE).to_bytes())
    ticks = foot.device_ticks()
    n_steps = 0
    for a in range(0, len(foot.t_us), max(1, chunk_samples)):
        part = slice(a, a + max(1, chunk_samples))
        imu = foot.imu[part] if foot.imu is not None else None
        present = foot.imu_present[part] if foot.imu_present is not None else None
        out = run_kernel(k, ticks[part], foot.cells[part], imu, present)
        write_recording(w, foot.t_us[part], foot.cells[part], imu, present, out, raw)
        n_steps += len(out.step_payloads)
    # ground truth travels in the file as RefEvents (source 0: simulator), in the
    # pod's own clock like everything else in the session
    dev_contact = foot.to_device_s(foot.truth.contact_s)
    dev_toe = foot.to_device_s(foot.truth.toe_off_s)
    for c, t in zip(dev_contact, dev_toe, strict=True):
        w.add(
            R.REC_REF, R.RefEvent(round(float(c) * 1e6) & 0xFFFFFFFF, R.REF_CONTACT, 0).to_bytes()
        )
        w.add(
            R.REC_REF, R.RefEvent(round(float(t) * 1e6) & 0xFFFFFFFF, R.REF_TOE_OFF, 0).to_bytes()
        )
    t_end = int(foot.t_us[-1])
    w.add(
        R.REC_SYNC,
        R.Sync(t_end & 0xFFFFFFFF, epoch_us + round(float(foot.t_true_s[-1]) * 1e6), 0).to_bytes(),
    )
    expected = round(run.params.duration_s * run.params.rate_hz)
    end = R.SessionEnd(
        t_us=t_end & 0xFFFFFFFF,
        steps=n_steps,
        samples=len(foot.t_us),
        missed=max(0, expected - len(foot.t_us)),
        gaps=k.gaps,
        flags=k.flags,
    )
    w.add(R.REC_END, end.to_bytes())
    return bytes(w.out)


def write_run(
    run: SimRun,
    path: Path,
    truth_path: Path | None = None,
    raw: bool = True,
    references: list[str | None] | None = None,
) -> None:
    """Both feet into one file (left session, then right), ground truth beside it.

    Each foot's bytes go to the file as soon as they are recorded (never both feet
    joined in memory), through a temporary file renamed at the end, so a failure
    leaves no half-written run.
    """
    refs = references or [None] * len(run.feet)
    part = path.with_name(path.name + ".part")
    try:
        with part.open("wb") as f:
            for i, foot in enumerate(run.feet):
                f.write(record_foot(run, foot, i + 1, raw, refs[i]))
        part.replace(path)
    finally:
        part.unlink(missing_ok=True)
    if truth_path is not None:
        truth_path.write_text(json.dumps(truth_dict(run), indent=1))


def truth_dict(run: SimRun) -> dict[str, object]:
    p = run.params
    return {
        "params": {k: getattr(p, k) for k in p.__dataclass_fields__},
        "feet": [
            {
                "foot": f.foot,
                "contact_s": np.round(f.truth.contact_s, 6).tolist(),
                "toe_off_s": np.round(f.truth.toe_off_s, 6).tolist(),
                "peak_force_n": np.round(f.truth.peak_force_n, 2).tolist(),
            }
            for f in run.feet
        ],
    }
