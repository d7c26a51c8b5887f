"""A seeded corpus of simulated runners with one ground-truth file for the whole set.

`generate_corpus(out_dir, n, seed)` writes, per runner, `rNNN.strd` (both pods'
sessions, recorded through the firmware kernel as a pod would) with `rNNN.truth.json`
(stridekit.sim.record), `rNNN.steps.json` (every step's ground truth in true time,
and each pod's clock), and for the corpus `corpus.json` plus a flat `corpus.csv`:
per runner its group, conditions, traits, sensor fault and the true left/right
figures of the generated forces.

Population (CorpusSpec, documented in MODEL.md): groups are exclusive so that a
flag's sensitivity and false-positive rate can be read against clean controls:
a third with a leg-length difference spread evenly over {0.5, 1, 1.5, 2, 3} cm (long
side random), 15 % in unstable toning shoes, 15 % with one sensor fault, the rest
healthy controls. Every runner, control or not, has the nuisances a real group
has: its own speed, cadence, mass, strike pattern and variability, a natural
left/right asymmetry drawn from Girard et al. 2019, FSR spread, hysteresis, creep
and drift, jittery sampling, and two pod clocks with their own offset and drift.
"""

from __future__ import annotations

import csv
import json
import math
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np

from stridekit.sim import conditions as C
from stridekit.sim import sensor as S
from stridekit.sim.gait import RunnerParams, SimRun, StepTruth, simulate

GROUPS = ("control", "lld", "toning", "fault")


@dataclass(frozen=True)
class CorpusSpec:
    """How runners are drawn; defaults are the 200-runner evaluation corpus (stride eval CORPUS)."""

    minutes: float = 2.0
    frac_lld: float = 1 / 3
    lld_levels_cm: tuple[float, ...] = (0.5, 1.0, 1.5, 2.0, 3.0)
    frac_toning: float = 0.15
    toning_instability: float = 1.0  # first use of an MBT-like sole (Stöggl 2010)
    frac_fault: float = 0.15
    fault_kinds: tuple[str, ...] = S.FAULT_KINDS
    frac_walk: float = 0.10  # slow walkers among every group
    natural_asym: float = 1.0  # scale on conditions.NATURAL_ASYM_SD (0: symmetric runners)
    realistic_sensors: bool = True
    cells: int = 0  # 8 or 16; 0: each runner 8 or 16 at random
    rate_hz: int = 100
    # each runner first records one session in usual shoes, so its pods learn their
    # UNSTABLE reference as a pod does over a runner's earlier runs
    reference_session: bool = False


@dataclass
class Runner:
    """One drawn runner: id, group and the full simulation parameters."""

    id: str
    group: str
    params: RunnerParams


def with_realistic_sensors(p: RunnerParams, rng: np.random.Generator) -> RunnerParams:
    """Sensor and clock realities for one pair of pods (sources in sensor.py / MODEL.md)."""
    ppm = np.clip(rng.normal(0, 10, 2), -30, 30)
    return replace(
        p,
        half_force_cv=0.06,  # FSR 400: part-to-part +-6 %
        preload_n=float(rng.uniform(0, 3)),  # ASSUMED lacing/insole preload
        hysteresis=0.10,  # FSR 400: +10 % average
        creep=float(rng.uniform(0, 0.05)),  # FSR 400: < 5 % per log10(time)
        drift=float(rng.uniform(0, 0.03)),  # ~+10 C in the shoe at -0.25 %/C (ASSUMED)
        noise_counts=3.0,
        jitter_us=float(rng.uniform(100, 400)),
        sample_drop_prob=0.001,
        imu_dropout_rate_hz=1 / 60,
        imu_dropout_s=0.1,
        clock_offset_s=(0.0, float(rng.uniform(0, 2))),
        clock_ppm=(float(ppm[0]), float(ppm[1])),
        tick_offset_us=(
            int(rng.integers(0, S.TICKS_PERIOD)),
            int(rng.integers(0, S.TICKS_PERIOD)),
        ),
    )


def _groups(n: int, spec: CorpusSpec, rng: np.random.Generator) -> list[str]:
    n_lld = round(n * spec.frac_lld)
    n_ton = round(n * spec.frac_toning)
    n_fault = round(n * spec.frac_fault)
    n_ctl = max(n - n_lld - n_ton - n_fault, 0)
    g = ["lld"] * n_lld + ["toning"] * n_ton + ["fault"] * n_fault + ["control"] * n_ctl
    g = g[:n]
    return [g[i] for i in rng.permutation(len(g))]


def draw_runners(n: int, seed: int, spec: CorpusSpec | None = None) -> list[Runner]:
    """The corpus population, reproducible from the seed alone."""
    spec = spec or CorpusSpec()
    rng = np.random.default_rng([seed & 0xFFFFFFFF, 2024])
    groups = _groups(n, spec, rng)
    runners: list[Runner] = []
    n_lld = 0
    duration = spec.minutes * 60
    for i, group in enumerate(groups):
        r = np.random.default_rng([seed & 0xFFFFFFFF, 2025, i])
        walk = bool(r.random() < spec.frac_walk)
        if walk:
            speed = float(r.uniform(0.8, 1.8))
            cadence = float(np.clip(70 + 33 * speed + r.normal(0, 4), 85, 135))
            strike = "heel"
        else:
            speed = float(np.clip(r.normal(3.2, 0.5), 2.0, 5.5))
            cadence = float(np.clip(140 + 9 * speed + r.normal(0, 6), 150, 200))
            strike = str(r.choice(["heel", "mid", "fore"], p=[0.85, 0.10, 0.05]))
        sd = C.NATURAL_ASYM_SD
        a = spec.natural_asym
        p = RunnerParams(
            speed_m_s=speed,
            cadence_spm=cadence,
            mass_kg=float(np.clip(r.normal(70, 11), 45, 110)),
            gait="walk" if walk else "run",
            strike=strike,
            duration_s=duration,
            rate_hz=spec.rate_hz,
            cells=spec.cells or int(r.choice([8, 16])),
            stride_cv=float(r.uniform(0.015, 0.03)),
            stance_cv=float(r.uniform(0.02, 0.04)),
            cop_ml_sd_mm=float(r.uniform(1.5, 3.5)),
            asym_stance=float(r.normal(0, sd["stance"] * a)),
            asym_step=float(r.normal(0, sd["step"] * a)),
            asym_loading_rate=float(r.normal(0, sd["loading_rate"] * a)),
            seed=int(r.integers(0, 2**30)),
        )
        if spec.realistic_sensors:
            p = with_realistic_sensors(p, r)
        if group == "lld":
            level = spec.lld_levels_cm[n_lld % len(spec.lld_levels_cm)]
            n_lld += 1
            p = replace(p, lld_cm=level, lld_side=str(r.choice(C.SIDES)))
        elif group == "toning":
            p = replace(p, instability=spec.toning_instability)
        elif group == "fault":
            kind = str(r.choice(list(spec.fault_kinds)))
            p = replace(
                p,
                fault_kind=kind,
                fault_foot=int(r.integers(0, 2)),
                fault_cell=int(r.integers(0, p.cells)),
                fault_onset_s=float(r.uniform(0.25, 0.75) * duration),
            )
        runners.append(Runner(f"r{i:03d}", group, p))
    return runners


def _nan_to_none(x: object) -> object:
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, dict):
        return {k: _nan_to_none(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_nan_to_none(v) for v in x]
    return x


def _si(left: float, right: float) -> float:
    """Symmetry index, % (Robinson 1987): 100 (L - R) / mean(L, R)."""
    m = (left + right) / 2
    return 100 * (left - right) / m if m else math.nan


def foot_summary(tr: StepTruth, bw_n: float) -> dict[str, float]:
    """Means of the true per-step figures of one foot."""
    if len(tr) == 0:
        return {"steps": 0}
    return {
        "steps": len(tr),
        "stance_ms": float(np.mean(tr.stance_s) * 1000),
        "peak_bw": float(np.mean(tr.peak_force_n) / bw_n),
        "loading_rate_bw_s": float(np.mean(tr.loading_rate_n_s) / bw_n),
        "impulse_bw_s": float(np.mean(tr.impulse_ns) / bw_n),
        "strike_index": float(np.mean(tr.strike_index)),
        "cop_x_mean_mm": float(np.mean(tr.cop_x_mean_mm)),
        "cop_ml_sd_mm": float(np.std(tr.cop_x_mean_mm)),
        "shock_g": float(np.mean(tr.shock_g)),
    }


def run_summary(run: SimRun) -> dict[str, object]:
    """Conditions, clocks and the true left/right figures of one simulated run."""
    p = run.params
    bw = p.mass_kg * 9.81
    feet = [foot_summary(f.truth, bw) for f in run.feet]
    sym: dict[str, float] = {}
    for k in ("stance_ms", "peak_bw", "loading_rate_bw_s", "impulse_bw_s", "cop_ml_sd_mm"):
        if k in feet[0] and k in feet[1]:
            sym[k] = _si(feet[0][k], feet[1][k])
    fault = None
    for f in run.feet:
        if f.fault is not None:
            fault = {
                "kind": f.fault.kind,
                "foot": C.SIDES[f.foot],
                "cell": f.fault.cell if f.fault.kind != "imu_lost" else None,
                "onset_true_s": f.fault.onset_s,
                "onset_device_s": float(f.to_device_s(np.array([f.fault.onset_s]))[0]),
                "first_sample": f.fault_index,
            }
    return {
        "conditions": {
            "lld_cm": p.lld_cm,
            "lld_long_side": p.lld_side if p.lld_cm > 0 else None,
            "lld_short_side": p.short_side if p.lld_cm > 0 else None,
            "toning": p.toning,
            "instability": p.instability,
            "cushioning": p.cushioning,
            "fatigue": p.fatigue,
            "fault": fault,
        },
        "traits": {
            "gait": p.gait,
            "speed_m_s": p.speed_m_s,
            "cadence_spm": p.cadence_spm,
            "mass_kg": p.mass_kg,
            "strike": p.strike,
            "cells": p.cells,
            "rate_hz": p.rate_hz,
            "natural_asym": {
                "stance": p.asym_stance,
                "step": p.asym_step,
                "loading_rate": p.asym_loading_rate,
            },
        },
        "clocks": [
            {
                "foot": C.SIDES[f.foot],
                "offset_s": f.clock_offset_s,
                "ppm": f.clock_ppm,
                "tick_offset_us": f.tick_offset_us,
                "partial_start": f.partial_start,
            }
            for f in run.feet
        ],
        "feet": {C.SIDES[i]: s for i, s in enumerate(feet)},
        "symmetry_index_pct": sym,
    }


def steps_dict(run: SimRun) -> dict[str, object]:
    """Every step's ground truth per foot (true time), with each pod's clock."""
    out: dict[str, object] = {"params": asdict(run.params), "feet": []}
    feet: list[dict[str, object]] = []
    for f in run.feet:
        tr = f.truth
        d: dict[str, object] = {
            "foot": C.SIDES[f.foot],
            "clock_offset_s": f.clock_offset_s,
            "clock_ppm": f.clock_ppm,
            "tick_offset_us": f.tick_offset_us,
            "partial_start": f.partial_start,
        }
        for k in tr.__dataclass_fields__:
            d[k] = np.round(getattr(tr, k), 6).tolist()
        feet.append(d)
    out["feet"] = feet
    return out


def _make_one(args: tuple[str, str, RunnerParams, str, bool]) -> dict[str, object]:
    """Worker: simulate one runner, write its files, return its corpus row."""
    from stridekit.sim.record import learn_references, write_run

    rid, group, p, out, with_reference = args
    out_dir = Path(out)
    refs = None
    if with_reference:
        # an earlier run in the runner's usual shoes, with its own noise
        usual = replace(p, instability=0.0, fault_kind="", seed=(p.seed + 7919) % 2**30)
        refs = learn_references(simulate(usual))
    run = simulate(p)
    write_run(run, out_dir / f"{rid}.strd", out_dir / f"{rid}.truth.json", references=refs)
    (out_dir / f"{rid}.steps.json").write_text(json.dumps(_nan_to_none(steps_dict(run))))
    return {"id": rid, "group": group, "file": f"{rid}.strd", "seed": p.seed} | run_summary(run)


def _csv_row(row: dict[str, object]) -> dict[str, object]:
    cond = row["conditions"]
    traits = row["traits"]
    sym = row["symmetry_index_pct"]
    assert isinstance(cond, dict) and isinstance(traits, dict) and isinstance(sym, dict)
    fault = cond.get("fault") or {}
    assert isinstance(fault, dict)
    asym = traits["natural_asym"]
    assert isinstance(asym, dict)
    return {
        "id": row["id"],
        "group": row["group"],
        "file": row["file"],
        "lld_cm": cond["lld_cm"],
        "lld_long_side": cond["lld_long_side"] or "",
        "toning": int(bool(cond["toning"])),
        "fault_kind": fault.get("kind", ""),
        "fault_foot": fault.get("foot", ""),
        "fault_cell": "" if fault.get("cell") is None else fault.get("cell"),
        "fault_onset_true_s": fault.get("onset_true_s", ""),
        "gait": traits["gait"],
        "speed_m_s": round(float(traits["speed_m_s"]), 3),
        "cadence_spm": round(float(traits["cadence_spm"]), 1),
        "mass_kg": round(float(traits["mass_kg"]), 1),
        "strike": traits["strike"],
        "cells": traits["cells"],
        "asym_stance": round(float(asym["stance"]), 4),
        "asym_step": round(float(asym["step"]), 4),
        "asym_loading_rate": round(float(asym["loading_rate"]), 4),
        **{f"si_{k}": round(float(v), 2) for k, v in sym.items()},
    }


def generate_corpus(
    out_dir: Path,
    n: int = 200,
    seed: int = 0,
    *,
    spec: CorpusSpec | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Write n runners' sessions and the corpus ground truth; returns corpus.json's path.

    Runners are drawn in this process (reproducible from the seed alone), then
    simulated and recorded in a pool of `workers` processes (default: one per CPU;
    1 runs in this process). progress(done, total) is called after each runner.
    """
    spec = spec or CorpusSpec()
    out_dir.mkdir(parents=True, exist_ok=True)
    runners = draw_runners(n, seed, spec)
    tasks = [(r.id, r.group, r.params, str(out_dir), spec.reference_session) for r in runners]
    rows: list[dict[str, object]] = []
    workers = workers or os.cpu_count() or 1
    if workers <= 1:
        for i, t in enumerate(tasks):
            rows.append(_make_one(t))
            if progress:
                progress(i + 1, len(tasks))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for i, row in enumerate(pool.map(_make_one, tasks, chunksize=1)):
                rows.append(row)
                if progress:
                    progress(i + 1, len(tasks))
    truth = {
        "seed": seed,
        "n": n,
        "spec": asdict(spec),
        "natural_asym_sd": C.NATURAL_ASYM_SD,
        "lld_definition": {
            "lld_long_side": "the LONGER limb",
            "effect_per_cm_walking": {
                "loading_rate_short_minus_long": C.LLD_WALK_LR_PER_CM,
                "impact_peak_short_minus_long": C.LLD_WALK_IMPACT_PER_CM,
                "stance_long_minus_short": C.LLD_WALK_STANCE_PER_CM,
                "strike_forward_short": C.LLD_WALK_STRIKE_DY_PER_CM,
            },
            "running": f"{C.LLD_RUN_FACTOR} x the walking effect per cm",
        },
        "symmetry_index": "100 (left - right) / mean(left, right) of the true per-foot means",
        "time": "true session seconds; device time = (true - offset_s) * (1 + ppm 1e-6)",
        "runners": rows,
    }
    path = out_dir / "corpus.json"
    path.write_text(json.dumps(_nan_to_none(truth), indent=1))
    csv_rows = [_csv_row(r) for r in rows]
    with (out_dir / "corpus.csv").open("w", newline="") as fh:
        keys: list[str] = []
        for r in csv_rows:
            keys += [k for k in r if k not in keys]
        w = csv.DictWriter(fh, fieldnames=keys)
        w.writeheader()
        w.writerows(csv_rows)
    return path
