"""`stride demo`: the whole product on one machine, with no hardware.

Two virtual pods (left and right shoe; the real firmware on CPython, see
stridekit.sim.pod) record a simulated run; afterwards the host syncs both pods,
stores the sessions in a session library, merges the two feet, and writes the
causes report. The runner's earlier week is simulated straight into session files
and imported first, as if synced on earlier days.

Transports (`--transport`):
* ``ble`` (default) -- the pods' firmware BLE layer runs on Bumble's virtual link
  (stridekit.sim.pod.BlePods); the host finds them by scanning, bonds (the runner
  pressed each pod's button: pairing window open), sets each pod's clock and
  starts recording over the Stride service, lets the run happen, reconnects (clock
  again: the second Sync record the merge uses), stops recording and syncs both
  pods at once with stridekit.sync (credit-pipelined, CRC-checked, MARKed synced
  only after the library stored each session). Pod time stands still while the
  host talks to them (stridekit.sim.podtime) and runs flat out during the run.
* ``serial`` -- the same over each pod's console on a pseudo-terminal opened by
  pyserial, as a USB cable would be.

Runners:
* ``lld-toning`` -- a 1.5 cm leg-length difference (left leg longer) running in
  unstable "toning" shoes; two of the earlier sessions are in ordinary trainers,
  so the report can compare the two pairs of shoes;
* ``healthy`` -- the same runner, symmetric, in ordinary trainers (the control).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from stridekit.library import Library

if TYPE_CHECKING:
    from stridekit.analysis import Analysis
from stridekit.sim.gait import RunnerParams, simulate
from stridekit.sim.plan import cadence_at
from stridekit.sim.pod import VirtualPod, pod_pair, run_pods
from stridekit.transport.serial import PodConsole

RUNNERS = ("lld-toning", "healthy")
TRANSPORTS = ("ble", "serial")
TRAINERS = "daily trainer"
TONING = "toning shoe"


@dataclass(frozen=True)
class EarlierRun:
    """One session of the week before the demo run."""

    days_before: int
    minutes: float
    speed_m_s: float
    shoe: str


@dataclass
class DemoResult:
    out_dir: Path
    library_path: Path
    session_ids: list[int] = field(default_factory=list)
    today_ids: list[int] = field(default_factory=list)
    report_path: Path | None = None
    level: str | None = None  # the count of risk factors seen, "none seen" at the lowest
    analysis: Analysis | None = None
    findings: list[str] = field(default_factory=list)
    timings_s: dict[str, float] = field(default_factory=dict)
    transport: str = "ble"
    # pod name -> [(pod session id, size, synced marker)] read off the pods after the sync
    pod_markers: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)


def runner_params(runner: str, seed: int) -> RunnerParams:
    """The demo runner: 72 kg, 3.1 m/s, heel striker; with or without the problems."""
    if runner not in RUNNERS:
        raise ValueError(f"unknown runner {runner!r}; choose one of {', '.join(RUNNERS)}")
    base = RunnerParams(speed_m_s=3.1, cadence_spm=168.0, mass_kg=72.0, seed=seed)
    if runner == "healthy":
        return base
    return replace(base, lld_cm=1.5, lld_side="left", instability=1.0)


def earlier_week(runner: str) -> list[EarlierRun]:
    """Three runs in the seven days before; the toning runner wore trainers twice."""
    shoe = TONING if runner == "lld-toning" else TRAINERS
    return [
        EarlierRun(6, 25.0, 3.0, TRAINERS),
        EarlierRun(4, 30.0, 3.2, TRAINERS if runner == "lld-toning" else shoe),
        EarlierRun(2, 35.0, 3.0, shoe),
    ]


def today_epoch_s() -> int:
    """07:00 UTC today: the demo run's start (earlier runs count back from it)."""
    d = dt.datetime.now(dt.UTC).date()
    return int(dt.datetime(d.year, d.month, d.day, 7, tzinfo=dt.UTC).timestamp())


def _write_earlier(params: RunnerParams, path: Path) -> Path:
    """Simulate one earlier session into a file (runs in a worker process)."""
    from stridekit.sim.record import write_run

    # raw capture off, as a pod set to keep flash for steps: the report needs steps only
    write_run(simulate(params), path, path.with_suffix(".truth.json"), raw=False)
    return path


def _earlier_params(base: RunnerParams, runner: str, start_epoch: int) -> list[RunnerParams]:
    out: list[RunnerParams] = []
    for i, e in enumerate(earlier_week(runner)):
        p = replace(
            base,
            duration_s=e.minutes * 60,
            speed_m_s=e.speed_m_s,
            cadence_spm=cadence_at(base, e.speed_m_s),
            seed=base.seed * 100 + i + 1,
            start_epoch_s=start_epoch - e.days_before * 86400,
            instability=base.instability if e.shoe == TONING else 0.0,
        )
        out.append(p)
    return out


@contextmanager
def _serving(pods: list[VirtualPod]) -> Iterator[None]:
    """Keep the pods' firmware running in threads while the host talks to them."""
    stop = threading.Event()
    threads = [threading.Thread(target=p.serve, args=(stop,), daemon=True) for p in pods]
    for t in threads:
        t.start()
    try:
        yield
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=5)


def record_today(
    params: RunnerParams, start_epoch: int, progress: Callable[[float], None] | None = None
) -> tuple[VirtualPod, VirtualPod]:
    """Both pods record the run: clock set, rec start, the run, clock again, rec stop."""
    run = simulate(params)
    left, right, _air = pod_pair(run.feet[0], run.feet[1], start_delay_s=0.2)
    pods = [left, right]
    consoles = [PodConsole(p.port_path, timeout_s=10) for p in pods]
    try:
        with _serving(pods):
            for c in consoles:
                c.command(f"time {start_epoch}")
                c.command("rec start")
        chunk_s = 10.0
        done = 0.0
        while done < params.duration_s:
            step = min(chunk_s, params.duration_s - done)
            run_pods(pods, step)
            done += step
            if progress is not None:
                progress(done)
        with _serving(pods):
            for c in consoles:
                # the phone reconnects at the end: a second Sync record for the merge
                c.command(f"time {start_epoch + round(done + 0.2)}")
                c.command("rec stop")
    finally:
        for c in consoles:
            c.close()
    return left, right


def sync_pods(pods: list[VirtualPod], library: Library, dest: Path) -> list[int]:
    """Copy every unsynced session off each pod into the library, then ack it: the
    serial sync `stride sync --port` runs (stridekit.sync.serial)."""
    from stridekit.sync import Destination, sync_serial

    ids: list[int] = []
    with _serving(pods):
        for pod in pods:
            foot = "left" if pod.foot == 0 else "right"
            with PodConsole(pod.port_path, timeout_s=20) as c:
                # the clock was set while recording; the pod's own time stays the run's
                stats = asyncio.run(
                    sync_serial(c, Destination(dest, library), foot, set_clock=None)
                )
            ids += stats.library_ids
    return ids


@dataclass
class _BleOutcome:
    ids: list[int]
    markers: dict[str, list[tuple[int, int, int]]]
    record_s: float
    sync_s: float
    issues: list[str]


async def _ble_record_and_sync(
    params: RunnerParams,
    start_epoch: int,
    library: Library,
    dest: Path,
    progress: Callable[[float], None] | None = None,
    sync_progress: Callable[[str, int, int, int], None] | None = None,
) -> _BleOutcome:
    """Both pods on the BLE virtual link: bond, clock, REC on; run; clock, REC off; sync."""
    from stridekit.sim.rig import virtual_rig
    from stridekit.sync import Destination, SyncStats, open_link, sync_pods

    t0 = time.perf_counter()
    run = simulate(params)
    async with virtual_rig([run.feet[0], run.feet[1]]) as stack:
        pods, pod_time = stack.pods, stack.pod_time
        t0_us = pods.clock.now_us()

        def host_clock() -> float:  # the phone's clock: this morning, as the run goes
            return start_epoch + (pods.clock.now_us() - t0_us) / 1e6

        found = await stack.scan(10.0, want=2, read_battery=False)
        feet = {p.foot: p for p in found}
        if set(feet) != {0, 1}:
            raise RuntimeError(f"the scan found {[p.name for p in found]}, not both pods")
        for p in pods.pods:
            p.app.pair_window()  # the runner presses the button on each pod
        targets = []
        for foot in (0, 1):
            t = stack.target(feet[foot])
            t.name, t.clock = ("left", "right")[foot], host_clock
            targets.append(t)
        async with open_link(targets[0]) as a, open_link(targets[1]) as b:
            for lk in (a, b):
                await lk.set_recording(True)
        done = 0.0
        while done < params.duration_s:  # the run: nobody connected, pods flat out
            step = min(10.0, params.duration_s - done)
            pod_time.run_blocking(step)
            done += step
            if progress is not None:
                progress(done)
            await asyncio.sleep(0)
        async with open_link(targets[0]) as a, open_link(targets[1]) as b:
            for lk in (a, b):  # the clock was set again on connecting: a second Sync
                await lk.set_recording(False)
        record_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        results = await sync_pods(targets, Destination(dest, library), sync_progress)
        sync_s = time.perf_counter() - t1
        ids: list[int] = []
        issues: list[str] = []
        for t, r in zip(targets, results, strict=True):
            if not isinstance(r, SyncStats):
                raise RuntimeError(f"BLE sync of the {t.name} pod failed: {r}")
            issues += [f"{t.name}: {i}" for i in r.issues]
            ids += r.library_ids
        markers = {
            t.name: [
                (sid, p.app.store.sizes[sid], p.app.store.synced[sid]) for sid in p.app.store.ids
            ]
            for t, p in zip(targets, pods.pods, strict=True)
        }
    return _BleOutcome(ids, markers, record_s, sync_s, issues)


def run_demo(
    out_dir: Path,
    runner: str = "lld-toning",
    minutes: float = 20.0,
    seed: int = 1,
    library_path: Path | None = None,
    console: Console | None = None,
    transport: str = "ble",
) -> DemoResult:
    """Earlier week -> library; today's run on two pods -> sync -> library -> report."""
    if transport not in TRANSPORTS:
        raise ValueError(f"unknown transport {transport!r}; choose {' or '.join(TRANSPORTS)}")
    con = console or Console()
    out_dir.mkdir(parents=True, exist_ok=True)
    lib_path = library_path or out_dir / "library.sqlite"
    res = DemoResult(out_dir, lib_path, transport=transport)
    params = replace(runner_params(runner, seed), duration_s=minutes * 60)
    start_epoch = today_epoch_s()
    earlier = _earlier_params(params, runner, start_epoch)
    week = earlier_week(runner)
    t0 = time.perf_counter()
    library = Library(lib_path)
    try:
        with (
            ProcessPoolExecutor(max_workers=2) as pool,
            Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.completed:.0f}/{task.total:.0f} {task.fields[unit]}"),
                TimeElapsedColumn(),
                console=con,
            ) as bar,
        ):
            sim_dir = out_dir / "earlier"
            sim_dir.mkdir(exist_ok=True)
            futures: list[Future[Path]] = [
                pool.submit(_write_earlier, p, sim_dir / f"earlier-{i + 1}.strd")
                for i, p in enumerate(earlier)
            ]
            t_week = bar.add_task("earlier week (simulated)", total=len(futures), unit="runs")
            for f in futures:
                f.add_done_callback(lambda _f: bar.advance(t_week))
            t_run = bar.add_task(
                f"today: two pods record {minutes:g} min", total=params.duration_s, unit="s"
            )
            pods: list[VirtualPod] = []
            if transport == "ble":
                from stridekit.transport.bumble import lean_logging

                ble_tasks: dict[str, TaskID] = {}

                def sync_progress(pod: str, _sid: int, stored: int, size: int) -> None:
                    if pod not in ble_tasks:
                        ble_tasks[pod] = bar.add_task(f"BLE sync: {pod} pod", total=size, unit="B")
                    bar.update(ble_tasks[pod], completed=stored, total=size)

                with lean_logging():
                    ble = asyncio.run(
                        _ble_record_and_sync(
                            params,
                            start_epoch,
                            library,
                            out_dir / "ble-sync",
                            lambda s: bar.update(t_run, completed=s),
                            sync_progress,
                        )
                    )
                res.timings_s["record"] = ble.record_s
                res.timings_s["sync"] = ble.sync_s
                res.today_ids = ble.ids
                res.pod_markers = ble.markers
                for issue in ble.issues:
                    con.print(f"[yellow]sync:[/] {issue}")
            else:
                left, right = record_today(
                    params, start_epoch, lambda s: bar.update(t_run, completed=s)
                )
                pods = [left, right]
                res.timings_s["record"] = time.perf_counter() - t0
            for e, f in zip(week, futures, strict=True):
                got = library.import_file(f.result())
                library.set_shoe(got.session_ids, e.shoe)
                res.session_ids += got.session_ids
        if pods:
            t1 = time.perf_counter()
            try:
                res.today_ids = sync_pods(pods, library, out_dir / "serial-sync")
            finally:
                for p in pods:
                    p.close()
            res.timings_s["sync"] = time.perf_counter() - t1
        library.set_shoe(res.today_ids, TONING if params.instability > 0 else TRAINERS)
        res.session_ids += res.today_ids
        library.set_runner(res.session_ids, f"demo {runner}")
        how = "BLE (Bumble virtual link)" if transport == "ble" else "the serial console"
        con.print(
            f"synced {len(res.today_ids)} sessions from 2 pods over {how}; "
            f"library {lib_path} holds {len(library.sessions())} sessions"
        )
        t2 = time.perf_counter()
        _report(library, res, out_dir, runner, con)
        res.timings_s["report"] = time.perf_counter() - t2
    finally:
        library.close()
    res.timings_s["total"] = time.perf_counter() - t0
    return res


def _report(library: Library, res: DemoResult, out_dir: Path, runner: str, con: Console) -> None:
    """Everything of this runner in the library -> merged runs -> the causes report."""
    from stridekit.merge import pair_sessions
    from stridekit.report import build_report

    rows = [library.session(i) for i in res.session_ids]
    sessions = [library.load(r.id) for r in rows]
    shoe_of = {id(s): r.shoe for s, r in zip(sessions, rows, strict=True)}
    runs = pair_sessions(sessions)
    for run in runs:
        s = run.left or run.right
        if s is not None:
            run.shoe = shoe_of.get(id(s)) or ""
        run.runner = f"demo {runner}"
    rep = build_report(runs, out_dir / "report.html", f"demo runner ({runner})", con)
    res.report_path = rep.html_path
    res.level = rep.level
    res.findings = list(rep.findings)
    res.analysis = rep.analysis
