"""Left/right symmetry arithmetic and the UNEVEN_LOAD rule (stridefw.balance)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from stridefw import balance
from stridefw import records as R


def step(peak_dn: int, impulse_dnms: int, stance_us: int = 230_000, lr: int = 60_000) -> bytes:
    return R.Step(
        peak_force_dn=peak_dn, impulse_dnms=impulse_dnms, stance_us=stance_us, loading_rate_n_s=lr
    ).to_bytes()


@given(st.integers(0, 2**30 - 1), st.integers(0, 2**30 - 1))
def test_symmetry_index_matches_float_definition(left: int, right: int) -> None:
    si = balance.symmetry_pm(left, right)
    if left + right == 0:
        assert si == 0
        return
    exact = 2000 * (left - right) / (left + right)
    assert abs(si - exact) <= 1 + abs(exact) * 0.002
    assert balance.symmetry_pm(right, left) == -si


def run_balance(left_peak: int, right_peak: int, n: int = 80) -> balance.Balance:
    b = balance.Balance()
    for i in range(n):
        jitter = (i * 37) % 200 - 100  # +-1 % step-to-step variation
        b.add_step(0, step(left_peak + jitter, 2_400_000))
        b.add_step(1, step(right_peak - jitter, 2_400_000))
    return b


def test_symmetric_gait_is_not_flagged() -> None:
    b = run_balance(15000, 15000)
    assert not b.uneven and b.side == 0
    assert abs(b.si_pm[balance.M_PEAK]) < 10


def test_persistent_asymmetry_is_flagged_with_its_side() -> None:
    b = run_balance(15000, 12600)  # left 17.4 % higher: beyond 3 healthy SDs (16.8 %)
    assert b.uneven and b.side == 1
    assert 170 <= b.si_pm[balance.M_PEAK] <= 180
    b = run_balance(12600, 15000)
    assert b.uneven and b.side == -1
    # 12 %: within the range of real healthy walkers (SD 5.6 %); the old 10 % rule
    # fired on 23 of 51 of them
    assert not run_balance(15000, 13300).uneven


def test_needs_enough_steps_and_persistence() -> None:
    b = run_balance(15000, 12000, n=25)  # fewer than BAL_MIN_STEPS per foot
    assert not b.uneven
    # judged from 30 steps per foot; then 20 consecutive steps (both feet) beyond
    b = run_balance(15000, 12000, n=38)
    assert not b.uneven
    assert run_balance(15000, 12000, n=41).uneven


def test_add_step_reports_changes() -> None:
    b = balance.Balance()
    changes = []
    for i in range(100):
        changes.append(b.add_step(i % 2, step(15000 if i % 2 == 0 else 12000, 2_400_000)))
    assert changes.count(True) == 1 and b.uneven


def test_leg_length_pattern_is_a_signed_sum_in_healthy_sds() -> None:
    """Longer stance on the left, more force and loading rate on the right: beyond 3
    healthy SDs of the summed pattern the pod names the left limb as the longer one."""

    def run(stance_si_pm: int, force_si_pm: int) -> balance.Balance:
        b = balance.Balance()
        for i in range(120):
            j = (i * 37) % 200 - 100
            st_l, st_r = 230_000 + stance_si_pm * 115, 230_000 - stance_si_pm * 115
            f_l, f_r = 15000 - force_si_pm * 15 // 2, 15000 + force_si_pm * 15 // 2
            lr_l, lr_r = 60_000 - force_si_pm * 30, 60_000 + force_si_pm * 30
            b.add_step(0, step(f_l + j, 2_400_000, st_l, lr_l))
            b.add_step(1, step(f_r - j, 2_400_000, st_r, lr_r))
        return b

    b = run(60, 120)  # stance +6 %, peak and loading rate -12 %: ~5.6 healthy SDs
    assert b.uneven and b.lld_long == 1 and b.side == -1
    b = run(-60, -120)
    assert b.uneven and b.lld_long == -1 and b.side == 1
    assert not run(20, 40).uneven  # ~1.8 SDs: healthy people look like this


def test_unmeasured_loading_rates_do_not_pull_the_mean_down() -> None:
    """A step whose loading rate the kernel could not measure (0) is left out of that
    mean, also when it is a foot's first step."""
    b = balance.Balance()
    b.add_step(0, step(15000, 2_400_000, lr=0))
    b.add_step(1, step(15000, 2_400_000, lr=60_000))
    for _ in range(40):
        b.add_step(0, step(15000, 2_400_000, lr=60_000))
        b.add_step(1, step(15000, 2_400_000, lr=60_000))
    assert b.si_pm[balance.M_LOADING] == 0
