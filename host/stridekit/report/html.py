"""The causes report as one self-contained HTML page (inline CSS and SVG, no scripts)."""

from __future__ import annotations

import datetime as dt
from html import escape

import numpy as np

from stridekit.analysis import Analysis
from stridekit.analysis import causes as C
from stridekit.analysis.load import ACWR_DANGER, ACWR_SWEET, GUIDELINE_MIN
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
.pts{float:right;font-weight:700}
table{border-collapse:collapse;width:100%;font-size:14px} td,th{border-bottom:1px solid #e2e8f0;padding:5px 8px;text-align:left}
.chart{width:100%;height:auto;background:#fff} .gauge{width:420px;max-width:100%}
.ct{font-size:14px;font-weight:600;fill:#2d3748} .tl{font-size:11px;fill:#4a5568} .al{font-size:12px;fill:#2d3748}
.big{font-size:20px;font-weight:700;fill:#1a202c}
.grid{stroke:#edf2f7} .frame{fill:none;stroke:#cbd5e0} .ref{stroke:#718096;stroke-dasharray:5 4}
.ref2{stroke:#dd6b20;stroke-dasharray:2 4}
.row{display:flex;gap:20px;flex-wrap:wrap;align-items:center}
ul{margin:6px 0;padding-left:20px} li{margin:2px 0}
"""


def _status_badge(status: str) -> str:
    cls = {C.MEASURED: "s-measured", C.NOT_MEASURABLE: "s-not", C.NOT_JUDGED: "s-nj"}[status]
    return f'<span class="status {cls}">{escape(status)}</span>'


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
    weeks = a.load.weeks[-8:]
    labels = [w.monday.strftime("%d %b") for w in weeks]
    out["load"] = svg.bar_chart(
        "Weekly running minutes and acute:chronic ratio",
        labels,
        [w.minutes for w in weeks],
        "minutes",
        line=[w.acwr for w in weeks],
        line_name="ACWR",
        line_max=2.0,
        line_hlines=[(ACWR_SWEET[1], "1.3"), (ACWR_DANGER, "1.5 danger")],
    )
    out["minutes"] = svg.bar_chart(
        "Minutes per week in bouts of 10 min or more, vs the 150-minute guideline",
        labels,
        [w.guideline_minutes for w in weeks],
        "minutes in bouts >= 10 min",
        colour="#38a169",
        hlines=[(GUIDELINE_MIN, "150 min guideline")],
    )
    imp_s: list[Series] = []
    for fs in feet:
        n, c = names[fs.foot]
        bw = float(np.median(fs["bw_dn"])) / 10 or 1.0
        lr = fs["loading_rate_n_s"] / bw
        imp_s += [
            Series(n, fs.t_s / 60, lr, c),
            Series(f"{n} trend", fs.t_s / 60, svg.rolling_mean(lr, 21), c, "line"),
        ]
    out["impact"] = svg.xy_chart(
        "Loading rate per step", "minutes into the run", "body weights per second", imp_s
    )
    return out


def _cause_card(c: C.Cause, ch: dict[str, str]) -> str:
    cls = "card " + ("warn" if c.points else "nj" if c.status != C.MEASURED else "info")
    parts = [f'<section class="{cls}" id="cause-{c.key}">']
    pts = f'<span class="pts">{c.points} pt</span>' if c.status == C.MEASURED else ""
    parts.append(f"<h3>{escape(c.name)}{_status_badge(c.status)}{pts}</h3>")
    parts.append(f"<p>{escape(c.finding)}</p>")
    if c.would_show:
        parts.append(f"<p><b>What would show it:</b> {escape(c.would_show)}</p>")
    if c.evidence:
        parts.append("<ul>" + "".join(f"<li>{escape(e)}</li>" for e in c.evidence) + "</ul>")
    chart_ids = {
        "steps": ("si", "impulse", "peak"),
        "cop": ("cop",),
        "load": ("load",),
        "minutes": ("minutes",),
        "impact": ("impact",),
    }
    if c.status == C.MEASURED:
        for cid in chart_ids.get(c.chart, ()):
            if cid in ch:
                parts.append(ch[cid])
    parts.append("</section>")
    return "\n".join(parts)


def _scoring_table(a: Analysis) -> str:
    rows = []
    for c in a.causes:
        if c.key not in C.POINTS_RULES:
            continue
        rule = "; ".join(f"{p}: {t}" for p, t in C.POINTS_RULES[c.key].items())
        got = str(c.points) if c.status == C.MEASURED else "0 (could not judge)"
        rows.append(f"<tr><td>{escape(c.name)}</td><td>{got}</td><td>{escape(rule)}</td></tr>")
    rows.append(f"<tr><th>Sum</th><th>{a.points}</th><th></th></tr>")
    bands = ", ".join(
        f"{lo}{'+' if i == len(C.BANDS) - 1 else '-' + str(C.BANDS[i + 1][0] - 1)} points: {name}"
        for i, (lo, name) in enumerate(C.BANDS)
    )
    return (
        "<table><tr><th>Cause</th><th>Points</th><th>Rule (points: when)</th></tr>"
        + "".join(rows)
        + f"</table><p><b>Sum to band:</b> {escape(bands)}. Every point is in this table; "
        "there are no other weights. Causes that are not measurable or could not be judged "
        "add nothing, so the band can be too low when many are missing.</p>"
    )


def render(a: Analysis, runner: str | None, generated: dt.datetime) -> str:
    run = a.run
    ch = charts(a)
    band_i = C.BAND_NAMES.index(a.band)
    start = dt.datetime.fromtimestamp(run.start_unix_s, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    feet = " and ".join(n for n, s in (("left", run.left), ("right", run.right)) if s is not None)
    resid = run.residual_us
    if run.both_feet:
        align = (
            f"clock alignment residual {resid / 1000:.2f} ms RMS"
            if resid is not None
            else "clocks aligned from Sync records ("
            + ", ".join(
                f"{n} {c.method}, drift {c.drift_ppm:+.1f} ppm"
                for n, c in (("left", run.left_clock), ("right", run.right_clock))
                if c is not None
            )
            + "; no residual measurable with two Sync records)"
        )
        align += f"; steps alternate left/right {run.alternation_pct:.0f} % of the time"
    else:
        align = "one pod only"
    head = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>StrideKit report{' - ' + escape(runner) if runner else ''}</title>",
        f"<style>{CSS}</style></head><body><main>",
        f"<h1>Running and back-pain risk factors{' - ' + escape(runner) if runner else ''}</h1>",
        f'<p class="sub">Run of {escape(start)}, {run.duration_s / 60:.1f} min, {escape(feet)} pod'
        f"{'s' if run.both_feet else ''}, {len(run.steps)} steps; {escape(align)}.</p>",
        f'<div class="card warn" id="not-a-diagnosis"><b>Not a diagnosis.</b> {escape(C.CLINICIAN)}</div>',
        '<h2>Overall band</h2><div class="card"><div class="row">',
        svg.gauge(band_i, a.points, C.BAND_NAMES),
        f"<div><p>Band <b>{escape(a.band)}</b> from {a.points} points. How it was reached:</p></div>",
        "</div>",
        _scoring_table(a),
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
    if a.notes:
        body.append('<h2>Data notes</h2><div class="card"><ul>')
        body += [f"<li>{escape(n)}</li>" for n in a.notes]
        body.append("</ul></div>")
    body.append(
        '<h2>Method</h2><div class="card"><p>Symmetry index (L - R) / mean (Robinson 1987), '
        "computed with the pods' own integer code, 95 % intervals by the delta method. "
        "Leg-length pattern: the short limb lands harder, the long limb stays longer on the ground "
        "(White 2004; Korontzi 2023), sized at a 2 cm anchor and growing as (cm/2)^1.5. "
        "Footwear instability: within-step variability up at unchanged stride rhythm (Stöggl 2010); "
        "the single-session references are provisional, an A/B comparison of two shoes is the stronger test. "
        "Training load: acute:chronic ratio 0.8-1.3 sweet spot, 1.5+ danger zone (Gabbett 2016); "
        "week-to-week rises over 30 % (Nielsen 2014). Aerobic guideline: 150 min a week in bouts of "
        "at least 10 min (Haskell 2007).</p>"
        f'<p class="sub">Generated {generated.strftime("%Y-%m-%d %H:%M UTC")} by StrideKit.</p></div>'
    )
    body.append("</main></body></html>")
    return "\n".join(head + body)
