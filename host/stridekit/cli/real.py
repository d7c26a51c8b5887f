"""`stride import`, `stride export` and the real-data evaluation, mounted by cli/main.py.

cli/main.py calls `register(app)`; `stride eval --real PATH` calls `run_eval_real`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from stridefw import records as R
from stridekit.errors import StrideError
from stridekit.paths import check_out_dir, check_out_file

console = Console()
err_console = Console(stderr=True, soft_wrap=True)  # paths in messages stay greppable


def import_(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Session files (.strd) or folders of them; with --format, a dataset folder "
            "or one record's file."
        ),
    ],
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="gaitpdb, gaitndd, ipol or gaitmap (published datasets, written to --out); "
            "without it, StrideKit session files go into the library.",
        ),
    ] = None,
    out: Annotated[Path, typer.Option(help="Folder for the session files.")] = Path("imported"),
    keep_rate: Annotated[
        bool,
        typer.Option(
            help="Keep the published rate instead of the pod's ~100 Hz (gaitndd, gaitmap)."
        ),
    ] = False,
    library: Annotated[
        Path | None, typer.Option(help="Library for session files (no --format).")
    ] = None,
) -> None:
    """Import session files into the library, or (--format) published gait recordings as
    session files (raw samples, the kernel's steps as a pod records them, and the
    dataset's reference events)."""
    from stridekit.importers import FORMATS, import_to

    if format is None:
        from stridekit.cli.library import import_sessions

        raise typer.Exit(import_sessions(paths, library))
    if format not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}")
    if len(paths) != 1:
        raise typer.BadParameter("--format imports one dataset folder or record file at a time")
    path = paths[0]
    try:
        check_out_dir(out)
        with err_console.status(f"importing {format} records from {path}") as status:

            def one_done(name: str) -> None:
                status.update(f"importing {format}: {name} done")

            done = import_to(format, path, out, keep_rate, one_done)
    except (OSError, StrideError) as e:
        err_console.print(f"[red]error:[/] {e}")
        raise typer.Exit(2) from e
    t = Table(title=f"{format}: {len(done)} record(s) -> {out}")
    for col in ("file", "foot", "samples", "Hz", "kernel steps", "ref events", "data issues"):
        t.add_column(col, justify="left" if col in ("file", "notes") else "right")
    for dest, rec, rr in done:
        for foot, ko, hdr in zip(rec.feet, rr.outputs, rr.headers, strict=True):
            kinds = {R.REF_CONTACT: 0, R.REF_TOE_OFF: 0}
            for r in foot.refs:
                kinds[r.kind] = kinds.get(r.kind, 0) + 1
            src = {r.source for r in foot.refs}
            t.add_row(
                dest.name,
                "left" if foot.foot == 0 else "right",
                str(len(foot.t_us)),
                str(hdr.rate_hz),
                str(len(ko.step_payloads)),
                f"{kinds[R.REF_CONTACT]} IC, {kinds[R.REF_TOE_OFF]} TO (source {','.join(map(str, sorted(src))) or '-'})",
                "; ".join(foot.issues) or "-",
            )
    console.print(t)


def export(
    file: Annotated[
        Path, typer.Argument(help="Session file (.strd), or library session ids: 3 or 3,4.")
    ],
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="csv (steps), samples (raw samples CSV), fit (FIT activity), c3d (lab analog data).",
        ),
    ] = "csv",
    out: Annotated[
        Path | None,
        typer.Option(help="File to write (default: standard output; fit and c3d need it)."),
    ] = None,
    speed: Annotated[
        float | None,
        typer.Option(help="fit: running speed, m/s (a treadmill's), instead of the foot IMU's."),
    ] = None,
    library: Annotated[Path | None, typer.Option(help="Library for session ids.")] = None,
) -> None:
    """Export sessions: steps as CSV (schema in the README), raw samples, FIT or C3D."""
    from stridekit.export import exporter, file_exporter, names
    from stridekit.session import read_sessions

    binary = file_exporter(format)
    fn = None
    if binary is None:
        try:
            fn = exporter(format)
        except ValueError as e:
            raise typer.BadParameter(f"--format must be one of {', '.join(names())}") from e
    elif out is None:
        raise typer.BadParameter(f"--format {format} writes a binary file: give --out")
    try:
        if out is not None:
            check_out_file(out)
        if not file.exists() and all(x.strip().isdigit() for x in str(file).split(",")):
            from stridekit.library import Library

            with Library(library) as lib:
                ids = [int(x) for x in str(file).split(",")]
                sessions = [lib.load(i) for i in ids]
        else:
            sessions = read_sessions(file)
    except (OSError, StrideError) as e:
        err_console.print(f"[red]error:[/] {e}")
        raise typer.Exit(2) from e
    for s in sessions:
        for iss in s.issues:
            where = f"byte {iss.offset}" if iss.offset >= 0 else "file"
            err_console.print(f"[yellow]warning[/] ({s.foot}): {where}: {iss.reason}")
        if not s.steps and len(s.sample_t_us):
            # no stored steps (e.g. a raw capture): the kernel's, replayed
            from stridekit.replay import replay

            res = replay(s)
            s.steps = res.steps
            s.step_payloads = res.output.step_payloads
            err_console.print(f"{s.foot}: no stored steps; exported the {len(s.steps)} replayed")
    if binary is not None and out is not None:
        try:
            with err_console.status(f"writing {format} to {out}"):
                if format == "fit":  # the one format with an option of its own
                    from stridekit.export.fit import export_fit

                    res = export_fit(sessions, out, speed)
                else:
                    res = binary(sessions, out)
        except (OSError, StrideError) as e:
            err_console.print(f"[red]error:[/] {e}")
            raise typer.Exit(2) from e
        for note in res.notes:
            err_console.print(f"[yellow]note[/]: {note}")
        err_console.print(f"wrote {res.n} {res.what} to {out}")
        return
    assert fn is not None  # a text format from here on
    if out is None:
        n = fn(sessions, sys.stdout)
    else:
        with out.open("w", newline="") as f:
            n = fn(sessions, f)
        err_console.print(f"wrote {n} steps to {out}")


def run_eval_real(
    real: Path,
    workers: int = 0,
    strict: bool = False,
    out: Console | None = None,
    datasets: Sequence[str] | None = None,
    mpy_records: int = 1,
) -> int:
    """`stride eval --real PATH`: print the validation; the exit code for typer.Exit.

    0, or 1 when `strict` and a measurable goal is missed; 2 when PATH is not a folder
    or holds none of the datasets (a wrong path must not pass as "no goal missed").
    """
    from stridekit.eval.real import collect
    from stridekit.eval.real_tables import print_report
    from stridekit.importers import FORMATS
    from stridekit.progress import count_bar

    out = out or console
    if not real.is_dir():
        err_console.print(f"[red]error:[/] {real}: not a folder")
        return 2
    try:
        with count_bar(err_console) as bar:
            task = bar.add_task("records", total=None)

            def step(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            rep = collect(real, workers, datasets, mpy_records, on_record=step)
    except (OSError, StrideError) as e:
        err_console.print(f"[red]error:[/] {e}")
        return 2
    if not rep.results:
        folders = ", ".join(f"{f.folder}/" for f in FORMATS.values())
        err_console.print(f"[red]error:[/] {real}: no recordings found (looked for {folders})")
        return 2
    print_report(rep, out)
    return 1 if strict and not rep.goals_met else 0


def register(app: typer.Typer) -> None:
    """Add `import` and `export` to the `stride` app."""
    app.command("import")(import_)
    app.command("export")(export)
