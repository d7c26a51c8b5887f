"""`stride export --format samples|fit|c3d` and the samples CSV round trip."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from stridekit.cli import app
from stridekit.export import names
from stridekit.export.samples import BadSamplesCsv, read_samples, write_samples
from stridekit.library import Library
from stridekit.session import read_sessions

runner = CliRunner()


def test_samples_csv_reloads_to_the_same_numbers(run_file: Path) -> None:
    sessions = read_sessions(run_file)
    buf = io.StringIO()
    n = write_samples(sessions, buf)
    assert n == sum(len(s.sample_t_us) for s in sessions)
    back = read_samples(io.StringIO(buf.getvalue()))
    assert [(b.foot, b.session) for b in back] == [(s.foot, s.header.session_id) for s in sessions]
    for b, s in zip(back, sessions, strict=True):
        np.testing.assert_array_equal(b.t_us, s.sample_t_us)
        np.testing.assert_array_equal(b.cells, s.cells)
        np.testing.assert_array_equal(b.imu, s.imu)
        np.testing.assert_array_equal(b.imu_present, s.imu_present)
    with pytest.raises(BadSamplesCsv, match="line 3: 5 fields"):
        read_samples(
            io.StringIO(
                buf.getvalue().split("\n", 1)[0] + "\nleft,1,0,1" + ",0" * 14 + "\n1,2,3,4,5\n"
            )
        )


def test_export_command_writes_each_format(run_file: Path, tmp_path: Path) -> None:
    assert {"csv", "samples", "fit", "c3d"} <= set(names())
    for fmt in ("fit", "c3d"):
        out = tmp_path / f"run.{fmt}"
        res = runner.invoke(app, ["export", str(run_file), "--format", fmt, "--out", str(out)])
        assert res.exit_code == 0, res.output
        assert out.stat().st_size > 500 and f"to {out}" in res.output
    res = runner.invoke(app, ["export", str(run_file), "--format", "fit"])
    assert res.exit_code != 0 and "--out" in res.output
    res = runner.invoke(app, ["export", str(run_file), "--format", "samples"])
    assert res.exit_code == 0 and res.stdout.startswith("foot,session,t_us,imu,cell0")


def test_export_library_sessions_by_id(run_file: Path, tmp_path: Path) -> None:
    with Library(tmp_path / "lib") as lib:
        ids = lib.import_file(run_file).session_ids
    out = tmp_path / "lib.fit"
    res = runner.invoke(
        app,
        [
            "export",
            ",".join(map(str, ids)),
            "--format",
            "fit",
            "--out",
            str(out),
            "--speed",
            "3",
            "--library",
            str(tmp_path / "lib"),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "records" in res.output
    res = runner.invoke(app, ["export", "99", "--library", str(tmp_path / "lib")])
    assert res.exit_code == 2 and "no session #99" in res.output
