"""The tables of `stride eval --real`: one per dataset, each naming its reference."""

from __future__ import annotations

import math

import numpy as np
from rich.console import Console
from rich.table import Table

from stridekit.eval.goals import SI_METRICS, pooled
from stridekit.eval.matching import EventStats, abs_ms, bias_ms
from stridekit.eval.results import (
    FOOT,
    IMU_COVER_GAP_S,
    IMU_NOT_AVAILABLE,
    REFERENCE,
    SOURCE,
    TOL_S,
    FootResult,
    Goal,
    RealReport,
    base_name,
    rate_label,
)
from stridekit.export.csv import FLAG_NAMES
from stridekit.importers.common import SOURCE_NAMES
from stridekit.tables import print_in_parts


def _f(x: float, fmt: str = ".1f") -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else format(x, fmt)


def _pct(a: int, b: int) -> str:
    return "-" if not b else f"{100 * a / b:.1f}"


def _detection(c: EventStats) -> list[str]:
    """The detection columns every table shares: ref, kernel, missed, extra, recall, precision."""
    return [
        str(c.n_ref),
        str(c.n_found),
        str(c.fn),
        str(c.fp),
        _pct(c.tp, c.n_ref),
        _pct(c.tp, c.n_found),
    ]


def _flag_names(bits: int) -> str:
    return ",".join(n for b, n in FLAG_NAMES.items() if bits & b) or "-"


def _cells(mask: int) -> str:
    return ",".join(str(i + 1) for i in range(16) if mask >> i & 1) or "-"


def print_report(rep: RealReport, console: Console) -> None:
    """One table per dataset (each naming its reference), then balance and goals."""
    for name in rep.missing:
        console.print(f"[yellow]{name}: folder not found, skipped[/]")
    if "gaitpdb" in rep.results:
        _table_events(console, "gaitpdb", rep.results["gaitpdb"])
        _table_balance(console, rep)
    if "gaitndd" in rep.results:
        _table_gaitndd(console, rep.results["gaitndd"])
    for ds in ("ipol", "gaitmap"):
        if ds in rep.results:
            _table_imu(console, ds, rep.results[ds])
    _table_rates(console, rep)
    _table_mpy(console, rep)
    _table_goals(console, rep.goals)
    _bias_spread(console, rep)


def _table_mpy(console: Console, rep: RealReport) -> None:
    rows = [
        r for res in rep.results.values() for r in res if r.mpy_identical is not None or r.mpy_error
    ]
    if not rows:
        return
    t = Table(
        title="MicroPython (WebAssembly port, 32-bit like the ESP32): same samples, same kernel"
    )
    for col in (
        "dataset",
        "record",
        "foot",
        "samples",
        "steps",
        "records bit-identical to CPython",
    ):
        t.add_column(col, justify="right" if col in ("samples", "steps") else "left")
    for r in rows:
        if r.mpy_identical is None:
            verdict = f"not run: {r.mpy_error}"
        else:
            verdict = "[green]yes[/]" if r.mpy_identical else "[red]NO[/]"
        t.add_row(r.dataset, r.record, FOOT[r.foot], str(r.n_samples), str(r.n_steps), verdict)
    print_in_parts(console, t)


def _table_events(console: Console, ds: str, results: list[FootResult]) -> None:
    t = Table(
        title=f"{ds}: kernel vs {REFERENCE[ds]}, tolerance {TOL_S[ds] * 1000:.0f} ms",
        caption="|err| in ms (kernel - reference); start: steps whose contact is the first "
        "sample (foot loaded when recording began); faults: cells the kernel flagged",
    )
    for col in (
        "record",
        "grp",
        "foot",
        "ref",
        "kernel",
        "missed",
        "extra",
        "recall %",
        "precision %",
        "contact med",
        "contact p95",
        "toe-off med",
        "toe-off p95",
        "start",
        "flags",
        "faults",
    ):
        t.add_column(col, justify="left" if col in ("record", "grp", "flags") else "right")
    for r in results:
        c = r.contact or EventStats()
        o = r.toe_off or EventStats()
        t.add_row(
            r.record,
            r.group,
            FOOT[r.foot],
            *_detection(c),
            _f(abs_ms(c.errors_s, 50)),
            _f(abs_ms(c.errors_s, 95)),
            _f(abs_ms(o.errors_s, 50)),
            _f(abs_ms(o.errors_s, 95)),
            str(r.start_steps),
            _flag_names(r.flags),
            _cells(r.fault_cells),
        )
    c = pooled(results, "contact")
    o = pooled(results, "toe_off")
    t.add_section()
    t.add_row(
        "all",
        "",
        "",
        *_detection(c),
        _f(abs_ms(c.errors_s, 50)),
        _f(abs_ms(c.errors_s, 95)),
        _f(abs_ms(o.errors_s, 50)),
        _f(abs_ms(o.errors_s, 95)),
        str(sum(r.start_steps for r in results)),
        "",
        "",
    )
    print_in_parts(console, t)


def _table_balance(console: Console, rep: RealReport) -> None:
    t = Table(
        title="gaitpdb: left/right balance per walk (kernel steps; SI = (L-R)/((L+R)/2))",
        caption="left share: kernel step impulses; raw: integral of the published total forces "
        "(whole walk). SI in % (+: left larger), stridefw.balance.symmetry_pm",
    )
    for col in ("walk", "grp", "left share %", "raw %", *[f"SI {k} %" for k in SI_METRICS]):
        t.add_column(col, justify="left" if col in ("walk", "grp") else "right")
    for w in rep.balance:
        t.add_row(
            w.record,
            w.group,
            f"{w.left_share_pm / 10:.1f}",
            f"{w.raw_left_share_pm / 10:.1f}",
            *[f"{w.si_pm[k] / 10:+.1f}" for k in SI_METRICS],
        )
    print_in_parts(console, t)
    e = Table(
        title="gaitpdb: Parkinson's vs control, usual walks (one per subject) -- reported, not tuned",
        caption="Hedges' g (PD - control) with an approximate 95 % interval; with groups this "
        "small the interval is wide. Not a diagnosis.",
    )
    for col in (
        "metric",
        "PD mean",
        "PD SD",
        "n",
        "control mean",
        "control SD",
        "n ",
        "g",
        "95 % CI",
    ):
        e.add_column(col, justify="left" if col == "metric" else "right")
    for x in rep.effects:
        e.add_row(
            x.metric,
            _f(x.mean_pd, ".2f"),
            _f(x.sd_pd, ".2f"),
            str(x.n_pd),
            _f(x.mean_co, ".2f"),
            _f(x.sd_co, ".2f"),
            str(x.n_co),
            _f(x.hedges_g, "+.2f"),
            f"{_f(x.ci95[0], '+.2f')} .. {_f(x.ci95[1], '+.2f')}",
        )
    print_in_parts(console, e)


def _table_gaitndd(console: Console, results: list[FootResult]) -> None:
    t = Table(
        title=f"gaitndd: kernel (100 Hz) vs {REFERENCE['gaitndd']}, tolerance 200 ms",
        caption="stride |err| ms (kernel - .ts, columns 2/3); contact/toe-off: left only "
        "(.ts columns 1 and 1-4); right: one heel strike expected per left stride; "
        "excl: .ts rows unscored because the source marks samples invalid (-2048)",
    )
    for col in (
        "record",
        "grp",
        "foot",
        "rows",
        "kernel",
        "missed",
        "extra",
        "recall %",
        "precision %",
        "strides",
        "stride med",
        "stride p95",
        "contact med",
        "toe-off med",
        "excl",
        "invalid",
        "steps in invalid",
    ):
        t.add_column(col, justify="left" if col in ("record", "grp") else "right")
    for r in results:
        c = r.contact or EventStats()
        s = r.stride or EventStats()
        o = r.toe_off
        t.add_row(
            r.record,
            r.group,
            FOOT[r.foot],
            *_detection(c),
            str(s.tp),
            _f(abs_ms(s.errors_s, 50)),
            _f(abs_ms(s.errors_s, 95)),
            _f(abs_ms(c.errors_s, 50)) if r.foot == 0 else "-",
            _f(abs_ms(o.errors_s, 50)) if o is not None else "-",
            str(r.excluded_rows),
            str(r.invalid_samples),
            str(r.steps_in_invalid),
        )
    c = pooled(results, "contact")
    s = pooled(results, "stride")
    t.add_section()
    t.add_row(
        "all",
        "",
        "",
        *_detection(c),
        str(s.tp),
        _f(abs_ms(s.errors_s, 50)),
        _f(abs_ms(s.errors_s, 95)),
        _f(abs_ms(pooled([r for r in results if r.foot == 0], "contact").errors_s, 50)),
        _f(abs_ms(pooled(results, "toe_off").errors_s, 50)),
        str(sum(r.excluded_rows for r in results)),
        str(sum(r.invalid_samples for r in results)),
        str(sum(r.steps_in_invalid for r in results)),
    )
    print_in_parts(console, t)


def _table_imu(console: Console, ds: str, results: list[FootResult]) -> None:
    c_all = pooled(results, "contact")
    available = c_all.n_found > 0
    t = Table(
        title=f"{ds}: IMU-only events (kernel fallback, no insole) vs {REFERENCE[ds]}, "
        f"tolerance {TOL_S[ds] * 1000:.0f} ms",
        caption=(
            "|err| and bias (median signed error) in ms, kernel - reference; scored only "
            "where the reference annotates "
            f"(reference contacts <= {IMU_COVER_GAP_S:g} s apart, U-turns left out); "
            "dropped IMU: samples the kernel got without an IMU packet"
        )
        if available
        else IMU_NOT_AVAILABLE + " (no insole in these recordings)",
    )
    for col in (
        "record",
        "foot",
        "samples",
        "dropped IMU",
        "ref contacts",
        "kernel steps",
        "scored",
        "recall %",
        "precision %",
        "contact med",
        "contact p95",
        "contact bias",
        "toe-off med",
        "toe-off p95",
        "toe-off bias",
        "flags",
    ):
        t.add_column(col, justify="left" if col == "record" else "right")
    for r in results:
        c = r.contact or EventStats()
        o = r.toe_off or EventStats()
        t.add_row(
            r.record,
            FOOT[r.foot],
            str(r.n_samples),
            f"{r.imu_missing} ({_pct(r.imu_missing, r.n_samples)} %)",
            str(c.n_ref),
            str(r.n_steps),
            str(c.n_found),
            _pct(c.tp, c.n_ref) if available else "-",
            _pct(c.tp, c.n_found) if available else "-",
            _f(abs_ms(c.errors_s, 50)) if available else "-",
            _f(abs_ms(c.errors_s, 95)) if available else "-",
            _f(bias_ms(c.errors_s), "+.1f") if available else "-",
            _f(abs_ms(o.errors_s, 50)) if available else "-",
            _f(abs_ms(o.errors_s, 95)) if available else "-",
            _f(bias_ms(o.errors_s), "+.1f") if available else "-",
            _flag_names(r.flags),
        )
    if available:
        o_all = pooled(results, "toe_off")
        t.add_section()
        t.add_row(
            "all",
            "",
            str(sum(r.n_samples for r in results)),
            str(sum(r.imu_missing for r in results)),
            str(c_all.n_ref),
            str(sum(r.n_steps for r in results)),
            str(c_all.n_found),
            _pct(c_all.tp, c_all.n_ref),
            _pct(c_all.tp, c_all.n_found),
            _f(abs_ms(c_all.errors_s, 50)),
            _f(abs_ms(c_all.errors_s, 95)),
            _f(bias_ms(c_all.errors_s), "+.1f"),
            _f(abs_ms(o_all.errors_s, 50)),
            _f(abs_ms(o_all.errors_s, 95)),
            _f(bias_ms(o_all.errors_s), "+.1f"),
            "",
        )
    print_in_parts(console, t)


def _table_rates(console: Console, rep: RealReport) -> None:
    """The same kernel at the pod's rate and at the source's: what sampling costs."""
    rows = [k for k in rep.results if k.endswith(SOURCE) and base_name(k) in rep.results]
    if not rows:
        return
    t = Table(
        title="Sampling rate: the same kernel on every source sample vs the pod's 100 Hz",
        caption="gaitndd: stride |err| vs the authors' .ts; gaitmap: IMU-only contact |err| "
        "vs motion capture; ms",
    )
    for col in ("dataset", "rate", "events", "|err| median", "|err| p95", "> 20 ms", "recall %"):
        t.add_column(col, justify="left" if col in ("dataset", "rate") else "right")
    for src in rows:
        for key in (base_name(src), src):
            res = rep.results[key]
            what = "stride" if base_name(key) == "gaitndd" else "contact"
            e = pooled(res, what)
            c = pooled(res, "contact")
            n_over = int(np.count_nonzero(np.abs(np.asarray(e.errors_s)) > 0.020))
            t.add_row(
                base_name(key),
                rate_label(key),
                str(e.tp),
                _f(abs_ms(e.errors_s, 50)),
                _f(abs_ms(e.errors_s, 95)),
                f"{n_over} ({_pct(n_over, e.tp)} %)",
                _pct(c.tp, c.n_ref),
            )
    print_in_parts(console, t)


def _bias_spread(console: Console, rep: RealReport) -> None:
    """A pooled median can hide a recording whose reference marks contact elsewhere."""
    for ds in ("ipol", "gaitmap"):
        biases = [
            (bias_ms(r.contact.errors_s), r.record, FOOT[r.foot])
            for r in rep.results.get(ds, [])
            if r.contact is not None and r.contact.errors_s
        ]
        if len(biases) < 2:
            continue
        lo, hi = min(biases), max(biases)
        console.print(
            f"{ds}: IMU-only contact bias per recording and foot from {lo[0]:+.1f} ms "
            f"({lo[1]} {lo[2]}) to {hi[0]:+.1f} ms ({hi[1]} {hi[2]}): not one constant "
            "offset, which the pooled median above does not show"
        )


def _table_goals(console: Console, gl: list[Goal]) -> None:
    t = Table(title="Goals")
    for col in ("dataset", "figure", "goal", "measured", "met", "reference"):
        t.add_column(col, justify="right" if col in ("measured",) else "left")
    for g in gl:
        if g.met is None:
            val, met = IMU_NOT_AVAILABLE, "-"
        else:
            val = f"{g.value:.1f} {g.unit}".strip()
            met = "[green]yes[/]" if g.met else "[red]NO[/]"
        t.add_row(g.dataset, g.name, g.target, val, met, g.reference)
    print_in_parts(console, t)
    console.print(
        "References: " + "; ".join(f"source {k} = {v}" for k, v in SOURCE_NAMES.items() if k)
    )
