"""Device commands for `stride`: console, deploy and the virtual pod.

cli/main.py mounts them with `register(app)`:

* `stride console PORT` - talk to a pod's serial console (real or virtual);
* `stride deploy PORT [--dry-run]` - build the firmware with mpy-cross for the
  ESP32 and copy it with mpremote;
* `stride pod` - run virtual pods (the real firmware on CPython) with their
  consoles on pseudo-terminals.
"""

from __future__ import annotations

import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from stridekit.budget.plan import (  # re-exported: tests and deploy use them
    AS_SOURCE,
    MARCH,
    NATIVE,
    DeployError,
    DeployItem,
    build,
    deploy_plan,
    find_tool,
    firmware_root,
)
from stridekit.errors import StrideError

console = Console()

__all__ = [
    "AS_SOURCE",
    "MARCH",
    "NATIVE",
    "DeployError",
    "DeployItem",
    "build",
    "deploy_plan",
    "find_tool",
    "firmware_root",
    "mpremote_command",
    "register",
]

# Run on the board before copying: stale .py files would shadow new .mpy ones.
_CLEAN = (
    "import os\n"
    "def _rm(d):\n"
    "    try:\n"
    "        for n in os.listdir(d):\n"
    "            p = d + '/' + n\n"
    "            if os.stat(p)[0] & 0x4000:\n"
    "                _rm(p)\n"
    "            elif n.endswith('.py') or n.endswith('.mpy'):\n"
    "                os.remove(p)\n"
    "    except OSError:\n"
    "        pass\n"
    "_rm('/stridefw')\n"
)


def mpremote_command(port: str, stage: Path, items: list[DeployItem], mpremote: str) -> list[str]:
    """One mpremote invocation: clean old modules, copy, reset."""
    tops = sorted({it.dest.split("/", 1)[0] for it in items})
    srcs = [str(stage / t) for t in tops]
    return [
        mpremote,
        "connect",
        port,
        "exec",
        _CLEAN,
        "+",
        "fs",
        "cp",
        "-r",
        *srcs,
        ":",
        "+",
        "reset",
    ]


def _release_console(port: str) -> None:
    # A running pod owns its console with Ctrl-C disabled: ask it for the REPL.
    from stridekit.transport.serial import ConsoleError, ConsoleTimeout, PodConsole

    try:
        with PodConsole(port, timeout_s=1.0) as c:
            c.command("repl")
    except (ConsoleError, ConsoleTimeout, OSError):
        pass  # already at the REPL (or no app running): mpremote takes it from here


def _print_budget(board: str) -> None:
    from stridekit.budget.heap import BudgetError
    from stridekit.budget.table import measure, render

    try:
        with console.status("measuring") as status:
            report = measure(board, lambda s: status.update(f"measuring: {s}"))
    except BudgetError as e:
        console.print(f"[red]error:[/] {e}")
        raise typer.Exit(2) from e
    console.print(render(report), markup=False, highlight=False, soft_wrap=True)


def _print_health(counters: dict[str, int]) -> None:
    from rich.table import Table

    table = Table("counter", "value", title="pod health (0 is good)")
    for name, value in counters.items():
        table.add_row(name, f"[red]{value:,}[/]" if value else "0")
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add `console`, `calibrate`, `deploy` and `pod` to the `stride` command."""

    @app.command("console")
    def console_cmd(
        port: Annotated[str, typer.Argument(help="Serial port or URL (e.g. /dev/ttyACM0).")],
        cmd: Annotated[
            list[str] | None, typer.Option("--cmd", "-c", help="Send this line; repeatable.")
        ] = None,
        get: Annotated[int | None, typer.Option(help="Download this session.")] = None,
        health: Annotated[
            bool, typer.Option("--health", help="Print the pod's fault and overflow counters.")
        ] = False,
        out: Annotated[Path | None, typer.Option(help="File for --get.")] = None,
        timeout: Annotated[float, typer.Option(help="Reply timeout, s.")] = 5.0,
    ) -> None:
        """Talk to a pod's serial console (a real pod or `stride pod`)."""
        from stridekit.transport import console_port
        from stridekit.transport.serial import ConsoleError, PodConsole

        try:
            with PodConsole(console_port(port), timeout_s=timeout) as c:
                if health:
                    _print_health(c.health())
                    return
                if get is not None:
                    data = c.get(get)
                    target = out or Path(f"session-{get}.strd")
                    target.write_bytes(data)
                    console.print(f"wrote {target} ({len(data):,} bytes)")
                    return
                if not cmd:
                    console.print("[dim]pod console; empty line or Ctrl-D quits[/]")
                for line in cmd or _stdin_lines():
                    c.send_line(line)
                    reply = c.reply()
                    if reply.startswith("OK get "):
                        n = int(reply.split()[-1])
                        c.ser.read(n)
                        reply += f"  [{n} bytes: use --get to save them]"
                    console.print(reply, markup=False, highlight=False)
                    for ev in c.events:
                        console.print(ev, markup=False, highlight=False)
                    c.events.clear()
        except (ConsoleError, OSError, StrideError) as e:
            console.print(f"[red]error:[/] {e}")
            raise typer.Exit(2) from e

    @app.command("calibrate")
    def calibrate_cmd(
        port: Annotated[str, typer.Argument(help="Serial port or URL of the pod.")],
        mass_kg: Annotated[
            list[float] | None,
            typer.Option("--mass-kg", help="Known mass per point, kg; repeat for more points."),
        ] = None,
        distance: Annotated[
            float | None,
            typer.Option(
                "--distance",
                help="Metres of a run of known distance (a track, a measured route): the "
                "pod's stride length for RSC speed and distance, from --run.",
            ),
        ] = None,
        run: Annotated[
            list[Path] | None,
            typer.Option("--run", help="With --distance: that run's session file(s)."),
        ] = None,
        reads: Annotated[int, typer.Option(help="Readings per point (median).")] = 5,
        yes: Annotated[
            bool, typer.Option("--yes", help="Do not wait for Enter (scripted rigs).")
        ] = False,
    ) -> None:
        """Calibrate the insole cells with known masses (--mass-kg), or the runner's
        stride length from a run of known distance (--distance, --run), on the pod."""
        from stridekit.calibrate import calibrate, stride_for_distance
        from stridekit.session import read_sessions
        from stridekit.transport import console_port
        from stridekit.transport.serial import ConsoleError, PodConsole

        if (distance is None) == (not mass_kg):
            raise typer.BadParameter("give --mass-kg (cells) or --distance with --run (stride)")
        if distance is not None:
            if not run:
                raise typer.BadParameter("--distance needs the run's session file: --run FILE")
            try:
                sessions = [s for f in run for s in read_sessions(f)]
                cal = stride_for_distance(sessions, distance)
                with PodConsole(console_port(port)) as c:
                    c.command(f"cal stride {cal.stride_mm}")
            except (ConsoleError, OSError, ValueError, StrideError) as e:
                console.print(f"[red]error:[/] {e}")
                raise typer.Exit(2) from e
            counted = ", ".join(f"{foot} {n}" for foot, n in cal.strides.items())
            console.print(
                f"stride {cal.stride_mm} mm ({distance:g} m over strides: {counted}); the pod "
                "now sends speed, stride length and distance over RSC"
            )
            for w in cal.warnings:
                console.print(f"[yellow]warning:[/] {w}")
            return

        def ask(text: str) -> None:
            console.print(f"[bold]{text}[/]")
            if not yes:
                typer.prompt("Enter when done", default="", show_default=False)

        try:
            with PodConsole(console_port(port)) as c:
                res = calibrate(c, mass_kg or [], ask, reads)
        except (ConsoleError, OSError, ValueError, StrideError) as e:
            console.print(f"[red]error:[/] {e}")
            raise typer.Exit(2) from e
        for cell, pts in enumerate(res.points):
            console.print(
                f"cell {cell}: " + ", ".join(f"{r} counts = {f / 10:g} N" for r, f in pts)
            )
        for w in res.warnings:
            console.print(f"[yellow]warning:[/] {w}")
        if res.warnings:
            raise typer.Exit(1)

    @app.command("deploy")
    def deploy_cmd(
        port: Annotated[str, typer.Argument(help="The pod's serial port.")],
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="Show what would be sent.")
        ] = False,
        board: Annotated[
            str | None,
            typer.Option(
                "--board",
                help="esp32s3, esp32s3-psram or esp32: with --dry-run, measure the firmware "
                "against that board's RAM, code, flash and time budget (about a minute).",
            ),
        ] = None,
    ) -> None:
        """Build the firmware for the ESP32 (mpy-cross) and copy it with mpremote."""
        from stridekit.budget.boards import BUDGETS, NOT_SUPPORTED

        if board is not None and board not in BUDGETS:
            raise typer.BadParameter(f"--board: one of {', '.join(BUDGETS)}")
        if board in NOT_SUPPORTED and not dry_run:
            console.print(f"[red]error:[/] {board} is not supported: {NOT_SUPPORTED[board]}")
            raise typer.Exit(2)
        items = deploy_plan()
        with tempfile.TemporaryDirectory(prefix="stride-deploy-") as tmp:
            stage = Path(tmp)
            try:
                build(items, stage)
                mpremote = "mpremote" if dry_run else find_tool("mpremote")
                cmd = mpremote_command(port, stage, items, mpremote)
            except DeployError as e:
                console.print(f"[red]error:[/] {e}")
                raise typer.Exit(2) from e
            total = 0
            for it in items:
                size = (stage / it.dest).stat().st_size
                total += size
                console.print(
                    f"{it.source.relative_to(firmware_root())} -> :{it.dest}  [{it.mode}, {size:,} B]"
                )
            console.print(f"{len(items)} files, {total:,} bytes for {port}")
            shown = " ".join(a if "\n" not in a else "'<clean old modules>'" for a in cmd)
            if dry_run:
                console.print(f"would run: {shown}", markup=False, highlight=False)
                if board is not None:
                    _print_budget(board)
                return
            _release_console(port)
            proc = subprocess.run(cmd)
            if proc.returncode != 0:
                console.print(f"[red]mpremote failed ({proc.returncode})[/]")
                raise typer.Exit(proc.returncode)

    @app.command("pod")
    def pod_cmd(
        seconds: Annotated[
            float, typer.Option(help="Stop after this long (0: until Ctrl-C).")
        ] = 0.0,
        feet: Annotated[int, typer.Option(help="1: a left pod; 2: left and right, paired.")] = 1,
        rate: Annotated[int, typer.Option(help="Sample rate, Hz (100 or 200).")] = 100,
        cells: Annotated[int, typer.Option(help="Insole cells: 8 or 16.")] = 8,
        minutes: Annotated[float, typer.Option(help="Length of the simulated run.")] = 5.0,
        seed: Annotated[int, typer.Option(help="Simulator seed.")] = 0,
        rec: Annotated[bool, typer.Option(help="Start recording right away.")] = False,
    ) -> None:
        """Run virtual pods in real time; their consoles are pseudo-terminals."""
        from stridekit.sim.gait import RunnerParams, simulate
        from stridekit.sim.pod import VirtualPod
        from stridekit.sim.shims.espnow import Air
        from stridekit.sim.shims.ticks import RealClock

        if feet not in (1, 2) or cells not in (8, 16) or rate not in (100, 200):
            raise typer.BadParameter("feet 1|2, cells 8|16, rate 100|200")
        run = simulate(
            RunnerParams(duration_s=minutes * 60, rate_hz=rate, cells=cells, seed=seed, jitter_us=0)
        )
        air = Air() if feet == 2 else None
        pods: list[VirtualPod] = []
        for f in range(feet):
            clock = RealClock()
            pods.append(
                VirtualPod(
                    run.feet[f],
                    clock=clock,
                    rate_hz=rate,
                    air=air,
                    mac=bytes([0x5D, 0x1D, 0, 0, 1, f]),
                )
            )
        stop = threading.Event()
        threads = [threading.Thread(target=p.serve, args=(stop,), daemon=True) for p in pods]
        for p in pods:
            if rec:
                p.app.rec_start()
            console.print(
                f"{'left' if p.foot == 0 else 'right'} pod console: [bold]{p.port_path}[/]"
            )
        for t in threads:
            t.start()
        try:
            t_end = time.monotonic() + seconds if seconds > 0 else None
            while t_end is None or time.monotonic() < t_end:
                time.sleep(0.2)
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=2)
            for p in pods:
                a = p.app
                mean = a.jit_sum_us // a.jit_n if a.jit_n else 0
                console.print(
                    f"{'left' if p.foot == 0 else 'right'}: {a.samples} samples, {a.missed} missed, "
                    f"lateness max {a.jit_max_us} us mean {mean} us, {a.kernel.steps} steps"
                )
                p.close()


def _stdin_lines() -> Iterator[str]:
    while True:
        try:
            line = input("> ")
        except EOFError:
            return
        if not line.strip():
            return
        yield line
