"""The pod carries the runner's UNSTABLE reference between sessions and across a reboot."""

from __future__ import annotations

from stridefw import kernel as fw_kernel
from stridekit.replay import kernel_for, run_kernel
from stridekit.sim.pod import VirtualPod, decode_session, read_session_file
from tests.conftest import sim


def test_reference_learnt_saved_noted_and_replayed() -> None:
    run = sim(seed=58, duration_s=200.0, jitter_us=0.0, stride_cv=0.018, stance_cv=0.025)
    pod = VirtualPod(run.feet[0], console="mem")
    pod.app.rec_start()
    pod.run_for(95.0)  # > UNSTABLE_MIN_STEPS steps of this foot
    pod.app.rec_stop()
    first = decode_session(read_session_file(pod, 1))
    assert not any(n.startswith(fw_kernel.UNSTABLE_REF_NOTE) for n in first.notes)
    learnt = pod.app.kernel.reference_note()
    assert pod.app.kernel.has_ref

    pod.app.stop()
    app = pod.boot()  # power cycle: the reference comes back from flash
    assert not app.kernel.has_ref
    app.rec_start()
    pod.run_for(90.0)
    app.rec_stop()
    second = decode_session(read_session_file(pod, 2))
    assert [n for n in second.notes if n.startswith(fw_kernel.UNSTABLE_REF_NOTE)] == [learnt]
    # replay with the session's notes gives the pod's records; the same usual shoes
    # are not UNSTABLE against the runner's own reference
    out = run_kernel(
        kernel_for(second.header, second.notes),
        second.t_us,
        second.cells,
        second.imu,
        second.imu_present,
    )
    assert out.step_payloads == second.step_payloads
    assert out.flag_payloads == second.flag_payloads
    assert second.end is not None and not second.end.flags & 0x2
