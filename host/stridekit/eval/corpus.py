"""`stride eval CORPUS`: the firmware kernel and flags against a simulated corpus's truth.

Every figure comes from replaying each pod's raw samples through the firmware
kernel (stridefw.kernel) and the left/right rule (stridefw.balance), exactly as
the pods run them, and comparing with the simulator's ground truth (RefEvents in
each session, conditions in corpus.json). Nothing here is fitted to the corpus.

Definitions:
* timing: |detected - reference| of matched events (tolerance 100 ms), all steps;
  the one truncated first step of a pod that started recording mid-stance is
  ignored (it has no reference).
* sensor fault: sensitivity = SENSOR_FAULT raised on the faulty pod within 2 s of
  the true onset; false positives = a cell flagged faulty on any pod of a runner
  without a fault. IMU-lost flags are counted apart: the simulator also drops IMU
  data briefly on healthy pods, and flagging that is correct.
* UNEVEN_LOAD: the balance rule's state at the end of the run (persistent, not a
  transient); side = the limb the rule finds more loaded, compared with the
  model's more-loaded limb (the short limb: higher impact and loading rate).
* no leg-length magnitude: inverting the simulator's own relation would only show
  that the code agrees with itself (the findings evaluation, `stride eval
  --findings`, judges the leg-length pattern against real healthy walkers).
* UNSTABLE / HARD_IMPACT: the kernel's flag at the end of the run on either foot;
  hard impact is true when the model's mean loading rate exceeds 100 BW/s or its
  shoe shock exceeds 10 g (the kernel's documented thresholds). The pod measures
  the resultant acceleration, gravity included, and the model's shock excludes
  it, so the truth adds 1 g. At 100 Hz the kernel's loading rate reads low
  (a 20-80 % rise of ~20 ms spans two samples); that bias is part of the result.
"""

from __future__ import annotations

import json
import math
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from stridefw import balance as fw_balance
from stridefw import config as fw_config
from stridefw import records as R
from stridekit.eval.matching import score
from stridekit.progress import count_bar
from stridekit.replay import replay
from stridekit.session import read_sessions, unwrap_u32

FAULT_DEADLINE_S = 2.0
LLD_LEVELS = (0.5, 1.0, 1.5, 2.0, 3.0)
# simulated truth is exact: the tolerance only bounds which detections may pair
EVENT_TOL_S = 0.1


@dataclass
class RunnerResult:
    id: str
    group: str
    contact_err_s: list[float] = field(default_factory=list)
    toe_err_s: list[float] = field(default_factory=list)
    missed: int = 0
    extra: int = 0
    final_flags: list[int] = field(default_factory=lambda: [0, 0])
    fault_latency_s: float | None = None  # on the faulty pod, from true onset
    any_fault_flag: bool = False  # a cell flagged faulty
    imu_loss_flags: int = 0  # IMU-lost flags (true events: the simulator drops IMU data too)
    uneven: bool = False
    side: int = 0  # +1 left more loaded, -1 right
    si_pm: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    lld_cm: float = 0.0
    short_side: int = 0
    toning: bool = False
    hard_truth: bool = False
    identical: bool = True
    error: str = ""


def _foot_index(name: str | None) -> int:
    return 0 if name == "left" else 1


def evaluate_runner(corpus_dir: str, runner: dict[str, Any]) -> RunnerResult:
    cond = runner["conditions"]
    res = RunnerResult(id=runner["id"], group=runner["group"])
    res.lld_cm = float(cond.get("lld_cm") or 0.0)
    short = cond.get("lld_short_side")
    res.short_side = (1 if short == "left" else -1) if short else 0
    res.toning = bool(cond.get("toning"))
    feet = runner.get("feet", {})
    res.hard_truth = any(
        f.get("loading_rate_bw_s", 0) > fw_config.HARD_LR_BW_S
        or f.get("shock_g", 0) + 1.0 > fw_config.HARD_SHOCK_MG / 1000  # gravity included
        for f in feet.values()
    )
    fault = cond.get("fault") or None
    try:
        sessions = read_sessions(Path(corpus_dir) / runner["file"])
    except Exception as e:  # a broken file is a finding, not a crash
        res.error = str(e)
        return res
    bal = fw_balance.Balance()
    events: list[tuple[int, int, bytes]] = []
    for s in sessions:
        foot = s.header.foot
        rp = replay(s)
        res.identical &= rp.steps_identical and rp.flags_identical
        contact, toe = s.step_times_s()
        ref_c = s.ref_times_s(R.REF_CONTACT)
        ref_t = s.ref_times_s(R.REF_TOE_OFF)
        keep = contact >= (ref_c[0] - 0.05 if len(ref_c) else 0)  # drop a truncated first step
        sc = score(ref_c, contact[keep], EVENT_TOL_S)
        st = score(ref_t, toe[keep], EVENT_TOL_S)
        res.contact_err_s += sc.errors_s
        res.toe_err_s += st.errors_s
        res.missed += sc.fn
        res.extra += sc.fp
        flags = 0
        t_samples = s.sample_t_us
        for at, p in zip(rp.output.flag_at, rp.output.flag_payloads, strict=True):
            f = R.Flag.from_bytes(p)
            flags = f.flags
            if f.flags & fw_config.FLAG_SENSOR_FAULT:
                if f.fault_cells:
                    res.any_fault_flag = True
                if not f.imu_ok and f.changed & fw_config.FLAG_SENSOR_FAULT:
                    res.imu_loss_flags += 1
                if fault and _foot_index(fault.get("foot")) == foot and res.fault_latency_s is None:
                    t_flag = float(t_samples[at]) / 1e6
                    if t_flag >= fault["onset_device_s"] - 0.5:
                        res.fault_latency_s = t_flag - float(fault["onset_device_s"])
        res.final_flags[foot] = flags
        c_us = unwrap_u32(np.array([x.contact_us for x in rp.steps], dtype=np.int64))
        events += [(int(c), foot, p) for c, p in zip(c_us, rp.output.step_payloads, strict=True)]
    # both feet's steps in time order (the pods' clocks differ by < 1 s: the
    # exponentially weighted per-foot means do not depend on exact interleaving)
    for _, foot, p in sorted(events, key=lambda e: (e[0], e[1])):
        bal.add_step(foot, p)
    res.uneven = bal.uneven
    res.side = bal.side
    res.si_pm = list(bal.si_pm)
    return res


def _rate(hits: int, n: int) -> str:
    return f"{hits}/{n} ({hits / n:.0%})" if n else "-"


@dataclass
class CorpusReport:
    results: list[RunnerResult]

    def by_group(self, group: str) -> list[RunnerResult]:
        return [r for r in self.results if r.group == group]

    def timing(self) -> dict[str, float]:
        c = np.abs(np.concatenate([r.contact_err_s for r in self.results] or [[]])) * 1000
        t = np.abs(np.concatenate([r.toe_err_s for r in self.results] or [[]])) * 1000
        matched = len(c)
        missed = sum(r.missed for r in self.results)
        extra = sum(r.extra for r in self.results)
        return {
            "contact_median_ms": float(np.median(c)) if matched else math.nan,
            "contact_p95_ms": float(np.percentile(c, 95)) if matched else math.nan,
            "toe_median_ms": float(np.median(t)) if len(t) else math.nan,
            "toe_p95_ms": float(np.percentile(t, 95)) if len(t) else math.nan,
            "recall": matched / (matched + missed) if matched + missed else math.nan,
            "precision": matched / (matched + extra) if matched + extra else math.nan,
            "steps": matched,
        }

    def uneven_rows(self) -> list[tuple[str, int, int, int]]:
        """(level, n, flagged, right side) per LLD level, plus controls."""
        rows = []
        for level in LLD_LEVELS:
            rs = [r for r in self.by_group("lld") if abs(r.lld_cm - level) < 1e-6]
            flagged = [r for r in rs if r.uneven]
            right_side = sum(1 for r in flagged if r.side == r.short_side)
            rows.append(
                (
                    f"{level:g} cm",
                    len(rs),
                    len(flagged),
                    right_side,
                )
            )
        ctrl = self.by_group("control")
        rows.append(
            (
                "controls",
                len(ctrl),
                sum(r.uneven for r in ctrl),
                0,
            )
        )
        return rows

    def to_dict(self) -> dict[str, Any]:
        ctrl = self.by_group("control")
        faults = self.by_group("fault")
        non_fault = [r for r in self.results if r.group != "fault"]
        toning = self.by_group("toning")
        non_toning = [r for r in self.results if r.group in ("control", "lld")]
        hard = [r for r in self.results if r.hard_truth and r.group != "fault"]
        soft = [r for r in self.results if not r.hard_truth and r.group != "fault"]

        def flag_any(r: RunnerResult, bit: int) -> bool:
            return any(f & bit for f in r.final_flags)

        return {
            "timing": self.timing(),
            "bit_identical": all(r.identical for r in self.results),
            "errors": [f"{r.id}: {r.error}" for r in self.results if r.error],
            "fault_sensitivity": sum(
                1
                for r in faults
                if r.fault_latency_s is not None and r.fault_latency_s <= FAULT_DEADLINE_S
            )
            / max(len(faults), 1),
            "fault_latency_s": [r.fault_latency_s for r in faults],
            "fault_fpr": sum(r.any_fault_flag for r in non_fault) / max(len(non_fault), 1),
            "uneven": {
                lvl: {"n": n, "flagged": f, "side_ok": s} for lvl, n, f, s in self.uneven_rows()
            },
            "uneven_fpr": sum(r.uneven for r in ctrl) / max(len(ctrl), 1),
            "unstable_sensitivity": sum(flag_any(r, fw_config.FLAG_UNSTABLE) for r in toning)
            / max(len(toning), 1),
            "unstable_fpr": sum(flag_any(r, fw_config.FLAG_UNSTABLE) for r in non_toning)
            / max(len(non_toning), 1),
            "hard_sensitivity": sum(flag_any(r, fw_config.FLAG_HARD_IMPACT) for r in hard)
            / len(hard)
            if hard
            else math.nan,
            "hard_n": len(hard),
            "hard_fpr": sum(flag_any(r, fw_config.FLAG_HARD_IMPACT) for r in soft)
            / max(len(soft), 1),
        }


def evaluate_corpus(
    corpus_dir: Path, workers: int = 0, console: Console | None = None
) -> CorpusReport:
    """Replay and score every runner in a corpus written by `stride corpus`."""
    meta = json.loads((corpus_dir / "corpus.json").read_text())
    runners: list[dict[str, Any]] = meta["runners"]
    workers = workers or min(2, len(runners))
    results: list[RunnerResult] = []
    with count_bar(console) as prog:
        task = prog.add_task("replaying", total=len(runners))
        if workers > 1:
            with ProcessPoolExecutor(workers) as pool:
                for r in pool.map(
                    evaluate_runner, [str(corpus_dir)] * len(runners), runners, chunksize=4
                ):
                    results.append(r)
                    prog.advance(task)
        else:
            for runner in runners:
                results.append(evaluate_runner(str(corpus_dir), runner))
                prog.advance(task)
    return CorpusReport(results)


def print_report(rep: CorpusReport, console: Console) -> None:
    d = rep.to_dict()
    t = d["timing"]
    tab = Table(title="Events (kernel vs simulator ground truth)")
    for col in ("event", "|error| median ms", "p95 ms", "recall", "precision", "steps"):
        tab.add_column(col, justify="right")
    tab.add_row(
        "contact",
        f"{t['contact_median_ms']:.2f}",
        f"{t['contact_p95_ms']:.2f}",
        f"{t['recall']:.2%}",
        f"{t['precision']:.2%}",
        str(t["steps"]),
    )
    tab.add_row("toe-off", f"{t['toe_median_ms']:.2f}", f"{t['toe_p95_ms']:.2f}", "", "", "")
    console.print(tab)

    u = Table(title="UNEVEN_LOAD (balance rule at the end of the run) vs leg-length difference")
    for col in (
        "truth",
        "runners",
        "flagged",
        "sensitivity / FPR",
        "side right",
    ):
        u.add_column(col, justify="right")
    for level, n, flagged, side_ok in rep.uneven_rows():
        u.add_row(
            level,
            str(n),
            str(flagged),
            _rate(flagged, n),
            _rate(side_ok, flagged) if level != "controls" else "-",
        )
    console.print(u)

    f = Table(title="Flags")
    for col in ("flag", "sensitivity", "false-positive rate", "note"):
        f.add_column(col)
    faults = rep.by_group("fault")
    lat = [r.fault_latency_s for r in faults if r.fault_latency_s is not None]
    f.add_row(
        "SENSOR_FAULT",
        f"{d['fault_sensitivity']:.0%} of {len(faults)} within {FAULT_DEADLINE_S:g} s",
        f"{d['fault_fpr']:.1%}",
        (
            f"latency median {np.median(lat):.2f} s, max {max(lat):.2f} s"
            if lat
            else "no fault flagged"
        )
        + f"; IMU dropouts flagged on healthy pods (true events): "
        f"{sum(r.imu_loss_flags for r in rep.results if r.group != 'fault')}",
    )
    f.add_row(
        "UNSTABLE",
        f"{d['unstable_sensitivity']:.0%} of {len(rep.by_group('toning'))} toning",
        f"{d['unstable_fpr']:.1%}",
        "vs controls + LLD runners",
    )
    f.add_row(
        "HARD_IMPACT",
        f"{d['hard_sensitivity']:.0%} of {d['hard_n']}"
        if d["hard_n"]
        else "no hard impacts in corpus",
        f"{d['hard_fpr']:.1%}",
        "truth: model LR > 100 BW/s or shock + 1 g > 10 g",
    )
    console.print(f)
    console.print(
        f"replay bit-identical to the pods' records: {'yes' if d['bit_identical'] else 'NO'}"
    )
    for err in d["errors"]:
        console.print(f"[red]unreadable: {err}[/]")
