"""Training load per week, the acute:chronic workload ratio, sudden changes, and the 150-minute guideline.

Load is running time (minutes of stepping) per calendar week (Monday-Sunday,
UTC). Pods do not know distance or pace; cadence is shown as the pace proxy.

* Acute:chronic workload ratio (ACWR), coupled rolling: this week's load over
  the mean weekly load of the four weeks ending with it. 0.8-1.3 was the
  lowest-injury-risk "sweet spot" and >= 1.5 the "danger zone" (Gabbett 2016,
  Br J Sports Med 50:273-280). Needs four weeks of history.
* Week-to-week change: novice runners who raised weekly volume by more than 30 %
  had more distance-related injuries (Nielsen et al. 2014, J Orthop Sports Phys
  Ther 44:739-747).
* Aerobic guideline: 150 minutes of moderate aerobic activity a week, counted in
  bouts of at least 10 minutes (Haskell et al. 2007, Med Sci Sports Exerc
  39:1423; the article's 2007 study found 41 % less back pain). A bout is a
  stretch of steps with no pause longer than BOUT_GAP_S.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from stridekit.merge import MergedRun

BOUT_GAP_S = 60.0
BOUT_MIN_MIN = 10.0
GUIDELINE_MIN = 150.0
ACWR_SWEET = (0.8, 1.3)
ACWR_DANGER = 1.5
WEEK_JUMP_PCT = 30.0
CHRONIC_WEEKS = 4


@dataclass
class RunLoad:
    start_unix_s: float
    minutes: float
    bout_minutes: list[float]  # every continuous bout
    steps: int
    cadence_spm: float  # steps per minute of both feet (NaN when unknown)

    @property
    def guideline_minutes(self) -> float:
        return float(sum(b for b in self.bout_minutes if b >= BOUT_MIN_MIN))


@dataclass
class Week:
    monday: dt.date
    minutes: float
    guideline_minutes: float  # in bouts >= 10 min
    runs: int
    change_pct: float  # vs the previous week (NaN when unknown)
    acwr: float  # NaN before CHRONIC_WEEKS weeks


@dataclass
class Load:
    weeks: list[Week] = field(default_factory=list)
    acwr_judged: bool = False
    reason: str = ""
    jump: bool = False  # ACWR above the sweet spot or a > 30 % week-to-week rise
    danger: bool = False  # ACWR >= 1.5
    jump_week: dt.date | None = None
    guideline_met: bool = False
    text: str = ""
    guideline_text: str = ""


def run_load(run: MergedRun) -> RunLoad:
    """Minutes of stepping and its bouts in one run (both feet's steps together)."""
    t = np.array([s.t_s for s in run.steps])
    if len(t) < 2:
        return RunLoad(run.start_unix_s, 0.0, [], len(t), float("nan"))
    breaks = np.nonzero(np.diff(t) > BOUT_GAP_S)[0]
    starts = np.concatenate([[0], breaks + 1])
    ends = np.concatenate([breaks, [len(t) - 1]])
    bouts = [float(t[e] - t[s]) / 60 for s, e in zip(starts, ends, strict=True)]
    minutes = float(sum(bouts))
    per_foot = 1 if not run.both_feet else 2
    cad = len(t) / minutes * (2 / per_foot) if minutes > 0 else float("nan")
    return RunLoad(run.start_unix_s, minutes, bouts, len(t), cad)


def _monday(unix_s: float) -> dt.date:
    d = dt.datetime.fromtimestamp(unix_s, dt.UTC).date()
    return d - dt.timedelta(days=d.weekday())


def weekly(loads: Sequence[RunLoad]) -> list[Week]:
    if not loads:
        return []
    mondays = [_monday(x.start_unix_s) for x in loads]
    first, last = min(mondays), max(mondays)
    n = (last - first).days // 7 + 1
    mins = np.zeros(n)
    gmins = np.zeros(n)
    runs = np.zeros(n, int)
    for x, m in zip(loads, mondays, strict=True):
        w = (m - first).days // 7
        mins[w] += x.minutes
        gmins[w] += x.guideline_minutes
        runs[w] += 1
    out: list[Week] = []
    for w in range(n):
        ch = (mins[w] / mins[w - 1] - 1) * 100 if w > 0 and mins[w - 1] > 0 else float("nan")
        acwr = (
            mins[w] / mins[w - CHRONIC_WEEKS + 1 : w + 1].mean()
            if w >= CHRONIC_WEEKS - 1 and mins[w - CHRONIC_WEEKS + 1 : w + 1].mean() > 0
            else float("nan")
        )
        out.append(
            Week(
                first + dt.timedelta(days=7 * w),
                float(mins[w]),
                float(gmins[w]),
                int(runs[w]),
                float(ch),
                float(acwr),
            )
        )
    return out


def load(runs: Sequence[MergedRun]) -> Load:
    """Weekly load over all runs given (history and the current run)."""
    loads = [run_load(r) for r in runs]
    weeks = weekly(loads)
    out = Load(weeks)
    if not weeks:
        out.reason = "no runs"
        return out
    cur = weeks[-1]
    # The guideline is judged over the 7 days ending with the current run, not the
    # calendar week: on a Tuesday the calendar week holds two days of running.
    end_s = max(x.start_unix_s for x in loads)
    last7 = sum(x.guideline_minutes for x in loads if x.start_unix_s > end_s - 7 * 86400)
    day = dt.datetime.fromtimestamp(end_s, dt.UTC).date()
    out.guideline_met = last7 >= GUIDELINE_MIN
    out.guideline_text = (
        f"7 days to {day}: {last7:.0f} min in bouts of >= "
        f"{BOUT_MIN_MIN:.0f} min (guideline {GUIDELINE_MIN:.0f})"
        + ("" if out.guideline_met else f", {GUIDELINE_MIN - last7:.0f} min short")
    )
    if len(weeks) < CHRONIC_WEEKS:
        out.reason = (
            f"acute:chronic ratio needs {CHRONIC_WEEKS} weeks of sessions; "
            f"have {len(weeks)} week(s)"
        )
        # a week-to-week jump can still be seen with two weeks
        recent = weeks[-2:] if len(weeks) >= 2 else []
    else:
        out.acwr_judged = True
        recent = weeks[-2:]
    for w in recent:
        hi_acwr = w.acwr == w.acwr and w.acwr > ACWR_SWEET[1]
        hi_change = w.change_pct == w.change_pct and w.change_pct > WEEK_JUMP_PCT
        if hi_acwr or hi_change:
            out.jump = True
            out.jump_week = w.monday
            out.danger = out.danger or (w.acwr == w.acwr and w.acwr >= ACWR_DANGER)
    if out.jump and out.jump_week is not None:
        w = next(x for x in weeks if x.monday == out.jump_week)
        out.text = (
            f"training-load jump in the week of {w.monday}: {w.minutes:.0f} min "
            f"({w.change_pct:+.0f} % vs the week before), acute:chronic ratio "
            + (f"{w.acwr:.2f}" if w.acwr == w.acwr else "n/a")
            + (
                " (>= 1.5: danger zone)"
                if out.danger
                else f" (sweet spot {ACWR_SWEET[0]}-{ACWR_SWEET[1]})"
            )
        )
    elif out.acwr_judged:
        out.text = f"steady load: acute:chronic ratio {cur.acwr:.2f} (sweet spot 0.8-1.3)"
    else:
        out.text = "no week-to-week jump seen; " + out.reason
    return out
