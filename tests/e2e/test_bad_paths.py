"""Every path argument of `stride` is checked before work starts: a bad one gets a
one-line `error:` and exit code 2, no traceback, and nothing is left behind (no
temp file, no folder made on the way).

The commands run as a user runs them: the installed `stride` in a subprocess, from
a scratch folder holding one small session file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from stridekit.sim.record import write_run
from tests.conftest import sim
from tests.e2e.clirun import run_stride


@pytest.fixture(scope="module")
def run_bytes(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    path = tmp_path_factory.mktemp("run") / "run.strd"
    write_run(sim(seed=5, duration_s=15.0), path, path.with_suffix(".truth.json"))
    return path.read_bytes(), path.with_suffix(".truth.json").read_bytes()


@pytest.fixture
def workdir(tmp_path: Path, run_bytes: tuple[bytes, bytes]) -> Path:
    (tmp_path / "run.strd").write_bytes(run_bytes[0])
    (tmp_path / "run.truth.json").write_bytes(run_bytes[1])
    (tmp_path / "adir").mkdir()
    (tmp_path / "afile").write_text("not a folder\n")
    return tmp_path


def tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


SMALL_CORPUS = ["--n", "1", "--minutes", "0.1"]
SMALL_PLAN = [
    "--weeks-steady",
    "1",
    "--weeks-after",
    "0",
    "--sessions",
    "3",
    "--sim-minutes",
    "0.1",
]

# (id, arguments, environment, words the message must contain)
CASES: list[tuple[str, list[str], dict[str, str], tuple[str, ...]]] = [
    ("sim-out-folder", ["sim", "--out", "adir", "--minutes", "0.1"], {}, ("--out", "folder")),
    (
        "sim-out-missing-folder",
        ["sim", "--out", "missing/x.strd", "--minutes", "0.1"],
        {},
        ("missing", "does not exist"),
    ),
    (
        "export-csv-missing-folder",
        ["export", "run.strd", "--format", "csv", "--out", "missing/x"],
        {},
        ("missing",),
    ),
    (
        "export-samples-missing-folder",
        ["export", "run.strd", "--format", "samples", "--out", "missing/x"],
        {},
        ("missing",),
    ),
    (
        "export-csv-out-folder",
        ["export", "run.strd", "--format", "csv", "--out", "adir"],
        {},
        ("adir",),
    ),
    (
        "export-fit-missing-folder",
        ["export", "run.strd", "--format", "fit", "--out", "missing/x.fit"],
        {},
        ("missing",),
    ),
    (
        "export-c3d-missing-folder",
        ["export", "run.strd", "--format", "c3d", "--out", "missing/x.c3d"],
        {},
        ("missing",),
    ),
    ("export-missing-input", ["export", "nope.strd"], {}, ("nope.strd",)),
    ("report-out-folder", ["report", "run.strd", "--out", "adir"], {}, ("--out", "folder")),
    (
        "report-out-missing-folder",
        ["report", "run.strd", "--out", "missing/r.html"],
        {},
        ("missing", "--mkdir"),
    ),
    (
        "report-json-missing-folder",
        ["report", "run.strd", "--out", "r.html", "--json", "missing/r.json"],
        {},
        ("--json", "missing"),
    ),
    ("report-missing-input", ["report", "nope.strd", "--out", "r.html"], {}, ("no usable",)),
    ("replay-missing-input", ["replay", "nope.strd"], {}, ("nope.strd",)),
    ("replay-folder-input", ["replay", "adir"], {}, ("adir",)),
    ("corpus-out-file", ["corpus", "--out", "afile", *SMALL_CORPUS], {}, ("afile", "not a folder")),
    (
        "corpus-out-missing-parent",
        ["corpus", "--out", "missing/c", *SMALL_CORPUS],
        {},
        ("missing",),
    ),
    ("plan-out-file", ["plan", "--out", "afile", *SMALL_PLAN], {}, ("afile", "not a folder")),
    ("plan-out-missing-parent", ["plan", "--out", "missing/p", *SMALL_PLAN], {}, ("missing",)),
    ("demo-out-file", ["demo", "--out", "afile", "--minutes", "0.1"], {}, ("afile",)),
    (
        "demo-out-missing-parent",
        ["demo", "--out", "missing/d", "--minutes", "0.1"],
        {},
        ("missing",),
    ),
    ("eval-missing-corpus", ["eval", "nope"], {}, ("corpus.json",)),
    (
        "eval-json-missing-folder",
        ["eval", "adir", "--json", "missing/e.json"],
        {},
        ("--json", "missing"),
    ),
    (
        "sessions-library-missing-folder",
        ["sessions", "--library", "missing/x/lib.sqlite"],
        {},
        ("--library", "missing"),
    ),
    (
        "library-env-missing-folder",
        ["sessions"],
        {"STRIDEKIT_LIBRARY": "missing/lib.sqlite"},
        ("STRIDEKIT_LIBRARY",),
    ),
    (
        "import-library-missing-folder",
        ["import", "run.strd", "--library", "missing/l.sqlite"],
        {},
        ("missing",),
    ),
    ("import-missing-input", ["import", "nope.strd"], {}, ("nope.strd",)),
    (
        "export-c3d-out-folder",
        ["export", "run.strd", "--format", "c3d", "--out", "adir"],
        {},
        ("adir", "folder"),
    ),
    (
        # a dataset import's --out folder may be made, not the folders above it
        "import-format-out-missing-parent",
        ["import", "--format", "gaitmap", "adir", "--out", "missing/sub/x"],
        {},
        ("missing/sub", "does not exist"),
    ),
    (
        "replay-all-library-missing-folder",
        ["replay", "--all", "--library", "missing/l/x"],
        {},
        ("missing",),
    ),
]


@pytest.mark.parametrize(
    ("args", "env", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_bad_path_is_one_line_and_exit_2(
    workdir: Path, args: list[str], env: dict[str, str], words: tuple[str, ...]
) -> None:
    before = tree(workdir)
    r = run_stride(args, workdir, env)
    out = r.stdout + r.stderr
    assert r.returncode == 2, out
    assert "Traceback" not in out and "╭" not in out, out  # no (rich) traceback
    errors = [
        ln for ln in r.stderr.splitlines() if "error" in ln.lower() or "refused" in ln.lower()
    ]
    assert len(errors) >= 1 and all(w in r.stderr for w in words), r.stderr
    assert tree(workdir) == before, "left something behind"


def test_report_mkdir_creates_the_folders_it_is_told_to(workdir: Path) -> None:
    r = run_stride(["report", "run.strd", "--out", "new/r.html", "--mkdir"], workdir)
    assert r.returncode == 0, r.stdout + r.stderr
    assert (workdir / "new" / "r.html").is_file()


@pytest.mark.slow
def test_an_unreachable_dask_scheduler_is_one_line(workdir: Path) -> None:
    """Nothing listens on port 1: a clear error after the connect timeout, no traceback."""
    assert run_stride(["import", "run.strd"], workdir).returncode == 0
    r = run_stride(["replay", "--all", "--dask", "tcp://127.0.0.1:1"], workdir)
    out = r.stdout + r.stderr
    assert r.returncode == 2 and "Traceback" not in out, out
    assert "no Dask scheduler answered at tcp://127.0.0.1:1" in r.stderr


def test_stridekit_traceback_shows_the_traceback(workdir: Path) -> None:
    r = run_stride(["sim", "--out", "adir"], workdir, {"STRIDEKIT_TRACEBACK": "1"})
    assert r.returncode != 0 and "BadPath" in r.stderr
