"""Run firmware code inside the official MicroPython interpreter (WebAssembly, under node).

The interpreter is the npm package pinned in package.json
(@micropython/micropython-webassembly-pyscript 1.29.0-6): a 32-bit port like the
ESP32, with 31-bit small ints and heap-allocated floats, so allocation and
overflow behaviour match the device where it matters.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from stridekit.errors import StrideError

NPM_PACKAGE = "@micropython/micropython-webassembly-pyscript"
_HERE = Path(__file__).resolve().parent
RUNNER = _HERE / "mprun.mjs"


class MicroPythonUnavailable(StrideError, RuntimeError):
    """node or the MicroPython npm package is missing (run `make setup`)."""


class MicroPythonError(StrideError, RuntimeError):
    """The script raised inside MicroPython; the message holds its traceback."""


def firmware_dir() -> Path:
    """The stridefw package's parent directory (firmware/ in the repo)."""
    import stridefw

    return Path(stridefw.__file__).resolve().parent.parent


def unix32_path() -> Path:
    """../shared/tools/micropython-unix32 beside the checkout (CI has it): the 32-bit
    MicroPython the viper twins, the allocation path and the heap budget run in."""
    return firmware_dir().parent.parent / "shared" / "tools" / "micropython-unix32"


def find_interpreter() -> tuple[str, Path]:
    """(node executable, micropython.mjs path); raises MicroPythonUnavailable."""
    node = shutil.which("node")
    if node is None:
        raise MicroPythonUnavailable("node is not installed (make setup installs it from Debian)")
    candidates: list[Path] = []
    if env := os.environ.get("STRIDE_NODE_MODULES"):
        candidates.append(Path(env))
    for base in (Path.cwd(), _HERE):
        candidates += [p / "node_modules" for p in (base, *base.parents)]
    for nm in candidates:
        mjs = nm / NPM_PACKAGE / "micropython.mjs"
        if mjs.is_file():
            return node, mjs
    raise MicroPythonUnavailable(f"npm package {NPM_PACKAGE} not found (run `npm ci` in the repo)")


@dataclass
class MpyResult:
    stdout: str
    outputs: dict[str, bytes]


def run(
    script: str,
    inputs: dict[str, bytes] | None = None,
    outputs: Sequence[str] = (),
    extra_dirs: Sequence[Path] = (),
    heap_bytes: int = 8 * 1024 * 1024,
    timeout_s: float = 600,
) -> MpyResult:
    """Run `script` in MicroPython with the firmware on sys.path.

    Args:
        script: Python source for MicroPython.
        inputs: files to place in the interpreter's file system, by absolute path.
        outputs: interpreter paths to read back after the script ends.
        extra_dirs: more directories of .py files to put on sys.path.
        heap_bytes: MicroPython heap size.
        timeout_s: wall-clock limit for node.
    """
    node, mjs = find_interpreter()
    with tempfile.TemporaryDirectory(prefix="stride-mpy-") as tmp:
        tdir = Path(tmp)
        (tdir / "script.py").write_text(script)
        args = [node, str(RUNNER), "--heap", str(heap_bytes), "--copy", f"{firmware_dir()}:/fw"]
        for i, d in enumerate(extra_dirs):
            args += ["--copy", f"{d}:/extra{i}"]
        for j, (mp_path, data) in enumerate((inputs or {}).items()):
            host = tdir / f"in{j}"
            host.write_bytes(data)
            args += ["--in", f"{host}:{mp_path}"]
        outs = {mp_path: tdir / f"out{k}" for k, mp_path in enumerate(outputs)}
        for mp_path, host in outs.items():
            args += ["--out", f"{mp_path}:{host}"]
        args.append(str(tdir / "script.py"))
        env = dict(os.environ, MICROPYTHON_MJS=mjs.as_uri())
        proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout_s, env=env)
        if proc.returncode != 0:
            raise MicroPythonError(proc.stderr.strip() or f"node exited with {proc.returncode}")
        return MpyResult(proc.stdout, {m: h.read_bytes() for m, h in outs.items()})
