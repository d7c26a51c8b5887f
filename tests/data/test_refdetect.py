"""The offline reference detector on synthetic force with known crossings."""

from __future__ import annotations

import numpy as np

from stridekit.importers import refdetect

FS = 100.0


def _trapezoid(t: np.ndarray, t0: float, stance: float, peak: float = 800.0) -> np.ndarray:
    """0 N, a 100 ms linear rise to peak, plateau, a 100 ms linear fall; 20 N crossings exact."""
    rise = np.clip((t - t0) / 0.1, 0, 1)
    fall = np.clip((t0 + stance - t) / 0.1, 0, 1)
    return peak * np.minimum(rise, fall)


def _walk(
    contacts: list[float], stances: list[float], dur: float = 12.0
) -> tuple[np.ndarray, np.ndarray]:
    t = np.arange(0, dur, 1 / FS) + 0.0037  # samples off the event grid
    f = sum((_trapezoid(t, c, s) for c, s in zip(contacts, stances, strict=True)), np.zeros(len(t)))
    return t, f


def test_events_within_half_a_sample_of_the_true_crossings() -> None:
    contacts = [1.0 + 1.1 * k + 0.0031 * k for k in range(9)]
    stances = [0.65] * 9
    t, f = _walk(contacts, stances)
    ref = refdetect.detect(t, f)
    true_c = np.array(contacts) + 0.1 * 20 / 800
    true_o = np.array(contacts) + 0.65 - 0.1 * 20 / 800
    assert len(ref.contact_s) == 9 and ref.unscored == []
    assert np.max(np.abs(ref.contact_s - true_c)) <= 0.005
    assert np.max(np.abs(ref.toe_off_s - true_o)) <= 0.005
    assert abs(ref.baseline_n) < 1.0


def test_standing_and_incomplete_stances_give_no_event() -> None:
    t, f = _walk([-0.5, 2.0, 3.2], [1.2, 0.6, 5.0], dur=10.0)  # loaded at t=0; 5 s standing
    ref = refdetect.detect(t, f)
    assert len(ref.contact_s) == 1 and abs(ref.contact_s[0] - 2.0025) < 0.005
    # the stance loaded at the first sample and the standing are left unjudged
    (a0, b0), (a1, b1) = ref.unscored
    assert a0 == t[0] and 0.6 < b0 < 0.8 and 3.1 < a1 < 3.3 and 8.1 < b1 < 8.3


def test_light_load_between_two_stances_is_unscored() -> None:
    contacts = [1.0, 1.9, 3.0, 4.1]
    stances = [0.6, 0.8, 0.6, 0.6]
    t, f = _walk(contacts, stances, dur=6.0)
    f = np.where((t > 1.55) & (t < 2.0), np.maximum(f, 30.0), f)  # 30 N "swing": never < 20 N
    ref = refdetect.detect(t, f)
    assert len(ref.unscored) == 1 and ref.unscored[0][0] < 1.1 and ref.unscored[0][1] > 2.6
    assert len(ref.contact_s) == 2  # the two clean stances


def test_filter_is_zero_phase_with_unity_gain() -> None:
    t = np.arange(0, 4, 1 / FS)
    pulse = np.exp(-0.5 * ((t - 2.0) / 0.05) ** 2)
    y = refdetect.filtfilt(pulse, 20.0, FS)
    assert int(np.argmax(y)) == int(np.argmax(pulse))
    np.testing.assert_allclose(y[200:300], y[200:100:-1], atol=1e-6)  # symmetric about the peak
    assert abs(refdetect.filtfilt(np.full(50, 7.0), 20.0, FS) - 7.0).max() < 1e-9
