"""The progress bars of long jobs: one for counted work, one for byte transfers."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)


def count_bar(console: Console | None, transient: bool = True) -> Progress:
    """Records, runners or sessions done of the total, with the time so far (console
    None: rich's own)."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=transient,
    )


def transfer_bar(console: Console) -> Progress:
    """Bytes and speed of a sync, one task per pod (BLE and serial)."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=console,
    )
