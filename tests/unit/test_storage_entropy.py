"""The residual entropy `stride bench` prints beside the raw-sample size (bench/storage.py)."""

from __future__ import annotations

import numpy as np

from stridekit.bench.storage import residual_entropy_bytes


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


def test_a_channel_taken_as_it_is_when_that_is_cheapest() -> None:
    # independent fair coin flips: 1 bit as values, more as differences (0 twice as
    # likely as +-1: 1.5 bits)
    rng = np.random.default_rng(7)
    x = rng.integers(0, 2, size=20_000)[:, None]
    assert abs(residual_entropy_bytes(x) - 1 / 8) < 0.002
