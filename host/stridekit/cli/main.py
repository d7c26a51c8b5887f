"""The `stride` command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.console import Console

from stridefw import records as R
from stridekit.cli.errors import StrideGroup, err_console, fail
from stridekit.errors import StrideError
from stridekit.tables import add_number, add_text, compact_table, print_legend, print_table

app = typer.Typer(
    cls=StrideGroup, help="StrideKit: open shoe-pod firmware and host tools.", no_args_is_help=True
)
console = Console()


def _register_plugins() -> None:
    from stridekit.cli import ble, demo, device, library, real, report, serve, sim

    for group in (sim, real, device, demo, serve, library, report, ble):
        group.register(app)


_register_plugins()


def flag_text(bits: int) -> str:
    from stridekit.export.csv import FLAG_NAMES  # one table of flag names

    return ",".join(name for bit, name in FLAG_NAMES.items() if bits & bit) or "-"


def _measured_mean(rates_n_s: np.ndarray) -> str:
    """Mean loading rate over the steps that have one (0: the kernel measured none)."""
    ok = rates_n_s[rates_n_s > 0]
    return f"{np.mean(ok):.0f}" if len(ok) else "-"


@app.command()
def sim(
    out: Annotated[Path, typer.Option(help="Session file to write (both feet).")] = Path(
        "run.strd"
    ),
    seed: Annotated[int, typer.Option(help="Random seed; same seed, same run.")] = 0,
    minutes: Annotated[float, typer.Option(help="Length of the run.")] = 2.0,
    gait: Annotated[str, typer.Option(help="run or walk.")] = "run",
    speed: Annotated[float, typer.Option(help="Speed, m/s.")] = 3.0,
    cadence: Annotated[float, typer.Option(help="Steps per minute, both feet.")] = 170.0,
    mass: Annotated[float, typer.Option(help="Body mass, kg.")] = 70.0,
    strike: Annotated[str, typer.Option(help="heel, mid or fore.")] = "heel",
    cells: Annotated[int, typer.Option(help="Insole cells: 8 or 16.")] = 8,
    rate: Annotated[int, typer.Option(help="Sample rate, Hz (100 or 200).")] = 100,
    imu: Annotated[bool, typer.Option(help="Simulate the shoe IMU.")] = True,
    lld: Annotated[float, typer.Option(help="Leg-length difference, cm (0-3).")] = 0.0,
    lld_side: Annotated[str, typer.Option(help="The LONGER limb: left or right.")] = "left",
    toning: Annotated[bool, typer.Option(help="Unstable toning sole (instability 1).")] = False,
    instability: Annotated[
        float | None, typer.Option(help="Sole instability 0..1 instead of --toning.")
    ] = None,
    cushioning: Annotated[str, typer.Option(help="conventional or maximal.")] = "conventional",
    fatigue: Annotated[
        float, typer.Option(help="Fatigue reached at the end of the run, 0..1.")
    ] = 0.0,
    fault: Annotated[
        str, typer.Option(help="Sensor fault: stuck, open, saturated or imu_lost.")
    ] = "",
    fault_foot: Annotated[str, typer.Option(help="Foot with the fault.")] = "left",
    fault_cell: Annotated[int, typer.Option(help="Faulty cell.")] = 0,
    fault_at: Annotated[float, typer.Option(help="Fault onset, s.")] = 30.0,
    realistic: Annotated[
        bool,
        typer.Option("--realistic/--ideal", help="FSR spread, hysteresis, creep, drift, jitter."),
    ] = False,
    clock_ppm: Annotated[float, typer.Option(help="Right pod clock drift vs left, ppm.")] = 0.0,
    clock_offset: Annotated[float, typer.Option(help="Right pod clock offset vs left, s.")] = 0.0,
    tick_offset: Annotated[
        int, typer.Option(help="Device tick at session start, us (ticks wrap at 2**30).")
    ] = 0,
    imu_dropout_rate: Annotated[float, typer.Option(help="IMU dropouts per hour.")] = 0.0,
) -> None:
    """Simulate a run and record it as the two pods would (raw samples + their step records)."""
    from stridekit.cli.sim import params_from_options
    from stridekit.paths import check_out_file
    from stridekit.sim.gait import simulate
    from stridekit.sim.record import write_run

    truth = out.with_suffix(".truth.json")
    check_out_file(out)
    check_out_file(truth, "--out (its ground truth)")

    p = params_from_options(
        seed=seed,
        minutes=minutes,
        gait=gait,
        speed=speed,
        cadence=cadence,
        mass=mass,
        strike=strike,
        cells=cells,
        rate=rate,
        imu=imu,
        lld=lld,
        lld_side=lld_side,
        toning=toning,
        instability=instability,
        cushioning=cushioning,
        fatigue=fatigue,
        fault=fault,
        fault_foot=fault_foot,
        fault_cell=fault_cell,
        fault_at=fault_at,
        realistic=realistic,
        clock_ppm=clock_ppm,
        clock_offset=clock_offset,
        tick_offset=tick_offset,
        imu_dropout_rate=imu_dropout_rate,
    )
    with console.status("simulating..."):
        run = simulate(p)
        write_run(run, out, truth)
    n = sum(len(f.truth.contact_s) for f in run.feet)
    console.print(f"wrote [bold]{out}[/] ({out.stat().st_size:,} bytes, {n} steps) and {truth}")


@app.command()
def replay(
    file: Annotated[Path | None, typer.Argument(help="Session file (.strd).")] = None,
    steps: Annotated[int, typer.Option(help="Steps to list per foot (0: none, -1: all).")] = 10,
    all_: Annotated[
        bool, typer.Option("--all", help="Replay every library session (stridekit.batch).")
    ] = False,
    dask: Annotated[
        str | None, typer.Option(help="--all on this Dask scheduler (tcp://HOST:8786), or local.")
    ] = None,
    workers: Annotated[int, typer.Option(help="--all: local processes (0: one per core).")] = 0,
    library: Annotated[Path | None, typer.Option(help="--all: the library.")] = None,
) -> None:
    """Re-run the firmware kernel on a session's raw samples; print steps and a per-foot summary."""
    from stridekit import native
    from stridekit.progress import transfer_bar
    from stridekit.replay_stream import stream_replay

    if all_:
        from stridekit.cli.library import replay_all

        raise typer.Exit(replay_all(library, workers, dask))
    if file is None:
        raise fail("give a session FILE, or --all for the library")
    try:
        # window by window: memory bounded by the window, not the run (replay_stream)
        with transfer_bar(err_console) as bar:
            task = bar.add_task("replaying", total=file.stat().st_size)
            streamed = stream_replay(file, lambda n: bar.advance(task, n))
    except (OSError, StrideError) as e:
        raise fail(str(e)) from e
    if not streamed.streamed:
        console.print(
            f"[yellow]note[/]: read whole (memory grows with the run), not in windows: "
            f"{streamed.why_not_streamed}"
        )
    console.print(f"[dim]{native.status().describe()}[/]")  # compiled or pure (stridekit.native)
    summary = compact_table(f"{file}: per-foot summary")
    add_text(summary, "foot", no_wrap=True, min_width=5)
    for col in ("steps", "spm", "stance", "swing", "peak", "LR", "heel mid fore", "medial"):
        add_number(summary, col)
    add_number(summary, "CoP ML SD")
    add_text(summary, "same", no_wrap=True, min_width=4)
    add_text(summary, "flags")
    exit_code = 0
    for foot in streamed.feet:
        s = foot.session
        for iss in s.issues:
            where = f"byte {iss.offset}" if iss.offset >= 0 else "file"
            console.print(f"[yellow]warning[/] ({s.foot}): {where}: {iss.reason}")
        if foot.reason is not None:
            console.print(f"[yellow]{s.foot}: {foot.reason}[/]")
            continue
        res = foot.result
        if foot.n_samples == 0 or res is None:
            console.print(f"[yellow]{s.foot}: no raw samples to replay[/]")
            continue
        if steps:
            _step_table(res.steps if steps < 0 else res.steps[:steps], s.foot)
        st = res.steps
        if st:
            contact = np.array([x.contact_us for x in st], float)
            cad = 60.0 / (np.median(np.diff(contact)) / 1e6) * 2 if len(st) > 1 else float("nan")
            arr = {f: np.array([getattr(x, f) for x in st], float) for f in R_FIELDS}
            ident = "yes" if res.steps_identical and res.flags_identical else "[red]NO[/]"
            flags = 0
            for fl in res.output.flag_payloads[-1:]:
                flags = int.from_bytes(fl[4:6], "little")
            summary.add_row(
                s.foot,
                str(len(st)),
                f"{cad:.0f}",
                f"{np.mean(arr['stance_us']) / 1000:.0f}",
                f"{np.mean(arr['swing_us'][1:]) / 1000:.0f}" if len(st) > 1 else "-",
                f"{np.mean(arr['peak_force_dn']) / 10:.0f}",
                _measured_mean(arr["loading_rate_n_s"]),
                f"{np.mean(arr['heel_pm']):.0f}/{np.mean(arr['mid_pm']):.0f}/{np.mean(arr['fore_pm']):.0f}",
                f"{np.mean(arr['medial_pm']):.0f}",
                f"{np.std(arr['cop_x_mean_dmm']) / 10:.1f}",
                ident,
                flag_text(flags),
            )
            if s.refs:
                from stridekit.eval.matching import score

                contact, toe = s.step_times_s()
                for name, kind, found in (
                    ("contact", R.REF_CONTACT, contact),
                    ("toe-off", R.REF_TOE_OFF, toe),
                ):
                    sc = score(s.ref_times_s(kind), found, 0.1)
                    console.print(
                        f"{s.foot} {name} vs reference: |error| median {sc.median_ms():.1f} ms, "
                        f"p95 {sc.p95_ms():.1f} ms; recall {sc.recall:.1%}, precision {sc.precision:.1%}"
                    )
            if not (res.steps_identical and res.flags_identical):
                exit_code = 1
                console.print(
                    f"[red]{s.foot}: replay differs from the stored records: {res.first_difference}[/]"
                )
        else:
            summary.add_row(s.foot, "0", *["-"] * 10)
    print_table(console, summary)
    print_legend(console, SUMMARY_LEGEND)
    raise typer.Exit(exit_code)


SUMMARY_LEGEND = {
    "spm": "cadence, steps per minute of both feet (twice this foot's contacts per minute)",
    "stance, swing": "ms",
    "peak": "peak force, N",
    "LR": "loading rate (20-80 % of the impact peak), N/s",
    "heel mid fore, medial": "share of force, per mille",
    "CoP ML SD": "centre of pressure, medial-lateral SD, mm",
    "same": "replay bit-identical to the pod's records",
}
STEP_LEGEND = {
    "contact": "s from the start",
    "stance, swing, ttp": "ms (ttp: time to peak)",
    "peak": "N",
    "LR": "loading rate, N/s",
    "impulse": "N·s",
    "strike": "% of foot length",
    "CoP x, ML": "mean x and medial-lateral range, mm",
    "shock": "g",
}

R_FIELDS = (
    "stance_us",
    "swing_us",
    "peak_force_dn",
    "loading_rate_n_s",
    "heel_pm",
    "mid_pm",
    "fore_pm",
    "medial_pm",
    "cop_x_mean_dmm",
)


def _step_table(steps: list[R.Step], foot: str) -> None:
    t = compact_table(f"{foot} foot: steps")
    for col in (
        "#",
        "contact",
        "stance",
        "swing",
        "peak",
        "ttp",
        "LR",
        "impulse",
        "strike",
        "CoP x",
        "ML",
        "shock",
    ):
        add_number(t, col)
    add_text(t, "flags")
    for x in steps:
        t.add_row(
            str(x.index),
            f"{x.contact_us / 1e6:.3f}",
            f"{x.stance_us / 1000:.1f}",
            f"{x.swing_us / 1000:.1f}" if x.swing_us else "-",
            f"{x.peak_force_dn / 10:.0f}",
            str(x.time_to_peak_ms),
            str(x.loading_rate_n_s),
            f"{x.impulse_dnms / 1e4:.1f}",
            f"{x.strike_pm / 10:.0f}",
            f"{x.cop_x_mean_dmm / 10:.1f}",
            f"{x.cop_ml_range_dmm / 10:.1f}",
            f"{x.shock_mg / 1000:.1f}",
            flag_text(x.flags),
        )
    print_table(console, t)
    print_legend(console, STEP_LEGEND)


@app.command(name="eval")
def eval_cmd(
    corpus: Annotated[
        Path | None, typer.Argument(help="Corpus folder written by `stride corpus`.")
    ] = None,
    real: Annotated[
        Path | None,
        typer.Option(
            "--real", help="Shared data root (../shared/data): validate on real recordings."
        ),
    ] = None,
    workers: Annotated[int, typer.Option(help="Processes (0: up to 2).")] = 0,
    strict: Annotated[
        bool, typer.Option(help="With --real: exit 1 when a measurable goal is missed.")
    ] = False,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Corpus figures also as JSON.")
    ] = None,
    findings: Annotated[
        bool,
        typer.Option(
            "--findings",
            help="Evaluate the report's findings (leg length, footwear): false positives on "
            "real healthy walks (--real) and sensitivity on a simulated CORPUS.",
        ),
    ] = False,
    write_baseline: Annotated[
        bool,
        typer.Option(
            help="With --findings --real: write the healthy baseline fitted on the fit half."
        ),
    ] = False,
    stride_length: Annotated[
        Path | None,
        typer.Option(
            "--stride-length",
            help="Shared data root: foot-IMU stride length and distance against real references.",
        ),
    ] = None,
) -> None:
    """Validate the kernel and flags: a simulated CORPUS, or real recordings with --real."""
    import json

    from stridekit.paths import check_out_file

    if json_out is not None:
        check_out_file(json_out, "--json")
    if stride_length is not None:
        from stridekit.cli.stride import run_eval_stride_length

        raise typer.Exit(run_eval_stride_length(stride_length, console))
    if findings:
        from stridekit.cli.findings import run_eval_findings

        raise typer.Exit(run_eval_findings(corpus, real, workers, write_baseline, console))
    if real is not None:
        from stridekit.cli.real import run_eval_real

        raise typer.Exit(run_eval_real(real, workers=workers, strict=strict))
    if corpus is None:
        raise fail("give a CORPUS folder or --real PATH")
    from stridekit.eval.corpus import evaluate_corpus, print_report

    if not (corpus / "corpus.json").is_file():
        raise fail(f"{corpus}/corpus.json not found (make one with `stride corpus --out DIR`)")
    rep = evaluate_corpus(corpus, workers, console)
    print_report(rep, console)
    if json_out is not None:
        json_out.write_text(json.dumps(rep.to_dict(), indent=1, default=float))


@app.command()
def bench(
    seconds: Annotated[float, typer.Option(help="Simulated seconds per measurement.")] = 20.0,
    chip: Annotated[
        bool,
        typer.Option(
            help="Also estimate the kernel's time per sample on an ESP32 from x86 "
            "instructions counted by valgrind in micropython-unix32 (needs valgrind)."
        ),
    ] = False,
    pystone: Annotated[
        Path | None,
        typer.Option(
            help="pystone_lowmem.py, to count a pystone loop again instead of using the "
            "stored count (not shipped: github.com/micropython/micropython-lib, commit "
            "fa13cbbc8b53e2ec6abbb1b0fa33d085582f3c54, "
            "python-stdlib/pystone_lowmem/pystone_lowmem.py).",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    memory: Annotated[
        bool,
        typer.Option(
            help="Also the peak RSS of stride sim and stride replay on 2, 20 and 120-minute "
            "runs and a 5 h one (minutes of work; `make bench` does it)."
        ),
    ] = False,
    real: Annotated[
        Path | None,
        typer.Option(
            help="Shared data root (../shared/data): also the raw-sample size on real "
            "recordings (gaitpdb control walks).",
            exists=True,
            file_okay=False,
        ),
    ] = None,
) -> None:
    """Kernel speed and memory on CPython and inside the MicroPython interpreters."""
    from stridekit.bench import run_bench

    run_bench(console, seconds, chip, pystone, memory, real)


if __name__ == "__main__":
    app()
