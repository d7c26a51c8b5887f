"""`stride eval --stride-length DATA`: foot-IMU stride length and distance against real references."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from rich.console import Console
from rich.table import Table


def run_eval_stride_length(root: Path, console: Console) -> int:
    """Print the per-walk and summary tables; 0, or 2 when no reference data is found."""
    from rich.progress import track

    from stridekit.eval import strides as S

    walks = []
    if (root / "ipol-gait-imu").is_dir():
        walks += S.ipol_walks(root)
    if (root / "gaitmap-example").is_dir():
        walks += S.gaitmap_walks(root)
    if not walks:
        console.print(f"[red]no ipol-gait-imu or gaitmap-example under {root}[/]")
        return 2
    results: list[S.WalkResult] = []
    for w in track(walks, description="integrating strides", console=console):
        results += S.evaluate([w])

    t = Table(title="Distance per foot and walk (ZUPT strapdown integration, analysis/zupt.py)")
    for c in (
        "source",
        "walk",
        "foot",
        "still moments",
        "strides",
        "median stride m",
        "distance m",
        "reference m",
        "error",
    ):
        t.add_column(
            c, justify="right" if c not in ("source", "walk", "foot", "still moments") else "left"
        )
    for r in results:
        err = "not scored: " + r.skip if r.skip else f"{r.err_pct:+.1f} %"
        t.add_row(
            r.source, r.name, r.foot, r.method, str(r.n_strides),
            "-" if r.n_strides == 0 else f"{r.median_stride_m:.2f}",
            f"{r.distance_m:.2f}", f"{r.ref_m:.0f}", err,
        )  # fmt: skip
    console.print(t)

    s = Table(title="Summary: distance error per walk, median with 95 % bootstrap interval")
    for c in (
        "source",
        "still moments",
        "walks",
        "error",
        "|error|",
        f"within {S.GOAL_DISTANCE_PCT:g} %",
    ):
        s.add_column(c)
    for x in S.summarise(results):
        lo, hi = x.within_ci
        s.add_row(
            x.source, x.method, str(x.n), S.fmt_ci(x.err), S.fmt_ci(x.abs_err),
            f"{x.within}/{x.n} [{100 * lo:.0f}-{100 * hi:.0f} %]",
        )  # fmt: skip
    console.print(s)
    if (root / "gaitmap-example" / "imu_sample.csv").is_file():
        _print_per_stride(root, console, S)
    console.print(
        "Still moments: 'gyro norm' = windows of 0.15 s with mean |gyro| <= 15 deg/s "
        "(gaitmap's published defaults); 'stance' = the stillest sample of each stance "
        "(acceleration nearest 1 g, least rotation: Skog's SHOE statistic with gaitmap's "
        "default noise variances) "
        "(the pod has stances from pressure; here from the data set's annotations).\n"
        f"Goals: distance within {S.GOAL_DISTANCE_PCT:g} %; stride length median |error| <= "
        f"{S.GOAL_STRIDE_PCT:g} % per stride against gaitmap's motion capture (the per-stride "
        "table). The ipol reference is the 20 m "
        "course: the whole path ('stance') includes the feet's way around the turn and overshoots it, "
        "'stance, no turn' leaves the turn's strides out and falls short: the course lies between "
        "(see eval/strides.py)."
    )
    return 0


def _print_per_stride(root: Path, console: Console, S: ModuleType) -> None:
    """Per-stride errors against gaitmap's motion-capture stride lengths."""
    ps = S.per_stride(root)
    t = Table(
        title="Stride length per stride vs motion capture (gaitmap imu_sample, "
        "heel marker mid-stance to mid-stance), median with 95 % bootstrap interval"
    )
    for c in ("still moments", "foot", "strides", "error", "|error|", "goal"):
        t.add_column(c, justify="left" if c in ("still moments", "foot", "goal") else "right")
    for x in S.summarise_strides(ps):
        unmatched = x.n_ref - x.n_matched
        n = f"{x.n_matched}/{x.n_ref}" + (f" ({unmatched} unmatched)" if unmatched else "")
        goal = f"<= {S.GOAL_STRIDE_PCT:g} %: " + x.goal
        t.add_row(x.method, x.foot, n, S.fmt_ci(x.err), S.fmt_ci(x.abs_err), goal)
    console.print(t)
    extra = ", ".join(f"{m} {n}" for m, n in sorted(ps.extra.items()))
    console.print(
        f"IMU strides matched to no reference stride (a false still moment splits one, "
        f"or the walker's first or last movement): {extra}. A reference stride is "
        f"unmatched when no IMU stride lies {100 * S.MATCH_SHARE:.0f} % inside it "
        "(a missed still moment merges two)."
    )
