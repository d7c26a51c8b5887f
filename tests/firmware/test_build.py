"""The firmware builds for the ESP32 and stays inside the MicroPython subset."""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO

FIRMWARE = REPO / "firmware"
FILES = sorted(p for p in FIRMWARE.rglob("*.py") if "__pycache__" not in p.parts)
# CPython-only modules that do not exist on the device (DESIGN.md)
FORBIDDEN = {
    "typing",
    "abc",
    "dataclasses",
    "enum",
    "__future__",
    "numpy",
    "functools",
    "collections",
}


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(FIRMWARE)) for p in FILES])
def test_compiles_for_esp32_native(path: Path, mpy_cross: str, tmp_path: Path) -> None:
    out = tmp_path / "out.mpy"
    proc = subprocess.run(
        [mpy_cross, "-march=xtensawin", "-X", "emit=native", "-o", str(out), str(path)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes()[:1] == b"M"  # .mpy magic


def test_mpy_cross_rejects_what_the_device_cannot_run(mpy_cross: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("match 1:\n    case 1:\n        pass\n")
    proc = subprocess.run([mpy_cross, "-march=xtensawin", str(bad)], capture_output=True)
    assert proc.returncode != 0


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(FIRMWARE)) for p in FILES])
def test_no_cpython_only_imports(path: Path) -> None:
    # compat.py imports typing only on CPython, inside its ImportError branch
    allowed = {"typing"} if path.name == "compat.py" else set()
    assert not (_imports(path) & FORBIDDEN) - allowed


def test_kernel_and_codec_import_only_the_shared_subset() -> None:
    """STYLE.md: the shared kernel imports only struct, array, binascii, micropython."""
    for name in ("kernel.py", "records.py", "calib.py", "config.py", "layouts.py"):
        mods = _imports(FIRMWARE / "stridefw" / name)
        assert mods <= {"struct", "array", "binascii", "micropython", "stridefw"}, name
