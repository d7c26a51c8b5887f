"""The firmware kernel inside ../shared/tools/micropython-unix32 (32-bit x86, viper works).

The WebAssembly build cannot run viper code, so the kernel's viper push() and its
helpers (stridefw.kernel_vp) are run and timed here; the same build also runs the
plain-Python twins (kernel_vp left out of its copy of the firmware), so the two are
compared in one interpreter. The replay script is stridekit.mpy.kernel_run's, with its
file paths pointed into a temporary folder.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from stridefw import records as R
from stridekit import mpy
from stridekit.errors import StrideError
from stridekit.mpy import kernel_run
from stridekit.replay import KernelOutput

EMITTERS = ("viper", "python")
# "deploy": the firmware as `stride deploy` builds it (stridekit.budget's plan:
# .mpy files, the per-sample modules -X emit=native, kernel_vp viper), for x86
DEPLOY = "deploy"
_FILES = ("/samples.bin", "/header.bin", "/steps.bin", "/flags.bin")


class Unix32Unavailable(StrideError, RuntimeError):
    """../shared/tools/micropython-unix32 is not on this machine."""


def exe_path() -> Path:
    """../shared/tools/micropython-unix32 beside the checkout (CI has it)."""
    return mpy.unix32_path()


def run(
    script: str,
    inputs: dict[str, bytes],
    emitter: str,
    outputs: tuple[str, ...] = (),
    heap: str = "4M",
    modules: tuple[Path, ...] = (),
    wrapper: tuple[str, ...] = (),
) -> tuple[str, dict[str, bytes]]:
    """Run `script` with the firmware on sys.path; (stdout, the output files' bytes).

    emitter "python" leaves stridefw/kernel_vp.py out of the firmware copy, so the
    kernel takes its plain-Python twins exactly as on a port without viper. `modules`:
    more .py files to put beside the firmware package. `wrapper`: a command the
    interpreter runs under (valgrind); its stderr is appended to the output.
    """
    exe = exe_path()
    if not exe.is_file():
        raise Unix32Unavailable(f"{exe} is missing (the shared test tools are not here)")
    if emitter not in (*EMITTERS, DEPLOY):
        raise ValueError(f"emitter must be one of {(*EMITTERS, DEPLOY)}")
    with tempfile.TemporaryDirectory(prefix="stride-unix32-") as tmp:
        tdir = Path(tmp)
        skip = shutil.ignore_patterns(
            "__pycache__", *(["kernel_vp.py"] if emitter == "python" else [])
        )
        if emitter == DEPLOY:
            from stridekit.budget.heap import stage_x86

            stage_x86(tdir / "fw")
        else:
            shutil.copytree(mpy.firmware_dir() / "stridefw", tdir / "fw" / "stridefw", ignore=skip)
        for m in modules:
            shutil.copy(m, tdir / "fw" / m.name)
        for name in _FILES:
            script = script.replace(f'"{name}"', repr(str(tdir / name.lstrip("/"))))
        for name, data in inputs.items():
            (tdir / name.lstrip("/")).write_bytes(data)
        (tdir / "script.py").write_text(script)
        env = dict(os.environ, MICROPYPATH=str(tdir / "fw"))
        proc = subprocess.run(
            [*wrapper, str(exe), "-X", f"heapsize={heap}", str(tdir / "script.py")],
            capture_output=True,
            text=True,
            env=env,
            cwd=tdir,
            timeout=900,
        )
        if proc.returncode != 0:
            raise mpy.MicroPythonError(proc.stderr.strip() or proc.stdout[-2000:])
        outs = {o: (tdir / o.lstrip("/")).read_bytes() for o in outputs}
        return proc.stdout + (proc.stderr if wrapper else ""), outs


def _with_pass(script: str) -> str:
    return script + '\nprint("pass", kernel.CELL_PASS)\n'


def _cell_pass(stdout: str) -> str:
    return next(ln.split()[1] for ln in stdout.splitlines() if ln.startswith("pass"))


def replay(
    header: R.SessionHeader,
    t_us: np.ndarray,
    cells: np.ndarray,
    imu: np.ndarray | None,
    imu_present: np.ndarray | None,
    emitter: str,
    heap: str = "4M",
) -> tuple[KernelOutput, str]:
    """The kernel's records in unix32, and which per-cell pass it ran ("viper"/"python").

    The samples are read whole: `heap` must hold them (~25 B a sample at 8 cells)."""
    packed = kernel_run.pack_samples(header, t_us, cells, imu, imu_present)
    script = _with_pass(kernel_run._SCRIPT % {"mode": "replay", "warmup": 0, "count": 0})
    stdout, outs = run(
        script,
        {"/samples.bin": packed, "/header.bin": header.to_bytes()},
        emitter,
        outputs=("/steps.bin", "/flags.bin"),
        heap=heap,
    )
    out = KernelOutput()
    for blob, size, payloads, at in (
        (outs["/steps.bin"], 4 + 50, out.step_payloads, out.step_at),
        (outs["/flags.bin"], 4 + 11, out.flag_payloads, out.flag_at),
    ):
        for o in range(0, len(blob), size):
            at.append(struct.unpack_from("<I", blob, o)[0])
            payloads.append(blob[o + 4 : o + size])
    return out, _cell_pass(stdout)


def time_us(
    header: R.SessionHeader,
    t_us: np.ndarray,
    cells: np.ndarray,
    imu: np.ndarray | None,
    emitter: str,
) -> tuple[float, str]:
    """Microseconds per push() in unix32 (input copying subtracted), and the pass used."""
    packed = kernel_run.pack_samples(header, t_us, cells, imu)
    script = _with_pass(kernel_run._SCRIPT % {"mode": "time", "warmup": 0, "count": 0})
    stdout, _ = run(script, {"/samples.bin": packed, "/header.bin": header.to_bytes()}, emitter)
    line = next(ln for ln in stdout.splitlines() if ln.startswith("time"))
    t_total, t_feed, n = (int(x) for x in line.split()[1:])
    return (t_total - t_feed) / n, _cell_pass(stdout)


def heap_locked_steps(
    header: R.SessionHeader,
    t_us: np.ndarray,
    cells: np.ndarray,
    imu: np.ndarray | None,
    warmup: int,
    count: int,
    emitter: str,
) -> tuple[int, str]:
    """`count` push() calls after `warmup` samples under micropython.heap_lock(), where
    any allocation raises MemoryError (the script then fails: MicroPythonError).
    Returns (steps emitted meanwhile, the pass used)."""
    packed = kernel_run.pack_samples(header, t_us, cells, imu)
    script = kernel_run._SCRIPT % {"mode": "alloc", "warmup": warmup, "count": count}
    for old, new in (
        # locked after m0 exists: a new global would grow the module's dict
        (
            "    m0 = gc.mem_alloc()\n",
            "    m0 = gc.mem_alloc()\n    m1 = 0\n    micropython.heap_lock()\n",
        ),
        ("    m1 = gc.mem_alloc()\n", "    micropython.heap_unlock()\n    m1 = gc.mem_alloc()\n"),
    ):
        if old not in script:
            raise RuntimeError("stridekit.mpy.kernel_run's alloc script changed: update this")
        script = script.replace(old, new)
    script = _with_pass("import micropython\n" + script)
    stdout, _ = run(script, {"/samples.bin": packed, "/header.bin": header.to_bytes()}, emitter)
    line = next(ln for ln in stdout.splitlines() if ln.startswith("alloc"))
    return int(line.split()[3]), _cell_pass(stdout)
