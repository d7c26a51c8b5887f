"""`stride corpus` and `stride plan`, and the options of `stride sim`, for the stride command.

cli/main.py wires this in with `sim.register(app)`; `stride sim` builds its
RunnerParams with `params_from_options(...)` (the option list is in its docstring).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from stridekit.paths import check_out_dir
from stridekit.progress import count_bar
from stridekit.sim import conditions as C
from stridekit.sim import sensor as S
from stridekit.sim.gait import RunnerParams, check_params
from stridekit.tables import add_number, add_text, compact_table, print_legend, print_table

console = Console()


def params_from_options(
    *,
    seed: int = 0,
    minutes: float = 2.0,
    gait: str = "run",
    speed: float = 3.0,
    cadence: float = 170.0,
    mass: float = 70.0,
    strike: str = "heel",
    cells: int = 8,
    rate: int = 100,
    imu: bool = True,
    lld: float = 0.0,
    lld_side: str = "left",
    toning: bool = False,
    instability: float | None = None,
    cushioning: str = "conventional",
    fatigue: float = 0.0,
    fault: str = "",
    fault_foot: str = "left",
    fault_cell: int = 0,
    fault_at: float = 30.0,
    realistic: bool = False,
    clock_ppm: float = 0.0,
    clock_offset: float = 0.0,
    tick_offset: int = 0,
    imu_dropout_rate: float = 0.0,
) -> RunnerParams:
    """RunnerParams from `stride sim` options; raises typer.BadParameter when invalid.

    New `stride sim` options (typer names, default, help):

    --lld FLOAT 0.0            leg-length difference, cm (0-3)
    --lld-side TEXT left       the LONGER limb: left or right
    --toning / --no-toning     unstable toning sole (instability 1)
    --instability FLOAT        0..1 instead of --toning (1: MBT at first use)
    --cushioning TEXT          conventional or maximal
    --fatigue FLOAT 0.0        fatigue reached at the end of the run, 0..1
    --fault TEXT ""            stuck, open, saturated or imu_lost
    --fault-foot TEXT left     foot with the fault
    --fault-cell INT 0         faulty cell (cell faults)
    --fault-at FLOAT 30.0      fault onset, s from the start (true time)
    --realistic / --ideal      FSR spread, hysteresis, creep, drift, preload (data-sheet values)
    --clock-ppm FLOAT 0.0      right pod's clock error vs the left's, ppm
    --clock-offset FLOAT 0.0   right pod starts recording this many s after the left
    --tick-offset INT 0        both pods' raw ticks_us at session start (wrap test)
    --imu-dropout-rate FLOAT 0 IMU read failures per second (each ~0.3 s)
    """
    feet = {"left": 0, "right": 1}
    if fault_foot not in feet or lld_side not in feet:
        raise typer.BadParameter("--fault-foot and --lld-side take left or right")
    if fault and fault not in S.FAULT_KINDS:
        raise typer.BadParameter(f"--fault takes one of {', '.join(S.FAULT_KINDS)}")
    if cushioning not in C.CUSHIONING:
        raise typer.BadParameter(f"--cushioning takes one of {', '.join(C.CUSHIONING)}")
    inst = instability if instability is not None else (1.0 if toning else 0.0)
    p = RunnerParams(
        speed_m_s=speed,
        cadence_spm=cadence,
        mass_kg=mass,
        gait=gait,
        strike=strike,
        duration_s=minutes * 60,
        rate_hz=rate,
        cells=cells,
        has_imu=imu,
        seed=seed,
        lld_cm=lld,
        lld_side=lld_side,
        instability=inst,
        cushioning=cushioning,
        fatigue=fatigue,
        fault_kind=fault,
        fault_foot=feet[fault_foot] if fault else 0,
        fault_cell=fault_cell if fault else 0,
        fault_onset_s=fault_at if fault else 0.0,
        clock_offset_s=(0.0, clock_offset),
        clock_ppm=(0.0, clock_ppm),
        tick_offset_us=(tick_offset & S.TICKS_MASK, tick_offset & S.TICKS_MASK),
        imu_dropout_rate_hz=imu_dropout_rate,
    )
    if realistic:
        from dataclasses import replace

        p = replace(p, half_force_cv=0.06, hysteresis=0.10, creep=0.03, drift=0.02, preload_n=2.0)
    try:
        check_params(p)
    except ValueError as e:
        raise typer.BadParameter(str(e)) from e
    return p


def corpus(
    out: Annotated[
        Path,
        typer.Option(help="Folder for the sessions and corpus.json (made; its parent must exist)."),
    ] = Path("corpus"),
    n: Annotated[int, typer.Option(help="Number of runners.")] = 200,
    seed: Annotated[int, typer.Option(help="Random seed; same seed, same corpus.")] = 0,
    minutes: Annotated[float, typer.Option(help="Length of each run.")] = 2.0,
    workers: Annotated[int, typer.Option(help="Worker processes (0: one per CPU).")] = 0,
    natural_asym: Annotated[
        float, typer.Option(help="Scale on healthy runners' own asymmetry (1: literature).")
    ] = 1.0,
    ideal_sensors: Annotated[
        bool, typer.Option(help="Ideal FSRs and clocks (no spread, drift, jitter).")
    ] = False,
    cells: Annotated[int, typer.Option(help="8 or 16 cells; 0: each runner at random.")] = 0,
    findings: Annotated[
        bool,
        typer.Option(
            "--findings",
            help="The findings mix for `stride eval --findings`: 35 % controls, 40 % "
            "leg-length differences of 1, 2 and 3 cm, 25 % toning soles, no sensor faults; "
            "each runner's pods first learn an UNSTABLE reference from a run in usual shoes.",
        ),
    ] = False,
) -> None:
    """Simulate a corpus of runners (controls, leg-length differences, toning shoes, sensor faults)."""
    from stridekit.sim.corpus import CorpusSpec, generate_corpus

    if cells not in (0, 8, 16):
        raise typer.BadParameter("--cells takes 0, 8 or 16")
    check_out_dir(out)
    spec = CorpusSpec(
        minutes=minutes,
        natural_asym=natural_asym,
        realistic_sensors=not ideal_sensors,
        cells=cells,
    )
    if findings:
        spec = replace(spec, **FINDINGS_MIX)  # type: ignore[arg-type]
    with count_bar(console, transient=False) as bar:
        task = bar.add_task("simulating runners", total=n)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        path = generate_corpus(out, n, seed, spec=spec, workers=workers or None, progress=tick)
    import json

    rows = json.loads(path.read_text())["runners"]
    t = compact_table(f"{out}: {n} runners")
    add_text(t, "group")
    add_number(t, "runners")
    add_text(t, "detail")
    for g in ("control", "lld", "toning", "fault"):
        sel = [r for r in rows if r["group"] == g]
        detail = ""
        if g == "lld":
            levels = sorted({r["conditions"]["lld_cm"] for r in sel})
            detail = ", ".join(
                f"{x:g} cm: {sum(r['conditions']['lld_cm'] == x for r in sel)}" for x in levels
            )
        elif g == "fault":
            kinds = sorted({r["conditions"]["fault"]["kind"] for r in sel})
            detail = ", ".join(
                f"{k}: {sum(r['conditions']['fault']['kind'] == k for r in sel)}" for k in kinds
            )
        t.add_row(g, str(len(sel)), detail)
    print_table(console, t)
    console.print(f"ground truth: [bold]{path}[/] and {path.with_suffix('.csv')}")


def plan(
    out: Annotated[
        Path,
        typer.Option(help="Folder for the sessions and plan.json (made; its parent must exist)."),
    ] = Path("plan"),
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    start: Annotated[str, typer.Option(help="First week (ISO date).")] = "2026-03-02",
    weeks_steady: Annotated[int, typer.Option(help="Steady weeks before the jump.")] = 4,
    jump: Annotated[float, typer.Option(help="Jump in weekly minutes, %.")] = 50.0,
    weeks_after: Annotated[int, typer.Option(help="Weeks at the higher load.")] = 2,
    sessions: Annotated[int, typer.Option(help="Sessions per week (3, 4 or 5).")] = 4,
    week_minutes: Annotated[float, typer.Option(help="Steady weekly running time.")] = 150.0,
    speed: Annotated[float, typer.Option(help="Easy speed, m/s.")] = 3.0,
    pace_jump: Annotated[float, typer.Option(help="Speed increase with the jump, %.")] = 0.0,
    sim_minutes: Annotated[
        float, typer.Option(help="Cap on simulated minutes per session (0: full length).")
    ] = 0.0,
    raw: Annotated[
        bool,
        typer.Option(
            "--raw/--steps-only",
            help="Also store every raw sample (~0.6 MB a minute, for replay); by default the "
            "pods record steps only, as with raw capture off.",
        ),
    ] = False,
    workers: Annotated[int, typer.Option(help="Worker processes (0: one per CPU).")] = 0,
) -> None:
    """Simulate a training plan: steady weeks, then a sudden jump in weekly load."""
    from stridekit.sim.plan import session_plan, weekly_load, write_plan

    try:
        first = dt.date.fromisoformat(start)
    except ValueError as e:
        raise typer.BadParameter(f"--start: {e}") from e
    check_out_dir(out)
    sp = session_plan(
        first,
        weeks_steady=weeks_steady,
        jump_pct=jump,
        weeks_after=weeks_after,
        sessions_per_week=sessions,
        week_minutes=week_minutes,
        speed_m_s=speed,
        pace_jump_pct=pace_jump,
        seed=seed,
    )
    import os

    runner = RunnerParams(speed_m_s=speed, seed=seed)
    n_workers = workers or min(len(sp), os.cpu_count() or 1) or 1
    with count_bar(console, transient=False) as bar:
        task = bar.add_task("simulating sessions", total=len(sp))

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        path = write_plan(
            out,
            sp,
            runner,
            weeks_steady,
            sim_minutes or None,
            raw=raw,
            workers=n_workers,
            progress=tick,
        )
    t = compact_table(f"{out}: weekly load")
    for col in ("week", "minutes", "km", "change %", "ACWR"):
        add_number(t, col)
    add_text(t, "", min_width=4)
    for w in weekly_load(sp, weeks_steady):
        t.add_row(
            str(w.week),
            f"{w.minutes:.0f}",
            f"{w.km:.1f}",
            "-" if w.change_pct != w.change_pct else f"{w.change_pct:+.0f}",
            "-" if w.acwr != w.acwr else f"{w.acwr:.2f}",
            "jump" if w.jump else "",
        )
    print_table(console, t)
    print_legend(console, {"ACWR": "acute:chronic ratio, this week over the mean of four"})
    console.print(f"ground truth: [bold]{path}[/]")


def register(app: typer.Typer) -> None:
    """Add `stride corpus` and `stride plan` to the stride command."""
    app.command(name="corpus")(corpus)
    app.command(name="plan")(plan)


# `stride corpus --findings`: groups large enough for 95 % intervals per finding
FINDINGS_MIX: dict[str, object] = {
    "frac_lld": 0.40,
    "lld_levels_cm": (1.0, 2.0, 3.0),
    "frac_toning": 0.25,
    "frac_fault": 0.0,
    "reference_session": True,
}
