"""C3D export reopened with ezc3d: analog channels equal the kernel's values, gait events."""

from __future__ import annotations

from pathlib import Path

import ezc3d
import numpy as np
import pytest

from stridekit.export import ExportError
from stridekit.export.c3d import export_c3d, kernel_trace
from stridekit.session import read_sessions


def test_c3d_channels_and_events_reopen_with_ezc3d(run_file: Path, tmp_path: Path) -> None:
    sessions = read_sessions(run_file)
    out = tmp_path / "run.c3d"
    res = export_c3d(sessions, out)
    c = ezc3d.c3d(str(out))
    labels = c["parameters"]["ANALOG"]["LABELS"]["value"]
    a = c["data"]["analogs"][0]
    assert a.shape == (len(labels), res.n)
    assert c["parameters"]["ANALOG"]["RATE"]["value"][0] == sessions[0].header.rate_hz
    ev_labels = c["parameters"]["EVENT"]["LABELS"]["value"]
    ev_ctx = c["parameters"]["EVENT"]["CONTEXTS"]["value"]
    times = c["parameters"]["EVENT"]["TIMES"]["value"]
    ev_t = times[0] * 60 + times[1]
    for s in sessions:
        tr = kernel_trace(s)
        # the kernel re-run on the raw samples is the pod's kernel: same steps
        assert [x.to_bytes() for x in tr.steps] == s.step_payloads
        p = "L" if s.header.foot == 0 else "R"
        total = a[labels.index(f"{p}_total")]
        frames = np.rint(s.sample_t_us / 1e6 * s.header.rate_hz).astype(int)
        # both simulated pods start together (same Sync host time)
        np.testing.assert_allclose(total[frames], tr.total_n, atol=1e-3)
        cells = np.vstack([a[labels.index(f"{p}_cell{i}")] for i in range(s.cells.shape[1])])
        np.testing.assert_allclose(cells.sum(axis=0)[frames], tr.total_n, atol=1e-2)
        cop = a[labels.index(f"{p}_cop_x")][frames]
        np.testing.assert_allclose(cop, tr.cop_x_mm, atol=1e-3)
        assert np.abs(cop).max() > 1.0 and total.max() > 500
        ctx = "Left" if p == "L" else "Right"
        strikes = np.sort(
            ev_t[
                [
                    lb == "Foot Strike" and cx == ctx
                    for lb, cx in zip(ev_labels, ev_ctx, strict=True)
                ]
            ]
        )
        contact, toe = s.step_times_s()
        np.testing.assert_allclose(strikes, contact, atol=1e-5)
        offs = np.sort(
            ev_t[[lb == "Foot Off" and cx == ctx for lb, cx in zip(ev_labels, ev_ctx, strict=True)]]
        )
        np.testing.assert_allclose(offs, toe, atol=1e-5)


def test_c3d_of_steps_only_is_a_clear_error(run_file: Path, tmp_path: Path) -> None:
    s = read_sessions(run_file)[1]
    s.sample_t_us = s.sample_t_us[:0]
    s.cells = s.cells[:0]
    with pytest.raises(ExportError, match="no raw samples to export to C3D"):
        export_c3d([s], tmp_path / "x.c3d")
    left = read_sessions(run_file)[0]
    res = export_c3d([left, s], tmp_path / "one.c3d")
    assert any("right: no raw samples" in n for n in res.notes)
    with pytest.raises(ExportError, match="same foot"):
        export_c3d([left, left], tmp_path / "two.c3d")
