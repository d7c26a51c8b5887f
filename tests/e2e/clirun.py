"""Run the installed `stride` as a user does: a subprocess, an 80-column terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def stride_command() -> list[str]:
    """The `stride` console script beside this Python, else the same entry point by -c."""
    exe = Path(sys.executable).parent / "stride"
    if exe.exists():
        return [str(exe)]
    return [sys.executable, "-c", "from stridekit.cli import app; app(prog_name='stride')"]


def run_stride(
    args: list[str], cwd: Path, env: dict[str, str] | None = None, timeout_s: float = 300
) -> subprocess.CompletedProcess[str]:
    """`stride ARGS` in cwd with COLUMNS=80 and $STRIDEKIT_LIBRARY in cwd (unless env says)."""
    full_env = {k: v for k, v in os.environ.items() if k != "STRIDEKIT_TRACEBACK"}
    full_env.update({"COLUMNS": "80", **(env or {})})
    full_env.setdefault("STRIDEKIT_LIBRARY", str(cwd / "lib.sqlite"))
    return subprocess.run(
        [*stride_command(), *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout_s,
    )
