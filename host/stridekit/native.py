"""The firmware kernel compiled for CPython (Cython), loaded only when built from these sources.

The host replays the firmware's own StepKernel source. `make setup` also compiles
that same source, unchanged, with Cython (stridekit.native_build) into build/native/, outside the
source tree, with a manifest of the sha256 of every source file the build came from.
`activate()` (run when stridekit is imported) puts the compiled modules in front of
the pure ones only when every one of those files still hashes the same, the build is
for this interpreter, and STRIDE_PURE_KERNEL is unset; otherwise the pure modules
run, and `status()` says which ran and why, so an edited kernel.py is never
shadowed by a stale build. What is compiled is the kernel's import closure, so the
record codec (stridefw.records), layouts, calibration and config run compiled too in
a `stride` process. It is all or nothing: a process that imported one of
those modules before stridekit (the test suite's conftest imports stridefw first)
keeps the pure ones throughout. The MicroPython builds never see any of this.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import os
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

PURE_ENV = "STRIDE_PURE_KERNEL"  # "1": always the pure modules
# the build compiles these and what they import, transitively
ROOTS: tuple[str, ...] = ("stridefw.kernel", "stridefw.sampleblock")
MANIFEST = "manifest.json"
FORMAT = 1


@dataclass(frozen=True)
class NativeStatus:
    """Which kernel modules run in this process: compiled or pure, and why."""

    compiled: bool
    reason: str  # why pure, or the build's id and compiler when compiled
    modules: tuple[str, ...] = ()  # the compiled modules (empty when pure)

    def describe(self) -> str:
        if self.compiled:
            return f"kernel: compiled ({self.reason}; {len(self.modules)} modules)"
        return f"kernel: pure Python ({self.reason})"


def firmware_dir() -> Path:
    """firmware/stridefw of this checkout (or wherever stridefw is installed): the
    folder of its __init__.py, which stays first even after activate()."""
    spec = importlib.util.find_spec("stridefw")
    if spec is None or not spec.origin:
        raise ImportError("stridefw not found")
    return Path(spec.origin).parent


def build_dir() -> Path:
    """build/native beside firmware/ (git-ignored; ruff and pyright skip it)."""
    return firmware_dir().parents[1] / "build" / "native"


def abi_tag() -> str:
    """What a compiled module must match: the interpreter's extension suffix."""
    return str(sysconfig.get_config_var("EXT_SUFFIX"))


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def kernel_closure(src: Path) -> tuple[list[str], list[str]]:
    """stridefw modules the ROOTS import, transitively (themselves included), sorted; and
    those it names that have no file (kept in the manifest: one appearing retires the build).

    Found from the import statements, so a module the kernel starts importing joins
    the build by itself. The *_vp viper modules are left out: they are MicroPython
    only (CPython cannot import them; the kernel falls back to their plain twins).
    """
    import ast

    seen: set[str] = set()
    absent: set[str] = set()
    todo: list[str] = list(ROOTS)
    while todo:
        mod = todo.pop()
        if mod in seen or mod in absent:
            continue
        path = src / (mod.split(".", 1)[1] + ".py")
        if not path.is_file():
            absent.add(mod)
            continue
        seen.add(mod)
        for node in ast.walk(ast.parse(path.read_bytes(), str(path))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module == "stridefw":
                    names = [f"stridefw.{a.name}" for a in node.names]
                else:
                    names = [node.module]
            for name in names:
                if name.startswith("stridefw.") and not name.endswith("_vp"):
                    todo.append(name)
    return sorted(seen), sorted(absent)


def _file(src: Path, mod: str) -> Path:
    return src / (mod.split(".", 1)[1] + ".py")


_status = NativeStatus(False, "not activated")


def status() -> NativeStatus:
    """Which kernel this process runs (see activate)."""
    return _status


def _loaded_compiled(modules: list[str], where: Path) -> bool:
    for m in modules:
        f = getattr(sys.modules.get(m), "__file__", None) or ""
        if not f or Path(f).parent != where:
            return False
    return True


def check_manifest(build: Path, src: Path) -> tuple[dict[str, object] | None, str]:
    """The manifest when the build matches this interpreter and these sources, else why not."""
    path = build / MANIFEST
    if not path.is_file():
        return None, f"no compiled build in {build} (make setup builds it)"
    try:
        man = json.loads(path.read_text())
    except (OSError, ValueError) as e:
        return None, f"unreadable {path}: {e}"
    if not isinstance(man, dict) or man.get("format") != FORMAT:
        return None, f"{path}: unknown format"
    if man.get("abi") != abi_tag():
        return None, f"build is for {man.get('abi')}, this interpreter is {abi_tag()}"
    sources = man.get("sources")
    compiled = man.get("compiled")
    if not isinstance(sources, dict) or not isinstance(compiled, list) or not compiled:
        return None, f"{path}: no sources or compiled modules"
    for mod, digest in sources.items():
        f = _file(src, str(mod))
        if not f.is_file():
            return None, f"{f.name} is gone since the build (make setup rebuilds)"
        if sha256_file(f) != digest:
            return None, f"{f.name} changed since the build (make setup rebuilds)"
    # the same files import the same modules; only a module named but absent then
    # can have appeared since
    for mod in man.get("absent", []):
        if _file(src, str(mod)).is_file():
            return None, f"{mod} now exists (make setup rebuilds)"
    return man, ""


def activate() -> NativeStatus:
    """Load the compiled kernel if it is current; else leave the pure modules. Never raises."""
    global _status
    if os.environ.get(PURE_ENV, "") == "1":
        _status = NativeStatus(False, f"{PURE_ENV}=1")
        return _status
    try:
        _status = _activate()
    except Exception as e:  # a broken build must never stop the host: the pure kernel runs
        _status = NativeStatus(False, f"compiled build not loaded: {type(e).__name__}: {e}")
    return _status


def _activate() -> NativeStatus:
    import stridefw

    src = firmware_dir()
    build = build_dir()
    man, why = check_manifest(build, src)
    if man is None:
        return NativeStatus(False, why)
    compiled = [str(m) for m in man["compiled"]]  # pyright: ignore[reportGeneralTypeIssues]
    label = f"{man.get('compiler', '?')}, build {str(man.get('build_id', '?'))[:12]}"
    pkg_dir = build / "stridefw"
    already = [m for m in compiled if m in sys.modules]
    if already:  # imported before activate(): whatever was loaded stays
        if _loaded_compiled(compiled, pkg_dir):
            return NativeStatus(True, label, tuple(compiled))
        return NativeStatus(False, f"{', '.join(already)} imported before the compiled build")
    for m in compiled:
        lib = pkg_dir / (m.split(".", 1)[1] + abi_tag())
        if not lib.is_file():
            return NativeStatus(False, f"{lib.name} missing from {pkg_dir} (make setup rebuilds)")
    path = list(stridefw.__path__)
    stridefw.__path__[:] = [str(pkg_dir), *path]
    try:
        for m in compiled:
            importlib.import_module(m)
        if not _loaded_compiled(compiled, pkg_dir):
            raise ImportError("the compiled modules did not load in place of the pure ones")
    except Exception:  # back to the pure modules, all of them
        stridefw.__path__[:] = path
        for m in compiled:
            sys.modules.pop(m, None)
        raise
    return NativeStatus(True, label, tuple(compiled))
