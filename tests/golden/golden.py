"""Golden summaries of the kernel's Step and Flag records, and the comparison that
explains a difference (case, foot, first differing step or flag, the fields).

A golden file per case holds, per foot: a hash of the input samples, the number of
Step and Flag records, a sha256 over all Step payloads and over all Flag payloads (in
order), a 4-hex digest per step (to find the first differing step anywhere), the first
EXCERPT_STEPS steps field by field and every Flag record (up to MAX_FLAG_ROWS).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np

from stridefw import config as C
from stridefw import records as R
from stridekit.replay import KernelOutput, kernel_for, run_kernel
from tests.golden.cases import Case, FootInput

FORMAT = 1
GOLDEN_DIR = Path(__file__).resolve().parent / "files"
UPDATE_ENV = "STRIDE_UPDATE_GOLDEN"
EXCERPT_STEPS = 20
MAX_FLAG_ROWS = 64
DIGESTS_PER_LINE = 16
HOW_TO_UPDATE = "if this change is intended, run `make golden` and say so in the commit message"

STEP_FIELDS: tuple[str, ...] = tuple(R.Step._fields)
FLAG_FIELDS: tuple[str, ...] = (*R.Flag._fields, "names")
_FLAG_NAMES = (
    (C.FLAG_UNEVEN_LOAD, "UNEVEN_LOAD"),
    (C.FLAG_UNSTABLE, "UNSTABLE"),
    (C.FLAG_HARD_IMPACT, "HARD_IMPACT"),
    (C.FLAG_SENSOR_FAULT, "SENSOR_FAULT"),
    (C.FLAG_DEGRADED, "DEGRADED"),
)

Json = dict[str, object]


def updating() -> bool:
    return os.environ.get(UPDATE_ENV, "") == "1"


def path_for(case: Case) -> Path:
    return GOLDEN_DIR / f"{case.name}.json"


def flag_names(bits: int) -> str:
    names = [n for b, n in _FLAG_NAMES if bits & b]
    rest = bits & ~sum(b for b, _ in _FLAG_NAMES)
    if rest:
        names.append(f"0x{rest:04x}")
    return "+".join(names) or "-"


def input_sha256(f: FootInput) -> str:
    """Over the header and every sample array, in a fixed byte order."""
    h = hashlib.sha256(f.header.to_bytes())
    h.update(np.ascontiguousarray(f.t_us, "<i8").tobytes())
    h.update(np.ascontiguousarray(f.cells, "<u2").tobytes())
    if f.imu is not None:
        h.update(np.ascontiguousarray(f.imu, "<i2").tobytes())
    if f.imu_present is not None:
        h.update(np.ascontiguousarray(f.imu_present, "?").tobytes())
    return h.hexdigest()


def run(f: FootInput) -> KernelOutput:
    """The kernel run exactly as `stridekit.replay.replay` runs it on a session."""
    return run_kernel(kernel_for(f.header), f.t_us, f.cells, f.imu, f.imu_present)


def _sha(payloads: list[bytes]) -> str:
    return hashlib.sha256(b"".join(payloads)).hexdigest()


def step_row(p: bytes) -> list[int]:
    s = R.Step.from_bytes(p)
    return [int(getattr(s, n)) for n in STEP_FIELDS]


def flag_row(p: bytes) -> list[int | str]:
    g = R.Flag.from_bytes(p)
    return [*(int(getattr(g, n)) for n in R.Flag._fields), flag_names(g.flags)]


def step_digests(payloads: list[bytes]) -> list[str]:
    d = "".join(hashlib.sha256(p).hexdigest()[:4] for p in payloads)
    n = 4 * DIGESTS_PER_LINE
    return [d[i : i + n] for i in range(0, len(d), n)]


def summarize_foot(f: FootInput) -> Json:
    out = run(f)
    return {
        "foot": f.foot,
        "samples": len(f.t_us),
        "input_sha256": input_sha256(f),
        "steps": len(out.step_payloads),
        "steps_sha256": _sha(out.step_payloads),
        "flags": len(out.flag_payloads),
        "flags_sha256": _sha(out.flag_payloads),
        "step_digests": step_digests(out.step_payloads),
        "first_steps": [step_row(p) for p in out.step_payloads[:EXCERPT_STEPS]],
        "flag_records": [flag_row(p) for p in out.flag_payloads[:MAX_FLAG_ROWS]],
    }


def summarize(case: Case, feet: list[FootInput]) -> Json:
    return {
        "case": case.name,
        "about": case.about,
        "format": FORMAT,
        "update": "make golden",
        "step_fields": list(STEP_FIELDS),
        "flag_fields": list(FLAG_FIELDS),
        "feet": [summarize_foot(f) for f in feet],
    }


# ------------------------------------------------------------------ file format
def dumps(v: object, indent: int = 0) -> str:
    """JSON with one line per list of scalars (a step row, a line of digests): diffs
    of a golden file then read as rows."""
    pad = "  " * (indent + 1)
    if isinstance(v, dict):
        items = [f"{pad}{json.dumps(k)}: {dumps(x, indent + 1)}" for k, x in v.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * indent + "}" if items else "{}"
    if isinstance(v, list):
        if all(not isinstance(x, dict | list) for x in v):
            return json.dumps(v)
        items = [pad + dumps(x, indent + 1) for x in v]
        return "[\n" + ",\n".join(items) + "\n" + "  " * indent + "]"
    return json.dumps(v)


def write(path: Path, g: Json) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = dumps(g) + "\n"
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


def read(path: Path) -> Json:
    return json.loads(path.read_text())


# ------------------------------------------------------------------ comparison
def _digest_list(lines: object) -> list[str]:
    s = "".join(lines) if isinstance(lines, list) else ""
    return [s[i : i + 4] for i in range(0, len(s), 4)]


def _field_diff(fields: tuple[str, ...], want: list[object], got: list[object]) -> str:
    d = [
        f"{n}: golden {a!r}, now {b!r}" for n, a, b in zip(fields, want, got, strict=True) if a != b
    ]
    return "; ".join(d)


def _rows(x: object) -> list[list[object]]:
    return [r for r in x if isinstance(r, list)] if isinstance(x, list) else []


def explain_steps(want: Json, got: Json) -> str:
    """Where the steps first differ and in which fields (exact within the excerpt)."""
    wd, gd = _digest_list(want["step_digests"]), _digest_list(got["step_digests"])
    i = next(
        (j for j, (a, b) in enumerate(zip(wd, gd, strict=False)) if a != b), min(len(wd), len(gd))
    )
    wr, gr = _rows(want["first_steps"]), _rows(got["first_steps"])
    head = (
        f"{want['steps']} steps in the golden, {got['steps']} now; first differing step index {i}"
    )
    if i < len(wr) and i < len(gr):
        return f"{head}: {_field_diff(STEP_FIELDS, wr[i], gr[i])}"
    if i >= len(gd) and i >= len(wd):
        return f"{head}: every 4-hex step digest agrees (a digest collision); compare the steps"
    if i >= len(gd):
        return f"{head}: the golden has a step there, the kernel now does not"
    if i >= len(wd):
        now = dict(zip(STEP_FIELDS, gr[i], strict=True)) if i < len(gr) else "(past the excerpt)"
        return f"{head}: the kernel now emits an extra step there: {now}"
    return (
        f"{head} (past the {EXCERPT_STEPS}-step excerpt, so only its digest is kept: "
        "the fields cannot be named; print them with tests/golden/cases.py and "
        "stridekit.replay)"
    )


def explain_flags(want: Json, got: Json) -> str:
    wr, gr = _rows(want["flag_records"]), _rows(got["flag_records"])
    head = f"{want['flags']} Flag records in the golden, {got['flags']} now"
    for i, (a, b) in enumerate(zip(wr, gr, strict=False)):
        if a != b:
            return f"{head}; first differing Flag record {i}: {_field_diff(FLAG_FIELDS, a, b)}"
    if len(wr) != len(gr):
        i = min(len(wr), len(gr))
        extra = gr[i] if len(gr) > i else wr[i]
        who = "now" if len(gr) > i else "in the golden only"
        return f"{head}; Flag record {i} exists {who}: {dict(zip(FLAG_FIELDS, extra, strict=True))}"
    return f"{head}; the first {len(wr)} agree, a later one differs"


def differences(case: Case, want: Json, got: Json) -> list[str]:
    """Empty when the kernel's records match the golden; else one line per difference."""
    out: list[str] = []
    if want.get("format") != FORMAT:
        return [f"{case.name}: golden file format {want.get('format')}, expected {FORMAT}"]
    wf = [x for x in want["feet"] if isinstance(x, dict)] if isinstance(want["feet"], list) else []
    gf = [x for x in got["feet"] if isinstance(x, dict)] if isinstance(got["feet"], list) else []
    if [x["foot"] for x in wf] != [x["foot"] for x in gf]:
        return [
            f"{case.name}: feet {[x['foot'] for x in wf]} in the golden, now {[x['foot'] for x in gf]}"
        ]
    for w, g in zip(wf, gf, strict=True):
        where = f"{case.name} foot {g['foot']}"
        if w["input_sha256"] != g["input_sha256"] or w["samples"] != g["samples"]:
            out.append(
                f"{where}: the INPUT changed ({w['samples']} samples in the golden, "
                f"{g['samples']} now; input sha256 differs): the simulator or importer, "
                "not only the kernel, behaves differently"
            )
        if w["steps_sha256"] != g["steps_sha256"] or w["steps"] != g["steps"]:
            out.append(f"{where}: Step records differ: {explain_steps(w, g)}")
        if w["flags_sha256"] != g["flags_sha256"] or w["flags"] != g["flags"]:
            out.append(f"{where}: Flag records differ: {explain_flags(w, g)}")
    if not out and want != got:
        keys = sorted(k for k in set(want) | set(got) if want.get(k) != got.get(k))
        out.append(f"{case.name}: golden file fields differ: {keys}")
    return out
