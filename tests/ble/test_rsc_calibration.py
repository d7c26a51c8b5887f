"""A stride calibrated with `stride calibrate --distance` reaches the pod's RSC."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from bluetooth_sig import BluetoothSIGTranslator
from bumble.link import LocalLink
from typer.testing import CliRunner

from stridefw import consoleproto as CP
from stridefw import rsc
from stridefw import syncproto as P
from stridekit.calibrate import stride_for_distance
from stridekit.cli import app
from stridekit.session import read_sessions
from stridekit.sim.pod import BlePods, VirtualPod
from stridekit.sim.record import write_run
from stridekit.transport.serial import ConsoleError, PodConsole
from tests.ble.central import central, char, connect
from tests.conftest import sim

SIG = BluetoothSIGTranslator()


def test_calibrated_pod_sends_speed_stride_and_distance_and_keeps_them() -> None:
    run = sim(duration_s=20.0, speed_m_s=3.0, cadence_spm=170.0)

    async def main() -> tuple[bytes, bytes, list[bytes], int]:
        link = LocalLink()
        async with BlePods(link, [run.feet[0]]) as pods:
            pods.paused = True
            host = await central(link)
            _conn, peer = await connect(host, pods.addresses[0])
            before = bytes(await char(peer, P.RSC_FEATURE).read_value())
            pods[0].app.set_stride_mm(1600)  # what `cal stride 1600` does
            after = bytes(await char(peer, P.RSC_FEATURE).read_value())
            got: list[bytes] = []
            await char(peer, P.RSC_MEASUREMENT).subscribe(lambda v: got.append(bytes(v)))
            pods.paused = False
            await pods.run_for(10.0)
            await asyncio.sleep(0.05)
            return before, after, got, pods[0].app.stride_mm()

    before, after, got, kept = asyncio.run(main())
    assert not SIG.parse_characteristic("2A54", before).total_distance_supported  # type: ignore[union-attr]
    feat = SIG.parse_characteristic("2A54", after)
    assert feat.total_distance_supported and feat.instantaneous_stride_length_supported  # type: ignore[union-attr]
    assert kept == 1600  # on flash: the next boot sends the same
    last = SIG.parse_characteristic("2A53", got[-1])
    assert abs(last.instantaneous_stride_length - 1.6) < 0.011  # type: ignore[union-attr]
    assert last.total_distance > 0 and last.instantaneous_speed > 0  # type: ignore[union-attr]
    _flags, _speed, _cad, stride_cm, _dist = rsc.decode_measurement(got[-1])
    assert stride_cm == 160


def test_stride_calibrate_distance_sets_the_pod(tmp_path: Path) -> None:
    run = sim(seed=12, duration_s=30.0, speed_m_s=3.2, cadence_spm=172.0)
    f = tmp_path / "track.strd"
    write_run(run, f)
    expect = stride_for_distance(read_sessions(f), 90.0).stride_mm
    pod = VirtualPod(run.feet[0])
    stop = threading.Event()
    server = threading.Thread(target=pod.serve, args=(stop,), daemon=True)
    server.start()
    try:
        r = CliRunner().invoke(
            app, ["calibrate", pod.port_path, "--distance", "90", "--run", str(f)]
        )
        assert r.exit_code == 0, r.output
        assert f"stride {expect} mm" in r.output
        assert pod.app.stride_mm() == expect
        bad = CliRunner().invoke(app, ["calibrate", pod.port_path, "--distance", "90"])
        assert bad.exit_code == 2 and "--run" in bad.output
        with PodConsole(pod.port_path, timeout_s=10) as c:
            for arg in ("5000", "-1", "1.5", "x"):
                with pytest.raises(ConsoleError) as e:
                    c.command(f"cal stride {arg}")
                assert e.value.code == CP.E_ARG
            assert c.command("cal stride 0") == "cal stride 0"  # 0 clears it
        assert pod.app.stride_mm() == 0
    finally:
        stop.set()
        server.join(timeout=5)
        pod.close()
