"""Training plans: a runner's sessions over weeks, with a sudden jump in weekly load.

The cause this exercises is a training-load error. Two published yardsticks go in
the ground truth of every plan:

* acute:chronic workload ratio, this week's load over the mean weekly load of the
  four weeks ending with it (coupled, rolling): 0.8-1.3 was the lowest-risk band
  and >= 1.5 the "danger zone" in Gabbett 2016 (Br J Sports Med 50:273-280);
* week-to-week change: novice runners who raised weekly distance by more than
  30 % had more distance-related injuries (Nielsen et al. 2014, J Orthop Sports
  Phys Ther 44:739-747).

Load here is running time (minutes) and distance (km); the plan states both.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np

from stridekit.sim.gait import RunnerParams, simulate

# Sessions per week fall on these weekdays (Mon=0), with these shares of the week's
# minutes and these speeds relative to the runner's easy speed (long run Sunday).
_WEEK_TEMPLATE: dict[int, tuple[tuple[int, float, float, str], ...]] = {
    3: ((1, 0.30, 1.00, "easy"), (3, 0.30, 1.10, "tempo"), (6, 0.40, 0.95, "long")),
    4: (
        (1, 0.20, 1.00, "easy"),
        (3, 0.22, 1.10, "tempo"),
        (5, 0.20, 1.00, "easy"),
        (6, 0.38, 0.95, "long"),
    ),
    5: (
        (0, 0.15, 1.00, "easy"),
        (1, 0.18, 1.10, "tempo"),
        (3, 0.17, 1.00, "easy"),
        (4, 0.15, 1.00, "easy"),
        (6, 0.35, 0.95, "long"),
    ),
}


@dataclass(frozen=True)
class PlannedSession:
    index: int
    week: int  # 0-based
    date: str  # ISO date
    start_epoch_s: int  # 07:00 UTC on that date
    minutes: float
    speed_m_s: float
    kind: str  # easy, tempo, long

    @property
    def km(self) -> float:
        return self.speed_m_s * self.minutes * 60 / 1000

    @property
    def pace_s_per_km(self) -> float:
        return 1000 / self.speed_m_s


@dataclass(frozen=True)
class WeekLoad:
    week: int
    minutes: float
    km: float
    change_pct: float  # vs the previous week (NaN for week 0)
    acwr: float  # this week / mean of the four weeks ending with it (NaN before week 3)
    jump: bool  # a planned load increase starts this week


def session_plan(
    start: dt.date,
    *,
    weeks_steady: int = 4,
    jump_pct: float = 50.0,
    weeks_after: int = 2,
    sessions_per_week: int = 4,
    week_minutes: float = 150.0,
    speed_m_s: float = 3.0,
    pace_jump_pct: float = 0.0,
    day_cv: float = 0.05,
    seed: int = 0,
) -> list[PlannedSession]:
    """Steady weeks, then a jump of jump_pct in weekly minutes held for weeks_after weeks.

    pace_jump_pct raises the speed of the same weeks (a sudden change in pace).
    Session minutes vary by day_cv around the template (seeded).
    """
    if sessions_per_week not in _WEEK_TEMPLATE:
        raise ValueError(f"sessions_per_week must be one of {sorted(_WEEK_TEMPLATE)}")
    rng = np.random.default_rng([seed & 0xFFFFFFFF, 11])
    monday = start - dt.timedelta(days=start.weekday())
    out: list[PlannedSession] = []
    for week in range(weeks_steady + weeks_after):
        after = week >= weeks_steady
        minutes = week_minutes * (1 + jump_pct / 100 if after else 1.0)
        speed = speed_m_s * (1 + pace_jump_pct / 100 if after else 1.0)
        for day, share, rel, kind in _WEEK_TEMPLATE[sessions_per_week]:
            date = monday + dt.timedelta(days=7 * week + day)
            epoch = int(dt.datetime(date.year, date.month, date.day, 7, tzinfo=dt.UTC).timestamp())
            m = minutes * share * float(np.exp(day_cv * rng.standard_normal()))
            out.append(
                PlannedSession(
                    len(out), week, date.isoformat(), epoch, round(m, 1), speed * rel, kind
                )
            )
    return out


def weekly_load(plan: list[PlannedSession], weeks_steady: int | None = None) -> list[WeekLoad]:
    """Per-week totals, week-to-week change and the acute:chronic ratio (Gabbett 2016)."""
    n_weeks = max(s.week for s in plan) + 1 if plan else 0
    minutes = np.zeros(n_weeks)
    km = np.zeros(n_weeks)
    for s in plan:
        minutes[s.week] += s.minutes
        km[s.week] += s.km
    out: list[WeekLoad] = []
    for w in range(n_weeks):
        change = (minutes[w] / minutes[w - 1] - 1) * 100 if w > 0 and minutes[w - 1] else np.nan
        acwr = minutes[w] / minutes[w - 3 : w + 1].mean() if w >= 3 else np.nan
        out.append(
            WeekLoad(
                w,
                round(float(minutes[w]), 1),
                round(float(km[w]), 2),
                float(change),
                float(acwr),
                weeks_steady is not None and w == weeks_steady,
            )
        )
    return out


def cadence_at(runner: RunnerParams, speed_m_s: float) -> float:
    """The runner's cadence at another speed: stride length carries most of a speed
    change, so cadence follows speed by the runner's own ratio to the 0.3 (ASSUMED)."""
    return runner.cadence_spm * (speed_m_s / runner.speed_m_s) ** 0.3


def session_params(
    plan: list[PlannedSession], runner: RunnerParams, sim_minutes: float | None = None
) -> list[RunnerParams]:
    """One RunnerParams per session: the same runner, the session's speed, length and date.

    sim_minutes caps the simulated length (the plan keeps the real one). Cadence
    follows speed by the runner's own ratio (stride length carries most of a speed
    change; the 0.3 exponent is ASSUMED).
    """
    out: list[RunnerParams] = []
    for s in plan:
        minutes = s.minutes if sim_minutes is None else min(s.minutes, sim_minutes)
        cadence = cadence_at(runner, s.speed_m_s)
        out.append(
            replace(
                runner,
                speed_m_s=s.speed_m_s,
                cadence_spm=cadence,
                duration_s=minutes * 60,
                seed=(runner.seed * 1000 + s.index) & 0x7FFFFFFF,
                start_epoch_s=s.start_epoch_s,
            )
        )
    return out


def plan_truth(plan: list[PlannedSession], weeks_steady: int) -> dict[str, object]:
    return {
        "sessions": [asdict(s) | {"km": round(s.km, 2)} for s in plan],
        "weeks": [asdict(w) for w in weekly_load(plan, weeks_steady)],
        "jump_week": weeks_steady,
        "yardsticks": {
            "acwr_high": 1.5,
            "acwr_sweet_spot": [0.8, 1.3],
            "weekly_increase_pct_risky": 30,
        },
    }


def _write_session(out_dir: Path, name: str, params: RunnerParams, raw: bool) -> tuple[str, int]:
    """Simulate and record one session (runs in a worker); (file name, bytes written)."""
    from stridekit.sim.record import write_run

    path = out_dir / f"{name}.strd"
    write_run(simulate(params), path, out_dir / f"{name}.truth.json", raw=raw)
    return path.name, path.stat().st_size


def write_plan(
    out_dir: Path,
    plan: list[PlannedSession],
    runner: RunnerParams,
    weeks_steady: int,
    sim_minutes: float | None = None,
    *,
    raw: bool = False,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Simulate and write every session (sNN_DATE.strd + truth) and plan.json; returns plan.json.

    Each session is simulated at its full length (sim_minutes caps it) and recorded
    as a pod with raw capture off records it: Step and Flag records only, what the
    training load needs (raw=True keeps every Sample, ~0.6 MB per minute, for replay).
    Sessions run in `workers` processes, each holding one session at a time, so
    memory does not grow with the plan; `progress(done, total)` after each.
    """
    from concurrent.futures import ProcessPoolExecutor, as_completed

    out_dir.mkdir(exist_ok=True)
    names = [f"s{s.index:02d}_{s.date}" for s in plan]
    params = session_params(plan, runner, sim_minutes)
    done = 0
    if workers <= 1:
        for name, p in zip(names, params, strict=True):
            _write_session(out_dir, name, p, raw)
            done += 1
            if progress is not None:
                progress(done, len(plan))
    else:
        # longest sessions first, so no worker is left with a long run at the end
        order = sorted(range(len(plan)), key=lambda i: -params[i].duration_s)
        with ProcessPoolExecutor(max_workers=workers) as ex:
            futs = [ex.submit(_write_session, out_dir, names[i], params[i], raw) for i in order]
            for f in as_completed(futs):
                f.result()
                done += 1
                if progress is not None:
                    progress(done, len(plan))
    truth = plan_truth(plan, weeks_steady)
    truth["files"] = [f"{n}.strd" for n in names]
    truth["simulated_minutes_cap"] = sim_minutes
    truth["raw_samples"] = raw
    path = out_dir / "plan.json"
    path.write_text(json.dumps(truth, indent=1, allow_nan=True))
    return path
