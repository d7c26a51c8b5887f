"""App.health(): every fault, overflow and refusal counter, on the console and in the session.

A counter nobody reads hides a fault: each one the firmware keeps is shown by
`health` (console), PodConsole.health / `stride console PORT --health` (host) and
logged as a Note at `rec stop`.
"""

from __future__ import annotations

import asyncio
import re
import threading

import typer
from bumble.link import LocalLink
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from stridefw import consoleproto as CP
from stridekit.cli.device import register
from stridekit.sim.pod import BlePods, VirtualPod, decode_session, read_session_file
from tests.conftest import sim
from tests.firmware.test_console import talk

_CORE = {
    "missed", "overwritten", "imu_errors", "imu_overruns", "dropped", "raw_dropped",
    "write_errors", "cut_bytes", "rotated", "console_errors", "console_internal",
    "events_dropped",
}  # fmt: skip
_BLE = {
    "ble_refused_bonds", "ble_refused", "ble_bad", "ble_internal", "ble_busy", "ble_dropped",
    "ble_enomem", "ble_live_dropped", "ble_bond_save_errors",
}  # fmt: skip


def _stall(pod: VirtualPod, due_times: int) -> None:
    # the sample timer fires while the main loop does not run (a long flash erase)
    for _ in range(due_times):
        pod.app._isr(None)


def test_health_on_the_console_shows_what_went_wrong() -> None:
    pod = VirtualPod(None, console="mem")
    reply = talk(pod, "health")
    assert reply.startswith("OK health ")
    before = {k: int(v) for k, v in CP.parse_status(reply[3:]).items()}
    assert set(before) == _CORE
    assert all(v == 0 for v in before.values())
    assert talk(pod, "frobnicate").startswith("ERR 1 ")
    assert talk(pod, "health extra").startswith("ERR 4 ")
    _stall(pod, 20)
    pod.step()
    after = {k: int(v) for k, v in CP.parse_status(talk(pod, "health")[3:]).items()}
    assert after["console_errors"] == 2
    assert after["missed"] == 19 and after["overwritten"] == 12  # a ring of 8 due times


def test_a_pod_with_ble_shows_its_ble_counters() -> None:
    async def main() -> list[tuple[str, int]]:
        async with BlePods(LocalLink(), [None]) as pods:
            return list(pods[0].app.health())

    names = [k for k, _v in asyncio.run(main())]
    assert set(names) == _CORE | _BLE and len(names) == len(set(names))


def test_rec_stop_logs_health_as_a_note() -> None:
    run = sim(seed=43, duration_s=4.0, jitter_us=0.0)
    pod = VirtualPod(run.feet[0], console="mem")
    sid = pod.app.rec_start()
    pod.run_for(2.0)
    _stall(pod, 11)
    pod.run_for(1.0)
    want = {k: v for k, v in pod.app.health()}
    pod.app.rec_stop()
    notes = decode_session(read_session_file(pod, sid)).notes
    health = [CP.parse_status(n) for n in notes if n.startswith(CP.HEALTH_NOTE)]
    assert len(health) == 1
    assert {k: int(v) for k, v in health[0].items()} == want
    assert want["overwritten"] >= 3 and want["missed"] >= 10


@given(
    st.lists(
        st.tuples(st.from_regex(r"[a-z_]{1,16}", fullmatch=True), st.integers(0, 2**31)),
        unique_by=lambda kv: kv[0],
    )
)
def test_health_text_parses_back(pairs: list[tuple[str, int]]) -> None:
    text = "health " + CP.format_kv(pairs)
    assert {k: int(v) for k, v in CP.parse_status(text).items()} == dict(pairs)


def test_stride_console_health_prints_every_counter() -> None:
    pod = VirtualPod(None)
    _stall(pod, 10)
    pod.step()
    stop = threading.Event()
    t = threading.Thread(target=pod.serve, args=(stop,), daemon=True)
    t.start()
    try:
        app = typer.Typer()

        @app.callback()
        def _root() -> None:
            """stride (test mount)"""

        register(app)
        res = CliRunner().invoke(app, ["console", pod.port_path, "--health"])
        assert res.exit_code == 0, res.output
        for name in _CORE:
            assert name in res.output
        missed = re.search(r"\bmissed\b\W+([\d,]+)", res.output)
        assert missed is not None and int(missed.group(1).replace(",", "")) == 9, res.output
    finally:
        stop.set()
        t.join(timeout=5)
        pod.close()
