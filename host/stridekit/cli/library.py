"""`stride sessions`, `stride tag`, `stride runners` and the library side of `stride import`.

cli/main.py calls `register(app)`. `stride import FILE...` without --format lands here
through `import_sessions` (cli/real.py keeps the dataset importers behind --format).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from stridekit.errors import StrideError
from stridekit.paths import check_out_dir, check_out_file
from stridekit.tables import add_number, add_text, compact_table, print_legend, print_table

if TYPE_CHECKING:
    from stridekit.library import Library

console = Console()
err_console = Console(stderr=True, soft_wrap=True)  # paths in messages stay greppable

LibraryOption = Annotated[
    Path | None,
    typer.Option(
        "--library",
        help="Library file or folder (default: $STRIDEKIT_LIBRARY, else the user data dir).",
    ),
]


def problems(issues: list[str]) -> list[str]:
    """The issues that are problems: not a pod's note that it kept no raw samples on
    purpose (raw capture off, or stopped when the flash filled; its steps are complete)."""
    from stridefw.store import NOTE_RAW_PREFIX

    return [i for i in issues if not i.startswith(NOTE_RAW_PREFIX)]


def check_library_path(named: Path, option: str = "--library") -> None:
    """Raise BadPath unless a library can live at `named` (a file, or a folder for one).

    The library may be new, but the folder that holds it must exist: a mistyped
    parent is an error, not a new folder tree.
    """
    from stridekit.library import resolve_path

    db = resolve_path(named)
    if db.parent == named:  # a folder: the library makes it, inside an existing one
        check_out_dir(named, option)
    else:
        check_out_file(db, option)


def open_library(path: Path | None) -> Library:
    """The library, or a clear error and exit 2 (imported lazily: `stride --help` stays fast).

    A library named by --library (check_library_path) or $STRIDEKIT_LIBRARY (the
    file itself) may be new, but its folder must exist; the default one in the
    user data dir is created as needed.
    """
    import os

    from stridekit.library import ENV_VAR, Library

    env = os.environ.get(ENV_VAR)
    try:
        if path is not None:
            check_library_path(path)
        elif env:  # the library file itself (library.default_path)
            check_out_file(Path(env), f"${ENV_VAR}")
        return Library(path)
    except StrideError as e:
        err_console.print(f"[red]error:[/] {e}")
        raise typer.Exit(2) from e


def _when(t: float | None) -> str:
    if t is None:
        return "-"
    try:
        return dt.datetime.fromtimestamp(t, dt.UTC).strftime("%Y-%m-%d %H:%M")
    except (OverflowError, ValueError, OSError):  # not a time a calendar can show
        return "?"


@contextlib.contextmanager
def _byte_progress(total_bytes: int, what: str) -> Iterator[tuple[Progress, TaskID]]:
    """A progress bar over bytes on standard error (the table goes to standard output)."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        yield bar, bar.add_task(what, total=total_bytes)


def import_sessions(paths: list[Path], library: Path | None) -> int:
    """Import session files (folders: their *.strd); returns the exit code (2 if any was refused)."""
    from stridekit.library import ImportResult

    files: list[Path] = []
    for p in paths:
        if not p.exists():
            err_console.print(f"[red]error:[/] {p}: no such file or folder")
            return 2
        files.extend(sorted(p.glob("*.strd")) if p.is_dir() else [p])
    if not files:
        err_console.print("[red]error:[/] no session files given (folders are searched for *.strd)")
        return 2
    lib = open_library(library)
    t = compact_table(f"import -> {lib.path}")
    add_text(t, "file")
    add_text(t, "sessions")
    for col in ("added", "replaced", "unchanged"):
        add_number(t, col)
    add_text(t, "states")
    refused = 0
    sizes = [f.stat().st_size if f.is_file() else 0 for f in files]
    with lib, _byte_progress(sum(sizes), "importing") as (bar, task):
        for f, size in zip(files, sizes, strict=True):
            bar.update(task, description=f"importing {f.name}")
            try:
                res: ImportResult = lib.import_file(f)
            except StrideError as e:
                refused += 1
                err_console.print(f"[red]refused[/] {e}")
                continue
            except (sqlite3.Error, OSError) as e:  # the library's disk or lock, not the file
                refused += 1
                err_console.print(f"[red]not stored[/] {f}: library error: {e}")
                continue
            finally:
                bar.advance(task, size)
            for iss in res.issues:
                err_console.print(f"[yellow]warning[/] {iss}")
            states = [lib.session(i).state for i in res.session_ids]
            t.add_row(
                f.name,
                " ".join(f"#{i}" for i in res.session_ids),
                str(len(res.added)),
                str(len(res.replaced)),
                str(len(res.unchanged)),
                ", ".join(states),
            )
    print_table(console, t)
    if refused:
        err_console.print(f"[red]{refused} file(s) refused[/]")
    return 2 if refused else 0


def sessions(
    runner: Annotated[str | None, typer.Option(help="Only this runner's sessions.")] = None,
    shoe: Annotated[str | None, typer.Option(help="Only sessions in this shoe.")] = None,
    state: Annotated[
        str | None, typer.Option(help="Only complete, partial or damaged sessions.")
    ] = None,
    issues: Annotated[bool, typer.Option(help="List each session's decode issues.")] = False,
    wide: Annotated[
        bool, typer.Option("--wide", help="Also the pod's device id and session number.")
    ] = False,
    library: LibraryOption = None,
) -> None:
    """List the sessions in the library (one row per pod session, i.e. per foot)."""
    from stridekit.library import STATES

    if state is not None and state not in STATES:
        err_console.print(f"[red]error:[/] --state is one of {', '.join(STATES)}, not {state!r}")
        raise typer.Exit(2)
    with open_library(library) as lib:
        rows = lib.sessions(runner=runner, shoe=shoe, state=state)
        t = compact_table(f"{len(rows)} session(s) in {lib.path}")
        add_number(t, "id")
        add_text(t, "started UTC", no_wrap=True)
        add_text(t, "foot", no_wrap=True)
        if wide:
            add_text(t, "pod", no_wrap=True)
            add_number(t, "sess")
        add_text(t, "runner")
        add_text(t, "shoe")
        add_number(t, "min")
        add_number(t, "steps")
        add_text(t, "state", no_wrap=True)
        add_number(t, "issues")
        colour = {"complete": "green", "partial": "yellow", "damaged": "red"}
        for r in rows:
            pod = [r.device_id, str(r.device_session_id)] if wide else []
            t.add_row(
                str(r.id),
                _when(r.started_at),
                r.foot,
                *pod,
                r.runner or "-",
                r.shoe or "-",
                f"{r.duration_s / 60:.1f}",
                str(r.n_steps),
                f"[{colour.get(r.state, 'white')}]{r.state}[/]",
                str(len(problems(r.issues))) if problems(r.issues) else "-",
            )
        print_table(console, t)
        print_legend(
            console,
            {
                "min": "minutes recorded",
                "issues": "decode problems (--issues lists them, and notes such as raw "
                "capture off)",
            }
            | ({} if wide else {"--wide": "pod id and session number"}),
        )
        if issues:
            for r in rows:
                for iss in r.issues:
                    kind = "issue" if iss in problems(r.issues) else "note"
                    console.print(f"#{r.id} {kind}: {iss}")


def tag(
    ids: Annotated[list[int], typer.Argument(help="Library session ids (see `stride sessions`).")],
    runner: Annotated[str | None, typer.Option(help="Runner's name.")] = None,
    shoe: Annotated[
        str | None, typer.Option(help="Shoe name (per runner; compare two shoes A/B).")
    ] = None,
    library: LibraryOption = None,
) -> None:
    """Tag sessions with a runner and/or a shoe."""
    if runner is None and shoe is None:
        err_console.print("[red]error:[/] give --runner and/or --shoe")
        raise typer.Exit(2)
    with open_library(library) as lib:
        try:
            if runner is not None:
                lib.set_runner(ids, runner)
            if shoe is not None:
                lib.set_shoe(ids, shoe)
        except StrideError as e:
            err_console.print(f"[red]error:[/] {e}")
            raise typer.Exit(2) from e
        console.print(
            f"tagged {len(ids)} session(s)"
            + (f" runner={runner}" if runner else "")
            + (f" shoe={shoe}" if shoe else "")
        )


def runners(library: LibraryOption = None) -> None:
    """List runners, their shoes and how many sessions each has."""
    with open_library(library) as lib:
        t = compact_table("runners")
        add_text(t, "runner")
        add_text(t, "shoes")
        add_number(t, "sessions")
        for name, shoes, n in lib.runners():
            t.add_row(name, ", ".join(shoes) or "-", str(n))
        print_table(console, t)


def register(app: typer.Typer) -> None:
    """Add `sessions`, `tag` and `runners` to the `stride` app."""
    app.command("sessions")(sessions)
    app.command("tag")(tag)
    app.command("runners")(runners)


REPLAY_ALL_LEGEND = {
    "stored, replayed": "Step records",
    "same": "replayed bit-identical to the pod's records",
    "spm": "steps per minute of both feet",
    "stance": "mean, ms",
    "peak": "mean peak force, N",
}


def replay_all(library: Path | None, workers: int = 0, dask: object | None = None) -> int:
    """`stride replay --all`: the batch replay with a progress bar; exit 1 if any session differs."""
    from rich.progress import MofNCompleteColumn

    from stridekit.batch import SchedulerUnreachable, SessionCheck, replay_library

    with (
        open_library(library) as lib,
        Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err_console,
        ) as bar,
    ):
        task = bar.add_task("replaying", total=None)

        def done(c: SessionCheck, n: int, total: int) -> None:
            bar.update(task, completed=n, total=total)

        try:
            res = replay_library(lib, workers=workers, dask=dask, on_done=done)
        except SchedulerUnreachable as e:
            bar.stop()
            err_console.print(f"[red]error:[/] {e}")
            return 2
    t = compact_table(f"replay --all: {len(res.checks)} session(s) ({res.where})")
    for col in ("id", "foot", "min", "stored", "replayed", "same", "spm", "stance", "peak"):
        (add_text if col in ("foot", "same") else add_number)(t, col)
    for c in res.checks:
        ident = "[red]error[/]" if c.error else ("yes" if c.identical else "[red]NO[/]")
        if c.not_replayed:
            ident = "[yellow]not replayed[/]"
        t.add_row(
            str(c.id),
            c.foot,
            f"{c.duration_s / 60:.1f}",
            str(c.n_stored),
            "-" if c.not_replayed else str(c.n_replayed),
            ident,
            f"{c.cadence_spm:.0f}" if c.cadence_spm else "-",
            f"{c.stance_ms:.0f}" if c.stance_ms else "-",
            f"{c.peak_force_n:.0f}" if c.peak_force_n else "-",
        )
    print_table(console, t)
    print_legend(console, REPLAY_ALL_LEGEND)
    for c in res.checks:
        if c.not_replayed:
            console.print(f"[yellow]#{c.id}[/]: {c.not_replayed}")
        elif c.error or not c.identical:
            console.print(f"[red]#{c.id}[/]: {c.error or c.first_difference}")
    console.print(
        f"{len(res.checks)} sessions in {res.wall_s:.2f} s on {res.workers if res.where == 'local' else 'dask'} "
        f"worker(s): {res.sessions_per_s:.2f} sessions/s, {res.realtime_per_core:.0f}x real time per core"
    )
    # a session that cannot be replayed is marked, not a failure of the kernel
    bad = [c for c in res.checks if not c.not_replayed and (c.error or not c.identical)]
    return 1 if bad else 0
