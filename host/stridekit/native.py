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

The same build holds the host's compiled SampleBlock reader of versions 4, 3 and 2
(stridekit/sbreader.pyx, typed Cython: READER), recorded in the manifest with its
own hash. It is a host module, not part of the kernel: it is used whenever its own
source is unchanged since the build (kernel sources edited or not, stridefw imported
first or not) and STRIDE_PURE_KERNEL is unset, else stridekit.fastblocks' numpy
reader runs. `sample_block_reader()` loads it on first use (it imports numpy);
`status()` says which one runs.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import os
import sys
import sysconfig
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

PURE_ENV = "STRIDE_PURE_KERNEL"  # "1": always the pure modules
# the build compiles these and what they import, transitively
ROOTS: tuple[str, ...] = ("stridefw.kernel", "stridefw.sampleblock", "stridefw.stepread")
MANIFEST = "manifest.json"
FORMAT = 1
# the host's compiled SampleBlock reader: its module and source (host/stridekit)
READER = "stridekit.sbreader"
READER_SOURCE = "sbreader.pyx"
# the newest SampleBlock version it reads (and those from 2 on): its VERSION, and the build's
# manifest entry, so a build of a reader of another version is not loaded
READER_VERSION = 4

if TYPE_CHECKING:  # numpy is imported with the reader, not with stridekit
    import numpy as np

    # (payloads, the frames' version: 2, 3 or 4) -> (t_us u32, cells int64, imu int64,
    # imu_present bool), as stridekit.fastblocks.decode_blocks gives them
    ReaderFn = Callable[
        [list[bytes], int], tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None
    ]


@dataclass(frozen=True)
class NativeStatus:
    """Which kernel modules run in this process: compiled or pure, and why."""

    compiled: bool
    reason: str  # why pure, or the build's id and compiler when compiled
    modules: tuple[str, ...] = ()  # the compiled modules (empty when pure)
    # the SampleBlock reader: compiled (READER) or numpy (stridekit.fastblocks)
    reader_compiled: bool = False
    reader_reason: str = "not activated"

    def describe(self) -> str:
        if self.compiled:
            kernel = f"kernel: compiled ({self.reason}; {len(self.modules)} modules)"
        else:
            kernel = f"kernel: pure Python ({self.reason})"
        if self.reader_compiled:
            return f"{kernel}; SampleBlock reader: compiled ({self.reader_reason})"
        return f"{kernel}; SampleBlock reader: numpy ({self.reader_reason})"


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


def reader_source() -> Path:
    """stridekit/sbreader.pyx: the compiled reader's source, beside this module."""
    return Path(__file__).resolve().parent / READER_SOURCE


def reader_file(build: Path) -> Path:
    """Where the build puts the compiled reader."""
    return build.joinpath(*READER.split(".")[:-1], READER.rsplit(".", 1)[1] + abi_tag())


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


def _read_manifest(build: Path) -> tuple[dict[str, Any] | None, str]:
    """The build's manifest when it is for this interpreter, else why not."""
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
    return man, ""


def check_manifest(build: Path, src: Path) -> tuple[dict[str, object] | None, str]:
    """The manifest when the build matches this interpreter and these sources, else why not."""
    man, why = _read_manifest(build)
    if man is None:
        return None, why
    sources = man.get("sources")
    compiled = man.get("compiled")
    if not isinstance(sources, dict) or not isinstance(compiled, list) or not compiled:
        return None, f"{build / MANIFEST}: no sources or compiled modules"
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


def check_reader(build: Path, source: Path) -> tuple[Path | None, str]:
    """The compiled reader's file when the build holds one compiled from source as it is
    now, for this interpreter; else (None, why)."""
    man, why = _read_manifest(build)
    if man is None:
        return None, why
    entry = man.get("reader")
    if not isinstance(entry, dict):
        why = man.get("reader_failed") or "the build has no compiled reader"
        return None, f"{why} (make setup rebuilds)"
    if entry.get("module") != READER or entry.get("version") != READER_VERSION:
        return None, f"the build's reader is {entry.get('module')} v{entry.get('version')}"
    if not source.is_file():
        return None, f"{source.name} is gone since the build"
    if sha256_file(source) != entry.get("sha256"):
        return None, f"{source.name} changed since the build (make setup rebuilds)"
    lib = reader_file(build)
    if not lib.is_file():
        return None, f"{lib.name} missing from {lib.parent} (make setup rebuilds)"
    return lib, str(entry.get("sha256", ""))[:12]


def load_reader(build: Path, source: Path) -> tuple[ReaderFn | None, str]:
    """The build's compiled reader's decode_blocks when check_reader takes it (whatever
    STRIDE_PURE_KERNEL says: tests compare it with the numpy one); else (None, why)."""
    lib, why = check_reader(build, source)
    if lib is None:
        return None, why
    try:
        loaded = sys.modules.get(READER)
        if loaded is None or Path(getattr(loaded, "__file__", "") or "") != lib:
            spec = importlib.util.spec_from_file_location(READER, lib)
            if spec is None or spec.loader is None:
                return None, f"{lib.name} is not a module"
            loaded = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(loaded)
            sys.modules[READER] = loaded
        fn = getattr(loaded, "decode_blocks", None)
        if getattr(loaded, "VERSION", None) != READER_VERSION or not callable(fn):
            return None, f"{lib.name} is not a version-{READER_VERSION} reader"
    except Exception as e:  # a broken build: the numpy reader runs
        return None, f"{lib.name} not loaded: {type(e).__name__}: {e}"
    return cast("ReaderFn", fn), f"build {why}"


_reader: ReaderFn | None = None
_reader_tried = False


def sample_block_reader() -> ReaderFn | None:
    """The compiled SampleBlock reader (versions 4, 3 and 2) this process uses, or None (the
    numpy one: stridekit.fastblocks.decode_blocks); loaded on the first call."""
    global _reader, _reader_tried, _status
    if not _reader_tried:
        _reader_tried = True
        if not _status.reader_compiled:
            return None  # activate() said why
        _reader, why = load_reader(build_dir(), reader_source())
        _status = replace(_status, reader_compiled=_reader is not None, reader_reason=why)
    return _reader


def _reader_status() -> tuple[bool, str]:
    """Whether the compiled reader is current (loaded later, by sample_block_reader)."""
    if os.environ.get(PURE_ENV, "") == "1":
        return False, f"{PURE_ENV}=1"
    try:
        lib, why = check_reader(build_dir(), reader_source())
    except Exception as e:
        return False, f"{type(e).__name__}: {e}"
    return lib is not None, f"build {why}" if lib is not None else why


def activate() -> NativeStatus:
    """Load the compiled kernel if it is current; else leave the pure modules. Never raises."""
    global _status, _reader, _reader_tried
    _reader, _reader_tried = None, False
    if os.environ.get(PURE_ENV, "") == "1":
        kernel = NativeStatus(False, f"{PURE_ENV}=1")
    else:
        try:
            kernel = _activate()
        except Exception as e:  # a broken build must never stop the host: the pure kernel runs
            kernel = NativeStatus(False, f"compiled build not loaded: {type(e).__name__}: {e}")
    compiled, why = _reader_status()
    _status = replace(kernel, reader_compiled=compiled, reader_reason=why)
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
