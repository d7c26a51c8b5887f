"""`stride console`, `stride deploy --dry-run` and `stride pod` (mounted here on a bare Typer)."""

from __future__ import annotations

import threading
from pathlib import Path

import typer
from typer.testing import CliRunner

from stridekit.cli.device import NATIVE, deploy_plan, register
from stridekit.sim.pod import VirtualPod
from tests.conftest import sim


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """stride (test mount)"""

    register(app)
    return app


def test_deploy_dry_run_builds_everything_and_sends_nothing(mpy_cross: str) -> None:
    res = CliRunner().invoke(_app(), ["deploy", "/dev/ttyACM0", "--dry-run"])
    assert res.exit_code == 0, res.output
    plan = deploy_plan()
    dests = {it.dest: it.mode for it in plan}
    assert dests["main.py"] == "source" and dests["boot.py"] == "source"
    # whole modules stay bytecode; the kernel's hot passes are viper functions inside
    assert (
        dests["stridefw/kernel.mpy"] == "bytecode" and dests["stridefw/console.mpy"] == "bytecode"
    )
    assert {f"{d[:-4]}.py" for d, m in dests.items() if m == "native"} == set(NATIVE)
    for it in plan:
        assert f":{it.dest}" in res.output
    assert "would run: mpremote connect /dev/ttyACM0 exec" in res.output
    assert "fs cp -r" in res.output and res.output.rstrip().endswith("reset")


def test_console_command_against_a_virtual_pod(tmp_path: Path) -> None:
    run = sim(seed=71, duration_s=5.0, jitter_us=0.0)
    pod = VirtualPod(run.feet[0])
    pod.app.rec_start()
    pod.run_for(5.0)
    pod.app.rec_stop()
    stop = threading.Event()
    t = threading.Thread(target=pod.serve, args=(stop,), daemon=True)
    t.start()
    try:
        app = _app()
        res = CliRunner().invoke(app, ["console", pod.port_path, "-c", "ls", "-c", "nonsense"])
        assert res.exit_code == 0, res.output
        assert "OK ls 1 1:" in res.output and "ERR 1 " in res.output
        out = tmp_path / "s1.strd"
        res = CliRunner().invoke(
            app, ["console", f"serial:{pod.port_path}", "--get", "1", "--out", str(out)]
        )
        assert res.exit_code == 0, res.output
        assert out.read_bytes()[:1] != b"" and out.stat().st_size == pod.app.store.sizes[1]
    finally:
        stop.set()
        t.join(timeout=5)
        pod.close()


def test_pod_command_runs_in_real_time() -> None:
    res = CliRunner().invoke(_app(), ["pod", "--seconds", "1.5", "--minutes", "0.1", "--rec"])
    assert res.exit_code == 0, res.output
    assert "left pod console: /dev/pts/" in res.output
    assert " samples, " in res.output
