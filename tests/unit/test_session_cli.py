"""Session files, replay and the `stride` commands, including damaged files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stridefw import records as R
from stridekit.cli import app
from stridekit.errors import BadSessionFile
from stridekit.replay import replay
from stridekit.session import read_sessions, unwrap_u32
from stridekit.sim.record import write_run
from tests.conftest import sim

runner = CliRunner()


@pytest.fixture(scope="module")
def run_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("s") / "run.strd"
    write_run(sim(seed=31, duration_s=20.0), path, path.with_suffix(".truth.json"))
    return path


def test_file_holds_both_feet_and_replays_bit_identical(run_file: Path) -> None:
    sessions = read_sessions(run_file)
    assert [s.foot for s in sessions] == ["left", "right"]
    for s in sessions:
        assert s.issues == [] and s.end is not None
        assert len(s.steps) == s.end.steps > 20
        res = replay(s)
        assert res.steps_identical and res.flags_identical
        assert len(s.sample_t_us) == s.end.samples


def test_replay_detects_a_changed_step_record(run_file: Path) -> None:
    s = read_sessions(run_file)[0]
    tampered = R.Step.from_bytes(s.step_payloads[3])
    tampered.peak_force_dn += 1
    s.step_payloads[3] = tampered.to_bytes()
    res = replay(s)
    assert not res.steps_identical and res.first_difference and "step 3" in res.first_difference


def test_truncated_file_keeps_every_intact_record(run_file: Path, tmp_path: Path) -> None:
    data = run_file.read_bytes()
    cut = tmp_path / "cut.strd"
    cut.write_bytes(data[: len(data) * 2 // 3 - 7])
    recs_full, _ = R.decode_all(data)
    recs_cut, dec = R.decode_all(cut.read_bytes())
    intact = [r for r in recs_full if r.offset + 1 < len(data) * 2 // 3 - 7]
    assert len(recs_cut) >= len(intact) - 1
    assert dec.errors and "truncated" in dec.errors[-1][1]
    result = runner.invoke(app, ["replay", str(cut), "--steps", "0"])
    assert result.exit_code == 0, result.output
    assert re.search(r"byte \d+: truncated frame", result.output)


def test_corrupted_bytes_are_reported_with_offsets(run_file: Path, tmp_path: Path) -> None:
    data = bytearray(run_file.read_bytes())
    offsets = (len(data) // 20, len(data) // 2, len(data) * 4 // 5)
    for off in offsets:
        data[off] ^= 0xA5
    bad = tmp_path / "bad.strd"
    bad.write_bytes(bytes(data))
    sessions = read_sessions(bad)
    issues = [i for s in sessions for i in s.issues]
    assert len(issues) >= 3
    assert all(i.offset <= off for i, off in zip(issues, offsets, strict=False))
    assert (
        sum(len(s.steps) for s in sessions)
        >= sum(len(s.steps) for s in read_sessions(run_file)) - 3
    )
    result = runner.invoke(app, ["replay", str(bad), "--steps", "0"])
    assert "CRC mismatch" in result.output or "bad COBS" in result.output


def test_garbage_file_gives_a_clear_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.strd"
    junk.write_bytes(bytes(range(256)) * 10)
    with pytest.raises(BadSessionFile, match="no session header"):
        read_sessions(junk)
    result = runner.invoke(app, ["replay", str(junk)])
    assert result.exit_code == 2 and "no session header" in result.output
    missing = runner.invoke(app, ["replay", str(tmp_path / "nope.strd")])
    assert missing.exit_code == 2 and "error" in missing.output


def test_sim_and_replay_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from stridekit.cli import main as cli

    monkeypatch.setattr(cli.console, "width", 200)
    out = tmp_path / "r.strd"
    res = runner.invoke(
        app, ["sim", "--out", str(out), "--minutes", "0.3", "--seed", "4", "--cells", "16"]
    )
    assert res.exit_code == 0, res.output
    truth = json.loads(out.with_suffix(".truth.json").read_text())
    n_truth = sum(len(f["contact_s"]) for f in truth["feet"])
    res = runner.invoke(app, ["replay", str(out), "--steps", "3"])
    assert res.exit_code == 0, res.output
    assert "left foot: steps" in res.output and "right foot: steps" in res.output
    rows = [ln for ln in res.output.splitlines() if re.match(r"(left|right) +\d", ln)]
    assert len(rows) == 2 and all("yes" in r for r in rows)
    counts = [int(r.split()[1]) for r in rows]
    assert sum(counts) == n_truth


def test_unwrap_u32() -> None:
    import numpy as np

    t = np.array([0, 2**32 - 10, 5, 100, 2**32 - 1, 3], dtype=np.int64)
    t[2:] = [5, 100, 2**32 - 1, 3]
    out = unwrap_u32(np.array([4_294_000_000, 4_294_967_000, 500, 1_000_000], dtype=np.int64))
    assert list(np.diff(out)) == [967_000, 796, 999_500]
