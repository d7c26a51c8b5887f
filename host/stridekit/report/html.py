"""The causes report as one self-contained HTML page (inline CSS and SVG, no scripts)."""

from __future__ import annotations

import datetime as dt
from html import escape

import numpy as np

from stridekit.analysis import MIN_RUN_S, Analysis
from stridekit.analysis import causes as C
from stridekit.analysis.load import (
    ACWR_DANGER,
    ACWR_SWEET,
    CHRONIC_DAYS,
    GUIDELINE_MIN,
    has_wall_clock,
)
from stridekit.report import svg
from stridekit.report.svg import LEFT_COLOUR, RIGHT_COLOUR, Series

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#f6f7f9;color:#1a202c}
main{max-width:980px;margin:0 auto;padding:24px}
h1{font-size:28px;margin:0 0 4px} h2{font-size:21px;margin:28px 0 8px} h3{font-size:17px;margin:0 0 6px}
.sub{color:#4a5568}
.card{background:#fff;border-radius:10px;padding:16px 20px;margin:12px 0;box-shadow:0 1px 3px rgba(0,0,0,.08)}
.warn{border-left:6px solid #dd6b20} .info{border-left:6px solid #3182ce} .nj{border-left:6px solid #a0aec0}
.status{display:inline-block;font-size:12px;padding:2px 8px;border-radius:10px;margin-left:8px;vertical-align:middle}
.s-measured{background:#c6f6d5} .s-not{background:#e2e8f0} .s-nj{background:#fefcbf}
.seen{float:right;font-weight:700} .s-seen{background:#fbd38d}
table{border-collapse:collapse;width:100%;font-size:14px} td,th{border-bottom:1px solid #e2e8f0;padding:5px 8px;text-align:left}
.chart{width:100%;height:auto;background:#fff} .count{font-size:22px;font-weight:700;margin:4px 0 8px}
.ct{font-size:14px;font-weight:600;fill:#2d3748} .tl{font-size:11px;fill:#4a5568} .al{font-size:12px;fill:#2d3748}
.big{font-size:20px;font-weight:700;fill:#1a202c}
.grid{stroke:#edf2f7} .frame{fill:none;stroke:#cbd5e0} .ref{stroke:#718096;stroke-dasharray:5 4}
.ref2{stroke:#dd6b20;stroke-dasharray:2 4}
.row{display:flex;gap:20px;flex-wrap:wrap;align-items:center}
ul{margin:6px 0;padding-left:20px} li{margin:2px 0}
"""


def _status_badge(status: str) -> str:
    cls = {C.MEASURED: "s-measured", C.NOT_MEASURABLE: "s-not", C.NOT_JUDGED: "s-nj"}[status]
    return f'<span class="status {cls}">{escape(C.STATUS_TEXT[status])}</span>'


def charts(a: Analysis) -> dict[str, str]:
    """Chart id -> SVG."""
    out: dict[str, str] = {}
    feet = a.feet
    names = {0: ("left", LEFT_COLOUR), 1: ("right", RIGHT_COLOUR)}
    sers_imp: list[Series] = []
    sers_pk: list[Series] = []
    for fs in feet:
        n, c = names[fs.foot]
        t_min = fs.t_s / 60
        imp = fs["impulse_dnms"] / 1e4
        pk = fs["peak_force_dn"] / 10
        sers_imp += [
            Series(n, t_min, imp, c),
            Series(f"{n} trend", t_min, svg.rolling_mean(imp, 21), c, "line"),
        ]
        sers_pk += [
            Series(n, t_min, pk, c),
            Series(f"{n} trend", t_min, svg.rolling_mean(pk, 21), c, "line"),
        ]
    out["impulse"] = svg.xy_chart(
        "Impulse per step, left vs right", "minutes into the run", "impulse, N·s", sers_imp
    )
    out["peak"] = svg.xy_chart(
        "Peak force per step, left vs right", "minutes into the run", "peak force, N", sers_pk
    )
    if a.asymmetry.judged:
        rows = [(m.label, m.si_pct, m.ci_low, m.ci_high) for m in a.asymmetry.metrics]
        out["si"] = svg.forest("Symmetry index (L - R) / mean, with 95 % interval", rows)
    cop: list[Series] = []
    for fs in feet:
        n, c = names[fs.foot]
        x = fs["cop_x_mean_dmm"] / 10
        cop.append(Series(n, fs.t_s / 60, x - np.mean(x), c))
    out["cop"] = svg.xy_chart(
        "Medial-lateral CoP, step to step (centred)",
        "minutes into the run",
        "CoP x, mm (+ lateral)",
        cop,
    )
    ws = a.load.windows
    labels = [w.label + ("" if w.covered else "*") for w in ws]
    partial = [not w.covered for w in ws]
    xlabel = "7 days ending with this run, and the 7-day spans before"
    if any(partial):
        xlabel = "7-day spans ending with this run (* before the first recorded run)"
    out["load"] = svg.bar_chart(
        "Running minutes per 7 days (recorded runs)",
        labels,
        [w.minutes for w in ws],
        "minutes",
        xlabel,
        faint=partial,
    )
    out["acwr"] = svg.ratio_chart(
        f"Acute:chronic ratio (7 days over the weekly mean of {CHRONIC_DAYS})",
        labels,
        [w.acwr for w in ws],
        "ratio",
        xlabel,
        hlines=[
            (ACWR_SWEET[0], f"{ACWR_SWEET[0]}"),
            (ACWR_SWEET[1], f"{ACWR_SWEET[1]}"),
            (ACWR_DANGER, f"{ACWR_DANGER} danger"),
        ],
        empty=a.load.acwr_reason or "no ratio",
    )
    out["minutes"] = svg.bar_chart(
        "Minutes in bouts of 10+ min per 7 days, vs the 150-min guideline",
        labels,
        [w.guideline_minutes for w in ws],
        "minutes",
        xlabel,
        colour="#38a169",
        hlines=[(GUIDELINE_MIN, f"{GUIDELINE_MIN:.0f} min guideline")],
        faint=partial,
    )
    imp_s: list[Series] = []
    for fs in feet:
        n, c = names[fs.foot]
        bw = float(np.median(fs["bw_dn"])) / 10 or 1.0
        ok = fs["loading_rate_n_s"] > 0  # 0: no usable rise in that step (kernel)
        lr = fs["loading_rate_n_s"][ok] / bw
        t_min = fs.t_s[ok] / 60
        imp_s += [
            Series(n, t_min, lr, c),
            Series(f"{n} trend", t_min, svg.rolling_mean(lr, 21), c, "line"),
        ]
    out["impact"] = svg.xy_chart(
        "Loading rate per step", "minutes into the run", "body weights per second", imp_s
    )
    return out


def _cause_card(c: C.Cause, ch: dict[str, str]) -> str:
    cls = "card " + ("warn" if c.seen else "nj" if c.status != C.MEASURED else "info")
    parts = [f'<section class="{cls}" id="cause-{c.key}">']
    mark = ""
    if c.status == C.MEASURED and c.risk_factor:
        mark = '<span class="seen">' + ("seen" if c.seen else "not seen") + "</span>"
    elif c.status == C.MEASURED:
        mark = '<span class="seen">information</span>'
    parts.append(f"<h3>{escape(c.name)}{_status_badge(c.status)}{mark}</h3>")
    parts.append(f"<p>{escape(c.finding)}</p>")
    if c.would_show:
        parts.append(f"<p><b>What would show it:</b> {escape(c.would_show)}</p>")
    if c.evidence:
        parts.append("<ul>" + "".join(f"<li>{escape(e)}</li>" for e in c.evidence) + "</ul>")
    chart_ids = {
        "steps": ("si", "impulse", "peak"),
        "cop": ("cop",),
        "load": ("load", "acwr"),
        "minutes": ("minutes",),
        "impact": ("impact",),
    }
    if c.status == C.MEASURED or c.key == "load":  # the minutes are there even unjudged
        for cid in chart_ids.get(c.chart or c.key, ()):
            if cid in ch:
                parts.append(ch[cid])
    parts.append("</section>")
    return "\n".join(parts)


def _count_table(a: Analysis) -> str:
    rows = []
    for c in a.causes:
        rule = C.FACTOR_RULES.get(c.key) or C.INFO_RULES.get(c.key)
        if rule is None:
            continue
        if c.status != C.MEASURED:
            got = "could not judge"
        elif not c.risk_factor:
            got = "not counted"
        else:
            got = "seen" if c.seen else "not seen"
        rows.append(f"<tr><td>{escape(c.name)}</td><td>{got}</td><td>{escape(rule)}</td></tr>")
    return (
        '<table id="risk-factor-table"><tr><th>Risk factor</th><th>In this run</th>'
        "<th>Counts as seen when</th></tr>"
        + "".join(rows)
        + "</table><p>Each risk factor seen counts once; there are no weights and no grade. "
        "A factor that could not be judged is not counted, so a count can miss what is there. "
        "The causes a shoe sensor cannot measure are listed below, not counted.</p>"
    )


def _urgency_guide() -> str:
    rows = "".join(
        f"<tr><td><b>{escape(cat)}</b></td><td>{escape(means)}</td><td>{escape(sym)}</td>"
        f"<td>{escape(todo)}</td></tr>"
        for cat, means, sym, todo in C.URGENCY_GUIDE
    )
    return (
        "<h2>The article's guide to back pain: how urgent, and what to do</h2>"
        '<div class="card" id="urgency-guide">'
        f"<p>{escape(C.URGENCY_NOTE)}</p>"
        "<table><tr><th>Category</th><th>What it means</th><th>Example symptoms</th>"
        f"<th>What to do</th></tr>{rows}</table>"
        f"<p><b>{escape(C.RED_FLAGS)}</b></p></div>"
    )


def _alignment(a: Analysis) -> str:
    """How the two pods' clocks were put on one time line (or that they were not)."""
    run = a.run
    if not run.both_feet:
        return "one pod only"
    how: list[str] = []
    for n, c in (("left", run.left_clock), ("right", run.right_clock)):
        if c is None:
            continue
        if c.method == "least-squares":
            how.append(
                f"{n} from {c.n_syncs} Sync records (residual {(c.residual_us or 0) / 1000:.2f} ms, "
                f"drift {c.drift_ppm:+.1f} ppm)"
            )
        elif c.method == "two-point":
            how.append(
                f"{n} from 2 Sync records (offset and drift {c.drift_ppm:+.1f} ppm; "
                "no residual measurable)"
            )
        elif c.method == "offset-only":
            how.append(f"{n} from 1 Sync record (offset only, drift not corrected)")
        else:
            how.append(f"{n} not aligned: no Sync records, the header's start time (whole seconds)")
    text = "clocks: " + "; ".join(how)
    if run.alternation_pct == run.alternation_pct:
        text += f"; steps alternate left/right {run.alternation_pct:.0f} % of the time"
    return text


def render(a: Analysis, runner: str | None, generated: dt.datetime) -> str:
    run = a.run
    ch = charts(a)
    if has_wall_clock(run.start_unix_s):
        start = "Run of " + dt.datetime.fromtimestamp(run.start_unix_s, dt.UTC).strftime(
            "%Y-%m-%d %H:%M UTC"
        )
    else:
        start = "Run of unknown date (the pods' clocks were not set)"
    feet = " and ".join(n for n, s in (("left", run.left), ("right", run.right)) if s is not None)
    mode = a.gait_mode.text if a.gait_mode is not None else "not known"
    short = (
        f" (under {MIN_RUN_S:.0f} s: too short to judge the run itself)"
        if a.duration_s < MIN_RUN_S
        else ""
    )
    seen = [c for c in a.risk_factors if c.seen]
    head = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>StrideKit report{' - ' + escape(runner) if runner else ''}</title>",
        f"<style>{CSS}</style></head><body><main>",
        f"<h1>Running and back-pain risk factors{' - ' + escape(runner) if runner else ''}</h1>",
        f'<p class="sub">{escape(start)}, {a.duration_s / 60:.1f} min{escape(short)}, '
        f"{escape(feet)} pod{'s' if run.both_feet else ''}, {len(run.steps)} steps; "
        f"{escape(_alignment(a))}.</p>",
        f'<p class="sub" id="gait-mode"><b>What we saw:</b> {escape(mode)}.</p>',
        f'<div class="card warn" id="not-a-diagnosis"><b>{escape(C.NOT_A_DIAGNOSIS)}</b> '
        f"{escape(C.CLINICIAN)} {escape(C.RED_FLAGS)}</div>",
        f'<h2>{escape(C.SCALE_NAME)}</h2><div class="card" id="risk-factor-count">',
        f'<p class="count">{escape(a.level)}</p>',
        f"<p>{a.factors_seen} of the {a.factors_measurable} risk factors the pods can measure"
        + (": " + escape("; ".join(c.name for c in seen)) if seen else "")
        + f". {a.factors_judged} of {a.factors_measurable} could be judged in this run. "
        "How it was reached:</p>",
        _count_table(a),
        "</div>",
    ]
    if a.not_judged:
        head.append(
            '<div class="card nj" id="could-not-judge"><h3>What this report could not judge</h3><ul>'
        )
        head += [f"<li>{escape(x)}</li>" for x in a.not_judged]
        head.append("</ul></div>")
    body = ["<h2>Causes measured by the shoe pods</h2>"]
    body += [_cause_card(c, ch) for c in a.causes if c.status != C.NOT_MEASURABLE]
    body.append("<h2>Causes a shoe sensor cannot measure</h2>")
    body += [_cause_card(c, ch) for c in a.causes if c.status == C.NOT_MEASURABLE]
    body.append(_urgency_guide())
    if a.notes:
        body.append('<h2>Data notes</h2><div class="card"><ul>')
        body += [f"<li>{escape(n)}</li>" for n in a.notes]
        body.append("</ul></div>")
    body.append(
        '<h2>Method</h2><div class="card"><p>Symmetry index (L - R) / mean (Robinson 1987), '
        "computed with the pods' own integer code, 95 % intervals by the delta method. "
        "Leg-length pattern: the short limb lands harder, the long limb stays longer on the ground "
        "(White 2004; Korontzi 2023); the finding says how far its size is supported. "
        "Footwear instability: within-step variability up at unchanged stride rhythm (Stöggl 2010); "
        "the single-session references are provisional, an A/B comparison of two shoes is the stronger test. "
        "Training load in rolling days ending with this run, never calendar weeks: the last 7 "
        "days against the weekly mean of the last 28 (acute:chronic ratio; 0.8-1.3 sweet spot, "
        "1.5+ danger zone, Gabbett 2016), judged only with 28 days of recorded runs; the last 7 "
        "days against the 7 before them (rises over 30 %, Nielsen 2014), judged only with 14. "
        "Aerobic guideline: 150 min a week in bouts of at least 10 min, over the same last 7 "
        "days, recorded runs only (the article cites the Canadian Physical Activity "
        "Guidelines; the same figure as Haskell 2007).</p>"
        f'<p class="sub">Generated {generated.strftime("%Y-%m-%d %H:%M UTC")} by StrideKit.</p></div>'
    )
    body.append("</main></body></html>")
    return "\n".join(head + body)
