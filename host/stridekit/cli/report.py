"""`stride report FILES... --out report.html [--json FILE|-]`: merge, analyse and write the causes report.

Session files (any number, any mix of left/right pods and runs) are paired into
runs by time overlap; the latest run is reported on and the earlier ones are its
history (training load, A/B shoes).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from stridekit.errors import StrideError
from stridekit.paths import check_out_file

console = Console()
err_console = Console(stderr=True, soft_wrap=True)  # errors and warnings; paths stay greppable


def register(app: typer.Typer) -> None:
    app.command(name="report")(report)


def report(
    files: Annotated[
        list[Path], typer.Argument(help="Session files (.strd); history and the current run.")
    ],
    out: Annotated[
        Path, typer.Option(help="HTML report to write (its folder must exist, or --mkdir).")
    ] = Path("report.html"),
    runner: Annotated[str | None, typer.Option(help="Runner's name shown in the report.")] = None,
    shoe: Annotated[
        list[str] | None,
        typer.Option(help="Shoe per file, in order (repeat), for A/B comparisons."),
    ] = None,
    json_out: Annotated[
        str | None,
        typer.Option(
            "--json",
            help="Also write the report as JSON to this file ('-' for standard output; the "
            "summary then goes to standard error).",
        ),
    ] = None,
    mkdir: Annotated[
        bool, typer.Option("--mkdir", help="Create missing folders for --out and --json.")
    ] = False,
) -> None:
    """Write the back-pain causes report (self-contained HTML) and print a summary."""
    from stridekit.analysis.load import session_key
    from stridekit.merge import MergeError, pair_sessions
    from stridekit.report import build_report
    from stridekit.report.jsondoc import to_json
    from stridekit.session import Session, read_sessions

    con = Console(stderr=True) if json_out == "-" else console
    hint = " (--mkdir creates it)"
    check_out_file(out, "--out", make_parents=mkdir, parents_hint=hint)
    if json_out is not None and json_out != "-":
        check_out_file(Path(json_out), "--json", make_parents=mkdir, parents_hint=hint)
    sessions: list[Session] = []
    shoe_of: dict[int, str] = {}
    seen: dict[tuple[object, ...], int] = {}  # session identity -> index in sessions
    for i, f in enumerate(files):
        try:
            got = read_sessions(f)
        except (OSError, StrideError) as e:
            err_console.print(f"[red]skipped {f}:[/] {e}")
            continue
        for s in got:
            k = session_key(s)
            j = seen.get(k)
            if j is not None:
                # the same recording twice (a file given twice, or a copy): count it once
                err_console.print(
                    f"[yellow]note[/] {f} ({s.foot}): same session as an earlier file, counted once"
                )
                if len(s.steps) <= len(sessions[j].steps):
                    continue
                sessions[j] = s
            else:
                seen[k] = len(sessions)
                sessions.append(s)
            if shoe and i < len(shoe):
                shoe_of[id(s)] = shoe[i]
            for iss in s.issues:
                err_console.print(f"[yellow]warning[/] {f} ({s.foot}): {iss.reason}")
    if not sessions:
        err_console.print("[red]error:[/] no usable sessions")
        raise typer.Exit(2)
    try:
        runs = pair_sessions(sessions)
    except MergeError as e:
        err_console.print(f"[red]error:[/] {e}")
        raise typer.Exit(2) from e
    for r in runs:
        s = r.left or r.right
        if s is not None and id(s) in shoe_of:
            r.shoe = shoe_of[id(s)]
        r.runner = runner or ""
    if len(runs) > 1:
        con.print(f"{len(runs)} runs: reporting on the latest, {len(runs) - 1} as history")
    res = build_report(runs, out, runner, con, make_parents=mkdir)
    if json_out is not None and res.analysis is not None:
        doc = to_json(res.analysis, runner)
        if json_out == "-":
            sys.stdout.write(doc)
            sys.stdout.flush()
        else:
            if mkdir:
                Path(json_out).parent.mkdir(parents=True, exist_ok=True)
            Path(json_out).write_text(doc, encoding="utf-8")
            con.print(f"json: [bold]{json_out}[/]")
