"""Simulated runs recorded through the firmware kernel, merged: the input the report sees."""

from __future__ import annotations

import functools

from stridekit.merge import MergedRun, merge_run
from stridekit.session import Session, iter_records, sessions_from_records
from stridekit.sim.gait import RunnerParams, simulate
from stridekit.sim.record import record_foot


def recorded(p: RunnerParams) -> bytes:
    run = simulate(p)
    return b"".join(record_foot(run, f, i + 1) for i, f in enumerate(run.feet))


def sessions_of(data: bytes) -> list[Session]:
    recs, issues, _ = iter_records(data)
    return sessions_from_records(recs, issues)


@functools.cache
def merged(**kw: object) -> MergedRun:
    """A merged simulated run, cached (read only)."""
    ss = sessions_of(recorded(RunnerParams(**kw)))  # type: ignore[arg-type]
    return merge_run(ss[0], ss[1])
