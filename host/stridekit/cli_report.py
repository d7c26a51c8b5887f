"""`stride report FILES... --out report.html`: merge, analyse and write the causes report.

Session files (any number, any mix of left/right pods and runs) are paired into
runs by time overlap; the latest run is reported on and the earlier ones are its
history (training load, A/B shoes).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from stridekit.errors import StrideError

console = Console()


def register(app: typer.Typer) -> None:
    app.command(name="report")(report)


def report(
    files: Annotated[
        list[Path], typer.Argument(help="Session files (.strd); history and the current run.")
    ],
    out: Annotated[Path, typer.Option(help="HTML report to write.")] = Path("report.html"),
    runner: Annotated[str | None, typer.Option(help="Runner's name shown in the report.")] = None,
    shoe: Annotated[
        list[str] | None,
        typer.Option(help="Shoe per file, in order (repeat), for A/B comparisons."),
    ] = None,
) -> None:
    """Write the back-pain causes report (self-contained HTML) and print a summary."""
    from stridekit.merge import MergeError, pair_sessions
    from stridekit.report import build_report
    from stridekit.session import Session, read_sessions

    sessions: list[Session] = []
    shoe_of: dict[int, str] = {}
    for i, f in enumerate(files):
        try:
            got = read_sessions(f)
        except (OSError, StrideError) as e:
            console.print(f"[red]skipped {f}:[/] {e}")
            continue
        for s in got:
            if shoe and i < len(shoe):
                shoe_of[id(s)] = shoe[i]
            for iss in s.issues:
                console.print(f"[yellow]warning[/] {f} ({s.foot}): {iss.reason}")
        sessions += got
    if not sessions:
        console.print("[red]error:[/] no usable sessions")
        raise typer.Exit(2)
    try:
        runs = pair_sessions(sessions)
    except MergeError as e:
        console.print(f"[red]error:[/] {e}")
        raise typer.Exit(2) from e
    for r in runs:
        s = r.left or r.right
        if s is not None and id(s) in shoe_of:
            r.shoe = shoe_of[id(s)]
        r.runner = runner or ""
    if len(runs) > 1:
        console.print(f"{len(runs)} runs: reporting on the latest, {len(runs) - 1} as history")
    build_report(runs, out, runner, console)
