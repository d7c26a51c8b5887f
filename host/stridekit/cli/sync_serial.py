"""`stride sync --port PORT`: the same sync as over BLE, through the USB console."""

from __future__ import annotations

import asyncio
from pathlib import Path

from rich.console import Console
from rich.progress import (
    TaskID,
)

from stridekit.errors import StrideError
from stridekit.library import Library
from stridekit.progress import transfer_bar
from stridekit.sync import Destination, SyncStats, sync_serial
from stridekit.transport import console_port
from stridekit.transport.serial import PodConsole


def run_serial_sync(
    ports: list[str], lib: Library, root: Path, console: Console, err_console: Console
) -> int:
    """Sync each pod on `ports` in turn; the exit code (2 when any pod failed)."""
    failed = 0
    with transfer_bar(console) as bar:
        for port in ports:
            task: TaskID = bar.add_task(port, total=None)

            def progress(name: str, sid: int, stored: int, size: int, task: TaskID = task) -> None:
                bar.update(task, completed=stored, total=size, description=f"{name} session {sid}")

            try:
                with PodConsole(console_port(port), timeout_s=10.0) as c:
                    foot = c.status().get("foot", "")
                    name = {"0": "left", "1": "right"}.get(foot, f"pod-{Path(port).name}")
                    stats: SyncStats = asyncio.run(
                        sync_serial(c, Destination(root, lib), name, progress=progress)
                    )
            except (OSError, StrideError) as e:
                failed += 1
                err_console.print(f"[red]error:[/] {port}: {e}")
                continue
            done = ", ".join(str(s) for s in stats.sessions_done) or "nothing new"
            console.print(f"{name} ({port}): sessions {done}; {stats.bytes_stored:,} bytes")
            for issue in stats.issues:
                err_console.print(f"[yellow]{name}:[/] {issue}")
    return 2 if failed else 0
