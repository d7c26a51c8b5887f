"""Compile the firmware kernel's own source for CPython with Cython (`make setup` runs this).

`python -m stridekit.native_build` copies the modules stridefw.kernel imports
(stridekit.native.kernel_closure: found from the imports, *_vp viper modules left
out) to a scratch folder, hashes the copies and compiles them, unchanged, into
build/native/ with a manifest of those hashes. Nothing in firmware/ is written.
Cython compiles them as plain Python: every value stays a Python object (type
annotations are ignored, so an int is a Python int and nothing can overflow) and
functions bind as methods like Python's, so the compiled kernel computes exactly
what the pure one does, with the interpreter's dispatch taken out. A module Cython
cannot compile stays pure (the build says which and why); it is still hashed, so an
edit to it also retires the build. A build that is already current is left alone.
Exit status 1 when no module compiles or the C compiler fails.

The same build compiles the host's SampleBlock version-2 to 4 reader
(stridekit/sbreader.pyx, native.READER) as what it is, typed Cython (its compiler
directives are in its first lines, so its hash covers them), with its sha256 in the
manifest. When it does not compile the kernel build still stands and the manifest
says why; the host then reads blocks with numpy.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import sys
import tempfile
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

from stridekit import native

# Plain Python semantics: annotations are not C types, functions are descriptors.
DIRECTIVES: dict[str, object] = {
    "language_level": 3,
    "annotation_typing": False,
    "binding": True,
    "always_allow_keywords": True,
}
_CFLAGS = ["-O2", "-g0"] if os.name == "posix" else []


def _copy_sources(src: Path, work: Path) -> tuple[dict[str, str], list[str]]:
    """The closure's files copied to work/stridefw; their sha256 by module; the modules
    they name that have no file."""
    pkg = work / "stridefw"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    sources: dict[str, str] = {}
    modules, _ = native.kernel_closure(src)
    for mod in modules:
        name = mod.split(".", 1)[1] + ".py"
        shutil.copyfile(src / name, pkg / name)
        sources[mod] = native.sha256_file(pkg / name)
    # the copies' own imports: a file edited between the walk and the copy counts as it was copied
    copied, absent_now = native.kernel_closure(pkg)
    if copied != modules:
        raise RuntimeError("the kernel's imports changed during the build: run it again")
    return sources, absent_now


def _cythonize(
    work: Path, modules: list[str], nthreads: int, files: list[str] | None = None
) -> list[Any]:
    """Cython's C translation of the kernel modules (plain Python: DIRECTIVES), or of
    files (relative to work) with the directives they state themselves."""
    from Cython.Build import cythonize

    log = io.StringIO()
    try:
        with contextlib.chdir(work), redirect_stdout(log), redirect_stderr(log):
            return cythonize(
                files if files is not None else [m.replace(".", "/") + ".py" for m in modules],
                compiler_directives=DIRECTIVES if files is None else {},
                nthreads=nthreads,
                quiet=True,
                force=True,
            )
    except (Exception, SystemExit) as e:  # Cython's CompileError: the log says where
        lines = [ln for ln in log.getvalue().splitlines() if ln.strip()]
        raise RuntimeError(lines[-1] if lines else str(e)) from e


def _translate(work: Path, modules: list[str]) -> tuple[list[Any], dict[str, str]]:
    """Cython's C translation of the modules, in parallel; when that fails, module by
    module, leaving out (with why) each one Cython rejects."""
    try:
        return _cythonize(work, modules, os.cpu_count() or 1), {}
    except RuntimeError:
        pass
    exts: list[Any] = []
    rejected: dict[str, str] = {}
    for mod in modules:
        try:
            exts += _cythonize(work, [mod], 0)
        except RuntimeError as e:
            rejected[mod] = f"Cython: {e}"
    return exts, rejected


def _compile(work: Path, exts: list[Any], out: Path) -> None:
    """The C compiler: the translated modules' extension files into out/."""
    from setuptools import setup

    for ext in exts:
        # the interpreter's own flags end in -O3 -g: half the C compile time for a
        # replay speed within noise of it (and no debug info nobody reads)
        ext.extra_compile_args = [*ext.extra_compile_args, *_CFLAGS]
    with contextlib.chdir(work):
        setup(
            name="stridefw-native",
            ext_modules=exts,
            script_args=[
                "--quiet",
                "build_ext",
                "--build-lib",
                str(out),
                "--build-temp",
                str(work / "tmp"),
                "--parallel",
                str(os.cpu_count() or 1),
            ],
        )


def _build_id(sources: dict[str, str], reader_sha: str, compiler: str) -> str:
    """Names a build: its sources, the interpreter, the compiler and how it was run."""
    ident = json.dumps(
        [sources, reader_sha, native.abi_tag(), compiler, DIRECTIVES, _CFLAGS], sort_keys=True
    )
    return hashlib.sha256(ident.encode()).hexdigest()


def _reader_sha() -> str:
    src = native.reader_source()
    return native.sha256_file(src) if src.is_file() else ""


def _build_reader(work: Path, out: Path) -> tuple[dict[str, object] | None, str, str]:
    """The reader compiled into out (native.reader_file): its manifest entry, or None and
    why not; and the sha256 of the source it compiled (or failed to: that build stays
    current until the source changes or --force)."""
    src = native.reader_source()
    if not src.is_file():
        return None, f"{src} is missing", ""
    *pkg, _ = native.READER.split(".")
    folder = work.joinpath(*pkg)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "__init__.py").write_text("")  # names the extension stridekit.sbreader
    copy = folder / native.READER_SOURCE
    shutil.copyfile(src, copy)
    sha = native.sha256_file(copy)  # the copy: what was compiled
    entry: dict[str, object] = {
        "module": native.READER,
        "version": native.READER_VERSION,
        "sha256": sha,
    }
    try:
        exts = _cythonize(work, [], 0, files=[str(copy.relative_to(work))])
        _compile(work, exts, out)
    except (Exception, SystemExit) as e:  # Cython's or the C compiler's message
        return None, f"the compiled reader failed to build: {type(e).__name__}: {e}", sha
    if not native.reader_file(out).is_file():
        why = f"the compiled reader failed to build: no {native.reader_file(out).name}"
        return None, why, sha
    return entry, "", sha


def build(force: bool = False) -> Path:
    """Build build/native from the current sources unless it is current already."""
    from importlib.metadata import version

    src = native.firmware_dir()
    dest = native.build_dir()
    compiler = f"Cython {version('Cython')}"
    man, _why = native.check_manifest(dest, src)
    if man is not None and not force:
        modules, _ = native.kernel_closure(src)
        now = {m: native.sha256_file(src / (m.split(".", 1)[1] + ".py")) for m in modules}
        if man.get("build_id") == _build_id(now, _reader_sha(), compiler):
            print(f"{dest}: current (build {str(man.get('build_id'))[:12]})")
            return dest
    t0 = time.perf_counter()
    dest.parent.mkdir(parents=True, exist_ok=True)
    # beside the build: the swap below is then a rename on one file system
    with tempfile.TemporaryDirectory(prefix="stride-native-", dir=dest.parent) as tmp:
        work = Path(tmp)
        sources, absent = _copy_sources(src, work)
        exts, rejected = _translate(work, sorted(sources))
        compiled = [m for m in sorted(sources) if m not in rejected]
        if not compiled:
            raise RuntimeError(f"no module compiled: {rejected}")
        out = work / "out"
        _compile(work, exts, out)
        reader, reader_failed, reader_sha = _build_reader(work, out)
        manifest: dict[str, object] = {
            "format": native.FORMAT,
            "build_id": _build_id(sources, reader_sha, compiler),
            "compiler": compiler,
            "abi": native.abi_tag(),
            "sources": sources,
            "absent": absent,
            "compiled": compiled,
            "pure": rejected,
        }
        if reader is not None:
            manifest["reader"] = reader
        else:
            manifest["reader_failed"] = reader_failed
        (out / native.MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n")
        # swap in whole: a reader sees the old build or the new one, never half of one
        old = dest.with_name(dest.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if dest.exists():
            dest.rename(old)
        shutil.move(str(out), dest)
        shutil.rmtree(old, ignore_errors=True)
    took = time.perf_counter() - t0
    print(f"{dest}: compiled {', '.join(compiled)} with {compiler} in {took:.0f} s")
    for mod, why in rejected.items():
        print(f"  {mod} stays pure ({why})")
    if reader is not None:
        print(f"  and the SampleBlock reader {native.READER} ({native.READER_SOURCE})")
    else:
        print(f"  {native.READER} not compiled, the host reads blocks with numpy: {reader_failed}")
    return dest


def main() -> int:
    try:
        build(force="--force" in sys.argv[1:])
    except Exception as e:  # the compiler's own message says what failed
        print(f"native kernel build failed: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
