"""Steps as CSV: the public schema, exact reload, the `stride export` and `import` commands."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from stridefw import records as R
from stridekit.cli.real import register
from stridekit.export import exporter, names
from stridekit.export.csv import COLUMNS, REQUIRED, BadStepsCsv, read_steps, write_steps
from stridekit.session import Session, read_sessions
from stridekit.sim.record import write_run
from tests.conftest import sim

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


@pytest.fixture(scope="module")
def run_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("csv") / "run.strd"
    write_run(sim(seed=41, duration_s=20.0), path)
    return path


def test_schema_starts_with_the_public_columns() -> None:
    assert COLUMNS[: len(REQUIRED)] == (
        "foot",
        "index",
        "contact_s",
        "toe_off_s",
        "stance_ms",
        "swing_ms",
        "peak_force_n",
        "impulse_ns",
        "loading_rate_n_s",
        "cop_ml_range_mm",
        "flags",
    )
    assert "csv" in names()


def test_csv_reloads_to_the_exact_step_records(run_file: Path) -> None:
    sessions = read_sessions(run_file)
    buf = io.StringIO()
    n = exporter("csv")(sessions, buf)
    assert n == sum(len(s.steps) for s in sessions) > 40
    assert buf.getvalue().splitlines()[0] == ",".join(COLUMNS)
    back = read_steps(io.StringIO(buf.getvalue()))
    want = [(s.header.session_id, s.foot, p) for s in sessions for p in s.step_payloads]
    got = [(r.session, r.foot, r.step.to_bytes()) for r in back]
    assert got == want


def _session_with(steps: list[R.Step]) -> Session:
    s = Session(
        R.SessionHeader(session_id=7, foot=1),
        np.zeros(0, np.int64),
        np.zeros((0, 8), np.uint16),
        np.zeros((0, 6), np.int16),
        np.zeros(0, bool),
    )
    s.steps = steps
    return s


def test_negative_and_extreme_values_survive_the_round_trip() -> None:
    from stridekit.export.csv import rows

    steps = [
        R.Step(
            0,
            0xFFFFFFFF - 5,
            400_001,
            0,
            65535,
            7,
            123456,
            2**31 + 17,
            -1,
            -32768,
            65535,
            9,
            1,
            2,
            3,
            4,
            5,
            0xFFFF,
            1,
        ),
        R.Step(1, 999_999, 1, 333_333, 0, 0, 0, 0, 32767, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    ]
    sessions = [_session_with(steps)]
    buf = io.StringIO()
    write_steps(sessions, buf)
    back = [r.step for r in read_steps(io.StringIO(buf.getvalue()))]
    assert [s.to_bytes() for s in back] == [s.to_bytes() for s in steps]
    assert rows(sessions[0])[1]["swing_ms"] == "333.333" and rows(sessions[0])[0]["swing_ms"] == ""


def test_bad_csv_names_the_line() -> None:
    text = ",".join(COLUMNS) + "\n" + "left,0,1.5,1.2,300.000,,1.0,1.0,1,1.0,0\n"
    with pytest.raises(BadStepsCsv, match=r"line 2: toe_off_s"):
        read_steps(io.StringIO(text))
    with pytest.raises(BadStepsCsv, match=r"line 2: stance_ms: not a number"):
        read_steps(io.StringIO(text.replace("300.000", "3e2")))
    with pytest.raises(BadStepsCsv, match=r"line 1: missing columns flags"):
        read_steps(
            io.StringIO(
                "foot,index,contact_s,toe_off_s,stance_ms,swing_ms,peak_force_n,impulse_ns,loading_rate_n_s,cop_ml_range_mm\n"
            )
        )


def test_export_command_writes_stdout_or_a_file(run_file: Path, tmp_path: Path) -> None:
    res = runner.invoke(_app(), ["export", str(run_file), "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines()[0].startswith("foot,index,contact_s,toe_off_s")
    out = tmp_path / "steps.csv"
    res = runner.invoke(_app(), ["export", str(run_file), "--out", str(out)])
    assert res.exit_code == 0 and len(read_steps(out)) > 40
    res = runner.invoke(_app(), ["export", str(run_file), "--format", "fit2"])
    assert res.exit_code != 0 and "csv" in res.output


def test_import_command_and_csv_of_real_steps(gaitpdb_dir: Path, tmp_path: Path) -> None:
    src = gaitpdb_dir / "data" / "SiCo01_01.txt"
    res = runner.invoke(_app(), ["import", "--format", "gaitpdb", str(src), "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    path = tmp_path / "SiCo01_01.strd"
    sessions = read_sessions(path)
    buf = io.StringIO()
    write_steps(sessions, buf)
    back = read_steps(io.StringIO(buf.getvalue()))
    assert [r.step.to_bytes() for r in back] == [p for s in sessions for p in s.step_payloads]
    res = runner.invoke(_app(), ["import", "--format", "nope", str(src)])
    assert res.exit_code != 0
    bad = tmp_path / "GaCo99_01.txt"
    bad.write_text("0.0\t1\n")
    res = runner.invoke(_app(), ["import", "--format", "gaitpdb", str(bad), "--out", str(tmp_path)])
    assert res.exit_code == 2 and "line 1: expected 19 columns" in res.output
