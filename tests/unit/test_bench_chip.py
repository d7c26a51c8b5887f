"""`stride bench --chip`'s table (stridekit.bench.chip): no time is asserted."""

from __future__ import annotations

import pytest
from rich.console import Console

from stridekit.bench import BenchRow, chip
from stridekit.budget import timing as T


def _row(cells: int, bytecode: float | None, viper: float | None) -> BenchRow:
    return BenchRow(cells, 1.0, 1.0, None, None, None, None, bytecode, viper, None, None)


def test_without_unix32_it_says_what_it_needs() -> None:
    con = Console(record=True, width=200)
    chip.print_estimate(con, [_row(8, None, None)], None)
    assert "micropython-unix32" in con.export_text()


def test_the_table_converts_counted_instructions_and_says_how(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fake(rows: list[BenchRow], seconds: float, per: float) -> list[chip.ChipEstimate]:
        assert per == T.UNIX32_X86_PER_PYSTONE  # no --pystone: the constant
        ins = 2 * per
        return [chip.ChipEstimate(16, "viper", ins, ins / per, *T.chip_us(ins), 3.0)]

    monkeypatch.setattr(chip, "estimate_counted", fake)
    monkeypatch.setattr(chip, "have_valgrind", lambda: True)
    con = Console(record=True, width=400)
    chip.print_estimate(con, [_row(16, 20.0, 10.0)], None)
    out = con.export_text()
    low, high = T.chip_us(2 * T.UNIX32_X86_PER_PYSTONE)
    assert f"{low:.0f}-{high:.0f}" in out and "2.000" in out and "3.00x" in out
    assert "valgrind" in out and T.PYSTONE_PATH in out and T.PYSTONE_COMMIT in out
