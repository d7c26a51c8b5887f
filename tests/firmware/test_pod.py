"""The virtual pod end to end: simulated run -> LittleFS -> `get` over a pty -> kernel replay."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from stridefw import config as fw_config
from stridefw import records as R
from stridefw.drivers import imu as fw_imu
from stridekit.replay import kernel_for, run_kernel
from stridekit.sim.pod import VirtualPod, decode_session, read_session_file
from stridekit.sim.shims.machine import SimLsm6dsox
from stridekit.sim.shims.ticks import TICKS_PERIOD
from stridekit.transport.serial import ConsoleError, PodConsole
from tests.conftest import sim


def _aligned(recorded: np.ndarray, truth: np.ndarray, n: int = 1000) -> bool:
    """The recorded rows hold the simulated rows in order, after the pod's lead-in."""
    return any(np.array_equal(recorded[k : k + n], truth[:n]) for k in range(400))


def _replay_matches(s: object) -> tuple[bool, bool, int]:
    from stridekit.sim.pod import PodSession

    assert isinstance(s, PodSession)
    out = run_kernel(kernel_for(s.header), s.t_us, s.cells, s.imu, s.imu_present)
    return (
        out.step_payloads == s.step_payloads,
        out.flag_payloads == s.flag_payloads,
        len(out.step_payloads),
    )


def test_end_to_end_over_a_pty_with_pyserial() -> None:
    run = sim(seed=51, duration_s=30.0, jitter_us=0.0)
    pod = VirtualPod(run.feet[0])
    stop = threading.Event()
    server = threading.Thread(target=pod.serve, args=(stop,), daemon=True)
    try:
        with PodConsole(pod.port_path, timeout_s=10) as c:
            server.start()
            assert c.command("rec start") == "rec start 1"
            stop.set()
            server.join()
            t0 = pod.clock.now_us()
            pod.run_for(31.0)  # simulated time, as fast as the host goes
            assert pod.clock.now_us() >= TICKS_PERIOD > t0  # ticks_us wrapped on the way
            stop.clear()
            server = threading.Thread(target=pod.serve, args=(stop,), daemon=True)
            server.start()
            assert c.command("rec stop") == "rec stop 1"
            info = c.ls()
            assert [(i.session, i.synced, i.recording) for i in info] == [(1, 0, False)]
            data = c.get(1)
            assert len(data) == info[0].size
            assert data == read_session_file(pod, 1)
            assert c.ack(1, len(data)) == len(data)
            with pytest.raises(ConsoleError) as e:
                c.command("rec stop")
            assert e.value.code == 5
            status = c.status()
            assert status["missed"] == "0" and status["imu"] == "lsm6dsox"
    finally:
        stop.set()
        server.join(timeout=5)
        pod.close()
    s = decode_session(data)
    assert s.header.n_cells == 8 and s.header.rate_hz == 100 and s.header.has_imu == 1
    assert s.end is not None and s.end.missed == 0 and s.end.samples == len(s.t_us)
    assert not s.errors and s.seqs == list(range(len(s.seqs)))
    steps_ok, flags_ok, n_steps = _replay_matches(s)
    assert steps_ok and flags_ok
    truth = run.feet[0].truth.contact_s
    assert abs(n_steps - len(truth)) <= 1
    assert _aligned(s.cells, run.feet[0].cells)  # the ADC path delivered the exact counts
    # the IMU (own ODR, FIFO, LSB scaling) is within a sample and 1 LSB of the run
    assert s.imu_present[60:].all()


@pytest.mark.parametrize(
    "rate,cells,board", [(200, 8, "esp32s3"), (100, 16, "esp32s3"), (100, 8, "esp32")]
)
def test_rates_boards_and_mux(rate: int, cells: int, board: str) -> None:
    run = sim(seed=52, duration_s=15.0, jitter_us=0.0, rate_hz=rate, cells=cells)
    pod = VirtualPod(run.feet[1], rate_hz=rate, board=board, console="mem")
    pod.app.rec_start()
    pod.run_for(16.0)
    pod.app.rec_stop()
    s = decode_session(read_session_file(pod, 1))
    assert pod.app.wiring == ("mux" if cells == 16 or board == "esp32" else "direct")
    assert s.header.rate_hz == rate and s.header.n_cells == cells
    assert abs(len(s.t_us) - 16.0 * rate) <= 2 and pod.app.missed == 0
    assert np.all(np.diff(s.t_us) == 1_000_000 // rate)
    steps_ok, flags_ok, n_steps = _replay_matches(s)
    assert steps_ok and flags_ok and n_steps >= 15
    assert _aligned(s.cells, run.feet[1].cells, 500)
    pod.close()


def test_mpu6050_fallback_and_no_imu() -> None:
    run = sim(seed=53, duration_s=10.0, jitter_us=0.0)
    pod = VirtualPod(run.feet[0], imu="mpu6050", console="mem")
    assert pod.app.imu is not None and pod.app.imu.name == "mpu6050"
    pod.app.rec_start()
    pod.run_for(10.0)
    pod.app.rec_stop()
    s = decode_session(read_session_file(pod, 1))
    i = int(np.nonzero(s.cells.sum(axis=1))[0][0])
    j = int(np.nonzero(run.feet[0].cells.sum(axis=1))[0][0])
    # MPU-6050 LSB scaling round trip: within 1 mg and 1 (0.1 deg/s) of the run
    assert run.feet[0].imu is not None
    diff = np.abs(s.imu[i : i + 300].astype(int) - run.feet[0].imu[j : j + 300].astype(int))
    assert diff.max() <= 1
    bare = VirtualPod(run.feet[0], imu=None, console="mem")
    assert bare.app.imu is None and bare.app.header(1).has_imu == 0
    bare.app.rec_start()
    bare.run_for(5.0)
    assert bare.app.kernel.steps > 3


def test_sensor_faults_flag_and_sampling_goes_on() -> None:
    run = sim(seed=54, duration_s=40.0, jitter_us=0.0)
    pod = VirtualPod(run.feet[0], console="mem")
    pod.sensors.saturate(2, 8.0)
    pod.sensors.open_cell(5, 12.0)
    pod.sensors.lose_imu(20.0)
    pod.app.rec_start()
    pod.run_for(40.0)
    pod.app.rec_stop()
    s = decode_session(read_session_file(pod, 1))
    flags = [R.Flag.from_bytes(p) for p in s.flag_payloads]
    assert any(f.flags & fw_config.FLAG_SENSOR_FAULT and f.fault_cells & (1 << 2) for f in flags)
    assert any(f.flags & fw_config.FLAG_DEGRADED and f.imu_ok == 0 for f in flags)
    assert pod.app.missed == 0 and abs(pod.app.samples - 4000) <= 2
    assert not s.imu_present[-500:].any() and pod.app.imu_errors >= 1
    steps = [R.Step.from_bytes(p) for p in s.step_payloads]
    assert sum(1 for x in steps if x.contact_us > 30_000_000) >= 5  # stepping on after the faults
    steps_ok, flags_ok, _ = _replay_matches(s)
    assert steps_ok and flags_ok


def test_imu_comes_back_after_an_i2c_outage() -> None:
    run = sim(seed=55, duration_s=12.0, jitter_us=0.0)
    pod = VirtualPod(run.feet[0], console="mem")
    pod.sensors.lose_imu(3.0)
    pod.run_for(5.0)
    assert pod.app.imu is None
    pod.sensors.imu_gone_from_us = None
    pod.run_for(2.0)
    assert pod.app.imu is not None  # re-probed by housekeeping


def test_auto_start_on_motion_and_auto_stop() -> None:
    run = sim(seed=56, duration_s=20.0, jitter_us=0.0)
    pod = VirtualPod(run.feet[0], console="mem", auto_start=True)
    pod.run_for(10.0)
    assert pod.app.recording and pod.app.auto
    pod.run_for(75.0)  # the run ended at 20 s: a minute without steps ends the session
    assert not pod.app.recording
    s = decode_session(read_session_file(pod, 1))
    assert s.end is not None and len(s.step_payloads) >= 10


def test_deep_sleep_after_idle() -> None:
    pod = VirtualPod(None, console="mem")
    pod.run_for(200.0)
    assert pod.slept == 0 and pod.app.running
    pod.run_for(120.0)
    assert pod.slept == 1 and not pod.app.running
    dev = pod.machine.i2c_devices[0x6A]
    assert isinstance(dev, SimLsm6dsox)
    assert dev.regs[fw_imu.LSM_MD1_CFG] == fw_imu.LSM_INT1_WU  # motion wakes it
    assert dev.regs[fw_imu.LSM_TAP_CFG2] & fw_imu.LSM_INTERRUPTS_ENABLE


def test_reboot_keeps_sessions_and_numbers_on() -> None:
    run = sim(seed=57, duration_s=6.0, jitter_us=0.0)
    pod = VirtualPod(run.feet[0], console="mem")
    pod.app.rec_start()
    pod.run_for(6.0)
    pod.app.rec_stop()
    data = read_session_file(pod, 1)
    pod.app.stop()
    app = pod.boot()  # power cycle: the same flash
    assert app.store.ids == [1] and read_session_file(pod, 1) == data
    assert app.rec_start() == 2


def test_pod_without_sim_foot_is_still() -> None:
    pod = VirtualPod(None, console="mem")
    pod.run_for(2.0)
    assert pod.app.kernel.steps == 0 and pod.app.samples >= 199
