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
from stridekit.replay import kernel_for, run_kernel
from stridekit.session import SessionWriter
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
        epoch_s=1_780_000_000 + run.params.seed,
        bw_dn=fw_config.BW_DEFAULT_DN,
        calib=fw_calib.nominal(n).to_bytes(),
    )


def record_foot(run: SimRun, foot: SimFoot, session_id: int) -> bytes:
    """One pod's session file contents for one simulated foot."""
    hdr = header_for(run, foot, session_id)
    k = kernel_for(hdr)
    out = run_kernel(k, foot.t_us, foot.cells, foot.imu)
    w = SessionWriter()
    w.add(R.REC_HEADER, hdr.to_bytes())
    w.add(R.REC_SYNC, R.Sync(t_us=0, host_unix_us=hdr.epoch_s * 1_000_000, source=0).to_bytes())
    steps = dict(zip(out.step_at, out.step_payloads, strict=True))
    flags: dict[int, list[bytes]] = {}
    for i, p in zip(out.flag_at, out.flag_payloads, strict=True):
        flags.setdefault(i, []).append(p)
    buf = bytearray(R.sample_len(hdr.n_cells, True))
    cells = foot.cells.tolist()
    imu = foot.imu.tolist() if foot.imu is not None else None
    t_list = (foot.t_us & 0xFFFFFFFF).tolist()
    for i, t in enumerate(t_list):
        n = R.pack_sample_into(buf, t, cells[i], imu[i] if imu is not None else None)
        w.add(R.REC_SAMPLE, buf[:n])
        if i in steps:
            w.add(R.REC_STEP, steps[i])
        for p in flags.get(i, ()):
            w.add(R.REC_FLAG, p)
    # ground truth travels in the file as RefEvents (source 0: simulator)
    for c, t in zip(foot.truth.contact_s, foot.truth.toe_off_s, strict=True):
        w.add(R.REC_REF, R.RefEvent(round(c * 1e6) & 0xFFFFFFFF, R.REF_CONTACT, 0).to_bytes())
        w.add(R.REC_REF, R.RefEvent(round(t * 1e6) & 0xFFFFFFFF, R.REF_TOE_OFF, 0).to_bytes())
    end = R.SessionEnd(
        t_us=int(foot.t_us[-1]) & 0xFFFFFFFF,
        steps=len(out.step_payloads),
        samples=len(t_list),
        missed=0,
        gaps=out.gaps,
        flags=k.flags,
    )
    w.add(R.REC_END, end.to_bytes())
    return bytes(w.out)


def write_run(run: SimRun, path: Path, truth_path: Path | None = None) -> None:
    """Both feet into one file (left session, then right), ground truth beside it."""
    data = b"".join(record_foot(run, f, session_id=i + 1) for i, f in enumerate(run.feet))
    path.write_bytes(data)
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
