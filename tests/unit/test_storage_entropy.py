"""The residual entropy `stride bench` prints beside the raw-sample size (bench/storage.py)."""

from __future__ import annotations

import numpy as np

from stridekit.bench.storage import adaptive_rice_bytes, residual_entropy_bytes


def test_a_constant_or_linear_channel_costs_nothing() -> None:
    t = np.arange(500)
    x = np.stack([np.full(500, 1234), 7 * t + 3], axis=1)
    assert residual_entropy_bytes(x) == 0.0


def test_two_equally_likely_steps_cost_one_bit_per_sample() -> None:
    rng = np.random.default_rng(5)
    x = np.cumsum(rng.choice([-1, 1], size=20_000))[:, None]  # first differences: +-1
    assert abs(residual_entropy_bytes(x) - 1 / 8) < 0.002


def test_channels_add_up() -> None:
    rng = np.random.default_rng(6)
    a = np.cumsum(rng.integers(-8, 8, size=20_000))[:, None]  # 16 equally likely steps: 4 bits
    both = residual_entropy_bytes(np.hstack([a, a]))
    assert abs(both - 2 * 4 / 8) < 0.01


def test_adaptive_rice_counts_a_hand_worked_block() -> None:
    # one channel, one block of 3 equal values: differences 0, 0 (either kind);
    # k = 3 then 2 from the running sums (8, 1) and (8, 2): 4 + 3 bits of residuals;
    # 16 bits first value + 1 bit which difference; 2 bits a sample; 19 B head+frame
    bits = 16 + 1 + 7 + 2 * 3 + 8 * (8 + 10 + 1)
    assert adaptive_rice_bytes(np.full((3, 1), 500), block=3) == bits / 8 / 3


def test_adaptive_rice_pays_for_noise() -> None:
    rng = np.random.default_rng(7)
    quiet = rng.normal(0, 2, (4096, 1)).round()
    loud = rng.normal(0, 200, (4096, 1)).round()
    q, lo = adaptive_rice_bytes(quiet), adaptive_rice_bytes(loud)
    assert q < lo
    # a 100x larger noise costs log2(100) ~ 6.6 bits more a sample, give or take
    assert 0.6 < lo - q < 1.0
