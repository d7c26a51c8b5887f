"""The compiled kernel (stridekit.native): the same records as the pure modules, and
never loaded from sources other than those on disk.

The replay runs in child processes, one per kind, so each imports the kernel afresh.
Where `make setup` built the compiled modules (CI always does), the child without
STRIDE_PURE_KERNEL must have loaded them; elsewhere the comparison is skipped with why.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from stridekit import native
from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parents[2]

# Replays every golden case whose data is here; prints which kernel ran and, per case
# and foot, sha256 over its Step payloads and over its Flag payloads (in order).
_CHILD = """
import hashlib, json, sys
import stridekit
from stridekit import native
from tests.conftest import SHARED_DATA
from tests.golden import golden as G
from tests.golden.cases import CASES
st = native.status()
out = {"compiled": st.compiled, "describe": st.describe(), "cases": {}}
for case in CASES:
    d = SHARED_DATA / case.data if case.data else None
    if d is not None and not d.is_dir():
        continue
    feet = []
    for f in case.load(d):
        o = G.run(f)
        feet.append([
            hashlib.sha256(b"".join(o.step_payloads)).hexdigest(), len(o.step_payloads),
            hashlib.sha256(b"".join(o.flag_payloads)).hexdigest(), len(o.flag_payloads),
            o.gaps, o.bad_ticks, o.rejected,
        ])
    out["cases"][case.name] = feet
print(json.dumps(out))
"""


def run_child(script: str, pure: bool) -> dict[str, object]:
    """The JSON a script prints last, run in a fresh interpreter (which imports
    stridekit first, so the compiled build can load), with or without STRIDE_PURE_KERNEL."""
    env = {k: v for k, v in os.environ.items() if k != native.PURE_ENV}
    if pure:
        env[native.PURE_ENV] = "1"
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.splitlines()[-1])


def _replay_child(pure: bool) -> dict[str, object]:
    return run_child(_CHILD, pure)


def test_compiled_and_pure_kernels_give_identical_records() -> None:
    compiled = _replay_child(pure=False)
    if not compiled["compiled"]:
        why = f"the compiled kernel did not load: {compiled['describe']}"
        if IN_CI:
            pytest.fail(f"{why}; `make setup` builds it and CI must run it")
        pytest.skip(why)
    pure = _replay_child(pure=True)
    assert not pure["compiled"], pure["describe"]
    cases = compiled["cases"]
    assert isinstance(cases, dict) and len(cases) >= 10, "too few golden cases replayed"
    assert sum(feet[0][1] for feet in cases.values()) > 0, "no steps: a vacuous comparison"  # pyright: ignore
    assert cases == pure["cases"]


def _fake_build(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the kernel's sources and a manifest naming them (no compiled files)."""
    src = tmp_path / "stridefw"
    src.mkdir()
    (src / "__init__.py").write_text("")
    fw = native.firmware_dir()
    mods, absent = native.kernel_closure(fw)
    for m in mods:
        shutil.copyfile(fw / (m.split(".", 1)[1] + ".py"), src / (m.split(".", 1)[1] + ".py"))
    build = tmp_path / "build"
    build.mkdir()
    manifest = {
        "format": native.FORMAT,
        "abi": native.abi_tag(),
        "sources": {m: native.sha256_file(src / (m.split(".", 1)[1] + ".py")) for m in mods},
        "absent": absent,
        "compiled": mods,
    }
    (build / native.MANIFEST).write_text(json.dumps(manifest))
    return src, build


def test_the_build_covers_what_the_kernel_imports() -> None:
    mods, _ = native.kernel_closure(native.firmware_dir())
    assert {"stridefw.kernel", "stridefw.kernel_py", "stridefw.config"} <= set(mods)
    assert not [m for m in mods if m.endswith("_vp")]  # MicroPython only


def test_a_build_from_other_sources_is_refused(tmp_path: Path) -> None:
    src, build = _fake_build(tmp_path)
    man, why = native.check_manifest(build, src)
    assert man is not None, why
    kernel_py = src / "kernel_py.py"
    kernel_py.write_text(kernel_py.read_text() + "\n# edited\n")
    man, why = native.check_manifest(build, src)
    assert man is None and "kernel_py.py changed" in why


def test_a_module_the_kernel_names_that_appears_retires_the_build(tmp_path: Path) -> None:
    """A try-import of a module absent at the build (now present) would change what runs."""
    src, build = _fake_build(tmp_path)
    path = build / native.MANIFEST
    man = json.loads(path.read_text())
    man["absent"] = ["stridefw.kernel_fast"]
    path.write_text(json.dumps(man))
    assert native.check_manifest(build, src)[0] is not None
    (src / "kernel_fast.py").write_text("")
    man2, why = native.check_manifest(build, src)
    assert man2 is None and "stridefw.kernel_fast now exists" in why


def test_a_build_for_another_interpreter_is_refused(tmp_path: Path) -> None:
    src, build = _fake_build(tmp_path)
    path = build / native.MANIFEST
    path.write_text(path.read_text().replace(native.abi_tag(), ".cpython-39-arm.so"))
    man, why = native.check_manifest(build, src)
    assert man is None and "cpython-39" in why


def test_no_build_means_pure(tmp_path: Path) -> None:
    man, why = native.check_manifest(tmp_path / "nothing", native.firmware_dir())
    assert man is None and "make setup" in why


def test_the_environment_forces_the_pure_modules() -> None:
    env = {**os.environ, native.PURE_ENV: "1"}
    code = "import stridekit, stridefw.kernel as k; from stridekit import native; print(native.status().describe(), k.__file__)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert "pure Python" in out.stdout and out.stdout.strip().endswith("kernel.py")
