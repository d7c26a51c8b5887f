"""`stride scan`, `stride sync` and `stride record`: the pods over BLE.

Every command takes `--hci SPEC` (Bumble on a USB dongle or UART controller) or
`--virtual` (two virtual pods on Bumble's virtual link, no hardware); without
either, bleak's native backend (BlueZ, CoreBluetooth, WinRT). stridekit.transport.ble
opens the stack; stridekit.sync does the protocol. Each connection sets the pod's
clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from collections import deque
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from bleak.uuids import normalize_uuid_16
from rich.console import Console
from rich.table import Table

from stridekit.cli.library import LibraryOption, open_library
from stridekit.errors import StrideError

if TYPE_CHECKING:
    from stridekit.sync import StrideLink
    from stridekit.transport.ble import BleStack, FoundPod

console = Console()
err_console = Console(stderr=True, soft_wrap=True)
_T = TypeVar("_T")

HciOption = Annotated[
    str | None,
    typer.Option(
        "--hci",
        help="Use Bumble on this HCI transport instead of the OS Bluetooth stack, "
        "e.g. usb:0 or serial:/dev/ttyACM0,1000000.",
    ),
]
VirtualOption = Annotated[
    bool,
    typer.Option(
        "--virtual",
        help="Two virtual pods (real firmware, simulated run) on Bumble's virtual link: "
        "try the command without hardware.",
    ),
]
ScanOption = Annotated[float, typer.Option("--scan-seconds", help="How long to scan.")]


@contextlib.contextmanager
def _quiet_bumble(verbose: bool = False) -> Iterator[None]:
    """Bumble warns about packets for links that just closed; not the user's business."""
    lg = logging.getLogger("bumble")
    old = lg.level
    if not verbose:
        lg.setLevel(logging.ERROR)
    try:
        yield
    finally:
        lg.setLevel(old)


def _run(main: Callable[[], Coroutine[Any, Any, _T]]) -> _T:
    """Run a command's coroutine; stack and protocol errors become a message and exit 2."""
    from bleak.exc import BleakError

    try:
        with _quiet_bumble():
            return asyncio.run(main())
    except (StrideError, BleakError) as e:
        err_console.print(f"[red]error:[/] {e}")
        raise typer.Exit(2) from e


def _virtual_run(virtual: bool, live_s: float = 0.0) -> Any:
    from stridekit.sim.rig import VirtualRun

    return VirtualRun(recorded_s=20.0, live_s=live_s) if virtual else None


def _pick(pods: list[FoundPod], wanted: list[str]) -> list[FoundPod]:
    if not wanted:
        return pods
    keys = {w.lower() for w in wanted}
    return [
        p
        for p in pods
        if p.name.lower() in keys or p.address.lower() in keys or p.foot_name in keys
    ]


async def _find(
    stack: BleStack, seconds: float, wanted: list[str], read_battery: bool = False
) -> list[FoundPod]:
    pods = await stack.scan(seconds, want=2, read_battery=read_battery)
    chosen = _pick(pods, wanted)
    if not chosen:
        seen = ", ".join(p.name for p in pods) or "none"
        raise StrideError(
            f"no StrideKit pod found (seen: {seen}) with {stack.describe()}; "
            "is the pod awake and near? (--virtual tries it without hardware)"
        )
    return chosen


def _scan_table(pods: list[FoundPod]) -> Table:
    t = Table(title="StrideKit pods")
    for col, just in (
        ("name", "left"),
        ("address", "left"),
        ("foot", "left"),
        ("battery", "right"),
        ("RSSI", "right"),
    ):
        t.add_column(col, justify=just)  # type: ignore[arg-type]
    for p in pods:
        t.add_row(
            p.name,
            p.address,
            p.foot_name,
            "-" if p.battery_pct is None else f"{p.battery_pct} %",
            "-" if p.rssi is None else f"{p.rssi} dBm",
        )
    return t


# ----------------------------------------------------------------- record: live view


@dataclass
class FootLive:
    """What the live view knows about one foot."""

    cadence_per_min: int | None = None  # RSC: steps/min of both feet, as this pod counts them
    speed_m_s: float | None = None
    stride_m: float | None = None
    steps: int = 0
    stance_ms: deque[float] = field(default_factory=lambda: deque[float](maxlen=10))
    session_flags: int = 0
    step_flags: int = 0
    rsc_notifications: int = 0
    live_bytes: int = 0
    decode_errors: int = 0


class LiveView:
    """Folds RSC notifications and the Stride live stream of both feet into one table."""

    def __init__(self) -> None:
        from stridefw.livefold import LiveFold

        self.feet = {0: FootLive(), 1: FootLive()}
        self.fold = LiveFold()  # the browser's live view folds with the same class
        self.balance = self.fold.balance
        self.started = time.perf_counter()

    def on_rsc(self, foot: int, value: bytes) -> None:
        from stridefw import rsc

        f = self.feet[foot]
        try:
            _flags, speed_256, cadence, stride_cm, _dist = rsc.decode_measurement(value)
        except ValueError:
            f.decode_errors += 1
            return
        f.rsc_notifications += 1
        f.cadence_per_min = cadence
        # an uncalibrated pod sends speed 0 and no stride length: it does not know them
        f.speed_m_s = None if stride_cm is None else speed_256 / 256
        f.stride_m = None if stride_cm is None else stride_cm / 100

    def on_live(self, foot: int, chunk: bytes) -> None:
        f = self.feet[foot]
        f.live_bytes += len(chunk)
        for kind, x in self.fold.feed(foot, chunk):
            if kind == "step":
                f.steps += 1
                f.stance_ms.append(x.stance_us / 1000)
                f.step_flags = x.flags
            else:
                f.session_flags = x.flags
        f.decode_errors = self.fold.errors(foot)

    def steps_per_min(self) -> tuple[float | None, str]:
        """Steps/min of both feet: each pod's RSC cadence already is; the two agree."""
        left, right = self.feet[0].cadence_per_min, self.feet[1].cadence_per_min
        if left and right:
            return (left + right) / 2, "mean of the two pods"
        one = left or right
        if one:
            return float(one), "one pod (the other is silent)"
        return None, ""

    def table(self) -> Table:
        from stridefw import balance as B
        from stridekit.export.csv import FLAG_NAMES

        def flags(bits: int) -> str:
            return ", ".join(n for b, n in FLAG_NAMES.items() if bits & b) or "-"

        secs = time.perf_counter() - self.started
        t = Table(title=f"stride record  {secs:5.0f} s   (Ctrl-C stops)")
        t.add_column("")
        t.add_column("left", justify="right")
        t.add_column("right", justify="right")
        L, Rt = self.feet[0], self.feet[1]

        def both(fn: Callable[[FootLive], str]) -> tuple[str, str]:
            return fn(L), fn(Rt)

        spm, how = self.steps_per_min()
        t.add_row(
            f"[bold]steps/min, both feet[/] ({how or 'mean of the two pods'})",
            "-" if spm is None else f"[bold]{spm:.0f}[/]",
            "",
        )
        t.add_row(
            "steps/min of both feet, per pod (RSC cadence)",
            *both(lambda f: "-" if f.cadence_per_min is None else f"{f.cadence_per_min}"),
        )
        t.add_row(
            "contact time, ms (last 10 steps)",
            *both(lambda f: f"{sum(f.stance_ms) / len(f.stance_ms):.0f}" if f.stance_ms else "-"),
        )
        t.add_row(
            "speed, m/s (RSC, calibrated pods only)",
            *both(lambda f: "-" if f.speed_m_s is None else f"{f.speed_m_s:.2f}"),
        )
        t.add_row(
            "stride length, m (RSC)",
            *both(lambda f: "-" if f.stride_m is None else f"{f.stride_m:.2f}"),
        )
        t.add_row("steps seen (live stream)", *both(lambda f: str(f.steps)))
        t.add_row("flags (session)", *both(lambda f: flags(f.session_flags)))
        t.add_row("flags (last step)", *both(lambda f: flags(f.step_flags)))
        bal = self.balance
        si = bal.si_pm

        def pct(pm: int) -> str:
            return f"{pm / 10:+.1f} %"

        verdict = "UNEVEN_LOAD" if bal.uneven else "even"
        if bal.uneven and bal.side:
            verdict += " (left loaded more)" if bal.side > 0 else " (right loaded more)"
        if bal.lld_long:
            verdict += ", leg-length pattern: longer " + ("left" if bal.lld_long > 0 else "right")
        t.caption = (
            f"left/right balance over {bal.steps} steps (symmetry index, + = left more): "
            f"impulse {pct(si[B.M_IMPULSE])}, peak force {pct(si[B.M_PEAK])}, "
            f"loading rate {pct(si[B.M_LOADING])}, contact time {pct(si[B.M_STANCE])}: "
            f"{verdict}"
        )
        errs = L.decode_errors + Rt.decode_errors
        if errs:
            t.add_row("[yellow]live stream errors[/]", str(L.decode_errors), str(Rt.decode_errors))
        return t


async def _record(
    stack: BleStack,
    pods: list[FoundPod],
    seconds: float | None,
    rec: bool,
    view: LiveView,
    on_tick: Callable[[], None],
) -> list[int]:
    """Connect every pod, LIVE on (+ REC on), fold notifications until stopped."""
    from stridefw import syncproto as P
    from stridekit.sync import open_link

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError):
        loop.add_signal_handler(signal.SIGINT, stop.set)
    sessions: list[int] = []
    try:
        async with contextlib.AsyncExitStack() as es:
            links: list[tuple[int, StrideLink]] = []
            for p in pods:
                link = await es.enter_async_context(open_link(stack.target(p)))
                foot = p.foot if p.foot in (0, 1) else len(links) % 2
                rsc_char = link.client.services.get_characteristic(
                    normalize_uuid_16(P.RSC_MEASUREMENT)
                )
                if rsc_char is not None:
                    await link.client.start_notify(
                        rsc_char, lambda _c, v, foot=foot: view.on_rsc(foot, bytes(v))
                    )
                link.live = lambda chunk, foot=foot: view.on_live(foot, chunk)
                await link.set_live(True)
                links.append((foot, link))
            if rec:
                for _foot, link in links:
                    with contextlib.suppress(StrideError):  # NOT_ALLOWED: already recording
                        sessions.append(await link.set_recording(True))
            t_end = None if seconds is None else time.perf_counter() + seconds
            view.started = time.perf_counter()
            while not stop.is_set() and (t_end is None or time.perf_counter() < t_end):
                on_tick()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 0.25)
                if any(lk.lost.is_set() for _, lk in links):
                    raise StrideError("a pod disconnected during the recording")
            for _foot, link in links:
                with contextlib.suppress(StrideError):
                    if rec:
                        await link.set_recording(False)
                    await link.set_live(False)
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGINT)
    on_tick()
    return sessions


# ----------------------------------------------------------------- commands


def register(app: typer.Typer) -> None:
    """Add `scan`, `sync` and `record` to the `stride` command."""

    @app.command("scan")
    def scan_cmd(
        seconds: Annotated[float, typer.Option(help="How long to scan.")] = 5.0,
        battery: Annotated[
            bool,
            typer.Option(help="Connect briefly to read the battery when not advertised."),
        ] = True,
        hci: HciOption = None,
        virtual: VirtualOption = False,
    ) -> None:
        """List StrideKit pods nearby: name, address, foot, battery, RSSI."""
        from stridekit.sim.rig import open_stack

        async def main() -> list[FoundPod]:
            async with open_stack(hci, virtual, _virtual_run(virtual)) as stack:
                return await stack.scan(seconds, want=0, read_battery=battery)

        pods = _run(main)
        if not pods:
            console.print("no StrideKit pod found")
            raise typer.Exit(1)
        console.print(_scan_table(pods))

    @app.command("sync")
    def sync_cmd(
        pod: Annotated[
            list[str] | None,
            typer.Option(help="Only this pod (name, address, left or right); repeatable."),
        ] = None,
        library: LibraryOption = None,
        dest: Annotated[
            Path | None,
            typer.Option(help="Folder for the raw session files (default: beside the library)."),
        ] = None,
        scan_seconds: ScanOption = 5.0,
        pair: Annotated[
            bool, typer.Option(help="Bond if not bonded yet (press the pod's button first).")
        ] = True,
        hci: HciOption = None,
        virtual: VirtualOption = False,
        bench: Annotated[
            bool,
            typer.Option(
                help="With --virtual: benchmark instead (host CPU s and round trips per MB, "
                "notifications/s sustained, time to resume after a disconnect)."
            ),
        ] = False,
        bench_mb: Annotated[float, typer.Option(help="Session size per pod for --bench.")] = 1.0,
        port: Annotated[
            list[str] | None,
            typer.Option(
                help="Sync over the USB console of the pod on this serial port instead of "
                "BLE (/dev/ttyACM0, COM5; repeatable)."
            ),
        ] = None,
    ) -> None:
        """Copy new sessions off the pods (both at once, resumable) into the library.

        Each session is stored and fsynced, imported into the library, and only then
        marked synced on the pod; a dropped link resumes where it stopped. The same
        holds over the USB console with --port.
        """
        if port:
            from stridekit.cli.sync_serial import run_serial_sync

            lib = open_library(library)
            try:
                code = run_serial_sync(
                    port, lib, dest or lib.root / "serial-sync", console, err_console
                )
            finally:
                lib.close()
            raise typer.Exit(code)
        if bench:
            if not virtual:
                raise typer.BadParameter(
                    "the benchmark runs on --virtual pods", param_hint="--bench"
                )
            from stridekit.bench.ble import run_ble_bench

            with _quiet_bumble():
                run_ble_bench(console, bench_mb)
            return
        from rich.progress import TaskID

        from stridekit.progress import transfer_bar
        from stridekit.sim.rig import open_stack
        from stridekit.sync import Destination, SyncStats, sync_pods

        lib = open_library(library)
        root = dest or lib.root / "ble-sync"
        wanted = list(pod or [])

        async def main() -> list[tuple[FoundPod, SyncStats | BaseException]]:
            async with open_stack(hci, virtual, _virtual_run(virtual)) as stack:
                for n in stack.notes:
                    console.print(f"[dim]{n}[/]")
                found = await _find(stack, scan_seconds, wanted)
                with transfer_bar(console) as bar:
                    tasks: dict[str, TaskID] = {
                        p.name: bar.add_task(f"{p.name} ({p.foot_name})", total=None) for p in found
                    }

                    def progress(name: str, sid: int, stored: int, size: int) -> None:
                        bar.update(
                            tasks[name],
                            completed=stored,
                            total=size,
                            description=f"{name} session {sid}",
                        )

                    results = await sync_pods(
                        [stack.target(p, pair) for p in found], Destination(root, lib), progress
                    )
                return list(zip(found, results, strict=True))

        try:
            results = _run(main)
        finally:
            lib.close()
        failed = 0
        for p, r in results:
            if isinstance(r, BaseException):
                failed += 1
                err_console.print(f"[red]{p.name}:[/] {r}")
                continue
            done = ", ".join(str(s) for s in r.sessions_done) or "nothing new"
            console.print(
                f"{p.name} ({p.foot_name}): sessions {done}; {r.bytes_stored:,} bytes, "
                f"{r.connections} connection(s), {r.disconnects} drop(s) resumed"
            )
            for issue in r.issues:
                err_console.print(f"[yellow]{p.name}:[/] {issue}")
        if failed:
            raise typer.Exit(2)

    @app.command("record")
    def record_cmd(
        seconds: Annotated[
            float | None, typer.Option(help="Stop after this long (default: Ctrl-C).")
        ] = None,
        pod: Annotated[
            list[str] | None,
            typer.Option(help="Only this pod (name, address, left or right); repeatable."),
        ] = None,
        rec: Annotated[
            bool, typer.Option(help="Also record a session on the pods while watching.")
        ] = True,
        scan_seconds: ScanOption = 5.0,
        hci: HciOption = None,
        virtual: VirtualOption = False,
    ) -> None:
        """Live view of both feet: steps/min, contact time, left/right balance, flags.

        Steps/min counts both feet; the RSC cadence each pod sends is contacts per
        minute of its own foot (as the RSC specification defines it) and is shown
        separately, labelled.
        """
        from rich.live import Live

        from stridekit.sim.rig import VirtualStack, open_stack

        wanted = list(pod or [])
        view = LiveView()
        live_s = (seconds or 600.0) + 30.0

        async def main() -> list[int]:
            async with open_stack(hci, virtual, _virtual_run(virtual, live_s)) as stack:
                found = await _find(stack, scan_seconds, wanted)
                if isinstance(stack, VirtualStack):
                    stack.pod_time.set_mode("paced", 1.0)  # the virtual run in real time
                with Live(view.table(), console=console, refresh_per_second=4) as live:
                    return await _record(
                        stack, found, seconds, rec, view, lambda: live.update(view.table())
                    )

        sessions = _run(main)
        if sessions:
            console.print(
                f"recorded a session on {len(sessions)} pod(s) "
                f"(pod session ids {', '.join(map(str, sessions))}); "
                "`stride sync` copies them to the library"
            )
