"""The report in the terminal: the band, each cause in one row, what could not be judged."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from stridekit.analysis import Analysis
from stridekit.analysis import causes as C

if TYPE_CHECKING:
    from stridekit.report import ReportResult

BAND_STYLE: dict[str, str] = dict(
    zip(C.BAND_NAMES, ("green", "yellow3", "yellow", "dark_orange", "red"), strict=True)
)


def print_summary(a: Analysis, res: ReportResult, console: Console) -> None:
    t = Table(title="Back-pain risk factors seen by the shoe pods", expand=True)
    t.add_column("cause", ratio=3)
    t.add_column("status", ratio=2)
    t.add_column("pts", justify="right")
    t.add_column("finding", ratio=6)
    for c in a.causes:
        style = "bold" if c.points else ("dim" if c.status == C.NOT_MEASURABLE else "")
        finding = c.finding if c.status != C.NOT_MEASURABLE else "would show it: " + c.would_show
        t.add_row(
            c.name, c.status, str(c.points) if c.status == C.MEASURED else "-", finding, style=style
        )
    console.print(t)
    for x in a.not_judged:
        console.print(f"[yellow]could not judge:[/] {x}")
    st = BAND_STYLE.get(a.band, "")
    console.print(
        Panel(
            f"[bold {st}]{a.band}[/] ({a.points} points; rule in the report)\n{C.CLINICIAN}",
            title="overall band",
        )
    )
    console.print(f"report: [bold]{res.html_path}[/] (built in {res.build_s:.2f} s)")
