"""Every command in README.md runs as written, in order, from an empty folder.

The README's ```sh blocks are parsed; each command runs in bash (globs as a user's
shell expands them) with the venv's `stride` on PATH, in a scratch folder beside a
link to ../shared, with $STRIDEKIT_LIBRARY pointing into the scratch folder. Only
sizes are changed (SIZES, ADD_SIZES), so CI runs them small; a command may be left
out only with a reason (NOT_RUN). A README line that is not a command fails here.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import IN_CI, REPO

README = REPO / "README.md"

# option -> the value CI runs with (the README shows the real size)
SIZES = {"--minutes": "0.3", "--n": "6", "--seconds": "3", "--scan-seconds": "1"}
# commands whose size is a default, not written: the size option CI adds
ADD_SIZES = {
    "stride plan": ["--sim-minutes", "0.2"],
    "stride bench": ["--seconds", "5"],  # shorter: the MicroPython run fails (IndexError)
    "stride pod": ["--seconds", "3"],
    "stride record": ["--seconds", "3"],
    "stride sim --out lld.strd": ["--minutes", "0.3"],
}
# per --findings corpus: enough runners per group for the evaluation to run
FINDINGS_N = "12"

NOT_RUN = {
    "make demo": "installs apt packages as root, then runs `stride demo` "
    "(tests/e2e/test_demo.py runs the demo, shortened)",
    "make test": "the whole test suite, which this test is part of",
    "stride console /dev/ttyACM0": "needs a pod on a serial port "
    "(tests/firmware/test_console.py drives the console on a pty)",
    "stride console /dev/ttyACM0 --health": "needs a pod on a serial port "
    "(tests/firmware/test_health.py runs it on a virtual pod's pty)",
    "stride sync --port /dev/ttyACM0": "needs a pod on a serial port "
    "(tests/sync/test_serial_sync.py runs it on a virtual pod's pty)",
    "stride serve": "serves until Ctrl-C (tests/web/test_serve.py starts it and talks to it)",
    "dask scheduler": "starts a Dask scheduler that runs until stopped (the replay's Dask "
    "path runs on a LocalCluster in tests/library/test_batch.py and as --dask local here)",
    "dask worker tcp://HOST:8786": "needs a scheduler at HOST",
    "stride replay --all --dask tcp://HOST:8786": "HOST is a placeholder for a cluster's "
    "scheduler (an unreachable one: tests/e2e/test_bad_paths.py)",
}


def readme_commands(text: str) -> list[str]:
    """The commands of every ```sh block, in order, without their comments."""
    out: list[str] = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, flags=re.S | re.M):
        for line in block.splitlines():
            cmd = re.split(r"\s+#", line, maxsplit=1)[0].strip()
            if cmd and not cmd.startswith("#"):
                out.append(cmd)
    return out


def sized(cmd: str) -> str:
    """The command with CI sizes; nothing else changes."""
    words = shlex.split(cmd)
    for i, w in enumerate(words[:-1]):
        if w in SIZES:
            words[i + 1] = FINDINGS_N if w == "--n" and "--findings" in words else SIZES[w]
    for prefix, extra in ADD_SIZES.items():
        if cmd.startswith(prefix) and extra[0] not in words:
            words += extra
    # the shell expands globs as it would for the user: keep them unquoted
    return " ".join(w if any(c in w for c in "*?") else shlex.quote(w) for w in words)


def test_the_readme_parses_into_known_commands() -> None:
    """Each README command is a `stride` subcommand or a listed non-stride line; every
    subcommand the stride command has appears in the README at least once."""
    from typer.main import get_command

    from stridekit.cli import app

    group = get_command(app)
    names = set(group.commands)  # type: ignore[attr-defined]
    cmds = readme_commands(README.read_text())
    used = set()
    for c in cmds:
        words = c.split()
        if words[0] == "stride":
            assert words[1] in names, c
            used.add(words[1])
        else:
            assert c in NOT_RUN, f"not a stride command and no reason given: {c}"
    assert sorted(c for c in NOT_RUN if c not in cmds) == []  # no stale exclusions
    missing = names - used
    assert "plan" in used and "import" in used
    print("subcommands not in the README:", sorted(missing))


@pytest.mark.slow
@pytest.mark.timeout(2400)
def test_every_readme_command_runs_as_written(tmp_path: Path) -> None:
    shared = REPO.parent / "shared"
    have_data = (shared / "data").is_dir()
    if not have_data and IN_CI:
        pytest.fail("../shared/data is missing in CI (the README's real-data commands need it)")
    work = tmp_path / "work"
    work.mkdir()
    if shared.is_dir():
        (tmp_path / "shared").symlink_to(shared)
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "STRIDEKIT_LIBRARY": str(work / "library.sqlite"),
        "COLUMNS": "80",
    }
    env.pop("STRIDEKIT_TRACEBACK", None)
    failures: list[str] = []
    for cmd in readme_commands(README.read_text()):
        if cmd in NOT_RUN:
            print(f"not run: {cmd}: {NOT_RUN[cmd]}")
            continue
        if "../shared/data" in cmd and not have_data:
            print(f"skipped (no ../shared/data): {cmd}")
            continue
        run = sized(cmd)
        t0 = time.perf_counter()
        r = subprocess.run(
            ["bash", "-c", run], cwd=work, env=env, capture_output=True, text=True, timeout=1200
        )
        took = time.perf_counter() - t0
        print(f"{took:6.1f} s  rc={r.returncode}  {run}")
        out = r.stdout + r.stderr
        if r.returncode != 0 or "Traceback" in out:
            failures.append(f"{run}\n  exit {r.returncode}\n{out[-3000:]}")
    assert not failures, "\n\n".join(failures)
