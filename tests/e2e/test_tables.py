"""The `stride` tables fit an 80-column terminal and never cut a value ("…").

Run as a user runs them (tests/e2e/clirun.py: a subprocess with COLUMNS=80) on a
library whose runner and shoe names are long, so wrapping is exercised.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from stridekit.sim.record import write_run
from tests.conftest import sim
from tests.e2e.clirun import run_stride

LONG_RUNNER = "anastasia-papadopoulou-long-name"
LONG_SHOE = "maximal cushioning trail shoe v2"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("tables")
    write_run(sim(seed=7, duration_s=20.0), d / "run.strd", d / "run.truth.json")
    assert run_stride(["import", "run.strd"], d).returncode == 0
    r = run_stride(["tag", "1", "2", "--runner", LONG_RUNNER, "--shoe", LONG_SHOE], d)
    assert r.returncode == 0, r.stdout + r.stderr
    return d


def assert_fits(text: str, width: int = 80) -> None:
    assert "…" not in text, text
    wide = [ln for ln in text.splitlines() if len(ln) > width]
    assert not wide, "\n".join(wide)


@pytest.mark.parametrize(
    "args",
    [
        ["sessions"],
        ["sessions", "--runner", LONG_RUNNER, "--issues"],
        ["replay", "run.strd", "--steps", "5"],
        ["replay", "--all", "--workers", "1"],
        ["import", "run.strd"],
        [
            "plan",
            "--out",
            "plan",
            "--weeks-steady",
            "1",
            "--weeks-after",
            "1",
            "--sim-minutes",
            "0.1",
        ],
        ["corpus", "--out", "corpus", "--n", "4", "--minutes", "0.1", "--workers", "1"],
    ],
    ids=["sessions", "sessions-filtered", "replay", "replay-all", "import", "plan", "corpus"],
)
def test_table_fits_80_columns_uncut(workdir: Path, args: list[str]) -> None:
    r = run_stride(args, workdir)
    assert r.returncode in (0, 1), r.stdout + r.stderr  # 1: a replay difference, still a table
    assert "Traceback" not in r.stderr
    assert_fits(r.stdout)


def test_sessions_wide_shows_every_value_uncut(workdir: Path) -> None:
    """--wide adds the pod's id and session number; lines may pass 80 columns, cut nothing."""
    r = run_stride(["sessions", "--wide"], workdir)
    assert r.returncode == 0
    assert "…" not in r.stdout and "5d1d" in r.stdout
    for part in ("anasta", "cushio", "trail"):  # the names wrap in their columns, not cut
        assert part in r.stdout


def test_raw_capture_off_is_a_note_not_an_issue(tmp_path: Path) -> None:
    """A pod that kept no raw samples on purpose says so in a Note: its session lists no
    issue (the demo's earlier runs showed "issues 1"), and --issues shows it as a note."""
    write_run(sim(seed=8, duration_s=15.0), tmp_path / "steps.strd", raw=False)
    assert run_stride(["import", "steps.strd"], tmp_path).returncode == 0
    r = run_stride(["sessions"], tmp_path)
    rows = [ln.split() for ln in r.stdout.splitlines() if " 2026-" in ln]
    assert len(rows) == 2 and all(row[-1] == "-" for row in rows), r.stdout
    r = run_stride(["sessions", "--issues"], tmp_path)
    assert "#1 note: raw capture off" in r.stdout and "issue:" not in r.stdout
