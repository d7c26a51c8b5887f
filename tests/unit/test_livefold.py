"""stridefw.livefold: the one fold of the live stream (CLI live view and browser)."""

from __future__ import annotations

from stridefw import records as R
from stridefw.livefold import LiveFold


def _frames(*recs: tuple[int, bytes]) -> bytes:
    enc = R.Encoder()
    return b"".join(enc.encode(t, i, p) for i, (t, p) in enumerate(recs))


def test_steps_and_flags_fold_per_foot_and_garbage_is_counted() -> None:
    fold = LiveFold()
    left = _frames(
        (R.REC_STEP, R.Step(index=0, stance_us=250_000, impulse_dnms=900).to_bytes()),
        (R.REC_FLAG, R.Flag(t_us=5, flags=2).to_bytes()),
        (R.REC_STEP, R.Step(index=1, stance_us=260_000, flags=4, impulse_dnms=910).to_bytes()),
    )
    out = fold.feed(0, left[:7]) + fold.feed(0, left[7:])  # split anywhere
    assert [k for k, _ in out] == ["step", "flag", "step"]
    assert fold.steps == [2, 0] and fold.step_flags[0] == 4 and fold.session_flags[0] == 2
    assert fold.feed(1, b"\x01\x02\x03\x00") == [] and fold.errors(1) >= 1
    assert fold.errors(0) == 0
