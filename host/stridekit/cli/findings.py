"""`stride eval --findings`: the findings' sensitivity and false positives, printed as tables."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from stridekit.errors import StrideError
from stridekit.eval import findings as F
from stridekit.progress import count_bar
from stridekit.tables import print_in_parts


def _goal(r: F.Rate, goal: float, upper: bool) -> str:
    if not r.n:
        return "n/a"
    ok = r.p <= goal if upper else r.p >= goal
    return ("met" if ok else "[red]missed[/]") + f" ({'<=' if upper else '>='} {goal:.0%})"


def print_real(res: F.RealFindings, console: Console) -> None:
    t = Table(
        title="Real healthy walkers (gaitpdb controls): how often a finding fires",
        caption="held out: subjects the baseline was not fitted on (the figure that counts)",
    )
    t.add_column("finding")
    t.add_column("held out", justify="right")
    t.add_column("fit half", justify="right")
    t.add_column("goal", justify="right")
    rows = [
        ("leg length: judged", "judged", F.GOAL_JUDGED, False),
        ("leg length: report finding (pattern or uneven)", "leg", F.GOAL_FP, True),
        ("  leg-length pattern (possible/likely)", "lld", F.GOAL_FP, True),
        ("  unequal loading", "uneven", F.GOAL_FP, True),
        ("footwear: report finding", "shoes", F.GOAL_FP, True),
        ("footwear: pod UNSTABLE flag", "pod_unstable", F.GOAL_FP, True),
    ]
    for label, key, goal, upper in rows:
        ho = res.rate(key, True)
        t.add_row(label, ho.text(), res.rate(key, False).text(), _goal(ho, goal, upper))
    print_in_parts(console, t)
    pr = res.rate("shoes_ref", None)
    console.print(
        "footwear with a learnt reference (pods that saw another walk of the same person; "
        f"thresholds from Stöggl 2010, not fitted here): {pr.text()} "
        f"{_goal(pr, F.GOAL_FP, True)}"
    )
    b = res.baseline
    sd = ", ".join(f"{n} {v:.1f}" for n, v in zip(F.B.FEATURES, b.sd, strict=True))
    console.print(
        f"healthy between-person SD (% or % of foot length), {b.n_walks} walks of "
        f"{b.n_subjects} subjects: {sd}"
    )
    if not res.baseline_matches_committed:
        console.print(
            "[yellow]the committed healthy_baseline.json differs from this fit: run "
            "`stride eval --findings --real DATA --write-baseline`[/]"
        )
    fired = [w for w in res.walks if w.lld in ("possible", "likely") or w.uneven or w.shoes]
    for w in fired:
        what = [
            x
            for x, on in (
                ("pattern", w.lld in ("possible", "likely")),
                ("uneven", w.uneven),
                ("footwear", w.shoes),
            )
            if on
        ]
        console.print(
            f"  fired on {w.name} ({'held out' if w.held_out else 'fit half'}): "
            f"{', '.join(what)}; pattern score {w.score:+.2f}"
        )


def print_corpus(res: F.CorpusFindings, console: Console) -> None:
    errors = [r for r in res.runners if r.error]
    t = Table(title="Simulated runners: each finding by condition and size")
    for col in (
        "group",
        "gait",
        "n",
        "leg-length found",
        "side right",
        "unequal loading",
        "footwear (report)",
        "footwear (pod flag)",
    ):
        t.add_column(col, justify="left" if col in ("group", "gait") else "right")
    for gait in ("run", "walk"):
        ctl = res.group("control", gait)
        if ctl:
            t.add_row(
                "controls",
                gait,
                str(len(ctl)),
                res.lld_found(ctl).text(),
                "",
                F.Rate(sum(r.uneven for r in ctl), len(ctl)).text(),
                F.Rate(sum(r.shoes for r in ctl), len(ctl)).text(),
                F.Rate(sum(r.pod_unstable for r in ctl), len(ctl)).text(),
            )
        lld = res.group("lld", gait)
        for cm in sorted({r.lld_cm for r in lld}):
            rows = [r for r in lld if r.lld_cm == cm]
            t.add_row(
                f"LLD {cm:g} cm",
                gait,
                str(len(rows)),
                res.lld_found(rows).text(),
                res.side_right(rows).text(),
                F.Rate(sum(r.uneven for r in rows), len(rows)).text(),
                "",
                "",
            )
        ton = res.group("toning", gait)
        if ton:
            t.add_row(
                "toning soles",
                gait,
                str(len(ton)),
                res.lld_found(ton).text(),
                "",
                "",
                F.Rate(sum(r.shoes for r in ton), len(ton)).text(),
                F.Rate(sum(r.pod_unstable for r in ton), len(ton)).text(),
            )
    print_in_parts(console, t)
    ctl = res.group("control")
    big = [r for r in res.group("lld") if r.lld_cm >= 2.0]
    ton = res.group("toning")
    g = Table(title="Goals of the findings, simulated runners")
    g.add_column("goal")
    g.add_column("measured", justify="right")
    g.add_column("", justify="right")
    fp_leg = F.Rate(sum(r.lld in ("possible", "likely") or r.uneven for r in ctl), len(ctl))
    fp_shoes = F.Rate(sum(r.shoes for r in ctl), len(ctl))
    fp_pod = F.Rate(sum(r.pod_unstable for r in ctl), len(ctl))
    for label, r, goal, upper in (
        ("controls: leg-length finding", fp_leg, F.GOAL_FP, True),
        ("controls: footwear finding", fp_shoes, F.GOAL_FP, True),
        ("controls: pod UNSTABLE", fp_pod, F.GOAL_FP, True),
        ("LLD >= 2 cm found", res.lld_found(big), F.GOAL_SENS, False),
        ("LLD >= 2 cm side right", res.side_right(big), F.GOAL_SIDE, False),
        (
            "toning found by the report",
            F.Rate(sum(r.shoes for r in ton), len(ton)),
            F.GOAL_SENS,
            False,
        ),
        (
            "toning found by the pod flag",
            F.Rate(sum(r.pod_unstable for r in ton), len(ton)),
            F.GOAL_SENS,
            False,
        ),
    ):
        g.add_row(label, r.text(), _goal(r, goal, upper))
    print_in_parts(console, g)
    ever = F.Rate(sum(r.pod_unstable_ever for r in ctl), len(ctl))
    console.print(
        f"pod UNSTABLE raised at some moment of a control's run (live view; the flag above "
        f"is the state at the end): {ever.text()}"
    )
    if errors:
        console.print(f"[yellow]{len(errors)} runner(s) could not be judged:[/]")
        for r in errors[:10]:
            console.print(f"  {r.id}: {r.error}")


def run_eval_findings(
    corpus: Path | None, real: Path | None, workers: int, write_baseline: bool, console: Console
) -> int:
    """`stride eval --findings [CORPUS] [--real DATA]`; exit code 0, or 2 on unusable input."""
    if corpus is None and real is None:
        console.print("[red]error:[/] --findings needs a CORPUS folder, --real DATA, or both")
        return 2
    try:
        if real is not None:
            with count_bar(console) as bar:
                task = bar.add_task("healthy walks", total=None)
                res = F.real_findings(
                    real, workers, lambda i, n: bar.update(task, completed=i, total=n)
                )
            if write_baseline:
                F.write_baseline(res.baseline)
                res.baseline_matches_committed = True
                console.print(f"wrote {F.B.BASELINE_FILE}")
            print_real(res, console)
        if corpus is not None:
            with count_bar(console) as bar:
                task = bar.add_task("simulated runners", total=None)
                cres = F.corpus_findings(
                    corpus, workers, lambda i, n: bar.update(task, completed=i, total=n)
                )
            print_corpus(cres, console)
    except StrideError as e:
        console.print(f"[red]error:[/] {e}")
        return 2
    return 0
