"""The chip-time estimate's arithmetic (stridekit.budget.timing): no time is asserted."""

from __future__ import annotations

import pytest

from stridekit.budget import timing as T


def test_instructions_become_microseconds_through_the_published_rates() -> None:
    fast = max(r for r, _ in T.ESP32_PYSTONES)
    slow = min(r for r, _ in T.ESP32_PYSTONES)
    low, high = T.chip_us(2 * T.UNIX32_X86_PER_PYSTONE)  # two pystone loops per sample
    assert low == pytest.approx(2 / fast * 1e6)
    assert high == pytest.approx(2 / slow * 1e6)


def test_a_slower_clock_and_a_faster_core_scale_the_estimate() -> None:
    base = T.chip_us(50_000.0)
    at_80 = T.chip_us(50_000.0, mhz=80)
    assert at_80[0] == pytest.approx(3 * base[0]) and at_80[1] == pytest.approx(3 * base[1])
    s3 = T.chip_us(50_000.0, coremark_per_mhz=2 * T.ESP32_COREMARK_PER_MHZ)
    assert s3[0] == pytest.approx(base[0] / 2)


def test_every_rate_has_a_source_and_the_method_names_them() -> None:
    assert len(T.ESP32_PYSTONES) >= 2
    assert all(r > 0 and "github.com" in src for r, src in T.ESP32_PYSTONES)
    text = T.method()
    assert T.PYSTONE_COMMIT[:12] in text and T.PYSTONE_PATH in text
    assert all(f"{r:,.0f}/s" in text for r, _ in T.ESP32_PYSTONES)


def test_the_turn_script_runs_on_a_virtual_clock_and_stops_after_recording() -> None:
    s = T._turn_script(123)
    assert "clock = VClock()" in s and "clock.now += 1000000 // RATE" in s
    assert "tick(123)\nprint('slept_us'" in s
    assert "phase('recording')" not in s  # the phases after recording are not run
    reads = T._turn_script(7, "reads")
    assert "for _ in range(7):\n    app.insole.read_into(app.cells)" in reads
    locked = T._turn_script(9, "locked")
    assert "micropython.heap_lock()\ntick(9)\nmicropython.heap_unlock()" in locked


def test_cpu_share_is_the_slower_end() -> None:
    t = T.SampleTime(16, 200, 1.0, 0.0, None, 0.0, 160, low_us=1000.0, high_us=2500.0)
    assert t.period_us == 5000.0 and t.cpu_share == pytest.approx(0.5)
