"""Two virtual pods paired over the in-process ESP-NOW link compare their feet on the device."""

from __future__ import annotations

import pytest

from stridefw import config as fw_config
from stridefw import pairing as fw_pairing
from stridefw import records as R
from stridefw.balance import Balance
from stridekit.sim.gait import SimFoot
from stridekit.sim.pod import VirtualPod, decode_session, pod_pair, read_session_file, run_pods
from tests.conftest import sim


def _paired(left: SimFoot, right: SimFoot, seconds: float) -> tuple[VirtualPod, VirtualPod]:
    a, b, air = pod_pair(left, right, console="mem")
    assert a.command("pair") == "OK pair 30"
    assert b.command("pair") == "OK pair 30"
    run_pods([a, b], 3.0)
    assert a.app.pairing is not None and b.app.pairing is not None
    assert a.app.pairing.peer == b.radio.mac if b.radio else False
    assert b.app.pairing.peer == a.radio.mac if a.radio else False
    for p in (a, b):
        p.app.rec_start()
    run_pods([a, b], seconds)
    for p in (a, b):
        p.app.rec_stop()
    assert air.delivered > 50
    return a, b


def _host_balance(a: VirtualPod, b: VirtualPod) -> Balance:
    """The same arithmetic on the host, from the two stored sessions."""
    bal = Balance()
    steps = []
    for foot, pod in ((0, a), (1, b)):
        s = decode_session(read_session_file(pod, 1))
        steps += [(R.Step.from_bytes(p).contact_us, foot, p) for p in s.step_payloads]
    for _, foot, p in sorted(steps):
        bal.add_step(foot, p)
    return bal


def test_pods_pair_and_flag_uneven_load() -> None:
    heavy = sim(seed=61, duration_s=70.0, jitter_us=0.0, mass_kg=76.0)
    light = sim(seed=61, duration_s=70.0, jitter_us=0.0, mass_kg=60.0)
    a, b = _paired(heavy.feet[0], light.feet[1], 70.0)
    for p in (a, b):
        assert p.app.balance.uneven and p.app.balance.side == 1  # the left carries more
        s = decode_session(read_session_file(p, 1))
        flags = [R.Flag.from_bytes(x) for x in s.flag_payloads]
        assert any(f.flags & fw_config.FLAG_UNEVEN_LOAD for f in flags)
        assert p.app.kernel.flags & fw_config.FLAG_UNEVEN_LOAD
    host = _host_balance(a, b)
    assert host.uneven
    # device and host agree on the symmetry index (same code, steps in another order)
    assert abs(host.si_pm[0] - a.app.balance.si_pm[0]) <= 10


def test_symmetric_runner_is_not_flagged() -> None:
    run = sim(seed=62, duration_s=70.0, jitter_us=0.0)
    a, b = _paired(run.feet[0], run.feet[1], 70.0)
    for p in (a, b):
        assert p.app.balance.steps > 100
        assert not p.app.balance.uneven
        assert not p.app.kernel.flags & fw_config.FLAG_UNEVEN_LOAD


@pytest.mark.parametrize("long_side", ["left", "right"])
def test_large_walking_leg_length_difference_is_flagged_on_both_pods(long_side: str) -> None:
    """4 cm while walking moves stance, peak force and loading rate well past healthy
    people's own asymmetry: the leg-length pattern raises UNEVEN_LOAD on both pods and
    names the longer limb."""
    run = sim(
        seed=63,
        duration_s=90.0,
        jitter_us=0.0,
        gait="walk",
        speed_m_s=1.3,
        cadence_spm=110.0,
        lld_cm=4.0,
        lld_side=long_side,
    )
    a, b = _paired(run.feet[0], run.feet[1], 90.0)
    want = 1 if long_side == "left" else -1
    for p in (a, b):
        bal = p.app.balance
        assert bal.uneven and bal.lld_long == want and bal.side == -want
        assert p.app.kernel.flags & fw_config.FLAG_UNEVEN_LOAD


def test_running_leg_length_difference_of_1_5_cm_is_not_flagged() -> None:
    """Within healthy people's own asymmetry (Korontzi 2023: running changes from ~2 cm)."""
    run = sim(seed=65, duration_s=70.0, jitter_us=0.0, lld_cm=1.5)
    a, _ = _paired(run.feet[0], run.feet[1], 70.0)
    assert not a.app.balance.uneven


def test_pods_of_the_same_foot_do_not_pair_and_bad_messages_are_counted() -> None:
    run = sim(seed=64, duration_s=5.0, jitter_us=0.0)
    a, b, _air = pod_pair(run.feet[0], run.feet[0], console="mem")
    b.foot = 0
    b.app.foot = 0
    a.command("pair")
    b.command("pair")
    run_pods([a, b], 3.0)
    assert a.app.pairing is not None and b.app.pairing is not None
    assert a.app.pairing.peer is None and b.app.pairing.peer is None
    assert a.radio is not None and b.radio is not None
    b.radio.add_peer(a.radio.mac)
    b.radio.send(a.radio.mac, b"\x00garbage")
    b.radio.send(a.radio.mac, bytes([fw_pairing.MAGIC, fw_pairing.K_STEP, 1, 1]) + bytes(10))
    run_pods([a, b], 0.1)
    assert a.app.pairing.rx_bad == 2
