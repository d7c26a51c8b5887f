"""Sync over the USB console (a virtual pod's pty): the transfer step BLE uses."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from stridekit.library import Library
from stridekit.sim.gait import RunnerParams, simulate
from stridekit.sim.pod import VirtualPod, read_session_file
from stridekit.sync import Destination, sync_serial
from stridekit.transport.serial import PodConsole


@contextmanager
def serving(pod: VirtualPod) -> Iterator[None]:
    stop = threading.Event()
    t = threading.Thread(target=pod.serve, args=(stop,), daemon=True)
    t.start()
    try:
        yield
    finally:
        stop.set()
        t.join(timeout=5)


def recorded_pod(seconds: float = 20.0) -> VirtualPod:
    run = simulate(RunnerParams(seed=5, duration_s=seconds + 2))
    pod = VirtualPod(run.feet[0])
    with PodConsole(pod.port_path, timeout_s=10) as c, serving(pod):
        c.command("time 1780000000")
        c.command("rec start")
    pod.run_for(seconds)
    with PodConsole(pod.port_path, timeout_s=10) as c, serving(pod):
        c.command("rec stop")
    return pod


def test_serial_sync_stores_in_the_library_marks_and_resumes(tmp_path: Path) -> None:
    pod = recorded_pod()
    try:
        data = read_session_file(pod, 1)
        dest = Destination(tmp_path / "sessions", Library(tmp_path / "lib.sqlite"))
        # a cable pulled earlier left the first third on disk: the sync resumes there
        part = dest.path("left", 1).with_suffix(".strd.part")
        part.parent.mkdir(parents=True)
        part.write_bytes(data[: len(data) // 3])
        seen: list[int] = []
        with PodConsole(pod.port_path, timeout_s=10) as c, serving(pod):
            stats = asyncio.run(
                sync_serial(c, dest, "left", progress=lambda _p, _s, n, _z: seen.append(n))
            )
            info = c.ls()
        assert dest.path("left", 1).read_bytes() == data
        assert not part.exists()
        assert stats.bytes_received == len(data) - len(data) // 3
        assert stats.sessions_done == [1] and stats.issues == []
        assert seen and seen[-1] == len(data) and seen[0] > len(data) // 3
        assert [(i.session, i.synced) for i in info] == [(1, len(data))]  # marked after storing
        assert dest.library is not None
        rows = dest.library.sessions()
        assert len(rows) == 1 and stats.library_ids == [rows[0].id]
        # a second sync finds nothing left to do
        with PodConsole(pod.port_path, timeout_s=10) as c, serving(pod):
            again = asyncio.run(sync_serial(c, dest, "left"))
        assert again.sessions_done == [] and again.bytes_received == 0
    finally:
        pod.close()


def test_stride_sync_port_imports_into_the_library(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from stridekit.cli import app

    pod = recorded_pod(10.0)
    try:
        data = read_session_file(pod, 1)
        lib_path = tmp_path / "lib.sqlite"
        with serving(pod):
            r = CliRunner().invoke(
                app, ["sync", "--port", pod.port_path, "--library", str(lib_path)]
            )
        assert r.exit_code == 0, r.output
        assert "left" in r.output and "sessions 1" in r.output
        lib = Library(lib_path)
        try:
            assert len(lib.sessions()) == 1
        finally:
            lib.close()
        assert (tmp_path / "serial-sync" / "left" / "session-00001.strd").read_bytes() == data
        # a port with no pod: one line, exit 2
        bad = CliRunner().invoke(
            app, ["sync", "--port", str(tmp_path / "no-port"), "--library", str(lib_path)]
        )
        assert bad.exit_code == 2 and "Traceback" not in bad.output
    finally:
        pod.close()
