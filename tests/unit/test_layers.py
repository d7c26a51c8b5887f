"""The host's layers: no module imports from a layer above its own.

The picture is in README.md ("Layers"). A link (transport) that imports the
simulator, or an analysis that imports the CLI, fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

HOST = Path(__file__).resolve().parents[2] / "host" / "stridekit"
FIRMWARE = Path(__file__).resolve().parents[2] / "firmware" / "stridefw"

# lowest first, as ../shared/DESIGN.md draws them ("cli -> (demo, serve, report, eval) ->
# (sync, analysis, export, importers) -> (transport, library, merge, replay) -> session ->
# stridefw; sim sits beside transport and may use it, never the reverse"); a module belongs
# to the first entry that names it or its package
LAYERS: list[tuple[str, ...]] = [
    (
        "errors",
        "paths",
        "session",
        "session_writer",
        "tables",
        "progress",
        "fastframes",
        "fastblocks",
        "native",
        "native_build",
    ),
    ("transport", "library", "merge", "replay", "replay_stream", "mpy", "sim"),
    ("sync", "analysis", "export", "importers", "calibrate"),
    ("demo", "serve", "serve_guard", "serve_tls", "report", "eval", "batch", "bench", "budget"),
    ("cli", "__main__", "web"),
]
# imports that the layers alone would allow but the design forbids
FORBIDDEN = [("transport", "sim")]


def _rank(module: str) -> int:
    """Layer of stridekit.<module> (its first dotted part decides)."""
    head = module.split(".")[0] or "__init__"
    for rank, names in enumerate(LAYERS):
        for n in names:
            if head == n or (n.endswith("*") and head.startswith(n[:-1])):
                return rank
    raise AssertionError(f"stridekit.{module} is in no layer: add it to LAYERS and README")


def _imports(path: Path) -> list[str]:
    out: list[str] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "stridekit":
                out += [a.name for a in node.names]
            elif node.module.startswith("stridekit."):
                out.append(node.module.removeprefix("stridekit."))
        elif isinstance(node, ast.Import):
            out += [
                a.name.removeprefix("stridekit.")
                for a in node.names
                if a.name.startswith("stridekit.")
            ]
    return out


def _host_modules() -> list[tuple[str, Path]]:
    mods = []
    for p in sorted(HOST.rglob("*.py")):
        rel = p.relative_to(HOST).with_suffix("")
        parts = [x for x in rel.parts if x != "__init__"]
        if parts:
            mods.append((".".join(parts), p))
    return mods


def test_no_host_module_imports_from_a_layer_above() -> None:
    bad = []
    for mod, path in _host_modules():
        for target in _imports(path):
            if _rank(target) > _rank(mod):
                bad.append(f"stridekit.{mod} -> stridekit.{target}")
            elif (mod.split(".")[0], target.split(".")[0]) in FORBIDDEN:
                bad.append(f"stridekit.{mod} -> stridekit.{target} (forbidden)")
    assert not bad, "imports from a higher layer:\n" + "\n".join(bad)


def test_packages_of_one_layer_do_not_import_each_other_in_a_cycle() -> None:
    edges: dict[str, set[str]] = {}
    for mod, path in _host_modules():
        a = mod.split(".")[0]
        for target in _imports(path):
            b = target.split(".")[0]
            if a != b:
                edges.setdefault(a, set()).add(b)
    cycles = sorted(
        f"{a} <-> {b}" for a, bs in edges.items() for b in bs if a < b and a in edges.get(b, set())
    )
    assert not cycles, cycles


def test_firmware_imports_nothing_from_the_host() -> None:
    bad = [
        str(p.relative_to(FIRMWARE))
        for p in FIRMWARE.rglob("*.py")
        if any(t for t in _imports(p)) or "import stridekit" in p.read_text()
    ]
    assert not bad, bad


def test_the_checker_sees_a_violation() -> None:
    assert _rank("sync.ble") > _rank("transport.ble") and ("transport", "sim") in FORBIDDEN
    assert _rank("cli.real") > _rank("eval.real")
