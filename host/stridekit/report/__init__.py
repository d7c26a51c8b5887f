"""The causes report: HTML file, terminal summary and JSON from merged runs.

from stridekit.report import build_report
res = build_report(runs, Path("report.html"), runner="Alex")   # current run LAST
res.html_path, res.level, res.factors_seen, res.findings
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from stridekit.analysis import Analysis, analyse
from stridekit.merge import MergedRun


@dataclass
class ReportResult:
    html_path: Path
    level: str  # the count's level, "none seen" at the lowest
    factors_seen: int
    findings: list[str]  # one line per risk factor seen
    not_judged: list[str] = field(default_factory=list)
    analysis: Analysis | None = None
    build_s: float = 0.0


def build_report(
    runs: Sequence[MergedRun],
    out: Path,
    runner: str | None = None,
    console: Console | None = None,
    *,
    make_parents: bool = False,
) -> ReportResult:
    """Analyse runs (current run last, history before it), write the HTML, print a summary.

    Args:
        runs: the runner's runs in time order; the last is reported on, the rest
            feed the training load and the A/B shoe comparison.
        out: HTML file to write; its folder must exist unless make_parents.
        runner: name shown in the report.
        console: where the rich summary goes; None prints nothing.
        make_parents: create missing folders for `out`.
    """
    from stridekit.report.html import render
    from stridekit.report.terminal import print_summary

    t0 = time.perf_counter()
    a = analyse(runs)
    page = render(a, runner, dt.datetime.now(dt.UTC))
    if make_parents:
        out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    findings = [f"{c.name}: {c.finding}" for c in a.causes if c.seen]
    res = ReportResult(
        out, a.level, a.factors_seen, findings, list(a.not_judged), a, time.perf_counter() - t0
    )
    if console is not None:
        print_summary(a, res, console)
    return res
