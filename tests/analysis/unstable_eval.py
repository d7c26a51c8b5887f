"""Evaluation of UNSTABLE against the runner's own reference (issue 16 item 4).

The pod learns a reference from an earlier session in the runner's usual shoes
(`StepKernel.learn_reference`), writes it as a Note at the start of the next session
and judges that session against it; the host reads the same Note on replay, and the
report's single-session finding is the pod's flag. Here, per simulated runner: one
session in usual shoes (instability 0, its own noise seed) teaches the pod, then the
runner's corpus session (toning shoes or not) is recorded with that reference,
written as a pod writes it, merged and analysed as the report does.

Real healthy walkers (PhysioNet gaitpdb control walks, `*Co*`): every ordered pair of
two walks of one subject (reference from one, judged on the other; the dual-task
walks `_10` included), and every walk with no reference at all.

    .venv/bin/python -m tests.analysis.unstable_eval --n 120 --seed 11 --minutes 3

prints each figure with n and a 95 % Wilson interval. Thresholds were set from the
literature (config UNSTABLE_*) and looked at on seed 5 and the real walks; report
the figures of other seeds.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from stridefw import config as fw_config
from stridefw import records as R
from stridekit.analysis import analyse
from stridekit.eval.findings import wilson
from stridekit.importers import common as imp
from stridekit.importers import gaitpdb
from stridekit.merge import merge_run
from stridekit.replay import KernelOutput, kernel_for, run_kernel, write_recording
from stridekit.session import Session, iter_records, sessions_from_records
from stridekit.session_writer import SessionWriter
from stridekit.sim.corpus import CorpusSpec, draw_runners
from stridekit.sim.gait import SimRun, simulate
from stridekit.sim.record import header_for
from tests.conftest import SHARED_DATA

GAITPDB = Path(os.environ.get("STRIDE_SHARED_DATA", str(SHARED_DATA))) / "gaitpdb"


def fmt(label: str, k: int, n: int) -> str:
    lo, hi = wilson(k, n)
    return f"{label}: {k}/{n} = {k / n:.1%} (95 % CI {lo:.1%}-{hi:.1%})" if n else f"{label}: n=0"


@dataclass
class FootIn:
    hdr: R.SessionHeader
    ticks: np.ndarray
    t_us: np.ndarray
    cells: np.ndarray
    imu: np.ndarray | None
    present: np.ndarray | None
    sync: list[tuple[int, int]]  # (device us, host epoch us) pairs


def sim_feet(run: SimRun) -> list[FootIn]:
    feet: list[FootIn] = []
    for f in run.feet:
        hdr = header_for(run, f, f.foot + 1)
        epoch_us = hdr.epoch_s * 1_000_000
        sync = [
            (0, epoch_us + round(f.clock_offset_s * 1e6)),
            (int(f.t_us[-1]), epoch_us + round(float(f.t_true_s[-1]) * 1e6)),
        ]
        feet.append(FootIn(hdr, f.device_ticks(), f.t_us, f.cells, f.imu, f.imu_present, sync))
    return feet


def real_feet(path: Path) -> list[FootIn]:
    rec = gaitpdb.read(path)
    return [
        FootIn(imp.header_for(rec, f, i + 1), f.t_us, f.t_us, f.cells, f.imu, f.imu_present, [])
        for i, f in enumerate(rec.feet)
    ]


def learn(feet: list[FootIn], refs: list[str | None] | None = None) -> list[str | None]:
    """What each pod stores after this session (its reference Note text, or None)."""
    out: list[str | None] = []
    for i, f in enumerate(feet):
        k = kernel_for(f.hdr)
        if refs and refs[i]:
            k.set_reference_note(refs[i])
        run_kernel(k, f.ticks, f.cells, f.imu, f.present)
        out.append(k.reference_note() if k.learn_reference() or k.has_ref else None)
    return out


def record(feet: list[FootIn], refs: list[str | None]) -> tuple[list[Session], list[int]]:
    """Each foot's session as its pod writes it (the reference Note first), and its last flags."""
    data = b""
    last: list[int] = []
    for i, f in enumerate(feet):
        k = kernel_for(f.hdr)
        ref = refs[i] if refs else None
        if ref:
            assert k.set_reference_note(ref)
        out: KernelOutput = run_kernel(k, f.ticks, f.cells, f.imu, f.present)
        w = SessionWriter()
        w.add(R.REC_HEADER, f.hdr.to_bytes())
        if f.sync:
            w.add(R.REC_SYNC, R.Sync(f.sync[0][0], f.sync[0][1], 0).to_bytes())
        if ref:
            w.add(R.REC_NOTE, R.Note(0, ref).to_bytes())
        write_recording(w, f.t_us, f.cells, f.imu, f.present, out)
        if len(f.sync) > 1:
            w.add(R.REC_SYNC, R.Sync(f.sync[1][0] & 0xFFFFFFFF, f.sync[1][1], 0).to_bytes())
        end = R.SessionEnd(
            int(f.t_us[-1]) & 0xFFFFFFFF, len(out.step_payloads), len(f.t_us), 0, 0, k.flags
        )
        w.add(R.REC_END, end.to_bytes())
        data += bytes(w.out)
        last.append(k.flags)
    recs, issues, _ = iter_records(data)
    return sessions_from_records(recs, issues), last


@dataclass
class Judged:
    pod: bool  # UNSTABLE on either pod at the session's end
    report: bool  # the report's footwear finding (shoes cause with points)
    host_flag: bool  # Instability.flagged
    replay_same: bool  # replay from the stored session gives the stored records


def judge(feet: list[FootIn], refs: list[str | None]) -> Judged:
    from stridekit.replay import replay

    ss, last = record(feet, refs)
    pod = any(fl & fw_config.FLAG_UNSTABLE for fl in last)
    same = all((r := replay(s)).steps_identical and r.flags_identical for s in ss)
    a = analyse([merge_run(ss[0], ss[1])])
    shoes = next(c for c in a.causes if c.key == "shoes")
    return Judged(pod, shoes.seen, a.instability.flagged, same)


def run_sim(
    n: int, seed: int, minutes: float, log: Callable[[str], None] = print
) -> dict[str, list[Judged]]:
    spec = CorpusSpec(minutes=minutes, frac_lld=0.0, frac_toning=0.5, frac_fault=0.0)
    res: dict[str, list[Judged]] = {"toning": [], "control": []}
    for r in draw_runners(n, seed, spec):
        p = r.params
        usual = replace(p, instability=0.0, seed=(p.seed * 7 + 13) % 2**30)
        refs = learn(sim_feet(simulate(usual)))
        j = judge(sim_feet(simulate(p)), refs)
        res[r.group].append(j)
        log(f"{r.id} {r.group:8s} {p.gait} pod {int(j.pod)} report {int(j.report)}")
    return res


def run_real(root: Path = GAITPDB, log: Callable[[str], None] = print) -> dict[str, list[Judged]]:
    files = sorted((root / "data").glob("*Co*.txt"))
    by_subject: dict[str, list[Path]] = {}
    for f in files:
        by_subject.setdefault(re.sub(r"_\d+$", "", f.stem), []).append(f)
    feet = {f.stem: real_feet(f) for f in files}
    refs = {s: learn(v) for s, v in feet.items()}
    res: dict[str, list[Judged]] = {"pairs": [], "no_ref": []}
    for walks in by_subject.values():
        for a in walks:
            for b in walks:
                if a != b:
                    j = judge(feet[b.stem], refs[a.stem])
                    res["pairs"].append(j)
                    log(f"{a.stem} -> {b.stem}: pod {int(j.pod)} report {int(j.report)}")
    for s, v in feet.items():
        j = judge(v, [None, None])
        res["no_ref"].append(j)
        if j.pod or j.report:
            log(f"{s} (no reference): pod {int(j.pod)} report {int(j.report)}")
    return res


def summary(res: dict[str, list[Judged]]) -> list[str]:
    lines = []
    for g, js in res.items():
        n = len(js)
        lines.append(fmt(f"{g} pod UNSTABLE", sum(j.pod for j in js), n))
        lines.append(fmt(f"{g} report footwear finding", sum(j.report for j in js), n))
        lines.append(
            f"{g}: report flag == pod flag in {sum(j.host_flag == j.pod for j in js)}/{n}; "
            f"replay bit-identical in {sum(j.replay_same for j in js)}/{n}"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="UNSTABLE against the runner's own reference")
    ap.add_argument("--n", type=int, default=120)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--minutes", type=float, default=3.0)
    ap.add_argument("--real", action="store_true", help="also the gaitpdb control walks")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    log = (lambda s: None) if a.quiet else (lambda s: print(s, flush=True))
    out = []
    if a.n:
        res = run_sim(a.n, a.seed, a.minutes, log)
        out.append(
            f"simulated: stride corpus draw, --n {a.n} --seed {a.seed} --minutes {a.minutes}"
        )
        out += summary(res)
    if a.real:
        out.append(f"real: {GAITPDB} control walks")
        out += summary(run_real(GAITPDB, log))
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
