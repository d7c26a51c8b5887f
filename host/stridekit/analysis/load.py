"""Training load over rolling windows of days, its sudden changes, and the 150-minute guideline.

Load is running time (minutes of stepping). Pods do not know distance or pace;
cadence is shown as the pace proxy. Every window is counted in whole UTC days
and ends on the day of the current run (never calendar weeks, whose first week
is usually only partly recorded):

* acute load: the 7 days ending with the current run's day;
* chronic load: the 28 days ending there, as a weekly average (coupled: the acute
  days are part of it). The acute:chronic workload ratio (ACWR) of 0.8-1.3 was the
  lowest-injury-risk "sweet spot" and >= 1.5 the "danger zone" (Gabbett 2016, Br J
  Sports Med 50:273-280). It is judged only when the recorded history spans the
  whole 28 days;
* week-to-week change: the last 7 days against the 7 days before them, judged only
  when the history covers both windows. Novice runners who raised weekly volume by
  more than 30 % had more distance-related injuries (Nielsen et al. 2014, J Orthop
  Sports Phys Ther 44:739-747);
* aerobic guideline: 150 minutes of moderate aerobic activity a week, counted in
  bouts of at least 10 minutes. The article takes the figure from the Canadian
  Physical Activity Guidelines (the same figure as Haskell et al. 2007, Med Sci
  Sports Exerc 39:1423, the ACSM/AHA activity recommendation); the back-pain figures
  it quotes (41 % less pain, 31 % better function, 35 % less stress with more
  activity) come from a 2007 study in the journal Physical Therapy, not from
  Haskell. A bout is a stretch of steps with no pause longer than BOUT_GAP_S. The
  pods count recorded runs only: other activity is not seen.

A run without a wall clock (pod time never set: start before WALL_CLOCK_MIN_S)
has no date, so it is left out of every window and the load is not judged from it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from stridekit.merge import MergedRun
from stridekit.session import Session

BOUT_GAP_S = 60.0
BOUT_MIN_MIN = 10.0
GUIDELINE_MIN = 150.0
ACWR_SWEET = (0.8, 1.3)
ACWR_DANGER = 1.5
WEEK_JUMP_PCT = 30.0
ACUTE_DAYS = 7
CHRONIC_DAYS = 28
CHART_WINDOWS = 8  # 7-day windows shown in the report's charts
# 2000-01-01 UTC: a start before this is a pod clock that was never set.
WALL_CLOCK_MIN_S = 946_684_800.0  # 2000-01-01
WALL_CLOCK_MAX_S = 4_102_444_800.0  # 2100-01-01
DAY_S = 86400.0


def has_wall_clock(unix_s: float) -> bool:
    """True when a start time is a real date (the pod's clock had been set, and to a
    date a calendar holds: a CRC-valid but absurd Sync must not reach a date)."""
    return WALL_CLOCK_MIN_S <= unix_s < WALL_CLOCK_MAX_S


def session_key(s: Session) -> tuple[object, ...]:
    """A session's identity: the same recording read twice (or from two files) has the same key.

    Pod, foot, the pod's session number and start, and the first Step records (a
    partly synced copy of a session shares them with the full one).
    """
    h = s.header
    first = hashlib.sha256(b"".join(s.step_payloads[:3])).hexdigest()
    return (bytes(h.device_id), h.foot, h.session_id, h.epoch_s, first)


def run_key(run: MergedRun) -> tuple[object, ...]:
    """A run's identity: its sessions' identities (left, right; None for a missing foot)."""
    return tuple(None if s is None else session_key(s) for s in (run.left, run.right))


def dedupe_runs(runs: Sequence[MergedRun]) -> list[MergedRun]:
    """Runs with the same sessions counted once (the one with the most steps kept), order kept."""
    out: list[MergedRun] = []
    where: dict[tuple[object, ...], int] = {}
    for r in runs:
        k = run_key(r)
        i = where.get(k)
        if i is None:
            where[k] = len(out)
            out.append(r)
        elif len(r.steps) > len(out[i].steps):
            out[i] = r
    return out


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

    @property
    def dated(self) -> bool:
        return has_wall_clock(self.start_unix_s)

    @property
    def day(self) -> dt.date:
        return dt.datetime.fromtimestamp(self.start_unix_s, dt.UTC).date()


@dataclass
class Window:
    """Seven days of recorded running, ending on `last` (inclusive)."""

    first: dt.date
    last: dt.date
    minutes: float
    guideline_minutes: float  # in bouts >= 10 min
    runs: int
    covered: bool  # the recorded history reaches back to `first`
    acwr: float  # these 7 days over the weekly mean of the 28 ending with them (NaN if not covered)

    @property
    def label(self) -> str:
        if self.first.month == self.last.month:
            return f"{self.first.day}-{self.last.day} {self.last:%b}"
        return f"{self.first.day} {self.first:%b}-{self.last.day} {self.last:%b}"


@dataclass
class Load:
    windows: list[Window] = field(default_factory=list)  # 7-day windows, oldest first, last = acute
    dated: bool = False  # the current run has a date
    day: dt.date | None = None  # the current run's day (UTC)
    history_days: int = 0  # days from the first dated run to the current run's day, inclusive
    undated_runs: int = 0  # runs left out: no wall clock
    acute_min: float = float("nan")
    chronic_weekly_min: float = float("nan")
    acwr: float = float("nan")
    acwr_judged: bool = False
    acwr_reason: str = ""
    previous_min: float = float("nan")  # the 7 days before the acute window
    change_pct: float = float("nan")
    change_judged: bool = False
    change_reason: str = ""
    jump: bool = False  # ACWR above the sweet spot or a > 30 % rise on the 7 days before
    danger: bool = False  # ACWR >= 1.5
    guideline_judged: bool = False
    guideline_min: float = float("nan")  # last 7 days, in bouts >= 10 min
    guideline_met: bool = False
    text: str = ""
    guideline_text: str = ""

    @property
    def judged(self) -> bool:
        """Something about the load's change was judged (ratio or week-to-week change)."""
        return self.acwr_judged or self.change_judged


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


def _min(v: float) -> str:
    return f"{v:.0f} min" if v >= 10 else f"{v:.1f} min"


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def windows(loads: Sequence[RunLoad], last_day: dt.date, n: int = CHART_WINDOWS) -> list[Window]:
    """Up to n consecutive 7-day windows ending on last_day (oldest first) from dated runs.

    Windows before the first recorded day are left out; the oldest one shown may be
    only partly covered (`covered` False).
    """
    dated = [x for x in loads if x.dated and x.day <= last_day]
    if not dated:
        return []
    first_day = min(x.day for x in dated)
    span = (last_day - first_day).days + 1
    mins = np.zeros(span)
    gmins = np.zeros(span)
    runs = np.zeros(span, int)
    for x in dated:
        i = (x.day - first_day).days
        mins[i] += x.minutes
        gmins[i] += x.guideline_minutes
        runs[i] += 1
    out: list[Window] = []
    for k in range(n):
        hi = span - ACUTE_DAYS * k  # exclusive index
        lo = hi - ACUTE_DAYS
        if hi <= 0:
            break
        c_lo = hi - CHRONIC_DAYS
        acwr = float("nan")
        if c_lo >= 0 and mins[c_lo:hi].sum() > 0:
            acwr = float(mins[max(lo, 0) : hi].sum() / (mins[c_lo:hi].sum() / 4))
        out.append(
            Window(
                last_day - dt.timedelta(days=ACUTE_DAYS * k + ACUTE_DAYS - 1),
                last_day - dt.timedelta(days=ACUTE_DAYS * k),
                float(mins[max(lo, 0) : hi].sum()),
                float(gmins[max(lo, 0) : hi].sum()),
                int(runs[max(lo, 0) : hi].sum()),
                lo >= 0,
                acwr,
            )
        )
    return out[::-1]


def load(runs: Sequence[MergedRun]) -> Load:
    """Training load of the runs given (history, then the current run LAST), in rolling days."""
    runs = dedupe_runs(runs)
    if not runs:
        return Load(text="no runs", guideline_text="no runs")
    loads = [run_load(r) for r in runs]
    cur = loads[-1]
    out = Load(undated_runs=sum(not x.dated for x in loads))
    if not cur.dated:
        why = (
            "the date of this run is unknown (the pods' clocks were never set), so it "
            "cannot be placed among the other runs"
        )
        out.acwr_reason = out.change_reason = why
        out.text = "could not judge: " + why
        out.guideline_text = (
            f"could not judge: the date of this run is unknown; this run: "
            f"{cur.guideline_minutes:.0f} min in bouts of >= {BOUT_MIN_MIN:.0f} min "
            "(recorded runs only: other activity is not seen)"
        )
        return out
    day = cur.day
    out.dated = True
    out.day = day
    dated = [x for x in loads if x.dated]
    first = min(x.day for x in dated)
    out.history_days = (day - first).days + 1
    ws = windows(dated, day)
    out.windows = ws
    acute = ws[-1]
    out.acute_min = acute.minutes
    have = f"the recorded runs span {_days(out.history_days)} ({first} to {day})"
    # acute:chronic ratio over the 28 days ending with this run's day
    if out.history_days >= CHRONIC_DAYS:
        chronic = ws[-(CHRONIC_DAYS // ACUTE_DAYS) :]
        out.chronic_weekly_min = sum(w.minutes for w in chronic) / len(chronic)
        if out.chronic_weekly_min > 0:
            out.acwr = acute.minutes / out.chronic_weekly_min
            out.acwr_judged = True
        else:
            out.acwr_reason = f"no recorded running in the {CHRONIC_DAYS} days"
    else:
        out.acwr_reason = f"needs {CHRONIC_DAYS} days of recorded runs; {have}"
    # the last 7 days against the 7 before them, both inside the history
    if out.history_days >= 2 * ACUTE_DAYS:
        prev = ws[-2]
        out.previous_min = prev.minutes
        if prev.minutes > 0:
            out.change_pct = (acute.minutes / prev.minutes - 1) * 100
            out.change_judged = True
        else:
            out.change_reason = (
                f"no recorded running in the 7 days before ({prev.first} to {prev.last})"
            )
    else:
        out.change_reason = (
            f"needs {2 * ACUTE_DAYS} days of recorded runs (the last 7 days and the 7 before "
            f"them); {have}"
        )
    hi_acwr = out.acwr_judged and out.acwr > ACWR_SWEET[1]
    hi_change = out.change_judged and out.change_pct > WEEK_JUMP_PCT
    out.jump = hi_acwr or hi_change
    out.danger = out.acwr_judged and out.acwr >= ACWR_DANGER
    last7 = f"the 7 days {acute.first} to {day}"
    parts: list[str] = []
    if out.change_judged:
        parts.append(
            f"{_min(acute.minutes)} in {last7}, {out.change_pct:+.0f} % on the "
            f"{_min(out.previous_min)} of the 7 days before"
            + (f" (more than +{WEEK_JUMP_PCT:.0f} %)" if hi_change else "")
        )
    else:
        parts.append(
            f"{_min(acute.minutes)} in {last7}; week-to-week change not judged: "
            + out.change_reason
        )
    if out.acwr_judged:
        parts.append(
            f"acute:chronic ratio {out.acwr:.2f} ({_min(acute.minutes)} over a "
            f"{_min(out.chronic_weekly_min)} weekly average of the last {CHRONIC_DAYS} days; "
            + (
                f">= {ACWR_DANGER}: danger zone)"
                if out.danger
                else f"sweet spot {ACWR_SWEET[0]}-{ACWR_SWEET[1]})"
            )
        )
    else:
        parts.append("acute:chronic ratio not judged: " + out.acwr_reason)
    if out.jump:
        out.text = "training-load jump: " + "; ".join(parts)
    elif out.judged:
        out.text = "no training-load jump: " + "; ".join(parts)
    else:
        out.text = "could not judge: " + "; ".join(parts)
    if out.undated_runs:
        out.text += f"; {out.undated_runs} run(s) without a date (pod clock not set) left out"
    # the 150-minute guideline over the same last 7 days
    out.guideline_judged = True
    out.guideline_min = acute.guideline_minutes
    out.guideline_met = acute.guideline_minutes >= GUIDELINE_MIN
    out.guideline_text = (
        f"{last7}: {acute.guideline_minutes:.0f} min in bouts of >= {BOUT_MIN_MIN:.0f} min "
        f"(guideline {GUIDELINE_MIN:.0f})"
        + (
            ""
            if out.guideline_met
            else f", {GUIDELINE_MIN - acute.guideline_minutes:.0f} min short"
        )
        + "; recorded runs only: other activity is not seen"
    )
    return out
