"""Replay a whole library: the firmware kernel over every stored session, in parallel.

Each session is checked on its own (stridekit.replay.replay: the kernel re-run on
the raw samples must reproduce the pod's Step and Flag records bit for bit) and
summarised again from the replayed steps. Work goes to a local process pool, or
to a Dask distributed cluster when given its scheduler address ("local": a Dask
cluster of processes on this machine). Workers return a small SessionCheck.

What a worker reads: local workers and a "local" cluster get file paths (the same
disk). A remote cluster gets the session's bytes (scattered to the worker, a bounded
number in flight), so its workers need no shared file system; `ship="paths"` keeps
paths for a cluster whose workers all mount the library at the same place.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from stridekit.errors import StrideError
from stridekit.library import Library


class SchedulerUnreachable(StrideError, ConnectionError):
    """The Dask scheduler given with --dask did not answer."""


@dataclass
class SessionCheck:
    """One session's replay: identical or not, and its recomputed summary."""

    id: int
    foot: str = ""
    duration_s: float = 0.0
    n_stored: int = 0
    n_replayed: int = 0
    identical: bool = False
    first_difference: str | None = None
    cadence_spm: float | None = None  # steps/min of both feet (twice this foot's contacts)
    stance_ms: float | None = None
    peak_force_n: float | None = None
    cpu_s: float = 0.0
    error: str | None = None
    not_replayed: str | None = None  # why the kernel cannot be re-run (replay.not_replayable)


@dataclass
class BatchResult:
    checks: list[SessionCheck] = field(default_factory=list)
    wall_s: float = 0.0
    workers: int = 1
    where: str = "local"

    @property
    def sessions_per_s(self) -> float:
        return len(self.checks) / self.wall_s if self.wall_s > 0 else 0.0

    @property
    def realtime_per_core(self) -> float:
        """Recorded seconds replayed per CPU second of kernel work (x real time on one core)."""
        cpu = sum(c.cpu_s for c in self.checks)
        return sum(c.duration_s for c in self.checks) / cpu if cpu > 0 else 0.0

    @property
    def all_identical(self) -> bool:
        return all(c.identical for c in self.checks if c.error is None and c.not_replayed is None)


def check_session(session_id: int, source: str | bytes) -> SessionCheck:
    """Replay one stored session, given as a file path or its bytes (runs in a worker;
    never raises)."""
    from stridekit.replay import not_replayable, replay
    from stridekit.session import read_sessions, sessions_from_bytes

    t0 = time.process_time()
    out = SessionCheck(session_id)
    try:
        if isinstance(source, bytes):
            found = sessions_from_bytes(source, keep_orphans=True)
            if not found:
                out.error = f"no session in the {len(source)} bytes received"
                return out
            s = found[0]
        else:
            s = read_sessions(source, keep_orphans=True)[0]  # one library session per file
        out.foot = s.foot
        out.duration_s = s.duration_s
        out.n_stored = len(s.steps)
        out.not_replayed = not_replayable(s)
        if out.not_replayed is not None:
            return out
        if len(s.sample_t_us) == 0:
            out.error = "no raw samples to replay"
            return out
        res = replay(s)
        out.n_replayed = len(res.steps)
        out.identical = res.steps_identical and res.flags_identical
        out.first_difference = res.first_difference or (
            None if res.flags_identical else "Flag records differ"
        )
        if res.steps:
            contact = np.array([x.contact_us for x in res.steps], float)
            if len(contact) > 1:
                out.cadence_spm = float(2 * 60e6 / np.median(np.diff(contact)))
            out.stance_ms = float(np.mean([x.stance_us for x in res.steps]) / 1000)
            out.peak_force_n = float(np.mean([x.peak_force_dn for x in res.steps]) / 10)
    except Exception as e:  # a worker reports, never takes the batch down
        out.error = f"{type(e).__name__}: {e}"
    finally:
        out.cpu_s = time.process_time() - t0
    return out


def _local(jobs: list[tuple[int, str]], workers: int) -> Iterator[SessionCheck]:
    with ProcessPoolExecutor(max_workers=workers) as ex:
        futs = [ex.submit(check_session, i, p) for i, p in jobs]
        for f in as_completed(futs):
            yield f.result()


DASK_CONNECT_TIMEOUT_S = 10  # a scheduler that has not answered by then is reported, not waited on


def _dask_client(address: object, workers: int) -> tuple[Any, Any]:
    """(client, cluster to close or None) for an address string, "local" (a LocalCluster
    of `workers` processes on this machine), or a distributed Client (tests)."""
    from distributed import Client, LocalCluster

    if isinstance(address, Client):
        return address, None
    if address == "local":
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            dashboard_address=None,  # type: ignore[arg-type]  # None: no dashboard
        )
        return Client(cluster), cluster
    try:
        return Client(address, timeout=DASK_CONNECT_TIMEOUT_S), None  # type: ignore[arg-type]
    except OSError as e:
        raise SchedulerUnreachable(
            f"no Dask scheduler answered at {address} within {DASK_CONNECT_TIMEOUT_S} s "
            "(start one with `dask scheduler`, or use --dask local)"
        ) from e


def _dask(
    jobs: list[tuple[int, str]], client: Any, ship_bytes: bool, in_flight: int
) -> Iterator[SessionCheck]:
    """Submit at most `in_flight` sessions at a time (bytes are read only when sent)."""
    from distributed import as_completed as dask_completed

    def submit(job: tuple[int, str]) -> Any:
        sid, path = job
        arg: Any = path
        if ship_bytes:
            arg = client.scatter(Path(path).read_bytes(), hash=False)
        return client.submit(check_session, sid, arg, pure=False)

    pending = iter(jobs)
    running = dask_completed([submit(j) for j in itertools.islice(pending, in_flight)])
    for f in running:
        yield f.result()
        nxt = next(pending, None)
        if nxt is not None:
            running.add(submit(nxt))


def replay_library(
    lib: Library,
    workers: int = 0,
    dask: object | None = None,
    on_done: Callable[[SessionCheck, int, int], None] | None = None,
    ship: Literal["auto", "bytes", "paths"] = "auto",
) -> BatchResult:
    """Replay every session with raw samples; `on_done(check, done, total)` after each.

    dask: None (local process pool), a scheduler address, "local" or a distributed
    Client; an address that does not answer raises SchedulerUnreachable before any work.
    ship: what Dask workers get (module docstring); "auto" is paths for "local" and
    bytes for any other cluster.
    """
    import os

    rows = [r for r in lib.sessions() if r.n_samples > 0]
    jobs = [(r.id, str(lib.session_path(r.id))) for r in rows]
    n_workers = workers or min(len(jobs), os.cpu_count() or 1) or 1
    res = BatchResult(workers=n_workers, where="local" if dask is None else "dask")
    t0 = time.perf_counter()
    client, cluster = (None, None) if dask is None else _dask_client(dask, n_workers)
    try:
        if jobs:
            if client is None:
                it = _local(jobs, n_workers)
            else:
                ship_bytes = ship == "bytes" or (ship == "auto" and dask != "local")
                it = _dask(jobs, client, ship_bytes, 4 * max(n_workers, 1))
            for c in it:
                res.checks.append(c)
                if on_done is not None:
                    on_done(c, len(res.checks), len(jobs))
    finally:
        if client is not None and client is not dask:
            client.close()
        if cluster is not None:
            cluster.close()
    res.wall_s = time.perf_counter() - t0
    res.checks.sort(key=lambda c: c.id)
    return res
