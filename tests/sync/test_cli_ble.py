"""`stride scan`, `stride sync`, `stride record` with --virtual: two virtual pods (the
firmware's BLE layer on Bumble) and the host's bleak-on-Bumble backend in one process."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from stridekit.cli import app
from stridekit.library import Library

runner = CliRunner()


def test_scan_lists_both_feet_with_battery() -> None:
    r = runner.invoke(app, ["scan", "--virtual", "--seconds", "1"], terminal_width=200)
    assert r.exit_code == 0, r.output
    rows = [ln for ln in r.output.splitlines() if "Stride-" in ln]
    assert len(rows) == 2
    assert "Stride-L-" in rows[0] and " left " in rows[0]
    assert "Stride-R-" in rows[1] and " right " in rows[1]
    for row in rows:
        pct = re.search(r"(\d+) %", row)
        assert pct is not None and 0 <= int(pct.group(1)) <= 100
        assert "dBm" in row


def test_sync_stores_both_pods_sessions_in_the_library(tmp_path: Path) -> None:
    lib_path = tmp_path / "lib" / "library.sqlite"
    lib_path.parent.mkdir()  # an explicit --library folder must exist (none is made silently)
    args = ["sync", "--virtual", "--library", str(lib_path), "--scan-seconds", "2"]
    r = runner.invoke(app, args, terminal_width=200)
    assert r.exit_code == 0, r.output
    assert "(left): sessions 1;" in r.output and "(right): sessions 1;" in r.output
    with Library(lib_path) as lib:
        rows = lib.sessions()
        assert sorted(s.foot for s in rows) == ["left", "right"]
        assert all(s.state == "complete" and s.n_steps > 10 for s in rows)
        for s in rows:
            raw = tmp_path / "lib" / "ble-sync"
            files = list(raw.glob(f"*/session-{s.device_session_id:05d}.strd"))
            assert lib.session_path(s.id).read_bytes() in [f.read_bytes() for f in files]


def test_record_shows_both_feet_labelled(tmp_path: Path) -> None:
    args = ["record", "--virtual", "--seconds", "3", "--scan-seconds", "2"]
    r = runner.invoke(app, args, terminal_width=200)
    assert r.exit_code == 0, r.output
    out = r.output
    assert "steps/min, both feet" in out and "steps/min of both feet, per pod" in out
    m = re.search(r"steps/min, both feet \(mean of the two pods\)\s*│\s*(\d+)", out)
    assert m is not None, out
    spm = int(m.group(1))
    per_pod = re.search(
        r"steps/min of both feet, per pod \(RSC cadence\)\s*│\s*(\d+)\s*│\s*(\d+)", out
    )
    assert per_pod is not None, out
    left, right = int(per_pod.group(1)), int(per_pod.group(2))
    # each pod sends steps of both feet (the watches' convention): the two agree
    assert abs(left - right) <= 6 and abs(spm - (left + right) / 2) <= 0.5
    assert 140 <= spm <= 200  # the virtual runner's 168 steps/min
    assert "recorded a session on 2 pod(s)" in out
    assert "left/right balance over" in out


def test_bench_needs_virtual() -> None:
    r = runner.invoke(app, ["sync", "--bench"])
    assert r.exit_code != 0
    assert "--virtual" in r.output
