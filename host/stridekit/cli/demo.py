"""`stride demo`, the README's main job: two virtual pods, sync, library, report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

console = Console()


def register(app: typer.Typer) -> None:
    """Add `demo` to the `stride` command."""

    @app.command("demo")
    def demo_cmd(
        runner: Annotated[
            str,
            typer.Option(
                help="lld-toning: 1.5 cm leg-length difference in toning shoes; "
                "healthy: the control."
            ),
        ] = "lld-toning",
        minutes: Annotated[float, typer.Option(help="Length of today's run.")] = 20.0,
        out: Annotated[Path, typer.Option(help="Folder for the library and the report.")] = Path(
            "demo"
        ),
        library: Annotated[
            Path | None, typer.Option(help="Session library (default: OUT/library.sqlite).")
        ] = None,
        seed: Annotated[int, typer.Option(help="Random seed; same seed, same run.")] = 1,
        transport: Annotated[
            str,
            typer.Option(
                help="ble: the host bonds, sets the clocks and syncs over Bumble's virtual "
                "BLE link (bleak on Bumble); serial: over the pods' consoles on a pty."
            ),
        ] = "ble",
    ) -> None:
        """Two virtual pods record a run, the host syncs and stores it, and writes the report."""
        from stridekit.cli.library import check_library_path
        from stridekit.demo import RUNNERS, TRANSPORTS, run_demo
        from stridekit.paths import check_out_dir

        if runner not in RUNNERS:
            raise typer.BadParameter(f"choose one of {', '.join(RUNNERS)}", param_hint="--runner")
        if transport not in TRANSPORTS:
            raise typer.BadParameter(
                f"choose one of {', '.join(TRANSPORTS)}", param_hint="--transport"
            )
        check_out_dir(out)
        if library is not None:
            check_library_path(library)
        res = run_demo(
            out,
            runner=runner,
            minutes=minutes,
            seed=seed,
            library_path=library,
            transport=transport,
        )
        t = res.timings_s
        console.print(
            f"done in {t['total']:.0f} s (record {t.get('record', 0):.0f} s, "
            f"sync {t.get('sync', 0):.1f} s, report {t.get('report', 0):.1f} s)"
        )
        if res.report_path is not None:
            console.print(f"[bold]report:[/] {res.report_path.resolve()}")
