"""The report in the terminal: each cause in one row, the count of risk factors seen, what could not be judged."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from stridekit.analysis import Analysis
from stridekit.analysis import causes as C

if TYPE_CHECKING:
    from stridekit.report import ReportResult


def print_summary(a: Analysis, res: ReportResult, console: Console) -> None:
    t = Table(title="Back-pain risk factors seen by the shoe pods", expand=True)
    t.add_column("cause", ratio=3)
    t.add_column("status", ratio=2)
    t.add_column("seen")
    t.add_column("finding", ratio=6)
    for c in a.causes:
        style = "bold" if c.seen else ("dim" if c.status == C.NOT_MEASURABLE else "")
        finding = c.finding if c.status != C.NOT_MEASURABLE else "would show it: " + c.would_show
        seen = ("yes" if c.seen else "no") if c.status == C.MEASURED and c.risk_factor else "-"
        t.add_row(escape(c.name), C.STATUS_TEXT[c.status], seen, escape(finding), style=style)
    console.print(t)
    if a.gait_mode is not None:
        console.print(f"what we saw: {escape(a.gait_mode.text)}")
    for x in a.not_judged:
        console.print(f"[yellow]could not judge:[/] {escape(x)}")
    colour = "green" if a.factors_seen == 0 else "dark_orange"
    console.print(
        Panel(
            f"[bold {colour}]{escape(a.scale_text)}[/] (how it was reached: in the report)\n"
            f"[bold]{C.NOT_A_DIAGNOSIS}[/] {C.CLINICIAN} {C.RED_FLAGS}",
            title=C.SCALE_NAME,
        )
    )
    console.print(f"report: [bold]{res.html_path}[/] (built in {res.build_s:.2f} s)")
