"""The header's wall clock stays right beyond 2**29 ms (6.2 days) without a `time` write."""

from __future__ import annotations

from stridekit.sim.pod import VirtualPod
from stridekit.sim.shims.ticks import VirtualClock

EPOCH_S = 1_750_000_000
STEP_US = 3_600_500_000  # an hour and half a second: the anchor keeps the fraction
DAYS = 9  # past the 6.2 days where ticks_diff on ticks_ms folds back


def _errors(reanchor: bool) -> list[int]:
    """Header epoch minus the true wall clock, s, hour by hour over DAYS days."""
    clock = VirtualClock()
    pod = VirtualPod(None, clock=clock, console="mem")
    app = pod.app
    if not reanchor:
        app._reanchor_epoch = lambda _now: None  # type: ignore[method-assign]
    app.set_time(EPOCH_S)
    t0 = clock.now_us()
    errors: list[int] = []
    while clock.now_us() - t0 < DAYS * 86_400_000_000:
        clock.advance_to(clock.now_us() + STEP_US)
        app._housekeeping()  # what every App turn runs
        truth_s = EPOCH_S + (clock.now_us() - t0) // 1_000_000
        errors.append(app.header(0).epoch_s - truth_s)
    return errors


def test_header_epoch_is_right_for_nine_days_without_a_time_write() -> None:
    errors = _errors(reanchor=True)
    assert len(errors) > 200
    assert all(-1 <= e <= 0 for e in errors), sorted(set(errors))  # whole seconds, truncated


def test_without_the_anchor_the_epoch_would_jump_back() -> None:
    errors = _errors(reanchor=False)
    assert min(errors) < -1_000_000  # 2**30 ms back: about 12.4 days
