"""The ESP32 estimate's arithmetic (stridekit.bench.chip): no timing is asserted."""

from __future__ import annotations

import pytest
from rich.console import Console

from stridekit.bench import BenchRow
from stridekit.bench.chip import ESP32_PYSTONES, estimate, print_estimate


def _row(cells: int, bytecode: float | None, viper: float | None) -> BenchRow:
    return BenchRow(cells, 1.0, 1.0, None, None, None, None, bytecode, viper, None, None)


def test_scales_by_the_published_rates() -> None:
    rates = sorted(r for r, _ in ESP32_PYSTONES)
    host = 80_000.0
    est = estimate([_row(16, 20.0, 10.0)], host)
    by = {e.build: e for e in est}
    assert set(by) == {"bytecode", "viper"}  # no deploy figure: not estimated
    v = by["viper"]
    assert v.pystones == pytest.approx(10.0 * host / 1e6)  # 10 us at 80,000 pystones/s
    assert v.low_us == pytest.approx(v.pystones / rates[-1] * 1e6)
    assert v.high_us == pytest.approx(v.pystones / rates[0] * 1e6)
    assert by["bytecode"].low_us == pytest.approx(2 * v.low_us)


def test_every_rate_has_a_source() -> None:
    assert len(ESP32_PYSTONES) >= 2
    assert all(r > 0 and "github.com" in src for r, src in ESP32_PYSTONES)


def test_without_the_pystone_file_it_says_what_it_needs() -> None:
    con = Console(record=True, width=200)
    print_estimate(con, [_row(8, 20.0, 10.0)], None)
    assert "--pystone" in con.export_text()
