"""Each condition changes what the literature says it changes, and nothing else gross.

Runs with and without a condition share the seed; the simulator draws each kind of
randomness from its own stream, so the comparisons below are paired step by step.
"""

from __future__ import annotations

import numpy as np
import pytest

from stridekit.sim import conditions as C
from stridekit.sim.gait import G, SimRun, StepTruth
from tests.conftest import sim

DUR = 30.0


def _mean(run: SimRun, foot: int, name: str) -> float:
    return float(np.nanmean(getattr(run.feet[foot].truth, name)))


def _si(run: SimRun, name: str) -> float:
    """Symmetry index, %: 100 (L - R) / mean."""
    left, right = _mean(run, 0, name), _mean(run, 1, name)
    return 100 * (left - right) / ((left + right) / 2)


def _cadence(run: SimRun) -> float:
    contacts = np.sort(np.concatenate([f.truth.contact_s for f in run.feet]))
    return 60 / float(np.mean(np.diff(contacts)))


@pytest.mark.parametrize("long_side", ["left", "right"])
def test_leg_length_difference_loads_the_short_limb_and_scales_with_size(long_side: str) -> None:
    base = sim(seed=21, duration_s=DUR)
    sign = 1 if long_side == "left" else -1  # SI is left - right: + when left is larger
    prev_lr = 0.0
    for cm in (1.0, 2.0, 3.0):
        run = sim(seed=21, duration_s=DUR, lld_cm=cm, lld_side=long_side)
        d_lr = sign * (_si(run, "loading_rate_n_s") - _si(base, "loading_rate_n_s"))
        d_ip = sign * (_si(run, "impact_peak_n") - _si(base, "impact_peak_n"))
        d_st = sign * (_si(run, "stance_s") - _si(base, "stance_s"))
        m = C.lld_scale(cm, "run")
        # long limb: lower loading rate and impact peak, longer stance (documented direction)
        assert d_lr == pytest.approx(-100 * C.LLD_WALK_LR_PER_CM * m, rel=0.25)
        assert d_ip == pytest.approx(-100 * C.LLD_WALK_IMPACT_PER_CM * m, rel=0.25)
        assert d_st == pytest.approx(100 * C.LLD_WALK_STANCE_PER_CM * m, rel=0.25)
        assert -d_lr > prev_lr  # grows with the difference
        prev_lr = -d_lr
        short = 1 if long_side == "left" else 0
        assert _mean(run, short, "strike_index") > _mean(base, short, "strike_index")
        # nothing else gross: cadence, impulse per step, body-weight loading
        assert _cadence(run) == pytest.approx(_cadence(base), rel=0.002)
        for f in (0, 1):
            assert _mean(run, f, "impulse_ns") == pytest.approx(
                _mean(base, f, "impulse_ns"), rel=0.01
            )
            assert _mean(run, f, "cop_x_mean_mm") == pytest.approx(
                _mean(base, f, "cop_x_mean_mm"), abs=0.5
            )


def test_small_leg_length_difference_is_smaller_than_healthy_asymmetry() -> None:
    """Up to 3 cm the imposed loading-rate difference is below one SD of healthy runners'."""
    for cm in (0.5, 1.0, 2.0, 3.0):
        assert C.LLD_WALK_LR_PER_CM * C.lld_scale(cm, "run") < C.NATURAL_ASYM_SD["loading_rate"]
    # running shows half the walking effect per cm (Korontzi 2023: 2 cm vs 1 cm thresholds)
    assert C.lld_scale(0.0) == 0.0
    assert C.lld_scale(2.0, "run") == pytest.approx(C.lld_scale(1.0, "walk"))


def test_toning_sole_raises_within_step_variability_and_lowers_cadence() -> None:
    base = sim(seed=22, duration_s=DUR)
    ton = sim(seed=22, duration_s=DUR, instability=1.0)
    for f in (0, 1):
        sd0 = np.std(base.feet[f].truth.cop_x_mean_mm)
        sd1 = np.std(ton.feet[f].truth.cop_x_mean_mm)
        assert sd1 / sd0 == pytest.approx(1 + C.INSTABILITY_VAR, rel=0.1)  # Stöggl 2010: +35 %
        pk0, pk1 = (np.std(r.feet[f].truth.peak_force_n) for r in (base, ton))
        assert pk1 > pk0
        # stance time and mean loading unchanged beyond the slower cadence
        assert _mean(ton, f, "stance_s") == pytest.approx(_mean(base, f, "stance_s"), rel=0.01)
        assert _mean(ton, f, "loading_rate_n_s") == pytest.approx(
            _mean(base, f, "loading_rate_n_s"), rel=0.04
        )
    assert _cadence(ton) == pytest.approx(_cadence(base) * (1 - C.INSTABILITY_CADENCE), rel=0.005)
    assert abs(_si(ton, "loading_rate_n_s")) < 3  # both feet alike: not an asymmetry


def _early_late(tr: StepTruth, name: str) -> tuple[float, float]:
    x = getattr(tr, name)
    n = len(x) // 5
    return float(np.mean(x[:n])), float(np.mean(x[-n:]))


def test_fatigue_drifts_stance_loading_rate_cadence_and_cop_over_the_run() -> None:
    base = sim(seed=23, duration_s=60.0)
    tired = sim(seed=23, duration_s=60.0, fatigue=1.0)
    for f in (0, 1):
        tr, tb = tired.feet[f].truth, base.feet[f].truth
        assert tr.fatigue[0] < 0.05 and tr.fatigue[-1] > 0.95
        s0, s1 = _early_late(tr, "stance_s")
        b0, b1 = _early_late(tb, "stance_s")
        assert s1 / s0 - b1 / b0 == pytest.approx(0.9 * C.FATIGUE_STANCE, abs=0.015)
        l0, l1 = _early_late(tr, "loading_rate_n_s")
        k0, k1 = _early_late(tb, "loading_rate_n_s")
        assert l1 / l0 - k1 / k0 > 0.04
        c0, c1 = _early_late(tr, "cop_x_mean_mm")
        d0, d1 = _early_late(tb, "cop_x_mean_mm")
        assert (c1 - c0) - (d1 - d0) == pytest.approx(0.9 * C.FATIGUE_COP_DX_MM, abs=0.6)
        st0, st1 = _early_late(tr, "stride_s")
        assert st1 / st0 > 1.02  # cadence falls
        g0, g1 = _early_late(tr, "shock_g")
        assert g1 > g0
    # fatigue does not make the runner asymmetric
    assert abs(_si(tired, "stance_s") - _si(base, "stance_s")) < 0.5


def test_maximal_cushioning_raises_impact_loading_at_speed() -> None:
    kw = dict(speed_m_s=4.03, cadence_spm=180, duration_s=DUR)
    conv = sim(seed=24, **kw)
    maxi = sim(seed=24, cushioning="maximal", **kw)
    for f in (0, 1):
        ip = _mean(maxi, f, "impact_peak_n") / _mean(conv, f, "impact_peak_n")
        assert ip == pytest.approx(1.107, abs=0.02)  # Kulmala 2018, 14.5 km/h: +10.7 %
        lr = _mean(maxi, f, "loading_rate_n_s") / _mean(conv, f, "loading_rate_n_s")
        assert lr == pytest.approx(1.123, abs=0.04)  # +12.3 %
        assert _mean(maxi, f, "stance_s") == pytest.approx(_mean(conv, f, "stance_s"), rel=0.002)
        assert _mean(maxi, f, "impulse_ns") == pytest.approx(
            _mean(conv, f, "impulse_ns"), rel=0.002
        )


def test_ab_shoes_same_runner_differ_only_by_the_shoe() -> None:
    a = sim(seed=25, duration_s=DUR, asym_loading_rate=0.1)
    b = sim(seed=25, duration_s=DUR, asym_loading_rate=0.1, instability=C.TONING.instability)
    # same runner, same asymmetry: the loading-rate SI agrees within its sampling noise
    assert _si(a, "loading_rate_n_s") == pytest.approx(_si(b, "loading_rate_n_s"), abs=4.0)
    assert a.feet[0].truth.cop_x_offset_mm.std() < b.feet[0].truth.cop_x_offset_mm.std()


def test_natural_asymmetry_shows_on_the_named_side() -> None:
    base = sim(seed=26, duration_s=DUR)
    run = sim(seed=26, duration_s=DUR, asym_loading_rate=0.2, asym_stance=0.02, asym_step=0.02)
    assert _si(run, "loading_rate_n_s") - _si(base, "loading_rate_n_s") == pytest.approx(20, abs=4)
    assert _si(run, "stance_s") - _si(base, "stance_s") == pytest.approx(2, abs=0.5)
    # a longer left step: the left foot supplies a larger vertical impulse
    assert _si(run, "impulse_ns") - _si(base, "impulse_ns") == pytest.approx(2, abs=0.5)


def test_walking_vs_running_at_the_same_body_weight() -> None:
    run = sim(seed=27, duration_s=20.0)
    walk = sim(seed=27, duration_s=20.0, gait="walk", speed_m_s=1.0, cadence_spm=100)
    bw = run.params.mass_kg * G
    assert _mean(walk, 0, "stance_s") > 2.5 * _mean(run, 0, "stance_s")
    assert _mean(walk, 0, "peak_force_n") / bw < 1.3 < _mean(run, 0, "peak_force_n") / bw
    assert _mean(walk, 0, "shock_g") < _mean(run, 0, "shock_g")
