"""The firmware fits each supported board's budget: heap per phase, peak, native code.

Measured in ../shared/tools/micropython-unix32 (32-bit, hard heap limit) with the
modules deploy builds (stridekit.budget). A phase over its board's budget fails
here; so does a board listed as supported without the 25 % margin, and a board
left out of the list that would now fit (put it back, with its figures).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stridekit.budget import heap as H
from stridekit.budget.boards import BUDGETS, MARGIN, NOT_SUPPORTED, SUPPORTED
from stridekit.budget.sizes import code_sizes

KIB = 1024


@pytest.fixture(scope="module")
def stage(unix32_available: None) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="stride-budget-test-") as tmp:
        H.stage_x86(Path(tmp))
        yield Path(tmp)


def test_every_board_is_either_supported_or_has_a_reason() -> None:
    assert set(SUPPORTED) | set(NOT_SUPPORTED) == set(BUDGETS)
    assert not set(SUPPORTED) & set(NOT_SUPPORTED)


@pytest.mark.parametrize("key", SUPPORTED)
def test_a_supported_board_runs_every_phase_within_its_heap_with_margin(
    stage: Path, key: str
) -> None:
    b = BUDGETS[key]
    run = H.run_phases(stage, b.heap_peak_kib, b.pins)
    assert run.ok, run.error
    assert set(H.PHASES) <= set(run.live)
    for phase, live in run.live.items():
        assert live <= b.heap_live_kib * KIB, f"{phase}: {live / KIB:.1f} KiB live"
        assert live <= (1 - MARGIN) * b.heap_live_kib * KIB, (
            f"{phase}: {live / KIB:.1f} KiB live, less than {MARGIN:.0%} margin"
        )
    # the peak keeps its margin: the whole run fits in 75 % of the heap
    tight = int((1 - MARGIN) * b.heap_peak_kib)
    small = H.run_phases(stage, tight, b.pins)
    assert small.ok, f"does not run in {tight} KiB: {small.error}"


def test_native_code_fits_the_smallest_native_budget_of_the_supported_boards() -> None:
    c = code_sizes()
    budget = min(BUDGETS[k].native_kib for k in SUPPORTED) * KIB
    print(
        f"\nnative code {c.native_bytes / KIB:.1f} KiB of {budget / KIB:.0f} KiB: {c.native_parts}"
    )
    assert c.native_bytes <= (1 - MARGIN) * budget


@pytest.mark.parametrize("key", sorted(NOT_SUPPORTED))
def test_an_unsupported_board_still_does_not_fit(stage: Path, key: str) -> None:
    b = BUDGETS[key]
    run = H.run_phases(stage, b.heap_peak_kib, b.pins)
    fits = run.ok and all(v <= (1 - MARGIN) * b.heap_live_kib * KIB for v in run.live.values())
    assert not fits, f"{key} now fits its budget: add it back to SUPPORTED with its figures"


def test_deploy_refuses_an_unsupported_board() -> None:
    import typer

    from stridekit.cli.device import register

    app = typer.Typer()
    register(app)
    res = CliRunner().invoke(app, ["deploy", "/dev/null", "--board", "esp32"])
    assert res.exit_code == 2 and "not supported" in res.output


def test_deploy_dry_run_prints_the_budget_table(stage: Path) -> None:
    import typer

    from stridekit.cli.device import register

    app = typer.Typer()
    register(app)
    res = CliRunner().invoke(app, ["deploy", "/dev/null", "--dry-run", "--board", "esp32s3"])
    assert res.exit_code == 0, res.output
    out = res.output
    for want in (
        *H.PHASES,
        "largest single allocation",
        "native code",
        "LittleFS partition",
        "with raw samples",
        "time per sample (ESTIMATE",
        "battery life",
        "verdict: SUPPORTED",
    ):
        assert want in out, want
    from stridekit.budget.timing import have_valgrind

    if have_valgrind():  # the estimate, with its method and the sources of its rates
        assert "x86 instructions per turn" in out and "pystone_lowmem" in out
    else:
        assert "not estimated: valgrind is not installed" in out


@pytest.mark.parametrize(
    ("extra_us", "want"),
    [
        ((0.0, 0.0), "0"),
        ((5_000.0, 5_300.0), "0"),
        ((17_000.0, 26_000.0), "1-2"),
        ((40_000.0, 40_000.0), "3"),
    ],
)
def test_the_table_counts_the_samples_a_long_turn_misses(
    extra_us: tuple[float, float], want: str
) -> None:
    """App.turn reads the newest due time after a long turn and counts the others
    missed: a turn of d us at a period P misses floor(d / P) - 1 samples (none under
    two periods). A turn of 3.0-4.6 ms at 100 Hz plus extra_us."""
    from stridekit.budget.table import _missed
    from stridekit.budget.timing import SampleTime

    t = SampleTime(8, 100, 110e3, 26e3, None, 0.0, 80, 3_000.0, 4_600.0)
    assert _missed(t, extra_us) == want
